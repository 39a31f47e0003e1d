"""Finding the configuration file: walk up from the working directory, stop at the repository root."""

from __future__ import annotations

import pytest

from compliance_engine.config import ENV_VAR, discover_config, find_config, load_config, search_bounds
from compliance_engine.errors import InputError
from tests.conftest import write

TABLE = "[tool.compliance-engine]\n"


def problem(exc: pytest.ExceptionInfo) -> str:
    assert len(exc.value.problems) == 1, exc.value.problems
    return str(exc.value.problems[0])


def test_found_in_an_ancestor_directory_from_a_nested_working_directory(repo, monkeypatch):
    write(repo / ".compliance-engine.yaml", "packs: [eu.gpsr]\n")
    deep = repo / "a" / "b" / "c"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert find_config() == repo / ".compliance-engine.yaml"
    config = discover_config()
    assert config.values == {"packs": ["eu.gpsr"]}
    # the file is named relative to the working directory when it is under it, else in full
    assert config.display == str(repo / ".compliance-engine.yaml")
    monkeypatch.chdir(repo)
    assert discover_config().display == ".compliance-engine.yaml"


def test_yml_spelling_and_an_explicit_start_directory(repo):
    write(repo / "sub" / ".compliance-engine.yml", "horizon: 30\n")
    assert find_config(repo / "sub") == repo / "sub" / ".compliance-engine.yml"
    assert find_config(repo) is None


def test_the_nearest_file_wins_and_files_are_not_merged(repo, monkeypatch):
    write(repo / ".compliance-engine.yaml", "packs: [eu.gpsr]\nfail-on: warning\n")
    write(repo / "team" / ".compliance-engine.yaml", "markets: [DE]\n")
    monkeypatch.chdir(repo / "team")
    config = discover_config()
    assert config.file == repo / "team" / ".compliance-engine.yaml"
    assert config.values == {"markets": ["DE"]}  # nothing from the outer file


def test_search_stops_at_the_repository_root(tmp_path, monkeypatch):
    write(tmp_path / ".compliance-engine.yaml", "packs: [outside]\n")  # above the repository: not ours
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "src").mkdir()
    monkeypatch.chdir(repo / "src")
    assert find_config() is None
    assert discover_config() is None
    assert search_bounds() == (str(repo / "src"), str(repo))


def test_a_git_file_marks_the_root_of_a_worktree(tmp_path, monkeypatch):
    write(tmp_path / ".compliance-engine.yaml", "packs: [outside]\n")
    worktree = tmp_path / "wt"
    write(worktree / ".git", "gitdir: /elsewhere/.git/worktrees/wt\n")
    monkeypatch.chdir(worktree)
    assert find_config() is None
    write(worktree / ".compliance-engine.yaml", "packs: [inside]\n")  # the root itself is searched
    assert discover_config().values == {"packs": ["inside"]}


def test_a_pyproject_without_the_table_is_passed_over(repo, monkeypatch):
    write(repo / ".compliance-engine.yaml", "fail-on: info\n")
    write(repo / "pkg" / "pyproject.toml", "[project]\nname = 'compliance-engine-user'\n\n[tool.black]\nline-length = 100\n")
    monkeypatch.chdir(repo / "pkg")
    assert find_config() == repo / ".compliance-engine.yaml"


def test_a_pyproject_with_the_table_is_found(repo, monkeypatch):
    write(repo / "pyproject.toml", "[project]\nname = 'x'\n\n" + TABLE + "fail-on = 'warning'\n")
    monkeypatch.chdir(repo)
    config = discover_config()
    assert config.file == repo / "pyproject.toml"
    assert config.values == {"fail-on": "warning"}
    assert config.lines == {"fail-on": 5}
    assert config.table_line == 4


def test_an_unrelated_broken_pyproject_does_not_stop_the_search(repo, monkeypatch):
    write(repo / ".compliance-engine.yaml", "horizon: 7\n")
    write(repo / "pkg" / "pyproject.toml", "[project\nname = 'x'\n")
    monkeypatch.chdir(repo / "pkg")
    assert discover_config().values == {"horizon": 7}


def test_a_pyproject_naming_the_tool_only_as_a_console_script_is_not_parsed(repo, monkeypatch):
    # our own pyproject.toml declares `compliance-engine = "compliance_engine.cli:main"`; a pyproject that
    # mentions the tool only that way configures nothing, so even a syntax error elsewhere in it is not ours
    write(repo / ".compliance-engine.yaml", "horizon: 7\n")
    write(repo / "pkg" / "pyproject.toml",
          "[project.scripts]\ncompliance-engine = \"compliance_engine.cli:main\"\n[broken\n")
    monkeypatch.chdir(repo / "pkg")
    assert discover_config().values == {"horizon": 7}


