"""The command line: parse options, call the library, pick a formatter, map to exit codes.

Exit codes of ``check``: 0 nothing failed at or above ``--fail-on``; 1 something did; 2 an input or a
rule pack could not be read or is invalid (or the command line is wrong); 3 an internal error;
130 interrupted.
"""

from __future__ import annotations

import os
import sys

import click

from .commands.common import fail_input as _fail_input, make_checker as _checker, stderr as _stderr
from .errors import InputError
from .version import __version__

@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="compliance-engine")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Check product, listing and seller manifests against EU, GB, US and South-East Asian rule packs."""
    # Start-up allocates many long-lived objects (models, compiled packs) and no garbage cycles; the cycle
    # collector would only walk them again and again (~10 % of a one-file check). It is back on once the
    # checker is built (commands.common.make_checker) and in any case when the command ends.
    import gc

    gc.disable()
    ctx.call_on_close(gc.enable)


@cli.group()
def rules() -> None:
    """List and explain the rules of the loaded packs."""


@rules.command("list")
@click.option("--pack", "packs", multiple=True, help="Only rules of these packs (id or prefix).")
@click.option("--market", "markets", multiple=True, help="Only rules that can apply in these markets.")
@click.option("--rulepacks", multiple=True, type=click.Path(file_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules_list(packs, markets, rulepacks, fmt):
    """List rule ids with severity, effective dates and title."""
    import json

    from .checker import _pack_selected
    from .markets import expand_markets

    checker = _checker(packs, rulepacks, None)
    wanted = set(expand_markets(m.upper() for m in markets)) if markets else None
    rows = []
    for pack in checker.packset.packs:
        if not _pack_selected(pack.id, list(packs)):
            continue
        for r in pack.rules:
            scope = set(r.markets or pack.markets)
            if wanted and not scope & wanted:
                continue
            rows.append(r)
    rows.sort(key=lambda r: r.id)
    if fmt == "json":
        click.echo(json.dumps([r.to_dict() for r in rows], indent=2, ensure_ascii=False))
        return
    for r in rows:
        eff = f"{r.effective_from or '…'}→{r.effective_until or ''}"
        click.echo(f"{r.id:<58} {r.severity:<8} {eff:<24} {r.title}")
    click.echo(f"{len(rows)} rules")


@rules.command("explain")
@click.argument("rule_id")
@click.option("--rulepacks", multiple=True, type=click.Path(file_okay=False))
def rules_explain(rule_id, rulepacks):
    """Show a rule's legal basis, sources, effective dates, scope and requirements."""
    from .explain import explain

    checker = _checker((), rulepacks, None)
    rule = checker.packset.rule(rule_id)
    if rule is None:
        import difflib

        close = difflib.get_close_matches(rule_id, [r.id for r in checker.packset.rules], n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        _stderr(f"compliance-engine: no rule {rule_id}{hint}")
        sys.exit(2)
    pack = next(p for p in checker.packset.packs if p.id == rule.pack)
    click.echo(explain(rule, pack), nl=False)


@cli.group()
def packs() -> None:
    """Work with rule packs."""


@packs.command("validate")
@click.argument("directories", nargs=-1, required=True, type=click.Path(file_okay=False))
def packs_validate(directories):
    """Validate the rule packs in DIRECTORIES (schema, ids, facts, data tables) and compile them."""
    from .engine import Engine
    from .errors import InputError
    from .packs.loader import load_packs

    try:
        packset = load_packs(directories, include_builtin=False)
        Engine(packset)
    except InputError as exc:
        _fail_input(exc.problems)
    except ValueError as exc:
        _stderr(f"compliance-engine: cannot compile: {exc}")
        sys.exit(2)
    n_rules = len(packset.rules)
    for p in packset.packs:
        click.echo(f"ok  {p.id:<22} {p.version:<10} {len(p.rules):>3} rules  {p.file}")
    click.echo(f"{len(packset.packs)} packs, {n_rules} rules valid")


@cli.command()
@click.argument("kind", type=click.Choice(["product", "listing", "seller", "manifest", "rulepack", "rulepack-data", "waivers", "config"]))
def schema(kind):
    """Print the JSON Schema of a manifest kind or of the rule pack format."""
    from .schemas import schema_text

    click.echo(schema_text(kind), nl=False)


def _register() -> None:
    from .commands.bundle import bundle
    from .commands.check import check
    from .commands.documents import documents
    from .commands.packs_test import packs_test

    cli.add_command(check)
    cli.add_command(documents)
    cli.add_command(bundle)
    packs.add_command(packs_test, "test")


_register()


class _Interrupted(BaseException):
    """Ctrl-C, raised by our SIGINT handler. Not a KeyboardInterrupt: click would catch that and print a blank line."""


def _on_interrupt(signum, frame) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C does not cut the clean-up short
    raise _Interrupted


def main() -> None:
    """The console script (``compliance-engine``): :func:`run`, then exit with its status, skipping the
    interpreter's teardown when that is safe (:func:`_exit`)."""
    try:
        run()
    except SystemExit as exc:
        _exit(exc.code)
    _exit(0)


def _exit(code) -> None:
    """Exit with ``code``. Freeing every object of a run one by one (the compiled packs, the pydantic models)
    takes the interpreter ~35 ms, a seventh of a one-file check, and shows nothing to anyone; so when
    nothing is registered to run at exit (no atexit handler: --jobs registers one, so does coverage), no other
    thread runs, no tracer or profiler is attached (a debugger, cProfile: they report after the script returns)
    and both streams flush, the process ends at once. Reports written to files are already closed and renamed
    into place by then. Otherwise, and for a non-numeric status, the usual ``sys.exit``. ``python -m
    compliance_engine`` (the form tools that run a module, like memray, wrap) always exits the usual way."""
    import atexit
    import threading

    ncallbacks = getattr(atexit, "_ncallbacks", None)  # CPython's count of registered handlers
    if (isinstance(code, int) or code is None) and ncallbacks is not None and ncallbacks() == 0 \
            and threading.active_count() == 1 and sys.gettrace() is None and sys.getprofile() is None:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):  # a closed pipe or stream: let the usual exit report it as before
            sys.exit(code)
        os._exit(code or 0)
    sys.exit(code)


def run() -> None:
    """The command line on ``sys.argv``, for embedding: raises SystemExit with the exit status, as
    :func:`main` exits with it."""
    import signal

    try:
        signal.signal(signal.SIGINT, _on_interrupt)
    except ValueError:  # pragma: no cover - not the main thread (an embedding program): keep its handling
        pass
    try:
        cli.main(prog_name="compliance-engine", standalone_mode=False)
    except (_Interrupted, KeyboardInterrupt, click.exceptions.Abort):
        # the with-blocks and finally clauses on the way here removed any temporary output and stopped the workers
        _stderr("compliance-engine: interrupted")
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except SystemExit:
        raise
    except BrokenPipeError:
        sys.exit(1)
    except InputError as exc:  # found while checking, e.g. a pack's pattern that ran past its time limit
        for problem in exc.problems:
            _stderr(f"compliance-engine: {problem}")
        sys.exit(2)
    except Exception as exc:  # a bug: one line, and the traceback only on request
        if os.environ.get("COMPLIANCE_ENGINE_DEBUG"):
            raise
        _stderr(f"compliance-engine: internal error: {type(exc).__name__}: {exc} "
                "(set COMPLIANCE_ENGINE_DEBUG=1 for the traceback and please report it)")
        sys.exit(3)
