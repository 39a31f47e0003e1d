"""Requirement kinds added for the EU/GB packs: group sums, filtered limits, claim phrases, package
ratios and size tiers, radio bands, superseded standards, per-country registrations and all_of."""

from __future__ import annotations

import datetime as dt

import pytest

from compliance_engine.packs.model import DataTable
from compliance_engine.requirements import (
    Context, check_bands_within, check_empty_space_ratio, check_phrases_absent, check_registration,
    check_size_tier, check_standards_current, check_substance_limit, check_substance_sum, classify_size_tier)
from compliance_engine.units import CheckUnit, Source

AS_OF = dt.date(2026, 11, 24)
PHRASES = DataTable("phrases", "Claim phrases", ["https://x"], "2026-01-01",
                    {"medicinal": ["cures eczema", "heals"], "approval": ["EU approved"]}, "x")
TIERS = DataTable("tiers", "Test tiers", ["https://x"], "2026-01-01", [
    {"tier": "envelope", "max_weight_g": 460, "max_longest_cm": 33, "max_median_cm": 23, "max_shortest_cm": 2.5},
    {"tier": "parcel", "max_weight_g": 11900, "max_longest_cm": 45, "max_median_cm": 34, "max_shortest_cm": 26},
    {"tier": "oversize", "max_weight_g": 31500, "max_longest_cm": 175, "max_length_plus_girth_cm": 360,
     "dim_divisor_cm3_per_kg": 5000, "weight_basis": "greater"},
    {"tier": "special oversize"}], "x")
BANDS = DataTable("bands", "Bands", ["https://x"], "2026-01-01", [
    {"name": "2.4 GHz", "from_mhz": 2400, "to_mhz": 2483.5},
    {"name": "LTE 800", "from_mhz": 791, "to_mhz": 862, "only_if": "product.electrical.radio.cellular"}], "x")
SUPERSEDED = DataTable("superseded", "Superseded", ["https://x"], "2026-01-01", [
    {"standard": "EN 300 328 V2.1", "replaced_by": "EN 300 328 V2.2.2", "presumption_until": "2021-08-06"},
    {"standard": "EN 62368-1:2099", "replaced_by": "nothing yet", "presumption_until": "2099-01-01"}], "x")
TABLES = {"phrases": PHRASES, "tiers": TIERS, "bands": BANDS, "superseded": SUPERSEDED}


def ctx(product=None, market="DE", listing=None, seller=None, as_of=AS_OF):
    product = {"sku": "S", "category": "toys", **(product or {})}
    unit = CheckUnit(product, market, listing, seller, Source("p.yaml", None),
                     Source("p.yaml", None, "listings[0]") if listing else None, Source("s.yaml", None) if seller else None)
    return Context(unit, as_of, TABLES)


PHTHALATES = ["117-81-7", "84-74-2", "85-68-7", "84-69-5"]


@pytest.mark.parametrize("dehp,dbp,ok", [(0.05, 0.05, True), (0.05, 0.04, True), (0.05, 0.06, False)])
def test_substance_sum_is_per_component_at_below_above(dehp, dbp, ok):
    c = ctx({"substances": [
        {"name": "DEHP", "cas": "117-81-7", "component": "cable sheath", "concentration_pct": dehp},
        {"name": "DBP", "cas": "84-74-2", "component": "cable sheath", "concentration_pct": dbp},
        {"name": "DBP", "cas": "84-74-2", "component": "grip", "concentration_pct": 0.09}]})
    out = check_substance_sum({"cas": PHTHALATES, "max_pct": 0.1, "per": "component"}, c)
    assert out.ok is ok
    if not ok:
        assert "component 'cable sheath'" in out.problems[0] and "0.11 %" in out.problems[0]


@pytest.mark.parametrize("value,ok", [(0.0499, True), (0.05, False), (0.0501, False)])
def test_substance_limit_strictly_below(value, ok):
    c = ctx({"substances": [{"name": "Lead", "cas": "7439-92-1", "concentration_pct": value}]})
    out = check_substance_limit({"cas": ["7439-92-1"], "max_pct": 0.05, "max_exclusive": True}, c)
    assert out.ok is ok
    if not ok:
        assert "must be below 0.05 %" in out.problems[0]


