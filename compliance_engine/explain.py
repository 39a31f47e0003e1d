"""`rules explain`: a rule as a compliance officer reads it."""

from __future__ import annotations

import textwrap

from .packs.conditions import TRUE, All, AnyOf, Atom, Cond, Fact, Has, Market, Not, Since
from .packs.model import Pack, Requirement, Rule
from .requirements import describe


def condition_text(c: Cond) -> str:
    if c is TRUE:
        return "always"
    if isinstance(c, All):
        return " AND ".join(_paren(x) for x in c.items)
    if isinstance(c, AnyOf):
        return " OR ".join(_paren(x) for x in c.items)
    if isinstance(c, Not):
        return f"NOT {_paren(c.item)}"
    if isinstance(c, Fact):
        return c.name
    if isinstance(c, Market):
        return f"market in {', '.join(c.codes)}" if len(c.codes) < 8 else f"market in {len(c.codes)} countries ({', '.join(c.codes[:5])}, …)"
    if isinstance(c, Has):
        return f"has {c.what}"
    if isinstance(c, Since):
        return f"checked on or after {c.date.isoformat()}"
    if isinstance(c, Atom):
        v = c.value
        shown = ", ".join(map(str, v)) if isinstance(v, tuple) else str(v).lower() if isinstance(v, bool) else str(v)
        d = f" (default {c.default})" if c.default is not None else ""
        return f"{c.path.text} {c.op.replace('_', ' ')} {shown}{d}"
    return repr(c)


def _paren(c: Cond) -> str:
    t = condition_text(c)
    return f"({t})" if isinstance(c, (All, AnyOf)) and len(c.items) > 1 else t


def _req_lines(reqs: list[Requirement], indent: str = "  ") -> list[str]:
    lines = []
    for q in reqs:
        text = q.label or describe(q.kind, q.spec)
        extra = []
        if q.when is not TRUE:
            extra.append(f"when {condition_text(q.when)}")
        if q.severity:
            extra.append(q.severity)
        if q.if_missing != "fail":
            extra.append(f"if absent: {q.if_missing}")
        lines.append(f"{indent}- {text}" + (f"  [{'; '.join(extra)}]" if extra else ""))
        if q.children:
            lines.extend(_req_lines(q.children, indent + "    "))
    return lines


def explain(rule: Rule, pack: Pack) -> str:
    eff = f"from {rule.effective_from or 'always'}" + (f" until {rule.effective_until} (exclusive)" if rule.effective_until else ", open-ended")
    out = [
        f"{rule.id}: {rule.title}",
        f"  pack:        {pack.id} {pack.version} ({pack.title}; {pack.file})",
        f"  severity:    {rule.severity}"
        + (f", {rule.escalate_to} from {rule.escalate_on.isoformat()}" if rule.escalate_on else "")
        + ("   (UNVERIFIED: the facts behind this rule could not all be confirmed)" if rule.unverified else ""),
        f"  legal basis: {rule.legal_basis}",
        f"  effective:   {eff}",
        f"  markets:     {', '.join(rule.markets or pack.markets)}",
        f"  applies to:  {'units with a listing' if rule.scope == 'listing' else 'runs with a seller' if rule.scope == 'seller' else 'every product in those markets'}"
        f" when {condition_text(rule.when)}",
        f"  waivable:    {'yes' if rule.waivable else 'no'}",
    ]
    if rule.derive:
        out.append(f"  derives:     {rule.derive}")
    out.append("  requires:" if rule.requires else "  requires:    nothing (informational)")
    out.extend(_req_lines(rule.requires, "    "))
    if rule.remediation:
        out.append("  remediation:")
        out.extend(textwrap.wrap(rule.remediation, 96, initial_indent="    ", subsequent_indent="    "))
    out.append("  sources:")
    out.extend(f"    {u}" for u in rule.references)
    unconfirmed = [v for v in rule.verification if v["result"] == "unconfirmed"]
    if unconfirmed and not rule.unverified:
        out.append(f"  note:        {len(unconfirmed)} fact(s) behind this rule could not be confirmed against a source (see verification)")
    if rule.verification:
        out.append("  verification:")
        for v in rule.verification:
            out.append(f"    [{v['result']}] {v['fact']} — {v['source']}" + (f" ({v['note']})" if v.get("note") else ""))
    return "\n".join(out) + "\n"
