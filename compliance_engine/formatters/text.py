"""Human-readable report: grouped by file, product and market; failing rules with what is missing;
a per-product checklist of documents still required; one summary line."""

from __future__ import annotations

import textwrap

from ..findings import Report, UnitResult

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


def _doc_text(d: dict) -> str:
    kind = "registration " if d.get("kind") == "registration" else ""
    return f"{kind}{d['type']}" + (f" ({d['detail']})" if d.get("detail") else "")


def render(report: Report, color: bool = False, verbose: bool = False, **_: object) -> str:
    p = _Paint(color)
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
    checklist = _checklist(report.results)
    if checklist:
        out.append("")
        out.append(p("Documents still required", "bold"))
        for sku, items in checklist:
            out.append(f"  {p(sku, 'bold')}")
            for text, markets, rules in items:
                out.append(f"    [ ] {text}  ({', '.join(markets)}; {', '.join(rules)})")
    s = report.summary()
    fails = [f for f in report.findings if f.status == "fail"]
    by_sev = {sev: sum(f.severity == sev for f in fails) for sev in ("error", "warning", "info")}
    sev_text = ", ".join(f"{n} {k}{'s' if n != 1 else ''}" for k, n in by_sev.items() if n)
    line = (f"{s['checked']} check unit{'s' if s['checked'] != 1 else ''}, {s['findings']} findings: "
            f"{s['passed']} passed, {s['failed']} failed" + (f" ({sev_text})" if sev_text else "") +
            (f", {s['waived']} waived" if s["waived"] else "") +
            (f", {s['errors']} input error{'s' if s['errors'] != 1 else ''}" if s["errors"] else "") +
            f"; as of {report.as_of}")
    out.append("")
    colour = "red" if by_sev["error"] or s["errors"] else ("yellow" if s["failed"] else "green")
    out.append(p(line, "bold", colour))
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
        lines.append(f"    {tag} {f.rule}  {p(str(f.location['file']) + ':' + str(f.location['line']), 'dim')}")
        lines.extend(_wrapped(f.message))
        for d in f.missing_documents:
            lines.extend(_wrapped(_doc_text(d), "needs "))
        for m in f.missing_fields:
            lines.extend(_wrapped(m, "missing "))
        if f.remediation:
            lines.extend(_wrapped(f.remediation, "fix: "))
    for f in passed:  # informational findings (e.g. a package's size tier) are shown, not just counted
        if f.severity == "info":
            lines.append(f"    {p('INFO', 'cyan')}         {f.rule}")
            lines.extend(_wrapped(f.message))
    for f in waived:
        lines.append(f"    {p('waived', 'dim')}       {f.rule}  {f.message}")
    if verbose:
        for f in passed:
            lines.append(f"    {p('pass', 'green')}         {f.rule}")
    elif passed:
        lines.append(f"    {p(f'{len(passed)} passed', 'green')}: {', '.join(f.rule for f in passed)}")
    if not r.findings:
        lines.append(f"    {p('no rule applies', 'dim')}")
    return lines


def _checklist(results: list[UnitResult]):
    by_sku: dict[str, dict[str, tuple[list[str], list[str]]]] = {}
    for r in results:
        for f in r.findings:
            if f.status != "fail":
                continue
            for d in f.missing_documents:
                text = _doc_text(d)
                markets, rules = by_sku.setdefault(r.sku, {}).setdefault(text, ([], []))
                if r.market not in markets:
                    markets.append(r.market)
                if f.rule not in rules:
                    rules.append(f.rule)
    return [(sku, [(t, m, rl) for t, (m, rl) in sorted(items.items())]) for sku, items in sorted(by_sku.items())]
