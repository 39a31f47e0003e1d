"""The only module that touches durable-rules' C core (``durable_rules_engine``).

One long-lived session (sid ``"0"``) per compiled ruleset; per check unit the driver asserts one
flat fact, drains the fired rule names, and retracts the fact in a ``finally`` block, so nothing
carries over from one unit to the next however many units run. No Python actions run inside the
engine (its action callbacks swallow every exception) and ``delete_state`` is never called (it
frees uninitialised pointers). Rulesets are compiled once per process per pack-set digest.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import threading
from dataclasses import dataclass
from typing import Any

from .packs.compiler import CompiledPacks, RulesetDefinition, compile_packs
from .packs.conditions import Atom, UnitView, compare_holds, item_keys, value_class
from .packs.loader import PackSet

_lock = threading.RLock()
_cache: dict[str, "Engine"] = {}
_names = itertools.count()


class EngineError(RuntimeError):
    """durable-rules refused a fact or a ruleset (a bug in the compiler, never bad input)."""


def _number(x: float | int) -> str:
    if isinstance(x, int):
        return str(x)
    if not math.isfinite(x):
        raise EngineError(f"non-finite number {x!r} reached the engine")
    text = repr(x)
    if "e" in text or "E" in text:  # the C parser rejects exponents without a fraction (error 205)
        text = format(x, ".20f").rstrip("0")
        if text.endswith("."):
            text += "0"
    return text


def _json(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return _number(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ",".join(_json(v) for v in value) + "]"
    raise EngineError(f"unsupported value {value!r}")  # pragma: no cover


_MISSING = object()


def _render_value(key: tuple, path, view: UnitView) -> str | None:
    """The JSON text of one fact property for a unit (None: the property is left out). The same source key
    renders the same text in every ruleset, so a unit's values are rendered once (``view.rendered``)."""
    kind = key[0]
    if kind == "market":
        return _json(view.market)
    if kind == "asof":
        d = view.as_of
        return str(d.year * 10000 + d.month * 100 + d.day)
    if kind == "cmp":
        return "true" if compare_holds(Atom(path, key[3], key[4], key[2]), view) else None
    if kind == "has":
        return "true" if (view.listing if key[1] == "listing" else view.seller) is not None else None
    if kind == "item":
        values = item_keys(path, key[2], view)
        return _json(values) if values else None
    values = view.values(path)
    default = key[2]
    if not values and default is not None:
        values = list(default) if isinstance(default, list) else [default]
    if kind == "under":
        level = key[3]
        values = [".".join(v.split(".")[:level]) for v in values if isinstance(v, str) and v.count(".") + 1 >= level]
    elif key[3] != "any":
        values = [v for v in values if value_class(v) == key[3]]
    else:
        values = [v for v in values if isinstance(v, (str, int, float, bool))] or ([True] if values else [])
    return _json(values) if values else None


class CompiledRuleset:
    def __init__(self, rd: RulesetDefinition, key_ids: dict | None = None):
        import durable_rules_engine

        self.rd = rd
        self._core = durable_rules_engine
        self._handle: int | None = None  # created on first use: a one-file check creates only its markets' rulesets
        # (slot, source key, '"prop":', path, fact name for derived facts else None), in the ruleset's order; the
        # slot numbers a source key across the engine's rulesets, so a unit's rendered values sit in a list
        key_ids = key_ids if key_ids is not None else {}
        self._items = [(key_ids.setdefault(key, len(key_ids)), key, f'"{prop}":', path,
                        key[1] if key[0] == "fact" else None) for key, (prop, path) in rd.sources.items()]
        header = {"sid": "0", "id": "u", "t": "u"}
        header.update({b: 1 for b in rd.buckets})
        self._header = ",".join(f"{json.dumps(k)}:{_json(v)}" for k, v in header.items())

    @property
    def handle(self) -> int:
        """The durable-rules ruleset, created on first use (callers hold the engine's lock)."""
        if self._handle is None:
            self._handle = self._core.create_ruleset(self.rd.name, self.rd.definition_json())
        return self._handle

    def fact_json(self, view: UnitView) -> str:
        """The unit's fact for this ruleset. ``view.rendered`` is a list with one slot per source key of the
        engine (``_MISSING`` until rendered): the same source renders the same text in every ruleset."""
        parts = [self._header]
        rendered = view.rendered
        facts = view.facts
        for slot, key, prefix, path, fact in self._items:
            if fact is not None:  # facts grow between derivation layers: never cached
                if fact in facts:
                    parts.append(prefix + "true")
                continue
            value = rendered[slot]
            if value is _MISSING:
                value = rendered[slot] = _render_value(key, path, view)
            if value is not None:
                parts.append(prefix + value)
        return "{" + ",".join(parts) + "}"

    def fire(self, view: UnitView) -> set[str]:
        """Assert the unit's fact, drain every fired rule name, retract. Returns the names."""
        core = self._core
        fact = self.fact_json(view)
        handle = self.handle
        fired: set[str] = set()
        try:
            code, state = core.assert_fact(handle, fact)
        except Exception as exc:  # durable raises its own error type with a numeric code
            raise EngineError(f"durable-rules refused a fact in {self.rd.name}: {exc}") from None
        try:
            if code == 2:
                raise EngineError("durable-rules reports the fact as already observed (state leaked)")
            result = core.start_action_for_state(handle, state)
            if result:
                fired.add(_rule_name(result[1]))
                while True:
                    nxt = core.complete_and_start_action(handle, state)
                    if not nxt:
                        break
                    fired.add(_rule_name(nxt))
        finally:
            core.retract_fact(handle, fact)
        return fired


