"""docs/configuration.md says what the code does, and the JSON Schema agrees with the model it comes from."""

from __future__ import annotations

import re
import tomllib

import jsonschema
import pytest
import yaml

from compliance_engine.config import (
    FAIL_ON,
    FORMAT_NAMES,
    KEYS,
    config_json_schema,
    discover_config,
    load_config,
    resolve_settings,
    show_config,
)
from compliance_engine.errors import InputError
from tests.conftest import ROOT, write

DOC = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```(\w+)\n(.*?)^```$", DOC, flags=re.S | re.M)
TOML_EXAMPLES = [text for lang, text in BLOCKS if lang == "toml"]
YAML_EXAMPLES = [text for lang, text in BLOCKS if lang == "yaml"]
TEXT_BLOCKS = [text for lang, text in BLOCKS if lang == "text"]
GOOD_YAML = [t for t in YAML_EXAMPLES if "fail_on" not in t]
BAD_YAML = [t for t in YAML_EXAMPLES if "fail_on" in t]
PROJECT_TABLE = '[project]\nname = "shop"\n\n'


@pytest.fixture
def project(repo):
    (repo / "compliance" / "packs").mkdir(parents=True)
    write(repo / "compliance" / "waivers.yaml", "waivers: []\n")
    return repo


def test_the_documentation_has_the_examples_these_tests_read():
    assert len(TOML_EXAMPLES) == 2 and len(GOOD_YAML) == 1 and len(BAD_YAML) == 1
    assert any(t.startswith("configuration file:") for t in TEXT_BLOCKS)
    assert any(t.startswith("compliance-engine: ") for t in TEXT_BLOCKS)


@pytest.mark.parametrize("index", range(2))
def test_every_toml_example_of_the_documentation_loads(project, index):
    write(project / "pyproject.toml", PROJECT_TABLE + TOML_EXAMPLES[index])
    assert discover_config().values


def test_the_yaml_example_is_the_same_configuration_as_the_first_toml_example(project):
    toml_path = write(project / "pyproject.toml", TOML_EXAMPLES[0])
    yaml_path = write(project / ".compliance-engine.yaml", GOOD_YAML[0])
    assert load_config(toml_path).values == load_config(yaml_path).values
    assert tomllib.loads(TOML_EXAMPLES[0])["tool"]["compliance-engine"] == yaml.safe_load(GOOD_YAML[0])


def test_the_show_config_example_is_what_show_config_prints(project):
    write(project / "pyproject.toml", PROJECT_TABLE + TOML_EXAMPLES[0])
    shown = show_config(resolve_settings(discover_config(), {"markets": ("DE",)}))
    assert shown in [t for t in TEXT_BLOCKS if t.startswith("configuration file:")]


def test_the_error_example_is_what_loading_the_bad_example_reports(repo):
    path = write(repo / ".compliance-engine.yaml", BAD_YAML[0])
    with pytest.raises(InputError) as exc:
        load_config(path)
    printed = "".join(f"compliance-engine: {p}\n" for p in exc.value.problems)
    assert printed in [t for t in TEXT_BLOCKS if t.startswith("compliance-engine: ")]


def test_every_key_is_documented():
    for key in KEYS:
        assert f"| `{key}` |" in DOC, key
    for name in FORMAT_NAMES:
        assert f"`{name}`" in DOC, name


# --- the JSON Schema ----------------------------------------------------------------------------


def validator():
    schema = config_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_schema_names_every_key_and_nothing_else():
    schema = config_json_schema()
    assert schema["$id"] == "https://raw.githubusercontent.com/compliance-engine/compliance-engine/main/schemas/config.schema.json"
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert list(schema["properties"]) == list(KEYS)
    assert schema["additionalProperties"] is False
    assert schema["properties"]["fail-on"]["enum"] == list(FAIL_ON)
    assert schema["properties"]["fail-on"]["default"] == "error"
    assert "default" not in schema["properties"]["waivers"]  # there is no default file


def test_the_schema_is_deterministic():
    import json

    assert json.dumps(config_json_schema(), sort_keys=True) == json.dumps(config_json_schema(), sort_keys=True)


def test_the_schema_accepts_the_documented_examples():
    v = validator()
    for text in TOML_EXAMPLES:
        assert not list(v.iter_errors(tomllib.loads(text)["tool"]["compliance-engine"]))
    assert not list(v.iter_errors(yaml.safe_load(GOOD_YAML[0])))


SAMPLES = [
    ({"packs": "eu.gpsr"}, False),
    ({"fail-on": "err"}, False),
    ({"fail_on": "error"}, False),
    ({"horizon": -1}, False),
    ({"horizon": "30"}, False),
    ({"horizon": 0}, True),
    ({"formats": []}, False),
    ({"formats": ["jsno"]}, False),
    ({"formats": [{"format": "json"}]}, False),
    ({"formats": [{"format": "json", "output": ""}]}, False),
    ({"formats": [{"format": "json", "output": "r.json", "x": 1}]}, False),
    ({"formats": ["text", {"format": "sarif", "output": "r.sarif"}]}, True),
    ({"markets": ["DE", "SEA", "EU", "XI"]}, True),
    ({"markets": ["de"]}, False),
    ({"paths": [""]}, False),
    ({"as-of": "2026-01-01"}, False),
    ({}, True),
]


@pytest.mark.parametrize("table, valid", SAMPLES)
def test_the_schema_and_the_loader_agree(repo, table, valid):
    assert not list(validator().iter_errors(table)) is valid
    path = write(repo / "c.yaml", yaml.safe_dump(table) if table else "")
    if valid:
        load_config(path)
    else:
        with pytest.raises(InputError):
            load_config(path)
