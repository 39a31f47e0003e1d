"""Golden test: durable-rules and a plain Python evaluation agree on every generated unit."""

from __future__ import annotations

import datetime as dt
import random


from compliance_engine.engine import Engine
from compliance_engine.golden import all_atoms, random_view, reference_evaluation
from compliance_engine.packs.conditions import UnitView
from compliance_engine.packs.loader import load_packs
from tests.conftest import AS_OF, make_checker, pack_yaml, rule_yaml

# check dates on both sides of the dated conditions the tests and shipped packs use
AS_OFS = [AS_OF, dt.date(2020, 1, 1), dt.date(2025, 7, 31), dt.date(2025, 8, 1), dt.date(2026, 8, 12), dt.date(2027, 12, 11), dt.date(2031, 1, 1)]
MARKETS = ["DE", "FR", "BE", "XI", "GB", "US", "ID", "SG", "TH", "CN"]

EVERY_OPERATOR = pack_yaml("eu.ops", "".join([
    rule_yaml("eu.ops.exists", "{field: product.name, exists: true}"),
    rule_yaml("eu.ops.not-exists", "{field: product.name, exists: false}"),
    rule_yaml("eu.ops.equals", "{field: product.electrical.radio.bluetooth, equals: true}"),
    rule_yaml("eu.ops.not-equals", "{not: {field: product.intended_for, equals: consumers}}"),
    rule_yaml("eu.ops.in-default", "{field: product.intended_for, in: [consumers, professionals], default: consumers}"),
    rule_yaml("eu.ops.not-in", "{not: {field: product.manufacturer.country, in: [EU]}}"),
    rule_yaml("eu.ops.under", "{field: product.category, under: [electronics, toys.blocks]}"),
    rule_yaml("eu.ops.not-under", "{not: {field: product.category, under: [electronics, toys.blocks]}}"),
    rule_yaml("eu.ops.contains", "{field: product.labelling.marks, contains: CE}"),
    rule_yaml("eu.ops.contains-any", "{field: listing.displays, contains_any: [manufacturer-contact, product-images]}"),
    rule_yaml("eu.ops.not-contains-any", "{not: {field: listing.displays, contains_any: [manufacturer-contact, product-images]}}"),
    rule_yaml("eu.ops.gt", "{field: product.electrical.battery.watt_hours, gt: 100}"),
    rule_yaml("eu.ops.lte-not", "{not: {field: product.electrical.battery.watt_hours, lte: 20}}"),
    rule_yaml("eu.ops.list-any", "{field: 'product.economic_operators[].role', equals: importer}"),
    rule_yaml("eu.ops.list-num", "{field: 'product.substances[].concentration_pct', gte: 0.1}"),
    rule_yaml("eu.ops.has-item", "{field: product.economic_operators, has_item: {role: [importer, authorised-representative], jurisdiction: EU}}"),
    rule_yaml("eu.ops.not-has-item", "{not: {field: product.economic_operators, has_item: {role: importer, jurisdiction: [EU, XI]}}}"),
    rule_yaml("eu.ops.market", "{market: [DE, XI]}"),
    rule_yaml("eu.ops.since", "{all: [{since: 2025-08-01}, {not: {since: 2027-12-11}}]}"),
    rule_yaml("eu.ops.equals-market", "{field: listing.ships_from, equals_market: true}"),
    rule_yaml("eu.ops.not-equals-market", "{not: {field: listing.ships_from, equals_market: true}}"),
    rule_yaml("eu.ops.equals-field", "{field: seller.established_in, equals_field: listing.ships_from}"),
    rule_yaml("eu.ops.prefix-in", "{field: product.identifiers.hs_code, prefix_in: ['8516', '850440']}"),
    rule_yaml("eu.ops.not-segment-in", "{not: {field: product.category, segment_in: [kettle, fan]}}"),
    rule_yaml("eu.ops.not-equals-field", "{not: {field: seller.established_in, equals_field: listing.ships_from}}"),
    rule_yaml("eu.ops.not-market", "{not: {market: [EU]}}"),
    rule_yaml("eu.ops.has", "{any: [{has: listing}, {not: {has: seller}}]}"),
    rule_yaml("eu.ops.facts", "{all: [{fact: f-radio}, {not: {fact: f-chained}}]}"),
    rule_yaml("eu.ops.chained", "{fact: f-chained}"),
    rule_yaml("eu.ops.cycle", "{all: [{fact: f-cycle-a}, {fact: f-cycle-b}]}"),
    rule_yaml("eu.ops.nested", "{not: {all: [{field: seller.established_in, equals: CN}, {any: [{field: product.age_grade.min_years, lt: 3}, {not: {field: product.labelling.languages, contains: de}}]}]}}"),
    rule_yaml("eu.ops.derives", "{field: product.electrical.battery.watt_hours, gte: 50}", extra="    derive: f-big-battery"),
    rule_yaml("eu.ops.req-when", None,
              "[{field: {path: product.name, exists: true}, when: {fact: f-big-battery}}, "
              "{field: {path: product.brand, exists: true}, when: {not: {field: product.category, under: toys}}}]"),
]), markets="[EU, XI, GB, US, SEA]", derive=(
    "  - {fact: f-radio, when: {any: [{field: product.electrical.radio.bluetooth, equals: true}, {field: product.electrical.radio.wifi, equals: true}]}}\n"
    "  - {fact: f-chained, when: {all: [{fact: f-radio}, {fact: f-big-battery}]}}\n"
    # a cycle: each of the two facts can start the other (the engine runs that layer to a fixpoint)
    "  - {fact: f-cycle-a, when: {any: [{field: product.labelling.marks, contains: CE}, {fact: f-cycle-b}]}}\n"
    "  - {fact: f-cycle-b, when: {any: [{field: product.brand, exists: true}, {fact: f-cycle-a}]}}\n"))


def _compare(packset, n: int, seed: int) -> int:
    engine = Engine(packset)
    atoms = all_atoms(packset)
    rng = random.Random(seed)
    applied = 0
    for i in range(n):
        view = random_view(rng, atoms, MARKETS)
        as_of = rng.choice(AS_OFS)
        got = engine.evaluate(UnitView(view.product, view.market, view.listing, view.seller), as_of)
        facts, rules, reqs = reference_evaluation(packset, view, as_of)
        assert (got.facts, got.rules, got.requirements) == (facts, rules, reqs), (i, view.product, view.listing, view.seller, view.market)
        applied += len(rules)
    return applied


def test_golden_every_operator(tmp_path):
    checker = make_checker(tmp_path, EVERY_OPERATOR)
    applied = _compare(checker.packset, 3000, seed=1)
    assert applied > 3000  # the generator really makes rules apply


def test_golden_shipped_packs():
    packset = load_packs()
    applied = _compare(packset, 3000, seed=2)
    assert applied > 500


def test_derivations_are_compiled_in_layers_with_a_fixpoint_only_for_cycles(tmp_path):
    from compliance_engine.packs.compiler import compile_packs

    checker = make_checker(tmp_path, EVERY_OPERATOR)
    compiled = compile_packs(checker.packset)
    targets = [sorted({t.key for t in layer.targets.values()}) for layer in compiled.derive]
    # f-radio and f-big-battery read fields only; f-chained reads both; the cycle comes last
    assert targets == [["f-big-battery", "f-radio"], ["f-chained"], ["f-cycle-a", "f-cycle-b"]]
    assert compiled.derive_fixpoint
    shipped = compile_packs(load_packs())
    assert not shipped.derive_fixpoint  # the shipped packs need no fixpoint: each layer is asserted once
