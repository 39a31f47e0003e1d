"""JSON Lines, written as the run goes (``check --format jsonl``): one JSON object per line.

``{"type": "run", "report_version": 1, "tool": {...}, "as_of": ..., "packs": [...]}`` first; then, in the order
the files are checked, ``{"type": "result", ...}`` per check unit (the fields of a JSON report result),
``{"type": "error", "file", "line", "message"}`` and ``{"type": "warning", ...}`` per input problem; last
``{"type": "summary", "summary": {...}}`` (the JSON report's summary). Each line is compact and its keys keep
the JSON report's order, so the same input gives byte-identical output.
"""

from __future__ import annotations

import json
from typing import Any

from ..findings import Report


def line(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n"


def header(as_of: str, packs: list[dict], horizon: int | None) -> str:
    from ..version import __version__

    out: dict[str, Any] = {"type": "run", "report_version": 1, "tool": {"name": "compliance-engine", "version": __version__},
                           "as_of": as_of}
    if horizon is not None:
        out["horizon_days"] = horizon
    out["packs"] = packs
    return line(out)


def record(kind: str, obj: Any) -> str:
    if kind == "result":
        return result_record(obj)
    return line({"type": kind, **obj.to_dict()})


def result_record(result) -> str:
    """One check unit's record (picklable: ``stream_check(encode=...)`` runs it in worker processes)."""
    return line({"type": "result", **result.to_dict()})


def summary(counts: dict) -> str:
    return line({"type": "summary", "summary": counts})


def render(report: Report, **_: object) -> str:
    """The same records from a finished report (used when jsonl is one of several formats)."""
    parts = [header(report.as_of, report.packs, report.horizon)]
    parts += [line({"type": "error", **e}) for e in report.errors]
    parts += [line({"type": "warning", **w}) for w in report.warnings]
    parts += [record("result", r) for r in report.results]
    parts.append(summary(report.summary()))
    return "".join(parts)
