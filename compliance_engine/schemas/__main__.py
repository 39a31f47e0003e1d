import sys

from . import write_all

if __name__ == "__main__":  # pragma: no cover
    if "--write" in sys.argv:
        for p in write_all():
            print(f"wrote {p}")
    else:
        print("usage: python -m compliance_engine.schemas --write")
