"""Limits and dates of the eu.reach, eu.scip and gb.ukca packs, as a user sees them: for every numeric limit
the value at, just below and just above it; for every dated rule a check before and on its date."""

from __future__ import annotations

import datetime as dt

import pytest

from compliance_engine import Checker
from tests.conftest import AS_OF

PACKS = ["eu.reach", "eu.scip", "gb.ukca"]

DEHP, DBP, BBP, DIBP = "117-81-7", "84-74-2", "85-68-7", "84-69-5"
DINP, DIDP, DNOP = "28553-12-0", "26761-40-0", "117-84-0"
BAP, NICKEL, LEAD, CADMIUM = "50-32-8", "7440-02-0", "7439-92-1", "7440-43-9"
NAMES = {DEHP: "Bis(2-ethylhexyl) phthalate", DBP: "Dibutyl phthalate", BBP: "Benzyl butyl phthalate",
         DIBP: "Diisobutyl phthalate", DINP: "Diisononyl phthalate", DIDP: "Diisodecyl phthalate",
         DNOP: "Di-n-octyl phthalate", BAP: "Benzo[a]pyrene", NICKEL: "Nickel", LEAD: "Lead", CADMIUM: "Cadmium"}


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(packs=PACKS, as_of=AS_OF)


def findings(checker, product, market="DE", as_of=AS_OF, listing=None, seller=None):
    return {f.rule: f for f in checker.check(product, market, listing=listing, seller=seller, as_of=as_of)}


def product(category="other", substances=(), **extra):
    p = {"kind": "Product", "sku": "LIM-1", "category": category, "markets": ["DE"],
         "manufacturer": {"name": "Shenzhen Maker Co., Ltd.", "address": "1 Keji Road, Shenzhen", "country": "CN"},
         "substances": [dict(s) for s in substances]}
    p.update(extra)
    return p


def sub(cas, pct=None, component="part", material="plasticised", contact="skin-prolonged", **extra):
    s = {"name": NAMES[cas], "cas": cas, "component": component, "material": material, "contact": contact}
    if pct is not None:
        s["concentration_pct"] = pct
    s.update(extra)
    return s


def assert_status(f, status, severity="error", *words):
    assert f is not None, "expected a finding, got none"
    assert f.status == status, f.message
    if status == "fail":
        assert f.severity == severity, f.message
        for w in words:
            assert w in f.message, f.message


# ------------------------------------------------------------------------------------------ entry 51
@pytest.mark.parametrize("values,status", [
    ([(DEHP, 0.1)], "fail"),                 # "0.1 % or more" is prohibited: the limit value itself fails
    ([(DEHP, 0.0999)], "pass"),
    ([(DEHP, 0.1001)], "fail"),
    ([(DEHP, 0.05), (DBP, 0.05)], "fail"),    # the group sum counts
    ([(DEHP, 0.05), (DBP, 0.0499)], "pass"),
    ([(DEHP, 0.05), (DBP, 0.0501)], "fail"),
    ([(DEHP, 0.025), (DBP, 0.025), (BBP, 0.025), (DIBP, 0.025)], "fail"),
    ([(DEHP, 0.02), (DBP, 0.03), (BBP, 0.02), (DIBP, 0.0299)], "pass"),
])
def test_entry51_group_sum_per_plasticised_material(checker, values, status):
    p = product("footwear", [sub(cas, pct, component="PVC strap") for cas, pct in values])
    f = findings(checker, p)["eu.reach.phthalates-entry51"]
    assert_status(f, status, "error", "PVC strap", "below 0.1 % (sum)")


def test_entry51_sums_each_component_separately(checker):
    p = product("footwear", [sub(DEHP, 0.06, component="strap"), sub(DBP, 0.06, component="sole")])
    assert findings(checker, p)["eu.reach.phthalates-entry51"].status == "pass"


