"""Conditions of rule packs (`when`): parsing, value extraction and the plain reference evaluation.

The same value extraction (:func:`atom_items`) feeds both the durable-rules facts (see
``engine.py``) and the plain evaluator here, which the golden test uses to cross-check the engine.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable

from ..markets import GROUPS, expand_markets

ROOTS = ("product", "listing", "seller")
SCALAR_OPS = ("equals", "in", "under", "contains", "contains_any", "gt", "gte", "lt", "lte")
# computed while the fact is built: compare a field with the unit's market or another field, or match it against
# a list of code prefixes (HS codes) or of category segments (taken from a pack data table)
COMPARE_OPS = ("equals_market", "equals_field", "prefix_in", "segment_in")
ATOM_OPS = ("exists", "has_item") + SCALAR_OPS + COMPARE_OPS
ITEM_SEP = "\x1f"
NUMERIC_OPS = ("gt", "gte", "lt", "lte")


@dataclass(frozen=True, eq=False)
class FieldPath:
    """A rooted field path; ``list_path`` is set when the path crosses one list with ``[]``.

    Equal and hashed by its text (which determines the rest): a FieldPath keys the per-unit value caches, and
    hashing the text (cached by Python) is much cheaper than hashing every field on each lookup."""

    text: str
    root: str
    head: tuple[str, ...]
    tail: tuple[str, ...] | None = None  # path inside each list item, when the path has []

    def __hash__(self) -> int:
        return hash(self.text)

    def __eq__(self, other: object) -> bool:
        return self is other or (isinstance(other, FieldPath) and self.text == other.text)

    @staticmethod
    @lru_cache(maxsize=8192)
    def parse(text: str) -> "FieldPath":
        if text.count("[]") > 1:
            raise ValueError(f"path '{text}' crosses more than one list ([] may appear once)")
        if "[]" in text:
            before, after = text.split("[]", 1)
            head = before.split(".")
            tail = tuple(p for p in after.split(".") if p) if after else ()
            if after and not after.startswith("."):
                raise ValueError(f"path '{text}': '[]' must be followed by '.' or end the path")
        else:
            head = text.split(".")
            tail = None
        if len(head) < 2 or head[0] not in ROOTS or any(not p for p in head):
            raise ValueError(f"path '{text}' must start with product., listing. or seller. and name a field")
        return FieldPath(text, head[0], tuple(head[1:]), tail)


def dig(obj: Any, parts: Iterable[str]) -> Any:
    """The value at a dotted path inside nested mappings (None when any step is missing)."""
    for p in parts:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(p)
        if obj is None:
            return None
    return obj


def is_absent(v: Any) -> bool:
    return v is None or (isinstance(v, (list, dict, str)) and len(v) == 0)


def path_values(path: FieldPath, root_obj: dict | None) -> list[Any]:
    """The values a path reaches: scalars, with list fields flattened one level. [] = not present."""
    if root_obj is None:
        return []
    if path.tail is None:
        v = dig(root_obj, path.head)
        if is_absent(v):
            return []
        return [x for x in v if not is_absent(x)] if isinstance(v, list) else [v]
    items = dig(root_obj, path.head)
    if not isinstance(items, list):
        return []
    out: list[Any] = []
    for item in items:
        v = dig(item, path.tail) if path.tail else item
        if is_absent(v):
            continue
        if isinstance(v, list):
            out.extend(x for x in v if not is_absent(x))
        else:
            out.append(v)
    return out


def is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def value_class(v: Any) -> str:
    """Values are compared only within a class: 'bool', 'num', 'str' (containers: 'other', never equal)."""
    if isinstance(v, bool):
        return "bool"
    if is_number(v):
        return "num"
    if isinstance(v, str):
        return "str"
    return "other"


class Cond:
    """Base class of condition nodes."""

    def children(self) -> tuple["Cond", ...]:
        return ()


@dataclass(frozen=True)
class All(Cond):
    items: tuple[Cond, ...]

    def children(self):
        return self.items


@dataclass(frozen=True)
class AnyOf(Cond):
    items: tuple[Cond, ...]

    def children(self):
        return self.items


@dataclass(frozen=True)
class Not(Cond):
    item: Cond

    def children(self):
        return (self.item,)


@dataclass(frozen=True)
class Fact(Cond):
    name: str


@dataclass(frozen=True)
class Market(Cond):
    codes: tuple[str, ...]


@dataclass(frozen=True)
class Has(Cond):
    what: str  # "listing" | "seller"


@dataclass(frozen=True)
class Since(Cond):
    """The check date (as-of) is on or after ``date``."""

    date: dt.date


@dataclass(frozen=True)
class Atom(Cond):
    path: FieldPath
    op: str
    value: Any  # scalar, tuple of scalars, or bool for exists
    default: Any = None

    @property
    def value_class(self) -> str:
        if self.op == "has_item":
            return "item:" + ",".join(k for k, _ in self.value)
        if self.op in NUMERIC_OPS:
            return "num"
        if self.op == "under":
            return "str"
        if self.op in COMPARE_OPS:
            return "cmp"
        if self.op in ("in", "contains_any"):
            classes = {value_class(v) for v in self.value}
            return classes.pop() if len(classes) == 1 else "str"
        return value_class(self.value)


class TrueCond(Cond):
    """The always-true condition. There is one instance, ``TRUE``, compared by identity; unpickling (the
    compiled-pack cache) returns that same instance."""

    def __repr__(self):
        return "TRUE"

    def __reduce__(self):
        return "TRUE"


TRUE = TrueCond()


def _freeze(v: Any) -> Any:
    return tuple(v) if isinstance(v, list) else v


def _table_values(ref: dict, tables: dict | None, where: str) -> tuple[str, ...]:
    """`{table: T, column: C}`: every value of column C over the rows of data table T (lists flattened)."""
    if not tables or ref["table"] not in tables:
        raise ValueError(f"{where}.table: no data table '{ref['table']}' in the pack's data: section")
    rows = tables[ref["table"]].entries
    if not isinstance(rows, list):
        raise ValueError(f"{where}.table: '{ref['table']}' is not a list of rows")
    out: list[str] = []
    for row in rows:
        v = row.get(ref["column"]) if isinstance(row, dict) else None
        for x in (v if isinstance(v, list) else [v] if v is not None else []):
            if str(x) not in out:
                out.append(str(x))
    if not out:
        raise ValueError(f"{where}.column: no row of '{ref['table']}' has a '{ref['column']}' value")
    return tuple(out)


def parse_condition(spec: Any, where: str, tables: dict | None = None) -> Cond:
    """Build a condition from its (schema-validated) YAML form. Raises ValueError naming ``where``."""
    if spec is None:
        return TRUE
    if not isinstance(spec, dict):
        raise ValueError(f"{where}: a condition must be a mapping")
    if "all" in spec:
        return All(tuple(parse_condition(c, f"{where}.all[{i}]", tables) for i, c in enumerate(spec["all"])))
    if "any" in spec:
        return AnyOf(tuple(parse_condition(c, f"{where}.any[{i}]", tables) for i, c in enumerate(spec["any"])))
    if "not" in spec:
        return Not(parse_condition(spec["not"], f"{where}.not", tables))
    if "fact" in spec:
        return Fact(spec["fact"])
    if "market" in spec:
        return Market(tuple(expand_markets(spec["market"])))
    if "has" in spec:
        return Has(spec["has"])
    if "since" in spec:
        d = spec["since"]
        try:
            return Since(d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)))
        except ValueError:
            raise ValueError(f"{where}.since: '{d}' is not a date (YYYY-MM-DD)") from None
    if "field" in spec:
        try:
            path = FieldPath.parse(spec["field"])
        except ValueError as exc:
            raise ValueError(f"{where}.field: {exc}") from None
        ops = [k for k in spec if k in ATOM_OPS]
        if len(ops) != 1:
            raise ValueError(f"{where}: an atom needs exactly one operator of {', '.join(ATOM_OPS)}")
        op = ops[0]
        value = spec[op]
        if op in ("in", "contains_any") and len({type(v) is bool for v in value}) > 1:
            raise ValueError(f"{where}.{op}: mixes true/false with other values; YAML reads bare NO, YES, ON, OFF as "
                             "true/false, so quote country codes such as \"NO\"")
        if op == "in" and any(isinstance(v, str) and v in GROUPS for v in value):
            value = expand_markets(value)
        if op == "under" and isinstance(value, str):
            value = [value]
        if op == "has_item":
            if path.tail is not None:
                raise ValueError(f"{where}.field: has_item takes the list itself (no [])")
            value = tuple(sorted((k, tuple(v) if isinstance(v, list) else (v,)) for k, v in value.items()))
            return Atom(path, op, value, None)
        if op in ("prefix_in", "segment_in"):
            value = _table_values(value, tables, f"{where}.{op}") if isinstance(value, dict) else tuple(str(v) for v in value)
            return Atom(path, op, value, spec.get("default"))
        if op == "equals_field":
            try:
                FieldPath.parse(value)
            except ValueError as exc:
                raise ValueError(f"{where}.equals_field: {exc}") from None
        return Atom(path, op, _freeze(value), spec.get("default"))
    raise ValueError(f"{where}: unknown condition {sorted(spec)}")


def atoms_of(cond: Cond) -> list[Atom]:
    """Every field atom of a condition."""
    if isinstance(cond, Atom):
        return [cond]
    return [a for c in cond.children() for a in atoms_of(c)]


def facts_used(cond: Cond) -> set[str]:
    if isinstance(cond, Fact):
        return {cond.name}
    out: set[str] = set()
    for c in cond.children():
        out |= facts_used(c)
    return out


def negated_facts(cond: Cond, negated: bool = False) -> set[str]:
    if isinstance(cond, Fact):
        return {cond.name} if negated else set()
    if isinstance(cond, Not):
        return negated_facts(cond.item, not negated)
    out: set[str] = set()
    for c in cond.children():
        out |= negated_facts(c, negated)
    return out


# ---------------------------------------------------------------- the unit view conditions read


class UnitView:
    """What conditions read of a check unit: product, listing and seller data, market, derived facts."""

    __slots__ = ("product", "listing", "seller", "market", "facts", "as_of", "_values", "rendered")

    def __init__(self, product: dict, market: str, listing: dict | None, seller: dict | None, facts: set[str] | None = None,
                 as_of: dt.date | None = None):
        self.product = product
        self.listing = listing
        self.seller = seller
        self.market = market
        self.facts = facts if facts is not None else set()
        self.as_of = as_of or dt.date.today()
        self._values: dict[str, list[Any]] = {}
        self.rendered: list = []  # the engine's rendered fact properties, one slot per source key (see engine.py)

    def values(self, path: FieldPath) -> list[Any]:
        """path_values of the unit, computed once per view (the unit's data does not change while it is checked)."""
        v = self._values.get(path.text)  # keyed by the text: str hashes are cached, FieldPath.__hash__ is a call
        if v is None:
            v = self._values[path.text] = path_values(path, self.root(path.root))
        return v

    def root(self, name: str) -> dict | None:
        return self.product if name == "product" else self.listing if name == "listing" else self.seller


def item_keys(path: FieldPath, keys: tuple[str, ...], view: UnitView) -> list[str]:
    """For has_item: one string per list item joining the item's values of ``keys``."""
    items = dig(view.root(path.root), path.head)
    if not isinstance(items, list):
        return []
    out = []
    for item in items:
        if isinstance(item, dict):
            vals = [item.get(k) for k in keys]
            if all(isinstance(v, (str, int, float, bool)) for v in vals):
                out.append(ITEM_SEP.join(str(v) for v in vals))
    return out


def item_combinations(value: tuple) -> list[str]:
    """For has_item: every joined string an item may have to match."""
    combos = [""]
    for i, (_, allowed) in enumerate(value):
        combos = [c + (ITEM_SEP if i else "") + str(a) for c in combos for a in allowed]
    return combos


def atom_items(atom_path: FieldPath, default: Any, view: UnitView) -> list[Any]:
    values = view.values(atom_path)
    if not values and default is not None:
        values = list(default) if isinstance(default, list) else [default]
    return values


def _eq(x: Any, v: Any) -> bool:
    return value_class(x) == value_class(v) and x == v


def compare_holds(atom: Atom, view: UnitView) -> bool:
    """The computed operators: some value of the field equals the unit's market (equals_market) or a value of
    another field (equals_field), starts with a listed prefix (prefix_in), or has a listed segment after its
    first (segment_in)."""
    items = [x for x in atom_items(atom.path, atom.default, view) if isinstance(x, (str, int, float, bool))]
    if atom.op == "equals_market":  # the schema allows only `true`
        return any(_eq(x, view.market) for x in items)
    if atom.op == "prefix_in":
        return any(isinstance(x, str) and x.startswith(atom.value) for x in items)
    if atom.op == "segment_in":
        keys = set(atom.value)
        return any(isinstance(x, str) and any(seg in keys for seg in x.split(".")[1:]) for x in items)
    others = view.values(FieldPath.parse(atom.value))
    return any(_eq(x, y) for x in items for y in others)


def atom_holds(atom: Atom, view: UnitView) -> bool:
    op, v = atom.op, atom.value
    if op == "has_item":
        keys = tuple(k for k, _ in v)
        have = item_keys(atom.path, keys, view)
        return any(h in set(item_combinations(v)) for h in have)
    if op in COMPARE_OPS:
        return compare_holds(atom, view)
    items = atom_items(atom.path, atom.default, view)
    if op == "exists":
        return bool(items) == bool(v)
    if op in ("equals", "contains"):
        return any(_eq(x, v) for x in items)
    if op in ("in", "contains_any"):
        return any(_eq(x, w) for x in items for w in v)
    if op == "under":
        return any(isinstance(x, str) and any(x == k or x.startswith(k + ".") for k in v) for x in items)
    nums = [x for x in items if is_number(x)]
    if op == "gt":
        return any(x > v for x in nums)
    if op == "gte":
        return any(x >= v for x in nums)
    if op == "lt":
        return any(x < v for x in nums)
    if op == "lte":
        return any(x <= v for x in nums)
    raise AssertionError(op)  # pragma: no cover


def holds(cond: Cond, view: UnitView) -> bool:
    """The plain, direct evaluation of a condition (the reference the engine is tested against)."""
    if cond is TRUE:
        return True
    if isinstance(cond, All):
        return all(holds(c, view) for c in cond.items)
    if isinstance(cond, AnyOf):
        return any(holds(c, view) for c in cond.items)
    if isinstance(cond, Not):
        return not holds(cond.item, view)
    if isinstance(cond, Fact):
        return cond.name in view.facts
    if isinstance(cond, Market):
        return view.market in cond.codes
    if isinstance(cond, Has):
        return (view.listing if cond.what == "listing" else view.seller) is not None
    if isinstance(cond, Since):
        return view.as_of >= cond.date
    if isinstance(cond, Atom):
        return atom_holds(cond, view)
    raise AssertionError(cond)  # pragma: no cover


# ---------------------------------------------------------------- normal forms for the compiler

Literal = tuple[bool, Cond]  # (positive?, Fact | Market | Has | Atom)


def to_dnf(cond: Cond, limit: int = 64) -> list[list[Literal]]:
    """Disjunctive normal form with negation pushed onto atoms: a list of conjunctions of literals."""

    def go(c: Cond, positive: bool) -> list[list[Literal]]:
        if c is TRUE:
            return [[]] if positive else []
        if isinstance(c, Not):
            return go(c.item, not positive)
        if isinstance(c, (All, AnyOf)):
            conj = isinstance(c, All) == positive
            parts = [go(x, positive) for x in c.items]
            if not conj:
                out = [term for p in parts for term in p]
            else:
                out = [[]]
                for p in parts:
                    out = [a + b for a in out for b in p]
                    if len(out) > limit:
                        raise ValueError(f"condition expands to more than {limit} alternatives; simplify it")
            if len(out) > limit:
                raise ValueError(f"condition expands to more than {limit} alternatives; simplify it")
            return out
        return [[(positive, c)]]

    return go(cond, True)
