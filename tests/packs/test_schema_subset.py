"""The packs' JSON Schema requirements are validated without jsonschema when they keep to the keywords packs use
(compliance_engine.schema_subset), to save a one-file check the import. The findings must not change: the subset
validator must give jsonschema's errors (keyword, value, instance, path, message) in jsonschema's order, on every
shipped schema against every product we have, and on generated schemas and instances."""

from __future__ import annotations

import os
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.generate import write_catalogue
from compliance_engine import safe_regex, schema_subset
from compliance_engine.loading import load_manifests
from compliance_engine.packs.loader import load_packs
from compliance_engine.units import build_units
from tests.conftest import ROOT


def jsonschema_validator(schema: dict):
    """jsonschema itself, with the pack ``pattern`` keyword on the safe engine (what packs got before)."""
    return safe_regex._schema_validator_class()(schema)


def subset_validator(schema: dict):
    return schema_subset.SubsetValidator(schema, lambda pattern, text: safe_regex.compile(pattern).search(text))


def errors(validator, instance) -> list[tuple]:
    return [(e.validator, repr(e.validator_value), repr(e.instance), list(e.absolute_path), e.message)
            for e in validator.iter_errors(instance)]


@lru_cache(maxsize=1)
def shipped_schemas() -> list[tuple[str, dict]]:
    found = []
    for pack in load_packs().packs:
        for rule in pack.rules:
            found += [(rule.id, req.spec) for req in rule.all_requirements() if req.kind == "schema"]
    return found


@pytest.fixture(scope="module")
def products(tmp_path_factory) -> list[dict]:
    """Every product of the bundled examples and of every pack fixture, and 300 generated ones, as the checker
    hands them to a schema requirement (one per check unit)."""
    generated = tmp_path_factory.mktemp("catalogue")
    write_catalogue(generated, 300, seed=11)
    paths = [ROOT / "products", generated, *sorted((ROOT / "rulepacks").glob("*/fixtures"))]
    seen, out = set(), []
    for path in paths:
        loaded = load_manifests([path])
        units, _ = build_units(loaded.manifests)
        for unit in units:
            if id(unit.product) not in seen:
                seen.add(id(unit.product))
                out.append(unit.product)
    assert len(out) > 600
    return out


def test_every_shipped_schema_keeps_to_the_subset():
    """A pack that adds a keyword outside the subset still works (jsonschema validates it), but every check of
    a product it covers would pay jsonschema's import again: keep the shipped packs inside."""
    schemas = shipped_schemas()
    assert len(schemas) >= 40
    outside = [rule for rule, schema in schemas if not schema_subset.supports(schema)]
    assert outside == []


def test_subset_gives_jsonschemas_errors_on_every_shipped_schema(products):
    compared = failing = 0
    for rule, schema in shipped_schemas():
        ours, theirs = subset_validator(schema), jsonschema_validator(schema)
        for product in products:
            expected = errors(theirs, product)
            assert errors(ours, product) == expected, (rule, product.get("sku"))
            compared += 1
            failing += bool(expected)
    assert compared > 20_000
    assert failing > 1_000  # the corpus exercises the failures, not only the passes


def test_schema_requirements_use_the_subset_and_the_rest_uses_jsonschema():
    assert isinstance(safe_regex.schema_validator({"required": ["sku"]}), schema_subset.SubsetValidator)
    unique = safe_regex.schema_validator({"properties": {"tags": {"uniqueItems": True}}})
    assert not isinstance(unique, schema_subset.SubsetValidator)
    assert [e.message for e in unique.iter_errors({"tags": ["a", "a"]})] == ["['a', 'a'] has non-unique elements"]
    boolean = safe_regex.schema_validator({"properties": {"x": False}})
    assert [e.message for e in boolean.iter_errors({"x": 1})] == ["False schema does not allow 1"]


# ------------------------------------------------------------------------------------------- generated

NAMES = ["a", "b", "c"]
PATTERNS = ["^[A-Z]{2}$", "\\d", "^x", "(?i)made in usa"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from([0.0, 1.0, 1.5, -2.5]),
                    st.sampled_from(["", "x", "AB", "made in USA", "x1", "abc"]))
instances = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                          st.dictionaries(st.sampled_from(NAMES), inner, max_size=3)),
                         max_leaves=8)
