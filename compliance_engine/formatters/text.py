"""Human-readable report: grouped by file, product and market; failing rules with what is missing;
waived rules with their reason; upcoming rules (``--horizon``); a per-product checklist of documents still
required; the rule packs and their versions; one summary line, last."""

from __future__ import annotations

import textwrap

from ..findings import Finding, Report, UnitResult
from .common import pack_lines, document_text, documents_still_required, summary_line, waiver_text

_INDENT = " " * 17
_WIDTH = 110


def _wrapped(text: str, lead: str = "") -> list[str]:
    return textwrap.wrap(lead + text, _WIDTH, initial_indent=_INDENT, subsequent_indent=_INDENT + "  ",
                         break_long_words=False, break_on_hyphens=False) or [_INDENT + lead]

_COLOURS = {"red": "31", "yellow": "33", "green": "32", "bold": "1", "dim": "2", "cyan": "36"}


class _Paint:
    def __init__(self, enabled: bool):
        self.enabled = enabled

    def __call__(self, text: str, *styles: str) -> str:
        if not self.enabled or not styles:
            return text
        codes = ";".join(_COLOURS[s] for s in styles)
        return f"\x1b[{codes}m{text}\x1b[0m"


def render(report: Report, color: bool = False, verbose: bool = False, quiet: bool = False, **_: object) -> str:
    p = _Paint(color)
    if quiet:
        return _quiet(report, p)
    out: list[str] = []
    if report.errors:
        out.append(p("Input errors", "bold", "red"))
        for e in report.errors:
            out.append(f"  {e['file']}:{e['line']}: {e['message']}")
        out.append("")
    if report.warnings:
        out.append(p("Warnings", "bold", "yellow"))
        for w in report.warnings:
            out.append(f"  {w['file']}:{w['line']}: {w['message']}")
        out.append("")
    current_file = None
    for r in report.results:
        if r.file != current_file:
            if current_file is not None:
                out.append("")
            out.append(p(r.file, "bold"))
            current_file = r.file
        out.extend(_unit(r, p, verbose))
    checklist = documents_still_required(report.results)
    if checklist:
        out.append("")
        out.append(p("Documents still required", "bold"))
        for sku, items in checklist:
            out.append(f"  {p(sku, 'bold')}")
            for text, markets, rules in items:
                out.append(f"    [ ] {text}  ({', '.join(markets)}; {', '.join(rules)})")
    if report.packs:
        out.append("")
        out.extend(p(line, "dim") for line in pack_lines(report.packs))
    s = report.summary()
    errors_failed = any(f.status == "fail" and f.severity == "error" for f in report.findings)
    out.append("")
    colour = "red" if errors_failed or s["errors"] else ("yellow" if s["failed"] else "green")
    out.append(p(summary_line(report), "bold", colour))
    return "\n".join(out) + "\n"


def _quiet(report: Report, p: "_Paint") -> str:
    """Only what needs action, one self-contained block per failure (``file:line: FAIL ...``), then the pack
    versions behind those failures and a summary line that counts this run's files: readable even when
    pre-commit splits the files into chunks and prints each chunk's output one after another."""
    out: list[str] = [f"{e['file']}:{e['line']}: {p('input error', 'red')}: {e['message']}" for e in report.errors]
    out += [f"{w['file']}:{w['line']}: {p('warning', 'yellow')}: {w['message']}" for w in report.warnings]
    used: set[str] = set()
    for r in report.results:
        where = f"{r.sku} · {r.market}" + (f" · {r.marketplace}" if r.marketplace else "")
        for f in r.findings:
            if f.status != "fail":
                continue
            used.add(f.pack or "")
            tag = p(f"FAIL {f.severity}", "red" if f.severity == "error" else "yellow")
            out.append(f"{_location(f)}: {tag} {f.rule} [{where}]: {f.message}")
            out += [f"    needs {document_text(d)}" for d in f.missing_documents]
            out += [f"    missing {m}" for m in f.missing_fields]
            out += _unused_waiver(f)
    packs = [pk for pk in report.packs if pk["id"] in used]
    if packs:
        out.extend(p(line, "dim") for line in pack_lines(packs))
    files = len({r.file for r in report.results} | {e["file"] for e in report.errors})
    s = report.summary()
    errors_failed = any(f.status == "fail" and f.severity == "error" for f in report.findings)
    colour = "red" if errors_failed or s["errors"] else ("yellow" if s["failed"] else "green")
    out.append(p(f"{files} file{'s' if files != 1 else ''}, " + summary_line(report), "bold", colour))
    return "\n".join(out) + "\n"


