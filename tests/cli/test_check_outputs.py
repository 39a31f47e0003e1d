"""`check` writes several reports in one run, waives, looks ahead (--horizon) and shows progress only on a terminal."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import xml.etree.ElementTree as ET

import pytest

from tests.cli.test_cli import CLI, run
from tests.conftest import FAILING_TOY_MANIFEST, ROOT, write

FAILING = FAILING_TOY_MANIFEST


def test_json_and_sarif_from_the_same_run_match_single_runs(tmp_path):
    out = run("check", "products/", "--as-of", "2026-11-24", "--format", "json", "--output", tmp_path / "r.json",
              "--format", "sarif", "--output", tmp_path / "r.sarif", cwd=ROOT)
    assert out.returncode == 1, out.stderr
    assert out.stdout == ""
    alone = run("check", "products/", "--as-of", "2026-11-24", "--format", "json", cwd=ROOT)
    assert (tmp_path / "r.json").read_text() == alone.stdout
    sarif = json.loads((tmp_path / "r.sarif").read_text())
    assert sarif["version"] == "2.1.0"
    failed = json.loads(alone.stdout)["summary"]["failed"]
    assert len([r for r in sarif["runs"][0]["results"] if "suppressions" not in r]) == failed


def test_format_with_file_and_a_text_report_on_stdout(tmp_path):
    f = write(tmp_path / "p.yaml", FAILING)
    out = run("check", f, "--as-of", "2026-11-24", "--format", f"junit:{tmp_path / 'r.xml'}", "--format", "text")
    assert out.returncode == 1
    assert "OUT-1" in out.stdout and "FAIL error" in out.stdout
    suites = ET.parse(tmp_path / "r.xml").getroot()
    assert int(suites.get("failures")) >= 1


@pytest.mark.parametrize("args, words", [
    (["--format", "json", "--format", "csv"], "would all print to standard output"),
    (["--format", "github", "--format", "sarif", "--output", "{d}/r.sarif"], "is paired with --format github"),
    (["--format", "json", "--output", "{d}/r.json", "--output", "{d}/s.json"], "2 --output option(s)"),
    (["--format", "json", "--output", "{d}/r.json", "--format", "sarif", "--output", "{d}/r.json"], "is given for both"),
    (["--format", "pdf"], "'pdf' is not a format"),
])
def test_ambiguous_output_plans_are_refused_before_anything_is_written(tmp_path, args, words):
    f = write(tmp_path / "p.yaml", FAILING)
    out = run("check", f, *[a.format(d=tmp_path) for a in args])
    assert out.returncode == 2, out.stdout + out.stderr
    assert words in out.stderr and "Traceback" not in out.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.yaml"]


def test_github_annotations_and_the_job_summary(tmp_path):
    f = write(tmp_path / "p.yaml", FAILING)
    summary = write(tmp_path / "summary.md", "## Earlier step\n")
    out = run("check", f, "--as-of", "2026-11-24", "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert out.returncode == 1
    assert any(line.startswith("::error file=") and "line=" in line for line in out.stdout.splitlines())
    text = summary.read_text()
    assert text.startswith("## Earlier step\n") and "OUT-1" in text and "|" in text


def test_waivers_on_the_command_line_and_the_audit_mode(tmp_path):
    f = write(tmp_path / "p.yaml", FAILING)
    w = write(tmp_path / "waivers.yaml", "waivers:\n  - sku: OUT-1\n    rule: '*'\n    reason: samples only\n    owner: qa\n")
    waived = run("check", f, "--as-of", "2026-11-24", "--waivers", w, "--format", "json")
    assert waived.returncode == 0, waived.stdout + waived.stderr
    report = json.loads(waived.stdout)
    assert report["summary"]["failed"] == 0 and report["summary"]["waived"] >= 1
    text = run("check", f, "--as-of", "2026-11-24", "--waivers", w)
    assert "samples only" in text.stdout
    audit = run("check", f, "--as-of", "2026-11-24", "--waivers", w, "--no-waivers", "--format", "json")
    assert audit.returncode == 1 and json.loads(audit.stdout)["summary"]["waived"] == 0


def test_a_bad_waivers_file_is_exit_2_with_file_and_line_and_nothing_written(tmp_path):
    f = write(tmp_path / "p.yaml", FAILING)
    w = write(tmp_path / "waivers.yaml", "waivers:\n  - sku: OUT-1\n    rule: '*'\n")
    out = run("check", f, "--waivers", w, "--format", "json", "--output", tmp_path / "r.json")
    assert out.returncode == 2
    assert "waivers.yaml:2: waivers[0].reason: required field is missing" in out.stderr
    assert not (tmp_path / "r.json").exists()
    missing = run("check", f, "--waivers", tmp_path / "nope.yaml")
    assert missing.returncode == 2 and "nope.yaml" in missing.stderr and "Traceback" not in missing.stderr


def test_horizon_reports_upcoming_duties_without_failing(tmp_path):
    # GPSR applies from 2024-12-13: seen from the day before, it is upcoming within 30 days
    f = write(tmp_path / "p.yaml", FAILING)
    out = run("check", f, "--as-of", "2024-12-01", "--horizon", "30", "--format", "json")
    report = json.loads(out.stdout)
    upcoming = [u for r in report["results"] for u in r["upcoming"]]
    assert any(u["rule"].startswith("eu.gpsr.") and u["applies_from"] == "2024-12-13" for u in upcoming)
    assert report["summary"]["upcoming"] >= 1
    before = run("check", f, "--as-of", "2024-12-01", "--format", "json")
    assert out.returncode == before.returncode  # upcoming duties never change the exit status
    text = run("check", f, "--as-of", "2024-12-01", "--horizon", "30")
    assert "2024-12-13" in text.stdout
    bad = run("check", f, "--horizon", "-5")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def _on_a_terminal(args, env_extra=None):
    """Run the CLI with stderr on a pseudo-terminal; returns (exit status, what the terminal showed)."""
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_ACTIONS", "PRE_COMMIT", "GITLAB_CI")}
    env.update({"TERM": "xterm", "NO_COLOR": "1", "COMPLIANCE_ENGINE_PROGRESS_DELAY": "0"}, **(env_extra or {}))
    proc = subprocess.Popen([*CLI, *args], stdout=subprocess.DEVNULL, stderr=slave, cwd=ROOT, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return proc.wait(timeout=120), b"".join(chunks).decode()


def test_a_progress_bar_on_a_terminal_but_not_in_ci_or_quiet():
    args = ["check", "products/", "--as-of", "2026-11-24", "--format", "json"]
    code, shown = _on_a_terminal(args)
    assert code == 1 and "units" in shown and "19/19" in shown
    assert "units" not in _on_a_terminal(args, {"CI": "true"})[1]
    assert "units" not in _on_a_terminal([*args, "--quiet"])[1]
    piped = run(*args, cwd=ROOT)
    assert "units" not in piped.stderr


def test_a_finding_points_at_the_line_of_its_field_or_the_manifest_start_when_absent(tmp_path):
    f = write(tmp_path / "p.yaml", "# a toy\n\n" + FAILING + "labelling:\n  languages: [en]\n")
    report = json.loads(run("check", f.name, "--as-of", "2026-11-24", "--format", "json", cwd=tmp_path).stdout)
    by_rule = {x["rule"]: x["location"] for r in report["results"] for x in r["findings"]}
    assert by_rule["eu.gpsr.warnings-language"] == {"file": "p.yaml", "line": 10, "field": "labelling.languages"}
    assert by_rule["eu.gpsr.responsible-economic-operator"] == {"file": "p.yaml", "line": 3, "field": "economic_operators"}


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_output_to_a_device_is_written_directly(tmp_path, fmt):
    f = write(tmp_path / "p.yaml", FAILING_TOY_MANIFEST)
    out = run("check", f, "--as-of", "2026-11-24", "--format", fmt, "--output", os.devnull)
    assert out.returncode == 1 and out.stderr == ""
