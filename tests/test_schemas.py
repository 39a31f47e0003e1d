"""The JSON Schemas shipped in the package and published in schemas/ are exactly what the models and the pack
schema generate, carry their published $id and a title, and accept every example manifest (editors load them:
a schema stricter than the loader would show false errors, a looser one would miss real ones)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from compliance_engine import schemas
from compliance_engine.loading import iter_manifest_files, load_text
from compliance_engine.packs.loader import builtin_packs_dir
from compliance_engine.yamlsource import parse_documents
from tests.conftest import ROOT

REGENERATE = "run `python -m compliance_engine.schemas --write`"


@pytest.fixture(scope="module")
def generated() -> dict[str, dict]:
    return schemas.generate()


@pytest.fixture(scope="module")
def manifest_validators() -> list[jsonschema.Validator]:
    """The published manifest schema under draft 2020-12 (its dialect) and draft-07 (what yaml-language-server applies)."""
    schema = json.loads(schemas.published_path("manifest").read_text(encoding="utf-8"))
    return [jsonschema.Draft202012Validator(schema), jsonschema.Draft7Validator(schema)]


def _as_editor_sees_it(value):
    """YAML dates reach an editor's validator as strings."""
    return json.loads(json.dumps(value, default=str))


def test_published_names_cover_manifests_and_rule_packs():
    assert set(schemas.KINDS) >= {"product", "listing", "seller", "manifest", "rulepack", "rulepack-data"}


@pytest.mark.parametrize("kind", schemas.KINDS)
def test_package_copy_matches_generated(kind, generated):
    shipped = schemas.schema_path(kind).read_text(encoding="utf-8")
    assert shipped == schemas.dumps(generated[kind]), f"compliance_engine/schemas/{kind}.schema.json is stale: {REGENERATE}"


@pytest.mark.parametrize("kind", schemas.KINDS)
def test_published_copy_matches_generated(kind, generated):
    path = ROOT / "schemas" / f"{kind}.schema.json"
    assert path.is_file(), f"schemas/{kind}.schema.json is missing: {REGENERATE}"
    assert path.read_text(encoding="utf-8") == schemas.dumps(generated[kind]), f"schemas/{kind}.schema.json is stale: {REGENERATE}"


def test_no_stray_files_in_the_published_directory():
    published = sorted(p.name for p in (ROOT / "schemas").iterdir())
    assert published == sorted(f"{k}.schema.json" for k in schemas.KINDS)


@pytest.mark.parametrize("kind", schemas.KINDS)
def test_each_schema_is_valid_with_its_published_id_and_a_title(kind, generated):
    schema = generated[kind]
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == f"https://raw.githubusercontent.com/compliance-engine/compliance-engine/main/schemas/{kind}.schema.json"
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"].strip()


def test_write_regenerates_package_and_published_copies(tmp_path, monkeypatch, generated):
    monkeypatch.setattr(schemas, "HERE", tmp_path / "package")
    monkeypatch.setattr(schemas, "PUBLISHED_DIR", tmp_path / "published")
    written = schemas.write_all(publish=True)
    assert len(written) == 2 * len(schemas.KINDS)
    for kind in schemas.KINDS:
        for folder in ("package", "published"):
            assert (tmp_path / folder / f"{kind}.schema.json").read_text(encoding="utf-8") == schemas.dumps(generated[kind])


def test_every_example_manifest_validates_against_manifest_schema(manifest_validators):
    files, problems = iter_manifest_files([ROOT / "products"])
    assert not problems
    checked = 0
    for path, display in files:
        for doc in parse_documents(path.read_text(encoding="utf-8"), display):
            value = _as_editor_sees_it(doc.value)
            for validator in manifest_validators:
                errors = sorted(validator.iter_errors(value), key=lambda e: list(map(str, e.absolute_path)))
                assert not errors, f"{display}: {'.'.join(map(str, errors[0].absolute_path))}: {errors[0].message}"
            checked += 1
    assert checked >= 8


def test_every_shipped_pack_fixture_validates_against_manifest_schema(manifest_validators):
    """Fixtures carry x-expect and are edited with the same modeline."""
    from compliance_engine.fixtures import pack_fixture_files

    paths, _ = pack_fixture_files([builtin_packs_dir()])
    assert len(paths) > 100
    validator = manifest_validators[0]
    for path in paths:
        for doc in parse_documents(path.read_text(encoding="utf-8"), str(path)):
            error = jsonschema.exceptions.best_match(validator.iter_errors(_as_editor_sees_it(doc.value)))
            assert error is None, f"{path}: {'.'.join(map(str, error.absolute_path))}: {error.message}"


WRONG_MANIFESTS = {
    "markets is a list": ("kind: Product\nsku: W-1\ncategory: toys\nmarkets: DE\n", ["markets"]),
    "unknown field": ("kind: Product\nsku: W-1\ncategory: toys\nmarkets: [DE]\ncolour: red\n", []),
    "unknown kind": ("kind: Gadget\nsku: W-1\n", ["kind"]),
    "kind missing": ("sku: W-1\ncategory: toys\nmarkets: [DE]\n", []),
    "listing needs its product": ("kind: Listing\nmarketplace: amazon\nmarket: DE\n", []),
    "seller fields are not product fields": ("kind: Seller\nname: ACME\ncountry: DE\ncategory: toys\n", []),
}