@pytest.mark.parametrize("text", [
    "[tool]\ncompliance-engine = { fail-on = 'warning' }\n",
    "[tool]\n\"compliance-engine\" = { fail-on = 'warning' }\n",
    "tool.compliance-engine.fail-on = 'warning'\n",
    "[tool.compliance-engine]\nfail-on = 'warning'\n",
])
def test_every_toml_spelling_of_the_table_is_found(repo, monkeypatch, text):
    # a dotted top-level key must come before the first table
    write(repo / "pyproject.toml", text + "[project]\nname = 'x'\n" if text.startswith("tool.") else "[project]\nname = 'x'\n\n" + text)
    monkeypatch.chdir(repo)
    assert discover_config().values == {"fail-on": "warning"}


def test_a_broken_pyproject_that_may_configure_us_is_an_error_with_its_line(repo):
    write(repo / "pyproject.toml", "[project]\nname = 'x'\n\n[tool.compliance-engine]\nfail-on = 'error\n")
    with pytest.raises(InputError) as exc:
        discover_config()
    message = problem(exc)
    assert message.startswith("pyproject.toml:5: TOML syntax error")


@pytest.mark.parametrize("first, second", [
    (".compliance-engine.yaml", ".compliance-engine.yml"),
    (".compliance-engine.yaml", "pyproject.toml"),
    (".compliance-engine.yml", "pyproject.toml"),
])
def test_two_configuration_files_in_one_directory_is_an_error_naming_both(repo, monkeypatch, first, second):
    for name in (first, second):
        write(repo / name, TABLE + "horizon = 1\n" if name.endswith(".toml") else "horizon: 1\n")
    (repo / "sub").mkdir()
    monkeypatch.chdir(repo / "sub")
    with pytest.raises(InputError) as exc:
        discover_config()
    message = problem(exc)
    assert message.startswith(f"{repo / first}:1: ")
    assert str(repo / second) in message and "keep one" in message


def test_an_explicit_file_wins_over_discovery(repo):
    write(repo / ".compliance-engine.yaml", "horizon: 1\n")
    write(repo / "ci" / "strict.yaml", "fail-on: info\n")
    config = discover_config(explicit=repo / "ci" / "strict.yaml")
    assert config.values == {"fail-on": "info"}
    assert config.found_by == "--config"
    assert config.display == "ci/strict.yaml"


def test_an_explicit_toml_file_is_read_pyproject_style(repo):
    write(repo / "ci.toml", "[tool.compliance-engine]\nhorizon = 30\n")
    assert load_config(repo / "ci.toml").values == {"horizon": 30}
    write(repo / "plain.toml", "horizon = 30\n")
    with pytest.raises(InputError) as exc:
        load_config(repo / "plain.toml")
    assert problem(exc) == "plain.toml:1: no [tool.compliance-engine] table in this file"


def test_an_explicit_file_that_does_not_exist_or_has_another_kind(repo):
    with pytest.raises(InputError) as exc:
        discover_config(explicit=repo / "missing.yaml")
    assert problem(exc) == "missing.yaml:1: no such configuration file"
    write(repo / "config.ini", "[x]\n")
    with pytest.raises(InputError) as exc:
        discover_config(explicit="config.ini")
    assert problem(exc).startswith("config.ini:1: a configuration file must be YAML")


def test_the_environment_variable_names_a_file_and_an_explicit_file_beats_it(repo):
    write(repo / "env.yaml", "horizon: 5\n")
    write(repo / "flag.yaml", "horizon: 6\n")
    write(repo / ".compliance-engine.yaml", "horizon: 7\n")
    env = {ENV_VAR: str(repo / "env.yaml")}
    config = discover_config(environ=env)
    assert config.values == {"horizon": 5} and config.found_by == ENV_VAR
    assert discover_config(explicit="flag.yaml", environ=env).values == {"horizon": 6}
    assert discover_config(environ={ENV_VAR: ""}).values == {"horizon": 7}  # empty: not set


def test_an_empty_yaml_file_is_a_configuration_that_sets_nothing_and_hides_outer_ones(repo, monkeypatch):
    write(repo / ".compliance-engine.yaml", "fail-on: never\n")
    write(repo / "sub" / ".compliance-engine.yaml", "# nothing configured here\n")
    monkeypatch.chdir(repo / "sub")
    config = discover_config()
    assert config is not None and config.values == {}
