"""What a configuration sets, how paths resolve, how the command line overrides it, and --show-config."""

from __future__ import annotations

import pytest

from compliance_engine.config import (
    DEFAULTS,
    KEYS,
    discover_config,
    load_config,
    resolve_settings,
    show_config,
)
from tests.conftest import write

PYPROJECT = """\
[project]
name = "shop-catalogue"

[tool.compliance-engine]
paths = ["products/", "sellers/"]
packs = ["eu.gpsr", "us."]
markets = ["EU", "GB"]
fail-on = "warning"
rulepacks = ["compliance/packs"]
waivers = "compliance/waivers.yaml"
formats = [
  "text",
  { format = "json", output = "reports/compliance.json" },
]
horizon = 90
"""

YAML = """\
# the same configuration, in YAML
paths: [products/, sellers/]
packs: [eu.gpsr, us.]
markets: [EU, GB]
fail-on: warning
rulepacks: [compliance/packs]
waivers: compliance/waivers.yaml
formats:
  - text
  - format: json
    output: reports/compliance.json
horizon: 90
"""

RESOLVED = {
    "paths": ["products", "sellers"],
    "packs": ["eu.gpsr", "us."],
    "markets": ["EU", "GB"],
    "fail-on": "warning",
    "rulepacks": ["compliance/packs"],
    "waivers": "compliance/waivers.yaml",
    "formats": [{"format": "text", "output": None}, {"format": "json", "output": "reports/compliance.json"}],
    "horizon": 90,
}


@pytest.fixture
def project(repo):
    (repo / "compliance" / "packs").mkdir(parents=True)
    write(repo / "compliance" / "waivers.yaml", "waivers: []\n")
    return repo


def test_every_key_from_pyproject_with_its_line(project):
    write(project / "pyproject.toml", PYPROJECT)
    config = discover_config()
    assert config.values == RESOLVED
    assert config.lines == {"paths": 5, "packs": 6, "markets": 7, "fail-on": 8, "rulepacks": 9, "waivers": 10,
                            "formats": 11, "horizon": 15}
    assert config.origin("formats") == "pyproject.toml:11"


def test_every_key_from_yaml_gives_the_same_values(project):
    write(project / ".compliance-engine.yaml", YAML)
    config = discover_config()
    assert config.values == RESOLVED
    assert config.lines == {"paths": 2, "packs": 3, "markets": 4, "fail-on": 5, "rulepacks": 6, "waivers": 7,
                            "formats": 8, "horizon": 12}


def test_formats_as_an_array_of_tables_in_toml(repo):
    write(repo / "pyproject.toml", """\
        [tool.compliance-engine]
        fail-on = "error"

        [[tool.compliance-engine.formats]]
        format = "sarif"
        output = "out/report.sarif"

        [[tool.compliance-engine.formats]]
        format = "junit"
        output = "out/report.xml"
        """)
    config = discover_config()
    assert config.values["formats"] == [{"format": "sarif", "output": "out/report.sarif"},
                                        {"format": "junit", "output": "out/report.xml"}]
    assert config.lines["formats"] == 4


def test_paths_are_relative_to_the_configuration_file_not_the_working_directory(project, monkeypatch):
    write(project / ".compliance-engine.yaml", YAML)
    (project / "products" / "toys").mkdir(parents=True)
    monkeypatch.chdir(project / "products")
    config = discover_config()
    # under the working directory: relative to it; elsewhere: absolute
    assert config.values["paths"] == [".", str(project / "sellers")]
    assert config.values["rulepacks"] == [str(project / "compliance" / "packs")]
    assert config.values["waivers"] == str(project / "compliance" / "waivers.yaml")
    assert config.values["formats"][1]["output"] == str(project / "reports" / "compliance.json")
    monkeypatch.chdir(project)
    assert discover_config().values["paths"] == ["products", "sellers"]


def test_a_dash_output_means_standard_output(repo):
    write(repo / ".compliance-engine.yaml", "formats:\n  - {format: json, output: '-'}\n  - {format: csv, output: out.csv}\n")
    assert discover_config().values["formats"] == [{"format": "json", "output": None},
                                                   {"format": "csv", "output": "out.csv"}]


def test_defaults_when_there_is_no_configuration(repo):
    settings = resolve_settings(None, {})
    assert settings.as_dict() == DEFAULTS
    assert all(settings.origin(k) == "default" for k in KEYS)
    assert settings.value("fail_on") == "error"  # the Python spelling of a key works too


