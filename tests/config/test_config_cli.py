"""The configuration as users meet it through `compliance-engine check` (needs the CLI wiring of config.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from compliance_engine.config import ENV_VAR
from tests.conftest import PASSING_MANIFEST, ROOT, write

CLI = [sys.executable, "-m", "compliance_engine"]
AS_OF = "2026-11-24"
PASSING = PASSING_MANIFEST


def run(*args, cwd, env=None):
    e = {k: v for k, v in os.environ.items() if k != ENV_VAR}
    e.update(NO_COLOR="1", **(env or {}))
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, cwd=cwd, env=e, timeout=120)


@pytest.fixture
def shop(tmp_path):
    """A repository with one passing manifest under products/ and a working subdirectory."""
    root = tmp_path / "shop"
    (root / ".git").mkdir(parents=True)
    write(root / "products" / "ok.yaml", PASSING)
    (root / "products" / "drafts").mkdir()
    return root


def test_configured_paths_are_checked_when_the_command_line_names_none(shop):
    write(shop / ".compliance-engine.yaml", "paths: [products/]\n")
    out = run("check", "--as-of", AS_OF, cwd=shop / "products" / "drafts")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "1 check unit" in out.stdout


def test_paths_on_the_command_line_replace_the_configured_ones(shop):
    write(shop / ".compliance-engine.yaml", "paths: [does-not-exist/]\n")
    out = run("check", "products/ok.yaml", "--as-of", AS_OF, cwd=shop)
    assert out.returncode == 0, out.stdout + out.stderr


def test_configured_fail_on_decides_the_exit_status_and_the_flag_overrides_it(tmp_path):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    write(repo / "pyproject.toml", f"[tool.compliance-engine]\npaths = ['{(ROOT / 'products').as_posix()}']\n"
                                   "fail-on = 'never'\n")
    out = run("check", "--as-of", AS_OF, cwd=repo)
    assert out.returncode == 0, out.stderr  # the shipped products fail errors, but fail-on is never
    assert "FAIL error" in out.stdout
    out = run("check", "--as-of", AS_OF, "--fail-on", "error", cwd=repo)
    assert out.returncode == 1, out.stderr


def test_configured_formats_print_text_and_write_json_next_to_the_configuration(shop):
    write(shop / ".compliance-engine.yaml",
          "paths: [products/]\nformats:\n  - text\n  - {format: json, output: compliance.json}\n")
    out = run("check", "--as-of", AS_OF, cwd=shop / "products")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "1 check unit" in out.stdout
    report = json.loads((shop / "compliance.json").read_text(encoding="utf-8"))
    assert [r["sku"] for r in report["results"]] == ["OK-1"]
    assert not (shop / "products" / "compliance.json").exists()


def test_the_format_flag_replaces_the_configured_formats(shop):
    write(shop / ".compliance-engine.yaml", "paths: [products/]\nformats:\n  - {format: json, output: r.json}\n")
    out = run("check", "--as-of", AS_OF, "--format", "json", cwd=shop)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["results"][0]["sku"] == "OK-1"
    assert not (shop / "r.json").exists()


def test_show_config_prints_values_and_origins_and_checks_nothing(shop):
    write(shop / ".compliance-engine.yaml", "paths: [products/]\nfail-on: warning\nmarkets: [EU]\n")
    out = run("check", "--show-config", "--market", "GB", cwd=shop / "products")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == f"configuration file: {shop / '.compliance-engine.yaml'}"
    by_key = {line.split()[0]: line for line in lines[1:]}
    assert by_key["paths"].split()[1:] == ['["."]', f"{shop / '.compliance-engine.yaml'}:1"]
    assert by_key["fail-on"].endswith(".compliance-engine.yaml:2") and '"warning"' in by_key["fail-on"]
    assert '["GB"]' in by_key["markets"] and by_key["markets"].endswith("command line")
    assert by_key["horizon"].split()[1:] == ["null", "default"]
    assert "check unit" not in out.stdout


def test_show_config_without_a_file_says_where_it_searched(shop):
    out = run("check", "--show-config", cwd=shop / "products")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0] == (f"no configuration file found (searched from {shop / 'products'} "
                                          f"up to the repository root {shop})")


def test_an_invalid_configuration_is_exit_2_with_file_and_line_and_nothing_written(shop):
    config = write(shop / ".compliance-engine.yaml",
                   "paths: [products/]\nformats:\n  - {format: json, output: report.json}\nfail-on: err\n")
    before = config.read_bytes()
    out = run("check", "--as-of", AS_OF, cwd=shop)
    assert out.returncode == 2
    assert "Traceback" not in out.stdout + out.stderr
    assert out.stderr.strip() == ("compliance-engine: .compliance-engine.yaml:4: fail-on: 'err' is not one of "
                                  "error, warning, info, never (did you mean 'error'?)")
    assert out.stdout == ""
    assert not (shop / "report.json").exists()
    assert config.read_bytes() == before
    out = run("check", "--show-config", cwd=shop)  # --show-config does not hide it either
    assert out.returncode == 2 and ".compliance-engine.yaml:4: fail-on:" in out.stderr


def test_a_toml_syntax_error_is_exit_2_with_its_line(shop):
    write(shop / "pyproject.toml", "[project]\nname = 'shop'\n\n[tool.compliance-engine]\nfail-on = warning\n")
    out = run("check", "products/", "--as-of", AS_OF, cwd=shop)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert "pyproject.toml:5: TOML syntax error" in out.stderr


def test_the_config_flag_names_the_file_and_a_missing_one_is_exit_2(shop):
    write(shop / ".compliance-engine.yaml", "fail-on: never\n")
    write(shop / "ci" / "strict.yaml", "paths: [../products/]\nfail-on: info\n")
    out = run("check", "--config", "ci/strict.yaml", "--show-config", cwd=shop)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0] == "configuration file: ci/strict.yaml (from --config)"
    out = run("check", "--config", "ci/missing.yaml", "products/", cwd=shop)
    assert out.returncode == 2
    assert "ci/missing.yaml:1: no such configuration file" in out.stderr
    assert "Traceback" not in out.stderr


def test_the_environment_variable_names_the_file(shop):
    write(shop / "ci" / "env.yaml", "paths: [../products/]\nhorizon: 30\n")
    out = run("check", "--show-config", cwd=shop, env={ENV_VAR: str(shop / "ci" / "env.yaml")})
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0] == f"configuration file: ci/env.yaml (from {ENV_VAR})"


def test_no_paths_on_the_command_line_or_in_a_configuration_is_exit_2(shop):
    out = run("check", "--as-of", AS_OF, cwd=shop)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert "paths" in out.stderr.lower()


FAILING_DOCS = """\
kind: Product
sku: CFG-TOY
category: toys
markets: [FR, DE]
age_grade: {min_years: 3, max_years: 8}
manufacturer: {name: Toy Co, address: "1 Road, Ningbo", country: CN, email: qa@toy.example}
"""


def test_documents_and_bundle_read_paths_markets_and_waivers_from_the_configuration(shop):
    write(shop / "products" / "toy.yaml", FAILING_DOCS)
    write(shop / "waivers.yaml", "waivers:\n  - sku: CFG-TOY\n    rule: eu.ce.*\n    reason: CE file at the notified body\n")
    write(shop / ".compliance-engine.yaml", "paths: [products/]\nmarkets: [FR]\nwaivers: waivers.yaml\n")
    out = run("documents", "--as-of", AS_OF, "--format", "json", cwd=shop / "products" / "drafts")
    assert out.returncode == 1, out.stderr
    doc = json.loads(out.stdout)
    markets = {(p["sku"], p["market"]) for p in doc["products"]}
    assert markets == {("CFG-TOY", "FR")}  # markets from the configuration; OK-1 is not sold in FR
    text = json.dumps(doc)
    assert "CE file at the notified body" in text  # the configured waivers file applies
    bundle = run("bundle", "CFG-TOY", "--market", "DE", "--as-of", AS_OF, "-o", shop / "toy.zip", cwd=shop)
    assert bundle.returncode == 1 and (shop / "toy.zip").is_file()  # paths from the configuration, not "."


def test_documents_with_a_bad_configuration_is_exit_2_and_writes_nothing(shop):
    write(shop / ".compliance-engine.yaml", "paths: [products/]\nmarket: [FR]\n")
    out = run("documents", "--as-of", AS_OF, "--output", shop / "docs.txt", cwd=shop)
    assert out.returncode == 2
    assert ".compliance-engine.yaml:2: unknown key 'market' (did you mean 'markets'?)" in out.stderr
    assert not (shop / "docs.txt").exists()
