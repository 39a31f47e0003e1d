"""CSV: one row per finding (upcoming ones included) that csv.DictReader reads back to the report's values,
waiver and pack-version columns, and no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io

from compliance_engine.formatters import csv as csv_format
from compliance_engine.formatters.common import document_text
from tests.conftest import ROOT
from tests.formatters.conftest import TRICKY


def read(text: str) -> list[dict[str, str]]:
    assert "\r" not in text.replace(TRICKY, "")  # lines end in \n
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_every_finding_is_a_row_with_its_values(real_report, tmp_path):
    path = tmp_path / "report.csv"
    path.write_text(csv_format.render(real_report, root=ROOT), encoding="utf-8")
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        assert tuple(reader.fieldnames) == csv_format.COLUMNS
    findings = [(r, f) for r in real_report.results for f in r.findings]
    assert len(rows) == len(findings) == 275
    versions = {p["id"]: p["version"] for p in real_report.packs}
    for row, (r, f) in zip(rows, findings):
        assert row["file"] == f.location["file"].replace(str(ROOT) + "/", "")
        assert (row["line"], row["field"]) == (str(f.location["line"]), f.location.get("field", ""))
        assert (row["sku"], row["market"], row["marketplace"]) == (r.sku, r.market, r.marketplace or "")
        assert (row["rule"], row["pack"], row["pack_version"]) == (f.rule, f.pack, versions[f.pack])
        assert (row["status"], row["severity"], row["title"], row["message"]) == (f.status, f.severity, f.title, f.message)
        assert row["missing_documents"] == "; ".join(document_text(d) for d in f.missing_documents)
        assert row["missing_fields"] == "; ".join(f.missing_fields)
        assert row["references"].split("; ") == f.references


def test_waivers_upcoming_and_multi_valued_cells(made_report, repo):
    rows = read(csv_format.render(made_report, root=repo))
    assert [(r["rule"], r["status"], r["applies_from"]) for r in rows] == [
        ("eu.gpsr.listing-information", "fail", ""), ("eu.gpsr.traceability", "pass", ""),
        ("eu.gpsr.warnings-language", "waived", ""), ("eu.reach.svhc", "fail", ""),
        ("eu.gpsr.new-duty", "fail", "2026-12-13"), ("eu.gpsr.other-duty", "pass", "2026-12-20"),
        ("us.cpsc.tracking-label", "fail", ""), ("us.cpsc.cpc", "waived", "")]
    listing, _, waived, expired = rows[:4]
    assert listing["message"] == TRICKY
    assert listing["missing_documents"] == "eu-declaration-of-conformity (covering RED); registration epr-packaging (for DE)"
    assert (waived["waiver_reason"], waived["waiver_owner"], waived["waiver_expires"]) == (
        "Label reprint ordered | ticket OPS-412", "qa@brand.example", "2026-12-31")
    assert (expired["status"], expired["waiver_expires"]) == ("fail", "2026-01-31")
    assert listing["pack_version"] == "2025.1" and rows[-1]["pack_version"] == "2026.2"
    assert (listing["file"], listing["line"], listing["field"]) == ("products/speaker.yaml", "41", "listings[0].displays")


def test_cells_that_a_spreadsheet_would_run_get_an_apostrophe(made_report, repo):
    made_report.results[0].findings[1].message = "-1 + 2"
    made_report.results[0].findings[1].title = "@SUM(A1)"
    made_report.results[0].findings[1].legal_basis = "\tTab first"
    rows = read(csv_format.render(made_report, root=repo))
    toy = next(r for r in rows if r["rule"] == "us.cpsc.tracking-label")
    assert toy["sku"] == "'+49-TOY" and toy["message"] == "'=HYPERLINK(\"http://evil.example\")"
    trace = next(r for r in rows if r["rule"] == "eu.gpsr.traceability")
    assert (trace["message"], trace["title"], trace["legal_basis"]) == ("'-1 + 2", "'@SUM(A1)", "'\tTab first")
    formula_start = ("=", "+", "-", "@", "\t", "\r")
    assert not any(v.startswith(formula_start) for r in rows for v in r.values())


def test_byte_identical_for_the_same_report(real_report, real_checker):
    again = real_checker.check_paths([ROOT / "products"])
    assert csv_format.render(real_report, root=ROOT) == csv_format.render(again, root=ROOT)
