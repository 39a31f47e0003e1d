"""`compliance-engine bundle`: one unit's evidence files in a deterministic zip with a JSON and Markdown index;
files outside the repository are refused."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile

import pytest

from compliance_engine.commands.bundle import bundle
from tests.conftest import ROOT, write
from tests.documents.sample_repo import AS_OF, PRODUCT, invoke, make_repo

COMPLETE = """\
kind: Product
sku: DONE-1
category: electronics.audio
markets: [DE]
documents:
  - {id: doc-doc, type: eu-declaration-of-conformity, file: docs/declaration.txt, issued: 2025-01-10}
  - {id: doc-manual, type: user-instructions, issued: 2025-01-10}
  - {id: doc-report, type: test-report, file: docs/reports/emc.txt, issued: 2025-01-10, expires: 2027-12-31}
  - {id: doc-risk, type: gpsr-risk-assessment, file: docs/declaration.txt, issued: 2025-01-10}
registrations:
  - {type: epr-packaging, market: DE, number: "DE1234567890123", issued: 2025-01-01}
"""


def run_bundle(repo, *args):
    return invoke(bundle, *args[:1], repo / "products", "--rulepacks", repo / "packs", "--pack", "eu.t",
                  "--as-of", AS_OF, *args[1:], cwd=repo)


def read_zip(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


@pytest.fixture(scope="module")
def amazon(tmp_path_factory):
    """The sample product's bundle for DE/amazon, written twice into different files."""
    base = tmp_path_factory.mktemp("bundle")
    repo = make_repo(base)
    first = run_bundle(repo, "SPK-1", "--market", "DE", "--marketplace", "amazon", "-o", base / "a.zip")
    second = run_bundle(repo, "SPK-1", "--market", "de", "--marketplace", "amazon", "-o", base / "b.zip")
    return repo, first, second, base / "a.zip", base / "b.zip"


def test_the_bundle_holds_the_evidence_files_and_an_index_per_rule(amazon):
    repo, out, _, zip_path, _ = amazon
    assert out.exit_code == 1, out.stderr  # written, but documents are missing
    assert out.stdout == f"wrote {zip_path}: 7 rules, 1 evidence file, 2 documents missing\n"
    assert "2 documents or registrations still missing for SPK-1 in DE (amazon)" in out.stderr
    entries = read_zip(zip_path)
    assert sorted(entries) == ["evidence/products/docs/declaration.txt", "index.json", "index.md"]
    source = (repo / "products" / "docs" / "declaration.txt").read_bytes()
    assert entries["evidence/products/docs/declaration.txt"] == source
    index = json.loads(entries["index.json"])
    assert index["bundle_version"] == 1 and index["as_of"] == "2026-11-24"
    assert index["unit"] == {"sku": "SPK-1", "file": "products/speaker.yaml", "market": "DE", "marketplace": "amazon"}
    assert index["packs"] == [{"id": "eu.t", "version": "1"}]
    assert index["tool"]["name"] == "compliance-engine" and index["tool"]["version"]
    rules = {r["rule"]: r for r in index["rules"]}
    assert sorted(rules) == ["eu.t.amazon-sheet", "eu.t.declaration", "eu.t.declaration-and-report", "eu.t.epr",
                             "eu.t.manual", "eu.t.risk", "eu.t.test-report"]
    declaration = rules["eu.t.declaration"]
    assert (declaration["status"], declaration["legal_basis"], declaration["references"]) == (
        "pass", "Test basis", ["https://example.org/law"])
    (ev,) = declaration["evidence"]
    assert (ev["type"], ev["id"], ev["issued"], ev["file"], ev["declared_in"]) == (
        "eu-declaration-of-conformity", "doc-doc", "2025-01-10", "evidence/products/docs/declaration.txt",
        "products/speaker.yaml:6")
    (manual,) = rules["eu.t.manual"]["evidence"]
    assert manual["file"] is None and manual["note"] == "declared without a file"
    (reg,) = rules["eu.t.epr"]["evidence"]
    assert (reg["kind"], reg["id"], reg["expires"]) == ("registration", "DE1234567890123", "2027-01-15")
    # a failing rule keeps the evidence that did satisfy part of it, and says what is missing
    partial = rules["eu.t.declaration-and-report"]
    assert partial["status"] == "fail" and [e["id"] for e in partial["evidence"]] == ["doc-doc"]
    assert partial["missing_documents"] == [{"type": "test-report", "detail": ""}]
    assert [(m["type"], m["rules"], m["severity"]) for m in index["missing"]] == [
        ("safety-data-sheet", ["eu.t.amazon-sheet"], "error"),
        ("test-report", ["eu.t.declaration-and-report", "eu.t.test-report"], "error")]
    assert index["waived"] == [{"rule": "eu.t.risk", "reason": "risk assessment being redone after a design change",
                                "owner": "qa@example.org", "file": "products/speaker.yaml", "line": 11}]
    assert rules["eu.t.risk"]["status"] == "waived"
    assert index["files"] == [{"path": "evidence/products/docs/declaration.txt", "source": "products/docs/declaration.txt",
                               "sha256": hashlib.sha256(source).hexdigest(), "bytes": len(source)}]
    assert index["summary"] == {"rules": 7, "passed": 3, "failed": 3, "waived": 1, "evidence_files": 1, "missing": 2}


