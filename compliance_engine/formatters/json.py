"""The JSON report of shared/spec/report.md: sorted, byte-identical for the same input."""

from __future__ import annotations

import json

from ..findings import Report


def render(report: Report, **_: object) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
