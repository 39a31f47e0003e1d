"""GitHub Actions workflow commands: one annotation per failing finding, on the manifest line it is about.

``::error file=F,line=L,title=RULE::message`` for error findings, ``::warning`` for warnings, ``::notice`` for
info. Input errors come first (``::error`` with their file and line), then findings by severity (GitHub shows at
most 10 annotations per level per step, so the most severe are the ones kept), then by file, line and rule; the
report's warnings (expired waivers, unknown keys) follow as ``::warning``. Files are relative to the repository
root. Messages are escaped as the runner expects (``%`` ``\\r`` ``\\n`` in the message; also ``:`` and ``,`` in
properties).

Waived findings are not annotations; they are listed in a collapsed log group, as are the pack versions, and in
the job summary. The job summary is the Markdown report (``formatters.markdown``); ``render`` stays pure, so the
command line appends it with :func:`write_step_summary` when ``GITHUB_STEP_SUMMARY`` names a file.
"""

from __future__ import annotations

from pathlib import Path

from ..findings import Report
from .common import (by_severity, failure_details, line_of, located, relative_file, resolve_root, summary_line,
                     unit_name, waiver_text)

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: object) -> str:
    """One workflow command line: ``::name k=v,k=v::message`` (properties escaped, ``None`` ones left out)."""
    props = ",".join(f"{k}={escape_property(str(v))}" for k, v in properties.items() if v is not None)
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def render(report: Report, *, root: Path | None = None, **_: object) -> str:
    root = resolve_root(root)
    out: list[str] = []
    for e in sorted(report.errors, key=lambda e: (str(e.get("file", "")), line_of(e), str(e.get("message", "")))):
        out.append(_problem("error", e, root, "input error"))
    for x in by_severity(located(report, root, statuses=("fail",))):
        f = x.finding
        text = f"{unit_name(x.unit)}: {f.message}"
        details = failure_details(f)
        out.append(command(COMMANDS.get(f.severity, "warning"), "\n".join([text, *details]),
                           file=x.file, line=x.line, title=f.rule))
    for w in sorted(report.warnings, key=lambda w: (str(w.get("file", "")), line_of(w), str(w.get("message", "")))):
        out.append(_problem("warning", w, root, "compliance-engine warning"))
    waived = located(report, root, statuses=("waived",))
    if waived:
        out.append(f"::group::Waived findings ({len(waived)})")
        for x in waived:
            out.append(f"waived {x.finding.rule} {unit_name(x.unit)} {x.file}:{x.line}: "
                       f"{waiver_text(x.finding.waiver or {})}")
        out.append("::endgroup::")
    out.append(f"::group::Rule packs ({len(report.packs)})")
    out.extend(f"{p['id']} {p.get('version', '')}" for p in report.packs)
    out.append("::endgroup::")
    out.append(f"compliance-engine: {summary_line(report)}")
    return "\n".join(out) + "\n"


def _problem(level: str, problem: dict, root: Path, title: str) -> str:
    file = str(problem.get("file") or "")
    message = str(problem.get("message", ""))
    if not file or file.startswith(("<", "-")):
        return command(level, f"{file}: {message}" if file else message, title=title)
    return command(level, message, file=relative_file(file, root), line=line_of(problem), title=title)


def write_step_summary(report: Report, path: str | Path, *, root: Path | None = None) -> None:
    """Append the Markdown report to the job summary file (``GITHUB_STEP_SUMMARY``), on a line of its own.
    Raises OSError when the file cannot be written."""
    from .markdown import render as markdown

    text = markdown(report, root=root)
    target = Path(path)
    if target.exists() and target.stat().st_size and not target.read_bytes().endswith(b"\n"):
        text = "\n" + text
    with open(target, "a", encoding="utf-8") as fh:
        fh.write(text)
