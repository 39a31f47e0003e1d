"""Limits, number formats and dates of the eu.epr, eu.packaging and eu.amazon-fba packs.

Every numeric limit is checked at, just below and just above it; every dated duty before and on its date.
The packs under test are copied (with eu.gpsr and eu.common, which derive consumer-product, eee, has-battery
and the marketplace facts they use) into a private directory, so other packs being written in parallel
cannot break these tests. Assertions are on what a user sees: status, severity and message.
"""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from compliance_engine import Checker
from tests.conftest import ROOT

EU = ROOT / "rulepacks" / "eu"
PACKS = ["common.yaml", "gpsr.yaml", "epr.yaml", "packaging.yaml", "amazon-fba.yaml"]
TABLES = ["official-languages.yaml", "amazon-eu-fba-size-tiers.yaml"]


@pytest.fixture(scope="module")
def checker(tmp_path_factory) -> Checker:
    d = tmp_path_factory.mktemp("packs")
    (d / "data").mkdir()
    for name in PACKS:
        shutil.copy(EU / name, d / name)
    for name in TABLES:
        shutil.copy(EU / "data" / name, d / "data" / name)
    return Checker(rulepacks=[d], include_builtin=False, as_of="2026-11-24")


def finding(checker, rule, product, market, listing=None, seller=None, as_of="2026-11-24"):
    """The finding of ``rule`` for one unit, or None when the rule does not apply."""
    found = [f for f in checker.check(product, market, listing=listing, seller=seller, as_of=as_of) if f.rule == rule]
    return found[0] if found else None


def day_before(date: str) -> str:
    return (dt.date.fromisoformat(date) - dt.timedelta(days=1)).isoformat()


# ---------------------------------------------------------------------------------------------- Amazon FBA

FBA_DE = {"marketplace": "amazon", "market": "DE", "fulfilment": "marketplace", "ships_from": "DE"}
SIZE_TIER = "eu.amazon-fba.size-tier"


def fba_unit(length, width, height, weight, carton=None):
    p = {"kind": "Product", "sku": "FBA-1", "category": "other", "markets": ["DE"],
         "package": {"kind": "sales", "length_cm": length, "width_cm": width, "height_cm": height, "weight_g": weight}}
    if carton:
        p["carton"] = carton
    return p


@pytest.mark.parametrize("dims,weight,tier", [
    # small envelope: unit weight 80 g
    ((20, 15, 1), 79, "Small envelope"),
    ((20, 15, 1), 80, "Small envelope"),
    ((20, 15, 1), 81, "Standard envelope"),
    # small envelope: longest side 20 cm
    ((19.9, 15, 1), 60, "Small envelope"),
    ((20.1, 15, 1), 60, "Standard envelope"),
    # small parcel: unit weight 3.9 kg and longest side 35 cm
    ((35, 25, 12), 3899, "Small parcel"),
    ((35, 25, 12), 3900, "Small parcel"),
    ((35, 25, 12), 3901, "Standard parcel"),
    ((34.9, 25, 12), 1000, "Small parcel"),
    ((35.1, 25, 12), 1000, "Standard parcel"),
    # standard parcel: unit weight 11.9 kg and longest side 45 cm
    ((45, 34, 26), 11899, "Standard parcel"),
    ((45, 34, 26), 11900, "Standard parcel"),
    ((45, 34, 26), 11901, "Standard oversize"),
    ((44.9, 34, 26), 1000, "Standard parcel"),
    ((45.1, 34, 26), 1000, "Small oversize"),
    # large oversize / special oversize: 31.5 kg
    ((100, 50, 40), 31499, "Large oversize"),
    ((100, 50, 40), 31500, "Large oversize"),
    ((100, 50, 40), 31501, "Special oversize"),
    # longest side 175 cm
    ((174.9, 30, 20), 20000, "Large oversize"),
    ((175, 30, 20), 20000, "Large oversize"),
    ((175.1, 30, 20), 20000, "Special oversize"),
    # length + girth 360 cm (girth = 2 × (median + shortest))
    ((150, 55, 49.95), 20000, "Large oversize"),   # 359.9
    ((150, 55, 50), 20000, "Large oversize"),      # 360
    ((150, 55, 50.05), 20000, "Special oversize"),  # 360.1
])
def test_size_tier_boundaries(checker, dims, weight, tier):
    f = finding(checker, SIZE_TIER, fba_unit(*dims, weight), "DE", listing=FBA_DE)
    assert f is not None
    assert f"size tier: {tier} (" in f.message or f"the {tier} tier" in f.message, f.message
    if tier == "Special oversize":
        assert (f.status, f.severity) == ("fail", "warning")
        assert "heavy and bulky" in f.message
    else:
        assert (f.status, f.severity) == ("pass", "info")
        assert f.message.startswith("FBA-1 (Amazon DE, FBA): size tier: ")