def _rule_name(action: str) -> str:
    """The fired rule's name from an action document ``{"<name>": {"m": {...the fact...}}}``. Names are
    synthetic (letters and digits, see NameAllocator), so the first key is read without parsing the fact."""
    if action.startswith('{"'):
        end = action.find('"', 2)
        if end > 2 and action[end + 1:end + 2] == ":":
            return action[2:end]
    (name,) = json.loads(action)  # pragma: no cover - durable-rules always writes the form above
    return name


@dataclass
class Evaluation:
    facts: set[str]
    rules: set[str]
    requirements: set[str]


class Engine:
    """Compiled packs plus the driver. Thread-safe: each unit is evaluated under a lock."""

    def __init__(self, packset: PackSet, compiled: CompiledPacks | None = None):
        self.packset = packset
        if compiled is None:
            compiled = compile_packs(packset, prefix=f"ce{next(_names)}_{packset.digest}")
        else:  # from the disk cache: ruleset names must still be unique in this process
            n = next(_names)
            for rd in [*compiled.derive, *compiled.groups]:
                rd.name = f"ce{n}_{packset.digest}_{rd.name}"
        self.compiled = compiled
        key_ids: dict = {}
        self.derive = [CompiledRuleset(layer, key_ids) for layer in compiled.derive]
        self.cycle_from = compiled.cycle_from
        self.groups = [CompiledRuleset(g, key_ids) for g in compiled.groups if g.definition_json() != "{}"]
        self._slots = len(key_ids)
        # The slots whose text depends on one manifest only (product, listing or seller data): a product's
        # units (one per market) and every unit's seller render them once. Keyed by the manifest's data
        # object, which build_units shares between those units.
        paths = {key: path for rs in [*self.derive, *self.groups] for (_, key, _, path, _) in rs._items}
        by_root: dict[str, list[int]] = {"product": [], "listing": [], "seller": []}
        for key, slot in key_ids.items():
            root = _single_root(key, paths.get(key))
            if root is not None:
                by_root[root].append(slot)
        self._root_slots = [(root, slots) for root, slots in by_root.items() if slots]
        self._rules = {r.id: r for r in packset.rules}
        self._lock = threading.Lock()

    def evaluate(self, view: UnitView, as_of: dt.date, memo: dict | None = None) -> Evaluation:
        """The rules and requirements that apply to the unit. ``memo`` (a dict owned by one run, whose
        manifests do not change while it runs) lets a unit reuse what an earlier unit rendered of the same
        product, listing or seller data object."""
        with self._lock:
            view.as_of = as_of
            rendered = view.rendered = [_MISSING] * self._slots
            if memo is not None:
                for root, slots in self._root_slots:
                    data = view.root(root)
                    kept = memo.get(root)
                    if data is not None and kept is not None and kept[0] is data:
                        texts = kept[1]
                        for slot in slots:
                            rendered[slot] = texts[slot]
            facts = self._derive(view, as_of)
            view.facts = facts
            rules: set[str] = set()
            reqs: set[str] = set()
            for g in self.groups:
                if g.rd.markets is not None and view.market not in g.rd.markets:
                    continue
                for name in g.fire(view):
                    t = g.rd.targets[name]
                    (rules if t.kind == "rule" else reqs).add(t.key)
            if memo is not None:
                for root, _ in self._root_slots:
                    data = view.root(root)
                    if data is not None:
                        memo[root] = (data, rendered)
            return Evaluation(facts, rules, reqs)

    def _derive(self, view: UnitView, as_of: dt.date) -> set[str]:
        """Derived facts: each ruleset once, in layer order (a ruleset reads only earlier rulesets' facts);
        the rulesets of a cycle are repeated together until they add nothing (derivation is monotone)."""
        facts: set[str] = set()
        straight = self.derive if self.cycle_from is None else self.derive[:self.cycle_from]
        for layer in straight:
            facts |= self._fire_derive(layer, view, facts, as_of)
        if self.cycle_from is not None:
            cycle = self.derive[self.cycle_from:]
            for _ in range(sum(len(c.rd.targets) for c in cycle) + 1):
                new: set[str] = set()
                for layer in cycle:
                    new |= self._fire_derive(layer, view, facts | new, as_of)
                if new <= facts:
                    break
                facts = facts | new
        return facts

    def _fire_derive(self, layer: CompiledRuleset, view: UnitView, facts: set[str], as_of: dt.date) -> set[str]:
        view.facts = facts
        out = set()
        for name in layer.fire(view):
            t = layer.rd.targets[name]
            if t.rule_id is None or self._rules[t.rule_id].in_force(as_of):
                out.add(t.key)
        return out


def _single_root(key: tuple, path) -> str | None:
    """The one manifest (product, listing, seller) a source key's text depends on; None when it depends on
    the market, the date, derived facts, whether a listing or seller exists, or on two manifests."""
    kind = key[0]
    if kind in ("market", "asof", "has", "fact") or path is None:
        return None
    if kind == "cmp":
        if key[3] == "equals_market":
            return None
        if key[3] == "equals_field":
            from .packs.conditions import FieldPath

            return path.root if FieldPath.parse(key[4]).root == path.root else None
    return path.root


def engine_for(packset: PackSet, compiled: CompiledPacks | None = None) -> Engine:
    """The process-wide engine for a pack set (compiled once, reused; ``compiled`` from the disk cache)."""
    key = packset.digest
    with _lock:
        eng = _cache.get(key)
        if eng is None:
            eng = _cache[key] = Engine(packset, compiled)
        return eng
