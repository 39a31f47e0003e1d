"""The command line: parse options, call the library, pick a formatter, map to exit codes.

Exit codes of ``check``: 0 nothing failed at or above ``--fail-on``; 1 something did; 2 an input or a
rule pack could not be read or is invalid (or the command line is wrong); 3 an internal error;
130 interrupted.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

from .version import __version__

FAIL_ON = ("error", "warning", "info", "never")


def _date(ctx, param, value):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date; use YYYY-MM-DD") from None


def _stderr(message: str) -> None:
    click.echo(message, err=True)


def _fail_input(problems) -> None:
    for p in problems:
        _stderr(f"compliance-engine: {p}")
    sys.exit(2)


def _use_color(mode: str, stream) -> bool:
    if mode != "auto":
        return mode == "always"
    if os.environ.get("NO_COLOR", "") != "":
        return False
    return hasattr(stream, "isatty") and stream.isatty() and os.environ.get("TERM") != "dumb"


def _write_output(text: str, output: str | None, inputs: list[Path]) -> None:
    if output is None or output == "-":
        click.echo(text, nl=False, color=True)  # colour codes are only present when wanted
        return
    target = Path(output).resolve()
    for src in inputs:
        if target == src:
            _stderr(f"compliance-engine: --output {output} is one of the input files; refusing to overwrite it")
            sys.exit(2)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        _stderr(f"compliance-engine: cannot write {output}: {exc.strerror or exc}")
        sys.exit(2)


def _checker(packs, rulepacks, as_of):
    from .checker import Checker
    from .errors import InputError

    try:
        return Checker(packs=packs or None, as_of=as_of, rulepacks=rulepacks)
    except InputError as exc:  # PackError included
        _fail_input(exc.problems)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="compliance-engine")
def cli() -> None:
    """Check product, listing and seller manifests against EU, GB, US and South-East Asian rule packs."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--market", "markets", multiple=True, help="Only check these markets (country codes; EU and SEA expand). Repeatable.")
@click.option("--pack", "packs", multiple=True, help="Only report rules of these packs (id or prefix: eu.gpsr, us., sea). Repeatable.")
@click.option("--rulepacks", multiple=True, type=click.Path(file_okay=False), help="Also load the rule packs in this directory. Repeatable.")
@click.option("--as-of", callback=_date, help="Check as of this date (YYYY-MM-DD); decides which rules are in force. Default: today.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--output", "-o", help="Write the report to this file (atomically) instead of standard output.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True,
              help="Exit 1 when a finding of this severity or higher fails.")
@click.option("--verbose", "-v", is_flag=True, help="Text format: list passing rules one per line.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour the text report: auto = only on a terminal and never when NO_COLOR is set.")
def check(paths, markets, packs, rulepacks, as_of, fmt, output, fail_on, verbose, color):
    """Check the manifests in PATHS (files or directories)."""
    from .loading import load_manifests
    from .markets import expand_markets

    checker = _checker(packs, rulepacks, as_of)
    loaded = load_manifests(paths)
    report = checker.check_loaded(loaded)
    if markets:
        wanted = set(expand_markets(m.upper() for m in markets))
        report.results = [r for r in report.results if r.market in wanted]
    from . import formatters

    render = formatters.get(fmt)
    text = render(report, color=_use_color(color, sys.stdout) if output in (None, "-") else False, verbose=verbose)
    _write_output(text, output, [m.path for m in loaded.manifests if m.path is not None])
    if fmt != "text" or output not in (None, "-"):  # the text report on stdout already lists them
        for e in report.errors:
            _stderr(f"compliance-engine: {e['file']}:{e['line']}: {e['message']}")
    sys.exit(report.exit_code(fail_on))


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
@click.argument("kind", type=click.Choice(["product", "listing", "seller", "rulepack"]))
def schema(kind):
    """Print the JSON Schema of a manifest kind or of the rule pack format."""
    from .schemas import schema_text

    click.echo(schema_text(kind), nl=False)


def main() -> None:
    try:
        cli.main(prog_name="compliance-engine", standalone_mode=False)
    except click.exceptions.Abort:
        _stderr("compliance-engine: interrupted")
        sys.exit(130)
    except KeyboardInterrupt:
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
    except Exception as exc:  # a bug: one line, and the traceback only on request
        if os.environ.get("COMPLIANCE_ENGINE_DEBUG"):
            raise
        _stderr(f"compliance-engine: internal error: {type(exc).__name__}: {exc} "
                "(set COMPLIANCE_ENGINE_DEBUG=1 for the traceback and please report it)")
        sys.exit(3)
