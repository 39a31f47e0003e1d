"""A second, plain evaluation of packs (no durable-rules), and a generator of random units that
exercise every condition of a pack set. The golden test requires both evaluations to agree."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from .packs.conditions import TRUE, Atom, FieldPath, UnitView, atoms_of, holds
from .packs.loader import PackSet


def reference_facts(packset: PackSet, view: UnitView, as_of: dt.date) -> set[str]:
    derives = [(d.when, d.fact, None) for p in packset.packs for d in p.derives]
    derives += [(r.condition, r.derive, r) for r in packset.rules if r.derive]
    view.as_of = as_of
    facts: set[str] = set()
    while True:
        view.facts = facts
        new = {fact for cond, fact, rule in derives if holds(cond, view) and (rule is None or rule.in_force(as_of))}
        if new <= facts:
            return facts
        facts |= new


def reference_evaluation(packset: PackSet, view: UnitView, as_of: dt.date) -> tuple[set[str], set[str], set[str]]:
    """(facts, applicable rule ids, active requirement keys) by direct evaluation."""
    facts = reference_facts(packset, view, as_of)
    view.facts = facts
    rules, reqs = set(), set()
    for p in packset.packs:
        if view.market not in p.markets:
            continue
        for r in p.rules:
            if holds(r.condition, view):
                rules.add(r.id)
            for q in r.all_requirements():
                if q.when is not TRUE and holds(q.when, view):
                    reqs.add(q.key)
    return facts, rules, reqs


def all_atoms(packset: PackSet) -> list[Atom]:
    out: list[Atom] = []
    for p in packset.packs:
        for d in p.derives:
            out += atoms_of(d.when)
        for r in p.rules:
            out += atoms_of(r.condition)
            for q in r.all_requirements():
                out += atoms_of(q.when)
    return out


def _candidate(rng: random.Random, a: Atom) -> Any:
    v = a.value
    pick = rng.random()
    if a.op == "exists":
        return rng.choice(["x", 1, True, [], ["a"], {"k": 1}, ""])
    if a.op == "equals_market":
        return rng.choice(["DE", "FR", "XI", "GB", "US", "CN"])
    if a.op == "equals_field":
        return rng.choice(["DE", "FR", "GB", "CN", 1, True])
    if a.op == "prefix_in":
        return rng.choice([rng.choice(a.value) + "10", rng.choice(a.value)[:-1] or "9", "999999", 8516])
    if a.op == "segment_in":
        return rng.choice([f"electrical-appliance.{rng.choice(a.value)}", rng.choice(a.value), "other.x", f"a.b.{rng.choice(a.value)}"])
    if a.op in ("gt", "gte", "lt", "lte"):
        return rng.choice([v, v + 1, v - 1, v + 0.5, v - 0.25, v * 2, -v, str(v), True, 0.00001])
    if a.op == "under":
        key = rng.choice(list(v))
        return rng.choice([key, key + ".sub", key + "x", "other", key.split(".")[0]])
    if a.op in ("in", "contains_any"):
        return rng.choice(list(v) + ["zz-other", 1, True]) if pick < 0.9 else list(v)[:2]
    return rng.choice([v, "zz-other", 0, False, True, "true"])


def _set(root: dict, parts: tuple[str, ...], value: Any) -> None:
    cur = root
    for p in parts[:-1]:
        nxt = cur.get(p)
        if nxt is None:
            nxt = cur[p] = {}
        if not isinstance(nxt, dict):
            return
        cur = nxt
    if isinstance(cur.get(parts[-1]), dict) and not isinstance(value, dict):
        return
    cur[parts[-1]] = value


def random_view(rng: random.Random, atoms: list[Atom], markets: list[str]) -> UnitView:
    roots: dict[str, dict] = {"product": {"sku": f"G{rng.randrange(10**6)}", "category": "other"}, "listing": {}, "seller": {}}
    paths: dict[str, list[Atom]] = {}
    for a in atoms:
        paths.setdefault(a.path.text, []).append(a)
        if a.op == "equals_field":  # give the other side of the comparison a value too
            other = FieldPath.parse(a.value)
            paths.setdefault(other.text, []).append(Atom(other, "equals_field", a.path.text))
    for text, group in paths.items():
        if rng.random() < 0.3:
            continue
        a = rng.choice(group)
        fp: FieldPath = a.path
        root = roots[fp.root]
        if a.op == "has_item":
            items = []
            for _ in range(rng.randrange(0, 4)):
                items.append({k: rng.choice(list(allowed) + ["zz-other"]) for k, allowed in a.value})
            _set(root, fp.head, items)
        elif fp.tail is not None:
            items = []
            for _ in range(rng.randrange(0, 4)):
                item: dict = {}
                if fp.tail:
                    _set(item, fp.tail, _candidate(rng, a))
                    items.append(item)
                else:
                    items.append(_candidate(rng, a))
            _set(root, fp.head, items)
        else:
            value = _candidate(rng, a)
            if rng.random() < 0.2 and a.op not in ("exists",):
                value = [value, _candidate(rng, a)]
            _set(root, fp.head, value)
    listing = roots["listing"] if rng.random() < 0.6 else None
    seller = roots["seller"] if rng.random() < 0.5 else None
    return UnitView(roots["product"], rng.choice(markets), listing, seller)
