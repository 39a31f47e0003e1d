"""`compliance-engine check`: check manifests, write one or more reports, map the outcome to an exit status.

Several reports per run: ``--format FORMAT:FILE`` names a format and its file at once; otherwise ``--format`` and
``--output`` pair by position (the n-th ``--output`` is the file of the n-th ``--format`` without a FILE). A format
without a file prints to standard output, and at most one may. An ``--output`` whose extension belongs to another
format (``--format github --format sarif --output r.sarif``) is refused rather than guessed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .common import FAIL_ON, limit_options, parse_date, run_check, settings_inputs, stderr, use_color, write_output

FORMATS = ("text", "json", "jsonl", "sarif", "junit", "github", "markdown", "csv")


EXTENSIONS = {"text": {".txt", ".log"}, "json": {".json"}, "jsonl": {".jsonl", ".ndjson"}, "sarif": {".sarif", ".json"}, "junit": {".xml"},
              "github": {".txt", ".log"}, "markdown": {".md", ".markdown"}, "csv": {".csv"}}
_KNOWN_SUFFIXES = set().union(*EXTENSIONS.values())


def _format_choice(ctx, param, values):
    out = []
    for v in values:
        name, sep, file = v.partition(":")
        if name not in FORMATS:
            raise click.BadParameter(f"'{v}' is not a format; use one of {', '.join(FORMATS)}, optionally as FORMAT:FILE")
        if sep and not file:
            raise click.BadParameter(f"'{v}' names no file after the colon")
        out.append((name, file or None))
    return tuple(out)


def plan_outputs(formats: list, outputs: list[str | None]) -> list[tuple[str, str | None]]:
    """Pair formats with outputs; raises click.UsageError when the pairing is ambiguous.

    ``formats`` holds names or (name, file) pairs (``--format sarif:r.sarif``); ``outputs`` go, in order, to the
    formats that have no file of their own."""
    pairs = [f if isinstance(f, tuple) else (f, None) for f in formats] or [("text", None)]
    open_slots = [i for i, (_, file) in enumerate(pairs) if file is None]
    if len(outputs) > len(open_slots):
        raise click.UsageError(f"{len(outputs)} --output option(s) but only {len(open_slots)} --format option(s) without a file; "
                               "the n-th --output is the file of the n-th --format (or write --format FORMAT:FILE)")
    for slot, out in zip(open_slots, outputs):
        pairs[slot] = (pairs[slot][0], out)
        suffix = Path(out).suffix.lower() if out not in (None, "-") else ""
        fmt = pairs[slot][0]
        if suffix in _KNOWN_SUFFIXES and suffix not in EXTENSIONS[fmt]:
            raise click.UsageError(f"--output {out} is paired with --format {fmt} (the n-th --output is the file of the "
                                   f"n-th --format); put the formats that write files first, or write --format FORMAT:{out}")
    plan = [(f, o if o not in (None, "-") else None) for f, o in pairs]
    to_stdout = [f for f, o in plan if o is None]
    if len(to_stdout) > 1:
        raise click.UsageError(f"formats {', '.join(to_stdout)} would all print to standard output; "
                               "give all but one of them an --output FILE")
    seen: dict[Path, str] = {}
    for f, o in plan:
        if o is None:
            continue
        target = Path(o).resolve()
        if target in seen:
            raise click.UsageError(f"--output {o} is given for both {seen[target]} and {f}")
        seen[target] = f
    return plan


@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--market", "markets", multiple=True, help="Only check these markets (country codes; EU and SEA expand). Repeatable.")
@click.option("--pack", "packs", multiple=True, help="Only report rules of these packs (id or prefix: eu.gpsr, us., sea). Repeatable.")
@click.option("--rulepacks", multiple=True, type=click.Path(file_okay=False), help="Also load the rule packs in this directory. Repeatable.")
@click.option("--as-of", callback=parse_date, help="Check as of this date (YYYY-MM-DD); decides which rules are in force. Default: today.")
@click.option("--format", "formats", multiple=True, callback=_format_choice, metavar="FORMAT[:FILE]",
              help=f"Report format ({'|'.join(FORMATS)}), optionally with its file; repeatable for several reports "
                   "in one run. Default: text.")
@click.option("--output", "-o", "outputs", multiple=True,
              help="Write the n-th --format's report to this file (atomically) instead of standard output. Repeatable.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default=None,
              help="Exit 1 when a finding of this severity or higher fails. Default: error.")
@click.option("--waivers", "waivers_file", type=click.Path(dir_okay=False), help="A central waivers file (YAML).")
@click.option("--no-waivers", is_flag=True, help="Audit mode: report as if no waiver existed (manifest or central).")
@click.option("--horizon", type=click.IntRange(min=0), default=None,
              help="Also report rules that come into force (or escalate) within DAYS as `upcoming` (never fails the run).")
@click.option("--jobs", "-j", default="1", metavar="N|auto",
              help="Load and check in N worker processes (auto: one per core); the report is the same. Default: 1.")
@click.option("--verbose", "-v", is_flag=True, help="Text format: list passing rules one per line.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar; the text report shows only failures and the summary.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour the text report: auto = only on a terminal and never when NO_COLOR is set.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Read this configuration file instead of searching for one.")
@click.option("--show-config", is_flag=True, help="Print every setting, its value and where it came from; check nothing.")
@limit_options
def check(paths, markets, packs, rulepacks, as_of, formats, outputs, fail_on, waivers_file, no_waivers, horizon,
          jobs, verbose, quiet, color, config_file, show_config, limits):
    """Check the manifests in PATHS (files or directories; default: `paths` from the configuration)."""
    from .settings import input_limits, settings_for_check

    settings = settings_for_check(config_file, {
        "paths": paths, "packs": packs, "markets": markets, "fail-on": fail_on, "rulepacks": rulepacks,
        "waivers": waivers_file, "formats": _cli_formats(formats, outputs), "horizon": horizon, "limits": limits})
    if show_config:
        from ..config import show_config as render_config

        click.echo(render_config(settings), nl=False)
        sys.exit(0)
    paths = list(settings.value("paths"))
    if not paths:
        raise click.UsageError("no PATHS given and no `paths` in the configuration (see --show-config)")
    limits = input_limits(settings)
    plan = [(f["format"], f.get("output")) for f in settings.value("formats")]
    from ..pipeline import resolve_jobs

    try:
        n_jobs = resolve_jobs(jobs)
    except ValueError:
        raise click.BadParameter(f"'{jobs}' is not a number of jobs; use a positive number or auto",
                                 param_hint="--jobs") from None
    from ..progress import ProgressBar, progress_wanted

    bar = ProgressBar(sys.stderr) if progress_wanted(sys.stderr, quiet) else None
    if [f for f, _ in plan] == ["jsonl"]:
        _stream_jsonl(settings, paths, as_of, no_waivers, plan[0][1], n_jobs, bar, limits)
    try:
        checker, loaded, report = run_check(
            paths, packs=settings.value("packs"), rulepacks=settings.value("rulepacks"), as_of=as_of,
            markets=settings.value("markets"), waivers=settings.value("waivers"), use_waivers=not no_waivers,
            horizon=settings.value("horizon"), progress=bar, jobs=n_jobs, limits=limits)
    finally:
        if bar is not None:
            bar.close()
    from .. import formatters
    from ..paths import repo_root

    root = repo_root()
    inputs = [m.path for m in loaded.manifests if m.path is not None] + settings_inputs(settings)
    text_on_stdout = False
    for fmt, output in plan:
        render = formatters.get(fmt)
        on_stdout = output in (None, "-")
        text = render(report, color=use_color(color, sys.stdout) if on_stdout else False, verbose=verbose, quiet=quiet,
                      rules=checker.selected_rules, root=root)
        write_output(text, output, inputs)
        if fmt == "text" and on_stdout:
            text_on_stdout = True
        if fmt == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
            from ..formatters.github import write_step_summary

            try:
                write_step_summary(report, os.environ["GITHUB_STEP_SUMMARY"])
            except OSError as exc:
                stderr(f"compliance-engine: cannot write the job summary {os.environ['GITHUB_STEP_SUMMARY']}: "
                       f"{exc.strerror or exc}")
                sys.exit(2)
    if not text_on_stdout:  # the text report on stdout already lists them
        for e in report.errors:
            stderr(f"compliance-engine: {e['file']}:{e['line']}: {e['message']}")
    sys.exit(report.exit_code(settings.value("fail-on")))


def _cli_formats(formats, outputs):
    """The command line's --format/--output pairs as config-style entries (None when neither is given)."""
    if not formats and not outputs:
        return None
    return [{"format": f, "output": o} for f, o in plan_outputs(list(formats), list(outputs))]