def test_the_markdown_index_names_every_rule_its_evidence_and_what_is_missing(amazon):
    _, _, _, zip_path, _ = amazon
    md = read_zip(zip_path)["index.md"].decode("utf-8")
    assert md.startswith("# Evidence bundle: SPK-1 in DE (amazon)\n")
    assert "- Packs: eu.t 1\n" in md and "- As of: 2026-11-24\n" in md
    missing = md.split("## Missing\n", 1)[1].split("\n## ", 1)[0]
    assert "| document | safety-data-sheet |  | error | eu.t.amazon-sheet |" in missing
    assert "| eu.t.risk | risk assessment being redone after a design change | qa@example.org |" in md
    declaration = md.split("### eu.t.declaration: pass\n", 1)[1].split("\n### ", 1)[0]
    assert "| document | eu-declaration-of-conformity | doc-doc | 2025-01-10 |  | products/speaker.yaml:6 | " \
           "evidence/products/docs/declaration.txt |" in declaration
    manual = md.split("### eu.t.manual: pass\n", 1)[1].split("\n### ", 1)[0]
    assert "| declared without a file |" in manual
    assert "- Missing document: test-report" in md.split("### eu.t.test-report: fail\n", 1)[1]


def test_the_zip_is_byte_identical_for_the_same_input(amazon):
    _, first, second, a, b = amazon
    assert first.exit_code == second.exit_code == 1
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as zf:
        infos = zf.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    for i in infos:
        assert i.date_time == (1980, 1, 1, 0, 0, 0)
        assert i.compress_type == zipfile.ZIP_DEFLATED
        assert (i.external_attr >> 16) & 0o777 == 0o644


def test_a_unit_without_listing_needs_no_marketplace_and_nothing_missing_is_exit_0(tmp_path):
    repo = make_repo(tmp_path, COMPLETE)
    write(repo / "products" / "docs" / "reports" / "emc.txt", "EMC test report\n")
    target = tmp_path / "done.zip"
    out = run_bundle(repo, "DONE-1", "--market", "DE", "-o", target)
    assert out.exit_code == 0, out.stderr
    assert out.stdout == f"wrote {target}: 6 rules, 2 evidence files, 0 documents missing\n"
    entries = read_zip(target)
    # one file used by two documents is bundled once; both rules point at it
    assert sorted(entries) == ["evidence/products/docs/declaration.txt", "evidence/products/docs/reports/emc.txt",
                               "index.json", "index.md"]
    index = json.loads(entries["index.json"])
    assert index["missing"] == [] and index["unit"]["marketplace"] is None
    rules = {r["rule"]: r for r in index["rules"]}
    assert rules["eu.t.risk"]["evidence"][0]["file"] == rules["eu.t.declaration"]["evidence"][0]["file"]
    assert "Nothing is missing." in entries["index.md"].decode()


def test_the_shipped_example_bundle():
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        target = os.path.join(d, "x1-de.zip")
        out = invoke(bundle, "X1-SPK", "products/", "--market", "DE", "--as-of", "2026-11-24", "-o", target, cwd=ROOT)
        assert out.exit_code == 1, out.stderr
        entries = read_zip(target)
    files = sorted(n for n in entries if n.startswith("evidence/"))
    assert files == ["evidence/products/docs/x1-spk/eu-declaration-of-conformity.txt",
                     "evidence/products/docs/x1-spk/technical-file.txt",
                     "evidence/products/docs/x1-spk/user-manual-de-en.txt"]
    for name in files:
        assert entries[name] == (ROOT / name.removeprefix("evidence/")).read_bytes()
    index = json.loads(entries["index.json"])
    assert index["unit"]["marketplace"] == "amazon"  # the product's only DE listing
    assert [m["type"] for m in index["missing"]] == ["reach-svhc-declaration"]
    assert {r["rule"] for r in index["rules"]} >= {"eu.ce.declaration-of-conformity", "eu.gpsr.responsible-economic-operator"}


# ---------------------------------------------------------------------------------------------- bad input
def assert_refused(out, target, *words):
    assert out.exit_code == 2, out.stdout + out.stderr
    for w in words:
        assert w in out.stderr, out.stderr
    assert "Traceback" not in out.stderr and out.stdout == ""
    assert not target.exists()


