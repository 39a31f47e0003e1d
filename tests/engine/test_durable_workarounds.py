"""Each durable-rules hazard the engine design relies on avoiding has a test here (docs/engine.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time

import pytest

from compliance_engine.errors import CheckError
from compliance_engine.packs.compiler import NameAllocator, compile_packs, fnv1a32
from tests.conftest import PRODUCT, make_checker, pack_yaml, rule_yaml

durable_core = pytest.importorskip("durable_rules_engine")


def _many_rules(n: int) -> str:
    return "".join(rule_yaml(f"eu.many.r{i:03d}", "{field: product.electrical.battery.watt_hours, gt: %d}" % i) for i in range(n))


def test_unbucketed_durable_ruleset_fails_past_64_true_siblings():
    """The hazard itself: 100 true sibling conditions under one node make the C core fail (error 303)."""
    rs = {f"r{i}": {"all": [{"m": {"$and": [{"t": "u"}, {f"x{i}": 1}]}}]} for i in range(100)}
    h = durable_core.create_ruleset("hazard_303", json.dumps(rs))
    fact = {"sid": "0", "id": "u", "t": "u", **{f"x{i}": 1 for i in range(100)}}
    with pytest.raises(Exception, match="303"):
        durable_core.assert_fact(h, json.dumps(fact))


def test_product_triggering_more_than_64_rules_of_one_pack(tmp_path):
    checker = make_checker(tmp_path, pack_yaml("eu.many", _many_rules(100)))
    product = dict(PRODUCT, electrical={"battery": {"watt_hours": 1000}})
    findings = checker.check(product, market="DE")
    assert [f.rule for f in findings] == [f"eu.many.r{i:03d}" for i in range(100)]
    assert {f.status for f in findings} == {"pass"}
    # and a value that triggers only some of them
    findings = checker.check(dict(PRODUCT, electrical={"battery": {"watt_hours": 10}}), market="DE")
    assert [f.rule for f in findings] == [f"eu.many.r{i:03d}" for i in range(10)]


def test_compiling_600_conditions_does_not_hang(tmp_path):
    """513 children under one node make create_ruleset spin forever; bucketing keeps nodes small."""
    packs = tmp_path / "packs"
    packs.mkdir()
    rules = "".join(rule_yaml(f"eu.big.r{i:03d}", "{field: product.name, equals: 'n%d'}" % i) for i in range(600))
    (packs / "big.yaml").write_text(pack_yaml("eu.big", rules))
    code = textwrap.dedent(f"""
        import time
        from compliance_engine import Checker
        t = time.perf_counter()
        c = Checker(rulepacks=[{str(packs)!r}], include_builtin=False, as_of="2026-11-24")
        f = c.check({{"kind": "Product", "sku": "A", "category": "toys", "name": "n599"}}, market="DE")
        print([x.rule for x in f], round(time.perf_counter() - t, 3))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "['eu.big.r599']" in out.stdout


def test_largest_shipped_pack_compiles_well_under_a_second():
    from compliance_engine.engine import Engine
    from compliance_engine.packs.loader import PackSet, load_packs

    packset = load_packs()
    largest = max(packset.packs, key=lambda p: len(p.rules))
    t = time.perf_counter()
    Engine(PackSet([largest]))
    elapsed = time.perf_counter() - t
    assert elapsed < 1.0, f"{largest.id} ({len(largest.rules)} rules) took {elapsed:.3f}s to compile"


def test_colliding_skus_do_not_share_state(tmp_path):
    """SKU-0479599 and SKU-0662382 share a 32-bit FNV-1a hash; durable sids collide on it."""
    assert fnv1a32("SKU-0479599") == fnv1a32("SKU-0662382")
    pack = pack_yaml("eu.sku", rule_yaml("eu.sku.has-model", None,
                                        "[{field: {path: product.identifiers.model, exists: true}}]"))
    checker = make_checker(tmp_path, pack)
    a = dict(PRODUCT, sku="SKU-0479599", identifiers={"model": "M1"})
    b = dict(PRODUCT, sku="SKU-0662382")
    for _ in range(3):
        assert [f.status for f in checker.check(a, market="DE")] == ["pass"]
        assert [f.status for f in checker.check(b, market="DE")] == ["fail"]


def test_name_allocator_avoids_colliding_property_names():
    """field_1079599 and field_1262382 collide in the C core's property-name hash."""
    assert fnv1a32("field_1079599") == fnv1a32("field_1262382")
    names = NameAllocator()
    first = names.take("field_1079599")
    second = names.take("field_1262382")
    assert first == "field_1079599" and second != "field_1262382"
    assert fnv1a32(first) != fnv1a32(second)
    assert names.skipped == [("field_1262382", "field_1079599")]