def test_size_tier_needs_dimensions_and_only_runs_for_fba(checker):
    p = {"kind": "Product", "sku": "FBA-2", "category": "other", "markets": ["DE"]}
    f = finding(checker, SIZE_TIER, p, "DE", listing=FBA_DE)
    assert (f.status, f.severity) == ("fail", "warning")
    assert "package" in f.message
    merchant = dict(FBA_DE, fulfilment="seller")
    assert finding(checker, SIZE_TIER, fba_unit(20, 15, 1, 50), "DE", listing=merchant) is None


CARTON = "eu.amazon-fba.carton-limits"


@pytest.mark.parametrize("side,ok", [(63.4, True), (63.5, True), (63.6, False)])
def test_carton_side_limit(checker, side, ok):
    carton = {"length_cm": side, "width_cm": 40, "height_cm": 30, "weight_g": 12000, "units_per_carton": 20}
    f = finding(checker, CARTON, fba_unit(30, 20, 10, 500, carton), "DE", listing=FBA_DE)
    assert f.status == ("pass" if ok else "fail")
    if not ok:
        assert f.severity == "warning"
        assert "carton length at most 63.5 cm" in f.message and f"{side:g} cm" in f.message


@pytest.mark.parametrize("weight,ok", [(22999, True), (23000, True), (23001, False)])
def test_carton_weight_limit(checker, weight, ok):
    carton = {"length_cm": 60, "width_cm": 40, "height_cm": 30, "weight_g": weight, "units_per_carton": 20}
    f = finding(checker, CARTON, fba_unit(30, 20, 10, 1100, carton), "DE", listing=FBA_DE)
    assert f.status == ("pass" if ok else "fail")
    if not ok:
        assert f.severity == "warning" and "carton weight at most 23 kg" in f.message


@pytest.mark.parametrize("units,ok", [(1, True), (2, False)])
def test_carton_single_oversize_unit_exception(checker, units, ok):
    """A carton may exceed 63.5 cm / 23 kg only when it holds one unit that itself does."""
    carton = {"length_cm": 72, "width_cm": 40, "height_cm": 30, "weight_g": 25000, "units_per_carton": units}
    f = finding(checker, CARTON, fba_unit(70, 38, 28, 24000, carton), "DE", listing=FBA_DE)
    assert f.status == ("pass" if ok else "fail")


# ---------------------------------------------------------------------------------------------- PPWR

ESR = "eu.packaging.ppwr-empty-space-ratio"
OWN_DE = {"marketplace": "own-site", "market": "DE", "fulfilment": "seller", "ships_from": "DE"}


def esr_product(product_volume, filled_by="seller"):
    return {"kind": "Product", "sku": "ESR-1", "category": "other", "markets": ["DE"], "intended_for": "consumers",
            "package": {"kind": "sales", "length_cm": 9, "width_cm": 9, "height_cm": 9, "product_volume_cm3": product_volume},
            "shipping_package": {"length_cm": 10, "width_cm": 10, "height_cm": 10, "filled_by": filled_by},
            "documents": [{"id": "esr", "type": "packaging-esr-calculation", "issued": "2029-01-01"}]}


@pytest.mark.parametrize("volume,ratio,ok", [(510, "49", True), (500, "50", True), (490, "51", False)])
def test_empty_space_ratio_at_below_above_50_percent(checker, volume, ratio, ok):
    f = finding(checker, ESR, esr_product(volume), "DE", listing=OWN_DE, as_of="2030-01-01")
    assert f.status == ("pass" if ok else "fail")
    assert f"empty-space ratio {ratio} %" in f.message, f.message
    if not ok:
        assert f.severity == "error"


@pytest.mark.parametrize("as_of,severity", [("2029-12-31", "warning"), ("2030-01-01", "error")])
def test_empty_space_ratio_escalates_on_1_jan_2030(checker, as_of, severity):
    f = finding(checker, ESR, esr_product(300), "DE", listing=OWN_DE, as_of=as_of)
    assert (f.status, f.severity) == ("fail", severity)


