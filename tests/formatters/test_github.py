"""GitHub workflow commands: annotations the runner can parse back to file, line, title and message; most severe
first; waivers kept out of annotations but listed; the job summary appended, not overwritten."""

from __future__ import annotations

import pytest

from compliance_engine.formatters import github, markdown
from compliance_engine.formatters.common import document_text
from tests.conftest import ROOT
from tests.formatters.readers import parse_commands


@pytest.fixture(scope="module")
def real_annotations(real_report):
    return parse_commands(github.render(real_report, root=ROOT))


def test_one_annotation_per_failing_finding_at_its_file_and_line(real_annotations, real_report):
    failing = [(r, f) for r in real_report.results for f in r.findings if f.status == "fail"]
    assert len(real_annotations) == len(failing) > 0
    expected = {("notice" if f.severity == "info" else f.severity, f.location["file"].replace(str(ROOT) + "/", ""),
                 str(f.location["line"]), f.rule) for r, f in failing}
    assert {(a["name"], a["file"], a["line"], a["title"]) for a in real_annotations} == expected
    for a in real_annotations:
        assert (ROOT / a["file"]).is_file()


def test_most_severe_first_then_by_file_and_line(real_annotations):
    rank = {"error": 0, "warning": 1, "notice": 2}
    keys = [(rank[a["name"]], a["file"], int(a["line"]), a["title"]) for a in real_annotations]
    assert keys == sorted(keys)


def test_messages_carry_the_unit_and_what_is_missing(real_annotations, real_report):
    by_key = {(a["title"], a["file"], a["line"], a["message"].split(":", 1)[0]): a for a in real_annotations}
    assert len(by_key) == len(real_annotations)
    for r in real_report.results:
        unit = " · ".join(filter(None, [r.sku, r.market, r.marketplace]))
        for f in r.findings:
            if f.status == "fail":
                a = by_key[(f.rule, f.location["file"].replace(str(ROOT) + "/", ""), str(f.location["line"]), unit)]
                assert f.message in a["message"]
                for d in f.missing_documents:
                    assert f"needs {document_text(d)}" in a["message"]


def test_escaping_round_trips_and_keeps_one_command_per_line(made_report, repo):
    made_report.results[0].findings[0].location["file"] = str(repo / "products" / "a,b:c%.yaml")
    output = github.render(made_report, root=repo)
    listing = next(a for a in parse_commands(output) if a.get("title") == "eu.gpsr.listing-information")
    assert listing["file"] == "products/a,b:c%.yaml"
    assert "Pipe | in text,\nsecond line: 100 % sure" in listing["message"]
    assert "\nneeds registration epr-packaging (for DE)" in listing["message"]
    assert all(line.startswith("::") or not line.startswith(":") for line in output.splitlines())
    assert github.escape_property("a,b:c%\r\n") == "a%2Cb%3Ac%25%0D%0A"
    assert github.escape_data("a,b:c%\r\n") == "a,b:c%25%0D%0A"


def test_input_errors_first_waivers_out_of_annotations_but_listed(made_report, repo):
    output = github.render(made_report, root=repo)
    annotations = parse_commands(output)
    assert annotations[0] == {"name": "error", "file": "products/broken.yaml", "line": "7", "title": "input error",
                              "message": "category: 'electronic' is not a known category, did you mean 'electronics'?"}
    assert [a.get("title") for a in annotations] == [
        "input error", "eu.gpsr.listing-information", "eu.reach.svhc", "us.cpsc.tracking-label", "compliance-engine warning"]
    assert [a["name"] for a in annotations] == ["error", "error", "warning", "notice", "warning"]
    assert "waiver expired: old exemption" in annotations[2]["message"]
    group = output.split("::group::Waived findings (2)\n", 1)[1].split("::endgroup::", 1)[0]
    assert "eu.gpsr.warnings-language X1-SPK · DE · amazon products/speaker.yaml:60: Label reprint ordered" in group
    assert "us.cpsc.cpc +49-TOY · US products/toy.yaml:20: Samples only, not for sale" in group
    packs = output.split("::group::Rule packs (3)\n", 1)[1].split("::endgroup::", 1)[0]
    assert packs.splitlines() == ["eu.gpsr 2025.1", "eu.reach 2026.1", "us.cpsc 2026.2"]
    assert output.splitlines()[-1].startswith("compliance-engine: 2 check units")


def test_step_summary_is_appended_markdown(made_report, repo, tmp_path):
    summary = tmp_path / "summary.md"
    summary.write_text("## Earlier step\nno newline at the end", encoding="utf-8")
    github.write_step_summary(made_report, summary, root=repo)
    text = summary.read_text(encoding="utf-8")
    assert text == "## Earlier step\nno newline at the end\n" + markdown.render(made_report, root=repo)
    github.write_step_summary(made_report, tmp_path / "new.md", root=repo)
    assert (tmp_path / "new.md").read_text(encoding="utf-8") == markdown.render(made_report, root=repo)


def test_render_writes_nothing(made_report, repo, tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    github.render(made_report, root=repo)
    assert not summary.exists()


def test_byte_identical_for_the_same_report(real_report, real_checker):
    again = real_checker.check_paths([ROOT / "products"])
    assert github.render(real_report, root=ROOT) == github.render(again, root=ROOT)
