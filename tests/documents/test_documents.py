"""`compliance-engine documents`: what is still missing or expiring per product and market, in four formats.

The command runs once per format over the sample repository (loading the shipped packs takes seconds); the
library tests use a Checker over the test pack only.
"""

from __future__ import annotations

import csv
import io
import json
import re
from types import SimpleNamespace

import pytest

from compliance_engine.commands.documents import documents
from compliance_engine.documents import CSV_COLUMNS, build_checklist, render
from tests.conftest import ROOT, write
from tests.documents.sample_repo import AS_OF, PRODUCT, invoke, library_checker, make_repo

COMPLETE = """\
kind: Product
sku: DONE-1
category: electronics.audio
markets: [DE]
documents:
  - {id: doc-doc, type: eu-declaration-of-conformity, file: docs/declaration.txt, issued: 2025-01-10}
  - {id: doc-manual, type: user-instructions, issued: 2025-01-10}
  - {id: doc-report, type: test-report, issued: 2025-01-10, expires: 2027-12-31}
  - {id: doc-risk, type: gpsr-risk-assessment, issued: 2025-01-10}
registrations:
  - {type: epr-packaging, market: DE, number: "DE1234567890123", issued: 2025-01-01, expires: 2027-01-15}
"""


def run_documents(repo, *args):
    return invoke(documents, repo / "products", "--rulepacks", repo / "packs", "--pack", "eu.t", "--as-of", AS_OF,
                  *args, cwd=repo)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample repository and what the command printed: text and json on stdout, csv into a file."""
    repo = make_repo(tmp_path_factory.mktemp("documents"))
    outputs = {fmt: run_documents(repo, "--format", fmt) for fmt in ("text", "json")}
    target = repo.parent / "checklist.csv"
    written = run_documents(repo, "--format", "csv", "--output", target)
    assert written.exit_code == 1 and written.stdout == ""
    outputs["csv"] = SimpleNamespace(exit_code=written.exit_code, stdout=target.read_text(encoding="utf-8"))
    return repo, outputs


def checklist_of(repo, monkeypatch, within_days=90, markets=None, **kw):
    from compliance_engine.loading import load_manifests

    monkeypatch.chdir(repo)
    report = library_checker(repo, **kw).check_loaded(load_manifests(["products"]), markets=markets)
    assert report.errors == []
    return build_checklist(report, within_days)


def by_market(data: dict) -> dict[str, dict]:
    return {p["market"]: p for p in data["products"]}


def markdown_table(text: str, heading: str) -> list[dict[str, str]]:
    """The rows of the table under ``## heading``, as dicts (cells split on unescaped pipes)."""
    lines = text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0].strip().splitlines()
    split = lambda line: [re.sub(r"\\(.)", r"\1", c.strip()) for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]  # noqa: E731
    header = split(lines[0])
    assert set(lines[1].replace("|", "").replace(" ", "")) == {"-"}
    return [dict(zip(header, split(line))) for line in lines[2:]]


def test_text_checklist_merges_needs_marks_listing_only_items_and_exits_1(sample):
    _, outputs = sample
    out = outputs["text"]
    assert out.exit_code == 1, out.stderr
    text = out.stdout
    de, fr = text.split("SPK-1 in DE (amazon, ebay)\n", 1)[1].split("SPK-1 in FR\n", 1)
    # one test-report line for the two rules that need it, with the higher severity
    assert de.count("document test-report") == 1
    assert "[ ] missing  document test-report\n                 error; needed by eu.t.declaration-and-report, eu.t.test-report" in de
    # only the amazon listing needs the safety data sheet
    assert "[ ] missing  document safety-data-sheet [only amazon]" in de
    # the DE packaging registration the epr rule relies on expires in 52 days
    assert "[ ] expiring registration epr-packaging DE1234567890123 (products/speaker.yaml:9)" in de
    assert "on 2027-01-15 (52 days left); relied on by eu.t.epr" in de
    # the waived rule's document is not missing in DE, but is in FR where no waiver applies
    assert "[-] waived   document gpsr-risk-assessment" in de and "risk assessment being redone" in de
    assert "[ ] missing  document gpsr-risk-assessment" not in de
    assert "[ ] missing  document gpsr-risk-assessment" in fr
    assert "[ ] missing  registration epr-packaging (for FR)" in fr
    assert "eu-declaration-of-conformity" not in text  # held and in force: not a gap
    assert text.rstrip().endswith("5 missing, 1 expiring within 90 days, 1 waived; 2 of 2 product markets need action; "
                                  "as of 2026-11-24")