def test_empty_space_ratio_starts_with_the_ppwr_and_stays_warning_when_the_marketplace_fills(checker):
    assert finding(checker, ESR, esr_product(300), "DE", listing=OWN_DE, as_of="2026-08-11") is None
    assert finding(checker, ESR, esr_product(300), "DE", listing=OWN_DE, as_of="2026-08-12").severity == "warning"
    fba = {"marketplace": "amazon", "market": "DE", "fulfilment": "marketplace"}
    f = finding(checker, ESR, esr_product(300, filled_by="marketplace"), "DE", listing=fba, as_of="2030-06-01")
    assert (f.status, f.severity) == ("fail", "warning")
    assert "the marketplace's duty" in f.message


def test_empty_space_ratio_exempts_sales_packaging_sent_as_is(checker):
    p = esr_product(300)
    del p["shipping_package"]
    p["package"]["kind"] = "sales-as-e-commerce"
    assert finding(checker, ESR, p, "DE", listing=OWN_DE, as_of="2030-06-01") is None


PFAS = "eu.packaging.ppwr-pfas-food-contact"


def cup(substances=(), pfas_added=False):
    return {"kind": "Product", "sku": "CUP-1", "category": "food-contact", "markets": ["NL"], "food_contact": True,
            "package": {"kind": "sales", "pfas_intentionally_added": pfas_added},
            "substances": [dict(s) for s in substances],
            "documents": [{"id": "tr", "type": "test-report", "covers": ["PPWR"], "standards": ["CEN/TS 17537"],
                           "result": "pass", "issued": "2026-01-10"}]}


@pytest.mark.parametrize("pct,ok", [(0.0000024, True), (0.0000025, False), (0.0000026, False)])
def test_pfas_single_substance_25_ppb_is_exclusive(checker, pct, ok):
    s = {"name": "PFOA", "cas": "335-67-1", "concentration_pct": pct, "component": "cup"}
    f = finding(checker, PFAS, cup([s]), "NL", as_of="2026-09-01")
    assert f.status == ("pass" if ok else "fail")
    if not ok:
        assert f.severity == "error" and "each PFAS below 25 ppb" in f.message


@pytest.mark.parametrize("each,ok", [(0.0000012, True), (0.00000125, True), (0.0000013, False)])
def test_pfas_sum_250_ppb(checker, each, ok):
    """Twenty PFHxA findings of 12 / 12.5 / 13 ppb in one component: sum 240 / 250 / 260 ppb."""
    subs = [{"name": "PFHxA", "cas": "307-24-4", "concentration_pct": each, "component": "cup"}] * 20
    f = finding(checker, PFAS, cup(subs), "NL", as_of="2026-09-01")
    assert f.status == ("pass" if ok else "fail")
    if not ok:
        assert "sum of targeted PFAS at most 250 ppb" in f.message


@pytest.mark.parametrize("pct,ok", [(0.0049, True), (0.005, False), (0.0051, False)])
def test_pfas_total_fluorine_50_ppm(checker, pct, ok):
    s = {"name": "Total fluorine", "concentration_pct": pct, "component": "cup"}
    assert finding(checker, PFAS, cup([s]), "NL", as_of="2026-09-01").status == ("pass" if ok else "fail")


@pytest.mark.parametrize("as_of,severity", [("2025-02-10", None), ("2026-08-11", "warning"), ("2026-08-12", "error")])
def test_pfas_escalates_on_ppwr_application(checker, as_of, severity):
    f = finding(checker, PFAS, cup(pfas_added=True), "NL", as_of=as_of)
    if severity is None:
        assert f is None
    else:
        assert (f.status, f.severity) == ("fail", severity)
        assert "no intentionally added PFAS" in f.message


LABEL = "eu.packaging.ppwr-labelling"