def test_the_command_line_overrides_key_by_key_and_lists_are_replaced_not_merged(project):
    write(project / "pyproject.toml", PYPROJECT)
    config = discover_config()
    settings = resolve_settings(config, {
        "paths": (),  # not given
        "packs": None,  # not given
        "markets": ("DE",),
        "fail_on": "error",
        "rulepacks": (),
        "waivers": None,
        "formats": [{"format": "json", "output": None}],
        "horizon": 0,  # zero is a value, not "not given"
    })
    assert settings.value("markets") == ["DE"]  # not EU, GB, DE
    assert settings.origin("markets") == "command line"
    assert settings.value("fail-on") == "error" and settings.origin("fail-on") == "command line"
    assert settings.value("formats") == [{"format": "json", "output": None}]
    assert settings.value("horizon") == 0 and settings.origin("horizon") == "command line"
    assert settings.value("paths") == ["products", "sellers"] and settings.origin("paths") == "pyproject.toml:5"
    assert settings.value("packs") == ["eu.gpsr", "us."] and settings.origin("packs") == "pyproject.toml:6"
    assert settings.origin("waivers") == "pyproject.toml:10"


def test_settings_are_copies_the_caller_cannot_corrupt(project):
    write(project / "pyproject.toml", PYPROJECT)
    config = discover_config()
    resolve_settings(config, {}).value("packs").append("sea")
    assert config.values["packs"] == ["eu.gpsr", "us."]
    resolve_settings(None, {}).value("formats")[0]["output"] = "x.txt"
    assert resolve_settings(None, {}).value("formats") == [{"format": "text", "output": None}]


def test_an_unknown_key_on_the_command_line_is_a_programming_error():
    with pytest.raises(KeyError, match="as-of"):
        resolve_settings(None, {"as-of": "2026-01-01"})


def test_show_config_names_the_file_and_every_value_with_its_origin(project):
    write(project / "pyproject.toml", PYPROJECT)
    settings = resolve_settings(discover_config(), {"markets": ("DE",)})
    assert show_config(settings) == (
        "configuration file: pyproject.toml ([tool.compliance-engine] on line 4)\n"
        '  paths      ["products", "sellers"]                           pyproject.toml:5\n'
        '  packs      ["eu.gpsr", "us."]                                pyproject.toml:6\n'
        '  markets    ["DE"]                                            command line\n'
        '  fail-on    "warning"                                         pyproject.toml:8\n'
        '  rulepacks  ["compliance/packs"]                              pyproject.toml:9\n'
        '  waivers    "compliance/waivers.yaml"                         pyproject.toml:10\n'
        '  formats    [{"format": "text", "output": null}, {"format": "json", "output": "reports/compliance.json"}]'
        "  pyproject.toml:11\n"
        "  horizon    90                                                pyproject.toml:15\n"
        '  limits     {"max-file-size": 20971520, "max-depth": 64, "max-nodes": 250000, "max-aliases": 1000, '
        '"max-documents": 10000, "max-value-length": 100000}  default\n'
    )
    assert show_config(settings) == show_config(resolve_settings(discover_config(), {"markets": ("DE",)}))


def test_show_config_without_a_file_says_where_it_searched(repo, monkeypatch):
    (repo / "src").mkdir()
    monkeypatch.chdir(repo / "src")
    text = show_config(resolve_settings(None, {"fail-on": "info"}))
    lines = text.splitlines()
    assert lines[0] == f"no configuration file found (searched from {repo / 'src'} up to the repository root {repo})"
    assert lines[4] == '  fail-on    "info"                                command line'
    assert lines[7] == '  formats    [{"format": "text", "output": null}]  default'
    assert [line.split()[0] for line in lines[1:]] == list(KEYS)


def test_show_config_says_how_an_explicit_file_was_chosen(repo):
    write(repo / "ci.yaml", "fail-on: never\n")
    text = show_config(resolve_settings(load_config(repo / "ci.yaml", found_by="--config"), {}))
    assert text.splitlines()[0] == "configuration file: ci.yaml (from --config)"
    assert '  fail-on    "never"' in text and text.splitlines()[4].endswith("  ci.yaml:1")


def test_loading_never_writes_the_configuration_file(project):
    path = write(project / "pyproject.toml", PYPROJECT)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    resolve_settings(discover_config(), {"packs": ("sea",)})
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