def test_substance_limit_reads_another_key_and_filters_items():
    items = [{"name": "Nickel", "cas": "7440-02-0", "contact": "piercing", "release_ug_cm2_week": 0.3},
             {"name": "Nickel", "cas": "7440-02-0", "contact": "skin-prolonged", "release_ug_cm2_week": 0.3}]
    spec = {"cas": ["7440-02-0"], "key": "release_ug_cm2_week", "max_pct": 0.2, "max_exclusive": True,
            "where": {"contact": ["piercing"]}}
    out = check_substance_limit(spec, ctx({"substances": items}))
    assert not out.ok and len(out.problems) == 1
    assert "substances[0]" in out.problems[0] and "release_ug_cm2_week 0.3" in out.problems[0]
    out = check_substance_limit(dict(spec, where={"contact": ["skin-prolonged"]}, max_pct=0.5), ctx({"substances": items}))
    assert out.ok


def test_phrases_quote_the_phrase_and_where_it_was_found():
    c = ctx({"claims": [{"text": "Gentle cream"}, {"text": "Clinically shown: CURES  Eczema fast"}]},
            listing={"market": "DE", "marketplace": "amazon", "title": "Cream, EU-approved formula",
                     "bullets": ["ok", "It heals dry skin"]})
    out = check_phrases_absent({"table": "phrases", "in": ["product.claims[].text", "listing.title", "listing.bullets"]}, c)
    assert not out.ok
    assert '"CURES  Eczema" (medicinal) in claims[1].text' in out.problems
    assert '"heals" (medicinal) in listings[0].bullets[1]' in out.problems
    # word boundaries: "EU-approved" is not "EU approved", "healsome" would not be "heals"
    assert not any("approval" in p for p in out.problems)
    assert check_phrases_absent({"table": "phrases", "in": ["listing.title"], "lists": ["medicinal"]},
                                ctx(listing={"market": "DE", "marketplace": "x", "title": "Unhealsome"})).ok