@pytest.mark.parametrize("as_of,severity", [("2026-08-11", None), ("2028-08-11", "info"), ("2028-08-12", "warning")])
def test_ppwr_material_label_notice_then_warning(checker, as_of, severity):
    p = {"kind": "Product", "sku": "LBL-1", "category": "other", "markets": ["FR"],
         "package": {"kind": "sales"}, "labelling": {"ppwr_material_label": False}}
    f = finding(checker, LABEL, p, "FR", as_of=as_of)
    if severity is None:
        assert f is None
    else:
        assert (f.status, f.severity) == ("fail", severity)
        assert ("prepare the harmonised" in f.message) is (severity == "info")
    p["labelling"]["ppwr_material_label"] = True
    if severity:
        assert finding(checker, LABEL, p, "FR", as_of=as_of).status == "pass"
    p["package"]["kind"] = "transport"
    assert finding(checker, LABEL, p, "FR", as_of="2028-08-12") is None


# ---------------------------------------------------------------------------------------------- EPR: Germany

LUCID = "eu.epr.de-packaging-lucid"
CN_SELLER = {"kind": "Seller", "name": "Shenzhen Maker Co.", "established_in": "CN"}


def packaged(sku="PKG-1", market="DE", **extra):
    p = {"kind": "Product", "sku": sku, "category": "other", "markets": [market], "intended_for": "consumers",
         "package": {"kind": "sales", "materials": [{"material": "paper", "weight_g": 50}]}}
    p.update(extra)
    return p


def seller(*registrations, documents=(), established_in="CN"):
    return {"kind": "Seller", "name": "Maker Co.", "established_in": established_in,
            "registrations": [dict(r) for r in registrations], "documents": [dict(d) for d in documents]}


SYSTEM_DE = {"type": "epr-packaging-system", "country": "DE", "number": "DS-1"}


@pytest.mark.parametrize("number,ok", [
    ("DE3273485876402", True),     # DE + 13 digits
    ("DE327348587640", False),     # 12 digits
    ("DE32734858764021", False),   # 14 digits
])
def test_lucid_number_format(checker, number, ok):
    s = seller({"type": "epr-packaging", "country": "DE", "number": number}, SYSTEM_DE)
    f = finding(checker, LUCID, packaged(), "DE", seller=s)
    assert f.status == ("pass" if ok else "fail")
    if not ok:
        assert f.severity == "error" and "does not have the expected format" in f.message


@pytest.mark.parametrize("as_of,severity", [("2022-06-30", "warning"), ("2022-07-01", "error")])
def test_lucid_dual_system_checked_by_marketplaces_from_july_2022(checker, as_of, severity):
    s = seller({"type": "epr-packaging", "country": "DE", "number": "DE3273485876402"})
    listing = {"marketplace": "amazon", "market": "DE", "fulfilment": "marketplace"}
    f = finding(checker, LUCID, packaged(), "DE", listing=listing, seller=s, as_of=as_of)
    assert (f.status, f.severity) == ("fail", severity)
    assert "dual-system participation contract" in f.message


@pytest.mark.parametrize("as_of,applies", [("2022-06-30", False), ("2022-07-01", True)])
def test_lucid_registration_covers_b2b_packaging_from_july_2022(checker, as_of, applies):
    s = seller({"type": "epr-packaging", "country": "DE", "number": "DE3273485876402"})
    f = finding(checker, LUCID, packaged(intended_for="professionals"), "DE", seller=s, as_of=as_of)
    assert (f is not None) is applies
    if applies:
        assert f.status == "pass"  # no dual-system contract needed for B2B packaging
    assert finding(checker, LUCID, packaged(), "DE", seller=s, as_of="2018-12-31") is None


WEEE_DE = "eu.epr.de-weee-registration"


def fan(**extra):
    p = {"kind": "Product", "sku": "FAN-1", "category": "electrical-appliance", "markets": ["DE"],
         "electrical": {"dc_input_v": 5}, "labelling": {"marks": ["WEEE-bin"]}}
    p.update(extra)
    return p


@pytest.mark.parametrize("number,ok", [
    ("DE 12345678", True),
    ("DE12345678", True),
    ("DE 1234567", False),     # 7 digits
    ("DE 123456789", False),   # 9 digits
])
def test_weee_de_number_format(checker, number, ok):
    s = seller({"type": "epr-weee", "country": "DE", "number": number}, established_in="DE")
    f = finding(checker, WEEE_DE, fan(), "DE", seller=s)
    assert f.status == ("pass" if ok else "fail")
    if not ok:
        assert f.severity == "error" and number in f.message


