"""Documents still required: per product and market, what is missing and what is about to expire.

:func:`build_checklist` turns a :class:`~compliance_engine.findings.Report` into a :class:`DocumentsChecklist`;
:func:`render` writes it as text, markdown, csv or json (documented in docs/documents-and-bundles.md).

- One entry per product (SKU and file) and market. The listing units of one market are merged: an item that only
  some of the market's marketplaces need names those marketplaces.
- ``missing``: the documents and registrations the failing rules ask for, merged when kind, type and detail agree,
  with every rule that needs them and the highest severity among those rules.
- ``expiring``: documents and registrations (the product's or the seller's) that some rule of that market relies on
  (the findings' evidence) and whose ``expires`` date falls within ``within_days`` days after ``as_of``
  (inclusive), with the days left. A document that has already expired is not listed here: it no longer counts,
  so each rule that needs it fails and its type is listed under ``missing``.
- ``waived``: what waived rules would need, when no failing rule needs it too; it does not count as missing.

Never prints, never exits.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from typing import Any

from .findings import SEVERITY_RANK, Report, UnitResult
from .formatters.common import pack_lines
from .formatters.markdown import table
from .version import __version__

FORMATS = ("text", "markdown", "csv", "json")
CSV_COLUMNS = ("sku", "file", "market", "marketplaces", "document_type", "kind", "detail", "status", "expires",
               "days_left", "rules", "severity", "packs")
DOCUMENTS_VERSION = 1


@dataclass
class MissingItem:
    """A document or registration that failing rules ask for and the product does not hold (in force)."""

    kind: str  # document | registration
    type: str
    detail: str
    rules: list[str]
    severity: str
    marketplaces: list[str]  # the market's marketplaces whose listing needs it (empty: the market has no listing)
    alternatives: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out = {"kind": self.kind, "type": self.type, "detail": self.detail, "rules": self.rules,
               "severity": self.severity, "marketplaces": self.marketplaces}
        if self.alternatives:
            out["alternatives"] = self.alternatives
        return out


@dataclass
class ExpiringItem:
    """A held document or registration that rules rely on and that expires soon."""

    kind: str
    type: str
    id: str | None
    manifest: str | None  # display path of the manifest that declares it
    line: int
    field: str  # e.g. documents[2]
    expires: str
    days_left: int
    rules: list[str]
    severity: str
    marketplaces: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "type": self.type, "id": self.id, "manifest": self.manifest, "line": self.line,
                "field": self.field, "expires": self.expires, "days_left": self.days_left, "rules": self.rules,
                "severity": self.severity, "marketplaces": self.marketplaces}


@dataclass
class WaivedItem:
    """A document or registration that only waived rules ask for."""

    kind: str
    type: str
    detail: str
    rules: list[str]
    marketplaces: list[str]
    waivers: list[dict]  # {rule, reason, owner?, expires?, file, line}

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "type": self.type, "detail": self.detail, "rules": self.rules,
                "marketplaces": self.marketplaces, "waivers": self.waivers}


@dataclass
class ProductMarketDocuments:
    """The checklist of one product in one market."""

    sku: str
    file: str
    market: str
    marketplaces: list[str]  # the marketplaces of the market's listings (empty when the product has none there)
    missing: list[MissingItem] = field(default_factory=list)
    expiring: list[ExpiringItem] = field(default_factory=list)
    waived: list[WaivedItem] = field(default_factory=list)

    @property
    def has_gaps(self) -> bool:
        return bool(self.missing or self.expiring)

    def to_dict(self) -> dict[str, Any]:
        return {"sku": self.sku, "file": self.file, "market": self.market, "marketplaces": self.marketplaces,
                "missing": [m.to_dict() for m in self.missing], "expiring": [e.to_dict() for e in self.expiring],
                "waived": [w.to_dict() for w in self.waived]}


@dataclass
class DocumentsChecklist:
    as_of: str
    within_days: int
    packs: list[dict]
    products: list[ProductMarketDocuments]
    rule_packs: dict[str, str] = field(default_factory=dict)  # rule id -> pack id, for the pack versions shown

    def packs_used(self) -> list[dict]:
        """The packs whose rules the checklist names (all packs when it names none)."""
        used = {self.rule_packs.get(r) for p in self.products for item in (*p.missing, *p.expiring, *p.waived)
                for r in item.rules}
        return [p for p in self.packs if p["id"] in used] or list(self.packs)

    def versions_of(self, rules: list[str]) -> str:
        """``eu.gpsr 2026.1 eu.ce 2026.1``: the versions of the packs of ``rules``, in order, each once."""
        version = {p["id"]: p["version"] for p in self.packs}
        ids = list(dict.fromkeys(self.rule_packs[r] for r in rules if r in self.rule_packs))
        return " ".join(f"{i} {version.get(i, '')}".strip() for i in ids)

    @property
    def has_gaps(self) -> bool:
        """Something is missing or expiring somewhere (the command exits 1)."""
        return any(p.has_gaps for p in self.products)

    def summary(self) -> dict[str, int]:
        return {"product_markets": len(self.products),
                "with_gaps": sum(p.has_gaps for p in self.products),
                "missing": sum(len(p.missing) for p in self.products),
                "expiring": sum(len(p.expiring) for p in self.products),
                "waived": sum(len(p.waived) for p in self.products)}

    def to_dict(self) -> dict[str, Any]:
        return {"documents_version": DOCUMENTS_VERSION,
                "tool": {"name": "compliance-engine", "version": __version__},
                "as_of": self.as_of, "within_days": self.within_days,
                "packs": [{"id": p["id"], "version": p["version"]} for p in self.packs],
                "products": [p.to_dict() for p in self.products],
                "summary": self.summary()}


# ---------------------------------------------------------------------------------------------- building
def build_checklist(report: Report, within_days: int = 90) -> DocumentsChecklist:
    """The checklist of every product and market in ``report`` (see the module docstring for the rules)."""
    as_of = dt.date.fromisoformat(report.as_of)
    groups: dict[tuple[str, str, str], list[UnitResult]] = {}
    for r in report.results:
        groups.setdefault((r.file, r.sku, r.market), []).append(r)
    products = [_product_market(units, as_of, within_days) for _, units in sorted(groups.items())]
    rule_packs = {f.rule: f.pack for r in report.results for f in r.findings if f.pack}
    return DocumentsChecklist(report.as_of, within_days, report.packs, products, rule_packs)


def _need_kind(need: dict) -> str:
    return "registration" if need.get("kind") == "registration" else "document"


def _product_market(units: list[UnitResult], as_of: dt.date, within_days: int) -> ProductMarketDocuments:
    first = units[0]
    entry = ProductMarketDocuments(first.sku, first.file, first.market,
                                   sorted({u.marketplace for u in units if u.marketplace}))
    missing: dict[tuple, MissingItem] = {}
    waived: dict[tuple, WaivedItem] = {}
    expiring: dict[tuple, ExpiringItem] = {}
    end = as_of + dt.timedelta(days=within_days)
    for u in units:
        where = [u.marketplace] if u.marketplace else []
        for f in u.findings:
            for need in f.missing_documents if f.status in ("fail", "waived") else ():
                key = (_need_kind(need), need["type"], need.get("detail") or "")
                if f.status == "fail":
                    item = missing.setdefault(key, MissingItem(*key, [], f.severity, [],
                                                               [dict(a) for a in need.get("alternatives") or []]))
                    if SEVERITY_RANK[f.severity] > SEVERITY_RANK[item.severity]:
                        item.severity = f.severity
                else:
                    item = waived.setdefault(key, WaivedItem(*key, [], [], []))
                    w = {"rule": f.rule, **{k: v for k, v in (f.waiver or {}).items() if k in ("reason", "owner", "expires", "file", "line")}}
                    if w not in item.waivers:
                        item.waivers.append(w)
                _add(item.rules, f.rule)
                _add(item.marketplaces, *where)
            for ev in f.evidence:
                expires = _date(ev.get("expires"))
                if expires is None or not as_of <= expires <= end:
                    continue
                key = (ev.get("manifest"), ev.get("field"))
                held = expiring.get(key)
                if held is None:
                    held = expiring[key] = ExpiringItem(ev["kind"], ev["type"], ev.get("id"), ev.get("manifest"),
                                                        ev.get("line", 1), ev.get("field", ""), expires.isoformat(),
                                                        (expires - as_of).days, [], f.severity, [])
                elif SEVERITY_RANK[f.severity] > SEVERITY_RANK[held.severity]:
                    held.severity = f.severity
                _add(held.rules, f.rule)
                _add(held.marketplaces, *where)
    for item in [*missing.values(), *waived.values(), *expiring.values()]:
        item.rules.sort()
        item.marketplaces.sort()
    for w in waived.values():
        w.waivers.sort(key=lambda x: (x["rule"], str(x.get("file")), x.get("line", 0)))
    entry.missing = sorted(missing.values(), key=lambda m: (-SEVERITY_RANK[m.severity], m.kind, m.type, m.detail))
    entry.waived = sorted((w for k, w in waived.items() if k not in missing), key=lambda w: (w.kind, w.type, w.detail))
    entry.expiring = sorted(expiring.values(), key=lambda e: (e.expires, e.kind, e.type, str(e.id), str(e.manifest), e.field))
    return entry


def _add(items: list[str], *values: str) -> None:
    for v in values:
        if v not in items:
            items.append(v)


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


# ---------------------------------------------------------------------------------------------- rendering
def render(checklist: DocumentsChecklist, fmt: str) -> str:
    """The checklist as ``text``, ``markdown``, ``csv`` or ``json``; the same checklist gives the same string."""
    return {"text": render_text, "markdown": render_markdown, "csv": render_csv, "json": render_json}[fmt](checklist)


def render_json(checklist: DocumentsChecklist) -> str:
    return json.dumps(checklist.to_dict(), indent=2, ensure_ascii=False) + "\n"


def _need_text(kind: str, type_: str, detail: str) -> str:
    return f"{kind} {type_}" + (f" ({detail})" if detail else "")


def _only_on(item_marketplaces: list[str], entry: ProductMarketDocuments) -> str:
    """' [only amazon]' when only some of the market's listings need the item."""
    if entry.marketplaces and item_marketplaces and item_marketplaces != entry.marketplaces:
        return f" [only {', '.join(item_marketplaces)}]"
    return ""


