"""Invalid configuration: one clear message per problem, naming the file and the line of the offending key."""

from __future__ import annotations

import pytest

from compliance_engine.config import MAX_CONFIG_BYTES, discover_config, load_config
from compliance_engine.errors import InputError
from tests.conftest import write


def problems(path) -> list[str]:
    with pytest.raises(InputError) as exc:
        load_config(path)
    return [str(p) for p in exc.value.problems]


def only_problem(path) -> str:
    found = problems(path)
    assert len(found) == 1, found
    return found[0]


def yaml_config(repo, text: str):
    return write(repo / ".compliance-engine.yaml", text)


def toml_config(repo, text: str):
    return write(repo / "pyproject.toml", "[project]\nname = 'shop'\n\n[tool.compliance-engine]\n" + text)


# --- unknown keys -------------------------------------------------------------------------------


def test_unknown_key_in_yaml_with_a_hint(repo):
    path = yaml_config(repo, "packs: [eu.gpsr]\nfail_on: warning\n")
    assert only_problem(path) == (".compliance-engine.yaml:2: unknown key 'fail_on' (did you mean 'fail-on'?); "
                                  "keys: paths, packs, markets, fail-on, rulepacks, waivers, formats, horizon, limits")


def test_unknown_key_in_pyproject_with_a_hint(repo):
    path = toml_config(repo, "horizon = 30\nmarket = ['DE']\n")
    assert only_problem(path).startswith("pyproject.toml:6: unknown key 'market' (did you mean 'markets'?)")


def test_a_sub_table_is_an_unknown_key_at_its_header_line(repo):
    path = toml_config(repo, "horizon = 30\n\n[tool.compliance-engine.waiver]\nfile = 'w.yaml'\n")
    assert only_problem(path).startswith("pyproject.toml:7: unknown key 'waiver' (did you mean 'waivers'?)")


def test_a_date_cannot_be_configured(repo):
    path = yaml_config(repo, "packs: []\nas-of: 2026-01-01\n")
    assert only_problem(path) == (".compliance-engine.yaml:2: unknown key 'as-of': a configuration must not fix "
                                  "the date; give --as-of on the command line")


def test_unknown_key_inside_a_format_mapping(repo):
    path = yaml_config(repo, "formats:\n  - text\n  - format: json\n    outptu: r.json\n")
    found = problems(path)
    assert ".compliance-engine.yaml:4: unknown key 'outptu' in formats[1] (did you mean 'output'?); " \
           "keys: format, output" in found


# --- wrong types --------------------------------------------------------------------------------


@pytest.mark.parametrize("key, value", [("paths", "products/"), ("packs", "eu.gpsr"), ("markets", "DE"),
                                        ("rulepacks", "packs/"), ("formats", "json")])
def test_a_string_where_a_list_is_expected(repo, key, value):
    path = yaml_config(repo, f"horizon: 3\n{key}: {value}\n")
    assert only_problem(path) == f".compliance-engine.yaml:2: {key}: expected a list (got '{value}')"


def test_a_string_where_a_list_is_expected_in_toml(repo):
    path = toml_config(repo, "packs = 'eu.gpsr'\n")
    assert only_problem(path) == "pyproject.toml:5: packs: expected a list (got 'eu.gpsr')"


def test_an_empty_value_where_a_list_is_expected(repo):
    path = yaml_config(repo, "packs:\n")
    assert only_problem(path) == ".compliance-engine.yaml:1: packs: expected a list (got no value)"


def test_a_number_where_a_path_is_expected_names_the_item_line(repo):
    path = yaml_config(repo, "paths:\n  - products/\n  - 42\n")
    assert only_problem(path) == ".compliance-engine.yaml:3: paths[1]: expected a string (got 42)"


@pytest.mark.parametrize("value, shown", [("'30'", "'30'"), ("1.5", "1.5"), ("true", "true")])
def test_horizon_must_be_a_whole_number(repo, value, shown):
    path = yaml_config(repo, f"packs: []\nhorizon: {value}\n")
    assert only_problem(path) == f".compliance-engine.yaml:2: horizon: expected a whole number of days (got {shown})"