def test_weee_de_representative_for_foreign_seller_is_a_warning(checker):
    s = seller({"type": "epr-weee", "country": "DE", "number": "DE 12345678"})
    f = finding(checker, WEEE_DE, fan(), "DE", seller=s)
    assert (f.status, f.severity) == ("fail", "warning")
    assert "authorised representative" in f.message
    assert finding(checker, WEEE_DE, fan(), "DE", seller=s, as_of="2005-11-23") is None


# ---------------------------------------------------------------------------------------------- EPR: France

IDU = "eu.epr.fr-unique-identifier"
TRIMAN = "eu.epr.fr-triman-infotri"
OWN_FR = {"marketplace": "own-site", "market": "FR", "fulfilment": "seller",
          "displayed_registrations": [{"type": "epr-packaging", "number": "x"}]}


@pytest.mark.parametrize("number,ok", [
    ("FR318457_05TQRZ", True),   # FR + 6 digits _ 2 digits + 4 letters, as IDUs appear on marketplaces
    ("FR234567AB012", True),     # FR + 11 (the rulebook's pattern)
    ("FR234567AB01", True),      # FR + 10: shortest accepted
    ("FR234567AB01234", True),   # FR + 14: longest accepted
    ("FR234567AB0123456", False), # FR + 15
    ("FR234567AB0", False),      # FR + 9
    ("FR23 4567 AB01", False),   # spaces
    ("DE234567AB012", False),    # not French
])
def test_fr_idu_format_is_a_warning(checker, number, ok):
    s = seller({"type": "epr-packaging", "country": "FR", "number": number})
    f = finding(checker, IDU, packaged(market="FR"), "FR", listing=OWN_FR, seller=s)
    assert f.status == ("pass" if ok else "fail")
    if not ok:
        assert f.severity == "warning" and "plausible IDU format" in f.message


@pytest.mark.parametrize("listing,severity", [
    ({"marketplace": "own-site", "market": "FR", "fulfilment": "seller"}, "error"),
    ({"marketplace": "amazon", "market": "FR", "fulfilment": "marketplace"}, "warning"),
])
def test_fr_idu_missing_error_on_own_site_warning_on_marketplace(checker, listing, severity):
    f = finding(checker, IDU, packaged(market="FR"), "FR", listing=listing, seller=CN_SELLER)
    assert (f.status, f.severity) == ("fail", severity)
    assert "epr-packaging" in f.message


def test_fr_idu_streams_toy_and_electrical_toy(checker):
    toy = packaged(market="FR", category="toys")
    f = finding(checker, IDU, toy, "FR", seller=CN_SELLER)
    assert "epr-toys" in f.message
    etoy = packaged(market="FR", category="toys", electrical={"dc_input_v": 3})
    f = finding(checker, IDU, etoy, "FR", seller=CN_SELLER)
    assert "epr-weee" in f.message and "epr-toys" not in f.message
    assert finding(checker, IDU, toy, "FR", seller=CN_SELLER, as_of="2021-12-31") is None
    workwear = {"kind": "Product", "sku": "WW-1", "category": "apparel", "markets": ["FR"], "intended_for": "professionals"}
    assert finding(checker, IDU, workwear, "FR", seller=CN_SELLER) is None  # TLC stream: household products only


@pytest.mark.parametrize("as_of,severity", [("2023-03-08", "warning"), ("2023-03-09", "error")])
def test_triman_packaging_transition_ends_9_march_2023(checker, as_of, severity):
    p = packaged(market="FR", labelling={"languages": ["fr"], "marks": []})
    f = finding(checker, TRIMAN, p, "FR", as_of=as_of)
    assert (f.status, f.severity) == ("fail", severity)
    assert "Triman" in f.message
    p["labelling"]["marks"] = ["Triman", "Info-tri"]
    assert finding(checker, TRIMAN, p, "FR", as_of=as_of).status == "pass"


# ---------------------------------------------------------------------------------------------- EPR: batteries

BATT_REG = "eu.epr.batteries-producer-registration"
BATT_LABEL = "eu.epr.batteries-ce-labelling"
REMOVABLE = "eu.epr.batteries-removability"
DOC_BATT = {"id": "bdoc", "type": "eu-declaration-of-conformity", "covers": ["BATT"], "issued": "2024-01-10"}


