"""Waivers: a product's `waivers:` list and a central waivers file, with reason, expiry, owner and non-waivable rules."""

from __future__ import annotations

import pytest

from compliance_engine import Checker
from compliance_engine.errors import InputError
from tests.conftest import AS_OF, pack_yaml, rule_yaml, write

PACK = pack_yaml("eu.t", rule_yaml("eu.t.doc", requires="[{document: {type: eu-declaration-of-conformity}}]")
                 + rule_yaml("eu.t.report", requires="[{document: {type: test-report}}]")
                 + rule_yaml("eu.t.hard", requires="[{document: {type: technical-documentation}}]",
                             extra="    waivable: false"))

PRODUCT = """\
kind: Product
sku: W-1
category: electronics
markets: [DE, FR]
{waivers}
"""


def _repo(tmp_path, waivers: str = "", central: str | None = None):
    write(tmp_path / "packs" / "t.yaml", PACK)
    write(tmp_path / "products" / "w1.yaml", PRODUCT.format(waivers=waivers))
    if central is not None:
        write(tmp_path / "waivers.yaml", central)
    return tmp_path


def _checker(tmp_path, **kw):
    return Checker(rulepacks=[tmp_path / "packs"], include_builtin=False, as_of=kw.pop("as_of", AS_OF), **kw)


def _findings(report, market="DE"):
    (r,) = [r for r in report.results if r.market == market]
    return {f.rule: f for f in r.findings}


def test_a_manifest_waiver_waives_the_failing_finding_with_its_reason_and_owner(tmp_path):
    _repo(tmp_path, "waivers:\n  - rule: eu.t.doc\n    market: DE\n    reason: DoC being reissued by the lab\n"
                    "    owner: qa@brand.example\n    expires: 2026-12-31\n")
    report = _checker(tmp_path).check_paths([tmp_path / "products"])
    de, fr = _findings(report, "DE"), _findings(report, "FR")
    assert de["eu.t.doc"].status == "waived"
    assert de["eu.t.doc"].waiver == {"reason": "DoC being reissued by the lab", "owner": "qa@brand.example",
                                     "expires": "2026-12-31", "source": "manifest",
                                     "file": de["eu.t.doc"].location["file"], "line": 6}
    assert fr["eu.t.doc"].status == "fail"  # the waiver names DE only
    assert de["eu.t.report"].status == "fail"
    s = report.summary()
    assert (s["waived"], s["failed"]) == (1, 5)
    assert report.to_dict()["results"][0]["findings"][0]["waiver"]["reason"] == "DoC being reissued by the lab"


def test_a_central_waiver_file_matches_sku_and_rule_globs(tmp_path):
    _repo(tmp_path, central="waivers:\n  - sku: W-*\n    rule: eu.t.*\n    reason: pre-launch samples, not for sale\n")
    report = _checker(tmp_path, waivers=tmp_path / "waivers.yaml").check_paths([tmp_path / "products"])
    for market in ("DE", "FR"):
        f = _findings(report, market)
        assert f["eu.t.doc"].status == f["eu.t.report"].status == "waived"
        assert f["eu.t.doc"].waiver["source"] == "central"
    assert report.summary()["failed"] == 2  # only the non-waivable rule, in both markets


def test_an_expired_waiver_stops_waiving_and_says_so(tmp_path):
    _repo(tmp_path, "waivers:\n  - rule: eu.t.doc\n    reason: lab delay\n    expires: 2026-11-23\n")
    report = _checker(tmp_path).check_paths([tmp_path / "products"])
    f = _findings(report)["eu.t.doc"]
    assert f.status == "fail"
    assert f.waiver["expired"] is True
    assert any("expired on 2026-11-23" in w["message"] and w["line"] == 6 for w in report.warnings)
    assert report.exit_code() == 1
    # expires is inclusive: on that day the waiver still holds
    same_day = _checker(tmp_path, as_of="2026-11-23").check_paths([tmp_path / "products"])
    assert _findings(same_day)["eu.t.doc"].status == "waived"