def test_entry51_all_articles_only_from_7_july_2020(checker):
    p = product("footwear", [sub(DEHP, 0.06), sub(DBP, 0.06)])
    assert "eu.reach.phthalates-entry51" not in findings(checker, p, as_of=dt.date(2020, 7, 6))
    assert_status(findings(checker, p, as_of=dt.date(2020, 7, 7))["eu.reach.phthalates-entry51"], "fail", "error",
                  "DEHP + DBP + BBP + DIBP")


def test_entry51_dibp_counts_in_toys_from_7_july_2020(checker):
    p = product("toys", [sub(DEHP, 0.05, contact="mouth"), sub(DIBP, 0.06, contact="mouth")], age_grade={"min_years": 3})
    before = findings(checker, p, as_of=dt.date(2020, 7, 6))["eu.reach.phthalates-entry51"]
    assert before.status == "pass"  # DEHP + DBP + BBP = 0.05 %
    assert_status(findings(checker, p, as_of=dt.date(2020, 7, 7))["eu.reach.phthalates-entry51"], "fail", "error",
                  "0.11 %")


def test_entry51_rohs_eee_outside_the_article_paragraph(checker):
    p = product("electronics.audio", [sub(DEHP, 0.3, component="USB cable jacket")], electrical={"dc_input_v": 5})
    assert "eu.reach.phthalates-entry51" not in findings(checker, p)


# ------------------------------------------------------------------------------------------ entry 52
@pytest.mark.parametrize("values,status", [
    ([(DINP, 0.1)], "pass"),                  # "more than 0.1 %" is prohibited: the limit value passes
    ([(DINP, 0.0999)], "pass"),
    ([(DINP, 0.1001)], "fail"),
    ([(DINP, 0.05), (DIDP, 0.05)], "pass"),
    ([(DINP, 0.05), (DNOP, 0.0501)], "fail"),
])
def test_entry52_group_sum_in_mouthable_toys(checker, values, status):
    p = product("toys", [sub(cas, pct, component="vinyl pages", contact="mouth") for cas, pct in values],
                age_grade={"min_years": 0.5})
    f = findings(checker, p)["eu.reach.phthalates-entry52"]
    assert_status(f, status, "error", "vinyl pages", "at most 0.1 % (sum)")


def test_entry52_only_for_mouthable_articles(checker):
    p = product("toys", [sub(DINP, 0.5)], age_grade={"min_years": 8}, child_safety={"mouthable": False})
    assert "eu.reach.phthalates-entry52" not in findings(checker, p)


def test_entry52_before_and_on_1_june_2009(checker):
    p = product("childcare", [sub(DINP, 0.2, contact="mouth")], child_safety={"mouthable": True})
    assert "eu.reach.phthalates-entry52" not in findings(checker, p, as_of=dt.date(2009, 5, 31))
    assert findings(checker, p, as_of=dt.date(2009, 6, 1))["eu.reach.phthalates-entry52"].status == "fail"


# ------------------------------------------------------------------------------------------ entry 50 PAHs
@pytest.mark.parametrize("pct,status", [(0.0001, "pass"), (0.00009, "pass"), (0.00011, "fail")])
def test_pah_1_mg_per_kg_in_consumer_articles(checker, pct, status):
    p = product("sporting-goods", [sub(BAP, pct, component="grip", material="rubber")])
    assert_status(findings(checker, p)["eu.reach.pah-entry50"], status, "error", "Benzo[a]pyrene", "1 mg/kg")


@pytest.mark.parametrize("pct,status", [(0.00005, "pass"), (0.000049, "pass"), (0.000051, "fail"), (0.0001, "fail")])
def test_pah_half_mg_per_kg_in_toys_and_childcare(checker, pct, status):
    p = product("toys", [sub(BAP, pct, component="handle", material="plastic", contact="mouth")],
                age_grade={"min_years": 3})
    assert_status(findings(checker, p)["eu.reach.pah-entry50"], status, "error", "Benzo[a]pyrene", "0.5 mg/kg")


