from .cli import run

if __name__ == "__main__":  # pragma: no cover
    run()  # the usual exit (not cli.main's early one): tools that run a module in-process report after it returns
