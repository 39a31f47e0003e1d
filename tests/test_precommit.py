"""The published pre-commit hook, run for real with `pre-commit try-repo` against this checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, write

PASSING = """\
kind: Product
sku: HOOK-PASS
category: apparel
markets: [DE]
intended_for: professionals
"""
FAILING = """\
kind: Product
sku: HOOK-FAIL
category: toys
markets: [FR]
age_grade: {min_years: 3, max_years: 8}
manufacturer: {name: Toy Co, address: "1 Road, Ningbo", country: CN, email: qa@toy.example}
"""


def _pre_commit() -> list[str]:
    exe = Path(sys.executable).with_name("pre-commit")
    if exe.exists():
        return [str(exe)]
    if shutil.which("pre-commit"):
        return ["pre-commit"]
    return [sys.executable, "-m", "pre_commit"]


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    d = tmp_path_factory.mktemp("hookrepo")
    env = _env(tmp_path_factory.getbasetemp())
    subprocess.run(["git", "init", "-q", str(d)], check=True, env=env)
    write(d / "products" / "pass.yaml", PASSING)
    write(d / "products" / "fail.yaml", FAILING)
    subprocess.run(["git", "add", "."], cwd=d, check=True, env=env)
    return d


def _env(base: Path) -> dict:
    env = dict(os.environ, PRE_COMMIT_HOME=str(base / "pre-commit-home"), NO_COLOR="1",
               GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.org")
    env.pop("PRE_COMMIT_COLOR", None)
    return env


def _try(repo: Path, tmp_base: Path, *files: str, hook: str = "compliance-check"):
    selection = ["--files", *files] if files else ["--all-files"]
    return subprocess.run([*_pre_commit(), "try-repo", str(ROOT), hook, "--color", "never", "--verbose", *selection],
                          cwd=repo, capture_output=True, text=True, env=_env(tmp_base), timeout=900)


def test_hook_passes_a_compliant_manifest_and_fails_a_failing_one(repo, tmp_path_factory):
    base = tmp_path_factory.getbasetemp()
    ok = _try(repo, base, "products/pass.yaml")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "Passed" in ok.stdout
    bad = _try(repo, base, "products/fail.yaml")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout
    assert "eu.gpsr.responsible-economic-operator" in bad.stdout
    assert "HOOK-FAIL" in bad.stdout
    # every failure line stands alone (file:line first), so chunked output stays readable
    fail_lines = [line for line in bad.stdout.splitlines() if " FAIL " in line]
    assert fail_lines and all(line.startswith("products/fail.yaml:") for line in fail_lines)
    assert "1 file, " in bad.stdout


def test_the_check_all_hook_checks_the_configured_catalogue_once(repo, tmp_path_factory):
    base = tmp_path_factory.getbasetemp()
    write(repo / ".compliance-engine.yaml", "paths: [products/]\n")
    write(repo / "notes.yaml", "not: a manifest\n")  # outside the configured paths: never read
    subprocess.run(["git", "add", "."], cwd=repo, check=True, env=_env(base))
    try:
        out = _try(repo, base, hook="compliance-check-all")
    finally:
        (repo / ".compliance-engine.yaml").unlink()
        (repo / "notes.yaml").unlink()
        subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env=_env(base))
    assert out.returncode == 1, out.stdout + out.stderr
    assert out.stdout.count("2 files, 2 check units") == 1  # one run over the whole catalogue
    assert "HOOK-FAIL" in out.stdout and "notes.yaml" not in out.stdout