def test_an_unknown_sku_is_exit_2_with_a_suggestion(tmp_path):
    repo = make_repo(tmp_path)
    target = tmp_path / "out.zip"
    assert_refused(run_bundle(repo, "SPK-2", "--market", "DE", "-o", target), target,
                   "compliance-engine: no product SPK-2 (did you mean SPK-1?)")


def test_an_unknown_market_or_marketplace_lists_the_units_that_exist(tmp_path):
    repo = make_repo(tmp_path)
    target = tmp_path / "out.zip"
    assert_refused(run_bundle(repo, "SPK-1", "--market", "US", "-o", target), target,
                   "SPK-1 has no unit US; its units: DE/amazon, DE/ebay, FR")
    assert_refused(run_bundle(repo, "SPK-1", "--market", "DE", "--marketplace", "temu", "-o", target), target,
                   "SPK-1 has no unit DE/temu; its units: DE/amazon, DE/ebay, FR")
    assert_refused(run_bundle(repo, "SPK-1", "--market", "DE", "-o", target), target,
                   "SPK-1 has 2 listings in DE (amazon, ebay); choose one with --marketplace")


def test_a_file_outside_the_repository_is_refused(tmp_path):
    outside = write(tmp_path / "outside" / "secret.txt", "not evidence\n")
    repo = make_repo(tmp_path, PRODUCT.replace("file: docs/declaration.txt", "file: ../../outside/secret.txt"))
    assert outside.is_file()
    target = tmp_path / "out.zip"
    assert_refused(run_bundle(repo, "SPK-1", "--market", "FR", "-o", target), target,
                   f"compliance-engine: products/speaker.yaml:6: documents[0].file: ../../outside/secret.txt is outside "
                   f"the repository {repo.resolve()}; the bundle only takes files inside it")


def test_the_refusal_names_the_line_of_the_file_key_in_a_multi_document_manifest(tmp_path):
    write(tmp_path / "outside" / "secret.txt", "not evidence\n")
    listing = "kind: Listing\nproduct: SPK-1\nmarketplace: ebay\nmarket: FR\ntitle: Speaker\n---\n"
    product = PRODUCT.replace("  - {id: doc-doc, type: eu-declaration-of-conformity, file: docs/declaration.txt, issued: 2025-01-10}",
                              "  - id: doc-doc\n    type: eu-declaration-of-conformity\n    issued: 2025-01-10\n"
                              "    file: ../../outside/secret.txt")
    repo = make_repo(tmp_path, listing + product)
    target = tmp_path / "out.zip"
    # the Listing is the file's first document; the Product's documents[0].file is on line 15
    assert_refused(run_bundle(repo, "SPK-1", "--market", "FR", "-o", target), target,
                   "products/speaker.yaml:15: documents[0].file: ../../outside/secret.txt is outside the repository")


def test_a_symlink_pointing_outside_the_repository_is_refused(tmp_path):
    outside = write(tmp_path / "outside" / "secret.txt", "not evidence\n")
    repo = make_repo(tmp_path)
    link = repo / "products" / "docs" / "declaration.txt"
    link.unlink()
    link.symlink_to(outside)
    target = tmp_path / "out.zip"
    assert_refused(run_bundle(repo, "SPK-1", "--market", "FR", "-o", target), target,
                   "products/speaker.yaml:6: documents[0].file: docs/declaration.txt is outside the repository")


def test_output_onto_an_input_or_an_evidence_file_is_refused(tmp_path):
    repo = make_repo(tmp_path)
    for victim in (repo / "products" / "speaker.yaml", repo / "products" / "docs" / "declaration.txt"):
        before = victim.read_bytes()
        out = run_bundle(repo, "SPK-1", "--market", "FR", "-o", victim)
        assert out.exit_code == 2 and "is one of the input files; refusing to overwrite it" in out.stderr
        assert victim.read_bytes() == before


def test_a_malformed_manifest_is_exit_2_and_nothing_written(tmp_path):
    repo = make_repo(tmp_path)
    write(repo / "products" / "broken.yaml", "kind: Product\nsku: B-1\ncategory: toys\nmarkets: [DE]\nintended_for: children\n")
    target = tmp_path / "out.zip"
    assert_refused(run_bundle(repo, "SPK-1", "--market", "FR", "-o", target), target,
                   "products/broken.yaml:5: intended_for:")


def test_output_is_required_and_must_be_a_file(tmp_path):
    repo = make_repo(tmp_path)
    out = invoke(bundle, "SPK-1", repo / "products", "--market", "FR", cwd=repo)
    assert out.exit_code == 2 and "Missing option '--output'" in out.stderr
    out = invoke(bundle, "SPK-1", repo / "products", "--market", "FR", "-o", "-", cwd=repo)
    assert out.exit_code == 2 and "a zip is not written to standard output" in out.stderr