@pytest.mark.parametrize("name", sorted(WRONG_MANIFESTS))
def test_wrong_manifest_fails_the_schema_as_it_fails_the_loader(name, manifest_validators):
    text, error_path = WRONG_MANIFESTS[name]
    assert load_text(text).problems, "the loader should refuse this manifest too"
    [doc] = parse_documents(text, "<wrong>")
    for validator in manifest_validators:
        errors = list(validator.iter_errors(_as_editor_sees_it(doc.value)))
        assert errors, f"{type(validator).__name__} accepted: {name}"
        if error_path:
            assert any(list(e.absolute_path) == error_path for e in errors), [(list(e.absolute_path), e.message) for e in errors]


def test_manifest_schema_applies_the_schema_of_the_named_kind(manifest_validators):
    product = {"kind": "Product", "sku": "W-1", "category": "toys", "markets": ["DE"]}
    for validator in manifest_validators:
        assert validator.is_valid(product)
        assert not validator.is_valid({**product, "kind": "Seller"})


_DRAFT7_KEYWORDS = set(jsonschema.Draft7Validator.META_SCHEMA["properties"]) | {"$defs"}


@pytest.mark.parametrize("kind", schemas.KINDS)
def test_schemas_use_only_keywords_yaml_language_server_understands(kind, generated):
    """yaml-language-server validates with draft-07: a 2020-12-only keyword would be silently ignored in editors."""
    used: set[str] = set()

    def walk(node, parent_key=None):
        if isinstance(node, dict):
            for key, value in node.items():
                if parent_key in ("properties", "patternProperties", "$defs"):
                    walk(value)  # keys here are names, not keywords
                    continue
                used.add(key)
                walk(value, key)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(generated[kind])
    assert used <= _DRAFT7_KEYWORDS, sorted(used - _DRAFT7_KEYWORDS)


def test_clashing_definitions_of_two_kinds_are_kept_apart(monkeypatch):
    money_eur = {"type": "object", "properties": {"eur": {"type": "number"}}, "additionalProperties": False}
    money_usd = {"type": "object", "properties": {"usd": {"type": "number"}}, "additionalProperties": False}
    price = {"type": "object", "properties": {"amount": {"$ref": "#/$defs/Money"}}}

    def kind(name, money):
        return {"title": name, "type": "object", "required": ["kind"],
                "properties": {"kind": {"const": name.capitalize()}, "price": {"$ref": "#/$defs/Price"}},
                "$defs": {"Money": money, "Price": price}}

    monkeypatch.setattr(schemas, "_model_schemas", lambda: {"product": kind("product", money_eur),
                                                            "listing": kind("listing", money_usd),
                                                            "seller": kind("seller", money_eur)})
    schema = schemas._manifest_schema()
    assert schema["$defs"]["Money"] == money_eur and schema["$defs"]["ListingMoney"] == money_usd
    assert schema["$defs"]["ListingPrice"]["properties"]["amount"] == {"$ref": "#/$defs/ListingMoney"}
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid({"kind": "Product", "price": {"amount": {"eur": 1}}})
    assert not validator.is_valid({"kind": "Product", "price": {"amount": {"usd": 1}}})
    assert validator.is_valid({"kind": "Listing", "price": {"amount": {"usd": 1}}})
    assert not validator.is_valid({"kind": "Listing", "price": {"amount": {"eur": 1}}})
    assert validator.is_valid({"kind": "Seller", "price": {"amount": {"eur": 1}}})


def test_schema_command_prints_the_package_copy():
    from click.testing import CliRunner

    from compliance_engine.cli import cli

    result = CliRunner().invoke(cli, ["schema", "product"])
    assert result.exit_code == 0
    assert result.stdout == schemas.schema_path("product").read_text(encoding="utf-8")
    assert json.loads(result.stdout)["$id"].endswith("/schemas/product.schema.json")


def test_docs_modeline_points_at_the_published_manifest_schema():
    doc = (ROOT / "docs" / "editor-support.md").read_text(encoding="utf-8")
    assert "# yaml-language-server: $schema=../schemas/manifest.schema.json" in doc
    assert schemas.schema_url("manifest") in doc
    assert (ROOT / "products" / Path("../schemas/manifest.schema.json")).resolve() == schemas.published_path("manifest").resolve()


def test_every_shipped_pack_and_data_table_validates_as_an_editor_checks_it():
    from compliance_engine.packs.loader import pack_files

    packs = jsonschema.Draft7Validator(json.loads(schemas.published_path("rulepack").read_text(encoding="utf-8")))
    tables = jsonschema.Draft7Validator(json.loads(schemas.published_path("rulepack-data").read_text(encoding="utf-8")))
    pack_paths = pack_files(builtin_packs_dir())
    table_paths = sorted(builtin_packs_dir().glob("*/data/*.yaml"))
    assert len(pack_paths) > 50 and len(table_paths) > 10
    for validator, paths in ((packs, pack_paths), (tables, table_paths)):
        for path in paths:
            [doc] = parse_documents(path.read_text(encoding="utf-8"), str(path))
            error = jsonschema.exceptions.best_match(validator.iter_errors(_as_editor_sees_it(doc.value)))
            assert error is None, f"{path}: {'.'.join(map(str, error.absolute_path))}: {error.message}"
