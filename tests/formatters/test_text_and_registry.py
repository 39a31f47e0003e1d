"""The text report shows waivers, upcoming duties and pack versions; every registered format takes the same
options, is deterministic and names each failing finding's file and line."""

from __future__ import annotations

import json

import pytest

from compliance_engine import formatters
from compliance_engine.formatters import text
from tests.conftest import ROOT
from tests.formatters.conftest import make_report


def test_text_shows_waiver_reasons_expired_waivers_and_upcoming_duties(made_report, repo):
    out = text.render(made_report, root=repo)
    lines = out.splitlines()
    waived = lines.index(next(line for line in lines if "waived" in line and "eu.gpsr.warnings-language" in line))
    assert f"{repo}/products/speaker.yaml:60" in lines[waived]
    assert "waived: Label reprint ordered | ticket OPS-412 (owner qa@brand.example, expires 2026-12-31)" in out
    assert "waived: Samples only, not for sale" in out
    assert f"waiver expired 2026-01-31: old exemption ({repo}/waivers.yaml:2)" in " ".join(out.split())
    upcoming = next(line for line in lines if "UPCOMING" in line)
    assert upcoming.split() == ["UPCOMING", "2026-12-13", "eu.gpsr.new-duty", f"{repo}/products/speaker.yaml:12"]
    assert "1 upcoming already met: eu.gpsr.other-duty (2026-12-20)" in out


def test_text_lists_pack_versions_before_the_summary_line(made_report, repo):
    lines = text.render(made_report, root=repo).splitlines()
    assert lines[-3] == "packs: eu.gpsr 2025.1, eu.reach 2026.1, us.cpsc 2026.2"
    assert lines[-1] == ("2 check units, 6 findings: 1 passed, 3 failed (1 error, 1 warning, 1 info), 2 waived, "
                         "1 upcoming within 30 days, 1 input error; as of 2026-11-24")


def test_text_wraps_pack_versions_between_packs(real_report):
    out = text.render(real_report)
    block = out.split("\npacks: ", 1)[1].split("\n\n", 1)[0]
    lines = ("packs: " + block).splitlines()
    assert len(lines) > 1 and all(len(line) <= 110 for line in lines)
    items = " ".join(line.strip() for line in lines)[len("packs: "):].split(", ")
    assert items == [f"{p['id']} {p['version']}" for p in real_report.packs]


def test_the_registry_has_every_format_and_refuses_others():
    assert formatters.FORMATS == ("text", "json", "jsonl", "sarif", "junit", "github", "markdown", "csv")
    with pytest.raises(ValueError, match="unknown format 'pdf'"):
        formatters.get("pdf")


@pytest.mark.parametrize("name", formatters.FORMATS)
def test_every_format_takes_the_command_line_options_and_is_deterministic(name, repo, real_checker):
    render = formatters.get(name)
    options = dict(color=False, verbose=False, quiet=False, rules=real_checker.selected_rules, root=repo)
    first = render(make_report(repo), **options)
    assert isinstance(first, str) and first.endswith("\n")
    assert render(make_report(repo), **options) == first


LOCATION_SHOWN = {  # how each format writes "this file, this line"
    "text": "{file}:{line}", "markdown": "{file}:{line}", "csv": "{file},{line},",
    "junit": 'file="{file}" line="{line}"', "github": "file={file},line={line},",
}


@pytest.mark.parametrize("name", formatters.FORMATS)
def test_every_format_names_the_file_and_line_of_each_failing_finding(name, repo):
    out = formatters.get(name)(make_report(repo), root=repo)
    expected = [("products/speaker.yaml", 41), ("products/speaker.yaml", 70), ("products/toy.yaml", 3)]
    if name in ("json", "jsonl", "sarif"):
        data = json.loads(out) if name != "jsonl" else \
            {"results": [r for r in map(json.loads, out.splitlines()) if r["type"] == "result"]}
        if name in ("json", "jsonl"):
            shown = [(f["location"]["file"].replace(f"{repo}/", ""), f["location"]["line"])
                     for r in data["results"] for f in r["findings"]]
        else:
            shown = [(loc["physicalLocation"]["artifactLocation"]["uri"], loc["physicalLocation"]["region"]["startLine"])
                     for res in data["runs"][0]["results"] for loc in res["locations"]]
        assert set(expected) <= set(shown)
    else:
        relative = out.replace(f"{repo}/", "")
        for file, line in expected:
            assert LOCATION_SHOWN[name].format(file=file, line=line) in relative, (file, line)
    assert "Label reprint ordered" in out  # the waived finding's reason, in every format


def test_root_defaults_to_the_repository_of_the_working_directory(repo, monkeypatch):
    monkeypatch.chdir(repo)
    assert "products/speaker.yaml,41," in formatters.get("csv")(make_report(repo))
    monkeypatch.chdir(ROOT)
    assert f"{repo}/products/speaker.yaml,41," in formatters.get("csv")(make_report(repo))  # outside: absolute


@pytest.mark.parametrize("name", formatters.FORMATS)
def test_every_format_shows_the_pack_versions(name, repo):
    out = formatters.get(name)(make_report(repo), root=repo)
    for pack, version in (("eu.gpsr", "2025.1"), ("eu.reach", "2026.1"), ("us.cpsc", "2026.2")):
        assert pack in out and version in out, (pack, version)
