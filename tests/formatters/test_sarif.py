"""SARIF: valid against the official 2.1.0 schema, every rule described, results where code scanning needs them,
stable fingerprints, waivers as suppressions, input errors as notifications."""

from __future__ import annotations

import copy
import json
from urllib.parse import urlsplit

import pytest

from compliance_engine.formatters import sarif
from tests.conftest import ROOT
from tests.formatters.conftest import SARIF_SCHEMA, make_report
from tests.formatters.readers import schema_errors


@pytest.fixture(scope="module")
def real_log(real_report, real_checker, tmp_path_factory):
    """The SARIF of products/, written to a file and read back with the json module."""
    path = tmp_path_factory.mktemp("sarif") / "report.sarif"
    path.write_text(sarif.render(real_report, root=ROOT, rules=real_checker.selected_rules), encoding="utf-8")
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_shipped_schema_is_the_official_one():
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    assert schema["id"] == "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    assert schema["properties"]["version"]["enum"] == ["2.1.0"]


def test_the_report_of_products_validates_against_the_official_schema(real_log):
    assert schema_errors(real_log) == []
    assert real_log["version"] == "2.1.0" and real_log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert len(real_log["runs"]) == 1


def test_the_validation_is_real_a_broken_log_fails_it(real_log):
    broken = copy.deepcopy(real_log)
    broken["runs"][0]["results"][0]["level"] = "fatal"
    del broken["runs"][0]["tool"]["driver"]["name"]
    errors = schema_errors(broken)
    assert any("'fatal' is not one of" in e for e in errors) and any("'name' is a required property" in e for e in errors)


def test_a_report_with_waivers_errors_and_upcoming_findings_validates(made_report, repo):
    assert schema_errors(json.loads(sarif.render(made_report, root=repo))) == []


def test_driver_lists_every_checked_rule_with_help_uri_and_default_level(real_log, real_checker):
    driver = real_log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "compliance-engine" and driver["semanticVersion"]
    assert urlsplit(driver["informationUri"]).scheme == "https"
    rules = {r["id"]: r for r in driver["rules"]}
    assert set(rules) == {r.id for r in real_checker.selected_rules}
    assert [r["id"] for r in driver["rules"]] == sorted(rules)
    levels = {"error": "error", "warning": "warning", "info": "note"}
    for rule in real_checker.selected_rules:
        d = rules[rule.id]
        assert d["defaultConfiguration"]["level"] == levels[rule.severity]
        assert d["shortDescription"]["text"] == rule.title
        assert d["properties"]["pack"] == rule.pack and d["properties"]["legal_basis"] == rule.legal_basis
        if rule.references and urlsplit(rule.references[0]).scheme in ("http", "https"):
            assert d["helpUri"] == rule.references[0]
            assert " " not in d["helpUri"]


def test_pack_versions_are_tool_extensions(real_log, real_report):
    extensions = real_log["runs"][0]["tool"]["extensions"]
    assert [(e["name"], e["version"]) for e in extensions] == [(p["id"], p["version"]) for p in real_report.packs]


def test_results_are_the_failing_findings_at_their_repo_relative_file_and_line(real_log, real_report):
    run = real_log["runs"][0]
    results = run["results"]
    failing = [(r, f) for r in real_report.results for f in r.findings if f.status == "fail"]
    assert len(results) == len(failing) == real_report.summary()["failed"] > 0
    rules = run["tool"]["driver"]["rules"]
    expected = sorted((f.location["file"].replace(str(ROOT) + "/", ""), f.location["line"], f.rule, r.sku, r.market)
                      for r, f in failing)
    seen = []
    for res in results:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        loc = res["locations"][0]["physicalLocation"]
        uri = loc["artifactLocation"]["uri"]
        assert uri.startswith("products/") and (ROOT / uri).is_file()
        assert loc["region"]["startLine"] >= 1
        assert res["level"] == {"error": "error", "warning": "warning", "info": "note"}[res["properties"]["severity"]]
        assert res["properties"]["sku"] in res["message"]["text"] and res["properties"]["market"] in res["message"]["text"]
        seen.append((uri, loc["region"]["startLine"], res["ruleId"], res["properties"]["sku"], res["properties"]["market"]))
    assert seen == expected  # same findings, same lines, in file/line/rule order


def test_missing_documents_and_fields_are_in_the_message(real_log):
    with_docs = [r for r in real_log["runs"][0]["results"] if r["properties"]["missing_documents"]]
    assert with_docs
    for r in with_docs:
        assert all(d in r["message"]["text"] for d in r["properties"]["missing_documents"])