TYPES = ["array", "boolean", "integer", "null", "number", "object", "string"]


def _leaf_keywords():
    number = st.sampled_from([0, 1, 2, 1.5, -1])
    count = st.integers(0, 3)
    return st.one_of(
        st.builds(lambda t: {"type": t}, st.one_of(st.sampled_from(TYPES), st.lists(st.sampled_from(TYPES), min_size=1, max_size=2, unique=True))),
        st.builds(lambda r: {"required": r}, st.lists(st.sampled_from(NAMES), max_size=3, unique=True)),
        st.builds(lambda v: {"const": v}, scalars),
        st.builds(lambda v: {"enum": v}, st.lists(scalars, min_size=1, max_size=3)),
        st.builds(lambda p: {"pattern": p}, st.sampled_from(PATTERNS)),
        st.builds(lambda k, n: {k: n}, st.sampled_from(["maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum"]), number),
        st.builds(lambda k, n: {k: n}, st.sampled_from(["minItems", "maxItems", "minLength", "maxLength"]), count),
        st.just({"title": "annotation", "description": "never an error"}),
    )


def _compound(inner):
    return st.one_of(
        st.builds(lambda props: {"properties": props}, st.dictionaries(st.sampled_from(NAMES), inner, max_size=3)),
        st.builds(lambda i, t: {"if": i, "then": t}, inner, inner),
        st.builds(lambda i, t, e: {"if": i, "then": t, "else": e}, inner, inner, inner),
        st.builds(lambda i, e: {"if": i, "else": e}, inner, inner),
        st.builds(lambda s: {"contains": s}, inner),
        st.builds(lambda s: {"items": s}, inner),
        st.builds(lambda s: {"anyOf": s}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda s: {"allOf": s}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda s: {"not": s}, inner),
        st.builds(lambda a, b: {**a, **b}, inner, inner),  # several keywords side by side, in either order
    )


schemas = st.recursive(_leaf_keywords(), _compound, max_leaves=10)


@settings(max_examples=int(os.environ.get("SCHEMA_SUBSET_EXAMPLES", "400")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(schema=schemas, instance=instances)
def test_subset_gives_jsonschemas_errors_on_generated_schemas(schema, instance):
    assert schema_subset.supports(schema)
    jsonschema.Draft202012Validator.check_schema(schema)  # only schemas a pack could load
    assert errors(subset_validator(schema), instance) == errors(jsonschema_validator(schema), instance)


@pytest.mark.parametrize("schema", [
    {"uniqueItems": True}, {"$ref": "#"}, {"properties": {"a": True}}, {"type": "decimal"}, {"items": [{}]},
    {"contains": {}, "minContains": 2}, {"anyOf": []}, {"format": "date"}, {"minimum": "1"}, True,
])
def test_schemas_outside_the_subset_are_left_to_jsonschema(schema):
    assert not schema_subset.supports(schema)


# ------------------------------------------------------------------------------------------- start-up

def test_a_one_file_check_with_a_schema_rule_does_not_import_jsonschema(tmp_path):
    """The pre-commit path: with the compiled packs cached, a product that a schema requirement covers
    (us.customs.origin-marking) is checked without importing jsonschema, and the requirement still reports."""
    product = ROOT / "products" / "organic-cotton-tshirt.yaml"
    env = {**os.environ, "COMPLIANCE_ENGINE_CACHE_DIR": str(tmp_path / "cache")}
    script = ("import sys\nfrom compliance_engine.cli import run\n"
              "sys.argv = ['compliance-engine', 'check', sys.argv[1], '--market', 'US', '--format', 'json',"
              " '--fail-on', 'never']\n"
              "try:\n    run()\nexcept SystemExit:\n    pass\n"
              "print('jsonschema imported' if 'jsonschema' in sys.modules else 'jsonschema not imported',"
              " file=sys.stderr)\n")
    runs = [subprocess.run([sys.executable, "-c", script, str(product)], capture_output=True, text=True, env=env,
                           cwd=tmp_path, timeout=120) for _ in range(2)]
    assert runs[0].stdout == runs[1].stdout  # the same report, cache cold or warm
    assert '"rule": "us.customs.origin-marking"' in runs[1].stdout.replace('":"', '": "')
    assert runs[1].stderr.strip().splitlines()[-1] == "jsonschema not imported", runs[1].stderr
