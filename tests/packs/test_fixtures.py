"""The generic fixture walk: every fixture of every shipped pack behaves as its x-expect says,
and every shipped rule has at least one passing and one failing fixture.

Same code path as `compliance-engine packs test rulepacks/` (compliance_engine.fixtures.load_fixture_suite),
run once per module; the per-fixture tests read its results."""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance_engine.fixtures import FixtureRun, FixtureSuite, load_fixture_suite, pack_fixture_files
from compliance_engine.packs.loader import builtin_packs_dir
from tests.conftest import AS_OF

FIXTURES, STRAY = pack_fixture_files([builtin_packs_dir()])


@pytest.fixture(scope="module")
def suite() -> FixtureSuite:
    return load_fixture_suite([builtin_packs_dir()], as_of=AS_OF)


@pytest.fixture(scope="module")
def fixture_run(suite) -> FixtureRun:
    return suite.run()


def _id(p: Path) -> str:
    return "/".join(p.parts[-4:])


@pytest.mark.parametrize("fixture", FIXTURES, ids=_id)
def test_fixture_behaves_as_expected(fixture, suite, fixture_run):
    unreadable = [str(p) for p in suite.problems if Path(p.file).resolve() == fixture.resolve()]
    assert not unreadable, "\n".join(unreadable)
    result = fixture_run.result_for(fixture)
    assert result is not None, f"{fixture} was not run"
    assert result.ok, "\n".join(f"{result.file}:{p.line}: {p.message}" for p in result.problems)


def test_every_fixture_file_is_in_a_pass_or_fail_folder():
    assert FIXTURES, "no fixtures found"
    assert not STRAY, "\n".join(map(str, STRAY))


def test_every_rule_has_a_passing_and_a_failing_fixture(fixture_run):
    coverage = fixture_run.coverage
    assert len(coverage.rules) == len({r.id for p in fixture_run.packs for r in p.rules}) > 0
    missing = [f"{rule}: no passing fixture" for rule in coverage.without_pass]
    missing += [f"{rule}: no failing fixture" for rule in coverage.without_fail]
    assert not missing, "\n".join(missing)
