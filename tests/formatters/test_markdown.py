"""Markdown: tables that parse back to the report's values (escaping included), waived and upcoming sections,
pack versions, the documents checklist and input errors."""

from __future__ import annotations

import pytest

from compliance_engine.formatters import markdown
from compliance_engine.formatters.common import document_text
from tests.conftest import ROOT
from tests.formatters.conftest import TRICKY
from tests.formatters.readers import cell_text, tables


@pytest.fixture(scope="module")
def real_markdown(real_report):
    return markdown.render(real_report, root=ROOT)


def test_failing_findings_table_matches_the_report(real_markdown, real_report):
    rows = tables(real_markdown)["Failing findings"]
    failing = [(r, f) for r in real_report.results for f in r.findings if f.status == "fail"]
    assert len(rows) == len(failing) > 0
    expected = sorted((f.severity, f.rule, r.sku, r.market, r.marketplace or "",
                       f"{f.location['file'].replace(str(ROOT) + '/', '')}:{f.location['line']}"
                       + (f" ({f.location['field']})" if f.location.get("field") else ""),
                       "; ".join(document_text(d) for d in f.missing_documents)) for r, f in failing)
    got = sorted((row["Severity"], row["Rule"], row["SKU"], row["Market"], row["Marketplace"], row["Location"],
                  row["Missing documents"]) for row in rows)
    assert got == expected
    assert [row["Severity"] for row in rows] == sorted((row["Severity"] for row in rows),
                                                       key=["error", "warning", "info"].index)


def test_pack_versions_and_summary(real_markdown, real_report):
    assert real_markdown.startswith("## compliance-engine report\n\n**19 check units, 275 findings")
    packs = tables(real_markdown)["Rule packs"]
    assert [(p["Pack"], p["Version"]) for p in packs] == [(p["id"], p["version"]) for p in real_report.packs]


def test_documents_checklist_names_every_missing_document(real_markdown, real_report):
    section = real_markdown.split("### Documents still required\n\n", 1)[1].split("\n\n", 1)[0]
    listed: dict[str, set[str]] = {}
    sku = None
    for line in section.splitlines():
        if line.startswith("- **"):
            sku = cell_text(line[4:-2])
        else:
            assert line.startswith("  - [ ] "), line
            listed.setdefault(sku, set()).add(cell_text(line[8:]).rsplit(" (", 1)[0])
    expected: dict[str, set[str]] = {}
    for r in real_report.results:
        for f in r.findings:
            if f.status == "fail":
                for d in f.missing_documents:
                    expected.setdefault(r.sku, set()).add(document_text(d))
    assert listed == expected and expected


def test_cells_are_escaped_and_read_back_exactly(made_report, repo):
    text = markdown.render(made_report, root=repo)
    parsed = tables(text)
    listing = next(r for r in parsed["Failing findings"] if r["Rule"] == "eu.gpsr.listing-information")
    assert listing["Message"] == TRICKY + "\nmissing: listings[0].displays: responsible-person"
    assert listing["Location"] == "products/speaker.yaml:41 (listings[0].displays)"
    assert listing["Missing documents"] == "eu-declaration-of-conformity (covering RED); registration epr-packaging (for DE)"
    assert "<b>" not in text and "\\<b\\>" in text and "\\*nor italic\\*" in text


def test_waived_upcoming_and_input_error_sections(made_report, repo):
    parsed = tables(markdown.render(made_report, root=repo))
    assert parsed["Waived findings"] == [
        {"Rule": "eu.gpsr.warnings-language", "SKU": "X1-SPK", "Market": "DE", "Marketplace": "amazon",
         "Location": "products/speaker.yaml:60 (labelling.languages)", "Reason": "Label reprint ordered | ticket OPS-412",
         "Owner": "qa@brand.example", "Expires": "2026-12-31"},
        {"Rule": "us.cpsc.cpc", "SKU": "+49-TOY", "Market": "US", "Marketplace": "", "Location": "products/toy.yaml:20 (documents)",
         "Reason": "Samples only, not for sale", "Owner": "", "Expires": ""}]
    assert [(r["Applies from"], r["Rule"], r["Missing documents"]) for r in parsed["Upcoming within 30 days"]] == [
        ("2026-12-13", "eu.gpsr.new-duty", "safety-assessment")]
    assert parsed["Input errors"] == [{"File": "products/broken.yaml", "Line": "7",
                                       "Message": "category: 'electronic' is not a known category, did you mean 'electronics'?"}]
    assert parsed["Warnings"][0]["File"] == "waivers.yaml"
    svhc = next(r for r in parsed["Failing findings"] if r["Rule"] == "eu.reach.svhc")
    assert "waiver expired 2026-01-31: old exemption" in svhc["Message"]


def test_no_upcoming_section_without_a_horizon_and_a_clean_report(made_report, repo):
    made_report.horizon = None
    made_report.errors = made_report.warnings = []
    for r in made_report.results:
        r.findings = [f for f in r.findings if f.status == "pass"]
    text = markdown.render(made_report, root=repo)
    assert "Upcoming" not in text and "Input errors" not in text and "Documents still required" not in text
    assert "No finding failed." in text


def test_byte_identical_for_the_same_report(real_report, real_checker):
    again = real_checker.check_paths([ROOT / "products"])
    assert markdown.render(real_report, root=ROOT) == markdown.render(again, root=ROOT)