def battery_product(marks=("battery-bin",), substances=(), label=True, qr=True, removable=True, docs=(DOC_BATT,)):
    return {"kind": "Product", "sku": "BAT-1", "category": "electronics", "markets": ["PL"], "intended_for": "consumers",
            "electrical": {"battery": {"chemistry": "lithium-ion", "packing": "contained-in-equipment",
                                       "removable": removable, "label_compliant_2026": label}},
            "labelling": {"marks": list(marks), "dpp_data_carrier": qr},
            "substances": [dict(s) for s in substances], "documents": [dict(d) for d in docs]}


@pytest.mark.parametrize("as_of,applies", [("2025-08-17", False), ("2025-08-18", True)])
def test_battery_producer_registration_from_18_august_2025(checker, as_of, applies):
    f = finding(checker, BATT_REG, battery_product(), "PL", as_of=as_of)
    assert (f is not None) is applies
    if applies:
        assert (f.status, f.severity) == ("fail", "error") and "battery producer registration" in f.message
    reg = seller({"type": "epr-batteries", "country": "PL", "number": "E0012345"}, established_in="PL")
    assert finding(checker, BATT_REG, battery_product(), "PL", seller=reg, as_of="2025-08-18").status == "pass"


@pytest.mark.parametrize("as_of,applies", [("2024-08-17", False), ("2024-08-18", True)])
def test_battery_doc_and_ce_from_18_august_2024(checker, as_of, applies):
    f = finding(checker, BATT_LABEL, battery_product(docs=()), "PL", as_of=as_of)
    assert (f is not None) is applies
    if applies:
        assert (f.status, f.severity) == ("fail", "error") and "EU declaration of conformity" in f.message


@pytest.mark.parametrize("as_of,status", [("2025-08-17", "pass"), ("2025-08-18", "fail")])
def test_battery_collection_symbol_from_18_august_2025(checker, as_of, status):
    f = finding(checker, BATT_LABEL, battery_product(marks=()), "PL", as_of=as_of)
    assert f.status == status
    if status == "fail":
        assert f.severity == "error" and "separate-collection symbol" in f.message


@pytest.mark.parametrize("as_of,severity", [("2026-08-17", "info"), ("2026-08-18", "warning")])
def test_battery_general_label_notice_then_warning(checker, as_of, severity):
    f = finding(checker, BATT_LABEL, battery_product(label=False), "PL", as_of=as_of)
    assert (f.status, f.severity) == ("fail", severity)
    assert "general battery label" in f.message


@pytest.mark.parametrize("as_of,status", [("2027-02-17", "pass"), ("2027-02-18", "fail")])
def test_battery_qr_code_from_18_february_2027(checker, as_of, status):
    f = finding(checker, BATT_LABEL, battery_product(qr=False), "PL", as_of=as_of)
    assert f.status == status
    if status == "fail":
        assert f.severity == "warning" and "QR code" in f.message


@pytest.mark.parametrize("pct,ok", [(0.0004, True), (0.0005, True), (0.0006, False)])
def test_battery_mercury_limit(checker, pct, ok):
    hg = {"name": "Mercury", "cas": "7439-97-6", "concentration_pct": pct, "component": "battery"}
    f = finding(checker, BATT_LABEL, battery_product(substances=[hg]), "PL", as_of="2026-01-10")
    assert f.status == ("pass" if ok else "fail")
    if not ok:
        assert f.severity == "error" and "mercury at most 0.0005 %" in f.message


@pytest.mark.parametrize("pct,with_mark,ok,text", [
    (0.0039, False, True, None), (0.004, False, True, None),
    (0.0041, False, False, "chemical symbol Pb"), (0.0041, True, True, None),
])
def test_battery_pb_symbol_threshold(checker, pct, with_mark, ok, text):
    s = {"name": "Lead", "cas": "7439-92-1", "concentration_pct": pct, "component": "battery"}
    marks = ["battery-bin"] + (["Pb"] if with_mark else [])
    f = finding(checker, BATT_LABEL, battery_product(marks=marks, substances=[s]), "PL", as_of="2026-01-10")
    assert f.status == ("pass" if ok else "fail")
    if text:
        assert text in f.message


@pytest.mark.parametrize("name,cas,limit,mark", [("Cadmium", "7440-43-9", 0.002, "Cd"), ("Lead", "7439-92-1", 0.01, "Pb")])
@pytest.mark.parametrize("delta,ok", [(-0.0001, True), (0, True), (0.0001, False)])
def test_portable_battery_cd_and_pb_limits(checker, name, cas, limit, mark, delta, ok):
    """Annex I: portable batteries at most 0.002 % Cd and 0.01 % Pb, whatever the marking."""
    s = {"name": name, "cas": cas, "concentration_pct": round(limit + delta, 6), "component": "battery"}
    f = finding(checker, BATT_LABEL, battery_product(marks=["battery-bin", mark], substances=[s]), "PL", as_of="2026-01-10")
    assert f.status == ("pass" if ok else "fail")
    if not ok:
        assert f.severity == "error"
        assert f"{name.lower()} at most {limit:g} % in the portable battery" in f.message


