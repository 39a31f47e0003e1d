"""What several formats share: repository-relative locations, how a document or a waiver reads, the checklist
of documents still required, and one deterministic order of findings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..findings import SEVERITY_RANK, Finding, Report, UnitResult


def resolve_root(root: Path | str | None) -> Path:
    """``root`` as given, else the repository root above the working directory."""
    if root is not None:
        return Path(root)
    from ..paths import repo_root

    return repo_root()


def relative_file(file: str, root: Path) -> str:
    """A reported file name relative to ``root`` (POSIX), absolute when outside it; pseudo-files unchanged."""
    from ..paths import repo_relative

    return repo_relative(file, root)


def line_of(location: dict) -> int:
    """The 1-based line of a location (1 when unknown)."""
    line = location.get("line")
    return line if isinstance(line, int) and line >= 1 else 1


def document_text(d: dict) -> str:
    """A missing document as people read it: ``registration epr-packaging (DE)``, ``test-report (EN 71-1)``."""
    kind = "registration " if d.get("kind") == "registration" else ""
    return f"{kind}{d['type']}" + (f" ({d['detail']})" if d.get("detail") else "")


def waiver_text(waiver: dict) -> str:
    """``reason (owner X, expires 2026-12-31)``: the reason first, then whatever else the waiver says."""
    extra = []
    if waiver.get("owner"):
        extra.append(f"owner {waiver['owner']}")
    if waiver.get("expires"):
        extra.append(f"expires {waiver['expires']}")
    return str(waiver.get("reason", "")) + (f" ({', '.join(extra)})" if extra else "")


def failure_details(f: Finding) -> list[str]:
    """What a failing finding asks for, one line each: needed documents, missing fields, an expired or refused
    waiver, and the fix."""
    lines = [f"needs {document_text(d)}" for d in f.missing_documents] + [f"missing {m}" for m in f.missing_fields]
    if f.waiver and f.waiver.get("expired"):
        lines.append(f"waiver expired: {waiver_text(f.waiver)}")
    elif f.waiver and f.waiver.get("refused"):
        lines.append(f"waiver refused ({f.waiver['refused']}): {waiver_text(f.waiver)}")
    if f.remediation:
        lines.append(f"fix: {f.remediation}")
    return lines


def unit_name(r: UnitResult, separator: str = " · ") -> str:
    """``SKU · MARKET · marketplace`` (the marketplace only when there is one)."""
    return separator.join([r.sku, r.market] + ([r.marketplace] if r.marketplace else []))


@dataclass(frozen=True)
class Located:
    """One finding with its check unit and its repository-relative file."""

    finding: Finding
    unit: UnitResult
    file: str
    line: int
    field: str | None

    def order(self) -> tuple:
        return (self.file, self.line, self.finding.rule, self.unit.sku, self.unit.market, self.unit.marketplace or "")


def located(report: Report, root: Path, statuses: tuple[str, ...] = ("fail", "waived"), upcoming: bool = False) -> list[Located]:
    """The report's findings with one of ``statuses`` (the ``upcoming`` ones instead when asked), sorted by
    file, line, rule, SKU, market and marketplace."""
    out = []
    cache: dict[str, str] = {}
    for r in report.results:
        for f in (r.upcoming or []) if upcoming else r.findings:
            if f.status not in statuses:
                continue
            file = str(f.location.get("file") or r.file)
            if file not in cache:
                cache[file] = relative_file(file, root)
            out.append(Located(f, r, cache[file], line_of(f.location), f.location.get("field")))
    return sorted(out, key=Located.order)


def by_severity(items: list[Located]) -> list[Located]:
    """Highest severity first, then by location (stable)."""
    return sorted(items, key=lambda x: (-SEVERITY_RANK.get(x.finding.severity, 0), *x.order()))


def documents_still_required(results: list[UnitResult]) -> list[tuple[str, list[tuple[str, list[str], list[str]]]]]:
    """Per SKU (sorted), the documents its failing findings miss: (document text, markets, rules), sorted by text."""
    by_sku: dict[str, dict[str, tuple[list[str], list[str]]]] = {}
    for r in results:
        for f in r.findings:
            if f.status != "fail":
                continue
            for d in f.missing_documents:
                markets, rules = by_sku.setdefault(r.sku, {}).setdefault(document_text(d), ([], []))
                if r.market not in markets:
                    markets.append(r.market)
                if f.rule not in rules:
                    rules.append(f.rule)
    return [(sku, [(t, m, rl) for t, (m, rl) in sorted(items.items())]) for sku, items in sorted(by_sku.items())]


def summary_line(report: Report) -> str:
    """``19 check units, 275 findings: 237 passed, 38 failed (30 errors, 8 warnings), 2 waived; as of 2026-11-24``."""
    s = report.summary()
    fails = [f for f in report.findings if f.status == "fail"]
    by_sev = {sev: sum(f.severity == sev for f in fails) for sev in ("error", "warning", "info")}
    sev_text = ", ".join(f"{n} {k}{'s' if n != 1 else ''}" for k, n in by_sev.items() if n)
    return (f"{s['checked']} check unit{'s' if s['checked'] != 1 else ''}, {s['findings']} findings: "
            f"{s['passed']} passed, {s['failed']} failed" + (f" ({sev_text})" if sev_text else "") +
            (f", {s['waived']} waived" if s["waived"] else "") +
            (f", {s['upcoming']} upcoming within {report.horizon} days" if "upcoming" in s else "") +
            (f", {s['errors']} input error{'s' if s['errors'] != 1 else ''}" if s["errors"] else "") +
            f"; as of {report.as_of}")


def pack_lines(packs: list[dict], width: int = 110) -> list[str]:
    """``packs: eu.ce 2026.1, eu.gpsr 2026.1, ...`` wrapped between packs, never inside one."""
    lines, line = [], "packs:"
    for i, pk in enumerate(packs):
        item = f"{pk['id']} {pk.get('version', '')}" + ("," if i < len(packs) - 1 else "")
        if len(line) + 1 + len(item) > width and line.strip():
            lines.append(line)
            line = " "
        line += " " + item
    return lines + [line]


def pack_versions(report: Report) -> dict[str, str]:
    return {p["id"]: str(p.get("version", "")) for p in report.packs}
