"""benchmarks/cost_split.py runs on a small generated catalogue and accounts for every unit and finding (it times
nothing that a test asserts)."""

from __future__ import annotations

import re

from benchmarks.cost_split import main
from compliance_engine import Checker, load_manifests


def test_the_cost_split_counts_the_catalogues_units_and_findings(tmp_path, capsys):
    assert main(["--products", "30", "--dir", str(tmp_path), "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    checker = Checker(as_of="2026-11-24")
    report = checker.check_paths([tmp_path / "yaml-30"])
    head = re.match(r"([\d,]+) files, ([\d,]+) check units, ([\d,]+) findings", out)
    assert head, out
    files, units, findings = (int(g.replace(",", "")) for g in head.groups())
    assert files == len(load_manifests([tmp_path / "yaml-30"]).manifests)
    assert units == len(report.results) and findings == sum(len(r.findings) for r in report.results)
    for step in ("parse-only", "engine step", "durable-rules' C calls alone", "requirement checks and findings"):
        assert step in out
