"""End to end with the real checker: a manifest waiver and a central waivers file show as waived, with their
reason, in every format; a look-ahead (--horizon) shows upcoming duties where the formats list them."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

from compliance_engine import formatters
from compliance_engine.checker import Checker
from tests.conftest import FAILING_TOY_MANIFEST, write
from tests.formatters.readers import parse_commands, schema_errors, tables

PRODUCT = FAILING_TOY_MANIFEST
MANIFEST_WAIVER = """\
waivers:
  - rule: eu.gpsr.*
    reason: Operator being appointed (OPS-9)
    owner: qa
    expires: 2026-12-31
"""
CENTRAL = "waivers:\n  - sku: OUT-1\n    rule: 'eu.ce.*'\n    reason: samples only\n"


@pytest.fixture
def waived(repo):
    write(repo / "products" / "out.yaml", PRODUCT + MANIFEST_WAIVER)
    write(repo / "waivers.yaml", CENTRAL)
    checker = Checker(as_of="2026-11-24", waivers=repo / "waivers.yaml")
    report = checker.check_paths([repo / "products"])
    statuses = {f.rule: f.status for f in report.findings}
    assert statuses["eu.gpsr.responsible-economic-operator"] == statuses["eu.ce.toy-safety"] == "waived"
    assert "fail" in statuses.values()
    return checker, report


def test_sarif_suppressions_say_where_each_waiver_lives(waived, repo):
    checker, report = waived
    log = json.loads(formatters.get("sarif")(report, root=repo, rules=checker.selected_rules))
    assert schema_errors(log) == []
    results = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    manifest = results["eu.gpsr.responsible-economic-operator"]["suppressions"][0]
    assert (manifest["kind"], manifest["justification"]) == ("inSource", "Operator being appointed (OPS-9)")
    assert manifest["location"]["physicalLocation"]["artifactLocation"]["uri"] == "products/out.yaml"
    central = results["eu.ce.toy-safety"]["suppressions"][0]
    assert (central["kind"], central["justification"]) == ("external", "samples only")
    assert central["location"]["physicalLocation"]["artifactLocation"]["uri"] == "waivers.yaml"
    assert all("suppressions" not in r for r in results.values() if r["properties"]["status"] == "fail")


def test_junit_csv_markdown_and_github_show_the_waivers(waived, repo):
    _, report = waived
    cases = {c.get("name"): c for c in ET.fromstring(formatters.get("junit")(report, root=repo)).iter("testcase")}
    assert cases["eu.ce.toy-safety"].find("skipped").get("message") == "waived: samples only"
    assert cases["eu.gpsr.responsible-economic-operator"].find("skipped").get("message") == \
        "waived: Operator being appointed (OPS-9) (owner qa, expires 2026-12-31)"
    rows = {r["rule"]: r for r in csv.DictReader(io.StringIO(formatters.get("csv")(report, root=repo), newline=""))}
    assert (rows["eu.ce.toy-safety"]["status"], rows["eu.ce.toy-safety"]["waiver_reason"]) == ("waived", "samples only")
    md = tables(formatters.get("markdown")(report, root=repo))
    assert {(r["Rule"], r["Reason"]) for r in md["Waived findings"]} >= {
        ("eu.ce.toy-safety", "samples only"), ("eu.gpsr.responsible-economic-operator", "Operator being appointed (OPS-9)")}
    annotated = {a.get("title") for a in parse_commands(formatters.get("github")(report, root=repo))}
    assert "eu.ce.toy-safety" not in annotated and "eu.epr.fr-triman-infotri" in annotated
    assert "samples only" in formatters.get("text")(report, root=repo)


def test_upcoming_duties_in_text_markdown_and_csv(repo):
    write(repo / "products" / "out.yaml", PRODUCT)
    report = Checker(as_of="2024-12-01").check_paths([repo / "products"], horizon=30)
    upcoming = [f for f in report.upcoming if f.status == "fail"]
    assert any(f.rule.startswith("eu.gpsr.") and f.applies_from == "2024-12-13" for f in upcoming)
    text = formatters.get("text")(report, root=repo)
    assert any(line.split()[:3] == ["UPCOMING", "2024-12-13", f.rule] for f in upcoming for line in text.splitlines())
    md = tables(formatters.get("markdown")(report, root=repo))["Upcoming within 30 days"]
    assert sorted((r["Applies from"], r["Rule"]) for r in md) == sorted((f.applies_from, f.rule) for f in upcoming)
    rows = list(csv.DictReader(io.StringIO(formatters.get("csv")(report, root=repo), newline="")))
    assert sorted((r["applies_from"], r["rule"]) for r in rows if r["applies_from"] and r["status"] == "fail") == \
        sorted((f.applies_from, f.rule) for f in upcoming)
