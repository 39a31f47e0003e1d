"""`compliance-engine packs test DIR`: a third-party pack's own fixtures run against it, like `semgrep --test`.

The shipped packs go through the same code path (compliance_engine.fixtures.load_fixture_suite) in
tests/packs/test_fixtures.py, which is why they are not run a second time here."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from compliance_engine.commands.packs_test import packs_test
from compliance_engine.version import __version__
from tests.conftest import pack_yaml, rule_yaml, write

MODEL_RULE = "x-acme.widget.model-number"
BATCH_RULE = "x-acme.widget.batch-code"

PACK = pack_yaml(
    "x-acme.widget",
    rule_yaml(MODEL_RULE, None, "[{field: {path: product.identifiers.model, exists: true}}]")
    + rule_yaml(BATCH_RULE, None, "[{field: {path: product.labelling.batch_code, equals: true}}]"),
    markets="[EU]").replace("version: '1'", "version: '1.4.2'")


def product(sku: str, model: str | None, batch_code: bool, expect: str, extra: str = "") -> str:
    lines = ["kind: Product", f"sku: {sku}", "name: Widget", "category: electronics", "markets: [DE]"]
    if model:
        lines.append(f"identifiers: {{model: {model}}}")
    lines.append(f"labelling: {{batch_code: {'true' if batch_code else 'false'}}}")
    lines += extra.splitlines()
    lines.append("x-expect:")
    lines += ["  " + line for line in expect.strip("\n").splitlines()]
    return "\n".join(lines) + "\n"


COMPLETE = product("W-OK", "W-1", True, f"market: DE\nas_of: 2026-01-15\npass: [{MODEL_RULE}, {BATCH_RULE}]")
NO_MODEL = product("W-NOMODEL", None, True, f"market: DE\nas_of: 2026-01-15\nfail: [{MODEL_RULE}]\npass: [{BATCH_RULE}]")
NO_BATCH = product("W-NOBATCH", "W-1", False, f"market: DE\nas_of: 2026-01-15\nfail: [{BATCH_RULE}]")


def make_pack(tmp_path, fixtures: dict[str, str], pack: str = PACK):
    d = tmp_path / "acme"
    write(d / "widget.yaml", pack)
    for rel, text in fixtures.items():
        write(d / "fixtures" / "widget" / rel, text)
    return d


def good_pack(tmp_path):
    return make_pack(tmp_path, {"pass/complete.yaml": COMPLETE, "fail/no-model.yaml": NO_MODEL, "fail/no-batch.yaml": NO_BATCH})


def run(*args):
    return CliRunner().invoke(packs_test, [str(a) for a in args])


def test_all_fixtures_ok_and_every_rule_covered_exits_0(tmp_path):
    d = good_pack(tmp_path)
    result = run(d)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("pack x-acme.widget 1.4.2 (2 rules)")
    assert [line.split()[0] for line in lines[1:4]] == ["ok", "ok", "ok"]
    assert lines[1:4] == sorted(lines[1:4], key=lambda s: s.split()[1])  # fixtures in path order
    assert lines[-1] == "3 fixtures: 3 ok, 0 failed; rules covered: pass 2/2, fail 2/2"
    assert result.stderr == ""


def test_json_report_lists_pack_versions_fixtures_and_coverage_and_is_deterministic(tmp_path):
    d = good_pack(tmp_path)
    first, second = run(d, "--format", "json"), run(d, "--format", "json")
    assert first.exit_code == 0 and first.stdout == second.stdout
    report = json.loads(first.stdout)
    assert report["packs"] == [{"id": "x-acme.widget", "version": "1.4.2"}]
    assert report["tool"]["version"] == __version__
    by_name = {f["file"].rsplit("/", 1)[-1]: f for f in report["fixtures"]}
    assert by_name["no-model.yaml"] == {"file": by_name["no-model.yaml"]["file"], "expected": "fail", "as_of": "2026-01-15",
                                        "ok": True, "problems": []}
    assert report["coverage"] == {"rules": 2, "pass": 2, "fail": 2, "without_pass": [], "without_fail": []}
    assert report["summary"]["fixtures"] == 3 and report["summary"]["failed"] == 0


def test_fixture_whose_expectation_is_wrong_exits_1_naming_rule_and_line(tmp_path):
    wrong = product("W-WRONG", "W-1", True, f"market: DE\nas_of: 2026-01-15\nfail: [{MODEL_RULE}]")
    d = make_pack(tmp_path, {"pass/complete.yaml": COMPLETE, "fail/no-model.yaml": NO_MODEL,
                             "fail/no-batch.yaml": NO_BATCH, "fail/wrong.yaml": wrong})
    result = run(d)
    assert result.exit_code == 1, result.output
    out = result.stdout.splitlines()
    i = next(n for n, line in enumerate(out) if line.startswith("FAIL"))
    assert out[i].endswith("fixtures/widget/fail/wrong.yaml")
    fail_line = wrong.splitlines().index(f"  fail: [{MODEL_RULE}]") + 1
    assert out[i + 1].strip().startswith(f"line {fail_line}: {MODEL_RULE}: expected fail, got pass")
    assert out[-1] == "4 fixtures: 3 ok, 1 failed; rules covered: pass 2/2, fail 2/2"
    assert json.loads(run(d, "--format", "json").stdout)["summary"]["failed"] == 1


def test_expected_rule_that_does_not_exist_fails_with_a_suggestion(tmp_path):
    typo = product("W-TYPO", "W-1", True, "market: DE\nas_of: 2026-01-15\npass: [x-acme.widget.model-numbr]")
    d = make_pack(tmp_path, {"pass/complete.yaml": COMPLETE, "pass/typo.yaml": typo, "fail/no-model.yaml": NO_MODEL,
                             "fail/no-batch.yaml": NO_BATCH})
    result = run(d)
    assert result.exit_code == 1
    assert f"x-acme.widget.model-numbr: no such rule in the loaded packs (did you mean {MODEL_RULE}?)" in result.stdout


def test_rule_without_a_failing_fixture_exits_1_unless_allowed(tmp_path):
    d = make_pack(tmp_path, {"pass/complete.yaml": COMPLETE, "fail/no-model.yaml": NO_MODEL})
    result = run(d)
    assert result.exit_code == 1, result.output
    assert "rules without a failing fixture (1):\n       " + BATCH_RULE in result.stdout
    assert "rules without a passing fixture" not in result.stdout
    assert result.stdout.splitlines()[-1] == "2 fixtures: 2 ok, 0 failed; rules covered: pass 2/2, fail 1/2"
    allowed = run(d, "--allow-missing")
    assert allowed.exit_code == 0 and BATCH_RULE in allowed.stdout


def test_fixture_without_as_of_runs_on_the_as_of_option(tmp_path):
    late_pack = PACK.replace("effective: {from: 2020-01-01}", "effective: {from: 2026-01-01}")
    undated = product("W-UNDATED", None, False, f"market: DE\nfail: [{MODEL_RULE}, {BATCH_RULE}]")
    d = make_pack(tmp_path, {"pass/complete.yaml": COMPLETE, "fail/undated.yaml": undated}, pack=late_pack)
    assert run(d, "--as-of", "2026-03-01").exit_code == 0
    before = run(d, "--as-of", "2025-06-01")
    assert before.exit_code == 1
    assert f"{MODEL_RULE}: expected fail, got no finding (the rule does not apply to this unit on 2025-06-01)" in before.stdout


def test_invalid_fixture_manifest_exits_2_with_file_and_line_and_prints_nothing(tmp_path):
    broken = COMPLETE.replace("markets: [DE]", "markets: [DE\nsku2: [")
    d = make_pack(tmp_path, {"pass/complete.yaml": broken, "fail/no-model.yaml": NO_MODEL, "fail/no-batch.yaml": NO_BATCH})
    result = run(d)
    assert result.exit_code == 2
    assert result.stdout == ""
    [message] = result.stderr.splitlines()
    assert message.startswith("compliance-engine: ") and "fixtures/widget/pass/complete.yaml:" in message
    line = message.split("complete.yaml:", 1)[1].split(":", 1)[0]
    assert line.isdigit() and int(line) >= 5


def test_invalid_x_expect_exits_2_with_the_line_of_the_key(tmp_path):
    bad = product("W-BAD", "W-1", True, f"market: DE\nas_of: 2026-01-15\npasses: [{MODEL_RULE}]")
    d = make_pack(tmp_path, {"pass/complete.yaml": bad})
    result = run(d)
    assert result.exit_code == 2 and result.stdout == ""
    line = bad.splitlines().index(f"  passes: [{MODEL_RULE}]") + 1
    assert f"complete.yaml:{line}: x-expect.passes: unknown key (did you mean 'pass'?)" in result.stderr


LISTING = "---\nkind: Listing\nproduct: W-OK\nmarketplace: amazon\nmarket: DE\n"

BAD_FIXTURES = {
    "unknown manifest field": ("pass/a.yaml", COMPLETE.replace("name: Widget", "name: Widget\ncolour: red"), "colour: red",
                               "colour"),
    "no x-expect": ("pass/a.yaml", COMPLETE.split("x-expect:")[0], "kind: Product",
                    "a fixture needs exactly one Product with an x-expect mapping (found 0)"),
    "x-expect on the listing": ("pass/a.yaml", COMPLETE + LISTING + "x-expect: {market: DE}\n", "x-expect: {market: DE}",
                                "x-expect belongs on the Product, not on a Listing"),
    "failure expected in pass/": ("pass/a.yaml", NO_BATCH, f"  fail: [{BATCH_RULE}]",
                                  "a fixture in pass/ must not expect failures (move it to fail/)"),
    "nothing to fail in fail/": ("fail/a.yaml", COMPLETE, "x-expect:", "a fixture in fail/ must name at least one rule in x-expect.fail"),
    "rule in two lists": ("fail/a.yaml", NO_MODEL.replace(f"pass: [{BATCH_RULE}]", f"pass: [{MODEL_RULE}]"), f"  pass: [{MODEL_RULE}]",
                          f"x-expect.pass: {MODEL_RULE} is also listed under fail"),
    "as_of not a date": ("pass/a.yaml", COMPLETE.replace("as_of: 2026-01-15", "as_of: soon"), "  as_of: soon",
                         "x-expect.as_of: expected a date like 2025-06-01, got 'soon'"),
    "marketplace without a listing": ("pass/a.yaml", COMPLETE.replace("market: DE\n", "market: DE\n  marketplace: amazon\n", 1),
                                      "  market: DE", "x-expect names market DE, marketplace amazon, but the fixture has 0 such check units"),
}


@pytest.mark.parametrize("case", sorted(BAD_FIXTURES))
def test_fixture_that_cannot_run_is_an_input_error_at_its_line(tmp_path, case):
    rel, text, line_text, message = BAD_FIXTURES[case]
    d = make_pack(tmp_path, {rel: text})
    result = run(d)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    line = text.splitlines().index(line_text) + 1
    assert f"{rel}:{line}: " in result.stderr and message in result.stderr, result.stderr


def test_fixture_naming_a_market_it_does_not_have_exits_2(tmp_path):
    bad = product("W-FR", "W-1", True, f"market: FR\nas_of: 2026-01-15\npass: [{MODEL_RULE}]")
    d = make_pack(tmp_path, {"pass/fr.yaml": bad})
    result = run(d)
    assert result.exit_code == 2
    assert "x-expect names market FR without a marketplace, but the fixture has 0 such check units (it has: DE)" in result.stderr


def test_fixture_outside_pass_or_fail_folder_exits_2(tmp_path):
    d = make_pack(tmp_path, {"pass/complete.yaml": COMPLETE, "fail/no-model.yaml": NO_MODEL,
                             "fail/no-batch.yaml": NO_BATCH, "failing/typo-folder.yaml": NO_BATCH})
    result = run(d)
    assert result.exit_code == 2 and result.stdout == ""
    assert "failing/typo-folder.yaml:1: a fixture must live in fixtures/<pack-name>/pass/" in result.stderr


def test_pack_needing_a_newer_engine_exits_2_naming_both_versions(tmp_path):
    d = make_pack(tmp_path, {"pass/complete.yaml": COMPLETE},
                  pack=PACK.replace("markets: [EU]\n", "markets: [EU]\nmin_engine_version: '99.0'\n"))
    result = run(d)
    assert result.exit_code == 2 and result.stdout == ""
    line = result.stderr.strip()
    assert "widget.yaml:6:" in line
    assert f"pack x-acme.widget needs compliance-engine 99.0 or newer (this is {__version__})" in line


def test_pack_needing_exactly_this_engine_version_runs(tmp_path):
    d = make_pack(tmp_path, {"pass/complete.yaml": COMPLETE, "fail/no-model.yaml": NO_MODEL, "fail/no-batch.yaml": NO_BATCH},
                  pack=PACK.replace("markets: [EU]\n", f"markets: [EU]\nmin_engine_version: '{__version__}'\n"))
    assert run(d).exit_code == 0


def test_min_engine_version_compares_release_numbers_not_text(tmp_path, monkeypatch):
    from compliance_engine.packs import loader

    monkeypatch.setattr(loader, "__version__", "1.10")
    fixtures = {"pass/complete.yaml": COMPLETE, "fail/no-model.yaml": NO_MODEL, "fail/no-batch.yaml": NO_BATCH}
    for needed, exit_code in (("1.10.0", 0), ("1.9", 0), ("1.10.1", 2), ("2.0", 2)):
        d = make_pack(tmp_path / needed, fixtures, pack=PACK.replace("markets: [EU]\n", f"markets: [EU]\nmin_engine_version: '{needed}'\n"))
        result = run(d)
        assert result.exit_code == exit_code, (needed, result.output)
        if exit_code == 2:
            assert f"needs compliance-engine {needed} or newer (this is 1.10)" in result.stderr


def test_invalid_pack_exits_2_and_runs_no_fixture(tmp_path):
    d = make_pack(tmp_path, {"pass/complete.yaml": COMPLETE}, pack=PACK.replace("severity: error", "severity: fatal", 1))
    result = run(d)
    assert result.exit_code == 2 and result.stdout == ""
    assert "widget.yaml:" in result.stderr and "fatal" in result.stderr and MODEL_RULE in result.stderr


def test_directory_without_packs_exits_2(tmp_path):
    (tmp_path / "empty").mkdir()
    result = run(tmp_path / "empty")
    assert result.exit_code == 2 and "no rule pack files" in result.stderr


def test_with_builtin_lets_a_pack_use_shipped_facts_and_tests_only_its_own_rules(tmp_path):
    rule = "x-acme.cells.battery-label"
    pack = pack_yaml("x-acme.cells", rule_yaml(rule, "{fact: has-battery}",
                                               "[{field: {path: product.labelling.batch_code, equals: true}}]"), markets="[EU]")
    fail = product("C-FAIL", "C-1", False, f"market: DE\nas_of: 2026-01-15\nfail: [{rule}]", extra="electrical: {battery: {chemistry: lithium-ion}}")
    ok = product("C-OK", "C-1", True, f"market: DE\nas_of: 2026-01-15\npass: [{rule}]", extra="electrical: {battery: {chemistry: lithium-ion}}")
    d = tmp_path / "cells"
    write(d / "cells.yaml", pack)
    write(d / "fixtures" / "cells" / "fail" / "no-batch.yaml", fail)
    write(d / "fixtures" / "cells" / "pass" / "batch.yaml", ok)
    alone = run(d)
    assert alone.exit_code == 2 and "fact 'has-battery' is derived by no loaded pack" in alone.stderr
    result = run(d, "--with-builtin", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["packs"] == [{"id": "x-acme.cells", "version": "1"}]
    assert report["coverage"]["rules"] == 1
