"""Compile rule packs into durable-rules ruleset definitions (the JSON/dict form).

What gets compiled: every condition of the packs (rule applicability, requirement ``when``,
derivations) becomes one or more durable rules, one per conjunction of its disjunctive normal
form. Firing tells the driver in ``engine.py`` which conditions hold for a check unit; the
requirement checks themselves are plain functions (``requirements.py``).

How the durable-rules hazards (``docs/engine.md``) are avoided here:

- negation is pushed onto atoms and compiled as positive patterns (``$nex`` or ``$iall``/``$neq``),
  never as ``$not`` of a pattern on the same fact;
- every pattern starts with the kind discriminator ``t == "u"``, so the session's state document
  never satisfies a pattern;
- patterns are bucketed under always-true group properties so no alpha node has more than
  ``BUCKET`` true children (the C core fails with error 303 past 64, and hangs at 513 children);
- every property and rule name is synthetic and checked for 32-bit FNV-1a hash collisions
  (the C core identifies names by that hash);
- every value is sent as a list of one value class (bool, number or string), so strings never
  compare with numbers, and ``$or`` is never put inside ``$iany``/``$iall``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .conditions import COMPARE_OPS, TRUE, Atom, Cond, Fact, FieldPath, Has, Market, Since, facts_used, item_combinations, to_dnf
from .loader import PackSet

BUCKET = 32
MAX_PROPERTIES = 240  # the C core accepts at most 252 properties per fact


def fnv1a32(text: str) -> int:
    h = 0x811C9DC5
    for b in text.encode("utf-8"):
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


class NameAllocator:
    """Hands out short names whose 32-bit FNV-1a hashes are all distinct (and distinct from reserved ones)."""

    RESERVED = ("sid", "id", "$s", "t", "m")

    def __init__(self) -> None:
        self.hashes: dict[int, str] = {fnv1a32(n): n for n in self.RESERVED}
        self.skipped: list[tuple[str, str]] = []

    def take(self, wanted: str) -> str:
        name, n = wanted, 0
        while fnv1a32(name) in self.hashes:
            self.skipped.append((name, self.hashes[fnv1a32(name)]))
            n += 1
            name = f"{wanted}_{n}"
        self.hashes[fnv1a32(name)] = name
        return name


# A value source: what one fact property carries.
#   ("field", path_text, default, value_class) -> list of values of that class
#   ("under", path_text, default, level)       -> list of dotted prefixes of that level
#   ("fact", name) -> true | absent ; ("market",) -> code ; ("has", "listing"|"seller") -> true | absent
SourceKey = tuple


@dataclass
class Target:
    """What a fired durable rule means."""

    kind: str  # "rule" | "req" | "derive"
    key: str  # rule id, requirement key or fact name
    rule_id: str | None = None  # for "derive": the deriving rule (None for pack-level derive entries)


@dataclass
class RulesetDefinition:
    name: str
    definition: dict[str, Any]
    targets: dict[str, Target]
    sources: dict[SourceKey, tuple[str, Any]]  # source -> (property name, FieldPath or None)
    buckets: list[str]
    markets: frozenset[str] | None  # None: every market
    renamed: list[tuple[str, str]] = field(default_factory=list)

    def definition_json(self) -> str:
        """The definition as the JSON text durable-rules takes (made once)."""
        text = self.__dict__.get("_json")
        if text is None:
            text = self.__dict__["_json"] = json.dumps(self.definition, ensure_ascii=False)
        return text

    def __getstate__(self) -> dict:
        """Pickled (the compiled-pack cache, workers) with the definition as its JSON text: a one-file check
        hands the text to durable-rules without building and dumping the nested dicts again."""
        state = dict(self.__dict__)
        state["_json"] = self.definition_json()
        state.pop("definition", None)  # absent when this one was unpickled and never asked for it
        return state

    def __getattr__(self, name: str):  # only for attributes not set: the definition of an unpickled ruleset
        if name == "definition" and "_json" in self.__dict__:
            value = self.__dict__["definition"] = json.loads(self.__dict__["_json"])
            return value
        raise AttributeError(name)


class _Builder:
    def __init__(self, name: str, markets: frozenset[str] | None):
        self.name = name
        self.markets = markets
        self.names = NameAllocator()
        self.sources: dict[SourceKey, tuple[str, Any]] = {}
        self.conjunctions: list[tuple[str, list[dict]]] = []
        self.targets: dict[str, Target] = {}
        self.counter = {"f": 0, "d": 0, "r": 0}

    def prop(self, key: SourceKey, path: FieldPath | None = None) -> str:
        if key not in self.sources:
            kind = key[0]
            if kind == "market":
                wanted = "mk"
            elif kind == "asof":
                wanted = "asof"
            elif kind == "has":
                wanted = "h" + key[1][0]
            elif kind == "fact":
                wanted = f"d{self.counter['d']}"
                self.counter["d"] += 1
            else:
                wanted = f"f{self.counter['f']}"
                self.counter["f"] += 1
            self.sources[key] = (self.names.take(wanted), path)
        return self.sources[key][0]

    def add(self, cond: Cond, target: Target) -> None:
        for conj in to_dnf(cond):
            exprs: list[dict] = []
            for positive, lit in conj:
                exprs.extend(self.literal(positive, lit))
            rname = self.names.take(f"r{self.counter['r']}")
            self.counter["r"] += 1
            self.conjunctions.append((rname, exprs))
            self.targets[rname] = target

    # -- literals -------------------------------------------------------------------------------
    def literal(self, positive: bool, lit: Cond) -> list[dict]:
        if isinstance(lit, Fact):
            p = self.prop(("fact", lit.name))
            return [{p: True}] if positive else [{"$nex": {p: 1}}]
        if isinstance(lit, Has):
            p = self.prop(("has", lit.what))
            return [{p: True}] if positive else [{"$nex": {p: 1}}]
        if isinstance(lit, Since):
            p = self.prop(("asof",))
            day = lit.date.year * 10000 + lit.date.month * 100 + lit.date.day
            return [{"$gte": {p: day}}] if positive else [{"$lt": {p: day}}]
        if isinstance(lit, Market):
            p = self.prop(("market",))
            if positive:
                return [_or([{p: c} for c in lit.codes])]
            return [{"$neq": {p: c}} for c in lit.codes]
        assert isinstance(lit, Atom)
        return self.atom(positive, lit)

    def atom(self, positive: bool, a: Atom) -> list[dict]:
        default = a.default
        if a.op == "exists":
            p = self.prop(("field", a.path.text, default, "any"), a.path)
            want = bool(a.value) == positive
            return [{"$ex": {p: 1}}] if want else [{"$nex": {p: 1}}]
        if a.op in COMPARE_OPS:
            # computed per unit while the fact is built: true when the field equals the market / other field
            p = self.prop(("cmp", a.path.text, default, a.op, a.value), a.path)
            return [{p: True}] if positive else [{"$nex": {p: 1}}]
        if a.op == "has_item":
            p = self.prop(("item", a.path.text, tuple(k for k, _ in a.value)), a.path)
            combos = item_combinations(a.value)
            if len(combos) > 32:
                raise ValueError(f"has_item on {a.path.text} allows {len(combos)} combinations; at most 32")
            if positive:
                return [_or([{"$iany": {p: {"$i": c}}} for c in combos])]
            return [_none_equal(p, combos)]
        if a.op == "under":
            by_level: dict[int, list[str]] = {}
            for key in a.value:
                by_level.setdefault(key.count(".") + 1, []).append(key)
            pos_terms, neg_exprs = [], []
            for level, keys in sorted(by_level.items()):
                p = self.prop(("under", a.path.text, default, level), a.path)
                if positive:
                    pos_terms.extend({"$iany": {p: {"$i": k}}} for k in keys)
                else:
                    neg_exprs.append(_none_equal(p, keys))
            return [_or(pos_terms)] if positive else neg_exprs
        cls = a.value_class
        p = self.prop(("field", a.path.text, default, cls), a.path)
        if a.op in ("equals", "contains", "in", "contains_any"):
            values = list(a.value) if a.op in ("in", "contains_any") else [a.value]
            if positive:
                return [_or([{"$iany": {p: {"$i": v}}} for v in values])]
            return [_none_equal(p, values)]
        op = {"gt": "$gt", "gte": "$gte", "lt": "$lt", "lte": "$lte"}[a.op]
        if positive:
            return [{"$iany": {p: {op: {"$i": a.value}}}}]
        inverse = {"$gt": "$lte", "$gte": "$lt", "$lt": "$gte", "$lte": "$gt"}[op]
        return [{"$or": [{"$nex": {p: 1}}, {"$iall": {p: {inverse: {"$i": a.value}}}}]}]

    # -- output ---------------------------------------------------------------------------------
    def build(self) -> RulesetDefinition:
        buckets: list[str] = []
        definition: dict[str, Any] = {}
        for i, (rname, exprs) in enumerate(self.conjunctions):
            if i % BUCKET == 0:
                buckets.append(self.names.take(f"b{len(buckets)}"))
            pattern = {"$and": [{"t": "u"}, {buckets[-1]: 1}, *exprs]}
            definition[rname] = {"all": [{"m": pattern}]}
        nprops = len(self.sources) + len(buckets) + 3
        if nprops > MAX_PROPERTIES:
            raise ValueError(f"ruleset {self.name} needs {nprops} fact properties; the engine allows {MAX_PROPERTIES}")
        return RulesetDefinition(self.name, definition, self.targets, self.sources, buckets, self.markets, self.names.skipped)


def _or(terms: list[dict]) -> dict:
    return terms[0] if len(terms) == 1 else {"$or": terms}


def _none_equal(p: str, values: list) -> dict:
    alls = [{"$iall": {p: {"$neq": {"$i": v}}}} for v in values]
    return {"$or": [{"$nex": {p: 1}}, alls[0] if len(alls) == 1 else {"$and": alls}]}


@dataclass
class CompiledPacks:
    derive: list[RulesetDefinition]  # in layer order: each reads only facts of the rulesets before it
    groups: list[RulesetDefinition]
    cycle_from: int | None = None  # derive[cycle_from:] derive facts they also read: run them to a fixpoint

    @property
    def derive_fixpoint(self) -> bool:
        return self.cycle_from is not None


def _derive_layers(entries: list[tuple[Cond, Target]]) -> tuple[list[list[tuple[Cond, Target]]], bool]:
    """Order derivations in layers: a layer reads only facts derived by earlier layers, so each layer is
    asserted once per unit. Derivations in a cycle (a fact that feeds its own derivation) form one last
    layer that the engine runs to a fixpoint."""
    producers: dict[str, list[int]] = {}
    for i, (_, t) in enumerate(entries):
        producers.setdefault(t.key, []).append(i)
    level: dict[int, int] = {}
    remaining = set(range(len(entries)))
    while remaining:
        ready = []
        for i in sorted(remaining):
            needs = [j for f in facts_used(entries[i][0]) for j in producers.get(f, [])]
            if all(j in level for j in needs):
                ready.append((i, 1 + max((level[j] for j in needs), default=-1)))
        if not ready:
            break
        for i, lv in ready:
            level[i] = lv
            remaining.discard(i)
    layers: list[list[tuple[Cond, Target]]] = [[] for _ in range(max(level.values(), default=-1) + 1)]
    for i, lv in sorted(level.items()):
        layers[lv].append(entries[i])
    if remaining:
        layers.append([entries[i] for i in sorted(remaining)])
    return [layer for layer in layers if layer], bool(remaining)


Entry = tuple[Cond, Target]


def _pack_entries(packs: list) -> list[Entry]:
    """A pack's conditions for a check ruleset: rule applicability and requirement `when`s."""
    out: list[Entry] = []
    for p in packs:
        for r in p.rules:
            out.append((r.condition, Target("rule", r.id)))
            out += [(q.when, Target("req", q.key, r.id)) for q in r.all_requirements() if q.when is not TRUE]
    return out