def test_pah_limit_only_for_skin_or_mouth_contact_rubber_and_plastic(checker):
    metal = product("other", [sub(BAP, 0.01, material="metal")])
    assert findings(checker, metal)["eu.reach.pah-entry50"].status == "pass"
    no_contact = product("other", [sub(BAP, 0.01, material="rubber", contact="none")])
    assert findings(checker, no_contact)["eu.reach.pah-entry50"].status == "pass"


def test_pah_undeclared_contact_is_a_warning_not_a_silent_pass(checker):
    s = sub(BAP, 0.01, material="rubber")
    del s["contact"]
    f = findings(checker, product("other", [s]))["eu.reach.pah-entry50"]
    assert_status(f, "fail", "warning", "body contact")


def test_pah_before_and_on_27_december_2015(checker):
    p = product("other", [sub(BAP, 0.001, material="rubber")])
    assert "eu.reach.pah-entry50" not in findings(checker, p, as_of=dt.date(2015, 12, 26))
    assert findings(checker, p, as_of=dt.date(2015, 12, 27))["eu.reach.pah-entry50"].status == "fail"


# ------------------------------------------------------------------------------------------ entry 27 nickel
EN1811 = {"id": "tr", "type": "test-report", "standards": ["EN 1811:2023"], "result": "pass", "issued": "2025-01-01"}


@pytest.mark.parametrize("release,status", [(0.5, "pass"), (0.49, "pass"), (0.51, "fail")])
def test_nickel_release_prolonged_skin_contact(checker, release, status):
    p = product("apparel.accessories", [sub(NICKEL, component="buckle", material="metal", release_ug_cm2_week=release)],
                documents=[EN1811])
    assert_status(findings(checker, p)["eu.reach.nickel-entry27"], status, "error", "Nickel", "at most 0.5 ug/cm2/week")


@pytest.mark.parametrize("release,status", [(0.2, "fail"), (0.19, "pass"), (0.21, "fail")])
def test_nickel_release_piercing_posts_strictly_below_0_2(checker, release, status):
    p = product("jewelry", [sub(NICKEL, component="ear post", material="metal", contact="piercing",
                                release_ug_cm2_week=release)], documents=[EN1811])
    assert_status(findings(checker, p)["eu.reach.nickel-entry27"], status, "error", "Nickel", "below 0.2 ug/cm2/week")


def test_nickel_needs_en1811_evidence_and_en12472_for_coated_parts(checker):
    p = product("jewelry", [sub(NICKEL, material="coating", release_ug_cm2_week=0.1)])
    f = findings(checker, p)["eu.reach.nickel-entry27"]
    assert_status(f, "fail", "error", "EN 1811", "EN 12472")
    p["documents"] = [dict(EN1811, standards=["EN 12472:2020", "EN 1811:2023"])]
    assert findings(checker, p)["eu.reach.nickel-entry27"].status == "pass"


def test_nickel_before_and_on_1_june_2009(checker):
    p = product("jewelry", [sub(NICKEL, material="metal", release_ug_cm2_week=0.9)], documents=[EN1811])
    assert "eu.reach.nickel-entry27" not in findings(checker, p, as_of=dt.date(2009, 5, 31))
    assert findings(checker, p, as_of=dt.date(2009, 6, 1))["eu.reach.nickel-entry27"].status == "fail"


# ------------------------------------------------------------------------------------------ entry 63 lead
@pytest.mark.parametrize("pct,status", [(0.05, "fail"), (0.0499, "pass"), (0.0501, "fail")])
def test_lead_below_0_05_in_jewellery(checker, pct, status):
    p = product("jewelry", [sub(LEAD, pct, component="pendant", material="metal", contact="skin-prolonged")],
                documents=[EN1811])
    assert_status(findings(checker, p)["eu.reach.lead-entry63"], status, "error", "Lead (CAS 7439-92-1)", "below 0.05 %")


@pytest.mark.parametrize("pct,status", [(0.05, "fail"), (0.0499, "pass"), (0.0501, "fail")])
def test_lead_below_0_05_in_mouthable_articles(checker, pct, status):
    p = product("other", [sub(LEAD, pct, component="zipper pull", material="metal", contact="mouth")],
                child_safety={"mouthable": True})
    assert_status(findings(checker, p)["eu.reach.lead-entry63"], status, "error", "Lead (CAS 7439-92-1)", "below 0.05 %")


