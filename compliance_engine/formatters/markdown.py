"""Markdown report, ready for a GitHub job summary, a pull-request comment or a wiki page.

Sections: a heading and the summary line; the rule packs and their versions (collapsed); failing findings
(severity, rule, SKU, market, marketplace, file:line and field, message, missing documents), most severe first;
waived findings with reason, owner and expiry; upcoming findings when the report looks ahead (``--horizon``); the
documents each product still needs, as a checklist; input errors and warnings. Files are relative to the
repository root.

Cell text is escaped: Markdown punctuation that could start emphasis, links, HTML or a column (``\\ ` * _ [ ] < >
| &``) gets a backslash, and line breaks become ``<br>``.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..findings import Report
from .common import (Located, by_severity, document_text, documents_still_required, line_of, located,
                     relative_file, resolve_root, summary_line)

_SPECIAL = re.compile(r"([\\`*_\[\]<>|&])")


def escape(text: object) -> str:
    """Text safe inside a table cell or list item: special characters escaped, line breaks as ``<br>``."""
    lines = ("" if text is None else str(text)).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<br>".join(_SPECIAL.sub(r"\\\1", line) for line in lines)


def table_row(cells: list[object]) -> str:
    return "| " + " | ".join(escape(c) for c in cells) + " |"


def table(header: list[str], rows: list[list[object]]) -> list[str]:
    """A Markdown table: a header row, the separator, one row per item (cells escaped)."""
    return [table_row(header), "| " + " | ".join("---" for _ in header) + " |", *(table_row(r) for r in rows)]


def _where(x: Located) -> str:
    return f"{x.file}:{x.line}" + (f" ({x.field})" if x.field else "")


def _message(x: Located) -> str:
    f = x.finding
    text = f.message
    if f.missing_fields:
        text += "\nmissing: " + "; ".join(f.missing_fields)
    if f.waiver and f.waiver.get("expired"):
        text += f"\nwaiver expired {f.waiver.get('expires', '')}: {f.waiver.get('reason', '')}"
    elif f.waiver and f.waiver.get("refused"):
        text += f"\nwaiver refused ({f.waiver['refused']}): {f.waiver.get('reason', '')}"
    return text


def render(report: Report, *, root: Path | None = None, **_: object) -> str:
    root = resolve_root(root)
    out: list[str] = ["## compliance-engine report", "", f"**{escape(summary_line(report))}**", ""]

    out += [f"<details><summary>Rule packs ({len(report.packs)})</summary>", ""]
    out += table(["Pack", "Version", "Rules"], [[p["id"], p.get("version", ""), p.get("rules", "")] for p in report.packs])
    out += ["", "</details>", ""]

    failing = by_severity(located(report, root, statuses=("fail",)))
    out += [f"### Failing findings ({len(failing)})", ""]
    if failing:
        out += table(["Severity", "Rule", "SKU", "Market", "Marketplace", "Location", "Message", "Missing documents"],
                      [[x.finding.severity, x.finding.rule, x.unit.sku, x.unit.market, x.unit.marketplace or "",
                        _where(x), _message(x), "; ".join(document_text(d) for d in x.finding.missing_documents)]
                       for x in failing])
    else:
        out.append("No finding failed.")
    out.append("")

    waived = located(report, root, statuses=("waived",))
    if waived:
        out += [f"### Waived findings ({len(waived)})", ""]
        out += table(["Rule", "SKU", "Market", "Marketplace", "Location", "Reason", "Owner", "Expires"],
                      [[x.finding.rule, x.unit.sku, x.unit.market, x.unit.marketplace or "", _where(x),
                        (x.finding.waiver or {}).get("reason", ""), (x.finding.waiver or {}).get("owner", ""),
                        (x.finding.waiver or {}).get("expires", "")] for x in waived])
        out.append("")

    if report.horizon is not None:
        upcoming = sorted(located(report, root, statuses=("fail",), upcoming=True),
                          key=lambda x: (x.finding.applies_from or "", *x.order()))
        out += [f"### Upcoming within {report.horizon} days ({len(upcoming)})", ""]
        if upcoming:
            out += table(["Applies from", "Severity", "Rule", "SKU", "Market", "Marketplace", "Location", "Message",
                           "Missing documents"],
                          [[x.finding.applies_from or "", x.finding.severity, x.finding.rule, x.unit.sku, x.unit.market,
                            x.unit.marketplace or "", _where(x), _message(x),
                            "; ".join(document_text(d) for d in x.finding.missing_documents)] for x in upcoming])
        else:
            out.append("No rule coming into force in that time fails.")
        out.append("")

    checklist = documents_still_required(report.results)
    if checklist:
        out += ["### Documents still required", ""]
        for sku, items in checklist:
            out.append(f"- **{escape(sku)}**")
            for text, markets, rules in items:
                out.append(f"  - [ ] {escape(text)} ({escape(', '.join(markets))}; {escape(', '.join(rules))})")
        out.append("")

    for title, problems in (("Input errors", report.errors), ("Warnings", report.warnings)):
        if problems:
            out += [f"### {title} ({len(problems)})", ""]
            rows = sorted(([_problem_file(p, root), line_of(p), p.get("message", "")] for p in problems),
                          key=lambda r: (str(r[0]), r[1], str(r[2])))
            out += table(["File", "Line", "Message"], rows)
            out.append("")
    return "\n".join(out)


def _problem_file(problem: dict, root: Path) -> str:
    file = str(problem.get("file") or "")
    return relative_file(file, root) if file and not file.startswith(("<", "-")) else file