def _heading(entry: ProductMarketDocuments) -> str:
    return f"{entry.sku} in {entry.market}" + (f" ({', '.join(entry.marketplaces)})" if entry.marketplaces else "")


def _held_text(e: ExpiringItem) -> str:
    return f"{e.kind} {e.type}" + (f" {e.id}" if e.id else "") + f" ({e.manifest}:{e.line})"


def _days(n: int) -> str:
    return "expires today" if n == 0 else f"{n} day{'s' if n != 1 else ''} left"


def _summary_line(checklist: DocumentsChecklist) -> str:
    s = checklist.summary()
    return (f"{s['missing']} missing, {s['expiring']} expiring within {checklist.within_days} days"
            + (f", {s['waived']} waived" if s["waived"] else "")
            + f"; {s['with_gaps']} of {s['product_markets']} product markets need action; as of {checklist.as_of}")


def render_text(checklist: DocumentsChecklist) -> str:
    out = [f"Documents still required as of {checklist.as_of} (expiring: within {checklist.within_days} days)"]
    current_file = None
    for entry in checklist.products:
        if entry.file != current_file:
            out += ["", entry.file]
            current_file = entry.file
        out.append(f"  {_heading(entry)}")
        if not (entry.missing or entry.expiring or entry.waived):
            out.append("    nothing missing or expiring")
        for m in entry.missing:
            out.append(f"    [ ] missing  {_need_text(m.kind, m.type, m.detail)}{_only_on(m.marketplaces, entry)}")
            out.append(f"                 {m.severity}; needed by {', '.join(m.rules)}")
        for e in entry.expiring:
            out.append(f"    [ ] expiring {_held_text(e)}{_only_on(e.marketplaces, entry)}")
            out.append(f"                 on {e.expires} ({_days(e.days_left)}); relied on by {', '.join(e.rules)}")
        for w in entry.waived:
            reasons = "; ".join(f"{x['rule']}: {x.get('reason', '')}" for x in w.waivers)
            out.append(f"    [-] waived   {_need_text(w.kind, w.type, w.detail)}{_only_on(w.marketplaces, entry)}")
            out.append(f"                 {reasons}")
    out += ["", *pack_lines(checklist.packs_used()), _summary_line(checklist)]
    return "\n".join(out) + "\n"