def _chunks(units: list[list[Entry]]) -> list[list[Entry]]:
    """Group units of entries (a pack, or one derivation) into as few rulesets as the property limit allows,
    in order: a unit's properties are counted once on a scratch builder, then units are added while the union
    of properties (plus one bucket property per 32 conjunctions) stays within MAX_PROPERTIES."""
    out: list[list[Entry]] = []
    props: set = set()
    conjunctions = 0
    for unit in units:
        scratch = _Builder("count", None)
        for cond, target in unit:
            scratch.add(cond, target)
        keys, n = set(scratch.sources), len(scratch.conjunctions)
        if out and len(props | keys) + -(-(conjunctions + n) // BUCKET) + 3 > MAX_PROPERTIES:
            out.append([])
            props, conjunctions = set(), 0
        if not out:
            out.append([])
        out[-1].extend(unit)
        props |= keys
        conjunctions += n
    return out


def _ruleset(name: str, markets: frozenset[str] | None, entries: list[Entry]) -> RulesetDefinition:
    b = _Builder(name, markets)
    for cond, target in entries:
        b.add(cond, target)
    return b.build()


def compile_packs(packset: PackSet, prefix: str = "ce") -> CompiledPacks:
    """Compile a pack set into derivation rulesets (in layers) and check rulesets per group of packs with the
    same markets, each split where a durable fact would need more than MAX_PROPERTIES properties."""
    entries = [(d.when, Target("derive", d.fact)) for p in packset.packs for d in p.derives]
    entries += [(r.condition, Target("derive", r.derive, r.id)) for p in packset.packs for r in p.rules if r.derive]
    layers, cyclic = _derive_layers(entries)
    derive: list[RulesetDefinition] = []
    cycle_from = None
    for i, layer in enumerate(layers):
        if cyclic and i == len(layers) - 1:
            cycle_from = len(derive)
        for chunk in _chunks([[e] for e in layer]):
            derive.append(_ruleset(f"{prefix}_d{len(derive)}", None, chunk))
    groups: dict[tuple[str, ...], list] = {}
    for p in packset.packs:
        groups.setdefault(tuple(sorted(p.markets)), []).append(p)
    built = []
    for markets, packs in sorted(groups.items(), key=lambda kv: kv[1][0].id):
        # Packs with the same markets share a ruleset (one assert per unit) until its fact would need more
        # properties than durable-rules allows; then the next ruleset starts.
        for chunk in _chunks([_pack_entries([p]) for p in packs]):
            built.append(_ruleset(f"{prefix}_g{len(built)}", frozenset(markets), chunk))
    return CompiledPacks(derive, built, cycle_from)
