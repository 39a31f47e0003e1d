"""Dated conditions ({since}), severity escalation, market/field comparisons, all_of, notes in messages,
and the YAML 'Norway problem' guard: what a pack author and a user see."""

from __future__ import annotations


import pytest

from compliance_engine.errors import PackError
from compliance_engine.packs.compiler import MAX_PROPERTIES, compile_packs
from tests.conftest import make_checker, pack_yaml, rule_yaml, write

PRODUCT = {"sku": "P-1", "category": "electronics", "markets": ["DE"]}


def finding(checker, rule, product=PRODUCT, market="DE", as_of=None, **kw):
    found = [f for f in checker.check(product, market=market, as_of=as_of, **kw) if f.rule == rule]
    return found[0] if found else None


def test_since_condition_switches_a_requirement_on_its_date(tmp_path):
    pack = pack_yaml("eu.t", rule_yaml("eu.t.label", requires=(
        "[{field: {path: product.labelling.marks, contains: battery-bin}, when: {since: 2025-08-18}}]")))
    c = make_checker(tmp_path, pack)
    assert finding(c, "eu.t.label", as_of="2025-08-17").status == "pass"
    f = finding(c, "eu.t.label", as_of="2025-08-18")
    assert f.status == "fail" and "battery-bin" in f.message


def test_escalates_turns_a_warning_into_an_error_on_its_date(tmp_path):
    pack = pack_yaml("eu.t", rule_yaml("eu.t.ppwr", requires="[{field: {path: product.package.pfas_intentionally_added, equals: false}}]",
                                       severity="warning", extra="    escalates: {from: 2026-08-12, to: error}"))
    c = make_checker(tmp_path, pack)
    before, on = finding(c, "eu.t.ppwr", as_of="2026-08-11"), finding(c, "eu.t.ppwr", as_of="2026-08-12")
    assert (before.status, before.severity) == ("fail", "warning")
    assert (on.status, on.severity) == ("fail", "error")
    ok = dict(PRODUCT, package={"pfas_intentionally_added": False})
    assert finding(c, "eu.t.ppwr", ok, as_of="2026-08-12").status == "pass"


def test_escalation_date_must_lie_inside_the_effective_range(tmp_path):
    pack = pack_yaml("eu.t", rule_yaml("eu.t.bad", severity="warning", extra="    escalates: {from: 2019-01-01, to: error}"))
    with pytest.raises(PackError) as exc:
        make_checker(tmp_path, pack)
    assert "escalates.from must fall inside the effective range" in str(exc.value)


def test_equals_market_and_equals_field(tmp_path):
    pack = pack_yaml("eu.t", rule_yaml("eu.t.cross-border", "{not: {field: listing.ships_from, equals_market: true}}")
                     + rule_yaml("eu.t.home", "{field: seller.established_in, equals_field: listing.ships_from}"))
    c = make_checker(tmp_path, pack)
    seller = {"established_in": "PL"}
    domestic = {"market": "DE", "marketplace": "own-site", "ships_from": "DE"}
    abroad = {"market": "DE", "marketplace": "own-site", "ships_from": "PL"}
    assert finding(c, "eu.t.cross-border", listing=domestic, seller=seller) is None
    assert finding(c, "eu.t.cross-border", listing=abroad, seller=seller) is not None
    assert finding(c, "eu.t.home", listing=abroad, seller=seller) is not None
    assert finding(c, "eu.t.home", listing=domestic, seller=seller) is None


def test_all_of_inside_any_of(tmp_path):
    req = ("[{any_of: [{registration: {type: oss, market: any}}, "
           "{all_of: [{field: {path: seller.established_in, equals: DE}}, {limit: {path: seller.eu_distance_sales_eur_current_year, max: 10000}}]}]}]")
    c = make_checker(tmp_path, pack_yaml("eu.t", rule_yaml("eu.t.oss", requires=req)))
    small = {"established_in": "DE", "eu_distance_sales_eur_current_year": 10000}
    assert finding(c, "eu.t.oss", seller=small).status == "pass"
    f = finding(c, "eu.t.oss", seller=dict(small, eu_distance_sales_eur_current_year=10000.01))
    assert f.status == "fail" and "oss" in [d["type"] for d in f.missing_documents]


def test_notes_reach_the_message(tmp_path):
    table = ("table: tiers\ntitle: Tiers\nsource: https://example.org/t\nas_of: 2026-01-01\n"
             "entries:\n  - {tier: small, max_longest_cm: 20}\n  - {tier: big}\n")
    (tmp_path / "packs" / "data").mkdir(parents=True)
    (tmp_path / "packs" / "data" / "tiers.yaml").write_text(table)
    pack = pack_yaml("eu.t", rule_yaml("eu.t.tier", requires="[{size_tier: {table: tiers, package: product.package, fail_tiers: [big]}}]",
                                       severity="info", extra="    pass_message: 'Package {notes}.'"),
                     extra="data: {tiers: data/tiers.yaml}\n")
    c = make_checker(tmp_path, pack)
    f = finding(c, "eu.t.tier", dict(PRODUCT, package={"length_cm": 20, "width_cm": 10, "height_cm": 5, "weight_g": 300}))
    assert (f.status, f.severity, f.message) == ("pass", "info", "Package size tier: small (20 × 10 × 5 cm, 300 g).")
    f = finding(c, "eu.t.tier", dict(PRODUCT, package={"length_cm": 21, "width_cm": 10, "height_cm": 5, "weight_g": 300}))
    assert f.status == "fail" and "size tier: big" in f.message


