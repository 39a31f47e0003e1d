"""check --horizon: rules that come into force (or escalate) within the horizon are reported as `upcoming`."""

from __future__ import annotations

from compliance_engine import Checker
from tests.conftest import AS_OF, pack_yaml, rule_yaml, write

FUTURE = """\
  - id: eu.t.future
    title: A duty that starts in January
    severity: error
    legal_basis: Test basis
    references: ['https://example.org/law']
    effective: {from: 2027-01-15}
    requires: [{document: {type: test-report}}]
  - id: eu.t.far
    title: A duty that starts in 2028
    severity: error
    legal_basis: Test basis
    references: ['https://example.org/law']
    effective: {from: 2028-06-01}
    requires: [{document: {type: test-report}}]
"""
PACK = pack_yaml("eu.t", rule_yaml("eu.t.now", requires="[{document: {type: eu-declaration-of-conformity}}]")
                 + rule_yaml("eu.t.escalating", requires="[{document: {type: technical-documentation}}]", severity="warning",
                             extra="    escalates: {from: 2027-02-01, to: error}")
                 + FUTURE)


def _report(tmp_path, horizon, as_of=AS_OF):
    write(tmp_path / "packs" / "t.yaml", PACK)
    write(tmp_path / "p.yaml", "kind: Product\nsku: H-1\ncategory: electronics\nmarkets: [DE]\n")
    c = Checker(rulepacks=[tmp_path / "packs"], include_builtin=False, as_of=as_of)
    return c.check_paths([tmp_path / "p.yaml"], horizon=horizon)


def test_rules_starting_within_the_horizon_are_upcoming_with_their_date(tmp_path):
    report = _report(tmp_path, 90)
    (r,) = report.results
    assert [f.rule for f in r.findings] == ["eu.t.escalating", "eu.t.now"]
    up = {f.rule: f for f in r.upcoming}
    assert set(up) == {"eu.t.future", "eu.t.escalating"}  # eu.t.far starts after the horizon
    assert (up["eu.t.future"].status, up["eu.t.future"].applies_from) == ("fail", "2027-01-15")
    assert (up["eu.t.escalating"].severity, up["eu.t.escalating"].applies_from) == ("error", "2027-02-01")
    d = report.to_dict()
    assert d["horizon_days"] == 90 and d["summary"]["upcoming"] == 2
    assert d["results"][0]["upcoming"][0]["applies_from"] == "2027-01-15"


def test_upcoming_findings_never_fail_the_run(tmp_path):
    write(tmp_path / "packs" / "t.yaml", PACK)
    report = _report(tmp_path, 3650)
    assert report.summary()["failed"] == 2  # only the rules in force today
    assert report.exit_code("warning") == 1 and report.exit_code("never") == 0
    only_future = _report(tmp_path, 3650)
    only_future.results[0].findings = []
    assert only_future.exit_code("info") == 0 and len(only_future.upcoming) == 3


def test_the_horizon_is_inclusive_and_zero_means_none(tmp_path):
    assert [f.rule for f in _report(tmp_path, 52).upcoming] == ["eu.t.future"]  # 2026-11-24 + 52 days = 2027-01-15
    assert _report(tmp_path, 51).upcoming == []
    assert _report(tmp_path, 0).to_dict()["summary"]["upcoming"] == 0


def test_without_a_horizon_the_report_is_unchanged(tmp_path):
    d = _report(tmp_path, None).to_dict()
    assert "upcoming" not in d["results"][0] and "upcoming" not in d["summary"] and "horizon_days" not in d
