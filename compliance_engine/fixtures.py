"""Pack fixtures: manifests that state which rules they must fail, pass or not trigger (``x-expect``).

A pack directory keeps its fixtures in ``fixtures/<pack-name>/pass/`` and ``fixtures/<pack-name>/fail/`` next to
the pack files. Each fixture is an ordinary manifest file whose Product carries::

    x-expect: {market: DE, marketplace: amazon, as_of: 2025-06-01, fail: [...], pass: [...], absent: [...]}

Used by ``compliance-engine packs test`` and by the generic test of the shipped packs, through the same code
path: :func:`load_fixture_suite` reads and validates the packs and the fixtures, :meth:`FixtureSuite.run`
checks every expectation and the rule coverage. Nothing here prints or exits.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from .errors import InputProblem, PackError

if TYPE_CHECKING:  # imported lazily at run time: the CLI start-up stays light
    from .checker import Checker
    from .packs.model import Pack
    from .units import CheckUnit

EXPECT_KEYS = ("market", "marketplace", "as_of", "fail", "pass", "absent")
OUTCOME_FOLDERS = ("pass", "fail")
FIXTURE_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(frozen=True)
class FixtureProblem:
    """An expectation of a fixture that did not hold, at the line of the expectation."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"

    def to_dict(self) -> dict:
        return {"line": self.line, "message": self.message}


@dataclass
class Expectation:
    """A fixture's ``x-expect`` mapping, validated."""

    market: str
    marketplace: str | None
    as_of: dt.date | None
    fail: list[str]
    passes: list[str]
    absent: list[str]
    lines: dict[str, int] = field(default_factory=dict)  # "fail[0]" -> line of that entry

    def line(self, key: str) -> int:
        return self.lines.get(key) or self.lines[""]


@dataclass
class Fixture:
    """A readable fixture: its file, the folder it lives in, its expectation and the check unit it names."""

    path: Path
    file: str
    expected_outcome: str  # "pass" or "fail": the folder it lives in
    expectation: Expectation
    unit: CheckUnit


@dataclass
class FixtureResult:
    file: str
    expected_outcome: str
    as_of: dt.date | None = None
    problems: list[FixtureProblem] = field(default_factory=list)
    passed_rules: set[str] = field(default_factory=set)
    failed_rules: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict:
        return {"file": self.file, "expected": self.expected_outcome, "as_of": self.as_of.isoformat() if self.as_of else None,
                "ok": self.ok, "problems": [p.to_dict() for p in self.problems]}


@dataclass
class Coverage:
    """Which rules of the packs under test have a fixture that passes them and one that fails them."""

    rules: list[str]
    passed: set[str]
    failed: set[str]

    @property
    def without_pass(self) -> list[str]:
        return [r for r in self.rules if r not in self.passed]

    @property
    def without_fail(self) -> list[str]:
        return [r for r in self.rules if r not in self.failed]

    @property
    def complete(self) -> bool:
        return not self.without_pass and not self.without_fail

    def to_dict(self) -> dict:
        return {"rules": len(self.rules), "pass": len(self.rules) - len(self.without_pass),
                "fail": len(self.rules) - len(self.without_fail),
                "without_pass": self.without_pass, "without_fail": self.without_fail}


@dataclass
class FixtureRun:
    packs: list[Pack]
    results: list[FixtureResult]
    coverage: Coverage
    _by_path: dict[Path, FixtureResult] | None = field(default=None, repr=False, compare=False)

    def result_for(self, path: str | os.PathLike) -> FixtureResult | None:
        if self._by_path is None:
            self._by_path = {Path(r.file).resolve(): r for r in self.results}
        return self._by_path.get(Path(path).resolve())

    def ok(self, allow_missing: bool = False) -> bool:
        return all(r.ok for r in self.results) and (allow_missing or self.coverage.complete)

    def summary(self) -> dict:
        failed = sum(not r.ok for r in self.results)
        return {"fixtures": len(self.results), "ok": len(self.results) - failed, "failed": failed,
                "rules": len(self.coverage.rules), "rules_without_pass": len(self.coverage.without_pass),
                "rules_without_fail": len(self.coverage.without_fail)}

    def to_dict(self) -> dict:
        from .version import __version__

        return {"tool": {"name": "compliance-engine", "version": __version__},
                "packs": [{"id": p.id, "version": p.version} for p in self.packs],
                "fixtures": [r.to_dict() for r in self.results],
                "coverage": self.coverage.to_dict(), "summary": self.summary()}