def test_battery_symbols_read_battery_components_only(checker):
    """Lead in an appliance's steel screws is not battery lead; in a battery sold alone every entry counts."""
    screws = {"name": "Lead", "cas": "7439-92-1", "concentration_pct": 0.3, "component": "steel screws"}
    assert finding(checker, BATT_LABEL, battery_product(substances=[screws]), "PL", as_of="2026-01-10").status == "pass"
    cell = dict(battery_product(substances=[screws]), category="batteries")
    f = finding(checker, BATT_LABEL, cell, "PL", as_of="2026-01-10")
    assert (f.status, f.severity) == ("fail", "error") and "chemical symbol Pb" in f.message


@pytest.mark.parametrize("as_of,severity", [("2024-02-17", None), ("2027-02-17", "warning"), ("2027-02-18", "error")])
def test_battery_removability_escalates_on_18_february_2027(checker, as_of, severity):
    f = finding(checker, REMOVABLE, battery_product(removable=False), "PL", as_of=as_of)
    if severity is None:
        assert f is None
    else:
        assert (f.status, f.severity) == ("fail", severity)
        assert "removable and replaceable by the end user" in f.message
    assert finding(checker, REMOVABLE, battery_product(removable=True), "PL", as_of="2027-02-18").status == "pass"


# ---------------------------------------------------------------------------------------------- PPWR representative

PPWR_AR = "eu.epr.packaging-authorised-representative"
MANDATE = {"id": "m", "type": "epr-authorised-representative-mandate", "issued": "2025-01-10"}


@pytest.mark.parametrize("as_of,severity", [("2025-02-10", None), ("2026-08-11", "warning"), ("2026-08-12", "error")])
def test_ppwr_representative_escalates_on_12_august_2026(checker, as_of, severity):
    f = finding(checker, PPWR_AR, packaged(market="IT"), "IT", seller=CN_SELLER, as_of=as_of)
    if severity is None:
        assert f is None
    else:
        assert (f.status, f.severity) == ("fail", severity)
        assert "EPR authorised representative" in f.message


def test_ppwr_representative_germany_needs_only_the_mandate_and_domestic_sellers_nothing(checker):
    s = seller(documents=[MANDATE])
    assert finding(checker, PPWR_AR, packaged(), "DE", seller=s).status == "pass"
    f = finding(checker, PPWR_AR, packaged(market="IT"), "IT", seller=s)
    assert f.status == "fail" and "registration" in f.message
    held = seller({"type": "epr-packaging", "country": "IT", "number": "IT0001",
                   "holder": {"role": "epr-authorised-representative", "name": "Rep Srl", "country": "IT"}},
                  documents=[MANDATE])
    assert finding(checker, PPWR_AR, packaged(market="IT"), "IT", seller=held).status == "pass"
    assert finding(checker, PPWR_AR, packaged(market="IT"), "IT", seller=seller(established_in="IT")) is None


@pytest.mark.parametrize("holder,ok", [
    ({"role": "epr-authorised-representative", "name": "RAEE Rep S.r.l.", "country": "IT"}, True),
    ({"role": "importer", "name": "Voltix Europe S.r.l.", "country": "IT"}, True),  # the importer is the producer in IT
    (None, False),                                                                  # the CN seller itself
])
def test_weee_other_member_state_registration_holder(checker, holder, ok):
    reg = {"type": "epr-weee", "country": "IT", "number": "IT24020000015873"}
    if holder:
        reg["holder"] = holder
    p = packaged(market="IT", category="electronics.chargers", labelling={"marks": ["WEEE-bin"]}, electrical={"dc_input_v": 20})
    f = finding(checker, "eu.epr.weee-registration-other-member-states", p, "IT", seller=seller(reg))
    assert f.status == ("pass" if ok else "fail"), f.message
    if not ok:
        assert f.severity == "warning" and "authorised representative (Art 17) or the importer" in f.message
