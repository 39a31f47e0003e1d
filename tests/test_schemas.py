"""The shipped JSON Schemas are exactly what the models and the pack schema generate."""

from __future__ import annotations

import json

import jsonschema
import pytest

from compliance_engine import schemas
from tests.conftest import ROOT


@pytest.mark.parametrize("kind", schemas.KINDS)
def test_shipped_schema_matches_generated(kind):
    generated = schemas.generate()[kind]
    shipped = schemas.schema_path(kind).read_text(encoding="utf-8")
    assert shipped == schemas.dumps(generated), (
        f"{kind}.schema.json is stale: run `python -m compliance_engine.schemas --write`")
    jsonschema.Draft202012Validator.check_schema(json.loads(shipped))


def test_example_products_validate_against_published_schemas():
    from compliance_engine.yamlsource import parse_documents

    validators = {k: jsonschema.Draft202012Validator(json.loads(schemas.schema_text(k))) for k in ("product", "listing", "seller")}
    checked = 0
    for f in sorted((ROOT / "products").glob("*.yaml")):
        for doc in parse_documents(f.read_text(), str(f)):
            value = json.loads(json.dumps(doc.value, default=str))
            errors = list(validators[value["kind"].lower()].iter_errors(value))
            assert not errors, (f, errors[0].message)
            checked += 1
    assert checked >= 7