def test_lead_jewellery_from_9_october_2013_mouthable_from_1_june_2016(checker):
    jewel = product("jewelry", [sub(LEAD, 0.3, material="metal")])
    assert "eu.reach.lead-entry63" not in findings(checker, jewel, as_of=dt.date(2013, 10, 8))
    assert findings(checker, jewel, as_of=dt.date(2013, 10, 9))["eu.reach.lead-entry63"].status == "fail"
    keyring = product("other", [sub(LEAD, 0.08, material="metal", contact="mouth")], child_safety={"mouthable": True})
    assert "eu.reach.lead-entry63" not in findings(checker, keyring, as_of=dt.date(2016, 5, 31))
    assert findings(checker, keyring, as_of=dt.date(2016, 6, 1))["eu.reach.lead-entry63"].status == "fail"


def test_lead_mouthable_paragraph_leaves_toys_to_the_toy_rules(checker):
    toy = product("toys", [sub(LEAD, 0.3, material="metal", contact="mouth")], child_safety={"mouthable": True})
    assert "eu.reach.lead-entry63" not in findings(checker, toy)


# ------------------------------------------------------------------------------------------ entry 23 cadmium
@pytest.mark.parametrize("pct,status", [(0.01, "fail"), (0.0099, "pass"), (0.0101, "fail")])
def test_cadmium_below_0_01_in_jewellery_metal(checker, pct, status):
    p = product("jewelry", [sub(CADMIUM, pct, component="chain", material="metal")], documents=[EN1811])
    assert_status(findings(checker, p)["eu.reach.cadmium-entry23"], status, "error", "Cadmium", "below 0.01 %")


@pytest.mark.parametrize("pct,status", [(0.01, "fail"), (0.0099, "pass"), (0.0101, "fail")])
def test_cadmium_below_0_01_in_plastics(checker, pct, status):
    p = product("furniture", [sub(CADMIUM, pct, component="seat shell", material="plastic")])
    assert_status(findings(checker, p)["eu.reach.cadmium-entry23"], status, "error", "Cadmium", "below 0.01 %")


@pytest.mark.parametrize("pct,status", [(0.1, "fail"), (0.0999, "pass"), (0.1001, "fail")])
def test_cadmium_below_0_1_in_paint_on_painted_articles(checker, pct, status):
    p = product("furniture", [sub(CADMIUM, pct, component="frame paint", material="coating")])
    assert_status(findings(checker, p)["eu.reach.cadmium-entry23"], status, "error", "Cadmium", "below 0.1 %")


def test_cadmium_before_and_on_10_december_2011(checker):
    p = product("furniture", [sub(CADMIUM, 0.05, material="plastic")])
    assert "eu.reach.cadmium-entry23" not in findings(checker, p, as_of=dt.date(2011, 12, 9))
    assert findings(checker, p, as_of=dt.date(2011, 12, 10))["eu.reach.cadmium-entry23"].status == "fail"


# ------------------------------------------------------------------------------------------ Art 33 / SCIP 0.1 %
@pytest.mark.parametrize("pct,status", [(0.1, "pass"), (0.0999, "pass"), (0.1001, "fail")])
def test_svhc_above_0_1_needs_the_art33_declaration(checker, pct, status):
    p = product("other", [{"name": "Medium-chain chlorinated paraffins", "cas": "85535-85-9", "concentration_pct": pct,
                           "component": "PU coating", "material": "plastic"}])
    f = findings(checker, p)["eu.reach.svhc-communication"]
    assert_status(f, status, "error", "Medium-chain chlorinated paraffins", "reach-svhc-declaration")
    p["documents"] = [{"id": "d", "type": "reach-svhc-declaration", "issued": "2025-01-01"}]
    assert findings(checker, p)["eu.reach.svhc-communication"].status == "pass"


