"""Hostile manifest files (expansion bombs, 10,000-deep nesting, a 200 MB file, binary junk, non-UTF-8, NUL bytes,
NaN and infinities, odd dates, a Python tag, duplicate keys, a huge value, very many documents, a very long line):
each is refused with ONE message naming file and line, exit status 2, no traceback, nothing written, within 2 s
and in bounded memory.

Time is measured on the library call (interpreter start-up would make a wall-clock bound flaky on a loaded
machine); memory is the peak resident size of the command-line child process, from wait4."""

from __future__ import annotations

import json
import time

import pytest

from compliance_engine.loading import load_manifests
from tests.hostile.helpers import AS_OF, CASES, HEAD, MARKER, run_measured

SECONDS = 2.0
EXTRA_MB = 50  # over a run on a small valid file; unguarded, the bombs and the long line took 100s of MB


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """Every hostile file, by case name, in one directory (which also holds one valid manifest)."""
    d = tmp_path_factory.mktemp("hostile")
    (d / "ok.yaml").write_text(HEAD, encoding="utf-8")
    return d, {case.name: case.write(d) for case in CASES}


@pytest.fixture(scope="module")
def baseline_mb(hostile):
    d, _ = hostile
    run = run_measured("documents", "ok.yaml", "--as-of", AS_OF, cwd=d)
    assert run.returncode in (0, 1), run.stderr
    return run.peak_rss_mb


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_library_refuses_it_with_file_line_and_message_within_two_seconds(case, hostile, monkeypatch):
    d, paths = hostile
    monkeypatch.chdir(d)
    load_manifests(["ok.yaml"])  # imports and model building are not the hostile file's cost
    started = time.perf_counter()
    loaded = load_manifests([paths[case.name].name])
    elapsed = time.perf_counter() - started
    assert loaded.manifests == []
    [problem] = loaded.problems
    assert (problem.file, problem.line) == (paths[case.name].name, case.line), problem
    for word in case.words:
        assert word in problem.message, problem.message
    assert elapsed < SECONDS, f"{case.name} took {elapsed:.2f} s"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_command_line_says_one_line_exits_2_writes_nothing_and_stays_small(case, hostile, baseline_mb):
    d, paths = hostile
    name = paths[case.name].name
    out = d / f"{case.name}-checklist.md"
    run = run_measured("documents", name, "--as-of", AS_OF, "--output", out, cwd=d)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr and run.stdout == ""
    [line] = run.stderr.splitlines()
    assert line.startswith(f"compliance-engine: {name}:{case.line}: "), line
    for word in case.words:
        assert word in line, line
    assert not out.exists()
    assert not (d / MARKER).exists()  # the Python tag ran nothing
    assert run.peak_rss_mb < baseline_mb + EXTRA_MB, f"{case.name}: {run.peak_rss_mb:.0f} MB (baseline {baseline_mb:.0f} MB)"


def test_check_reports_the_refused_file_as_the_reports_only_error_next_to_the_good_ones(hostile):
    """``check`` keeps the report contract (the report carries what could be checked, ``errors`` what could
    not): the bomb is one error, the valid file is checked, and the run exits 2."""
    d, paths = hostile
    run = run_measured("check", "ok.yaml", paths["alias-bomb"].name, "--as-of", AS_OF, "--format", "json", cwd=d)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    report = json.loads(run.stdout)
    assert [e["file"] for e in report["errors"]] == ["bomb.yaml"] and report["errors"][0]["line"] == 10
    assert {r["file"] for r in report["results"]} == {"ok.yaml"}
    assert run.stderr.splitlines() == [f"compliance-engine: bomb.yaml:10: {report['errors'][0]['message']}"]


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_a_200_mb_file_is_refused_before_it_is_read_in_every_mode(hostile, baseline_mb, fmt):
    """The streamed run (jsonl) reads files in a first pass of its own: the size is checked there too."""
    d, paths = hostile
    run = run_measured("check", paths["file-of-200-MB"].name, "--as-of", AS_OF, "--format", fmt, cwd=d)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "over the max-file-size limit" in run.stdout
    assert run.peak_rss_mb < baseline_mb + EXTRA_MB


def test_a_quoted_date_is_a_date_as_json_needs_it(tmp_path):
    """Not hostile: JSON has no date type, so a quoted ISO date must read the same as a YAML date."""
    doc = HEAD + "documents:\n  - {id: d1, type: technical-file, covers: [GPSR], issued: %s}\n"
    (tmp_path / "plain.yaml").write_text(doc % "2026-01-05", encoding="utf-8")
    (tmp_path / "quoted.yaml").write_text((doc % "'2026-01-05'").replace("H-1", "H-2"), encoding="utf-8")
    loaded = load_manifests([tmp_path])
    assert loaded.problems == []
    assert [m.data["documents"][0]["issued"] for m in loaded.manifests] == ["2026-01-05", "2026-01-05"]


def test_a_long_echoed_value_is_cut_in_the_message(tmp_path):
    """A wrong value far under the length limit still comes back short, with its length."""
    (tmp_path / "cat.yaml").write_text(HEAD.replace("category: toys", "category: " + "toyz" * 5_000), encoding="utf-8")
    [problem] = load_manifests([tmp_path / "cat.yaml"]).problems
    assert problem.line == 3 and "'toyztoyz" in problem.message and "(20,000 characters)" in problem.message
    assert "toyz" * 100 not in problem.message and len(problem.message) < 1_000