def test_compiled_shipped_packs_have_no_hash_collisions():
    from compliance_engine.packs.loader import load_packs

    compiled = compile_packs(load_packs())
    for rd in [*compiled.derive, *compiled.groups]:
        names = list(rd.definition) + [p for p, _ in rd.sources.values()] + rd.buckets + ["sid", "id", "t"]
        hashes = [fnv1a32(n) for n in names]
        assert len(set(hashes)) == len(hashes), rd.name


def test_units_matching_no_rule_survive_malloc_perturb(tmp_path):
    """delete_state crashes on sessions where no action started; the driver never calls it."""
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "p.yaml").write_text(pack_yaml("eu.none", rule_yaml("eu.none.never", "{field: product.name, equals: nobody}")))
    code = textwrap.dedent(f"""
        from compliance_engine import Checker
        c = Checker(rulepacks=[{str(packs)!r}], include_builtin=False, as_of="2026-11-24")
        n = 0
        for i in range(2000):
            n += len(c.check({{"kind": "Product", "sku": "S%d" % i, "category": "toys"}}, market="DE"))
        print("findings", n)
    """)
    env = dict(os.environ, MALLOC_PERTURB_="165")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "findings 0"


def test_an_exception_in_a_check_surfaces_and_leaves_the_engine_clean(tmp_path, monkeypatch):
    """durable-rules swallows exceptions raised in actions; our checks run outside it and raise."""
    from compliance_engine import requirements

    pack = pack_yaml("eu.boom", rule_yaml("eu.boom.r", None, "[{field: {path: product.name, exists: true}}]"))
    checker = make_checker(tmp_path, pack)

    def boom(spec, ctx):
        raise ZeroDivisionError("bug in a check")

    monkeypatch.setitem(requirements.CHECKS, "field", boom)
    with pytest.raises(CheckError, match="eu.boom.r.*ZeroDivisionError"):
        checker.check(dict(PRODUCT, name="x"), market="DE")
    monkeypatch.undo()
    assert [f.status for f in checker.check(dict(PRODUCT, name="x"), market="DE")] == ["pass"]
    assert [f.status for f in checker.check(PRODUCT, market="DE")] == ["fail"]


def test_5000_units_in_one_process_without_leaks(tmp_path):
    """More than 1,024 units (the C core's session limit) and no fact leaking from unit to unit."""
    rules = (rule_yaml("eu.leak.battery", "{field: product.electrical.battery.chemistry, equals: lithium-ion}",
                       "[{field: {path: product.electrical.battery.wh_marked, equals: true}}]")
             + rule_yaml("eu.leak.toy", "{field: product.category, under: toys}", "[]"))
    checker = make_checker(tmp_path, pack_yaml("eu.leak", rules))
    battery = dict(PRODUCT, electrical={"battery": {"chemistry": "lithium-ion", "wh_marked": True}})
    toy = {"kind": "Product", "sku": "T", "category": "toys.blocks"}
    plain = {"kind": "Product", "sku": "N", "category": "apparel"}
    alone = {k: [(f.rule, f.status) for f in checker.check(p, market="DE")] for k, p in
             {"battery": battery, "toy": toy, "plain": plain}.items()}
    assert alone == {"battery": [("eu.leak.battery", "pass")], "toy": [("eu.leak.toy", "pass")], "plain": []}
    order = ["battery", "toy", "plain"]
    products = {"battery": battery, "toy": toy, "plain": plain}
    for i in range(5000):
        k = order[i % 3]
        got = [(f.rule, f.status) for f in checker.check(products[k], market=("DE", "FR", "IT", "ES")[i % 4])]
        assert got == alone[k], (i, k, got)


def test_5000_generated_units_through_check_paths(tmp_path):
    """1,250 generated product files, 4 markets each: 5,000 check units in one run, every one reported."""
    for i in range(1250):
        toy = i % 2 == 0
        (tmp_path / f"p{i:04d}.yaml").write_text(
            f"kind: Product\nsku: GEN-{i:04d}\ncategory: {'toys' if toy else 'apparel'}\nmarkets: [DE, FR, US, SG]\n"
            + ("manufacturer: {name: M, address: A, country: CN, email: m@x.example}\n" if toy else "intended_for: professionals\n"))
    from compliance_engine import Checker

    report = Checker(as_of="2026-11-24").check_paths([tmp_path])
    s = report.summary()
    assert s["checked"] == 5000 and s["errors"] == 0
    assert len(report.results) == 5000
    # in the EU markets only the toys (non-EU manufacturer, no EU operator) fail, each in both markets
    toys = {f"GEN-{i:04d}" for i in range(0, 1250, 2)}
    for market in ("DE", "FR"):
        eu_fails = {r.sku for r in report.results if r.market == market for f in r.findings if f.status == "fail"}
        assert eu_fails == toys, market
    assert all(not r.findings for r in report.results if r.sku not in toys and r.market in ("DE", "FR", "SG"))