def test_svhc_matched_by_name_or_synonym_when_cas_is_missing(checker):
    p = product("other", [{"name": "DBDPE", "concentration_pct": 0.5, "component": "housing"}])
    assert_status(findings(checker, p)["eu.reach.svhc-communication"], "fail", "error", "DBDPE")


@pytest.mark.parametrize("tonnes,status", [(1, "pass"), (0.99, "pass"), (1.01, "fail")])
def test_art7_notification_above_1_tonne_is_a_warning(checker, tonnes, status):
    p = product("other", [sub(LEAD, 2.0, material="metal", contact="none")], reach_tonnage_t_per_year=tonnes,
                documents=[{"id": "d", "type": "reach-svhc-declaration", "issued": "2025-01-01"}])
    assert_status(findings(checker, p)["eu.reach.svhc-communication"], status, "warning", "Art 7(2)")


@pytest.mark.parametrize("pct,status", [(0.1, "pass"), (0.0999, "pass"), (0.1001, "fail")])
def test_scip_notification_above_0_1_for_eu_importers(checker, pct, status):
    p = product("other", [sub(LEAD, pct, material="metal", contact="none")],
                economic_operators=[{"jurisdiction": "EU", "role": "importer", "name": "Imp GmbH", "address": "Berlin",
                                     "country": "DE"}])
    assert_status(findings(checker, p)["eu.scip.notification"], status, "error", "SCIP notification", "Lead")
    p["registrations"] = [{"type": "scip-notification", "market": "EU", "number": "abc-123"}]
    assert findings(checker, p)["eu.scip.notification"].status == "pass"


def test_scip_before_and_on_5_january_2021(checker):
    p = product("other", [sub(LEAD, 2.0, material="metal", contact="none")])
    seller = {"kind": "Seller", "name": "Handels GmbH", "established_in": "DE"}
    assert "eu.scip.notification" not in findings(checker, p, as_of=dt.date(2021, 1, 4), seller=seller)
    assert findings(checker, p, as_of=dt.date(2021, 1, 5), seller=seller)["eu.scip.notification"].status == "fail"


def test_scip_does_not_run_for_non_eu_sellers_without_eu_importer(checker):
    p = product("other", [sub(LEAD, 2.0, material="metal", contact="none")])
    seller = {"kind": "Seller", "name": "Trading Co", "established_in": "CN"}
    assert "eu.scip.notification" not in findings(checker, p, seller=seller)


# ------------------------------------------------------------------------------------------ gb.ukca dates
GB_IMPORTER = [{"jurisdiction": "GB", "role": "importer", "name": "UK Ltd", "address": "1 Park Row, Leeds",
                "country": "GB"}]


def speaker(marks, documents=(), market="GB"):
    return {"kind": "Product", "sku": "LIM-UKCA", "category": "electronics.audio", "markets": [market],
            "manufacturer": {"name": "Shenzhen Sonora", "address": "Shenzhen", "country": "CN"},
            "economic_operators": GB_IMPORTER, "electrical": {"dc_input_v": 5, "radio": {"bluetooth": True}},
            "labelling": {"marks": list(marks),
                          "contacts_on_pack": [{"role": "importer", "jurisdiction": "GB", "channels": ["address"]}]},
            "documents": list(documents)}


EU_DOC = {"id": "eu", "type": "eu-declaration-of-conformity", "covers": ["RED", "RoHS"], "issued": "2020-06-01"}


def test_ukca_rules_start_on_1_january_2021(checker):
    p = speaker(["CE"], [EU_DOC])
    before = findings(checker, p, "GB", as_of=dt.date(2020, 12, 31))
    assert not any(r.startswith("gb.ukca.") for r in before)
    on = findings(checker, p, "GB", as_of=dt.date(2021, 1, 1))
    assert on["gb.ukca.conformity-marking"].status == "pass"
    assert on["gb.ukca.uk-importer-label"].status == "pass"


@pytest.mark.parametrize("as_of", [dt.date(2024, 9, 30), dt.date(2024, 10, 1), AS_OF])
def test_ce_only_accepted_in_gb_before_and_after_indefinite_recognition(checker, as_of):
    assert findings(checker, speaker(["CE"], [EU_DOC]), "GB", as_of=as_of)["gb.ukca.conformity-marking"].status == "pass"


