"""The command line as users run it: exit codes, formats, determinism, errors without tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


from tests.conftest import PASSING_MANIFEST, ROOT, write

CLI = [sys.executable, "-m", "compliance_engine"]
PASSING = PASSING_MANIFEST


def run(*args, cwd=None, env=None):
    e = dict(os.environ, NO_COLOR="1")
    e.update(env or {})
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, cwd=cwd, env=e, timeout=120)


def test_exit_0_when_nothing_fails(tmp_path):
    f = write(tmp_path / "ok.yaml", PASSING)
    out = run("check", f, "--as-of", "2026-11-24")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "1 check unit" in out.stdout


def test_exit_1_on_products_and_readable_report():
    out = run("check", "products/", "--as-of", "2026-11-24", cwd=ROOT)
    assert out.returncode == 1, out.stderr
    assert "FAIL error" in out.stdout and "eu.gpsr.responsible-economic-operator" in out.stdout
    assert "Documents still required" in out.stdout or "needs" in out.stdout or "missing" in out.stdout
    assert out.stdout.rstrip().splitlines()[-1].startswith(tuple("0123456789"))
    assert "\x1b[" not in out.stdout  # no colour when not a terminal


def test_exit_2_on_malformed_manifest_with_file_line_field_and_no_traceback(tmp_path):
    write(tmp_path / "ok.yaml", PASSING)
    write(tmp_path / "bad.yaml", "kind: Product\nsku: BAD\ncategory: toys\nmarkets: [DE]\nintended_for: children\n")
    out = run("check", tmp_path, "--as-of", "2026-11-24")
    assert out.returncode == 2
    assert "Traceback" not in out.stdout + out.stderr
    assert "bad.yaml:5: intended_for:" in out.stdout
    assert "OK-1" in out.stdout  # everything else is still checked
    # with the report going to a file, the input error still reaches the terminal
    out = run("check", tmp_path / "bad.yaml", "--output", tmp_path / "report.txt")
    assert out.returncode == 2 and "bad.yaml:5: intended_for:" in out.stderr
    assert "bad.yaml:5" in (tmp_path / "report.txt").read_text()


def test_exit_2_on_bad_pack_and_bad_date(tmp_path):
    write(tmp_path / "packs" / "p.yaml", "pack: eu.x\ntitle: [unclosed\n")
    out = run("check", "products/", "--rulepacks", tmp_path / "packs", cwd=ROOT)
    assert out.returncode == 2 and "p.yaml:2: YAML syntax error" in out.stderr and "line 2" in out.stderr
    assert "Traceback" not in out.stderr
    out = run("check", "products/", "--as-of", "24.11.2026", cwd=ROOT)
    assert out.returncode == 2 and "YYYY-MM-DD" in out.stderr


def test_fail_on_thresholds(tmp_path):
    assert run("check", "products/", "--fail-on", "never", "--as-of", "2026-11-24", cwd=ROOT).returncode == 0


def test_json_follows_the_report_contract_and_is_byte_identical():
    a = run("check", "products/", "--format", "json", "--as-of", "2026-11-24", cwd=ROOT)
    b = run("check", "products/", "--format", "json", "--as-of", "2026-11-24", cwd=ROOT)
    assert a.returncode == 1 and a.stdout == b.stdout
    report = json.loads(a.stdout)
    assert list(report) == ["report_version", "tool", "as_of", "packs", "results", "errors", "warnings", "summary"]
    assert report["report_version"] == 1 and report["tool"]["name"] == "compliance-engine"
    assert report["as_of"] == "2026-11-24"
    assert all(set(p) == {"id", "version", "rules"} for p in report["packs"])
    keys = [(r["file"], r["sku"], r["market"], r["marketplace"] or "") for r in report["results"]]
    assert keys == sorted(keys)
    assert set(report["summary"]) == {"checked", "findings", "passed", "failed", "waived", "errors"}
    finding_keys = {"rule", "status", "severity", "title", "message", "missing_documents", "missing_fields",
                    "legal_basis", "references", "location"}
    n = 0
    for r in report["results"]:
        assert set(r) == {"file", "sku", "market", "marketplace", "findings"}
        rules = [f["rule"] for f in r["findings"]]
        assert rules == sorted(rules)
        for f in r["findings"]:
            n += 1
            assert finding_keys <= set(f)
            assert f["status"] in ("pass", "fail", "waived") and f["severity"] in ("error", "warning", "info")
            assert {"file", "line"} <= set(f["location"]) <= {"file", "line", "field"} and f["location"]["line"] >= 1
            if f["status"] == "fail":  # a failure points at the field it is about
                assert f["location"].get("field"), f
    assert n == report["summary"]["findings"] > 0


def test_output_file_and_refusing_to_overwrite_an_input(tmp_path):
    f = write(tmp_path / "ok.yaml", PASSING)
    out = run("check", f, "--format", "json", "--output", tmp_path / "r.json")
    assert out.returncode == 0 and out.stdout == ""
    assert json.loads((tmp_path / "r.json").read_text())["summary"]["checked"] == 1
    before = f.read_text()
    out = run("check", f, "--output", f)
    assert out.returncode == 2 and f.read_text() == before


def test_market_and_pack_filters():
    out = run("check", "products/", "--market", "FR", "--format", "json", "--as-of", "2026-11-24", cwd=ROOT)
    assert {r["market"] for r in json.loads(out.stdout)["results"]} == {"FR"}
    out = run("check", "products/", "--pack", "nope.pack", cwd=ROOT)
    assert out.returncode == 2 and "no loaded pack matches nope.pack" in out.stderr


def test_color_only_when_asked_and_never_with_no_color(tmp_path):
    f = write(tmp_path / "ok.yaml", PASSING)
    assert "\x1b[" in run("check", f, "--color", "always").stdout
    assert "\x1b[" not in run("check", f).stdout


def test_rules_list_explain_schema_and_packs_validate():
    out = run("rules", "list", "--pack", "eu.", cwd=ROOT)
    assert out.returncode == 0 and "eu.gpsr.listing-information" in out.stdout
    out = run("rules", "list", "--market", "US", "--format", "json", cwd=ROOT)
    assert all("eu.gpsr" not in r["id"] for r in json.loads(out.stdout))
    out = run("rules", "explain", "eu.gpsr.listing-information", cwd=ROOT)
    assert out.returncode == 0 and "Art" in out.stdout and "2024-12-13" in out.stdout and "https://" in out.stdout
    out = run("rules", "explain", "eu.gpsr.listing-informaton", cwd=ROOT)
    assert out.returncode == 2 and "did you mean eu.gpsr.listing-information" in out.stderr
    out = run("schema", "product", cwd=ROOT)
    assert json.loads(out.stdout)["title"]
    out = run("packs", "validate", "rulepacks/eu", cwd=ROOT)
    assert out.returncode == 0 and "eu.gpsr" in out.stdout


def test_console_script_and_module_entry_point():
    exe = Path(sys.executable).with_name("compliance-engine")  # installed by `pip install -e .`
    out = subprocess.run([str(exe), "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and "compliance-engine" in out.stdout
    assert run("--version").returncode == 0


def test_unknown_open_vocabulary_key_warns_with_nearest_key_and_does_not_fail(tmp_path):
    f = write(tmp_path / "v.yaml", PASSING + "documents:\n  - {id: a, type: technical-fle}\nlabelling: {marks: [CE, WEEE-bin]}\n")
    out = run("check", f, "--format", "json")
    assert out.returncode == 0, out.stderr
    [w] = json.loads(out.stdout)["warnings"]
    assert w["line"] == 7 and "technical-fle" in w["message"] and "did you mean 'technical-file'" in w["message"]