def test_json_has_a_stable_documented_structure(sample):
    _, outputs = sample
    out = outputs["json"]
    assert out.exit_code == 1
    data = json.loads(out.stdout)
    assert data["documents_version"] == 1
    assert (data["as_of"], data["within_days"]) == ("2026-11-24", 90)
    assert data["packs"] == [{"id": "eu.t", "version": "1"}]
    assert data["summary"] == {"product_markets": 2, "with_gaps": 2, "missing": 5, "expiring": 1, "waived": 1}
    de = by_market(data)["DE"]
    assert (de["sku"], de["file"], de["marketplaces"]) == ("SPK-1", "products/speaker.yaml", ["amazon", "ebay"])
    assert de["missing"] == [
        {"kind": "document", "type": "safety-data-sheet", "detail": "", "rules": ["eu.t.amazon-sheet"],
         "severity": "error", "marketplaces": ["amazon"]},
        {"kind": "document", "type": "test-report", "detail": "", "rules": ["eu.t.declaration-and-report", "eu.t.test-report"],
         "severity": "error", "marketplaces": ["amazon", "ebay"]},
    ]
    assert de["expiring"] == [
        {"kind": "registration", "type": "epr-packaging", "id": "DE1234567890123", "manifest": "products/speaker.yaml",
         "line": 9, "field": "registrations[0]", "expires": "2027-01-15", "days_left": 52, "rules": ["eu.t.epr"],
         "severity": "error", "marketplaces": ["amazon", "ebay"]}]
    (waived,) = de["waived"]
    assert (waived["type"], waived["rules"]) == ("gpsr-risk-assessment", ["eu.t.risk"])
    assert waived["waivers"] == [{"rule": "eu.t.risk", "reason": "risk assessment being redone after a design change",
                                  "owner": "qa@example.org", "file": "products/speaker.yaml", "line": 11}]
    fr = by_market(data)["FR"]
    assert fr["marketplaces"] == [] and fr["expiring"] == [] and fr["waived"] == []
    assert [(m["kind"], m["type"], m["detail"]) for m in fr["missing"]] == [
        ("document", "gpsr-risk-assessment", ""), ("document", "test-report", ""), ("registration", "epr-packaging", "for FR")]


def test_csv_has_one_row_per_product_market_and_document(sample):
    _, outputs = sample
    out = outputs["csv"]
    assert out.exit_code == 1
    reader = csv.DictReader(io.StringIO(out.stdout))
    assert tuple(reader.fieldnames) == CSV_COLUMNS
    rows = list(reader)
    assert [(r["market"], r["document_type"], r["status"]) for r in rows] == [
        ("DE", "safety-data-sheet", "missing"), ("DE", "test-report", "missing"), ("DE", "epr-packaging", "expiring"),
        ("FR", "gpsr-risk-assessment", "missing"), ("FR", "test-report", "missing"), ("FR", "epr-packaging", "missing")]
    sheet, report, expiring = rows[:3]
    assert sheet["marketplaces"] == "amazon" and report["marketplaces"] == "amazon ebay"
    assert report["rules"].split() == ["eu.t.declaration-and-report", "eu.t.test-report"]
    assert (expiring["kind"], expiring["expires"], expiring["days_left"], expiring["rules"]) == (
        "registration", "2027-01-15", "52", "eu.t.epr")
    assert "DE1234567890123" in expiring["detail"]
    assert rows[5]["detail"] == "for FR" and rows[5]["kind"] == "registration"
    assert all(r["sku"] == "SPK-1" and r["file"] == "products/speaker.yaml" for r in rows)


