"""The published JSON Schemas: the three manifest kinds, one schema for any manifest, the rule pack format.

Every schema is generated (from the pydantic models and the pack schema) by the functions in ``GENERATORS`` and
written twice by ``python -m compliance_engine.schemas --write``: into this package (what ``compliance-engine
schema KIND`` prints, shipped in the wheel) and into the repository's top-level ``schemas/`` directory (what
editors load: ``# yaml-language-server: $schema=...``, see docs/editor-support.md). A test fails when either
copy drifts from what the generators produce.

To publish another schema, append ``(name, function)`` to ``GENERATORS``: the function takes no argument and
returns the schema as a dict with at least a ``title``; ``$schema`` and ``$id`` (``PUBLISH_URL`` + the file
name) are filled in here.
"""

from __future__ import annotations

import copy
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
#: the repository's top-level schemas/ directory (only present in a checkout, not in an installed wheel)
PUBLISHED_DIR = HERE.parent.parent / "schemas"
PUBLISH_URL = "https://raw.githubusercontent.com/compliance-engine/compliance-engine/main/schemas/"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
MANIFEST_KINDS = ("Product", "Listing", "Seller")


@lru_cache(maxsize=1)
def _model_schemas() -> dict[str, dict]:
    from ..models import generate_schemas

    return generate_schemas()


def _model_schema(kind: str) -> Callable[[], dict]:
    def generate_kind() -> dict:
        return copy.deepcopy(_model_schemas()[kind])

    generate_kind.__name__ = f"{kind}_schema"
    return generate_kind


def _rulepack_schema() -> dict:
    from ..packs.schema import PACK_SCHEMA

    return copy.deepcopy(PACK_SCHEMA)


def _rulepack_data_schema() -> dict:
    from ..packs.schema import DATA_TABLE_SCHEMA

    return copy.deepcopy(DATA_TABLE_SCHEMA)


def _manifest_schema() -> dict:
    """Any manifest: the schema of the kind its ``kind`` names, so one modeline serves every manifest file."""
    defs: dict[str, Any] = {}
    branches = []
    for kind in MANIFEST_KINDS:
        body = copy.deepcopy(_model_schemas()[kind.lower()])
        local = body.pop("$defs", {})
        for key in ("$schema", "$id"):
            body.pop(key, None)
        renames = _merge_defs(defs, local, kind)
        _rename_refs(body, renames)
        if kind in defs:
            raise ValueError(f"manifest schema: a definition is already named {kind}")
        defs[kind] = body
        branches.append({"if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
                         "then": {"$ref": f"#/$defs/{kind}"}})
    return {
        "title": "compliance-engine manifest (contract v1): Product, Listing or Seller, chosen by kind",
        "description": "Any compliance-engine manifest document. `kind` picks the schema: Product, Listing or Seller "
                       "(the same as product.schema.json, listing.schema.json and seller.schema.json).",
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"enum": list(MANIFEST_KINDS), "description": "The manifest kind."}},
        "allOf": branches,
        "$defs": defs,
    }


def _merge_defs(into: dict[str, Any], local: dict[str, Any], kind: str) -> dict[str, str]:
    """Add ``local`` definitions to ``into``: a definition identical to one already there (including everything it
    refers to) is shared; any other name clash is renamed ``<Kind><Name>``. Returns the renames."""
    refs = {name: _refs(body) for name, body in local.items()}
    clashing = {name for name, body in local.items() if name in into and into[name] != body}
    changed = True
    while changed:  # a definition that refers to a renamed one is not the same definition either
        changed = False
        for name in local:
            if name in into and name not in clashing and refs[name] & clashing:
                clashing.add(name)
                changed = True
    renames = {name: f"{kind}{name}" for name in sorted(clashing)}
    for name, body in local.items():
        _rename_refs(body, renames)
        target = renames.get(name, name)
        if target in into and into[target] != body:
            raise ValueError(f"manifest schema: cannot merge definition {name} of {kind}")
        into[target] = body
    return renames


def _refs(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            found.add(ref[len("#/$defs/"):])
        for value in node.values():
            found |= _refs(value)
    elif isinstance(node, list):
        for value in node:
            found |= _refs(value)
    return found


def _rename_refs(node: Any, renames: dict[str, str]) -> None:
    if not renames:
        return
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/") and ref[len("#/$defs/"):] in renames:
            node["$ref"] = "#/$defs/" + renames[ref[len("#/$defs/"):]]
        for value in node.values():
            _rename_refs(value, renames)
    elif isinstance(node, list):
        for value in node:
            _rename_refs(value, renames)


def _waivers_schema() -> dict:
    from ..models.waiver import WaiverFile

    schema = WaiverFile.model_json_schema()
    schema["title"] = "compliance-engine central waivers file"
    return schema


def _config_schema() -> dict:
    from ..config import config_json_schema

    schema = config_json_schema()
    schema.setdefault("title", "compliance-engine configuration (.compliance-engine.yaml or [tool.compliance-engine])")
    return schema


#: (name, generator) of every published schema; the file is ``<name>.schema.json``. Append to publish more.
GENERATORS: list[tuple[str, Callable[[], dict]]] = [
    ("product", _model_schema("product")),
    ("listing", _model_schema("listing")),
    ("seller", _model_schema("seller")),
    ("manifest", _manifest_schema),
    ("rulepack", _rulepack_schema),
    ("rulepack-data", _rulepack_data_schema),
    ("waivers", _waivers_schema),
    ("config", _config_schema),
]


def kinds() -> tuple[str, ...]:
    return tuple(name for name, _ in GENERATORS)


KINDS = kinds()


def schema_url(name: str) -> str:
    return f"{PUBLISH_URL}{name}.schema.json"


def generate() -> dict[str, dict]:
    """Every published schema by name, with its ``$schema``, ``$id`` and ``title``."""
    out: dict[str, dict] = {}
    for name, generator in GENERATORS:
        if not re.fullmatch(r"[a-z][a-z0-9-]*", name) or name in out:
            raise ValueError(f"schema name {name!r}: lower-case letters, digits and '-', once")
        body = generator()
        if not body.get("title"):
            raise ValueError(f"schema {name}: needs a title")
        out[name] = {**body, "$schema": body.get("$schema", DIALECT), "$id": schema_url(name)}
    return out


def dumps(schema: dict) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def schema_path(kind: str) -> Path:
    """The package copy (what ``compliance-engine schema KIND`` prints)."""
    return HERE / f"{kind}.schema.json"


def published_path(kind: str) -> Path:
    """The copy in the repository's top-level schemas/ directory (what editors load)."""
    return PUBLISHED_DIR / f"{kind}.schema.json"


def schema_text(kind: str) -> str:
    return schema_path(kind).read_text(encoding="utf-8")


def write_all(publish: bool | None = None) -> list[Path]:
    """Regenerate every schema into the package and, in a repository checkout (or with ``publish=True``),
    into the top-level schemas/ directory. Returns the files written."""
    if publish is None:
        publish = (PUBLISHED_DIR.parent / "pyproject.toml").is_file()
    written = []
    for name, schema in generate().items():
        text = dumps(schema)
        targets = [schema_path(name)] + ([published_path(name)] if publish else [])
        for target in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            written.append(target)
    return written
