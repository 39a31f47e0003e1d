"""JUnit: valid against the Jenkins junit-10 XSD, one testcase per rule per check unit, failures with what is
missing, waivers as skipped with their reason, pack versions as properties, input errors as errors."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import xmlschema

from compliance_engine.formatters import junit
from tests.conftest import ROOT
from tests.formatters.conftest import JUNIT_XSD


@pytest.fixture(scope="module")
def schema():
    return xmlschema.XMLSchema(str(JUNIT_XSD))


@pytest.fixture(scope="module")
def real_xml(real_report, tmp_path_factory):
    path = tmp_path_factory.mktemp("junit") / "report.xml"
    path.write_text(junit.render(real_report, root=ROOT), encoding="utf-8")
    return path


def test_the_report_of_products_validates_against_the_xsd(schema, real_xml):
    schema.validate(str(real_xml))


def test_the_validation_is_real_a_testcase_without_name_fails_it(schema, real_xml):
    tree = ET.parse(real_xml)
    del tree.getroot().find("testsuite/testcase").attrib["name"]
    assert not schema.is_valid(tree.getroot())


def test_one_testcase_per_rule_per_unit_with_counts_that_add_up(real_xml, real_report):
    root = ET.parse(real_xml).getroot()
    assert root.tag == "testsuites" and root.get("name") == "compliance-engine"
    suites = root.findall("testsuite")
    assert len(suites) == len(real_report.results)
    s = real_report.summary()
    assert (int(root.get("tests")), int(root.get("failures")), int(root.get("errors"))) == (s["findings"], s["failed"], 0)
    for suite, result in zip(suites, real_report.results):
        assert suite.get("name") == " · ".join(filter(None, [result.sku, result.market, result.marketplace]))
        assert suite.get("file") == result.file.replace(str(ROOT) + "/", "")
        cases = suite.findall("testcase")
        assert [(c.get("classname"), c.get("name")) for c in cases] == [(f.pack, f.rule) for f in result.findings]
        assert [c.get("line") for c in cases] == [str(f.location["line"]) for f in result.findings]
        assert int(suite.get("tests")) == len(cases)
        assert int(suite.get("failures")) == len([c for c in cases if c.find("failure") is not None])


def test_a_failure_says_what_is_missing_and_where(real_xml, real_report):
    root = ET.parse(real_xml).getroot()
    failing = {(s.get("name"), c.get("name")): c for s in root.findall("testsuite") for c in s.findall("testcase")
               if c.find("failure") is not None}
    checked = 0
    for r in real_report.results:
        for f in r.findings:
            if f.status != "fail":
                continue
            name = " · ".join(filter(None, [r.sku, r.market, r.marketplace]))
            failure = failing[(name, f.rule)].find("failure")
            assert failure.get("type") == f.severity and failure.get("message") == f.message
            assert f"{f.location['file'].replace(str(ROOT) + '/', '')}:{f.location['line']}" in failure.text
            for d in f.missing_documents:
                assert d["type"] in failure.text
            checked += 1
    assert checked == len(failing) > 0


def test_pack_versions_and_the_check_date_are_suite_properties(real_xml, real_report):
    versions = {p["id"]: p["version"] for p in real_report.packs}
    for suite, result in zip(ET.parse(real_xml).getroot().findall("testsuite"), real_report.results):
        props = {p.get("name"): p.get("value") for p in suite.find("properties")}
        assert props["as_of"] == "2026-11-24" and props["sku"] == result.sku and props["market"] == result.market
        packs = {f.pack for f in result.findings}
        assert {k[5:]: v for k, v in props.items() if k.startswith("pack:")} == {p: versions[p] for p in packs}


def test_waived_skipped_with_reason_and_input_errors_as_errors(made_report, repo, schema, tmp_path):
    path = tmp_path / "r.xml"
    path.write_text(junit.render(made_report, root=repo), encoding="utf-8")
    schema.validate(str(path))
    root = ET.parse(path).getroot()
    cases = {c.get("name"): c for c in root.iter("testcase")}
    skipped = cases["eu.gpsr.warnings-language"].find("skipped")
    assert skipped.get("message") == "waived: Label reprint ordered | ticket OPS-412 (owner qa@brand.example, expires 2026-12-31)"
    assert cases["us.cpsc.cpc"].find("skipped").get("message") == "waived: Samples only, not for sale"
    assert "waiver expired: old exemption" in cases["eu.reach.svhc"].find("failure").text
    speaker = root.find("testsuite[@name='X1-SPK · DE · amazon']")
    assert speaker.get("skipped") == "1" and speaker.get("failures") == "2"
    assert speaker.get("file") == "products/speaker.yaml"
    assert cases["eu.gpsr.listing-information"].get("file") == "products/speaker.yaml"
    assert "eu.gpsr.new-duty" not in cases  # upcoming duties are not in force yet
    errors = root.find("testsuite[@name='input errors']")
    case = errors.find("testcase")
    assert (case.get("name"), case.get("file"), case.get("line")) == ("products/broken.yaml:7", "products/broken.yaml", "7")
    assert case.find("error").get("message").startswith("category: 'electronic'")
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("7", "3", "1")
    failure = cases["eu.gpsr.listing-information"].find("failure")
    assert failure.get("message").startswith("Pipe | in text,\nsecond line") and "needs eu-declaration-of-conformity" in failure.text


def test_control_characters_do_not_break_the_xml(made_report, repo, schema):
    made_report.results[0].findings[0].message = "bell \x07 and nul \x00 inside"
    text = junit.render(made_report, root=repo)
    root = ET.fromstring(text.encode("utf-8"))
    assert schema.is_valid(root)
    assert root.find(".//failure").get("message") == "bell \ufffd and nul \ufffd inside"


def test_byte_identical_for_the_same_report(real_report, real_checker):
    again = real_checker.check_paths([ROOT / "products"])
    assert junit.render(real_report, root=ROOT) == junit.render(again, root=ROOT)