def render_markdown(checklist: DocumentsChecklist) -> str:
    out = [f"# Documents still required as of {checklist.as_of}", "",
           f"{_summary_line(checklist)}.", "",
           "Packs: " + ", ".join(f"{p['id']} {p['version']}" for p in checklist.packs_used()), ""]
    missing_rows = [[p.sku, p.file, p.market, ", ".join(m.marketplaces), m.kind, m.type, m.detail, m.severity,
                     ", ".join(m.rules)] for p in checklist.products for m in p.missing]
    out += ["## Missing", ""]
    out += (table(["SKU", "File", "Market", "Marketplaces", "Kind", "Type", "Detail", "Severity", "Rules"], missing_rows)
            if missing_rows else ["Nothing is missing."])
    expiring_rows = [[p.sku, p.file, p.market, ", ".join(e.marketplaces), e.kind, e.type, e.id, f"{e.manifest}:{e.line}",
                      e.expires, e.days_left, ", ".join(e.rules)] for p in checklist.products for e in p.expiring]
    out += ["", f"## Expiring within {checklist.within_days} days", ""]
    out += (table(["SKU", "File", "Market", "Marketplaces", "Kind", "Type", "Id", "Declared in", "Expires", "Days left",
                    "Rules"], expiring_rows) if expiring_rows else ["Nothing expires in that time."])
    waived_rows = [[p.sku, p.file, p.market, ", ".join(w.marketplaces), w.kind, w.type, w.detail, ", ".join(w.rules),
                    "; ".join(x.get("reason", "") for x in w.waivers)] for p in checklist.products for w in p.waived]
    if waived_rows:
        out += ["", "## Waived", ""]
        out += table(["SKU", "File", "Market", "Marketplaces", "Kind", "Type", "Detail", "Rules", "Reason"], waived_rows)
    complete = [_heading(p) for p in checklist.products if not p.has_gaps]
    if complete:
        out += ["", "## Complete", "", *(f"- [x] {c}" for c in complete)]
    return "\n".join(out) + "\n"


def render_csv(checklist: DocumentsChecklist) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for p in checklist.products:
        for m in p.missing:
            writer.writerow([p.sku, p.file, p.market, " ".join(m.marketplaces), m.type, m.kind, m.detail, "missing",
                             "", "", " ".join(m.rules), m.severity, checklist.versions_of(m.rules)])
        for e in p.expiring:
            detail = (f"{e.id} " if e.id else "") + f"declared in {e.manifest}:{e.line}"
            writer.writerow([p.sku, p.file, p.market, " ".join(e.marketplaces), e.type, e.kind, detail, "expiring",
                             e.expires, e.days_left, " ".join(e.rules), e.severity, checklist.versions_of(e.rules)])
    return buf.getvalue()