def test_horizon_must_not_be_negative(repo):
    path = toml_config(repo, "horizon = -1\n")
    assert only_problem(path) == "pyproject.toml:5: horizon: must be 0 or more (got -1)"


def test_the_configuration_must_be_a_mapping(repo):
    path = yaml_config(repo, "# a list by mistake\n- packs: [eu.gpsr]\n")
    assert only_problem(path).startswith(".compliance-engine.yaml:2: the configuration must be a mapping of keys")


# --- wrong values -------------------------------------------------------------------------------


def test_bad_fail_on_with_a_hint(repo):
    path = yaml_config(repo, "packs: [eu.gpsr]\nfail-on: err\n")
    assert only_problem(path) == \
        ".compliance-engine.yaml:2: fail-on: 'err' is not one of error, warning, info, never (did you mean 'error'?)"


def test_bad_fail_on_in_toml(repo):
    path = toml_config(repo, "\"fail-on\" = \"warnings\"\n")
    assert only_problem(path) == \
        "pyproject.toml:5: fail-on: 'warnings' is not one of error, warning, info, never (did you mean 'warning'?)"


def test_bad_format_name_with_a_hint_at_the_item_line(repo):
    path = yaml_config(repo, "formats:\n  - text\n  - jsno\n")
    assert only_problem(path) == (".compliance-engine.yaml:3: formats[1]: 'jsno' is not one of text, json, jsonl, sarif, "
                                  "junit, github, markdown, csv (did you mean 'json'?)")


def test_bad_format_name_inside_a_mapping_in_toml(repo):
    path = toml_config(repo, "formats = [\n  'text',\n  {format = 'sarfi', output = 'r.sarif'},\n]\n")
    assert only_problem(path).startswith("pyproject.toml:7: formats[1].format: 'sarfi' is not one of text, json")


def test_a_format_that_is_neither_a_name_nor_a_mapping(repo):
    path = yaml_config(repo, "formats:\n  - [json, r.json]\n")
    assert only_problem(path) == \
        ".compliance-engine.yaml:2: formats[0]: expected a format name or a mapping with format and output (got a list)"


def test_a_format_mapping_needs_an_output(repo):
    path = yaml_config(repo, "formats:\n  - format: junit\n")
    assert only_problem(path) == (".compliance-engine.yaml:2: formats[0].output: required in a mapping; write the "
                                  "format name alone ('junit') to print to standard output")


def test_an_empty_output(repo):
    path = yaml_config(repo, "formats:\n  - text\n  - format: json\n    output: ''\n")
    assert only_problem(path) == ".compliance-engine.yaml:4: formats[1].output: must not be empty"


def test_an_empty_list_of_formats(repo):
    path = toml_config(repo, "formats = []\n")
    assert only_problem(path) == "pyproject.toml:5: formats: list at least one format"


def test_two_formats_writing_the_same_file(repo):
    path = yaml_config(repo, "formats:\n  - {format: json, output: out/r.json}\n  - text\n"
                             "  - {format: sarif, output: ./out/../out/r.json}\n")
    assert only_problem(path) == (".compliance-engine.yaml:4: formats[2].output: './out/../out/r.json' is also "
                                  "written by formats[0] (line 2); each format needs its own file")


def test_a_format_cannot_write_over_the_configuration_file(repo):
    path = toml_config(repo, "formats = [{ format = 'json', output = './pyproject.toml' }]\n")
    assert only_problem(path) == ("pyproject.toml:5: formats[0].output: './pyproject.toml' is this configuration "
                                  "file; a report never overwrites an input")


def test_two_formats_printing_to_standard_output(repo):
    path = toml_config(repo, "formats = [\n  'text',\n  { format = 'json', output = 'r.json' },\n  'github',\n]\n")
    assert only_problem(path) == ("pyproject.toml:8: formats[2]: 'github' would also print to standard output, "
                                  "like formats[0] (line 6); give one of them an output file")


def test_an_unknown_market_code_with_the_right_one(repo):
    path = yaml_config(repo, "markets:\n  - DE\n  - UK\n")
    found = only_problem(path)
    assert found.startswith(".compliance-engine.yaml:3: markets[1]: 'UK'") and "GB" in found