def test_bare_no_in_a_country_list_is_refused(tmp_path):
    pack = pack_yaml("eu.t", rule_yaml("eu.t.eea", "{field: seller.established_in, in: [IS, LI, NO]}"))
    with pytest.raises(PackError) as exc:
        make_checker(tmp_path, pack)
    assert 'quote country codes such as "NO"' in str(exc.value)


def test_packs_sharing_markets_split_into_rulesets_when_properties_run_out(tmp_path):
    from compliance_engine import Checker

    half = MAX_PROPERTIES // 2 + 10  # two packs that each fit, together more properties than one fact may hold
    for pack in ("t", "u"):
        rules = "".join(rule_yaml(f"eu.{pack}.r{i}", f"{{field: product.{pack}_{i}, equals: 1}}") for i in range(half))
        write(tmp_path / "packs" / f"{pack}.yaml", pack_yaml(f"eu.{pack}", rules))

    c = Checker(rulepacks=[tmp_path / "packs"], include_builtin=False)
    compiled = compile_packs(c.packset)
    assert len(compiled.groups) == 2
    assert finding(c, "eu.t.r3", dict(PRODUCT)) is None


def test_a_bare_on_key_gets_a_yaml_hint(tmp_path):
    pack = pack_yaml("eu.t", rule_yaml("eu.t.bad", severity="warning", extra="    escalates: {on: 2026-01-01, to: error}"))
    with pytest.raises(PackError) as exc:
        make_checker(tmp_path, pack)
    assert "YAML reads a bare on, off, yes, no, y or n as true/false" in str(exc.value)


def test_explain_shows_escalation_dates_and_unconfirmed_facts(tmp_path):
    from compliance_engine.explain import explain

    extra = ("    escalates: {from: 2026-08-12, to: error}\n"
             "    verification:\n      - {fact: 'limit is 25 ppb', source: 'https://example.org/s', result: unconfirmed}")
    pack = pack_yaml("eu.t", rule_yaml("eu.t.pfas", requires="[{field: {path: product.name, exists: true}, when: {since: 2026-08-12}}]",
                                       severity="warning", extra=extra))
    c = make_checker(tmp_path, pack)
    text = explain(c.rules["eu.t.pfas"], c.packset.packs[0])
    assert "severity:    warning, error from 2026-08-12" in text
    assert "when checked on or after 2026-08-12" in text
    assert "1 fact(s) behind this rule could not be confirmed" in text


def test_text_report_shows_informational_findings(tmp_path):
    from compliance_engine.findings import Report, UnitResult
    from compliance_engine.formatters.text import render

    table = ("table: tiers\ntitle: Tiers\nsource: https://example.org/t\nas_of: 2026-01-01\n"
             "entries:\n  - {tier: small, max_longest_cm: 20}\n  - {tier: big}\n")
    write(tmp_path / "packs" / "data" / "tiers.yaml", table)
    pack = pack_yaml("eu.t", rule_yaml("eu.t.tier", requires="[{size_tier: {table: tiers, package: product.package}}]",
                                       severity="info", extra="    pass_message: 'Package {notes}.'"),
                     extra="data: {tiers: data/tiers.yaml}\n")
    c = make_checker(tmp_path, pack)
    findings = c.check(dict(PRODUCT, package={"length_cm": 20, "width_cm": 10, "height_cm": 5, "weight_g": 300}), market="DE")
    report = Report(as_of="2026-11-24", packs=c.pack_summaries)
    report.results.append(UnitResult("p.yaml", "P-1", "DE", None, findings))
    text = render(report)
    assert "INFO         eu.t.tier" in text and "Package size tier: small (20 × 10 × 5 cm, 300 g)." in text


def test_prefix_and_segment_lists_from_a_data_table(tmp_path):
    table = ("table: listed\ntitle: Listed goods\nsource: https://example.org/l\nas_of: 2026-01-01\nentries:\n"
             "  - {product: kettles, hs_prefixes: ['851671'], category_subkeys: [kettle]}\n"
             "  - {product: adaptors, hs_prefixes: ['850440'], category_subkeys: [ac-adaptor, charger]}\n")
    write(tmp_path / "packs" / "data" / "listed.yaml", table)
    when = ("{any: [{field: product.identifiers.hs_code, prefix_in: {table: listed, column: hs_prefixes}}, "
            "{field: product.category, segment_in: {table: listed, column: category_subkeys}}]}")
    c = make_checker(tmp_path, pack_yaml("eu.t", rule_yaml("eu.t.listed", when), extra="data: {listed: data/listed.yaml}\n"))
    for product, applies in [({"identifiers": {"hs_code": "85167100"}}, True), ({"identifiers": {"hs_code": "851679"}}, False),
                             ({"category": "electrical-appliance.kettle"}, True), ({"category": "electronics.chargers.charger"}, True),
                             ({"category": "other"}, False), ({"category": "electrical-appliance.kettles"}, False)]:
        assert (finding(c, "eu.t.listed", dict(PRODUCT, **product)) is not None) is applies, product
    bad = pack_yaml("eu.t", rule_yaml("eu.t.listed", "{field: product.identifiers.hs_code, prefix_in: {table: listed, column: hs}}"),
                    extra="data: {listed: data/listed.yaml}\n")
    with pytest.raises(PackError) as exc:
        make_checker(tmp_path, bad)
    assert "no row of 'listed' has a 'hs' value" in str(exc.value)