def test_a_renewed_waiver_beats_an_expired_one(tmp_path):
    _repo(tmp_path, "waivers:\n  - rule: eu.t.doc\n    reason: old\n    expires: 2026-01-01\n"
                    "  - rule: eu.t.doc\n    reason: renewed\n    expires: 2027-01-01\n")
    f = _findings(_checker(tmp_path).check_paths([tmp_path / "products"]))["eu.t.doc"]
    assert (f.status, f.waiver["reason"]) == ("waived", "renewed")


def test_a_rule_marked_not_waivable_cannot_be_waived(tmp_path):
    _repo(tmp_path, "waivers:\n  - rule: eu.t.hard\n    reason: please\n")
    report = _checker(tmp_path).check_paths([tmp_path / "products"])
    f = _findings(report)["eu.t.hard"]
    assert f.status == "fail" and f.waiver["refused"] == "rule is not waivable"
    assert any("waivable: false" in w["message"] for w in report.warnings)


def test_no_waivers_reports_as_if_none_existed(tmp_path):
    _repo(tmp_path, "waivers:\n  - rule: eu.t.*\n    reason: all of it\n",
          central="waivers:\n  - sku: '*'\n    rule: '*'\n    reason: everything\n")
    audit = _checker(tmp_path, waivers=tmp_path / "waivers.yaml", use_waivers=False).check_paths([tmp_path / "products"])
    plain_repo = _repo(tmp_path / "plain")
    plain = _checker(plain_repo).check_paths([plain_repo / "products"])
    assert audit.summary() == plain.summary() and audit.summary()["failed"] == 6
    assert all(f.waiver is None for f in audit.findings)
    assert [(f.rule, f.status, f.message) for f in audit.findings] == [(f.rule, f.status, f.message) for f in plain.findings]
    assert audit.warnings == []


def test_a_waiver_for_an_unknown_rule_is_reported(tmp_path):
    _repo(tmp_path, "waivers:\n  - rule: eu.t.dco\n    reason: typo\n")
    report = _checker(tmp_path).check_paths([tmp_path / "products"])
    (w,) = [w for w in report.warnings if "matches no loaded rule" in w["message"]]
    assert "did you mean 'eu.t.doc'" in w["message"] and w["line"] == 6


@pytest.mark.parametrize("entry, line, words", [
    ("  - rule: eu.t.doc\n", 6, "reason: required field is missing"),
    ("  - rule: eu.t.doc\n    reason: ''\n", 7, "reason"),
    ("  - rule: eu.t.doc\n    reason: ok\n    expires: next week\n", 8, "expires"),
    ("  - rule: eu.t.doc\n    reason: ok\n    ownr: me\n", 8, "unknown key 'ownr'"),
])
def test_a_manifest_waiver_without_a_reason_or_with_bad_fields_is_an_input_error(tmp_path, entry, line, words):
    _repo(tmp_path, "waivers:\n" + entry)
    report = _checker(tmp_path).check_paths([tmp_path / "products"])
    (e,) = report.errors
    assert e["line"] == line and words in e["message"], e
    assert report.exit_code() == 2


@pytest.mark.parametrize("text, line, words", [
    ("waivers:\n  - rule: eu.t.doc\n    reason: no sku\n", 2, "sku: required field is missing"),
    ("waivers:\n  - sku: W-1\n    rule: eu.t.doc\n", 2, "reason: required field is missing"),
    ("waivers:\n  - sku: W-1\n    rule: eu.t.doc\n    reason: x\n    expires: 2026-02-30\n", 5, "expires"),
    ("waiver:\n  - sku: W-1\n", 1, "unknown key 'waiver'"),
    ("waivers: [\n", 1, ""),  # an error at the end of the text names its last line
    ("waivers: !!python/object:os.system {}\n", 1, "tag"),
])
def test_a_bad_central_waivers_file_is_an_input_error_with_its_line(tmp_path, text, line, words):
    _repo(tmp_path, central=text)
    with pytest.raises(InputError) as exc:
        _checker(tmp_path, waivers=tmp_path / "waivers.yaml")
    problems = exc.value.problems
    assert all(p.file.endswith("waivers.yaml") for p in problems)
    assert any(p.line == line and words in p.message for p in problems), problems