def _stream_jsonl(settings, paths, as_of, no_waivers, output, jobs, bar, limits) -> None:
    """``--format jsonl`` alone: write each record as its file is checked (memory stays flat); exits."""
    from ..formatters import jsonl
    from ..streaming import stream_check
    from .common import make_checker

    checker = make_checker(settings.value("packs"), settings.value("rulepacks"), as_of, settings.value("waivers"),
                           not no_waivers)
    horizon = settings.value("horizon")
    sink, target, tmp = sys.stdout, None, None
    if output is not None:
        target = Path(output).resolve()
        from .common import would_read

        # results name only product files: a seller, listing or broken manifest, the waivers or the configuration
        # file would be overwritten unseen
        if target.is_file() and (target in settings_inputs(settings) or would_read(target, paths)):
            raise click.UsageError(f"--output {output} is one of the input files; refusing to overwrite it")
        special = target.exists() and not target.is_file()  # /dev/null, a pipe: written directly
        tmp = None if special else target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            sink = open(target if special else tmp, "w", encoding="utf-8")
        except OSError as exc:
            stderr(f"compliance-engine: cannot write {output}: {exc.strerror or exc}")
            sys.exit(2)
    counts = None
    last_file = None
    try:
        sink.write(jsonl.header(checker.as_of.isoformat(), checker.pack_summaries, horizon))
        for kind, obj in stream_check(checker, paths, markets=settings.value("markets"), horizon=horizon,
                                      progress=bar, jobs=jobs, encode=jsonl.result_record, limits=limits):
            if kind == "counts":
                counts = obj
                continue
            if kind == "result":
                if target is not None and obj.file != last_file:  # a file's results come together
                    last_file = obj.file
                    if Path(obj.file).resolve() == target:
                        raise click.UsageError(f"--output {output} is one of the input files; refusing to overwrite it")
                sink.write(obj.text)
                continue
            if kind == "error" and output is not None:
                stderr(f"compliance-engine: {obj}")
            sink.write(jsonl.record(kind, obj))
        sink.write(jsonl.summary(counts.summary(horizon)))
        if output is not None:
            sink.close()
        if tmp is not None:
            os.replace(tmp, target)
    finally:
        if bar is not None:
            bar.close()
        if output is not None and not sink.closed:
            sink.close()
        if tmp is not None:
            tmp.unlink(missing_ok=True)
    sys.exit(counts.exit_code(settings.value("fail-on")))
