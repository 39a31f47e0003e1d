"""`limits` in a configuration file: the --max-* flags set once for a repository, merged limit by limit."""

from __future__ import annotations

import shutil

import jsonschema
import pytest
from click.testing import CliRunner

from compliance_engine.cli import cli
from compliance_engine.config import config_json_schema, discover_config, load_config, resolve_settings
from compliance_engine.errors import InputError
from compliance_engine.limits import DEFAULT_LIMITS, config_values
from tests.conftest import ROOT, write


@pytest.fixture
def shop(repo):
    """The bundled example products in a repository of their own (their documents included)."""
    shutil.copytree(ROOT / "products", repo / "products")
    return repo


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_configured_limits_hold_for_check_documents_and_bundle(shop):
    write(shop / ".compliance-engine.yaml", "limits:\n  max-depth: 2\n")
    checked = run("check", "products/", "-q")
    assert checked.exit_code == 2 and "nesting deeper than 2 levels (the max-depth limit)" in checked.output
    listed = run("documents", "products/", "--market", "DE")
    assert listed.exit_code == 2 and "the max-depth limit" in listed.output
    bundled = run("bundle", "X1-SPK", "products/", "--market", "DE", "--output", shop / "x1.zip")
    assert bundled.exit_code == 2 and "the max-depth limit" in bundled.output and not (shop / "x1.zip").exists()


def test_a_flag_overrides_only_its_own_limit(shop):
    write(shop / ".compliance-engine.yaml", "limits:\n  max-depth: 2\n  max-file-size: 100\n")
    depth_lifted = run("check", "products/", "-q", "--max-depth", "64")
    assert depth_lifted.exit_code == 2
    assert "over the max-file-size limit of 100 bytes" in depth_lifted.output
    assert "max-depth limit" not in depth_lifted.output
    both_lifted = run("check", "products/", "-q", "--max-depth", "64", "--max-file-size", "1MB", "--fail-on", "never")
    assert both_lifted.exit_code == 0 and "input error" not in both_lifted.output


def test_show_config_gives_every_limit_and_where_it_came_from(repo):
    write(repo / ".compliance-engine.yaml", "fail-on: never\nlimits:\n  max-file-size: 2MiB\n  max-aliases: 0\n")
    settings = resolve_settings(discover_config(), {"limits": {"max-nodes": 10}})
    assert settings.value("limits") == {**config_values(DEFAULT_LIMITS), "max-file-size": 2 * 1024 * 1024,
                                        "max-aliases": 0, "max-nodes": 10}
    assert settings.origin("limits") == "command line, .compliance-engine.yaml:2"
    assert resolve_settings(discover_config(), {}).origin("limits") == ".compliance-engine.yaml:2"
    assert resolve_settings(None, {}).origin("limits") == "default"
    assert resolve_settings(None, {}).value("limits") == config_values(DEFAULT_LIMITS)
    shown = run("check", "--show-config", "--max-documents", "5").output
    assert '"max-documents": 5' in shown and shown.rstrip().endswith("command line, .compliance-engine.yaml:2")


@pytest.mark.parametrize("text, message", [
    ("limits:\n  max-dept: 5\n",
     ".compliance-engine.yaml:2: unknown key 'max-dept' in limits (did you mean 'max-depth'?); keys: max-file-size, "
     "max-depth, max-nodes, max-aliases, max-documents, max-value-length"),
    ("limits:\n  max-file-size: big\n",
     ".compliance-engine.yaml:2: limits.max-file-size: 'big' is not a size; write a number of bytes, optionally with "
     "a unit: 20MiB, 50MB, 512K, 1G"),
    ("limits:\n  max-file-size: [1]\n",
     ".compliance-engine.yaml:2: limits.max-file-size: expected a size: a number of bytes, or a text like 50MB "
     "(got a list)"),
    ("limits:\n  max-nodes: 0\n", ".compliance-engine.yaml:2: limits.max-nodes: must be 1 or more (got 0)"),
    ("limits:\n  max-aliases: -1\n", ".compliance-engine.yaml:2: limits.max-aliases: must be 0 or more (got -1)"),
    ("limits:\n  max-depth: true\n", ".compliance-engine.yaml:2: limits.max-depth: expected a whole number (got true)"),
    ("limits:\n  max-depth: '8'\n", ".compliance-engine.yaml:2: limits.max-depth: expected a whole number (got '8')"),
    ("limits: 5\n", ".compliance-engine.yaml:1: limits: expected a mapping of limits (max-file-size, max-depth, "
                    "max-nodes, max-aliases, max-documents, max-value-length) (got 5)"),
])
def test_a_bad_limit_is_one_message_with_its_line(repo, text, message):
    path = write(repo / ".compliance-engine.yaml", text)
    with pytest.raises(InputError) as exc:
        load_config(path)
    assert [str(p) for p in exc.value.problems] == [message]
    result = run("check", "products/")
    assert result.exit_code == 2 and f"compliance-engine: {message}" in result.output


def test_the_published_schema_agrees(repo):
    validator = jsonschema.Draft202012Validator(config_json_schema())
    assert validator.is_valid({"limits": {"max-file-size": "50MB", "max-depth": 8, "max-aliases": 0}})
    for bad in ({"limits": {"max-depth": 0}}, {"limits": {"max-file-size": 0}}, {"limits": {"max-dept": 1}},
                {"limits": 5}):
        assert not validator.is_valid(bad), bad
