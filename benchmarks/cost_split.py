"""Where a full check's time goes, per unit, in one process: what bounds the full/parse-only ratio.

    python benchmarks/cost_split.py [--products N] [--dir DIR] [--repeat K]

On a generated catalogue (benchmarks/generate.py; reused from DIR, default .bench/) it measures, in-process:

- parse-only: loading and validating every manifest (what `run.py`'s parse-only step times);
- the engine step (`Engine.evaluate`: the fact texts, durable-rules' calls, the fired rule names);
- durable-rules' C calls alone: the very facts the engine asserted, asserted again, drained and retracted with
  nothing else around them (best of K), which no Python-side change can remove;
- requirement checks and findings (`Checker._finding` for every rule that applies).

Prints a table; nothing is asserted. A full check adds output encoding and the streaming bookkeeping on top.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AS_OF = dt.date(2026, 11, 24)


def catalogue(directory: Path, products: int) -> Path:
    from benchmarks.generate import write_catalogue

    target = directory / f"yaml-{products}"
    if not (target / "products").is_dir():
        write_catalogue(target, products)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--dir", default=str(ROOT / ".bench"))
    parser.add_argument("--repeat", type=int, default=3, help="replays of durable-rules' calls (the best counts)")
    args = parser.parse_args(argv)
    path = catalogue(Path(args.dir), args.products)

    import durable_rules_engine as core

    from compliance_engine import Checker, load_manifests
    from compliance_engine import engine as engine_module
    from compliance_engine.packs.conditions import UnitView

    t = time.perf_counter()
    loaded = load_manifests([path])
    parse_s = time.perf_counter() - t
    checker = Checker(as_of=AS_OF)
    units = checker.units_of(loaded)

    memo: dict = {}
    engine_s = findings_s = 0.0
    findings = 0
    for unit in units:  # timed as a check runs them
        t = time.perf_counter()
        evaluation = checker.engine.evaluate(UnitView(unit.product, unit.market, unit.listing, unit.seller), AS_OF, memo)
        t2 = time.perf_counter()
        for rule_id in sorted(evaluation.rules):
            rule = checker.rules[rule_id]
            if rule.in_force(AS_OF):
                checker._finding(rule, unit, AS_OF, evaluation.requirements)
                findings += 1
        findings_s += time.perf_counter() - t2
        engine_s += t2 - t

    asserted: list[tuple[object, str]] = []  # (ruleset, fact text), in the order the engine asserts them
    fire = engine_module.CompiledRuleset.fire

    def recording_fire(ruleset, view):
        asserted.append((ruleset, ruleset.fact_json(view)))
        return fire(ruleset, view)

    engine_module.CompiledRuleset.fire = recording_fire
    try:  # a second, untimed pass records the facts
        memo = {}
        for unit in units:
            checker.engine.evaluate(UnitView(unit.product, unit.market, unit.listing, unit.seller), AS_OF, memo)
    finally:
        engine_module.CompiledRuleset.fire = fire
    durable_s = None
    drains = 0
    for _ in range(max(1, args.repeat)):
        t = time.perf_counter()
        drains = 0
        for ruleset, fact in asserted:
            handle = ruleset.handle
            _, state = core.assert_fact(handle, fact)
            if core.start_action_for_state(handle, state):
                drains += 1
                while core.complete_and_start_action(handle, state):
                    drains += 1
            core.retract_fact(handle, fact)
        elapsed = time.perf_counter() - t
        durable_s = elapsed if durable_s is None else min(durable_s, elapsed)

    n_products, n_units = len(loaded.manifests), len(units)
    rows = [
        ("parse-only", parse_s, parse_s / n_products * 1e3, parse_s / n_units * 1e3),
        ("engine step (fact texts + durable + names)", engine_s, None, engine_s / n_units * 1e3),
        ("  of which durable-rules' C calls alone", durable_s, None, durable_s / n_units * 1e3),
        ("requirement checks and findings", findings_s, None, findings_s / n_units * 1e3),
    ]
    print(f"{n_products:,} files, {n_units:,} check units, {findings:,} findings, {len(asserted):,} asserts, "
          f"{drains:,} fired rules drained (per unit: {len(asserted) / n_units:.1f} asserts, {drains / n_units:.0f} drains)")
    print()
    print(f"{'step':<44}  {'s':>7}  {'ms/file':>8}  {'ms/unit':>8}  {'x parse':>7}")
    for name, seconds, per_file, per_unit in rows:
        shown = f"{per_file:.3f}" if per_file is not None else ""
        print(f"{name:<44}  {seconds:7.2f}  {shown:>8}  {per_unit:8.3f}  {seconds / parse_s:7.2f}")
    budget = (2.5 - 1.0) * parse_s - durable_s
    python_s = engine_s - durable_s + findings_s
    print()
    print(f"for a full check within 2.5x parse-only, the Python work around the engine and the findings may take "
          f"{budget / n_units * 1e3:.3f} ms/unit; it takes {python_s / n_units * 1e3:.3f} ms/unit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