def test_markdown_tables_read_back(sample, monkeypatch):
    repo, _ = sample
    text = render(checklist_of(repo, monkeypatch), "markdown")
    missing = markdown_table(text, "Missing")
    assert len(missing) == 5
    assert missing[1] == {"SKU": "SPK-1", "File": "products/speaker.yaml", "Market": "DE", "Marketplaces": "amazon, ebay",
                          "Kind": "document", "Type": "test-report", "Detail": "", "Severity": "error",
                          "Rules": "eu.t.declaration-and-report, eu.t.test-report"}
    (expiring,) = markdown_table(text, "Expiring within 90 days")
    assert (expiring["Id"], expiring["Expires"], expiring["Days left"], expiring["Declared in"]) == (
        "DE1234567890123", "2027-01-15", "52", "products/speaker.yaml:9")
    (waived,) = markdown_table(text, "Waived")
    assert waived["Reason"] == "risk assessment being redone after a design change"
    assert text.startswith("# Documents still required as of 2026-11-24\n")


def test_every_format_is_deterministic(sample, monkeypatch):
    repo, outputs = sample
    for fmt, out in outputs.items():
        # an independent check of the same input renders the same bytes as the command wrote
        assert render(checklist_of(repo, monkeypatch), fmt) == out.stdout, fmt
    assert render(checklist_of(repo, monkeypatch), "markdown") == render(checklist_of(repo, monkeypatch), "markdown")


def test_a_pipe_in_a_cell_does_not_break_the_markdown_table(tmp_path, monkeypatch):
    repo = make_repo(tmp_path, PRODUCT.replace("reason: risk assessment being redone after a design change",
                                                  "reason: 'risk | assessment redone'"))
    (waived,) = markdown_table(render(checklist_of(repo, monkeypatch), "markdown"), "Waived")
    assert waived["Reason"] == "risk | assessment redone"


def test_exit_0_when_nothing_is_missing_or_expiring(tmp_path):
    repo = make_repo(tmp_path, COMPLETE)
    out = run_documents(repo, "--within", "30")
    assert out.exit_code == 0, out.stdout
    assert "DONE-1 in DE\n    nothing missing or expiring" in out.stdout
    assert "0 missing, 0 expiring within 30 days; 0 of 1 product markets need action" in out.stdout


def test_the_expiry_window_is_inclusive_and_covers_every_evidence(tmp_path, monkeypatch):
    repo = make_repo(tmp_path, COMPLETE)
    # the registration expires on 2027-01-15, 52 days after the check date
    assert not checklist_of(repo, monkeypatch, within_days=51).has_gaps
    (entry,) = checklist_of(repo, monkeypatch, within_days=52).products
    assert [(e.id, e.days_left) for e in entry.expiring] == [("DE1234567890123", 52)]
    # the test report (expires 2027-12-31) is evidence too, and comes into the window when it is wide enough
    (entry,) = checklist_of(repo, monkeypatch, within_days=500).products
    assert [e.id for e in entry.expiring] == ["DE1234567890123", "doc-report"]
    # a registration expiring on the check date still counts, with 0 days left
    (entry,) = checklist_of(repo, monkeypatch, within_days=0, as_of="2027-01-15").products
    assert [(e.id, e.days_left) for e in entry.expiring] == [("DE1234567890123", 0)]
    assert "expires today" in render(checklist_of(repo, monkeypatch, within_days=0, as_of="2027-01-15"), "text")


def test_an_expired_document_is_listed_as_missing_not_as_expiring(tmp_path, monkeypatch):
    repo = make_repo(tmp_path, COMPLETE.replace("expires: 2027-12-31", "expires: 2026-11-01"))
    (entry,) = checklist_of(repo, monkeypatch, within_days=3650).products
    assert [(m.type, m.rules) for m in entry.missing] == [("test-report", ["eu.t.declaration-and-report", "eu.t.test-report"])]
    assert [e.id for e in entry.expiring] == ["DE1234567890123"]


