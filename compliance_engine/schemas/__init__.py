"""The published JSON Schemas (product, listing, seller, rulepack, rulepack-data).

The files in this directory are generated from the pydantic models and the pack schema:
``python -m compliance_engine.schemas --write`` regenerates them; a test fails when they drift.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
KINDS = ("product", "listing", "seller", "rulepack", "rulepack-data")


def generate() -> dict[str, dict]:
    from ..models import generate_schemas
    from ..packs.schema import DATA_TABLE_SCHEMA, PACK_SCHEMA

    out = dict(generate_schemas())
    out["rulepack"] = PACK_SCHEMA
    out["rulepack-data"] = DATA_TABLE_SCHEMA
    return out


def dumps(schema: dict) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def schema_path(kind: str) -> Path:
    return HERE / f"{kind}.schema.json"


def schema_text(kind: str) -> str:
    return schema_path(kind).read_text(encoding="utf-8")


def write_all() -> list[Path]:
    written = []
    for kind, schema in generate().items():
        p = schema_path(kind)
        p.write_text(dumps(schema), encoding="utf-8")
        written.append(p)
    return written
