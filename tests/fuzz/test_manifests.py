"""Fuzzing the library with generated manifests (valid, near-valid, broken text and bytes) and the command line
with a few of them.

For every input: loading and checking raise nothing; the input is either checked or rejected with errors that each
name the file and a line inside it; checking the same input twice gives the same report, as a dict and as JSON
bytes. Valid manifests are accepted, and a product with markets gets results. The number of examples comes from
the hypothesis profile (tests/fuzz/conftest.py, docs/fuzzing.md).
"""

from __future__ import annotations

import atexit
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from compliance_engine.formatters.json import render as render_json
from compliance_engine.loading import load_manifests, load_text
from tests.fuzz.strategies import AS_OF, broken_bytes, broken_text, dump, harvested, near_valid_manifest, valid_manifest

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "default")


@lru_cache(maxsize=None)
def checker():
    """One Checker with every shipped pack, shared by all examples (a Checker can be shared)."""
    from compliance_engine import Checker

    return Checker(as_of=AS_OF)


@lru_cache(maxsize=None)
def workdir() -> Path:
    """A directory outside the checkout for the manifests' paths, holding the document files the shipped products
    name (so some documents count and the file checks run) and a symlink pointing out of it."""
    top = Path(tempfile.mkdtemp(prefix="ce-fuzz-"))
    atexit.register(shutil.rmtree, top, ignore_errors=True)
    base = top / "repo"
    (base / ".git").mkdir(parents=True)  # the repository the document files must stay in
    for name in harvested().get("file", ()):
        target = base / name
        if target.resolve().is_relative_to(base.resolve()):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("evidence\n", encoding="utf-8")
    outside = top / "outside" / "secret.pdf"  # beside the repository, not in it
    outside.parent.mkdir()
    outside.write_text("not evidence\n", encoding="utf-8")
    (base / "docs").mkdir(exist_ok=True)
    (base / "docs" / "outside.pdf").symlink_to(outside)
    return base


YAML_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # what YAML (1.1, as PyYAML reads it) counts as one


def line_count(text: str) -> int:
    return len(YAML_LINE_BREAK.findall(text)) + 1


def assert_checked_or_rejected(load, display: str, lines: int):
    """Load and check twice; returns the report. Errors name ``display`` and a line of the text (an error found at
    the end of the text is reported on its last line, never on the line after it)."""
    first = checker().check_loaded(load())
    second = checker().check_loaded(load())
    assert first.to_dict() == second.to_dict()
    assert render_json(first).encode("utf-8") == render_json(second).encode("utf-8")
    for e in first.errors:
        assert e["file"] == display, e
        assert isinstance(e["line"], int) and 1 <= e["line"] <= lines, (e, lines)
        assert isinstance(e["message"], str) and e["message"].strip(), e
    return first


def from_text(text: str, display: str = "fuzz/p.yaml"):
    path = workdir() / "p.yaml"
    return assert_checked_or_rejected(lambda: load_text(text, display, path), display, line_count(text))


@given(valid_manifest(), st.sampled_from(["yaml", "json"]))
def test_valid_manifests_are_accepted_and_checked_the_same_way_twice(docs, fmt):
    text = dump(docs if fmt == "yaml" else docs[:1], fmt)
    report = from_text(text, "fuzz/p." + fmt)
    assert report.errors == [], (report.errors, text)
    inside = workdir().resolve()
    for r in report.results:  # what counts as evidence is a file inside the repository (or no file at all)
        for e in (e for f in r.findings for e in f.evidence if e.get("file")):
            assert (Path(e["directory"]) / e["file"]).resolve().is_relative_to(inside), e
    product = docs[0]
    if product.get("markets"):
        assert report.results and {r.sku for r in report.results} == {product["sku"]}
        assert all(f.location["file"] == "fuzz/p." + fmt and f.location["line"] >= 1
                   for r in report.results for f in r.findings)


@given(near_valid_manifest())
def test_near_valid_manifests_are_checked_or_rejected_with_file_and_line(case):
    text, fmt, _mutation = case
    from_text(text, "fuzz/p." + fmt)


@given(broken_text())
def test_broken_text_is_checked_or_rejected_with_file_and_line(case):
    text, _how = case
    from_text(text)


@given(broken_bytes())
def test_broken_files_are_checked_or_rejected_with_file_and_line(raw):
    fd, name = tempfile.mkstemp(suffix=".yaml", dir=workdir())
    with os.fdopen(fd, "wb") as fh:
        fh.write(raw)
    try:
        assert_checked_or_rejected(lambda: load_manifests([name]), name, raw.count(b"\n") + 1)
        assert Path(name).read_bytes() == raw  # an input is never written
    finally:
        os.unlink(name)


CLI = [sys.executable, "-m", "compliance_engine"]


@settings(max_examples=5 if PROFILE == "default" else 200)
@given(st.one_of(valid_manifest().map(lambda docs: dump(docs, "yaml")),
                 near_valid_manifest().map(lambda case: case[0]),
                 broken_text().map(lambda case: case[0])))
def test_the_command_line_exits_0_1_or_2_and_never_shows_a_traceback(text):
    path = workdir() / "cli.yaml"
    path.write_text(text, encoding="utf-8")
    out = subprocess.run([*CLI, "check", str(path), "--as-of", AS_OF.isoformat(), "--format", "json"],
                         capture_output=True, text=True, cwd=workdir(), timeout=120)
    assert out.returncode in (0, 1, 2), (out.returncode, out.stderr)
    assert "Traceback" not in out.stderr and "Traceback" not in out.stdout
    if out.returncode in (0, 1):
        report = json.loads(out.stdout)
        assert report["errors"] == []
    else:
        assert "cli.yaml:" in out.stdout + out.stderr
