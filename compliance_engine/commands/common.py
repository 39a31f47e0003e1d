"""Helpers shared by the command modules: messages on stderr, exit 2 on input problems, atomic output."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

FAIL_ON = ("error", "warning", "info", "never")


def parse_date(ctx, param, value):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date; use YYYY-MM-DD") from None


def stderr(message: str) -> None:
    click.echo(message, err=True)


def fail_input(problems) -> None:
    for p in problems:
        stderr(f"compliance-engine: {p}")
    sys.exit(2)


def use_color(mode: str, stream) -> bool:
    if mode != "auto":
        return mode == "always"
    if os.environ.get("NO_COLOR", "") != "":
        return False
    return hasattr(stream, "isatty") and stream.isatty() and os.environ.get("TERM") != "dumb"


def write_output(text: str | bytes, output: str | None, inputs: list[Path]) -> None:
    """Print ``text``, or write it to ``output`` atomically (a temporary file renamed over the target).

    Refuses (exit 2) to write over one of ``inputs``; a write error is exit 2 with the reason."""
    if output is None or output == "-":
        click.echo(text, nl=False, color=True)  # colour codes are only present when wanted
        return
    target = Path(output).resolve()
    if target.exists() and not target.is_file():  # /dev/null, a pipe: nothing to replace atomically
        try:
            with open(target, "wb" if isinstance(text, bytes) else "w") as fh:
                fh.write(text)
        except OSError as exc:
            stderr(f"compliance-engine: cannot write {output}: {exc.strerror or exc}")
            sys.exit(2)
        return
    for src in inputs:
        if target == src:
            stderr(f"compliance-engine: --output {output} is one of the input files; refusing to overwrite it")
            sys.exit(2)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        if isinstance(text, bytes):
            tmp.write_bytes(text)
        else:
            tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        stderr(f"compliance-engine: cannot write {output}: {exc.strerror or exc}")
        sys.exit(2)


def make_checker(packs, rulepacks, as_of, waivers=None, use_waivers: bool = True):
    """A Checker for the command line; a bad pack, --pack or waivers file is exit 2 with file:line."""
    from ..checker import Checker
    from ..errors import InputError

    try:
        return Checker(packs=packs or None, as_of=as_of, rulepacks=rulepacks, waivers=waivers, use_waivers=use_waivers)
    except InputError as exc:  # PackError included
        fail_input(exc.problems)


def run_check(paths, *, packs=(), rulepacks=(), as_of=None, markets=(), waivers=None, use_waivers: bool = True,
              horizon: int | None = None, progress=None, jobs: int = 1):
    """Load ``paths`` and check them: returns (checker, loaded, report), the report filtered to ``markets``.
    ``jobs`` > 1 loads and checks in that many worker processes (the same report, byte for byte).

    Used by check, documents and bundle so that all three see the same findings (waivers included)."""
    from ..loading import load_manifests

    checker = make_checker(packs, rulepacks, as_of, waivers, use_waivers)
    if jobs > 1:
        from ..pipeline import check_parallel

        report, loaded = check_parallel(checker, paths, jobs, horizon=horizon, markets=markets, progress=progress)
        return checker, loaded, report
    loaded = load_manifests(paths)
    report = checker.check_loaded(loaded, horizon=horizon, progress=progress, markets=markets)
    return checker, loaded, report


def stop_on_input_errors(report) -> None:
    """For commands that act on a complete picture (documents, bundle): print the report's input errors as
    ``file:line: message`` and exit 2; print its warnings and carry on."""
    if report.errors:
        for e in report.errors:
            stderr(f"compliance-engine: {e['file']}:{e['line']}: {e['message']}")
        sys.exit(2)
    for w in report.warnings:
        stderr(f"compliance-engine: warning: {w['file']}:{w['line']}: {w['message']}")
