"""CSV: one row per finding, for spreadsheets and audits.

Every finding is a row (pass, fail and waived), then each unit's upcoming findings (``--horizon``) with their own
status and ``applies_from`` set. Rows follow the report: by file, SKU, market and marketplace, then rule. Files
are relative to the repository root. Cells holding several values (missing documents and fields, references) are
joined with ``"; "``. Lines end in ``\\n``; quoting is minimal (the csv module's default).

Formula injection: a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with
an apostrophe (``'``), so a spreadsheet shows it as text instead of running it as a formula. Readers that want
the exact value strip that one leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..findings import Finding, Report, UnitResult
from .common import document_text, line_of, pack_versions, relative_file, resolve_root

COLUMNS = ("file", "line", "field", "sku", "market", "marketplace", "rule", "pack", "pack_version", "status",
           "severity", "title", "message", "missing_documents", "missing_fields", "legal_basis", "references",
           "waiver_reason", "waiver_owner", "waiver_expires", "applies_from")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    """A cell value a spreadsheet will not evaluate: a leading apostrophe before a formula character."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def render(report: Report, *, root: Path | None = None, **_: object) -> str:
    root = resolve_root(root)
    versions = pack_versions(report)
    files: dict[str, str] = {}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in report.results:
        for f in [*r.findings, *(r.upcoming or [])]:
            file = str(f.location.get("file") or r.file)
            if file not in files:
                files[file] = relative_file(file, root)
            writer.writerow([neutralise(v) for v in _row(f, r, files[file], versions)])
    return buffer.getvalue()


def _row(f: Finding, r: UnitResult, file: str, versions: dict[str, str]) -> list[object]:
    pack = f.pack or f.rule.rsplit(".", 1)[0]
    waiver = f.waiver or {}
    return [file, line_of(f.location), f.location.get("field", ""), r.sku, r.market, r.marketplace or "", f.rule,
            pack, versions.get(pack, ""), f.status, f.severity, f.title, f.message,
            "; ".join(document_text(d) for d in f.missing_documents), "; ".join(f.missing_fields), f.legal_basis,
            "; ".join(f.references), waiver.get("reason", ""), waiver.get("owner", ""), waiver.get("expires", ""),
            f.applies_from or ""]
