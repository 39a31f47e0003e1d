"""Limits, age thresholds and dates of the us.cpsc pack, as a user sees them: for every numeric limit the value at,
just below and just above it; for every dated rule or escalation a check before and on its date.

Units: concentration_pct is a percentage, 1 ppm = 0.0001 % (100 ppm = 0.01 %, 90 ppm = 0.009 %)."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from compliance_engine import Checker
from tests.conftest import AS_OF, assert_fail, assert_pass

PACKS = ["us.cpsc"]
LEAD = "7439-92-1"
PHTHALATES = {  # CAS -> name, 16 CFR 1307.3
    "117-81-7": "Bis(2-ethylhexyl) phthalate", "84-74-2": "Dibutyl phthalate", "85-68-7": "Benzyl butyl phthalate",
    "28553-12-0": "Diisononyl phthalate", "84-69-5": "Diisobutyl phthalate", "131-18-0": "Di-n-pentyl phthalate",
    "84-75-3": "Di-n-hexyl phthalate", "84-61-7": "Dicyclohexyl phthalate",
}
ACCEPTED_LAB = {"name": "Example Testing (Shenzhen)", "role": "test-lab", "id": "1234", "country": "CN", "cpsc_accepted": True}


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(packs=PACKS, as_of=AS_OF)


def findings(checker, product, listing=None, seller=None, as_of=AS_OF):
    if isinstance(as_of, str):
        as_of = dt.date.fromisoformat(as_of)
    return {f.rule: f for f in checker.check(product, "US", listing=listing, seller=seller, as_of=as_of)}


def rule(checker, product, rule_id, **kw):
    return findings(checker, product, **kw).get(f"us.cpsc.{rule_id}")


def report(*standards, covers=None, accepted=True, **extra):
    d = {"type": "test-report", "standards": list(standards), "result": "pass", "issued": "1990-01-01",
         "issuer": dict(ACCEPTED_LAB, cpsc_accepted=accepted)}
    if covers:
        d["covers"] = covers
    d.update(extra)
    return d


def product(category="toys", min_years=3, substances=(), documents=(), **extra):
    p = {"kind": "Product", "sku": "LIM-CPSC", "category": category, "markets": ["US"], "country_of_origin": "CN",
         "identifiers": {"model": "M-1"},
         "substances": [dict(s) for s in substances], "documents": [dict(d) for d in documents]}
    if min_years is not None:
        p["age_grade"] = {"min_years": min_years}
    p.update(copy.deepcopy(extra))
    return p


def lead(pct, component="zinc-alloy body", material="metal", **extra):
    return dict({"name": "Lead", "cas": LEAD, "concentration_pct": pct, "component": component, "material": material}, **extra)


def phthalate(cas, pct, component="PVC body", **extra):
    return dict({"name": PHTHALATES[cas], "cas": cas, "concentration_pct": pct, "component": component,
                 "material": "plasticised"}, **extra)


def assert_status(f, status, severity="error", *words):
    if status == "pass":
        assert_pass(f)
    else:
        assert_fail(f, severity, *words)


# ------------------------------------------------------------------------------------------ total lead 100 ppm
LEAD_REPORT = report("CPSC-CH-E1001-08.3", "CPSC-CH-E1002-08.3")


@pytest.mark.parametrize("pct,status", [
    (0.0099, "pass"),   # 99 ppm
    (0.01, "pass"),     # 100 ppm: "more than 100 ppm" is banned, the limit itself passes
    (0.0101, "fail"),   # 101 ppm
])
def test_total_lead_100_ppm_in_accessible_components(checker, pct, status):
    f = rule(checker, product(substances=[lead(pct)], documents=[LEAD_REPORT]), "lead-content")
    assert_status(f, status, "error", "total lead at most 100 ppm (0.01 %)", f"at {pct} %", "at most 0.01 %")


@pytest.mark.parametrize("pct,status", [(0.0099, "pass"), (0.01, "pass"), (0.0101, "fail")])
def test_total_lead_skips_components_flagged_inaccessible(checker, pct, status):
    subs = [lead(0.5, component="sealed battery contacts", inaccessible=True), lead(pct, component="axle")]
    f = rule(checker, product(substances=subs, documents=[LEAD_REPORT]), "lead-content")
    assert_status(f, status, "error", "not flagged inaccessible (16 CFR 1500.87)")
    if status == "fail":
        assert any("substances[1].concentration_pct" in m for m in f.missing_fields), f.missing_fields


def test_total_lead_test_report_needed_unless_only_exempt_materials(checker):
    f = rule(checker, product(materials=[{"material": "plastic"}]), "lead-content")
    assert_fail(f, "error", "Not met: a total-lead test report")
    textile_only = product("apparel", materials=[{"material": "textile"}])
    assert_pass(rule(checker, textile_only, "lead-content"))


def test_total_lead_100_ppm_limit_starts_14_august_2011(checker):
    p = product(substances=[lead(0.02)], documents=[LEAD_REPORT])
    assert rule(checker, p, "lead-content", as_of="2011-08-13") is None
    assert_fail(rule(checker, p, "lead-content", as_of="2011-08-14"), "error", "0.02 %")


# ------------------------------------------------------------------------------------------ lead in paint 90 ppm
PAINT_REPORT = report("CPSC-CH-E1003-09.1")


@pytest.mark.parametrize("pct,status", [
    (0.0089, "pass"),   # 89 ppm
    (0.009, "pass"),    # 90 ppm: the limit itself passes
    (0.0091, "fail"),   # 91 ppm
])
def test_lead_in_paint_90_ppm(checker, pct, status):
    p = product(materials=[{"material": "coating"}], substances=[lead(pct, component="red paint", material="coating")],
                documents=[PAINT_REPORT])
    f = rule(checker, p, "lead-paint")
    assert_status(f, status, "error", "90 ppm (0.009 %)", f"at {pct} %", "at most 0.009 %")


def test_lead_in_paint_reads_only_coatings(checker):
    # 95 ppm in a metal part is a substrate (lead-content limit 100 ppm), not paint.
    p = product(materials=[{"material": "coating"}], documents=[PAINT_REPORT, LEAD_REPORT],
                substances=[lead(0.0095, material="metal"), lead(0.005, component="paint", material="coating")])
    assert_pass(rule(checker, p, "lead-paint"))
    assert_pass(rule(checker, p, "lead-content"))


def test_lead_in_paint_covers_coated_furniture_and_starts_14_august_2009(checker):
    desk = product("furniture", min_years=None, materials=[{"material": "wood"}, {"material": "coating"}],
                   substances=[lead(0.01, component="lacquer", material="coating")])
    assert rule(checker, desk, "lead-paint", as_of="2009-08-13") is None
    assert_fail(rule(checker, desk, "lead-paint", as_of="2009-08-14"), "error", "0.01 %", "a lead-in-paint test report")


# ------------------------------------------------------------------------------------------ phthalates 0.1 % each
PHTHALATE_REPORT = report("CPSC-CH-C1001-09.4", covers=["16CFR1307"])


@pytest.mark.parametrize("cas", sorted(PHTHALATES))
@pytest.mark.parametrize("pct,status", [(0.0999, "pass"), (0.1, "pass"), (0.1001, "fail")])
def test_each_of_the_eight_phthalates_at_0_1_pct(checker, cas, pct, status):
    p = product(min_years=3, materials=[{"material": "plasticised"}], substances=[phthalate(cas, pct)],
                documents=[PHTHALATE_REPORT])
    f = rule(checker, p, "phthalates")
    assert_status(f, status, "error", f"CAS {cas}", f"{pct} %", "above the 0.1 % limit")


def test_phthalate_limit_is_per_substance_not_a_sum(checker):
    subs = [phthalate("117-81-7", 0.08), phthalate("84-74-2", 0.08), phthalate("85-68-7", 0.08)]
    p = product(materials=[{"material": "plasticised"}], substances=subs, documents=[PHTHALATE_REPORT])
    assert_pass(rule(checker, p, "phthalates"))


@pytest.mark.parametrize("cas", ["84-69-5", "131-18-0", "84-75-3", "84-61-7", "28553-12-0"])
def test_five_phthalates_of_16_cfr_1307_count_from_25_april_2018(checker, cas):
    p = product(materials=[{"material": "plasticised"}], substances=[phthalate(cas, 0.2)], documents=[PHTHALATE_REPORT],
                child_safety={"mouthable": False})
    assert_pass(rule(checker, p, "phthalates", as_of="2018-04-24"))
    assert_fail(rule(checker, p, "phthalates", as_of="2018-04-25"), "error", f"CAS {cas}", "0.2 %")


def test_interim_dinp_ban_before_2018_only_for_mouthable_toys_and_child_care_articles(checker):
    mouthable = product(min_years=1, materials=[{"material": "plasticised"}], substances=[phthalate("28553-12-0", 0.2)],
                        documents=[PHTHALATE_REPORT], child_safety={"mouthable": True})
    assert_fail(rule(checker, mouthable, "phthalates", as_of="2018-04-24"), "error", "interim ban", "0.2 %")
    big = copy.deepcopy(mouthable)
    big["child_safety"]["mouthable"] = False
    assert_pass(rule(checker, big, "phthalates", as_of="2018-04-24"))
    # the interim entries DIDP / DnOP were lifted on 2018-04-25
    didp = dict(mouthable, substances=[{"name": "Diisodecyl phthalate", "cas": "26761-40-0", "concentration_pct": 0.2}])
    assert_fail(rule(checker, didp, "phthalates", as_of="2018-04-24"), "error", "26761-40-0")
    assert_pass(rule(checker, didp, "phthalates", as_of="2018-04-25"))


@pytest.mark.parametrize("pct,status", [(0.0999, "pass"), (0.1, "pass"), (0.1001, "fail")])
def test_phthalates_skip_components_flagged_inaccessible(checker, pct, status):
    subs = [phthalate("117-81-7", 5.0, component="sealed wire insulation", inaccessible=True),
            phthalate("84-69-5", pct, component="squeeze bulb")]
    p = product(materials=[{"material": "plasticised"}], substances=subs, documents=[PHTHALATE_REPORT])
    assert_status(rule(checker, p, "phthalates"), status, "error", "DINP, DIBP, DPENP, DHEXP and DCHP")


def test_phthalate_test_report_error_for_soft_parts_warning_for_rigid_plastic(checker):
    soft = product(materials=[{"material": "plasticised"}])
    assert_fail(rule(checker, soft, "phthalates"), "error", "a phthalate test report (CPSC-CH-C1001")
    rigid = product(materials=[{"material": "plastic"}])
    assert_fail(rule(checker, rigid, "phthalates"), "warning", "16 CFR 1308")


def test_child_care_article_means_age_3_and_younger(checker):
    bib = product("childcare", min_years=3, materials=[{"material": "plasticised"}])
    assert rule(checker, bib, "phthalates") is not None
    older = product("childcare", min_years=3.5, materials=[{"material": "plasticised"}])
    assert rule(checker, older, "phthalates") is None


# ------------------------------------------------------------------------------------------ magnets 50 kG2mm2
def magnet_product(flux=None, loose=True, fits=True, category="other", **extra):
    m = {"loose": loose, "fits_small_parts_cylinder": fits}
    if flux is not None:
        m["flux_index_kg2mm2"] = flux
    return product(category, min_years=None, child_safety={"magnets": [m]},
                   documents=[report("16 CFR 1262.4", accepted=False)], **extra)


@pytest.mark.parametrize("flux,status", [
    (49.9, "pass"),
    (50, "fail"),      # "less than 50": 50 itself is a hazardous magnet
    (50.1, "fail"),
])
def test_magnet_flux_index_below_50(checker, flux, status):
    f = rule(checker, magnet_product(flux), "magnets")
    assert_status(f, status, "error", "flux index below 50 kG2mm2")
    if status == "fail":
        assert any("flux_index_kg2mm2" in m for m in f.missing_fields), f.missing_fields


def test_magnets_too_big_for_the_cylinder_are_not_limited(checker):
    assert_pass(rule(checker, magnet_product(400, fits=False), "magnets"))


def test_magnet_flux_unknown_is_a_warning(checker):
    assert_fail(rule(checker, magnet_product(None), "magnets"), "warning", "measured flux index")


@pytest.mark.parametrize("kw", [{"loose": False}, {"category": "toys"}, {"intended_for": "professionals"}])
def test_magnets_rule_scope(checker, kw):
    assert rule(checker, magnet_product(400, **kw), "magnets") is None


def test_magnets_rule_from_21_october_2022(checker):
    p = magnet_product(400)
    assert rule(checker, p, "magnets", as_of="2022-10-20") is None
    assert_fail(rule(checker, p, "magnets", as_of="2022-10-21"), "error", "16 CFR 1262")


# ------------------------------------------------------------------------------------------ age thresholds
@pytest.mark.parametrize("min_years,childrens", [(12, True), (12.5, False), (13, False)])
def test_childrens_product_means_12_or_younger(checker, min_years, childrens):
    shirt = product("apparel", min_years=min_years)
    fs = findings(checker, shirt)
    assert ("us.cpsc.childrens-product-certificate" in fs) is childrens
    assert ("us.cpsc.general-certificate-of-conformity" in fs) is (not childrens)
    assert ("us.cpsc.tracking-label" in fs) is childrens


@pytest.mark.parametrize("min_years,under3", [(0, True), (2.9, True), (3, False)])
def test_small_parts_ban_under_3_and_warning_from_3(checker, min_years, under3):
    p = product(min_years=min_years, child_safety={"small_parts": True})
    under = rule(checker, p, "small-parts-under-3")
    warn = rule(checker, p, "choking-hazard-warning")
    if under3:
        assert_fail(under, "error", "small-parts cylinder")
        assert warn is None
    else:
        assert under is None
        assert_fail(warn, "error", "CHOKING HAZARD - Small parts")


@pytest.mark.parametrize("min_years,applies", [(3, True), (5.9, True), (6, False)])
def test_small_parts_warning_for_toys_for_ages_3_to_under_6(checker, min_years, applies):
    p = product(min_years=min_years, child_safety={"small_parts": True})
    assert (rule(checker, p, "choking-hazard-warning") is not None) is applies


def test_latex_balloon_warning_at_any_age(checker):
    p = product("other", min_years=None, child_safety={"latex_balloon": True})
    assert_fail(rule(checker, p, "choking-hazard-warning"), "error", "latex-balloon warning")
    p["labelling"] = {"warnings": [{"key": "choking-hazard-balloon"}], "warnings_languages": ["en"]}
    assert_pass(rule(checker, p, "choking-hazard-warning"))


@pytest.mark.parametrize("min_years,applies", [(2.9, False), (3, True), (12, True)])
def test_small_ball_warning_from_age_3(checker, min_years, applies):
    p = product(min_years=min_years, child_safety={"small_balls": True, "small_parts": False})
    assert (rule(checker, p, "choking-hazard-warning") is not None) is applies


def test_small_ball_ban_for_under_3_from_28_august_1995(checker):
    p = product(min_years=1, child_safety={"small_parts": False, "small_balls": True},
                documents=[report("16 CFR 1501")])
    assert_pass(rule(checker, p, "small-parts-under-3", as_of="1995-08-27"))
    assert_fail(rule(checker, p, "small-parts-under-3", as_of="1995-08-28"), "error", "small ball (44.4 mm / 1.75 in")


def test_choking_labels_from_28_august_1995_and_online_from_12_december_2008(checker):
    p = product(min_years=4, child_safety={"small_parts": True},
                labelling={"warnings": [{"key": "choking-hazard-small-parts"}], "warnings_languages": ["en"]})
    listing = {"kind": "Listing", "product": "LIM-CPSC", "marketplace": "amazon", "market": "US",
               "description": "Wooden puzzle, 24 pieces."}
    assert rule(checker, p, "choking-hazard-warning", as_of="1995-08-27") is None
    assert_pass(rule(checker, p, "choking-hazard-warning", listing=listing, as_of="2008-12-11"))
    assert_fail(rule(checker, p, "choking-hazard-warning", listing=listing, as_of="2008-12-12"), "error",
                "online offer page")
    shown = dict(listing, description="WARNING: CHOKING HAZARD - Small parts. Not for children under 3 yrs.")
    assert_pass(rule(checker, p, "choking-hazard-warning", listing=shown, as_of="2008-12-12"))


# ------------------------------------------------------------------------------------------ sleepwear sizes
def pajamas(min_years=2, max_years=5, **apparel):
    return product("apparel", min_years=None, age_grade={"min_years": min_years, "max_years": max_years},
                   apparel=dict({"sleepwear": True}, **apparel), labelling={"care_label": True})


@pytest.mark.parametrize("max_years,applies", [(0.5, False), (0.75, False), (1, True)])
def test_sleepwear_excludes_infant_garments_sized_9_months_or_smaller(checker, max_years, applies):
    f = rule(checker, pajamas(min_years=0, max_years=max_years), "childrens-sleepwear-flammability")
    if applies:
        assert_fail(f, "error", "16 CFR 1615")
    else:
        assert f is None


@pytest.mark.parametrize("min_years,applies", [(7, True), (13.9, True), (14, False)])
def test_sleepwear_covers_sizes_up_to_14(checker, min_years, applies):
    f = rule(checker, pajamas(min_years=min_years, max_years=16), "childrens-sleepwear-flammability")
    assert (f is not None) is applies


def test_snug_fitting_sleepwear_needs_no_flame_test_but_falls_under_1610(checker):
    p = pajamas(snug_fit=True)
    assert_pass(rule(checker, p, "childrens-sleepwear-flammability"))
    assert rule(checker, p, "clothing-textile-flammability") is not None
    loose = pajamas(snug_fit=False)
    assert rule(checker, loose, "clothing-textile-flammability") is None
    loose["documents"] = [report("16 CFR 1615")]
    assert_pass(rule(checker, loose, "childrens-sleepwear-flammability"))


def test_sleepwear_from_1972(checker):
    p = pajamas()
    assert rule(checker, p, "childrens-sleepwear-flammability", as_of="1972-07-28") is None
    assert rule(checker, p, "childrens-sleepwear-flammability", as_of="1972-07-29") is not None


# ------------------------------------------------------------------------------------------ clothing 16 CFR 1610
def shirt(*fibres):
    return product("apparel", min_years=None, textile={"fibres": [{"fibre": f} for f in fibres]},
                   documents=[{"type": "general-certificate-of-conformity", "covers": ["16CFR1610"], "issued": "2008-01-01"}])


@pytest.mark.parametrize("fibres,status", [
    (["polyester"], "pass"), (["wool", "nylon"], "pass"), (["Acrylic", "modacrylic"], "pass"),
    (["cotton"], "fail"), (["cotton", "polyester"], "fail"), (["viscose"], "fail"),
])
def test_1610_test_report_unless_all_fibres_exempt(checker, fibres, status):
    f = rule(checker, shirt(*fibres), "clothing-textile-flammability")
    assert_status(f, status, "warning", "a 16 CFR 1610 test report, unless")


def test_1610_rule_from_22_september_2008(checker):
    p = shirt("cotton")
    assert rule(checker, p, "clothing-textile-flammability", as_of="2008-09-21") is None
    assert rule(checker, p, "clothing-textile-flammability", as_of="2008-09-22") is not None


# ------------------------------------------------------------------------------------------ drawstrings 2T-12
def hoodie(min_years, max_years=None, **apparel):
    ag = {"min_years": min_years} if max_years is None else {"min_years": min_years, "max_years": max_years}
    return product("apparel", min_years=None, age_grade=ag, apparel=dict({"drawstring_hood_neck": True}, **apparel))


@pytest.mark.parametrize("min_years,max_years,applies", [
    (2, 5, True), (12, 14, True), (13, 16, False),   # 12 and under = children's upper outerwear up to size 12
    (1, 1.9, False), (1, 2, True),                   # below size 2T the rule does not apply
])
def test_hood_drawstring_ban_for_sizes_2t_to_12(checker, min_years, max_years, applies):
    f = rule(checker, hoodie(min_years, max_years), "drawstrings")
    if applies:
        assert_fail(f, "error", "no drawstring at the hood or neck")
    else:
        assert f is None


def test_waist_drawstrings_need_f1816_evidence_warning(checker):
    p = hoodie(4, 10, drawstring_hood_neck=False, drawstring_waist=True)
    assert_fail(rule(checker, p, "drawstrings"), "warning", "7.6 cm (3 in)")
    p["documents"] = [report("ASTM F1816-97")]
    assert_pass(rule(checker, p, "drawstrings"))


def test_drawstrings_rule_from_18_august_2011(checker):
    p = hoodie(4, 10)
    assert rule(checker, p, "drawstrings", as_of="2011-08-17") is None
    assert_fail(rule(checker, p, "drawstrings", as_of="2011-08-18"), "error", "2T-12")


# ------------------------------------------------------------------------------------------ ASTM F963-23
@pytest.mark.parametrize("as_of,standard,status", [
    ("2024-04-19", "ASTM F963-17", "pass"),
    ("2024-04-20", "ASTM F963-17", "fail"),
    ("2024-04-20", "ASTM F963-23", "pass"),
])
def test_astm_f963_23_mandatory_from_20_april_2024(checker, as_of, standard, status):
    p = product(documents=[report(standard, model="M-1")])
    assert_status(rule(checker, p, "toy-safety-astm-f963", as_of=as_of), status, "error", "ASTM F963-23")


# ------------------------------------------------------------------------------------------ CPC labs
def test_cpc_needs_cpsc_accepted_lab_except_group_b_for_small_batch(checker):
    cpc = {"type": "childrens-product-certificate", "covers": ["CPSIA", "16CFR1250", "16CFR1307"], "issued": "2020-01-01"}
    p = product(documents=[cpc, report("ASTM F963-23", accepted=False)])
    f = rule(checker, p, "childrens-product-certificate")
    assert_fail(f, "error", "CPSC-accepted third-party lab")
    sbm = dict(p, registrations=[{"type": "cpsc-small-batch-manufacturer", "market": "US", "number": "SBM-001"}])
    assert_pass(rule(checker, sbm, "childrens-product-certificate"))
    painted = copy.deepcopy(sbm)
    painted["materials"] = [{"material": "coating"}]
    painted["documents"][0]["covers"].append("16CFR1303")
    painted["documents"].append(report("CPSC-CH-E1003-09.1", accepted=False))
    assert_fail(rule(checker, painted, "childrens-product-certificate"), "error", "Group A")


def test_cpc_required_from_2012(checker):
    p = product()
    assert rule(checker, p, "childrens-product-certificate", as_of="2011-12-31") is None
    assert_fail(rule(checker, p, "childrens-product-certificate", as_of="2012-01-01"), "error",
                "no Children's Product Certificate")


# ------------------------------------------------------------------------------------------ tracking label
@pytest.mark.parametrize("labelling,severity", [
    ({"tracking_label": True}, None),
    ({"tracking_label": False, "batch_code": True}, "error"),   # stated false: the batch code does not help
    ({"batch_code": True}, "warning"),                          # only a batch code: warning
    ({}, "error"),
])
def test_tracking_label_with_batch_code_fallback(checker, labelling, severity):
    p = product(labelling=labelling, documents=[{"type": "tracking-label-artwork", "issued": "2009-01-01"}])
    f = rule(checker, p, "tracking-label")
    if severity is None:
        assert_pass(f)
    else:
        assert_fail(f, severity, "track")


def test_tracking_label_from_14_august_2009(checker):
    assert rule(checker, product(), "tracking-label", as_of="2009-08-13") is None
    assert rule(checker, product(), "tracking-label", as_of="2009-08-14") is not None


# ------------------------------------------------------------------------------------------ eFiling 2026-07-08
def imported_toy(**extra):
    cpc = {"type": "childrens-product-certificate", "covers": ["CPSIA", "16CFR1250"], "issued": "2024-01-01"}
    return product(documents=[cpc], **extra)


@pytest.mark.parametrize("as_of,severity", [
    ("2025-01-07", None),          # before the final rule
    ("2025-01-08", "warning"),     # published: a warning
    ("2026-07-07", "warning"),
    ("2026-07-08", "error"),       # effective: an error
])
def test_efiling_escalates_on_8_july_2026(checker, as_of, severity):
    f = rule(checker, imported_toy(), "efiling", as_of=as_of)
    if severity is None:
        assert f is None
    else:
        assert_fail(f, severity, "all seven certificate data elements", "filing route")


def test_efiling_passes_with_elements_and_a_route(checker):
    p = imported_toy()
    p["documents"][0]["elements"] = {
        "product_identification": "Toy M-1", "citations": ["16 CFR 1250"], "manufacture_date": "2025-01-01",
        "manufacture_place": "Shenzhen, CN", "test_date": "2025-01-10", "test_place": "Lab 1234, Shenzhen",
        "records_contact": "Importer Inc., Wilmington DE"}
    seller = {"kind": "Seller", "name": "Toy Seller Ltd", "efiling_method": "full-data"}
    assert_pass(rule(checker, p, "efiling", seller=seller, as_of="2026-07-08"))
    p["documents"][0]["cpsc_registry_ref"] = "REG-1"
    assert_pass(rule(checker, p, "efiling", as_of="2026-07-08"))
    del p["documents"][0]["elements"]["test_date"]
    assert_fail(rule(checker, p, "efiling", as_of="2026-07-08"), "error", "all seven certificate data elements")


def test_efiling_only_for_imports(checker):
    home = imported_toy(country_of_origin="US")
    assert rule(checker, home, "efiling", as_of="2026-07-08") is None
    listing = {"kind": "Listing", "product": "LIM-CPSC", "marketplace": "own-site", "market": "US", "ships_from": "CN"}
    assert rule(checker, home, "efiling", listing=listing, as_of="2026-07-08") is not None


# ------------------------------------------------------------------------------------------ Reese's Law
def remote(category="electronics", min_years=None, **battery):
    b = dict({"form": "button-coin", "chemistry": "lithium-metal", "packing": "contained-in-equipment",
              "compartment": "open"}, **battery)
    return product(category, min_years=min_years, electrical={"battery": b})


@pytest.mark.parametrize("as_of,severity", [
    ("2023-10-22", None),
    ("2023-10-23", "warning"),     # in force, enforcement discretion
    ("2024-03-18", "warning"),
    ("2024-03-19", "error"),       # enforcement discretion over
])
def test_button_cell_products_from_23_october_2023_enforced_from_19_march_2024(checker, as_of, severity):
    f = rule(checker, remote(), "button-battery-products", as_of=as_of)
    if severity is None:
        assert f is None
    else:
        assert_fail(f, severity, "tool or two independent simultaneous movements", "UL 4200A")


def test_button_cell_childrens_products_from_20_december_2023(checker):
    p = remote("personal-care-device", min_years=3)
    assert rule(checker, p, "button-battery-products", as_of="2023-12-19") is None
    assert rule(checker, p, "button-battery-products", as_of="2023-12-20") is not None


@pytest.mark.parametrize("kw", [{"category": "toys"}, {"chemistry": "zinc-air"}, {"category": "batteries"}])
def test_button_cell_product_rule_scope(checker, kw):
    assert rule(checker, remote(**kw), "button-battery-products") is None


@pytest.mark.parametrize("compartment,ok", [("tool-secured", True), ("two-motion", True), ("sealed", True), ("open", False)])
def test_button_cell_compartment(checker, compartment, ok):
    p = remote(compartment=compartment)
    p["labelling"] = {"warnings": [{"key": "button-battery"}]}
    p["documents"] = [report("ANSI/UL 4200A-2023")]
    assert_status(rule(checker, p, "button-battery-products"), "pass" if ok else "fail", "error", "(electrical.battery.compartment)")


@pytest.mark.parametrize("chemistry,start", [("lithium-metal", "2023-02-12"), ("zinc-air", "2024-03-08")])
def test_button_cell_packaging_dates(checker, chemistry, start):
    p = remote("batteries", chemistry=chemistry, packing="standalone")
    day_before = (dt.date.fromisoformat(start) - dt.timedelta(days=1)).isoformat()
    assert rule(checker, p, "button-battery-packaging", as_of=day_before) is None
    assert_fail(rule(checker, p, "button-battery-packaging", as_of=start), "error", "16 CFR 1700.20")


def test_button_cell_packaging_warning_label_from_19_march_2024(checker):
    p = remote("batteries", packing="standalone")
    p["documents"] = [report("16 CFR 1700.20")]
    assert_pass(rule(checker, p, "button-battery-packaging", as_of="2024-03-18"))
    assert_fail(rule(checker, p, "button-battery-packaging", as_of="2024-03-19"), "error", "battery packaging")


def test_button_cell_packaging_only_for_cells_not_installed(checker):
    assert rule(checker, remote(packing="contained-in-equipment"), "button-battery-packaging") is None
    assert rule(checker, remote(packing="packed-with-equipment"), "button-battery-packaging") is not None


# ------------------------------------------------------------------------------------------ GCC
def test_gcc_for_general_use_products_from_12_november_2008(checker):
    p = remote(compartment="tool-secured")
    assert rule(checker, p, "general-certificate-of-conformity", as_of="2008-11-11") is None
    assert_fail(rule(checker, p, "general-certificate-of-conformity", as_of="2008-11-12"), "error",
                "no GCC citing the button/coin battery standard")
    p["documents"] = [{"type": "general-certificate-of-conformity", "covers": ["16CFR1263"], "issued": "2008-01-01"}]
    assert_pass(rule(checker, p, "general-certificate-of-conformity", as_of="2008-11-12"))