def test_waivers_file_and_rulepacks_directories_must_exist(repo):
    (repo / "ci").mkdir()
    write(repo / "ci" / "notes.txt", "x\n")
    path = write(repo / "ci" / "config.yaml", "rulepacks:\n  - ../packs\n  - notes.txt\nwaivers: waivers.yaml\n")
    assert problems(path) == [
        "ci/config.yaml:2: rulepacks[0]: directory '../packs' does not exist "
        "(relative paths are taken from the directory of the configuration file)",
        "ci/config.yaml:3: rulepacks[1]: directory 'notes.txt' is a file, not a directory "
        "(relative paths are taken from the directory of the configuration file)",
        "ci/config.yaml:4: waivers: file 'waivers.yaml' does not exist "
        "(relative paths are taken from the directory of the configuration file)",
    ]


def test_missing_paths_to_check_are_left_to_the_command(repo):
    path = yaml_config(repo, "paths: [not-yet-created/]\n")
    assert load_config(path).values == {"paths": ["not-yet-created"]}


def test_every_problem_is_reported_at_once_in_line_order(repo):
    path = yaml_config(repo, "horizon: -2\nfail-on: nope\npack: [x]\n")
    found = problems(path)
    assert [p.split(": ", 1)[0] for p in found] == [".compliance-engine.yaml:1", ".compliance-engine.yaml:2",
                                                    ".compliance-engine.yaml:3"]


# --- unreadable files ---------------------------------------------------------------------------


def test_yaml_syntax_error_with_its_line(repo):
    path = yaml_config(repo, "packs: [eu.gpsr]\nmarkets: [DE\nfail-on: error\n")
    found = only_problem(path)
    assert found.startswith(".compliance-engine.yaml:3: YAML syntax error")


def test_toml_syntax_error_with_its_line(repo):
    path = toml_config(repo, "packs = ['eu.gpsr']\nfail-on = warning\n")
    assert only_problem(path) == "pyproject.toml:6: TOML syntax error: Invalid value"


def test_toml_error_at_the_end_of_the_file(repo):
    path = toml_config(repo, "horizon = 3\npacks = ['eu.gpsr'\n")
    assert only_problem(path) == "pyproject.toml:6: TOML syntax error: Unclosed array at the end of the file"


def test_a_duplicate_yaml_key(repo):
    path = yaml_config(repo, "fail-on: info\npacks: []\nfail-on: error\n")
    assert only_problem(path) == \
        ".compliance-engine.yaml:3: duplicate key 'fail-on' (first on line 1, again on line 3)"


def test_a_yaml_tag_is_refused(repo):
    path = yaml_config(repo, "packs: [eu.gpsr]\nwaivers: !!python/object:os.system\n  x: 1\n")
    assert only_problem(path) == \
        ".compliance-engine.yaml:2: YAML tag '!!python/object:os.system' is not allowed (plain data only)"


def test_a_second_yaml_document(repo):
    path = yaml_config(repo, "packs: [eu.gpsr]\n---\nfail-on: info\n")
    assert only_problem(path) == \
        ".compliance-engine.yaml:3: a configuration file holds one YAML document; this is a second one"


@pytest.mark.parametrize("name", [".compliance-engine.yaml", "pyproject.toml"])
def test_a_huge_file_is_refused_before_parsing(repo, name):
    filler = "# padding\n" * (MAX_CONFIG_BYTES // 10 + 1)
    path = write(repo / name, ("[tool.compliance-engine]\n" if name.endswith(".toml") else "") + filler)
    found = only_problem(path)
    assert found.startswith(f"{name}:1: file is ") and f"the limit is {MAX_CONFIG_BYTES:,}" in found
    with pytest.raises(InputError):  # discovery reads it too, and says the same
        discover_config()


def test_a_file_that_is_not_utf8(repo):
    path = write(repo / ".compliance-engine.yaml", "packs: [eu.gpsr]\n")
    path.write_bytes(b"packs: [eu.gpsr]\nmarkets: [\xff]\n")
    assert only_problem(path) == ".compliance-engine.yaml:2: file is not valid UTF-8 (byte 0xff)"


def test_an_explicit_directory(repo):
    (repo / "conf.yaml").mkdir()
    assert only_problem(repo / "conf.yaml") == "conf.yaml:1: is a directory, not a configuration file"
