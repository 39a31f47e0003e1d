"""Measure pack compilation time and check-unit throughput (no assertions; prints a table).

    python benchmarks/engine_throughput.py [UNITS]

Checks the example products' units repeatedly with all shipped packs, one process.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    t0 = time.perf_counter()
    from compliance_engine import Checker, load_manifests
    from compliance_engine.engine import Engine
    from compliance_engine.packs.loader import PackSet, load_packs
    from compliance_engine.units import build_units

    t_import = time.perf_counter() - t0
    t = time.perf_counter()
    packset = load_packs()
    t_load = time.perf_counter() - t
    rows = []
    for pack in packset.packs:
        t = time.perf_counter()
        Engine(PackSet([pack]))
        rows.append((f"compile {pack.id} ({len(pack.rules)} rules)", time.perf_counter() - t))
    checker = Checker(as_of="2026-11-24")
    units, _ = build_units(load_manifests([ROOT / "products"]).manifests)
    t = time.perf_counter()
    findings = 0
    for i in range(n):
        findings += len(checker.check_unit(units[i % len(units)]))
    elapsed = time.perf_counter() - t
    print(f"{'measure':<48} {'value':>14}")
    print(f"{'import compliance_engine + Checker':<48} {t_import * 1000:>11.1f} ms")
    print(f"{'load and validate all packs':<48} {t_load * 1000:>11.1f} ms")
    for name, secs in rows:
        print(f"{name:<48} {secs * 1000:>11.1f} ms")
    print(f"{'check units (example products, cycled)':<48} {n:>14,}")
    print(f"{'findings':<48} {findings:>14,}")
    print(f"{'units per second (one process)':<48} {n / elapsed:>14,.0f}")


if __name__ == "__main__":
    main()
