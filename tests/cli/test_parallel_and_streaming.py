"""--jobs and --format jsonl give the serial run's findings: byte-identical reports with --jobs, the same result
records, errors, warnings and summary when streamed."""

from __future__ import annotations

import json

import pytest

from tests.cli.test_cli import run
from tests.conftest import write

AS_OF = "2026-11-24"


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    """Generated products in subdirectories, a listing in its own file, the seller, a central waiver, a bad file."""
    from benchmarks.generate import write_catalogue

    root = tmp_path_factory.mktemp("catalogue")
    write_catalogue(root, 120, seed=11)
    skus = sorted(p.stem.upper() for p in (root / "products").rglob("*.yaml"))
    write(root / "listings" / "extra.yaml", f"kind: Listing\nproduct: {skus[0]}\nmarket: FR\nmarketplace: ebay\n"
                                            "displays: [manufacturer]\n---\nkind: Listing\nproduct: NO-SUCH-SKU\n"
                                            "market: DE\nmarketplace: amazon\n")
    write(root / "products" / "zz-broken.yaml", "kind: Product\nsku: BROKEN\ncategory: toys\nmarkets: [DE]\nmarkts: [FR]\n")
    write(root / "waivers.yaml", f"waivers:\n  - sku: '{skus[1]}'\n    rule: '*'\n    reason: samples\n"
                                 "  - sku: '*'\n    rule: eu.nothing.*\n    reason: typo on purpose\n")
    return root


def _json(catalogue, *extra):
    out = run("check", ".", "--as-of", AS_OF, "--format", "json", "--waivers", "waivers.yaml", *extra, cwd=catalogue)
    assert out.returncode == 2, out.stderr  # the broken file and the unmatched listing are input errors
    return out.stdout


def test_jobs_2_gives_a_byte_identical_report(catalogue):
    serial = _json(catalogue)
    assert _json(catalogue, "--jobs", "2") == serial
    report = json.loads(serial)
    assert report["summary"]["checked"] > 200 and report["summary"]["waived"] > 0
    text = run("check", ".", "--as-of", AS_OF, "--jobs", "auto", "--horizon", "400", "--format", "sarif", cwd=catalogue)
    assert text.stdout == run("check", ".", "--as-of", AS_OF, "--horizon", "400", "--format", "sarif", cwd=catalogue).stdout


def _records(stdout: str) -> dict[str, list]:
    out: dict[str, list] = {}
    for line in stdout.splitlines():
        rec = json.loads(line)
        out.setdefault(rec.pop("type"), []).append(rec)
    return out


def test_jsonl_streams_the_same_findings_errors_warnings_and_summary(catalogue):
    report = json.loads(_json(catalogue))
    streamed = run("check", ".", "--as-of", AS_OF, "--format", "jsonl", "--waivers", "waivers.yaml", cwd=catalogue)
    assert streamed.returncode == 2
    records = _records(streamed.stdout)
    assert records["run"] == [{"report_version": 1, "tool": report["tool"], "as_of": AS_OF, "packs": report["packs"]}]
    key = lambda r: (r["file"], r["sku"], r["market"], r["marketplace"] or "")  # noqa: E731
    assert sorted(records["result"], key=key) == report["results"]
    assert sorted(records["error"], key=lambda e: (e["file"], e["line"])) == report["errors"]
    assert sorted(records["warning"], key=lambda e: (e["file"], e["line"], e["message"])) == report["warnings"]
    assert records["summary"] == [{"summary": report["summary"]}]
    parallel = run("check", ".", "--as-of", AS_OF, "--format", "jsonl", "--waivers", "waivers.yaml", "--jobs", "2",
                   cwd=catalogue)
    assert parallel.stdout == streamed.stdout


def test_jsonl_to_a_file_is_written_whole_or_not_at_all(catalogue, tmp_path):
    target = tmp_path / "out.jsonl"
    out = run("check", ".", "--as-of", AS_OF, "--format", "jsonl", "--output", target, "--pack", "eu.gpsr", cwd=catalogue)
    assert out.returncode == 2 and out.stdout == ""
    lines = target.read_text().splitlines()
    assert json.loads(lines[0])["type"] == "run" and json.loads(lines[-1])["type"] == "summary"
    assert "zz-broken.yaml:5" in out.stderr  # errors also reach the terminal


def test_a_sku_used_twice_is_reported_with_both_files_when_streaming(tmp_path):
    product = "kind: Product\nsku: TWICE\ncategory: apparel\nmarkets: [DE]\nintended_for: professionals\n"
    write(tmp_path / "a.yaml", product)
    write(tmp_path / "b.yaml", product)
    out = run("check", ".", "--as-of", AS_OF, "--format", "jsonl", cwd=tmp_path)
    assert out.returncode == 2
    (err,) = _records(out.stdout)["error"]
    assert (err["file"], err["line"]) == ("b.yaml", 2) and "also used in a.yaml:2" in err["message"]


def test_bad_jobs_values_are_refused(tmp_path):
    write(tmp_path / "a.yaml", "kind: Product\nsku: J\ncategory: apparel\nmarkets: [DE]\nintended_for: professionals\n")
    for bad in ("0x", "-1", "many"):
        out = run("check", "a.yaml", "--jobs", bad, cwd=tmp_path)
        assert out.returncode == 2 and "--jobs" in out.stderr and "Traceback" not in out.stderr