def test_market_filter_and_audit_mode(tmp_path, monkeypatch):
    repo = make_repo(tmp_path)
    assert [p.market for p in checklist_of(repo, monkeypatch, markets=["fr"]).products] == ["FR"]
    (de,) = checklist_of(repo, monkeypatch, markets=["DE"], use_waivers=False).products
    assert "gpsr-risk-assessment" in [m.type for m in de.missing] and de.waived == []


def test_the_shipped_examples():
    from compliance_engine import Checker

    out = invoke(documents, "products/", "--as-of", "2026-11-24", "--format", "json", "--within", "300", cwd=ROOT)
    assert out.exit_code == 1, out.stderr
    data = json.loads(out.stdout)
    assert data["summary"]["product_markets"] == 19
    entries = {(p["sku"], p["market"]): p for p in data["products"]}
    (claim,) = entries[("X1-SPK", "US")]["missing"]
    assert (claim["type"], claim["rules"]) == ("claim-substantiation", ["us.ftc.green-recyclable"])
    assert entries[("X1-SPK", "GB")]["missing"] == []
    (gmp,) = entries[("GLW-FC-50", "DE")]["expiring"]
    assert (gmp["id"], gmp["expires"], gmp["days_left"], gmp["rules"]) == ("doc-gmp", "2027-09-11", 291, ["eu.cosmetics.pif-cpsr"])
    # every missing document of a failing finding in the check report is listed, and nothing else
    report = Checker(as_of="2026-11-24").check_paths([ROOT / "products"])
    needed = {(r.sku, r.market, d["type"]) for r in report.results for f in r.findings if f.status == "fail"
              for d in f.missing_documents}
    listed = {(p["sku"], p["market"], m["type"]) for p in data["products"] for m in p["missing"]}
    assert listed == needed


# ---------------------------------------------------------------------------------------------- bad input
def test_a_malformed_manifest_is_exit_2_with_file_and_line_and_nothing_written(tmp_path):
    repo = make_repo(tmp_path)
    write(repo / "products" / "broken.yaml", "kind: Product\nsku: B-1\ncategory: toys\nmarkets: [DE]\nintended_for: children\n")
    target = tmp_path / "checklist.json"
    out = run_documents(repo, "--format", "json", "--output", target)
    assert out.exit_code == 2
    assert "products/broken.yaml:5: intended_for:" in out.stderr
    assert out.stdout == "" and not target.exists()
    assert "Traceback" not in out.stderr


def test_an_unknown_pack_is_exit_2(tmp_path):
    repo = make_repo(tmp_path)
    target = tmp_path / "checklist.txt"
    out = invoke(documents, repo / "products", "--pack", "nope.pack", "--as-of", AS_OF, "-o", target, cwd=repo)
    assert out.exit_code == 2 and "--pack:1: no loaded pack matches nope.pack" in out.stderr
    assert not target.exists()


def test_output_onto_an_input_is_refused_and_the_input_kept(tmp_path):
    repo = make_repo(tmp_path)
    manifest = repo / "products" / "speaker.yaml"
    before = manifest.read_bytes()
    out = run_documents(repo, "--output", manifest)
    assert out.exit_code == 2 and "is one of the input files; refusing to overwrite it" in out.stderr
    assert manifest.read_bytes() == before


def test_a_bad_date_is_a_usage_error(tmp_path):
    repo = make_repo(tmp_path)
    out = invoke(documents, repo / "products", "--as-of", "24/11/2026", cwd=repo)
    assert out.exit_code == 2 and "is not a date; use YYYY-MM-DD" in out.stderr


def test_every_format_names_the_pack_versions_behind_its_items(sample):
    repo, outputs = sample
    assert "packs: eu.t 1\n" in outputs["text"].stdout
    assert "Packs: eu.t 1\n" in run_documents(repo, "--format", "markdown").stdout
    rows = list(csv.DictReader(io.StringIO(outputs["csv"].stdout)))
    assert rows and all(r["packs"] == "eu.t 1" for r in rows)
