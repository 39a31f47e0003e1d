"""The input limits: documented defaults, exact boundaries, passed down explicitly (threads can differ), and
overridable by the --max-* flags of check, documents and bundle; a bad flag value is exit 2 with a message."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import fields
from pathlib import Path

import pytest

from compliance_engine.limits import DEFAULT_LIMITS, LIMIT_NAMES, InputLimits, parse_size
from compliance_engine.loading import load_manifests, load_text
from tests.conftest import ROOT
from tests.hostile.helpers import AS_OF, HEAD, run_measured


def test_the_documented_table_is_the_defaults_and_every_limit_has_a_flag():
    """docs/input-limits.md lists each limit as | `--flag` | default | ...: the table and the code agree."""
    text = (ROOT / "docs" / "input-limits.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `--([a-z-]+)` \| ([^|]+?) \|", text, re.M))
    documented = {name: rows.get(flag) for name, flag in LIMIT_NAMES.items()}
    shown = {f.name: (f"{getattr(DEFAULT_LIMITS, f.name) // 1024 ** 2} MiB" if f.name == "max_file_bytes"
                      else f"{getattr(DEFAULT_LIMITS, f.name):,}") for f in fields(InputLimits)}
    assert documented == shown
    help_text = run_measured("check", "--help").stdout
    for flag in LIMIT_NAMES.values():
        assert f"--{flag}" in help_text


@pytest.mark.parametrize("text,size", [("1048576", 1_048_576), ("50MB", 50_000_000), ("50mb", 50_000_000),
                                       ("20MiB", 20 * 1024 ** 2), ("512K", 512 * 1024), ("1.5G", 1_610_612_736),
                                       ("2 kB", 2_000), ("7b", 7)])
def test_sizes_read_as_a_user_writes_them(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "-5", "12XB", "MB", "0", "0.1", "1e6", "5 M B"])
def test_a_bad_size_says_what_is_accepted(text):
    with pytest.raises(ValueError, match="size"):
        parse_size(text)


@pytest.mark.parametrize("kwargs", [{"max_depth": 0}, {"max_nodes": -1}, {"max_aliases": -1}, {"max_file_bytes": "1MB"},
                                    {"max_documents": True}, {"max_value_chars": 1.5}])
def test_limits_refuse_values_that_are_not_whole_numbers_in_range(kwargs):
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        InputLimits(**kwargs)


def _depth(levels: int) -> str:
    """A product whose x-tree nests ``levels`` mappings under the document (the document itself is level 0)."""
    return HEAD + "x-tree: " + "{a: " * (levels - 1) + "1" + "}" * (levels - 1) + "\n"


@pytest.mark.parametrize("limits,good,bad,words", [
    (InputLimits(max_depth=5), _depth(5), _depth(6), "nesting deeper than 5 levels (the max-depth limit)"),
    # HEAD is 10 nodes: the mapping, 4 keys, 3 values, the markets list and its item
    (InputLimits(max_nodes=14), HEAD + "x-a: [1, 2]\n", HEAD + "x-a: [1, 2, 3]\n", "more than 14 YAML nodes"),
    (InputLimits(max_aliases=2), HEAD + "x-a: &a 1\nx-b: [*a, *a]\n", HEAD + "x-a: &a 1\nx-b: [*a, *a, *a]\n",
     "more than 2 aliases in one document"),
    (InputLimits(max_aliases=0), HEAD + "x-a: &a 1\n", HEAD + "x-a: &a 1\nx-b: *a\n", "more than 0 aliases"),
    (InputLimits(max_documents=2), HEAD + "---\n" + HEAD.replace("H-1", "H-2"),
     HEAD + "---\n" + HEAD.replace("H-1", "H-2") + "---\n" + HEAD.replace("H-1", "H-3"), "more than 2 documents"),
    (InputLimits(max_value_chars=10), HEAD + "x-a: abcdefghij\n", HEAD + "x-a: abcdefghijk\n",
     "x-a: a value of 11 characters; the limit is 10 (the max-value-length limit)"),
], ids=["depth", "nodes", "aliases", "no-aliases", "documents", "value-length"])
def test_each_limit_holds_exactly_at_its_value_and_refuses_one_more(limits, good, bad, words):
    assert load_text(good, "f.yaml", limits=limits).problems == []
    [problem] = load_text(bad, "f.yaml", limits=limits).problems
    assert words in problem.message, problem
    assert load_text(bad, "f.yaml").problems == []  # the defaults allow it: the limit did it


def test_the_file_size_limit_is_exact_and_checked_before_reading(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text(HEAD, encoding="utf-8")
    size = f.stat().st_size
    assert load_manifests([f], InputLimits(max_file_bytes=size)).problems == []
    [problem] = load_manifests([tmp_path], InputLimits(max_file_bytes=size - 1)).problems
    assert problem.message == f"file is {size} bytes, over the max-file-size limit of {size - 1} bytes"


def test_threads_use_their_own_limits_at_the_same_time(tmp_path):
    """Nothing global: a strict and a lenient caller, interleaved, each get their own answer every time."""
    f = tmp_path / "deep.yaml"
    f.write_text(_depth(8), encoding="utf-8")
    strict, lenient = InputLimits(max_depth=4), InputLimits()
    answers: dict[str, set] = {"strict": set(), "lenient": set()}
    start = threading.Barrier(8)

    def work(name, limits):
        start.wait()
        for _ in range(40):
            answers[name].add(tuple(p.message for p in load_manifests([f], limits).problems))

    threads = [threading.Thread(target=work, args=(("strict", strict) if i % 2 else ("lenient", lenient)))
               for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers == {"strict": {("nesting deeper than 4 levels (the max-depth limit)",)}, "lenient": {()}}


# ---------------------------------------------------------------------------------------------------------------------
# the flags
# ---------------------------------------------------------------------------------------------------------------------


@pytest.fixture
def catalogue(tmp_path) -> Path:
    d = tmp_path / "cat"
    d.mkdir()
    (d / "deep.yaml").write_text(_depth(8), encoding="utf-8")
    (d / "plain.yaml").write_text(HEAD.replace("H-1", "H-2"), encoding="utf-8")
    return d


@pytest.mark.parametrize("extra", [(), ("--jobs", "2")], ids=["serial", "jobs-2"])
def test_check_applies_a_lowered_limit_and_reports_it_like_any_input_error(catalogue, extra):
    run = run_measured("check", "cat", "--as-of", AS_OF, "--format", "json", "--max-depth", "4", *extra,
                       cwd=catalogue.parent)
    assert run.returncode == 2
    report = json.loads(run.stdout)
    assert report["errors"] == [{"file": "cat/deep.yaml", "line": 5,
                                 "message": "nesting deeper than 4 levels (the max-depth limit)"}]
    assert {r["sku"] for r in report["results"]} == {"H-2"}
    assert run.stderr == "compliance-engine: cat/deep.yaml:5: nesting deeper than 4 levels (the max-depth limit)\n"


def test_the_jsonl_stream_applies_the_limit_too(catalogue):
    run = run_measured("check", "cat", "--as-of", AS_OF, "--format", "jsonl", "--max-depth", "4", cwd=catalogue.parent)
    assert run.returncode == 2
    records = [json.loads(line) for line in run.stdout.splitlines()]
    assert [r for r in records if r["type"] == "error"] == [
        {"type": "error", "file": "cat/deep.yaml", "line": 5, "message": "nesting deeper than 4 levels (the max-depth limit)"}]


def test_a_raised_limit_lets_a_big_file_through(tmp_path):
    (tmp_path / "big.yaml").write_text(HEAD + "x-note: " + "a" * 150_000 + "\n", encoding="utf-8")
    refused = run_measured("check", "big.yaml", "--as-of", AS_OF, "--format", "json", cwd=tmp_path)
    assert refused.returncode == 2 and "max-value-length" in refused.stderr
    allowed = run_measured("check", "big.yaml", "--as-of", AS_OF, "--format", "json", "--max-value-length", "200000",
                           "--max-file-size", "1MB", cwd=tmp_path)
    assert allowed.returncode == 1 and allowed.stderr == ""  # checked: toys fail rules, no input error
    assert json.loads(allowed.stdout)["summary"]["errors"] == 0


def test_documents_and_bundle_take_the_flags_and_write_nothing_when_a_limit_refuses(catalogue):
    d = catalogue.parent
    docs = run_measured("documents", "cat", "--as-of", AS_OF, "--max-documents", "1", "--max-depth", "4",
                        "--output", "list.md", cwd=d)
    assert docs.returncode == 2 and not (d / "list.md").exists()
    assert docs.stderr == "compliance-engine: cat/deep.yaml:5: nesting deeper than 4 levels (the max-depth limit)\n"
    bundle = run_measured("bundle", "H-2", "cat/plain.yaml", "--market", "DE", "--as-of", AS_OF, "--max-file-size", "50",
                          "--output", "h2.zip", cwd=d)
    assert bundle.returncode == 2 and not (d / "h2.zip").exists()
    assert bundle.stderr.startswith("compliance-engine: cat/plain.yaml:1: file is ")
    assert "over the max-file-size limit of 50 bytes" in bundle.stderr


@pytest.mark.parametrize("flag,value,says", [
    ("--max-depth", "-1", "-1 is less than 1"),
    ("--max-depth", "abc", "'abc' is not a whole number"),
    ("--max-nodes", "0", "0 is less than 1"),
    ("--max-aliases", "-3", "-3 is less than 0"),
    ("--max-documents", "1.5", "'1.5' is not a whole number"),
    ("--max-file-size", "-5", "'-5' is not a size"),
    ("--max-file-size", "12XB", "'12XB' is not a size"),
    ("--max-value-length", "", "'' is not a whole number"),
])
def test_a_bad_flag_value_is_exit_2_with_a_message(flag, value, says, tmp_path):
    run = run_measured("check", str(ROOT / "products"), flag, value, "--output", tmp_path / "out.txt")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert f"Invalid value for '{flag}': {says}" in run.stderr
    assert not (tmp_path / "out.txt").exists()


@pytest.mark.parametrize("command", [("documents",), ("bundle", "X1-SPK", "--market", "DE")])
def test_documents_and_bundle_check_their_flag_values_too(command, tmp_path):
    run = run_measured(*command, str(ROOT / "products"), "--max-nodes", "many", "--output", tmp_path / "out.zip")
    assert run.returncode == 2 and "Invalid value for '--max-nodes': 'many' is not a whole number" in run.stderr
    assert not (tmp_path / "out.zip").exists()