def test_fingerprints_are_stable_when_lines_move_and_distinct_otherwise(made_report, repo):
    def fingerprints(report):
        log = json.loads(sarif.render(report, root=repo))
        return {(r["ruleId"], r["properties"]["sku"]): r["partialFingerprints"]["complianceFinding/v1"]
                for r in log["runs"][0]["results"]}

    before = fingerprints(made_report)
    moved = make_report(repo)
    for r in moved.results:
        for f in r.findings:
            f.location["line"] += 25
    assert fingerprints(moved) == before
    assert len(set(before.values())) == len(before)
    other_unit = make_report(repo)
    other_unit.results[0].sku = "X2-SPK"
    changed = fingerprints(other_unit)
    assert before[("eu.gpsr.listing-information", "X1-SPK")] != changed[("eu.gpsr.listing-information", "X2-SPK")]


def test_waived_findings_are_suppressed_with_their_reason(made_report, repo):
    results = json.loads(sarif.render(made_report, root=repo))["runs"][0]["results"]
    by_rule = {r["ruleId"]: r for r in results}
    assert "eu.gpsr.traceability" not in by_rule  # a pass is not a result
    manifest = by_rule["eu.gpsr.warnings-language"]["suppressions"]
    assert manifest == [{"kind": "inSource", "status": "accepted",
                         "justification": "Label reprint ordered | ticket OPS-412",
                         "location": {"physicalLocation": {"artifactLocation": {"uri": "products/speaker.yaml",
                                                                                "uriBaseId": "%SRCROOT%"},
                                                           "region": {"startLine": 88}}}}]
    central = by_rule["us.cpsc.cpc"]["suppressions"][0]
    assert central["kind"] == "external" and central["justification"] == "Samples only, not for sale"
    assert central["location"]["physicalLocation"]["artifactLocation"]["uri"] == "waivers.yaml"
    assert "Waived: Samples only, not for sale" in by_rule["us.cpsc.cpc"]["message"]["text"]
    expired = by_rule["eu.reach.svhc"]
    assert "suppressions" not in expired and "Waiver expired: old exemption" in expired["message"]["text"]
    assert by_rule["eu.gpsr.listing-information"]["locations"][0]["logicalLocations"] == [
        {"fullyQualifiedName": "listings[0].displays", "kind": "property"}]


def test_rules_fall_back_to_those_seen_in_findings(made_report, repo):
    log = json.loads(sarif.render(made_report, root=repo))
    ids = [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]]
    assert ids == sorted({"eu.gpsr.listing-information", "eu.gpsr.traceability", "eu.gpsr.warnings-language",
                          "eu.reach.svhc", "eu.gpsr.new-duty", "eu.gpsr.other-duty", "us.cpsc.tracking-label",
                          "us.cpsc.cpc"})
    by_id = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert by_id["us.cpsc.tracking-label"]["defaultConfiguration"]["level"] == "note"
    assert by_id["us.cpsc.cpc"]["helpUri"] == "https://example.org/us.cpsc.cpc"


def test_input_errors_make_the_execution_unsuccessful_with_located_notifications(made_report, repo):
    invocation = json.loads(sarif.render(made_report, root=repo))["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    notes = invocation["toolExecutionNotifications"]
    assert [(n["level"], n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
             n["locations"][0]["physicalLocation"]["region"]["startLine"]) for n in notes] == [
        ("error", "products/broken.yaml", 7), ("warning", "waivers.yaml", 2)]
    made_report.errors = []
    assert json.loads(sarif.render(made_report, root=repo))["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_files_outside_the_repository_and_odd_names_are_valid_uris(made_report, repo, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "my product #1.yaml"
    made_report.results[0].findings[0].location["file"] = str(outside)
    made_report.results[1].findings[0].location["file"] = str(repo / "products" / "a b%.yaml")
    log = json.loads(sarif.render(made_report, root=repo))
    uris = {r["ruleId"]: r["locations"][0]["physicalLocation"]["artifactLocation"] for r in log["runs"][0]["results"]}
    assert uris["eu.gpsr.listing-information"] == {"uri": outside.as_uri()}
    assert uris["us.cpsc.tracking-label"] == {"uri": "products/a%20b%25.yaml", "uriBaseId": "%SRCROOT%"}
    assert schema_errors(log) == []


def test_root_defaults_to_the_repository_above_the_working_directory(made_report, repo, monkeypatch):
    monkeypatch.chdir(repo / ".git")  # any directory inside the repository
    log = json.loads(sarif.render(made_report))
    assert log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("products/")


def test_byte_identical_for_the_same_report(real_report, real_checker):
    again = real_checker.check_paths([ROOT / "products"])
    assert sarif.render(real_report, root=ROOT, rules=real_checker.selected_rules) == \
        sarif.render(again, root=ROOT, rules=real_checker.selected_rules)
