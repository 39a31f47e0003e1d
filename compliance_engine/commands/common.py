"""Helpers shared by the command modules: messages on stderr, exit 2 on input problems, atomic output."""

from __future__ import annotations

import datetime as dt
import gc
import os
import sys
from pathlib import Path

import click

from ..limits import LIMIT_NAMES, least

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
    except BaseException:  # Ctrl-C during the write: the temporary file goes too
        tmp.unlink(missing_ok=True)
        raise


def settings_inputs(settings) -> list[Path]:
    """The configuration and central waivers files of a run: inputs that --output must never overwrite."""
    inputs = [settings.config.file.resolve()] if settings.config is not None else []
    if settings.value("waivers"):
        inputs.append(Path(settings.value("waivers")).resolve())
    return inputs


def would_read(target: Path, paths) -> bool:
    """Whether a check of ``paths`` reads ``target`` as a manifest (a path given, or a manifest-named file, not
    hidden, under a directory given): for refusing, before anything is read, an --output that would overwrite it."""
    from ..loading import MANIFEST_SUFFIXES

    for raw in paths:
        p = Path(raw).resolve()
        if target == p:
            return True
        if p.is_dir() and target.name.endswith(MANIFEST_SUFFIXES) and target.is_relative_to(p) \
                and not any(part.startswith(".") for part in target.relative_to(p).parts):
            return True
    return False


def make_checker(packs, rulepacks, as_of, waivers=None, use_waivers: bool = True):
    """A Checker for the command line; a bad pack, --pack or waivers file is exit 2 with file:line."""
    from ..checker import Checker
    from ..errors import InputError

    try:
        return Checker(packs=packs or None, as_of=as_of, rulepacks=rulepacks, waivers=waivers, use_waivers=use_waivers)
    except InputError as exc:  # PackError included
        fail_input(exc.problems)
    finally:
        gc.enable()  # disabled for start-up by the command group (cli.py)


def run_check(paths, *, packs=(), rulepacks=(), as_of=None, markets=(), waivers=None, use_waivers: bool = True,
              horizon: int | None = None, progress=None, jobs: int = 1, limits=None):
    """Load ``paths`` and check them: returns (checker, loaded, report), the report filtered to ``markets``.
    ``jobs`` > 1 loads and checks in that many worker processes (the same report, byte for byte). ``limits``
    (an InputLimits, from the --max-* flags) bounds each input file; None means the documented defaults.

    Used by check, documents and bundle so that all three see the same findings (waivers included)."""
    from ..loading import load_manifests

    checker = make_checker(packs, rulepacks, as_of, waivers, use_waivers)
    if jobs > 1:
        from ..pipeline import check_parallel

        report, loaded = check_parallel(checker, paths, jobs, horizon=horizon, markets=markets, progress=progress,
                                        limits=limits)
        return checker, loaded, report
    loaded = load_manifests(paths, limits)
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


class _Size(click.ParamType):
    name = "SIZE"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        from ..limits import parse_size

        try:
            return parse_size(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


class _Count(click.ParamType):
    name = "N"

    def __init__(self, least: int):
        self.least = least

    def convert(self, value, param, ctx):
        try:
            number = value if isinstance(value, int) and not isinstance(value, bool) else int(str(value).strip(), 10)
        except ValueError:
            self.fail(f"'{value}' is not a whole number", param, ctx)
        if number < self.least:
            self.fail(f"{number} is less than {self.least}", param, ctx)
        return number


# (InputLimits field, type, help): the limits on one input file, see docs/input-limits.md; each flag is named
# like its configuration key (limits.LIMIT_NAMES)
LIMIT_FLAGS = (
    ("max_file_bytes", _Size(), "Refuse an input file larger than SIZE (20MiB, 50MB, 512K). Default: 20MiB."),
    ("max_depth", _Count(least("max_depth")), "Refuse an input nested deeper than N lists/mappings. Default: 64."),
    ("max_nodes", _Count(least("max_nodes")),
     "Refuse an input file with more than N YAML nodes (keys and values, aliases expanded). Default: 250,000."),
    ("max_aliases", _Count(least("max_aliases")),
     "Refuse a YAML document that expands more than N aliases (*name); 0 forbids aliases. Default: 1,000."),
    ("max_documents", _Count(least("max_documents")),
     "Refuse an input file with more than N documents. Default: 10,000."),
    ("max_value_chars", _Count(least("max_value_chars")),
     "Refuse a single value longer than N characters. Default: 100,000."),
)


def limit_options(command):
    """Add the --max-* flags to a command; it receives the flags given as ``limits``, a mapping in configuration
    spelling (``{"max-depth": 32}``) for settings_for_check to merge over the configuration's ``limits``."""
    import functools

    @functools.wraps(command)
    def with_limits(*args, **kwargs):
        given = {LIMIT_NAMES[field]: kwargs.pop(field) for field, _, _ in LIMIT_FLAGS}
        kwargs["limits"] = {k: v for k, v in given.items() if v is not None}  # merged over the configuration's
        return command(*args, **kwargs)

    for field, kind, text in reversed(LIMIT_FLAGS):
        with_limits = click.option(f"--{LIMIT_NAMES[field]}", field, type=kind, default=None, help=text)(with_limits)
    return with_limits
