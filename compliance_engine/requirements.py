"""Requirement checks: plain functions over a check unit (documents, registrations, fields, limits...).

Each check takes the requirement's spec and a :class:`Context` and returns an :class:`Outcome`.
No durable-rules here: the engine decides which rules and requirements apply, these functions
decide whether an applicable requirement holds, and say precisely what is missing when it does not.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, NamedTuple

from . import safe_regex
from .markets import EU27, expand_markets
from .packs.conditions import FieldPath, dig, is_absent, is_number, path_values
from .packs.model import DataTable
from .paths import contained_file, manifest_repository
from .units import CheckUnit, Source


@dataclass
class Outcome:
    ok: bool
    missing_documents: list[dict] = field(default_factory=list)
    missing_fields: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # plain-language reasons
    absent: bool = False  # failed only because a field it reads is absent
    where: tuple[Source | None, str] | None = None  # (source, field path) the outcome is about
    notes: list[str] = field(default_factory=list)  # what a computing check found (size tier, ratio), pass or fail
    evidence: list[dict] = field(default_factory=list)  # documents/registrations that satisfied it (see _evidence)


@dataclass
class Context:
    unit: CheckUnit
    as_of: dt.date
    tables: dict[str, DataTable]
    notes: dict[str, list[str]] = field(default_factory=dict)  # requirement key -> notes of its outcome

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


class _Problem(NamedTuple):
    """Why a held document or registration does not count; ``outside`` when its file lies outside its repository."""

    text: str
    outside: bool = False


def _in_force_problem(item: dict, what: str, as_of: dt.date, base: Path | None,
                      checked: Path | None = None) -> _Problem | None:
    """Why ``item`` does not count on ``as_of``: not yet issued, expired, a failed result, or its ``file`` (relative
    to ``base``, the declaring manifest's directory) outside that manifest's repository or absent. A file outside
    the repository is never opened, and one leaving it through ``..`` is not looked at on disk at all (see
    :func:`compliance_engine.paths.contained_file`)."""
    issued, expires = _date(item.get("issued")), _date(item.get("expires"))
    if issued and issued > as_of:
        return _Problem(f"{what} is issued {issued.isoformat()}, after the check date {as_of.isoformat()}")
    if expires and expires < as_of:
        return _Problem(f"{what} expired on {expires.isoformat()}")
    if item.get("result") == "fail":
        return _Problem(f"{what} records a failed result")
    f = item.get("file")
    if f and base is not None:
        target = contained_file(str(f), base, manifest_repository(base, checked))
        if target is None:
            return _Problem(f"{what}: file {f} is outside the repository of its manifest, so it is not read "
                            "and does not count", outside=True)
        try:
            present = target.is_file()
        except OSError as exc:  # a name the system refuses (too long), a directory we may not enter
            return _Problem(f"{what}: file {f} cannot be looked up ({exc.strerror or exc})")
        if not present:
            return _Problem(f"{what}: file {f} does not exist (relative to its manifest)")
    return None


def _doc_detail(spec: dict) -> str:
    if spec.get("detail"):
        return spec["detail"]
    parts = []
    if spec.get("covers"):
        parts.append("covering " + _join(spec["covers"], "and"))
    if spec.get("standards"):
        parts.append("to " + _join([_join(_list(w)) for w in spec["standards"]], "and"))
    if spec.get("kind"):
        parts.append(f"of kind {spec['kind']}")
    if spec.get("model"):
        parts.append("naming the product's model")
    return ", ".join(parts)


def _evidence(kind: str, item: dict, src: Source | None, path: str) -> dict:
    """What satisfied a document or registration requirement: the entry, where it is declared, its file."""
    out = {"kind": kind, "type": item.get("type"), "id": item.get("id") or item.get("number"),
           "manifest": src.file if src else None, "field": path, "line": src.line_of(path) if src else 1,
           "file": item.get("file"), "directory": str(src.manifest.directory) if (src and src.manifest) else None,
           "issued": item.get("issued"), "expires": item.get("expires")}
    return {k: (str(v) if isinstance(v, dt.date) else v) for k, v in out.items()}


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
    outside: tuple[Source | None, str] | None = None  # the first document refused for a file outside its repository
    for data, src in holders:
        base = src.manifest.directory if (src and src.manifest) else None
        checked = src.manifest.checked if (src and src.manifest) else None
        for i, doc in enumerate(data.get("documents") or []):
            if doc.get("type") not in types:
                continue
            if not set(_list(spec.get("covers"))) <= set(doc.get("covers") or []):
                continue
            stds = doc.get("standards") or []
            # each wanted standard is a prefix, or a list of alternative prefixes (spellings of one standard)
            if not all(any(str(s).startswith(p) for s in stds for p in _list(want)) for want in _list(spec.get("standards"))):
                continue
            if spec.get("kind") and doc.get("kind") != spec["kind"]:
                continue
            if spec.get("model") and model and doc.get("model") and doc.get("model") != model:
                problems.append(f"{doc.get('id', doc['type'])} names model {doc.get('model')}, not {model}")
                continue
            why = _in_force_problem(doc, doc.get("id") or doc["type"], ctx.as_of, base, checked)
            if why:
                problems.append(why.text)
                if why.outside and outside is None:
                    outside = (src, f"documents[{i}].file")
                continue
            return Outcome(True, evidence=[_evidence("document", doc, src, f"documents[{i}]")])
    entry = {"type": types[0], "detail": _doc_detail(spec)}
    if len(types) > 1:
        entry["detail"] = (f"or {_join(types[1:])}" + (f"; {entry['detail']}" if entry["detail"] else ""))
    return Outcome(False, missing_documents=[entry], problems=problems,
                   where=outside or (ctx.unit.product_source, "documents"))


def check_registration(spec: dict, ctx: Context) -> Outcome:
    market = spec.get("market", "unit")
    each = spec.get("for_each_country")
    if each is None:
        if "." not in market:
            return _registration_for(spec, ctx, ctx.unit.market if market == "unit" else market)
        fp = FieldPath.parse(market)
        codes = [v for v in path_values(fp, ctx.root(fp.root)) if isinstance(v, str)]
        if not codes:
            return Outcome(False, missing_fields=[ctx.shown_path(fp)], absent=True, where=ctx.where(fp),
                           problems=[f"{ctx.shown_path(fp)} is not given, so the registration country is unknown"])
        return merge_all([_registration_for(spec, ctx, c) for c in codes])
    codes: list[str] = []
    for text in each.get("paths") or []:
        fp = FieldPath.parse(text)
        codes += [v for v in path_values(fp, ctx.root(fp.root)) if isinstance(v, str)]
    codes += list(each.get("values") or [])
    within = set(expand_markets(each["within"])) if each.get("within") else None
    wanted = sorted({c for c in codes if within is None or c in within})
    if not wanted:
        return Outcome(True)
    return merge_all([_registration_for(spec, ctx, c) for c in wanted])


def merge_all(outcomes: list[Outcome]) -> Outcome:
    """Every outcome must hold; failures are merged (documents, fields and reasons of each)."""
    bad = [o for o in outcomes if not o.ok]
    if not bad:
        return Outcome(True, evidence=[e for o in outcomes for e in o.evidence])
    return Outcome(False, [d for o in bad for d in o.missing_documents], [f for o in bad for f in o.missing_fields],
                   [p for o in bad for p in o.problems], all(o.absent for o in bad),
                   next((o.where for o in bad if o.where), None))


def _registration_for(spec: dict, ctx: Context, target: str) -> Outcome:
    types = _list(spec["type"])
    market = spec.get("market", "unit")
    level = spec.get("level", "any")
    problems: list[str] = []

    def market_ok(code: str | None) -> bool:
        if market == "any":
            return True
        if code is None:
            return False
        return code == target or (code == "EU" and target in EU27) or (target == "EU" and code in EU27)

    candidates: list[tuple[dict, str, Source | None, str]] = []
    if level in ("product", "any"):
        candidates += [(r, "market", ctx.unit.product_source, f"registrations[{i}]")
                       for i, r in enumerate(ctx.unit.product.get("registrations") or [])]
    if level in ("seller", "any") and ctx.unit.seller is not None:
        candidates += [(r, "country", ctx.unit.seller_source, f"registrations[{i}]")
                       for i, r in enumerate(ctx.unit.seller.get("registrations") or [])]
    for reg, key, src, path in candidates:
        if reg.get("type") not in types or not market_ok(reg.get(key) or reg.get("market") or reg.get("country")):
            continue
        if is_absent(reg.get("number")):
            problems.append(f"{reg['type']} registration has no number")
            continue
        if spec.get("number_matches") and not _regex(spec["number_matches"]).search(str(reg["number"])):
            problems.append(f"{reg['type']} registration number {reg['number']} does not have the expected format "
                            f"({spec['number_matches']})")
            continue
        if spec.get("holder_role") and (reg.get("holder") or {}).get("role") not in _list(spec["holder_role"]):
            problems.append(f"{reg['type']} registration is not held by the {_join(_list(spec['holder_role']))}")
            continue
        why = _in_force_problem(reg, f"{reg['type']} registration {reg.get('number')}", ctx.as_of, None)
        if why:
            problems.append(why.text)
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
        return Outcome(True, evidence=[_evidence("registration", reg, src, path)])
    detail = spec.get("detail") or (f"for {target}" if market != "any" else "")
    if spec.get("detail") and spec.get("for_each_country"):
        detail = f"{spec['detail']} ({target})"
    if spec.get("holder_role"):
        detail += f", held by the {_join(_list(spec['holder_role']))}"
    return Outcome(False, missing_documents=[{"type": types[0], "kind": "registration", "detail": detail.strip(", ")}],
                   problems=problems, where=(ctx.unit.product_source, "registrations"))


# ----------------------------------------------------------------------------- fields and limits


def _scalar_eq(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b if isinstance(a, bool) or isinstance(b, bool) else a == b


def _regex(pattern: str) -> safe_regex.SafePattern:
    """A pack's pattern, case-insensitive, on an engine that cannot hang (compiled once; see safe_regex)."""
    return safe_regex.compile(pattern, ignore_case=True)


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
    """A number as people write it: no exponent, no trailing zeros (0.000051, 12, 0.1)."""
    if not isinstance(v, float):
        return str(v)
    text = f"{v:.10f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


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


def _substance_keys(table: DataTable) -> list[tuple[dict, dt.date | None, set[str], set[str]]]:
    """Per substance-table row: the row, its start date, CAS numbers and normalised names; once per table."""
    keys = table.__dict__.get("_substance_keys")
    if keys is None:
        keys = table.__dict__["_substance_keys"] = [
            (e, _date(e.get("from")), set(_list(e.get("cas"))),
             {_norm(n) for n in [e.get("name"), *_list(e.get("synonyms"))] if n}) for e in table.entries]
    return keys


def check_substances_absent(spec: dict, ctx: Context) -> Outcome:
    table = ctx.tables[spec["table"]]
    where = spec.get("in") or ["ingredients", "substances"]
    problems, fields, absent = [], [], False
    items = list(_substance_items(ctx, where))
    if not items:
        return Outcome(True)
    for entry, listed, cas, names in _substance_keys(table):
        if listed is not None and ctx.as_of < listed:
            continue  # not yet prohibited/listed on the check date
        for path, item, pct in items:
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
            elif pct > limit and limit == 0:  # a table listing presence, not a concentration limit
                problems.append(f"{path} {label} is present ({_num(pct)} %)")
                fields.append(f"{path}: {label} at {_num(pct)} %")
            elif pct > limit:
                problems.append(f"{path} {label} is at {_num(pct)} %, above the {_num(limit)} % limit")
                fields.append(f"{path}: {label} at {_num(pct)} % exceeds {_num(limit)} %")
    if not problems:
        return Outcome(True)
    return Outcome(False, missing_fields=fields, problems=problems, absent=absent and len(problems) == 1,
                   where=(ctx.unit.product_source, fields[0].split(":")[0].split(".")[0]))


@lru_cache(maxsize=1024)
def _spec_keys(cas: tuple[str, ...], names: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    return frozenset(cas), frozenset(_norm(n) for n in names)


def _filtered_items(spec: dict, ctx: Context):
    """Substance/ingredient entries matching the spec's CAS/names and its `where` item filter, with the value read."""
    cas, names = _spec_keys(tuple(_list(spec.get("cas"))), tuple(_list(spec.get("names"))))
    where = spec.get("where") or {}
    key = spec.get("key")
    for path, item, pct in _substance_items(ctx, spec.get("in") or ["ingredients", "substances"]):
        if not _matches(item, cas, names):
            continue
        if any(item.get(k) not in allowed for k, allowed in where.items()):
            continue
        if any(not is_absent(item.get(k)) and item.get(k) is not False for k in spec.get("exempt_if") or ()):
            continue  # the item names an exemption (rohs_exemption: "7(a)") or is flagged (inaccessible: true)
        value_key = key or ("percent" if path.startswith("ingredients") else "concentration_pct")
        value = item.get(key) if key else pct
        yield path, item, (value if is_number(value) else None), value_key


def _label(item: dict) -> str:
    return f"{item.get('name')}" + (f" (CAS {item['cas']})" if item.get("cas") else "")


def check_substance_limit(spec: dict, ctx: Context) -> Outcome:
    limit = spec["max_pct"]
    exclusive = spec.get("max_exclusive", False)
    unit = "" if spec.get("key") else " %"
    bound = f"{'below' if exclusive else 'at most'} {_num(limit)}{unit}"
    problems, fields, unknown = [], [], []
    for path, item, value, value_key in _filtered_items(spec, ctx):
        if value is None:
            unknown.append(f"{path}.{value_key}")
        elif value > limit or (exclusive and value == limit):
            what = f"{value_key} {_num(value)}" if spec.get("key") else f"at {_num(value)} %"
            problems.append(f"{path} {_label(item)} is {what}; it must be {bound}")
            fields.append(f"{path}: {_label(item)} {what} (limit: {bound})")
    if problems:
        return Outcome(False, missing_fields=fields + unknown, problems=problems,
                       where=(ctx.unit.product_source, fields[0].split(":")[0]))
    if unknown:
        return Outcome(False, missing_fields=unknown, absent=True,
                       problems=[f"{u} is unknown; it must be {bound}" for u in unknown],
                       where=(ctx.unit.product_source, unknown[0]))
    return Outcome(True)


def check_substance_sum(spec: dict, ctx: Context) -> Outcome:
    """Group limit: per component, the matching entries' concentrations add up to at most max_pct."""
    limit = spec["max_pct"]
    exclusive = spec.get("max_exclusive", False)
    groups: dict[str, list[tuple[str, dict, float | None]]] = {}
    for path, item, value, _ in _filtered_items(spec, ctx):
        groups.setdefault(str(item.get("component") or ""), []).append((path, item, value))
    problems, fields, unknown = [], [], []
    for component in sorted(groups):
        members = groups[component]
        known = [v for _, _, v in members if v is not None]
        total = round(sum(known), 10)
        names = _join([_label(i) for _, i, _ in members], "and")
        where = f"component '{component}'" if component else "the product"
        if total > limit or (exclusive and total == limit):
            bound = f"below {_num(limit)} %" if exclusive else f"at most {_num(limit)} %"
            problems.append(f"{names} in {where} add up to {_num(total)} %; together they must be {bound}")
            fields.append(f"{members[0][0]}: {where} sum {_num(total)} % (limit: {bound})")
        unknown += [f"{p}.concentration_pct" for p, _, v in members if v is None]
    if problems:
        return Outcome(False, missing_fields=fields, problems=problems, where=(ctx.unit.product_source, fields[0].split(":")[0]))
    if unknown:
        return Outcome(False, missing_fields=unknown, absent=True,
                       problems=[f"{u} is unknown; the group limit is {_num(limit)} %" for u in unknown],
                       where=(ctx.unit.product_source, unknown[0]))
    return Outcome(True)


def check_named_in_ingredients(spec: dict, ctx: Context) -> Outcome:
    """Every table substance declared in substances[] above its threshold is also named in ingredients[]
    (e.g. fragrance allergens from a perfume supplier's declaration must appear in the INCI list)."""
    table = ctx.tables[spec["table"]]
    sets = set(_list(spec.get("sets")))
    key = spec["threshold_key"]
    ingredients = ctx.unit.product.get("ingredients") or []
    problems, fields, unknown = [], [], []
    if not ctx.unit.product.get("substances"):
        return Outcome(True)
    for entry, _, cas, names in _substance_keys(table):
        if sets and entry.get("set") not in sets:
            continue
        threshold = entry.get(key)
        if not is_number(threshold):
            continue
        if any(_matches(i, cas, names) for i in ingredients if isinstance(i, dict)):
            continue
        for i, item in enumerate(ctx.unit.product.get("substances") or []):
            if not _matches(item, cas, names):
                continue
            pct = item.get("concentration_pct")
            if not is_number(pct):
                unknown.append(f"substances[{i}].concentration_pct")
            elif pct > threshold:
                problems.append(f"{entry['name']} at {_num(pct)} % (above {_num(threshold)} %) is not named in the ingredient list")
                fields.append(f"ingredients: {entry['name']} (substances[{i}] at {_num(pct)} %)")
    if problems:
        return Outcome(False, missing_fields=fields + unknown, problems=problems, where=(ctx.unit.product_source, "ingredients"))
    if unknown:
        return Outcome(False, missing_fields=unknown, absent=True, where=(ctx.unit.product_source, unknown[0]),
                       problems=[f"{u} is unknown, so it cannot be told whether the ingredient list must name it" for u in unknown])
    return Outcome(True)


# ----------------------------------------------------------------------------- claims (phrase lexicons)


_NUMBER = r"\d+(?:[.,]\d+)?"


def _phrase_body(phrase: str) -> str:
    """A phrase as a pattern body: escaped (pack text never becomes a pattern), any run of spaces between
    words, except two tokens: a word ending in ``*`` matches any ending ("disinfect*"), and ``{n}`` matches a
    number ("SPF{n}", "lose {n} lbs")."""
    words = []
    for w in unicodedata.normalize("NFKC", phrase).split():
        if w == "{n}":
            words.append(_NUMBER)
        elif w.endswith("*") and len(w) > 1:
            words.append(re.escape(w[:-1]) + r"\w*")
        else:
            words.append(re.escape(w).replace(re.escape("{n}"), _NUMBER))
    return r"\s+".join(words)


def _list_regex(phrases: list[str]) -> safe_regex.PhraseMatcher:
    """One case-insensitive matcher for a whole phrase list, on word boundaries (Python's (?<!\\w)...(?!\\w), on
    RE2, so no phrase list can make a search backtrack); longer phrases first so the longest wording is quoted."""
    bodies = sorted({_phrase_body(p) for p in phrases}, key=lambda b: (-len(b), b))
    return safe_regex.PhraseMatcher(bodies)


def phrase_pattern(phrase: str) -> safe_regex.PhraseMatcher:
    """The pattern one phrase is matched with (for tests and pack authors)."""
    return _list_regex([phrase])


def _lexicon(table: DataTable, name: str) -> safe_regex.PhraseMatcher:
    """The compiled pattern of one list of a phrase table, built once per loaded table."""
    cache = table.__dict__.setdefault("_compiled_lists", {})
    rx = cache.get(name)
    if rx is None:
        rx = cache[name] = _list_regex(expand_phrase_list(table.entries, name))
    return rx


def _text_fields(ctx: Context, paths: list[str]):
    """(shown field path, text, where) for every string the paths reach, list items numbered."""
    for text_path in paths:
        fp = FieldPath.parse(text_path)
        root = ctx.root(fp.root)
        if root is None:
            continue
        if fp.tail is not None:
            items = dig(root, fp.head)
            for i, item in enumerate(items if isinstance(items, list) else []):
                v = dig(item, fp.tail) if fp.tail else item
                if isinstance(v, str):
                    inner = ".".join(fp.head) + f"[{i}]" + ("." + ".".join(fp.tail) if fp.tail else "")
                    yield _shown_item(ctx, fp, inner), v, (ctx.source(fp.root), inner)
        else:
            v = path_values(fp, root)
            for i, text in enumerate(v):
                if isinstance(text, str):
                    inner = ".".join(fp.head) + (f"[{i}]" if len(v) > 1 or isinstance(dig(root, fp.head), list) else "")
                    yield _shown_item(ctx, fp, inner), text, (ctx.source(fp.root), ".".join(fp.head))


def _shown_item(ctx: Context, fp: FieldPath, inner: str) -> str:
    src = ctx.source(fp.root)
    if fp.root == "listing" and src is not None and src.prefix:
        return f"{src.prefix}.{inner}"
    if fp.root == "seller":
        return f"seller.{inner}"
    if fp.root == "listing":
        return f"listing.{inner}"
    return inner


def expand_phrase_list(entries: dict, name: str, seen: tuple[str, ...] = ()) -> list[str]:
    """The phrases of a lexicon list; an item "@other" includes list `other` (slices are written once and
    included by the broader lists). Raises ValueError on an unknown list or an include cycle."""
    if name not in entries:
        raise ValueError(f"no phrase list '{name}'")
    if name in seen:
        raise ValueError(f"phrase lists include each other: {' -> '.join(seen + (name,))}")
    out: list[str] = []
    for p in _list(entries[name]):
        text = str(p)
        for q in (expand_phrase_list(entries, text[1:], seen + (name,)) if text.startswith("@") else [text]):
            if q not in out:
                out.append(q)
    return out


def phrase_list_names(spec: dict, entries: dict) -> tuple[list[str], list[str]]:
    """The lists a ``phrases_absent`` requirement searches (``lists``, default: every list of the table) and the
    lists whose wording it blanks out first (``except_lists``)."""
    return list(spec.get("lists") or sorted(entries)), list(spec.get("except_lists") or ())


def compile_phrase_lists(packset) -> None:
    """Build every phrase list the packs' ``phrases_absent`` requirements use, stored on their tables, so the
    compiled-pack cache carries them translated (a one-file check then skips ~20 ms of parsing)."""
    for pack in packset.packs:
        for req in (q for rule in pack.rules for q in rule.all_requirements()):
            if req.kind == "phrases_absent" and req.spec.get("table") in pack.tables:
                table = pack.tables[req.spec["table"]]
                searched, excepted = phrase_list_names(req.spec, table.entries if isinstance(table.entries, dict) else {})
                for name in searched + excepted:
                    _lexicon(table, name)


def check_phrases_absent(spec: dict, ctx: Context) -> Outcome:
    table = ctx.tables[spec["table"]]
    entries = table.entries if isinstance(table.entries, dict) else {}
    lists, except_lists = phrase_list_names(spec, entries)
    patterns = [(name, _lexicon(table, name)) for name in lists]
    excepted = [_lexicon(table, name) for name in except_lists]
    problems, fields = [], []
    where = None
    for shown, text, loc in _text_fields(ctx, spec["in"]):
        text = unicodedata.normalize("NFKC", text)
        for rx in excepted:  # wording that is not a claim (a mandated warning) is blanked out first
            text = rx.sub(lambda m: " " * len(m.group(0)), text)
        for name, rx in patterns:
            seen: set[str] = set()
            for m in rx.finditer(text):
                hit = m.group(0)
                if hit.lower() in seen:
                    continue
                seen.add(hit.lower())
                problems.append(f"\"{hit}\" ({name}) in {shown}")
                fields.append(f"{shown}: \"{hit}\"")
                where = where or loc
    if not problems:
        return Outcome(True)
    return Outcome(False, missing_fields=fields, problems=problems, where=where)


# ----------------------------------------------------------------------------- packages and radio bands


def _box(obj: Any) -> tuple[list[float], float | None] | None:
    """The sorted dimensions (longest first) and weight of a package mapping, or None without all three sides."""
    if not isinstance(obj, dict):
        return None
    dims = [obj.get("length_cm"), obj.get("width_cm"), obj.get("height_cm")]
    if not all(is_number(d) for d in dims):
        return None
    w = obj.get("weight_g")
    return sorted((float(d) for d in dims), reverse=True), (float(w) if is_number(w) else None)


def check_empty_space_ratio(spec: dict, ctx: Context) -> Outcome:
    bp, vp = FieldPath.parse(spec["box"]), FieldPath.parse(spec["product_volume"])
    box = _box(dig(ctx.root(bp.root) or {}, bp.head))
    vol = path_values(vp, ctx.root(vp.root))
    missing = []
    if box is None:
        missing.append(f"{ctx.shown_path(bp)}.length_cm/width_cm/height_cm")
    if not vol or not is_number(vol[0]):
        missing.append(ctx.shown_path(vp))
    if missing:
        return Outcome(False, missing_fields=missing, absent=True, where=ctx.where(bp if box is None else vp),
                       problems=["the empty-space ratio cannot be computed without " + _join(missing, "and")])
    (a, b, c), _ = box
    box_volume = a * b * c
    ratio = 1 - float(vol[0]) / box_volume if box_volume > 0 else 1.0
    ratio = round(ratio, 6)
    note = (f"empty-space ratio {_num(round(ratio * 100, 1))} % (box {_num(a)} × {_num(b)} × {_num(c)} cm = "
            f"{_num(round(box_volume, 1))} cm³, product {_num(vol[0])} cm³)")
    if ratio <= spec["max"]:
        return Outcome(True, notes=[note])
    return Outcome(False, notes=[note], where=ctx.where(bp),
                   problems=[f"{note} is above the {_num(spec['max'] * 100)} % maximum"],
                   missing_fields=[f"{ctx.shown_path(bp)}: empty-space ratio {_num(round(ratio * 100, 1))} % > {_num(spec['max'] * 100)} %"])


def classify_size_tier(tiers: list[dict], dims: list[float], weight_g: float) -> tuple[str | None, dict]:
    """The first tier whose limits the package meets, and the measures compared (longest, median,
    shortest side, length + girth, dimensional weight)."""
    longest, median, shortest = dims
    measures = {"longest_cm": longest, "median_cm": median, "shortest_cm": shortest,
                "length_plus_girth_cm": longest + 2 * (median + shortest), "weight_g": weight_g}
    for t in tiers:
        divisor = t.get("dim_divisor_cm3_per_kg")
        dim_weight = (longest * median * shortest) / divisor * 1000 if divisor else None
        weight = max(weight_g, dim_weight) if (t.get("weight_basis") == "greater" and dim_weight is not None) else weight_g
        limits = [("max_longest_cm", longest), ("max_median_cm", median), ("max_shortest_cm", shortest),
                  ("max_length_plus_girth_cm", measures["length_plus_girth_cm"]), ("max_weight_g", weight),
                  ("max_dim_weight_g", dim_weight)]
        if all(t.get(k) is None or (v is not None and v <= t[k]) for k, v in limits):
            if dim_weight is not None:
                measures["dim_weight_g"] = round(dim_weight, 1)
            return str(t["tier"]), measures
    return None, measures


def check_size_tier(spec: dict, ctx: Context) -> Outcome:
    table = ctx.tables[spec["table"]]
    pp = FieldPath.parse(spec["package"])
    box = _box(dig(ctx.root(pp.root) or {}, pp.head))
    shown = ctx.shown_path(pp)
    if box is None or box[1] is None:
        return Outcome(False, missing_fields=[f"{shown}.length_cm/width_cm/height_cm/weight_g"], absent=True,
                       where=ctx.where(pp), problems=[f"the size tier needs {shown} dimensions and weight"])
    dims, weight = box
    tier, m = classify_size_tier(list(table.entries), dims, weight)
    measured = (f"{_num(dims[0])} × {_num(dims[1])} × {_num(dims[2])} cm, {_num(weight)} g"
                + (f", dimensional weight {_num(m['dim_weight_g'])} g" if "dim_weight_g" in m else ""))
    if tier is None:
        return Outcome(False, notes=[f"no size tier fits ({measured})"], where=ctx.where(pp),
                       problems=[f"{shown} ({measured}) exceeds every tier of {table.title}"])
    note = f"size tier: {tier} ({measured})"
    if tier in (spec.get("fail_tiers") or []):
        return Outcome(False, notes=[note], where=ctx.where(pp), problems=[f"{shown} falls in the {tier} tier ({measured})"])
    return Outcome(True, notes=[note])


def check_bands_within(spec: dict, ctx: Context) -> Outcome:
    table = ctx.tables[spec["table"]]
    fp = FieldPath.parse(spec["path"])
    bands = dig(ctx.root(fp.root) or {}, fp.head)
    shown = ctx.shown_path(fp)
    if not isinstance(bands, list) or not bands:
        return Outcome(False, missing_fields=[shown], absent=True, where=ctx.where(fp))
    allowed = []
    for e in table.entries:
        flag = e.get("only_if")
        if flag:
            ffp = FieldPath.parse(flag)
            if path_values(ffp, ctx.root(ffp.root)) != [True]:
                continue
        allowed.append(e)
    problems, fields = [], []
    for i, band in enumerate(bands):
        if not (isinstance(band, list) and len(band) == 2 and all(is_number(x) for x in band)):
            continue
        lo, hi = band
        if not any(e["from_mhz"] <= lo and hi <= e["to_mhz"] for e in allowed):
            problems.append(f"{_num(lo)}-{_num(hi)} MHz is not inside a band open to consumer equipment")
            fields.append(f"{shown}[{i}]: {_num(lo)}-{_num(hi)} MHz")
    if not problems:
        return Outcome(True)
    return Outcome(False, missing_fields=fields, problems=problems, where=ctx.where(fp))


def check_standards_current(spec: dict, ctx: Context) -> Outcome:
    table = ctx.tables[spec["table"]]
    types = set(spec.get("documents") or ["test-report", "eu-declaration-of-conformity"])
    problems, fields = [], []
    for holder in (ctx.unit.product, ctx.unit.seller or {}):
        for i, doc in enumerate(holder.get("documents") or []):
            if doc.get("type") not in types:
                continue
            for std in doc.get("standards") or []:
                for e in table.entries:
                    until = _date(e.get("presumption_until"))
                    if str(std).startswith(str(e["standard"])) and (until is None or until <= ctx.as_of):
                        name = doc.get("id") or doc["type"]
                        problems.append(f"{name} cites {std}, superseded by {e.get('replaced_by', 'a newer edition')}"
                                        + (f" (presumption of conformity ended {until.isoformat()})" if until else ""))
                        fields.append(f"documents[{i}].standards: {std}")
    if not problems:
        return Outcome(True)
    return Outcome(False, missing_fields=fields, problems=problems, where=(ctx.unit.product_source, "documents"))


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


_SCHEMA_TEXT: dict[int, tuple[Any, str]] = {}  # id(spec) -> (spec, its canonical text): a pack's specs live as long as it
_LAST = threading.local()  # per thread: the product last validated and {id(spec): its error texts}


def check_schema(spec: dict, ctx: Context) -> Outcome:
    product = ctx.unit.product
    if getattr(_LAST, "product", None) is not product:  # a product's units (one per market) come one after another
        _LAST.product, _LAST.fields = product, {}
    fields = _LAST.fields.get(id(spec))
    if fields is None:
        hit = _SCHEMA_TEXT.get(id(spec))
        if hit is None or hit[0] is not spec:
            hit = _SCHEMA_TEXT[id(spec)] = (spec, _freeze_schema(spec))
        validator = _schema_validator(hit[1])
        errors = sorted(validator.iter_errors(product), key=lambda e: list(map(str, e.absolute_path)))
        fields = _LAST.fields[id(spec)] = [_schema_error_text(e) for e in errors]
    if not fields:
        return Outcome(True)
    return Outcome(False, missing_fields=list(fields), where=(ctx.unit.product_source, fields[0].split(":")[0]))


def _schema_error_text(e) -> str:
    """A JSON Schema error as a manifest user reads it: the field path and what is wrong, in plain words."""
    p = ""
    for part in e.absolute_path:
        p += f"[{part}]" if isinstance(part, int) else (f".{part}" if p else str(part))
    if e.validator == "required":
        missing = [k for k in e.validator_value if not (isinstance(e.instance, dict) and k in e.instance)]
        return ", ".join(f"{p}.{k}" if p else k for k in missing) or (p or "(product)")
    if e.validator in ("maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum"):
        word = {"maximum": "at most", "minimum": "at least", "exclusiveMaximum": "below", "exclusiveMinimum": "above"}[e.validator]
        return f"{p}: {_fmt(e.instance)} (must be {word} {_fmt(e.validator_value)})"
    if e.validator == "enum":
        return f"{p}: {_fmt(e.instance)} (must be {_join([_fmt(v) for v in e.validator_value])})"
    if e.validator == "const":
        return f"{p}: {_fmt(e.instance)} (must be {_fmt(e.validator_value)})"
    return f"{p or '(product)'}: {e.message}"


def _freeze_schema(spec: Any) -> str:
    import json

    return json.dumps(spec, sort_keys=True)


@lru_cache(maxsize=256)
def _schema_validator(text: str):
    import json

    return safe_regex.schema_validator(json.loads(text))  # its "pattern" keyword on the safe engine


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
    "substance_sum": check_substance_sum,
    "named_in_ingredients": check_named_in_ingredients,
    "phrases_absent": check_phrases_absent,
    "empty_space_ratio": check_empty_space_ratio,
    "size_tier": check_size_tier,
    "bands_within": check_bands_within,
    "standards_current": check_standards_current,
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
    if kind == "substance_sum":
        return f"sum of {_join(_list(spec.get('cas')) + _list(spec.get('names')), 'and')} at most {_num(spec['max_pct'])} % per component"
    if kind == "phrases_absent":
        return "no prohibited claim wording"
    if kind == "named_in_ingredients":
        return "declared substances above their threshold named in the ingredient list"
    if kind == "empty_space_ratio":
        return f"empty-space ratio at most {_num(spec['max'] * 100)} %"
    if kind == "size_tier":
        return "package size tier"
    if kind == "bands_within":
        return "radio bands open to consumer equipment"
    if kind == "standards_current":
        return "standards that still give presumption of conformity"
    if kind == "all_of":
        return "all of several requirements"
    if kind == "descending":
        return f"{spec['path'].split('.', 1)[1]} in descending order of {spec['key']}"
    if kind == "schema":
        return "product matches the rule's schema"
    if kind == "any_of":
        return "one of several alternatives"
    return kind