@dataclass
class FixtureSuite:
    """The packs under test, the checker that runs them and their fixtures, read and validated."""

    checker: Checker
    packs: list[Pack]
    fixtures: list[Fixture]
    problems: list[InputProblem]  # fixtures that cannot be run (invalid manifest or x-expect); empty when all are fine

    def run(self) -> FixtureRun:
        results = [run_fixture(f, self.checker) for f in self.fixtures]
        rules = sorted(r.id for p in self.packs for r in p.rules)
        passed = set().union(*(r.passed_rules for r in results))
        failed = set().union(*(r.failed_rules for r in results))
        return FixtureRun(list(self.packs), results, Coverage(rules, passed, failed))


# ---------------------------------------------------------------------------------------------- finding fixtures
def fixture_files(pack_root: Path) -> list[Path]:
    """Every fixture under ``<pack_root>/fixtures/<pack-name>/{pass,fail}/``."""
    return sorted(p for p in Path(pack_root).glob("fixtures/*/*/*")
                  if p.is_file() and p.suffix in FIXTURE_SUFFIXES and p.parent.name in OUTCOME_FOLDERS
                  and not p.name.startswith("."))


def pack_fixture_files(directories: Iterable[str | os.PathLike]) -> tuple[list[Path], list[InputProblem]]:
    """Every fixture of the packs in ``directories`` (each folder holding pack files has its own ``fixtures/``),
    and a problem for each manifest-like file under ``fixtures/`` that is outside a pass/ or fail/ folder,
    which would otherwise silently never run."""
    from .packs.loader import pack_files

    roots = sorted({f.parent for d in directories for f in pack_files(Path(d))})
    found: list[Path] = []
    stray: list[InputProblem] = []
    for root in roots:
        found += fixture_files(root)
        fixtures_dir = root / "fixtures"
        if not fixtures_dir.is_dir():
            continue
        for dirpath, dirs, files in os.walk(fixtures_dir):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            rel = Path(dirpath).relative_to(fixtures_dir).parts
            if len(rel) == 2 and rel[1] in OUTCOME_FOLDERS:
                continue
            for name in sorted(files):
                if name.endswith(FIXTURE_SUFFIXES) and not name.startswith("."):
                    stray.append(InputProblem(_display(Path(dirpath) / name), 1,
                                              "a fixture must live in fixtures/<pack-name>/pass/ or fixtures/<pack-name>/fail/; "
                                              "this file is never run"))
    return sorted(set(found)), stray


