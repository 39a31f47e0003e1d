"""Hypothesis strategies that write manifests: valid, near-valid (one thing wrong) and broken.

- **valid**: Product, Listing and Seller documents drawn from the JSON schemas the models publish (``schemas/``),
  with the values of the shipped products (``products/*.yaml``) preferred for each field name, so that rules
  really apply (a category, markets, document types, registrations the packs know); plus the shipped products
  themselves with a new SKU and markets.
- **near-valid**: a valid manifest with one mutation: a value of the wrong type, an unknown key, a bad date, a
  value outside its enumeration, a required field removed.
- **broken**: random bytes, random unicode, YAML cut off anywhere, YAML-like token soup, and valid YAML with a line
  dropped, doubled or re-indented.

Everything is drawn through hypothesis, so examples shrink and a derandomized run is reproducible.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from compliance_engine.models import vocab

ROOT = Path(__file__).resolve().parents[2]
AS_OF = dt.date(2026, 11, 24)

# markets drawn for generated products: a few countries each (a group such as EU expands to 27 check units,
# which would make every example slow); the shipped products keep their own.
MARKETS = ["DE", "FR", "IT", "NL", "GB", "XI", "US", "SG", "MY", "ID", "TH", "VN", "PH", "CN"]


# ------------------------------------------------------------------------------------------ harvested values
@lru_cache(maxsize=None)
def shipped_documents() -> tuple[dict, ...]:
    """Every document of products/*.yaml, as plain data (dates as ISO strings)."""
    out = []
    for path in sorted((ROOT / "products").glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if isinstance(doc, dict):
                out.append(_plain(doc))
    return tuple(out)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@lru_cache(maxsize=None)
def harvested() -> dict[str, tuple]:
    """Scalar values of the shipped manifests by field name (list items under their list's name)."""
    found: dict[str, set] = {}

    def walk(value: Any, key: str) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif key:
            found.setdefault(key, set()).add(json.dumps(value))

    for doc in shipped_documents():
        walk(doc, "")
    return {k: tuple(json.loads(v) for v in sorted(vs)) for k, vs in found.items()}


# ------------------------------------------------------------------------------------------ from the schemas
@lru_cache(maxsize=None)
def schema(kind: str) -> dict:
    return json.loads((ROOT / "schemas" / f"{kind.lower()}.schema.json").read_text(encoding="utf-8"))


# values tried besides the shipped ones: document files that leave the repository (tests/fuzz/test_manifests.py makes
# docs/outside.pdf a symlink pointing out of it)
EXTRA_VALUES = {"file": ("docs/outside.pdf", "../outside.pdf", "docs/../../etc/passwd", "./docs/../docs/x.pdf",
                         "docs/nowhere.pdf", "docs", ".", "docs/" + "n" * 300, "docs/x1/" + "n" * 300)}

# any printable text: control characters (C0, C1) and lone surrogates are left to the broken-input strategies
TEXT_CHARACTERS = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))
_COUNTRIES = st.sampled_from(sorted(vocab.COUNTRY_CODES))
CODE_PATTERNS = {  # the code lists behind the schema's patterns (a pattern alone allows unassigned codes)
    "^[A-Z]{2}$": _COUNTRIES,
    "^([A-Z]{2}|SEA)$": _COUNTRIES,
    "^[a-z]{2}$": st.sampled_from(sorted(vocab.LANGUAGE_CODES)),
    "^[A-Z]{3}$": st.sampled_from(sorted(vocab.CURRENCY_CODES)),
    "^[A-Z]{2}-[A-Z0-9]{1,3}$": st.tuples(_COUNTRIES, st.from_regex(r"[A-Z0-9]{1,3}", fullmatch=True)).map("-".join),
}


class SchemaStrategies:
    """Strategies for the values a JSON schema (of the models) allows, preferring harvested values by field name."""

    MAX_DEPTH = 5
    TOP_KEYS = 10  # optional keys drawn at most in a manifest document
    NESTED_KEYS = 5  # ... and in an object inside it

    def __init__(self, root: dict):
        self.defs = root.get("$defs", {})
        self.root = root
        self.memo: dict[tuple, st.SearchStrategy] = {}

    def value(self, node: dict, key: str = "", depth: int = 0) -> st.SearchStrategy:
        """The strategy of a schema node (built once per node, field name and depth)."""
        memo = (id(node), key, depth)
        if memo not in self.memo:
            self.memo[memo] = self._value(node, key, depth)
        return self.memo[memo]

    def _value(self, node: dict, key: str, depth: int) -> st.SearchStrategy:
        if "$ref" in node:
            return self.value(self.defs[node["$ref"].rsplit("/", 1)[-1]], key, depth)
        if "anyOf" in node or "oneOf" in node:
            branches = [b for b in node.get("anyOf", node.get("oneOf")) if b.get("type") != "null"]
            return st.one_of([self.value(b, key, depth) for b in branches]) if branches else st.none()
        if "const" in node:
            return st.just(node["const"])
        if "enum" in node:
            return st.sampled_from(node["enum"])
        kind = node.get("type")
        known = harvested().get(key, ()) + EXTRA_VALUES.get(key, ())
        if kind == "object":
            return self.mapping(node, depth)
        if kind == "array":
            if depth >= self.MAX_DEPTH:
                return st.just([])
            items = self.value(node.get("items", {}), key, depth + 1)
            most = min(node.get("maxItems", 3), 3)
            least = min(node.get("minItems", 0), most)
            if node.get("prefixItems"):  # [low, high] pairs
                return st.tuples(*[self.value(p, key, depth + 1) for p in node["prefixItems"]]).map(list)
            return st.lists(items, min_size=least, max_size=most)
        scalar = self.scalar(node, kind)
        usable = [v for v in known if _fits(v, kind) and ("pattern" not in node or re.search(node["pattern"], v))]
        if usable:
            return st.one_of(st.sampled_from(usable), scalar) if scalar is not None else st.sampled_from(usable)
        return scalar if scalar is not None else st.none()

    def scalar(self, node: dict, kind: Any) -> st.SearchStrategy | None:
        if kind == "string":
            if node.get("format") == "date":
                return st.dates(dt.date(2000, 1, 1), dt.date(2035, 12, 31)).map(dt.date.isoformat)
            if node.get("format") == "uri":
                return st.sampled_from(["https://example.org/", "https://example.com/privacy", "http://shop.example/x"])
            if node.get("pattern") in CODE_PATTERNS:
                return CODE_PATTERNS[node["pattern"]]
            if "pattern" in node:
                return st.from_regex(node["pattern"], fullmatch=True, alphabet=TEXT_CHARACTERS).filter(
                    lambda s: s.strip() == s)
            return st.text(TEXT_CHARACTERS, min_size=max(1, node.get("minLength", 1)), max_size=24).filter(
                lambda s: s.strip() != "")
        if kind == "integer":
            return st.integers(min_value=node.get("minimum", 0), max_value=node.get("maximum", 10_000))
        if kind == "number":
            low = node.get("minimum", node.get("exclusiveMinimum", 0))
            return st.floats(min_value=low, max_value=node.get("maximum", 100_000), allow_nan=False,
                             allow_infinity=False, exclude_min="exclusiveMinimum" in node).map(lambda f: round(f, 3))
        if kind == "boolean":
            return st.booleans()
        return None

    def mapping(self, node: dict, depth: int) -> st.SearchStrategy:
        """Required keys, and a few optional ones (drawing every optional key of the Product schema would make
        each example cost tens of milliseconds to generate)."""
        props: dict = node.get("properties", {})
        required = {k: self.value(props[k], k, depth + 1) for k in node.get("required", []) if k in props}
        optional = [] if depth >= self.MAX_DEPTH else sorted(k for k in props if k not in required)
        if not optional:
            return st.fixed_dictionaries(required)
        most = self.TOP_KEYS if depth == 0 else self.NESTED_KEYS
        return st.lists(st.sampled_from(optional), unique=True, max_size=most).flatmap(
            lambda keys: st.fixed_dictionaries({**required, **{k: self.value(props[k], k, depth + 1) for k in keys}}))


def _fits(value: Any, kind: Any) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    return False


@lru_cache(maxsize=None)
def _schema_strategies(kind: str) -> SchemaStrategies:
    return SchemaStrategies(schema(kind))


def _document(kind: str) -> st.SearchStrategy:
    s = _schema_strategies(kind)
    return s.mapping(s.root, 0)


def repair(doc: Any) -> Any:
    """Make a schema-drawn document satisfy the models' cross-field rules (which a JSON schema cannot say):
    issued before expires, min below max, a substance named, references to existing document ids, relative files,
    each economic operator's (jurisdiction, role) once."""
    if isinstance(doc, list):
        for item in doc:
            repair(item)
        return doc
    if not isinstance(doc, dict):
        return doc
    for low, high in (("issued", "expires"), ("min", "max"), ("min_years", "max_years")):
        a, b = doc.get(low), doc.get(high)
        comparable = all(isinstance(v, str) for v in (a, b)) or all(_fits(v, "number") for v in (a, b))
        if comparable and a > b:
            doc[low], doc[high] = b, a
    if "frequency_bands_mhz" in doc:
        doc["frequency_bands_mhz"] = [sorted(band) for band in doc["frequency_bands_mhz"]]
    for item in doc.get("substances") or []:
        if "name" not in item and "cas" not in item:
            item["name"] = "lead"
    ids: list[str] = []
    for i, d in enumerate(doc.get("documents") or []):
        if "id" in d:
            d["id"] = f"{d['id']}-{i}"
            ids.append(d["id"])
        f = d.get("file")
        if f is not None and (f.startswith(("/", "\\", "~")) or "://" in f or re.match(r"^[A-Za-z]:", f)):
            d["file"] = "docs/" + f.lstrip("/\\~").replace("://", "-").replace(":", "-")
    for claim in doc.get("claims") or []:
        if "substantiation" in claim:
            if ids:
                claim["substantiation"] = [ids[0]] if isinstance(claim["substantiation"], list) else ids[0]
            else:
                del claim["substantiation"]
    halal = doc.get("halal")
    if isinstance(halal, dict) and "certificate" in halal:
        if ids:
            halal["certificate"] = ids[0]
        else:
            del halal["certificate"]
    if doc.get("economic_operators"):  # a (jurisdiction, role) pair is listed once
        pairs = {(e.get("jurisdiction"), e.get("role")): e for e in reversed(doc["economic_operators"])}
        doc["economic_operators"] = [e for e in doc["economic_operators"] if pairs.get((e.get("jurisdiction"), e.get("role"))) is e]
    doc.pop("waivers", None)
    for value in doc.values():
        repair(value)
    return doc


SKUS = st.from_regex(r"[A-Z]{2,4}-[0-9]{1,4}", fullmatch=True)


@st.composite
def generated_product(draw) -> dict:
    doc = repair(draw(_document("Product")))
    doc["kind"] = "Product"
    doc["sku"] = draw(SKUS)
    doc["markets"] = draw(st.lists(st.sampled_from(MARKETS), max_size=3, unique=True))
    listings: dict[tuple, dict] = {}
    for lst in (doc.get("listings") or [])[:2]:
        lst["market"] = draw(st.sampled_from(MARKETS))
        listings.setdefault((lst["market"], lst["marketplace"]), lst)  # one listing per marketplace and market
    doc["listings"] = list(listings.values())
    if not doc["listings"]:
        del doc["listings"]
    return doc


@st.composite
def shipped_product(draw) -> dict:
    products = [d for d in shipped_documents() if d.get("kind") == "Product"]
    doc = json.loads(json.dumps(draw(st.sampled_from(products))))  # a deep copy
    doc["sku"] = draw(SKUS)
    doc["markets"] = draw(st.lists(st.sampled_from(MARKETS), max_size=2, unique=True))
    doc.pop("listings", None)
    doc.pop("waivers", None)  # they may name markets the product no longer has (a warning, still valid)
    return doc


@st.composite
def listing_for(draw, sku: str) -> dict:
    doc = repair(draw(_document("Listing")))
    doc.update(kind="Listing", product=sku, market=draw(st.sampled_from(MARKETS)))
    return doc


def seller() -> st.SearchStrategy:
    return _document("Seller").map(lambda d: {**repair(d), "kind": "Seller"})


@st.composite
def valid_manifest(draw) -> list[dict]:
    """The documents of one manifest file: a product, maybe its listing and a seller."""
    product = draw(st.one_of(generated_product(), shipped_product()))
    docs = [product]
    if draw(st.booleans()):
        listing = draw(listing_for(product["sku"]))
        taken = {(lst["market"], lst["marketplace"]) for lst in product.get("listings") or []}
        if (listing["market"], listing["marketplace"]) not in taken:
            docs.append(listing)
    if draw(st.booleans()):
        docs.append(draw(seller()))
    return docs


# ------------------------------------------------------------------------------------------ rendering
def dump(docs: list[dict], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(docs[0], ensure_ascii=False, indent=1)
    return yaml.safe_dump_all(docs, sort_keys=False, allow_unicode=True, width=100)


def _render(draw, docs: list[dict]) -> tuple[str, str]:
    fmt = draw(st.sampled_from(["yaml", "yaml", "json"]))
    if fmt == "json":
        docs = docs[:1]  # a JSON file holds one document
    return dump(docs, fmt), fmt


# ------------------------------------------------------------------------------------------ near-valid
WRONG_VALUES = [123, -1, 1.5, True, False, None, "text", "", [], {}, [1, 2], {"a": 1}, "1e400", 10**30]
BAD_DATES = ["2026-02-30", "2025-13-01", "31/12/2025", "2025-1-1", 20250101, "yesterday", "0000-00-00",
             "2025-06-01T10:00:00", "9999-99-99"]
BAD_ENUMS = ["not-a-value", "Consumers", "PASS", "ce", "eu", "de", "", "x" * 200]
UNKNOWN_KEYS = ["colour", "skuu", "document", "market", "Kind", "x", "registration", "notes"]
MUTATIONS = ("wrong-type", "unknown-key", "bad-date", "bad-enum", "missing-required")


def _slots(value: Any, path: tuple = ()) -> list[tuple]:
    """Every (path) to a value inside ``value``: dict keys and list indexes."""
    out = []
    if isinstance(value, dict):
        for k, v in value.items():
            out.append(path + (k,))
            out += _slots(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.append(path + (i,))
            out += _slots(v, path + (i,))
    return out


def _parent(doc: Any, path: tuple) -> Any:
    for p in path[:-1]:
        doc = doc[p]
    return doc


@st.composite
def near_valid_manifest(draw) -> tuple[str, str, str]:
    """(text, format, mutation): a valid manifest with one thing wrong."""
    docs = draw(valid_manifest())
    target = draw(st.sampled_from(range(len(docs))))
    doc = docs[target]
    mutation = draw(st.sampled_from(MUTATIONS))
    slots = _slots(doc)
    if mutation == "unknown-key":
        holders = [()] + [s for s in slots if isinstance(_parent(doc, s + ("",)), dict)]
        holder = draw(st.sampled_from(holders))
        _parent(doc, holder + ("",))[draw(st.sampled_from(UNKNOWN_KEYS))] = draw(st.sampled_from(WRONG_VALUES))
    elif mutation == "missing-required":
        keys = [s for s in slots if isinstance(s[-1], str)]
        path = draw(st.sampled_from([("kind",), ("sku",), ("category",), ("product",), ("market",),
                                     ("marketplace",)] + keys))
        parent = _parent(doc, path) if len(path) > 1 else doc
        if isinstance(parent, dict):
            parent.pop(path[-1], None)
    else:
        if mutation == "bad-date":
            dated = [s for s in slots if isinstance(s[-1], str) and re.search(r"(issued|expires|_from|_date|_until)$", s[-1])]
            path = draw(st.sampled_from(dated or slots or [("sku",)]))
            new = draw(st.sampled_from(BAD_DATES))
        elif mutation == "bad-enum":
            path = draw(st.sampled_from(slots or [("sku",)]))
            new = draw(st.sampled_from(BAD_ENUMS))
        else:
            path = draw(st.sampled_from(slots or [("sku",)]))
            new = draw(st.sampled_from(WRONG_VALUES))
        parent = _parent(doc, path) if len(path) > 1 else doc
        parent[path[-1]] = new
    text, fmt = _render(draw, docs)
    return text, fmt, mutation


# ------------------------------------------------------------------------------------------ broken
TOKENS = ["kind: Product", "kind: Listing", "kind: Seller", "sku: A-1", "category: toys", "markets: [DE, US]",
          "documents:", "  - {type: test-report, file: ../../etc/passwd}", "- ", ": ", "{", "}", "[", "]", ",",
          "&a [1, 2]", "*a", "*b", "!!python/object:os.system", "!!binary aGk=", "!custom x", "<<: *a", "---",
          "...", "\t", "  ", "\n", "'", '"', "#", "? ", "|", ">", ".nan", ".inf", "-.inf", "~", "null", "2026-02-30",
          "0x1F", "1e999", "\u00e9", "\u202e", "\ufeff", "%YAML 1.1", "%TAG ! tag:x,2000:", "@", "`"]


@st.composite
def broken_text(draw) -> tuple[str, str]:
    """(text, how): text that is not a valid manifest, or only nearly one."""
    how = draw(st.sampled_from(["unicode", "tokens", "truncated", "line-edit"]))
    if how == "unicode":
        return draw(st.text(max_size=400)), how
    if how == "tokens":
        return "".join(draw(st.lists(st.sampled_from(TOKENS), max_size=60))), how
    text, _ = _render(draw, draw(valid_manifest()))
    if how == "truncated":
        return text[: draw(st.integers(0, max(0, len(text) - 1)))], how
    lines = text.split("\n")
    i = draw(st.integers(0, len(lines) - 1))
    edit = draw(st.sampled_from(["drop", "double", "indent", "dedent", "tab"]))
    if edit == "drop":
        del lines[i]
    elif edit == "double":
        lines.insert(i, lines[i])
    elif edit == "indent":
        lines[i] = "   " + lines[i]
    elif edit == "dedent":
        lines[i] = lines[i].lstrip()
    else:
        lines[i] = "\t" + lines[i]
    return "\n".join(lines), how


def broken_bytes() -> st.SearchStrategy:
    """Raw file contents: random bytes, or a valid manifest's bytes with junk spliced in (NUL, bad UTF-8, BOM)."""
    junk = st.sampled_from([b"\x00", b"\xff\xfe", b"\xc3\x28", b"\xef\xbb\xbf", b"\x80", b"\xed\xa0\x80", b"\r", b"\r\n"])

    @st.composite
    def spliced(draw) -> bytes:
        text, _ = _render(draw, draw(valid_manifest()))
        raw = text.encode("utf-8")
        at = draw(st.integers(0, len(raw)))
        return raw[:at] + draw(junk) + raw[at:]

    return st.one_of(st.binary(max_size=400), spliced())