def _unit(r: UnitResult, p: _Paint, verbose: bool) -> list[str]:
    where = f"{r.sku} · {r.market}" + (f" · {r.marketplace}" if r.marketplace else "")
    lines = [f"  {p(where, 'cyan')}"]
    passed = [f for f in r.findings if f.status == "pass"]
    waived = [f for f in r.findings if f.status == "waived"]
    for f in r.findings:
        if f.status != "fail":
            continue
        tag = p(f"FAIL {f.severity:<7}", "red" if f.severity == "error" else "yellow")
        lines.append(f"    {tag} {f.rule}  {p(_location(f), 'dim')}")
        lines.extend(_wrapped(f.message))
        for d in f.missing_documents:
            lines.extend(_wrapped(document_text(d), "needs "))
        for m in f.missing_fields:
            lines.extend(_wrapped(m, "missing "))
        if f.remediation:
            lines.extend(_wrapped(f.remediation, "fix: "))
        lines.extend(_unused_waiver(f))
    for f in passed:  # informational findings (e.g. a package's size tier) are shown, not just counted
        if f.severity == "info":
            lines.append(f"    {p('INFO', 'cyan')}         {f.rule}")
            lines.extend(_wrapped(f.message))
    for f in waived:
        lines.append(f"    {p('waived', 'dim')}       {f.rule}  {p(_location(f), 'dim')}")
        lines.extend(_wrapped(f.message))
        lines.extend(_wrapped(waiver_text(f.waiver or {}), "waived: "))
    if verbose:
        for f in passed:
            lines.append(f"    {p('pass', 'green')}         {f.rule}")
    elif passed:
        lines.append(f"    {p(f'{len(passed)} passed', 'green')}: {', '.join(f.rule for f in passed)}")
    if not r.findings:
        lines.append(f"    {p('no rule applies', 'dim')}")
    if r.upcoming is not None:
        coming = [f for f in r.upcoming if f.status == "fail"]
        for f in coming:
            lines.append(f"    {p(f'UPCOMING {f.applies_from}', 'yellow')} {f.rule}  {p(_location(f), 'dim')}")
            lines.extend(_wrapped(f.message))
            for d in f.missing_documents:
                lines.extend(_wrapped(document_text(d), "needs "))
        met = [f for f in r.upcoming if f.status != "fail"]
        if met:
            label = f"{len(met)} upcoming already met"
            lines.append(f"    {p(label, 'dim')}: {', '.join(f'{f.rule} ({f.applies_from})' for f in met)}")
    return lines


def _location(f: Finding) -> str:
    return f"{f.location['file']}:{f.location['line']}"


def _unused_waiver(f: Finding) -> list[str]:
    """A waiver that matched a failing finding but did not waive it: expired, or refused for the rule."""
    w = f.waiver
    if not w:
        return []
    where = f" ({w['file']}:{w['line']})" if w.get("file") else ""
    if w.get("expired"):
        owner = f" (owner {w['owner']})" if w.get("owner") else ""
        return _wrapped(f"{w.get('reason', '')}{owner}{where}", f"waiver expired {w.get('expires', '')}: ")
    if w.get("refused"):
        return _wrapped(waiver_text(w) + where, f"waiver refused, {w['refused']}: ")
    return []
