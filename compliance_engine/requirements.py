"""Requirement checks: plain functions over a check unit (documents, registrations, fields, limits...).

Each check takes the requirement's spec and a :class:`Context` and returns an :class:`Outcome`.
No durable-rules here: the engine decides which rules and requirements apply, these functions
decide whether an applicable requirement holds, and say precisely what is missing when it does not.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from .markets import EU27, expand_markets
from .packs.conditions import FieldPath, is_absent, is_number, path_values
from .packs.model import DataTable
from .units import CheckUnit, Source


@dataclass
class Outcome:
    ok: bool
    missing_documents: list[dict] = field(default_factory=list)
    missing_fields: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # plain-language reasons
    absent: bool = False  # failed only because a field it reads is absent
    where: tuple[Source | None, str] | None = None  # (source, field path) the outcome is about


@dataclass
class Context:
    unit: CheckUnit
    as_of: dt.date
    tables: dict[str, DataTable]

    def root(self, name: str) -> dict | None:
        u = self.unit
        return u.product if name == "product" else u.listing if name == "listing" else u.seller

    def source(self, name: str) -> Source | None:
        u = self.unit
        return u.product_source if name == "product" else u.listing_source if name == "listing" else u.seller_source

    def shown_path(self, path: FieldPath | str) -> str:
        """A field path as the user wrote it in their manifest (embedded listings: listings[0].x)."""
        fp = FieldPath.parse(path) if isinstance(path, str) else path
        inner = ".".join(fp.head) + ("[]" + ("." + ".".join(fp.tail) if fp.tail else "") if fp.tail is not None else "")
        src = self.source(fp.root)
        if fp.root == "listing" and src is not None and src.prefix:
            return f"{src.prefix}.{inner}"
        if fp.root == "seller":
            return f"seller.{inner}"
        return inner

    def where(self, path: FieldPath | str) -> tuple[Source | None, str]:
        fp = FieldPath.parse(path) if isinstance(path, str) else path
        inner = ".".join(fp.head)
        return (self.source(fp.root), inner)


def _date(v: Any) -> dt.date | None:
    if v is None:
        return None
    if isinstance(v, dt.date):
        return v
    try:
        return dt.date.fromisoformat(str(v))
    except ValueError:
        return None


def _list(v: Any) -> list:
    if v is None:
        return []
    return list(v) if isinstance(v, (list, tuple)) else [v]


def _join(values: list[str], last: str = "or") -> str:
    values = [str(v) for v in values]
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + f" {last} " + values[-1]


# ----------------------------------------------------------------------------- documents


def _in_force_problem(item: dict, what: str, as_of: dt.date, base: Path | None) -> str | None:
    issued, expires = _date(item.get("issued")), _date(item.get("expires"))
    if issued and issued > as_of:
        return f"{what} is issued {issued.isoformat()}, after the check date {as_of.isoformat()}"
    if expires and expires < as_of:
        return f"{what} expired on {expires.isoformat()}"
    if item.get("result") == "fail":
        return f"{what} records a failed result"
    f = item.get("file")
    if f and base is not None:
        target = (base / f)
        if not target.is_file():
            return f"{what}: file {f} does not exist (relative to its manifest)"
    return None


def _doc_detail(spec: dict) -> str:
    if spec.get("detail"):
        return spec["detail"]
    parts = []
    if spec.get("covers"):
        parts.append("covering " + _join(spec["covers"], "and"))
    if spec.get("standards"):
        parts.append("to " + _join(spec["standards"], "and"))
    if spec.get("kind"):
        parts.append(f"of kind {spec['kind']}")
    if spec.get("model"):
        parts.append("naming the product's model")
    return ", ".join(parts)


def check_document(spec: dict, ctx: Context) -> Outcome:
    types = _list(spec["type"])
    level = spec.get("level", "any")
    holders: list[tuple[dict | None, Source | None]] = []
    if level in ("product", "any"):
        holders.append((ctx.unit.product, ctx.unit.product_source))
    if level in ("seller", "any") and ctx.unit.seller is not None:
        holders.append((ctx.unit.seller, ctx.unit.seller_source))
    model = (ctx.unit.product.get("identifiers") or {}).get("model")
    problems: list[str] = []
    for data, src in holders:
        base = src.manifest.directory if (src and src.manifest) else None
        for doc in data.get("documents") or []:
            if doc.get("type") not in types:
                continue
            if not set(_list(spec.get("covers"))) <= set(doc.get("covers") or []):
                continue
            stds = doc.get("standards") or []
            if not all(any(str(s).startswith(p) for s in stds) for p in _list(spec.get("standards"))):
                continue
            if spec.get("kind") and doc.get("kind") != spec["kind"]:
                continue
            if spec.get("model") and model and doc.get("model") and doc.get("model") != model:
                problems.append(f"{doc.get('id', doc['type'])} names model {doc.get('model')}, not {model}")
                continue
            why = _in_force_problem(doc, doc.get("id") or doc["type"], ctx.as_of, base)
            if why:
                problems.append(why)
                continue
            return Outcome(True)
    entry = {"type": types[0], "detail": _doc_detail(spec)}
    if len(types) > 1:
        entry["detail"] = (f"or {_join(types[1:])}" + (f"; {entry['detail']}" if entry["detail"] else ""))
    return Outcome(False, missing_documents=[entry], problems=problems,
                   where=(ctx.unit.product_source, "documents"))


def check_registration(spec: dict, ctx: Context) -> Outcome:
    types = _list(spec["type"])
    market = spec.get("market", "unit")
    target = ctx.unit.market if market == "unit" else market
    level = spec.get("level", "any")
    problems: list[str] = []

    def market_ok(code: str | None) -> bool:
        if market == "any":
            return True
        if code is None:
            return False
        return code == target or (code == "EU" and target in EU27) or (target == "EU" and code in EU27)

    candidates: list[tuple[dict, str]] = []
    if level in ("product", "any"):
        candidates += [(r, "market") for r in ctx.unit.product.get("registrations") or []]
    if level in ("seller", "any") and ctx.unit.seller is not None:
        candidates += [(r, "country") for r in ctx.unit.seller.get("registrations") or []]
    for reg, key in candidates:
        if reg.get("type") not in types or not market_ok(reg.get(key) or reg.get("market") or reg.get("country")):
            continue
        if is_absent(reg.get("number")):
            problems.append(f"{reg['type']} registration has no number")
            continue
        if spec.get("number_matches") and not _regex(spec["number_matches"]).search(str(reg["number"])):
            problems.append(f"{reg['type']} registration number {reg['number']} does not have the expected format "
                            f"({spec['number_matches']})")
            continue
        if spec.get("holder_role") and (reg.get("holder") or {}).get("role") != spec["holder_role"]:
            problems.append(f"{reg['type']} registration is not held by the {spec['holder_role']}")
            continue
        why = _in_force_problem(reg, f"{reg['type']} registration {reg.get('number')}", ctx.as_of, None)
        if why:
            problems.append(why)
            continue
        if spec.get("max_age_days"):
            issued = _date(reg.get("issued"))
            if issued is None:
                problems.append(f"{reg['type']} registration {reg.get('number')} has no issued date to show it is current")
                continue
            age = (ctx.as_of - issued).days
            if age > spec["max_age_days"]:
                problems.append(f"{reg['type']} registration {reg.get('number')} was made {age} days ago "
                                f"(it must be renewed every {spec['max_age_days']} days)")
                continue
        return Outcome(True)
    detail = spec.get("detail") or (f"for {target}" if market != "any" else "")
    if spec.get("holder_role"):
        detail += f", held by the {spec['holder_role']}"
    return Outcome(False, missing_documents=[{"type": types[0], "kind": "registration", "detail": detail.strip(", ")}],
                   problems=problems, where=(ctx.unit.product_source, "registrations"))


# ----------------------------------------------------------------------------- fields and limits


def _scalar_eq(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b if isinstance(a, bool) or isinstance(b, bool) else a == b


@lru_cache(maxsize=256)
def _regex(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


def check_field(spec: dict, ctx: Context) -> Outcome:
    fp = FieldPath.parse(spec["path"])
    values = path_values(fp, ctx.root(fp.root))
    shown = ctx.shown_path(fp)
    where = ctx.where(fp)
    if "exists" in spec:
        if bool(values) == spec["exists"]:
            return Outcome(True)
        if spec["exists"]:
            return Outcome(False, missing_fields=[shown], absent=True, where=where)
        return Outcome(False, missing_fields=[f"{shown}: must be absent"], where=where)
    if not values:
        return Outcome(False, missing_fields=[shown], absent=True, where=where)
    if "equals" in spec:
        ok = any(_scalar_eq(v, spec["equals"]) for v in values)
        expect = f"{shown}: {_fmt(spec['equals'])}"
    elif "in" in spec:
        ok = any(_scalar_eq(v, w) for v in values for w in spec["in"])
        expect = f"{shown}: one of {_join([_fmt(w) for w in spec['in']])}"
    elif "not_in" in spec:
        bad = [v for v in values if any(_scalar_eq(v, w) for w in spec["not_in"])]
        ok = not bad
        expect = f"{shown}: not {_join([_fmt(w) for w in bad])}"
    elif "contains" in spec:
        ok = any(_scalar_eq(v, spec["contains"]) for v in values)
        expect = f"{shown}: {_fmt(spec['contains'])}"
    elif "contains_all" in spec:
        lacking = [w for w in spec["contains_all"] if not any(_scalar_eq(v, w) for v in values)]
        ok = not lacking
        expect = f"{shown}: {', '.join(_fmt(w) for w in lacking)}"
    elif "contains_any" in spec:
        ok = any(_scalar_eq(v, w) for v in values for w in spec["contains_any"])
        expect = f"{shown}: one of {_join([_fmt(w) for w in spec['contains_any']])}"
    else:
        rx = _regex(spec["matches"])
        ok = any(isinstance(v, str) and rx.search(v) for v in values)
        expect = f"{shown}: text matching {spec['matches']}"
    return Outcome(True) if ok else Outcome(False, missing_fields=[expect], where=where)


def _fmt(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def check_limit(spec: dict, ctx: Context) -> Outcome:
    fp = FieldPath.parse(spec["path"])
    values = [v for v in path_values(fp, ctx.root(fp.root)) if is_number(v)]
    shown = ctx.shown_path(fp)
    if not values:
        return Outcome(False, missing_fields=[shown], absent=True, where=ctx.where(fp))
    unit = f" {spec['unit']}" if spec.get("unit") else ""
    problems = []
    for v in values:
        lo, hi = spec.get("min"), spec.get("max")
        if lo is not None and (v <= lo if spec.get("min_exclusive") else v < lo):
            problems.append(f"{shown} is {_num(v)}{unit}, below the {'exclusive ' if spec.get('min_exclusive') else ''}minimum of {_num(lo)}{unit}")
        if hi is not None and (v >= hi if spec.get("max_exclusive") else v > hi):
            problems.append(f"{shown} is {_num(v)}{unit}, above the {'exclusive ' if spec.get('max_exclusive') else ''}limit of {_num(hi)}{unit}")
    if problems:
        return Outcome(False, missing_fields=[p.replace(" is ", ": ", 1) for p in problems], problems=problems, where=ctx.where(fp))
    return Outcome(True)


def _num(v: float) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


# ----------------------------------------------------------------------------- parties and labels


def _jurisdictions(j: str, ctx: Context) -> set[str]:
    if j == "unit":
        j = ctx.unit.market
    if j == "EU":
        return {"EU", "XI"} if ctx.unit.market == "XI" else {"EU"}
    return {j}


def check_operator(spec: dict, ctx: Context) -> Outcome:
    juris = _jurisdictions(spec["jurisdiction"], ctx)
    roles = spec["roles"]
    fields = spec.get("fields") or []
    country_in = spec.get("country_in")
    ops = ctx.unit.product.get("economic_operators") or []
    problems = []
    for op in ops:
        if op.get("jurisdiction") not in juris or op.get("role") not in roles:
            continue
        if country_in:
            if country_in == "jurisdiction":
                allowed: set[str] = set()
                for j in juris:
                    allowed |= set(EU27) if j == "EU" else {j}
            else:
                allowed = set(expand_markets(country_in))
            if ctx.unit.market == "XI" and "EU" in juris:
                allowed |= {"XI"}  # an NI-established operator also answers for NI units
            if op.get("country") not in allowed:
                problems.append(f"the {op['role']} {op.get('name', '')} is established in {op.get('country')}, outside {_join(sorted(allowed))}".replace("  ", " "))
                continue
        empty = [f for f in fields if is_absent(op.get(f))]
        if empty:
            problems.append(f"the {op['role']} {op.get('name', '')} has no {_join(empty, 'and')}".replace("  ", " "))
            continue
        return Outcome(True)
    where = "/".join(sorted(juris))
    text = f"economic_operators: an entry with jurisdiction {where} and role {_join(roles)}"
    if fields:
        text += f", with {_join(fields, 'and')}"
    return Outcome(False, missing_fields=[text], problems=problems, absent=not ops,
                   where=(ctx.unit.product_source, "economic_operators"))


def check_contact_on_pack(spec: dict, ctx: Context) -> Outcome:
    roles = _list(spec["role"])
    juris = _jurisdictions(spec["jurisdiction"], ctx) if spec.get("jurisdiction") else None
    contacts = (ctx.unit.product.get("labelling") or {}).get("contacts_on_pack")
    where = (ctx.unit.product_source, "labelling.contacts_on_pack")
    desc = f"labelling.contacts_on_pack: {_join(roles)}" + (f" ({'/'.join(sorted(juris))})" if juris else "")
    need_all, need_any = spec.get("channels_all") or [], spec.get("channels_any") or []
    if need_all or need_any:
        bits = []
        if need_all:
            bits.append(_join(need_all, "and"))
        if need_any:
            bits.append(_join(need_any, "or"))
        desc += " with " + " plus ".join(bits)
    if not contacts:
        return Outcome(False, missing_fields=[desc], absent=True, where=where)
    for c in contacts:
        if c.get("role") not in roles:
            continue
        if juris is not None and c.get("role") != "manufacturer" and c.get("jurisdiction") not in juris:
            continue
        channels = set(c.get("channels") or ["address"])
        if not set(need_all) <= channels:
            continue
        if need_any and not channels & set(need_any):
            continue
        return Outcome(True)
    return Outcome(False, missing_fields=[desc], where=where)


def check_languages(spec: dict, ctx: Context) -> Outcome:
    fp = FieldPath.parse(spec["path"])
    table = ctx.tables[spec["table"]]
    shown = ctx.shown_path(fp)
    entry = table.entries.get(ctx.unit.market) if isinstance(table.entries, dict) else None
    if entry is None:
        return Outcome(False, problems=[f"no language table entry for {ctx.unit.market}"], absent=True,
                       missing_fields=[f"{shown}: (no official-language entry for {ctx.unit.market})"], where=ctx.where(fp))
    langs = set(path_values(fp, ctx.root(fp.root)))
    if isinstance(entry, dict):
        needed = list(entry["all"])
        ok = set(needed) <= langs
        want = _join(needed, "and")
    else:
        needed = _list(entry)
        ok = bool(langs & set(needed))
        want = _join(needed)
    if not langs:
        return Outcome(False, missing_fields=[f"{shown}: {want}"], absent=True, where=ctx.where(fp))
    if ok:
        return Outcome(True)
    return Outcome(False, missing_fields=[f"{shown}: {want}"],
                   problems=[f"{shown} has {_join(sorted(langs), 'and')}, not {want} for {ctx.unit.market}"],
                   where=ctx.where(fp))


# ----------------------------------------------------------------------------- substances


def _norm(name: Any) -> str:
    return " ".join(str(name).lower().split())


def _substance_items(ctx: Context, where: list[str]):
    for coll in where:
        for i, item in enumerate(ctx.unit.product.get(coll) or []):
            pct = item.get("percent") if coll == "ingredients" else item.get("concentration_pct")
            yield f"{coll}[{i}]", item, pct


def _matches(item: dict, cas: set[str], names: set[str]) -> bool:
    if item.get("cas") and cas:
        if item["cas"] in cas:
            return True
    return _norm(item.get("name", "")) in names


def check_substances_absent(spec: dict, ctx: Context) -> Outcome:
    table = ctx.tables[spec["table"]]
    where = spec.get("in") or ["ingredients", "substances"]
    problems, fields, absent = [], [], False
    for entry in table.entries:
        cas = {c for c in _list(entry.get("cas"))}
        names = {_norm(n) for n in [entry.get("name"), *_list(entry.get("synonyms"))] if n}
        for path, item, pct in _substance_items(ctx, where):
            if not _matches(item, cas, names):
                continue
            limit = entry.get("max_pct")
            label = f"{item.get('name')}" + (f" (CAS {item['cas']})" if item.get("cas") else "")
            if limit is None:
                problems.append(f"{path} {label} is prohibited ({entry.get('name')})")
                fields.append(f"{path}: {label} must be removed")
            elif pct is None:
                absent = True
                problems.append(f"{path} {label} has no concentration to compare with the {limit} % limit")
                fields.append(f"{path}.{'percent' if path.startswith('ingredients') else 'concentration_pct'}")
            elif pct > limit:
                problems.append(f"{path} {label} is at {_num(pct)} %, above the {_num(limit)} % limit")
                fields.append(f"{path}: {label} at {_num(pct)} % exceeds {_num(limit)} %")
    if not problems:
        return Outcome(True)
    return Outcome(False, missing_fields=fields, problems=problems, absent=absent and len(problems) == 1,
                   where=(ctx.unit.product_source, fields[0].split(":")[0].split(".")[0]))


def check_substance_limit(spec: dict, ctx: Context) -> Outcome:
    cas = set(_list(spec.get("cas")))
    names = {_norm(n) for n in _list(spec.get("names"))}
    limit = spec["max_pct"]
    problems, fields, unknown = [], [], []
    for path, item, pct in _substance_items(ctx, spec.get("in") or ["ingredients", "substances"]):
        if not _matches(item, cas, names):
            continue
        label = f"{item.get('name')}" + (f" (CAS {item['cas']})" if item.get("cas") else "")
        if pct is None:
            unknown.append(f"{path}.{'percent' if path.startswith('ingredients') else 'concentration_pct'}")
        elif pct > limit:
            problems.append(f"{path} {label} is at {_num(pct)} %, above the {_num(limit)} % limit")
            fields.append(f"{path}: {label} at {_num(pct)} % exceeds {_num(limit)} %")
    if problems:
        return Outcome(False, missing_fields=fields + unknown, problems=problems,
                       where=(ctx.unit.product_source, fields[0].split(":")[0]))
    if unknown:
        return Outcome(False, missing_fields=unknown, absent=True,
                       problems=[f"{u} is unknown; the limit is {_num(limit)} %" for u in unknown],
                       where=(ctx.unit.product_source, unknown[0]))
    return Outcome(True)


def check_descending(spec: dict, ctx: Context) -> Outcome:
    fp = FieldPath.parse(spec["path"])
    items = path_values(FieldPath(fp.text, fp.root, fp.head, None), ctx.root(fp.root))
    shown = ctx.shown_path(fp)
    key, floor = spec["key"], spec.get("until_at_most")
    if not items:
        return Outcome(False, missing_fields=[shown], absent=True, where=ctx.where(fp))
    last, last_i = None, None
    for i, item in enumerate(items):
        v = item.get(key) if isinstance(item, dict) else None
        if not is_number(v):
            continue
        if last is not None and v > last:
            return Outcome(False, missing_fields=[f"{shown}[{i}].{key}: {_num(v)} is above {shown}[{last_i}].{key} {_num(last)} (not in descending order)"],
                           problems=[f"{shown} are not in descending order of {key} at item {i}"], where=ctx.where(fp))
        if floor is not None and v <= floor:
            return Outcome(True)
        last, last_i = v, i
    return Outcome(True)


def check_schema(spec: dict, ctx: Context) -> Outcome:
    import jsonschema

    validator = _schema_validator(_freeze_schema(spec))
    errors = sorted(validator.iter_errors(ctx.unit.product), key=lambda e: list(map(str, e.absolute_path)))
    if not errors:
        return Outcome(True)
    fields = []
    for e in errors:
        p = ""
        for part in e.absolute_path:
            p += f"[{part}]" if isinstance(part, int) else (f".{part}" if p else str(part))
        fields.append(f"{p or '(product)'}: {e.message}")
    return Outcome(False, missing_fields=fields, where=(ctx.unit.product_source, fields[0].split(":")[0]))


def _freeze_schema(spec: Any) -> str:
    import json

    return json.dumps(spec, sort_keys=True)


@lru_cache(maxsize=256)
def _schema_validator(text: str):
    import json

    import jsonschema

    return jsonschema.Draft202012Validator(json.loads(text))


CHECKS: dict[str, Callable[[Any, Context], Outcome]] = {
    "document": check_document,
    "registration": check_registration,
    "field": check_field,
    "limit": check_limit,
    "operator": check_operator,
    "contact_on_pack": check_contact_on_pack,
    "languages": check_languages,
    "substances_absent": check_substances_absent,
    "substance_limit": check_substance_limit,
    "descending": check_descending,
    "schema": check_schema,
}


def describe(kind: str, spec: Any) -> str:
    """A short plain-language description of a requirement (used when it carries no label)."""
    if kind == "document":
        d = _doc_detail(spec)
        return f"{_join(_list(spec['type']))}" + (f" {d}" if d else "")
    if kind == "registration":
        return f"{_join(_list(spec['type']))} registration"
    if kind == "field":
        op = next(k for k in spec if k != "path")
        return f"{spec['path'].split('.', 1)[1]} {op.replace('_', ' ')} {_fmt(spec[op]) if not isinstance(spec[op], list) else _join(spec[op], 'and' if op == 'contains_all' else 'or')}"
    if kind == "limit":
        return f"{spec['path'].split('.', 1)[1]} within limits"
    if kind == "operator":
        return f"{_join(spec['roles'])} in {spec['jurisdiction']}"
    if kind == "contact_on_pack":
        return f"{_join(_list(spec['role']))} contact on the label"
    if kind == "languages":
        return f"{spec['path'].split('.', 1)[1]} in an official language"
    if kind in ("substances_absent", "substance_limit"):
        return "no prohibited or over-limit substances"
    if kind == "descending":
        return f"{spec['path'].split('.', 1)[1]} in descending order of {spec['key']}"
    if kind == "schema":
        return "product matches the rule's schema"
    if kind == "any_of":
        return "one of several alternatives"
    return kind