# ---------------------------------------------------------------------------------------------- reading fixtures
def read_fixture(path: Path) -> tuple[Fixture | None, list[InputProblem]]:
    """Load one fixture file and its ``x-expect``; every problem names the file and the line."""
    from .loading import load_manifests
    from .units import build_units

    path = Path(path)
    loaded = load_manifests([path])
    if loaded.problems:
        return None, sorted(loaded.problems)
    display = loaded.manifests[0].file if loaded.manifests else _display(path)
    with_expect = [m for m in loaded.manifests if "x-expect" in m.document.value]
    misplaced = [m for m in with_expect if m.kind != "Product"]
    if misplaced:
        return None, [InputProblem(display, m.line_of("x-expect"), f"x-expect belongs on the Product, not on a {m.kind}")
                      for m in misplaced]
    if len(with_expect) != 1:
        line = with_expect[1].line_of("x-expect") if with_expect else 1
        return None, [InputProblem(display, line, f"a fixture needs exactly one Product with an x-expect mapping "
                                                  f"(found {len(with_expect)})")]
    product = with_expect[0]
    expectation, problems = _expectation(product, display)
    if expectation is None:
        return None, problems
    outcome = path.parent.name
    if outcome == "fail" and not expectation.fail:
        problems.append(InputProblem(display, expectation.line(""), "a fixture in fail/ must name at least one rule in x-expect.fail"))
    if outcome == "pass" and not (expectation.passes or expectation.absent):
        problems.append(InputProblem(display, expectation.line(""),
                                     "a fixture in pass/ must name at least one rule in x-expect.pass or x-expect.absent"))
    if outcome == "pass" and expectation.fail:
        problems.append(InputProblem(display, expectation.line("fail"), "a fixture in pass/ must not expect failures (move it to fail/)"))
    units, unit_problems = build_units(loaded.manifests)
    if unit_problems:
        return None, sorted(problems + unit_problems)
    matching = [u for u in units if u.market == expectation.market and u.marketplace == expectation.marketplace]
    if len(matching) != 1:
        named = f"market {expectation.market}" + (f", marketplace {expectation.marketplace}" if expectation.marketplace
                                                   else " without a marketplace")
        have = ", ".join(f"{u.market}" + (f"/{u.marketplace}" if u.marketplace else "") for u in units) or "none"
        problems.append(InputProblem(display, expectation.line("market"),
                                     f"x-expect names {named}, but the fixture has {len(matching)} such check units "
                                     f"(it has: {have})"))
    if problems:
        return None, sorted(problems)
    return Fixture(path, display, outcome, expectation, matching[0]), []


def read_fixtures(paths: Iterable[Path]) -> tuple[list[Fixture], list[InputProblem]]:
    fixtures: list[Fixture] = []
    problems: list[InputProblem] = []
    for p in paths:
        fixture, probs = read_fixture(p)
        problems += probs
        if fixture is not None:
            fixtures.append(fixture)
    return fixtures, sorted(problems)


