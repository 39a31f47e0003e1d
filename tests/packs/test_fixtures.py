"""The generic fixture walk: every fixture of every shipped pack behaves as its x-expect says,
and every shipped rule has at least one passing and one failing fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance_engine import Checker
from compliance_engine.fixtures import fixture_files, run_fixture
from compliance_engine.packs.loader import builtin_packs_dir

REGIONS = sorted(p for p in builtin_packs_dir().iterdir() if p.is_dir())
FIXTURES = [f for region in REGIONS for f in fixture_files(region)]


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(as_of="2026-11-24")


def _id(p: Path) -> str:
    return "/".join(p.parts[-4:])


@pytest.mark.parametrize("fixture", FIXTURES, ids=_id)
def test_fixture_behaves_as_expected(fixture, checker):
    result = run_fixture(fixture, checker)
    assert not result.problems, "\n".join(result.problems)


def test_every_rule_has_a_passing_and_a_failing_fixture(checker):
    assert FIXTURES, "no fixtures found"
    passed: set[str] = set()
    failed: set[str] = set()
    for f in FIXTURES:
        r = run_fixture(f, checker)
        passed |= r.passed_rules
        failed |= r.failed_rules
    rules = set(checker.rules)
    missing = sorted(f"{rid}: no {'passing' if rid not in passed else ''}{' and no ' if rid not in passed and rid not in failed else ''}{'failing' if rid not in failed else ''} fixture"
                     for rid in rules if rid not in passed or rid not in failed)
    assert not missing, "\n".join(missing)
