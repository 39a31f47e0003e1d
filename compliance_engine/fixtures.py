"""Pack fixtures: manifests that state which rules they must fail, pass or not trigger (``x-expect``).

Used by the generic fixture test (every fixture of every pack) and by pack authors.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .checker import Checker
from .loading import load_manifests
from .units import build_units


@dataclass
class FixtureResult:
    file: str
    expected_outcome: str  # "pass" or "fail" (the folder it lives in)
    problems: list[str] = field(default_factory=list)
    passed_rules: set[str] = field(default_factory=set)
    failed_rules: set[str] = field(default_factory=set)


def fixture_files(pack_root: Path) -> list[Path]:
    """Every fixture under ``<pack_root>/fixtures/<pack>/{pass,fail}/``."""
    return sorted(p for p in pack_root.glob("fixtures/*/*/*") if p.suffix in (".yaml", ".yml", ".json") and p.parent.name in ("pass", "fail"))


def run_fixture(path: Path, checker: Checker) -> FixtureResult:
    result = FixtureResult(str(path), path.parent.name)
    loaded = load_manifests([path])
    if loaded.problems:
        result.problems += [f"input error: {p}" for p in loaded.problems]
        return result
    products = [m for m in loaded.manifests if m.kind == "Product"]
    expects = [m.expect for m in products if m.expect]
    if len(expects) != 1:
        result.problems.append("a fixture needs exactly one Product with an x-expect mapping")
        return result
    expect = expects[0]
    units, problems = build_units(loaded.manifests)
    if problems:
        result.problems += [f"input error: {p}" for p in problems]
        return result
    market = expect.get("market")
    marketplace = expect.get("marketplace")
    matching = [u for u in units if u.market == market and u.marketplace == marketplace]
    if len(matching) != 1:
        result.problems.append(f"x-expect names market {market} / marketplace {marketplace}, "
                               f"but the fixture has {len(matching)} such check units "
                               f"(units: {', '.join(f'{u.market}/{u.marketplace}' for u in units)})")
        return result
    as_of = expect.get("as_of") or checker.as_of
    if isinstance(as_of, str):
        as_of = dt.date.fromisoformat(as_of)
    findings = {f.rule: f for f in checker.check_unit(matching[0], as_of)}
    for status, seen in (("fail", result.failed_rules), ("pass", result.passed_rules)):
        for rule in expect.get(status) or []:
            f = findings.get(rule)
            if f is None or f.status != status:
                result.problems.append(f"{rule}: expected {status}, got {f.status if f else 'no finding'}"
                                       + (f" ({f.message})" if f else ""))
            else:
                seen.add(rule)
    for rule in expect.get("absent") or []:
        if rule in findings:
            result.problems.append(f"{rule}: expected no finding, got {findings[rule].status}")
    for rule in list(expect.get("fail") or []) + list(expect.get("pass") or []) + list(expect.get("absent") or []):
        if rule not in checker.rules:
            result.problems.append(f"{rule}: no such rule in the loaded packs")
    if result.expected_outcome == "fail" and not expect.get("fail"):
        result.problems.append("a fixture in fail/ must name at least one rule it fails")
    if result.expected_outcome == "pass" and not (expect.get("pass") or expect.get("absent")):
        result.problems.append("a fixture in pass/ must name at least one rule it passes or does not trigger")
    if result.expected_outcome == "pass" and expect.get("fail"):
        result.problems.append("a fixture in pass/ must not expect failures (move it to fail/)")
    return result