def test_gb_without_ce_or_ukca_fails(checker):
    f = findings(checker, speaker(["WEEE-bin"]), "GB")["gb.ukca.conformity-marking"]
    assert_status(f, "fail", "error", "CE or the UKCA marking", "GB market")


def test_uk_doc_fast_track_with_eu_law_counts_from_1_october_2024(checker):
    uk_doc_eu_law = {"id": "uk", "type": "uk-declaration-of-conformity", "covers": ["RED", "RoHS"],
                     "standards": ["EN 300 328 V2.2.2"], "issued": "2024-05-01"}
    p = speaker(["UKCA"], [uk_doc_eu_law])
    before = findings(checker, p, "GB", as_of=dt.date(2024, 9, 30))["gb.ukca.uk-declaration-of-conformity"]
    assert_status(before, "fail", "error", "UK-RER-2017", "UK-ROHS-2012")
    on = findings(checker, p, "GB", as_of=dt.date(2024, 10, 1))["gb.ukca.uk-declaration-of-conformity"]
    assert on.status == "pass", on.message


def test_uk_doc_with_uk_law_needs_standards(checker):
    doc = {"id": "uk", "type": "uk-declaration-of-conformity", "covers": ["UK-RER-2017", "UK-ROHS-2012"],
           "issued": "2022-01-01"}
    f = findings(checker, speaker(["UKCA"], [doc]), "GB")["gb.ukca.uk-declaration-of-conformity"]
    assert_status(f, "fail", "error", "standards")
    doc["standards"] = ["EN 300 328 V2.2.2"]
    assert findings(checker, speaker(["UKCA"], [doc]), "GB")["gb.ukca.uk-declaration-of-conformity"].status == "pass"


def test_northern_ireland_needs_ce_and_an_eu_or_ni_operator(checker):
    p = speaker(["UKCA"], market="XI")
    assert_status(findings(checker, p, "XI")["gb.ukca.northern-ireland"], "fail", "error", "CE marking",
                  "established in the EU or Northern Ireland")
    p["labelling"]["marks"] = ["CE", "UKCA"]
    p["economic_operators"] = [{"jurisdiction": "XI", "role": "importer", "name": "NI Ltd", "address": "Belfast",
                                "country": "XI"}]
    assert findings(checker, p, "XI")["gb.ukca.northern-ireland"].status == "pass"


def test_northern_ireland_ukni_only_when_a_uk_body_assessed(checker):
    uk_body = {"id": "nb", "type": "eu-type-examination-certificate", "covers": ["RED"], "issued": "2025-01-01",
               "issuer": {"name": "UK Body", "role": "notified-body", "country": "GB"}}
    p = speaker(["CE"], [uk_body], market="XI")
    p["economic_operators"] = [{"jurisdiction": "EU", "role": "importer", "name": "IE Ltd", "address": "Dublin",
                                "country": "IE"}]
    assert_status(findings(checker, p, "XI")["gb.ukca.northern-ireland"], "fail", "error", "UK(NI)")
    p["labelling"]["marks"] = ["CE", "UKNI"]
    assert findings(checker, p, "XI")["gb.ukca.northern-ireland"].status == "pass"
    p["documents"][0]["issuer"]["country"] = "DE"
    p["labelling"]["marks"] = ["CE"]
    assert findings(checker, p, "XI")["gb.ukca.northern-ireland"].status == "pass"


def test_gb_offer_delivering_to_ni_gets_the_ni_rule(checker):
    p = speaker(["UKCA"])
    listing = {"marketplace": "amazon", "market": "GB", "ships_to_regions": ["XI"]}
    assert findings(checker, p, "GB", listing=listing)["gb.ukca.northern-ireland"].status == "fail"
    assert "gb.ukca.northern-ireland" not in findings(checker, p, "GB", listing=dict(listing, ships_to_regions=[]))