def _expectation(product: Any, display: str) -> tuple[Expectation | None, list[InputProblem]]:
    raw = product.document.value["x-expect"]
    base = "x-expect"
    lines = {"": product.line_of(base)}
    if not isinstance(raw, dict):
        return None, [InputProblem(display, lines[""], "x-expect must be a mapping with market and the rule ids to fail, "
                                                        "pass or not trigger")]
    problems: list[InputProblem] = []
    for key in raw:
        lines[str(key)] = product.line_of(f"{base}.{key}")
        if key not in EXPECT_KEYS:
            close = difflib.get_close_matches(str(key), EXPECT_KEYS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(InputProblem(display, lines[str(key)],
                                         f"x-expect.{key}: unknown key{hint}; allowed: {', '.join(EXPECT_KEYS)}"))
    market = raw.get("market")
    if not isinstance(market, str) or not market:
        problems.append(InputProblem(display, lines.get("market", lines[""]), "x-expect.market: required, the market of the "
                                                                              "check unit to look at (DE, US, SG...)"))
    marketplace = raw.get("marketplace")
    if marketplace is not None and not isinstance(marketplace, str):
        problems.append(InputProblem(display, lines["marketplace"], "x-expect.marketplace: expected a marketplace name "
                                                                    "(amazon) or null"))
    as_of = raw.get("as_of")
    if as_of is not None:
        if isinstance(as_of, dt.datetime) or not isinstance(as_of, (dt.date, str)):
            as_of_ok = None
        else:
            try:
                as_of_ok = as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(as_of)
            except ValueError:
                as_of_ok = None
        if as_of_ok is None:
            problems.append(InputProblem(display, lines["as_of"], f"x-expect.as_of: expected a date like 2025-06-01, got {as_of!r}"))
        as_of = as_of_ok
    lists: dict[str, list[str]] = {}
    for key in ("fail", "pass", "absent"):
        value = raw.get(key)
        if value is None:
            lists[key] = []
            continue
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            problems.append(InputProblem(display, lines[key], f"x-expect.{key}: expected a list of rule ids"))
            lists[key] = []
            continue
        lists[key] = list(value)
        for i in range(len(value)):
            lines[f"{key}[{i}]"] = product.line_of(f"{base}.{key}[{i}]")
    seen: dict[str, str] = {}
    for key in ("fail", "pass", "absent"):
        for i, rule in enumerate(lists[key]):
            if rule in seen and seen[rule] != key:
                problems.append(InputProblem(display, lines[f"{key}[{i}]"],
                                             f"x-expect.{key}: {rule} is also listed under {seen[rule]}"))
            seen.setdefault(rule, key)
    if problems:
        return None, problems
    return Expectation(market, marketplace, as_of, lists["fail"], lists["pass"], lists["absent"], lines), []


# ---------------------------------------------------------------------------------------------- running fixtures
def run_fixture(fixture: Fixture, checker: Checker) -> FixtureResult:
    """Check the fixture's unit on its date (x-expect.as_of, else the checker's date) against its expectation."""
    expect = fixture.expectation
    as_of = expect.as_of or checker.as_of
    result = FixtureResult(fixture.file, fixture.expected_outcome, as_of)
    findings = {f.rule: f for f in checker.check_unit(fixture.unit, as_of)}
    for key, status, seen in (("fail", "fail", result.failed_rules), ("pass", "pass", result.passed_rules)):
        for i, rule in enumerate(expect.fail if key == "fail" else expect.passes):
            line = expect.line(f"{key}[{i}]")
            if rule not in checker.rules:
                result.problems.append(FixtureProblem(line, f"{rule}: no such rule in the loaded packs{_close_rule(rule, checker)}"))
                continue
            f = findings.get(rule)
            if f is None:
                result.problems.append(FixtureProblem(line, f"{rule}: expected {status}, got no finding (the rule does not "
                                                            f"apply to this unit on {as_of.isoformat()})"))
            elif f.status != status:
                result.problems.append(FixtureProblem(line, f"{rule}: expected {status}, got {f.status} ({f.message})"))
            else:
                seen.add(rule)
    for i, rule in enumerate(expect.absent):
        line = expect.line(f"absent[{i}]")
        if rule not in checker.rules:
            result.problems.append(FixtureProblem(line, f"{rule}: no such rule in the loaded packs{_close_rule(rule, checker)}"))
        elif rule in findings:
            result.problems.append(FixtureProblem(line, f"{rule}: expected no finding, got {findings[rule].status} "
                                                        f"({findings[rule].message})"))
    return result


def _close_rule(rule: str, checker: Checker) -> str:
    close = difflib.get_close_matches(rule, list(checker.rules), n=1)
    return f" (did you mean {close[0]}?)" if close else ""


# ---------------------------------------------------------------------------------------------- the suite
def load_fixture_suite(directories: Iterable[str | os.PathLike], *, include_builtin: bool = False,
                       as_of: dt.date | str | None = None) -> FixtureSuite:
    """Load and compile the packs in ``directories`` (plus the shipped packs with ``include_builtin``, for packs
    that build on their facts) and read their fixtures.

    Raises :class:`PackError` when a pack is invalid or a directory holds no pack, and ``ValueError`` when the
    packs cannot be compiled. Fixtures that cannot be run are listed in ``FixtureSuite.problems``. ``as_of`` is
    the date for fixtures that state none (default today).
    """
    from .checker import Checker
    from .packs.loader import load_packs, pack_files

    dirs = [Path(d) for d in directories]
    empty = [InputProblem(_display(d), 1, "no rule pack files (*.yaml) in this directory")
             for d in dirs if d.is_dir() and not pack_files(d)]
    if empty:
        raise PackError(empty)
    packset = load_packs(dirs, include_builtin=include_builtin)
    checker = Checker(packset=packset, as_of=as_of)
    own_files = {f.resolve() for d in dirs for f in pack_files(d)}
    packs = [p for p in packset.packs if Path(p.file).resolve() in own_files]
    paths, stray = pack_fixture_files(dirs)
    fixtures, problems = read_fixtures(paths)
    return FixtureSuite(checker, packs, fixtures, sorted(problems + stray))


def _display(p: Path) -> str:
    rel = os.path.relpath(p)
    return str(p) if rel.startswith("..") else rel.replace(os.sep, "/")