def test_phrase_text_is_never_a_pattern():
    table = DataTable("phrases", "t", ["https://x"], "2026-01-01", {"odd": ["(a+)+$", "100% natural"]}, "x")
    c = Context(ctx({"claims": [{"text": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"}, {"text": "now 100% natural"}]}).unit, AS_OF, {"phrases": table})
    out = check_phrases_absent({"table": "phrases", "in": ["product.claims[].text"]}, c)
    assert out.problems == ['"100% natural" (odd) in claims[1].text']


@pytest.mark.parametrize("volume,ok,shown", [(3000, True, "50 %"), (3060, True, "49 %"), (2940, False, "51 %")])
def test_empty_space_ratio_at_below_above_half(volume, ok, shown):
    c = ctx({"shipping_package": {"length_cm": 30, "width_cm": 20, "height_cm": 10},
             "package": {"product_volume_cm3": volume}})
    out = check_empty_space_ratio({"box": "product.shipping_package", "product_volume": "product.package.product_volume_cm3", "max": 0.5}, c)
    assert out.ok is ok
    assert out.notes and f"empty-space ratio {shown}" in out.notes[0] and "6000 cm³" in out.notes[0]


def test_empty_space_ratio_needs_box_and_volume():
    out = check_empty_space_ratio({"box": "product.shipping_package", "product_volume": "product.package.product_volume_cm3", "max": 0.5}, ctx())
    assert not out.ok and out.absent
    assert out.missing_fields == ["shipping_package.length_cm/width_cm/height_cm", "package.product_volume_cm3"]


@pytest.mark.parametrize("dims,weight,tier", [
    ((33, 23, 2.5), 460, "envelope"),           # at every envelope limit
    ((33, 23, 2.5), 461, "parcel"),             # 1 g over
    ((33.1, 23, 2.5), 460, "parcel"),           # 1 mm longer
    ((45, 34, 26), 11900, "parcel"),
    ((46, 34, 26), 11900, "oversize"),
    ((175, 60, 30), 20000, "special oversize"),  # dimensional weight 63 kg counts (greater of the two)
    ((100, 60, 26.25), 20000, "oversize"),       # dimensional weight exactly 31.5 kg
    ((100, 60, 26.3), 20000, "special oversize"),
    ((100, 40, 30), 31500, "oversize"),
    ((100, 40, 30), 31501, "special oversize"),
    ((175, 20, 20), 1000, "oversize"),
    ((176, 20, 20), 1000, "special oversize"),
])
def test_size_tier_boundaries(dims, weight, tier):
    got, _ = classify_size_tier(TIERS.entries, sorted(dims, reverse=True), weight)
    assert got == tier


def test_size_tier_reports_the_tier_as_a_note_and_fails_listed_tiers():
    c = ctx({"package": {"length_cm": 20, "width_cm": 30, "height_cm": 10, "weight_g": 800}})
    out = check_size_tier({"table": "tiers", "package": "product.package", "fail_tiers": ["special oversize"]}, c)
    assert out.ok and out.notes == ["size tier: parcel (30 × 20 × 10 cm, 800 g)"]
    c = ctx({"package": {"length_cm": 180, "width_cm": 30, "height_cm": 10, "weight_g": 800}})
    out = check_size_tier({"table": "tiers", "package": "product.package", "fail_tiers": ["special oversize"]}, c)
    assert not out.ok and out.notes[0].startswith("size tier: special oversize")


@pytest.mark.parametrize("band,cellular,ok", [
    ([2400, 2483.5], None, True), ([2399.9, 2483.5], None, False), ([2400, 2483.6], None, False),
    ([791, 821], True, True), ([791, 821], None, False)])
def test_bands_within_edges_and_conditional_entries(band, cellular, ok):
    radio = {"frequency_bands_mhz": [band]}
    if cellular is not None:
        radio["cellular"] = cellular
    out = check_bands_within({"path": "product.electrical.radio.frequency_bands_mhz", "table": "bands"},
                             ctx({"electrical": {"radio": radio}}))
    assert out.ok is ok
    if not ok:
        assert "not inside a band" in out.problems[0]


@pytest.mark.parametrize("std,as_of,ok", [
    ("EN 300 328 V2.1.1", dt.date(2021, 8, 5), True),
    ("EN 300 328 V2.1.1", dt.date(2021, 8, 6), False),
    ("EN 300 328 V2.2.2", dt.date(2026, 1, 1), True),
    ("EN 62368-1:2099", AS_OF, True)])
def test_standards_current_by_date(std, as_of, ok):
    c = ctx({"documents": [{"id": "tr1", "type": "test-report", "standards": [std]}]}, as_of=as_of)
    out = check_standards_current({"table": "superseded"}, c)
    assert out.ok is ok
    if not ok:
        assert out.problems == ["tr1 cites EN 300 328 V2.1.1, superseded by EN 300 328 V2.2.2 (presumption of conformity ended 2021-08-06)"]


def test_registration_for_each_country_and_from_a_field():
    seller = {"stock_locations": ["DE", "PL", "GB"], "registrations": [{"type": "vat", "country": "DE", "number": "DE123456789"}]}
    out = check_registration({"type": "vat", "for_each_country": {"paths": ["seller.stock_locations"], "within": ["EU"]}},
                             ctx(seller=seller))
    assert not out.ok
    assert out.missing_documents == [{"type": "vat", "kind": "registration", "detail": "for PL"}]
    seller["registrations"].append({"type": "vat", "country": "PL", "number": "PL1234567890"})
    assert check_registration({"type": "vat", "for_each_country": {"paths": ["seller.stock_locations"], "within": ["EU"]}},
                              ctx(seller=seller)).ok
    listing = {"market": "FR", "marketplace": "own-site", "ships_from": "PL"}
    assert check_registration({"type": "vat", "market": "listing.ships_from"}, ctx(market="FR", listing=listing, seller=seller)).ok
    out = check_registration({"type": "vat", "market": "listing.ships_from"}, ctx(market="FR", listing=dict(listing, ships_from="CZ"), seller=seller))
    assert out.missing_documents == [{"type": "vat", "kind": "registration", "detail": "for CZ"}]


@pytest.mark.parametrize("total_dbp,ok", [(0.0999, True), (0.1, False), (0.1001, False)])
def test_substance_sum_strictly_below(total_dbp, ok):
    c = ctx({"substances": [{"name": "DBP", "cas": "84-74-2", "component": "grip", "concentration_pct": total_dbp}]})
    out = check_substance_sum({"cas": PHTHALATES, "max_pct": 0.1, "max_exclusive": True}, c)
    assert out.ok is ok
    if not ok:
        assert "together they must be below 0.1 %" in out.problems[0]


@pytest.mark.parametrize("as_of,ok", [(dt.date(2025, 11, 4), True), (dt.date(2025, 11, 5), False)])
def test_substance_table_entries_count_from_their_date(as_of, ok):
    from compliance_engine.requirements import check_substances_absent

    table = DataTable("svhc", "SVHC", ["https://x"], "2026-01-01",
                      [{"name": "DBDPE", "cas": "84852-53-9", "max_pct": 0.1, "from": "2025-11-05"}], "x")
    c = ctx({"substances": [{"name": "DBDPE", "cas": "84852-53-9", "concentration_pct": 0.5}]}, as_of=as_of)
    assert check_substances_absent({"table": "svhc"}, Context(c.unit, as_of, {"svhc": table})).ok is ok


def test_small_concentrations_print_without_exponents():
    c = ctx({"substances": [{"name": "Benzo[a]pyrene", "cas": "50-32-8", "concentration_pct": 0.000051}]})
    out = check_substance_limit({"cas": ["50-32-8"], "max_pct": 0.00005}, c)
    assert "at 0.000051 %; it must be at most 0.00005 %" in out.problems[0]


@pytest.mark.parametrize("pct,named,ok", [(0.001, None, True), (0.0011, None, False), (0.5, "LINALOOL", True), (0.5, "78-70-6", True)])
def test_named_in_ingredients(pct, named, ok):
    from compliance_engine.requirements import check_named_in_ingredients

    table = DataTable("allergens", "A", ["https://x"], "2026-01-01",
                      [{"name": "Linalool", "cas": ["78-70-6"], "set": "old", "leave_on_pct": 0.001},
                       {"name": "Vanillin", "set": "new", "leave_on_pct": 0.001}], "x")
    ingredients = [{"name": "Aqua"}]
    if named:
        ingredients.append({"cas": named, "name": "x"} if named[0].isdigit() else {"name": named})
    c = ctx({"ingredients": ingredients, "substances": [{"name": "linalool", "concentration_pct": pct},
                                                        {"name": "Vanillin", "concentration_pct": 1}]})
    out = check_named_in_ingredients({"table": "allergens", "sets": ["old"], "threshold_key": "leave_on_pct"},
                                     Context(c.unit, AS_OF, {"allergens": table}))
    assert out.ok is ok
    if not ok:
        assert out.problems == ["Linalool at 0.0011 % (above 0.001 %) is not named in the ingredient list"]


@pytest.mark.parametrize("phrase,text,hit", [
    ("disinfect*", "Disinfects surfaces", "Disinfects"),
    ("disinfect*", "a disinfectant spray", "disinfectant"),
    ("disinfect*", "redisinfect", None),
    ("SPF{n}", "Day cream SPF30 for all", "SPF30"),
    ("SPF {n}", "with SPF 50+ protection", "SPF 50"),
    ("lose {n} lbs", "Lose 10 lbs in a week", "Lose 10 lbs"),
    ("Made in U.S.A.", "proudly MADE IN U.S.A. today", "MADE IN U.S.A."),
    ("made in usa", "Ｍａｄｅ in USA", "Made in USA"),  # full-width letters normalised (NFKC)
    ("{n}", "no digits here", None),
])
def test_phrase_tokens(phrase, text, hit):
    table = DataTable("phrases", "t", ["https://x"], "2026-01-01", {"list": [phrase]}, "x")
    c = ctx({"claims": [{"text": text}]})
    out = check_phrases_absent({"table": "phrases", "in": ["product.claims[].text"]}, Context(c.unit, AS_OF, {"phrases": table}))
    assert out.ok is (hit is None)
    if hit:
        assert out.problems == [f'"{hit}" (list) in claims[0].text']


def test_substance_limit_skips_items_naming_an_exemption():
    items = [{"name": "Lead", "cas": "7439-92-1", "component": "solder", "concentration_pct": 3.5, "rohs_exemption": "7(a)"},
             {"name": "Lead", "cas": "7439-92-1", "component": "housing", "concentration_pct": 0.2}]
    out = check_substance_limit({"cas": ["7439-92-1"], "max_pct": 0.1, "exempt_if": ["rohs_exemption"]}, ctx({"substances": items}))
    assert not out.ok and len(out.problems) == 1 and out.problems[0].startswith("substances[1]")
    items[1]["rohs_exemption"] = "6(c)"
    assert check_substance_limit({"cas": ["7439-92-1"], "max_pct": 0.1, "exempt_if": ["rohs_exemption"]}, ctx({"substances": items})).ok


@pytest.mark.parametrize("flag,ok", [(True, True), (False, False), (None, False)])
def test_exempt_if_a_flag_is_true(flag, ok):
    item = {"name": "Lead", "cas": "7439-92-1", "concentration_pct": 0.02}
    if flag is not None:
        item["inaccessible"] = flag
    out = check_substance_limit({"cas": ["7439-92-1"], "max_pct": 0.01, "exempt_if": ["inaccessible"]}, ctx({"substances": [item]}))
    assert out.ok is ok


def test_phrase_lists_include_other_lists_and_bad_references_fail_at_load(tmp_path):
    from compliance_engine.errors import PackError
    from tests.conftest import make_checker, pack_yaml, rule_yaml, write

    table = DataTable("phrases", "t", ["https://x"], "2026-01-01",
                      {"fda-approved": ["FDA approved"], "fda-status": ["@fda-approved", "FDA registered"]}, "x")
    c = ctx({"claims": [{"text": "FDA approved and FDA registered"}]})
    out = check_phrases_absent({"table": "phrases", "in": ["product.claims[].text"], "lists": ["fda-status"]},
                               Context(c.unit, AS_OF, {"phrases": table}))
    assert out.problems == ['"FDA approved" (fda-status) in claims[0].text', '"FDA registered" (fda-status) in claims[0].text']
    write(tmp_path / "packs" / "data" / "p.yaml", "table: p\ntitle: P\nsource: https://example.org/p\nas_of: 2026-01-01\n"
          "entries:\n  a: ['@b']\n  b: ['@a']\n  c: ['@missing']\n")
    for lists, text in ((["a"], "phrase lists include each other: a -> b -> a"), (["c"], "no phrase list 'missing'"),
                        (["zz"], "no phrase list 'zz'")):
        pack = pack_yaml("eu.t", rule_yaml("eu.t.claims", requires=f"[{{phrases_absent: {{table: p, lists: {lists}, in: [listing.title]}}}}]"),
                         extra="data: {p: data/p.yaml}\n")
        with pytest.raises(PackError) as exc:
            make_checker(tmp_path, pack)
        assert text in str(exc.value), str(exc.value)


def test_phrases_inside_excepted_wording_are_not_claims():
    table = DataTable("phrases", "t", ["https://x"], "2026-01-01",
                      {"health": ["cancer", "cures {n} diseases"], "warnings": ["Cancer and Reproductive Harm"]}, "x")
    c = ctx(listing={"market": "US", "marketplace": "amazon",
                     "description": "WARNING: Cancer and Reproductive Harm - www.P65Warnings.ca.gov. Fights cancer!"})
    out = check_phrases_absent({"table": "phrases", "in": ["listing.description"], "lists": ["health"], "except_lists": ["warnings"]},
                               Context(c.unit, AS_OF, {"phrases": table}))
    assert out.problems == ['"cancer" (health) in listings[0].description']  # only "Fights cancer!"
    c.unit.listing["description"] = "WARNING: Cancer and Reproductive Harm"
    assert check_phrases_absent({"table": "phrases", "in": ["listing.description"], "lists": ["health"], "except_lists": ["warnings"]},
                                Context(c.unit, AS_OF, {"phrases": table})).ok


def test_schema_errors_read_as_field_paths():
    from compliance_engine.requirements import check_schema

    spec = {"properties": {"documents": {"items": {"if": {"properties": {"type": {"const": "gcc"}}},
                                                    "then": {"required": ["cpsc_registry_ref"]}}},
                           "age_grade": {"properties": {"min_years": {"minimum": 3}}}}}
    out = check_schema(spec, ctx({"documents": [{"id": "a", "type": "test-report"}, {"id": "b", "type": "gcc"}],
                                  "age_grade": {"min_years": 1}}))
    assert out.missing_fields == ["age_grade.min_years: 1 (must be at least 3)", "documents[1].cpsc_registry_ref"]


def test_presence_tables_say_present_not_above_zero():
    from compliance_engine.requirements import check_substances_absent

    table = DataTable("p65", "Prop 65", ["https://x"], "2026-01-01", [{"name": "Lead", "cas": "7439-92-1", "max_pct": 0}], "x")
    c = ctx({"substances": [{"name": "Lead", "cas": "7439-92-1", "concentration_pct": 0.0012}]})
    out = check_substances_absent({"table": "p65"}, Context(c.unit, AS_OF, {"p65": table}))
    assert out.problems == ["substances[0] Lead (CAS 7439-92-1) is present (0.0012 %)"]


def test_registration_country_from_an_absent_field_is_reported_as_missing():
    out = check_registration({"type": "vat", "market": "listing.ships_from"},
                             ctx(market="FR", listing={"market": "FR", "marketplace": "own-site"}, seller={"registrations": []}))
    assert not out.ok and out.absent
    assert out.missing_fields == ["listings[0].ships_from"]
    assert out.problems == ["listings[0].ships_from is not given, so the registration country is unknown"]
