"""Limits and dates of the us.prop65, us.fcc, us.hazmat and us.customs packs, as a user sees them: for every
numeric limit the value at, just below and just above it; for every dated rule or escalation a check before
and on its date.

The checker loads only these packs and us.common (the shared US facts they read), copied from
rulepacks/us/, so the tests do not depend on packs other authors are still writing."""

from __future__ import annotations

import datetime as dt

import pytest

from compliance_engine import Checker
from tests.conftest import AS_OF, assert_status, checker_over

D = dt.date
PACK_FILES = ["common.yaml", "prop65.yaml", "fcc.yaml", "hazmat.yaml", "customs.yaml"]
DATA_FILES = ["prop65-chemicals.yaml", "fcc-covered-list.yaml"]


@pytest.fixture(scope="module")
def checker(tmp_path_factory) -> Checker:
    return checker_over(tmp_path_factory, "us", PACK_FILES, DATA_FILES)


def findings(checker, product, as_of=AS_OF, listing=None, seller=None):
    return {f.rule: f for f in checker.check(product, "US", listing=listing, seller=seller, as_of=as_of)}


SELLER = {"kind": "Seller", "name": "Shenzhen Trading Co.", "established_in": "CN", "employees_count": 50}


def product(category="other", **extra):
    p = {"kind": "Product", "sku": "LIM-US-1", "category": category, "markets": ["US"], "country_of_origin": "CN"}
    p.update(extra)
    return p


# =========================================================================================== Prop 65
DEHP = {"name": "Di(2-ethylhexyl) phthalate", "cas": "117-81-7", "component": "PVC jacket", "material": "plasticised"}
WARN = "us.prop65.warning-required"
NET = "us.prop65.internet-warning"
CONTENT = "us.prop65.short-form-content"


def dehp(pct=0.3):
    s = dict(DEHP)
    if pct is not None:
        s["concentration_pct"] = pct
    return s


@pytest.mark.parametrize("pct,status", [
    (0, "pass"),            # declared "not detected": not present
    (0.0001, "fail"),       # any amount above 0 % counts as present (Prop 65 has no concentration threshold)
    (None, "fail"),         # unknown concentration: presence assumed
])
def test_prop65_presence_threshold_is_above_zero(checker, pct, status):
    f = findings(checker, product(substances=[dehp(pct)]), seller=SELLER)[WARN]
    assert_status(f, status, "error", *(("California Proposition 65", "no warning and no exposure assessment")
                                        if status == "fail" else ()))


@pytest.mark.parametrize("employees,applies", [(9, False), (10, True), (11, True)])
def test_prop65_ten_employee_threshold(checker, employees, applies):
    seller = dict(SELLER, employees_count=employees)
    out = findings(checker, product(substances=[dehp()]), seller=seller)
    if applies:
        assert_status(out[WARN], "fail", "error", "117-81-7")
    else:
        assert WARN not in out and CONTENT not in out


def test_prop65_unknown_seller_size_is_in_scope(checker):
    assert_status(findings(checker, product(substances=[dehp()]))[WARN], "fail", "error")


def test_prop65_rules_start_with_the_2018_warning_regulations(checker):
    p = product(substances=[dehp()])
    assert WARN not in findings(checker, p, as_of=D(2018, 8, 29), seller=SELLER)
    assert_status(findings(checker, p, as_of=D(2018, 8, 30), seller=SELLER)[WARN], "fail", "error")


@pytest.mark.parametrize("as_of,status", [(D(2024, 12, 28), "pass"), (D(2024, 12, 29), "fail")])
def test_prop65_bps_warning_due_12_months_after_listing(checker, as_of, status):
    bps = {"name": "Bisphenol S", "cas": "80-09-1", "concentration_pct": 1.0, "component": "thermal paper"}
    f = findings(checker, product(substances=[bps]), as_of=as_of, seller=SELLER)[WARN]
    assert_status(f, status, "error", *(("80-09-1",) if status == "fail" else ()))


@pytest.mark.parametrize("as_of,status", [(D(2018, 11, 9), "pass"), (D(2018, 11, 10), "fail")])
def test_prop65_pfoa_warning_due_from_2018_11_10(checker, as_of, status):
    pfoa = {"name": "PFOA", "cas": "335-67-1", "concentration_pct": 0.01, "component": "coating"}
    assert_status(findings(checker, product(substances=[pfoa]), as_of=as_of, seller=SELLER)[WARN], status)


@pytest.mark.parametrize("as_of,status", [(D(2024, 12, 31), "fail"), (D(2025, 1, 1), "pass")])
def test_prop65_website_warning_alone_suffices_for_online_sales_from_2025(checker, as_of, status):
    listing = {"marketplace": "amazon", "market": "US", "title": "Cable", "displays": ["prop65-warning"],
               "attributes": {"prop65_warning": "DEHP"}}
    f = findings(checker, product(substances=[dehp()]), as_of=as_of, listing=listing, seller=SELLER)[WARN]
    assert_status(f, status, "error")
    # the online warning itself is in order on both dates
    assert_status(findings(checker, product(substances=[dehp()]), as_of=as_of, listing=listing, seller=SELLER)[NET], "pass")


def test_prop65_internet_warning_amazon_attribute_is_a_warning(checker):
    listing = {"marketplace": "amazon", "market": "US", "title": "Cable", "displays": ["prop65-warning"]}
    p = product(substances=[dehp()], labelling={"prop65_warning": {"type": "long-form", "signal_word": "warning",
                                                                   "chemicals": ["117-81-7"], "endpoints": ["cancer"],
                                                                   "languages": ["en"]}})
    f = findings(checker, p, listing=listing, seller=SELLER)[NET]
    assert_status(f, "fail", "warning", "Amazon", "Prop 65 attribute")


def test_prop65_labelled_product_needs_the_warning_online_too(checker):
    listing = {"marketplace": "walmart", "market": "US", "title": "Cable", "description": "Fast charging."}
    p = product(labelling={"prop65_warning": {"type": "long-form", "signal_word": "warning",
                                              "chemicals": ["117-81-7"], "endpoints": ["cancer"], "languages": ["en"]}},
                substances=[dehp(0)])   # no listed chemical above 0 %, but the seller chose to warn
    f = findings(checker, p, listing=listing, seller=SELLER)[NET]
    assert_status(f, "fail", "error", "labelled with a Prop 65 warning")
    listing["description"] = "WARNING: Cancer - www.P65Warnings.ca.gov"
    assert_status(findings(checker, p, listing=listing, seller=SELLER)[NET], "pass")


def short_form(**w):
    warning = {"type": "short-form", "signal_word": "warning", "endpoints": ["cancer", "reproductive"], "languages": ["en"]}
    warning.update(w)
    return product(substances=[dehp()], labelling={"languages": ["en"], "prop65_warning": warning})


@pytest.mark.parametrize("as_of,status,severity", [
    (D(2024, 12, 31), "pass", None),        # old short form was the safe harbor
    (D(2025, 1, 1), "fail", "warning"),      # amendments operative: transition period, warning
    (D(2027, 12, 31), "fail", "warning"),
    (D(2028, 1, 1), "fail", "error"),        # escalates: newly labelled products must name a chemical
])
def test_prop65_short_form_without_chemical_transition_and_escalation(checker, as_of, status, severity):
    f = findings(checker, short_form(), as_of=as_of, seller=SELLER)[CONTENT]
    assert_status(f, status, severity, *(("names at least one listed chemical",) if status == "fail" else ()))


@pytest.mark.parametrize("as_of", [D(2025, 1, 1), D(2028, 1, 1)])
def test_prop65_short_form_naming_a_chemical_passes(checker, as_of):
    assert_status(findings(checker, short_form(chemicals=["117-81-7"]), as_of=as_of, seller=SELLER)[CONTENT], "pass")


@pytest.mark.parametrize("as_of,status", [(D(2024, 12, 31), "fail"), (D(2025, 1, 1), "pass")])
def test_prop65_ca_warning_signal_word_allowed_from_2025(checker, as_of, status):
    f = findings(checker, short_form(signal_word="ca-warning", chemicals=["117-81-7"]), as_of=as_of, seller=SELLER)[CONTENT]
    assert_status(f, status, "error" if status == "fail" else None, *(("signal word WARNING",) if status == "fail" else ()))


def test_prop65_long_form_must_name_a_chemical(checker):
    f = findings(checker, short_form(type="long-form"), as_of=D(2024, 6, 1), seller=SELLER)[CONTENT]
    assert_status(f, "fail", "error", "long-form")


@pytest.mark.parametrize("label_langs,warning_langs,status", [
    (["en"], ["en"], "pass"),
    (["en", "es"], ["en"], "fail"),
    (["en", "es"], ["en", "es"], "pass"),
    (["en", "zh", "es"], ["en", "es"], "fail"),
    (["en"], ["es"], "fail"),                  # never without English
])
def test_prop65_warning_languages_follow_the_label(checker, label_langs, warning_langs, status):
    p = short_form(chemicals=["117-81-7"], languages=warning_langs)
    p["labelling"]["languages"] = label_langs
    f = findings(checker, p, seller=SELLER)[CONTENT]
    assert_status(f, status, "error" if status == "fail" else None, *(("language",) if status == "fail" else ()))


# =========================================================================================== FCC
RADIO = {"dc_input_v": 5, "radio": {"bluetooth": True}}
DIGITAL = {"dc_input_v": 5, "digital_device": True}
US_IMPORTER = {"jurisdiction": "US", "role": "importer", "name": "Acme Imports LLC", "address": "1 Main St, Dover, DE 19901",
               "country": "US", "email": "fcc@acme.example"}
SDOC_DOCS = [{"id": "tr", "type": "test-report", "standards": ["47 CFR 15 Subpart B"], "result": "pass", "issued": "2017-01-10"},
             {"id": "sdoc", "type": "fcc-sdoc", "issued": "2017-01-10"}]


def grant(issued):
    return {"id": "g", "type": "fcc-grant-of-certification", "issued": issued}


@pytest.mark.parametrize("as_of,present", [(D(2017, 11, 1), False), (D(2017, 11, 2), True)])
def test_fcc_sdoc_rule_starts_2017_11_02(checker, as_of, present):
    out = findings(checker, product("electronics.peripherals", electrical=DIGITAL, documents=SDOC_DOCS), as_of=as_of)
    if present:
        assert_status(out["us.fcc.sdoc-digital-device"], "fail", "error", "responsible party located in the United States")
    else:
        assert "us.fcc.sdoc-digital-device" not in out


def test_fcc_sdoc_passes_with_us_responsible_party(checker):
    p = product("electronics.peripherals", electrical=DIGITAL, documents=SDOC_DOCS, economic_operators=[US_IMPORTER])
    assert_status(findings(checker, p)["us.fcc.sdoc-digital-device"], "pass")
    cn_party = dict(US_IMPORTER, country="CN")
    p["economic_operators"] = [cn_party]
    assert_status(findings(checker, p)["us.fcc.sdoc-digital-device"], "fail", "error", "located in the United States")


def test_fcc_radio_without_grant_fails(checker):
    out = findings(checker, product("electronics.audio", electrical=RADIO))
    assert_status(out["us.fcc.intentional-radiator-certification"], "fail", "error", "FCC ID", "grant of certification")
    assert_status(out["us.fcc.labelling"], "fail", "error", "FCC ID shown on the device", "Part 15 compliance statement")


COVERED = "us.fcc.covered-equipment"


@pytest.mark.parametrize("as_of,present", [(D(2023, 2, 5), False), (D(2023, 2, 6), True)])
def test_fcc_covered_list_prohibition_starts_2023_02_06(checker, as_of, present):
    out = findings(checker, product("electronics.camera", brand="Hikvision", electrical={"radio": {"wifi": True}}), as_of=as_of)
    if present:
        assert_status(out[COVERED], "fail", "error", "Covered List", "Hikvision")
    else:
        assert COVERED not in out


@pytest.mark.parametrize("issued,as_of,status,severity", [
    ("2023-02-05", D(2025, 12, 25), "pass", None),      # authorized before the prohibition
    ("2023-02-05", D(2025, 12, 26), "fail", "warning"),  # FCC 25-71: earlier grants can be limited
    ("2023-02-06", D(2025, 12, 25), "fail", "error"),    # granted on the prohibition date: not grandfathered
])
def test_fcc_covered_list_grandfathered_grants(checker, issued, as_of, status, severity):
    p = product("electronics.phone", manufacturer={"name": "Huawei Device Co., Ltd.", "country": "CN"},
                electrical={"radio": {"cellular": True}}, documents=[grant(issued)])
    assert_status(findings(checker, p, as_of=as_of)[COVERED], status, severity)


@pytest.mark.parametrize("as_of,status", [(D(2025, 12, 21), "pass"), (D(2025, 12, 22), "fail")])
def test_fcc_dji_added_2025_12_22(checker, as_of, status):
    p = product("electronics.camera", brand="DJI", electrical={"radio": {"wifi": True}}, documents=[grant("2025-12-22")])
    f = findings(checker, p, as_of=as_of)[COVERED]
    assert_status(f, status, "error" if status == "fail" else None, *(("DJI",) if status == "fail" else ()))


@pytest.mark.parametrize("issued,status", [("2025-12-21", "pass"), ("2025-12-22", "fail")])
def test_fcc_dji_model_authorized_before_2025_12_22_may_still_be_sold(checker, issued, status):
    p = product("electronics.camera", brand="DJI", electrical={"radio": {"wifi": True}}, documents=[grant(issued)])
    assert_status(findings(checker, p)[COVERED], status)


@pytest.mark.parametrize("origin,as_of,status,severity", [
    ("CN", D(2025, 12, 21), "pass", None),
    ("CN", D(2025, 12, 22), "fail", "warning"),   # foreign-produced UAS: heuristic by name -> warning
    ("US", D(2025, 12, 22), "pass", None),
])
def test_fcc_foreign_drones_from_2025_12_22(checker, origin, as_of, status, severity):
    p = product("electronics.camera", name="Mini FPV drone with 4K camera", country_of_origin=origin,
                electrical={"radio": {"wifi": True}}, documents=[grant("2025-12-22")])
    f = findings(checker, p, as_of=as_of)[COVERED]
    assert_status(f, status, severity, *(("drone",) if status == "fail" else ()))


# =========================================================================================== hazmat
MARK = "us.hazmat.lithium-battery-marking"
AIR = "us.hazmat.air-standalone-lithium"
UN383 = "us.hazmat.un38-3-test-summary"


def battery(**b):
    base = {"chemistry": "lithium-ion", "watt_hours": 74, "cell_watt_hours": 18.5, "count": 1, "form": "cylindrical",
            "packing": "contained-in-equipment", "wh_marked": True}
    base.update(b)
    return product("electronics", electrical={"dc_input_v": 5, "battery": base},
                   documents=[{"id": "un", "type": "un38.3-test-summary", "issued": "2024-01-10"}])


@pytest.mark.parametrize("wh,status", [(99.99, "pass"), (100, "pass"), (100.01, "fail")])
def test_hazmat_battery_100_wh_small_battery_limit(checker, wh, status):
    f = findings(checker, battery(watt_hours=wh))[MARK]
    assert_status(f, status, "warning" if status == "fail" else None, *(("100 Wh", "fully regulated Class 9") if status == "fail" else ()))


@pytest.mark.parametrize("cell,status", [(19.99, "pass"), (20, "pass"), (20.01, "fail")])
def test_hazmat_cell_20_wh_small_cell_limit(checker, cell, status):
    f = findings(checker, battery(cell_watt_hours=cell))[MARK]
    assert_status(f, status, "warning" if status == "fail" else None, *(("20 Wh",) if status == "fail" else ()))


@pytest.mark.parametrize("wh,status", [(19.99, "pass"), (20, "pass"), (20.01, "fail")])
def test_hazmat_cell_wh_needed_above_20_wh_battery(checker, wh, status):
    b = battery(watt_hours=wh)
    del b["electrical"]["battery"]["cell_watt_hours"]
    f = findings(checker, b)[MARK]
    assert_status(f, status, "warning" if status == "fail" else None, *(("cell Wh declared",) if status == "fail" else ()))


def test_hazmat_wh_rating_must_be_known_and_marked(checker):
    b = battery(wh_marked=False)
    del b["electrical"]["battery"]["watt_hours"]
    f = findings(checker, b)[MARK]
    assert_status(f, "fail", "error", "Wh rating of the Li-ion battery declared", "marked on the outside")


@pytest.mark.parametrize("grams,status", [(1.99, "pass"), (2, "pass"), (2.01, "fail")])
def test_hazmat_lithium_metal_battery_2_g_limit(checker, grams, status):
    f = findings(checker, battery(chemistry="lithium-metal", lithium_content_g=grams, watt_hours=None, wh_marked=None))[MARK]
    assert_status(f, status, "warning" if status == "fail" else None, *(("2 g lithium",) if status == "fail" else ()))


@pytest.mark.parametrize("grams,status", [(0.99, "pass"), (1, "pass"), (1.01, "fail")])
def test_hazmat_lithium_metal_cell_1_g_limit_on_button_cells(checker, grams, status):
    f = findings(checker, battery(chemistry="lithium-metal", form="button-coin", lithium_content_g=grams,
                                  watt_hours=None, wh_marked=None))[MARK]
    assert_status(f, status, "warning" if status == "fail" else None, *(("1 g lithium",) if status == "fail" else ()))


def test_hazmat_lithium_metal_without_lithium_content_warns(checker):
    f = findings(checker, battery(chemistry="lithium-metal", watt_hours=None, wh_marked=None))[MARK]
    assert_status(f, "fail", "warning", "2 g lithium")


@pytest.mark.parametrize("as_of,present", [(D(2015, 12, 31), False), (D(2016, 1, 1), True)])
def test_hazmat_marking_rule_starts_2016(checker, as_of, present):
    out = findings(checker, battery(wh_marked=False), as_of=as_of)
    if present:
        assert_status(out[MARK], "fail", "error", "marked on the outside")
    else:
        assert MARK not in out


AIR_LISTING = {"marketplace": "temu", "market": "US", "title": "Power bank", "ships_from": "CN", "shipping": {"mode": "air"}}


@pytest.mark.parametrize("soc,status", [(29.9, "pass"), (30, "pass"), (30.1, "fail")])
def test_hazmat_standalone_li_ion_30_pct_state_of_charge(checker, soc, status):
    f = findings(checker, battery(packing="standalone", shipping_soc_pct=soc), listing=AIR_LISTING)[AIR]
    assert_status(f, status, "error" if status == "fail" else None, *(("30 % state of charge",) if status == "fail" else ()))


@pytest.mark.parametrize("as_of,present", [(D(2016, 3, 31), False), (D(2016, 4, 1), True)])
def test_hazmat_30_pct_rule_starts_2016_04_01(checker, as_of, present):
    out = findings(checker, battery(packing="standalone", shipping_soc_pct=60), as_of=as_of, listing=AIR_LISTING)
    if present:
        assert_status(out[AIR], "fail", "error", "UN3480")
    else:
        assert AIR not in out


def test_hazmat_air_rule_only_for_air_shipments(checker):
    sea = dict(AIR_LISTING, shipping={"mode": "sea"})
    assert AIR not in findings(checker, battery(packing="standalone", shipping_soc_pct=60), listing=sea)
    domestic = dict(AIR_LISTING, ships_from="US", shipping={"mode": "domestic"})
    assert AIR not in findings(checker, battery(packing="standalone", shipping_soc_pct=60), listing=domestic)
    # a seller who ships parcels by air brings the rule in without a listing
    seller = dict(SELLER, ships_by_air=True, dg_air_shipping_process=False)
    f = findings(checker, battery(packing="standalone", shipping_soc_pct=30), seller=seller)[AIR]
    assert_status(f, "fail", "warning", "dangerous-goods-trained shipper")


@pytest.mark.parametrize("wh,as_of,status", [
    (2.7, D(2026, 1, 1), "pass"),        # 2.7 Wh or less: 30 % only recommended
    (2.71, D(2025, 12, 31), "pass"),     # before the IATA 67th edition
    (2.71, D(2026, 1, 1), "fail"),
])
def test_hazmat_packed_with_equipment_30_pct_from_2026(checker, wh, as_of, status):
    p = battery(packing="packed-with-equipment", watt_hours=wh, cell_watt_hours=wh, shipping_soc_pct=50)
    f = findings(checker, p, as_of=as_of, listing=AIR_LISTING)[AIR]
    assert_status(f, status, "error" if status == "fail" else None, *(("PI 966",) if status == "fail" else ()))


@pytest.mark.parametrize("as_of,status", [(D(2021, 12, 31), "pass"), (D(2022, 1, 1), "fail")])
def test_hazmat_un38_3_summary_us_hmr_from_2022(checker, as_of, status):
    p = battery()
    p["documents"] = []
    assert_status(findings(checker, p, as_of=as_of)[UN383], status, "error" if status == "fail" else None)


@pytest.mark.parametrize("as_of,present", [(D(2019, 12, 31), False), (D(2020, 1, 1), True)])
def test_hazmat_un38_3_summary_by_air_from_2020(checker, as_of, present):
    p = battery(packing="standalone", shipping_soc_pct=30)
    p["documents"] = []
    out = findings(checker, p, as_of=as_of, listing=AIR_LISTING)
    if present:
        assert_status(out[UN383], "fail", "error", "UN 38.3 test summary")
    else:
        assert UN383 not in out


# =========================================================================================== customs
ORIGIN = "us.customs.origin-marking"


@pytest.mark.parametrize("origin,statement,status", [
    ("CN", "Made in China", "pass"),
    ("CN", "MADE IN PRC", "fail"),
    ("CN", "Designed in California", "fail"),
    ("VN", "Made in Vietnam", "pass"),
    ("VN", "Made in China", "fail"),
    ("MX", "Hecho en México", "pass"),
    ("GB", "Made in Gt. Britain", "pass"),
    ("KE", "Made in Kenya", "pass"),     # origin outside the encoded names: only presence is checked
])
def test_customs_origin_statement_names_the_country(checker, origin, statement, status):
    p = product(country_of_origin=origin, labelling={"origin_statement": statement})
    f = findings(checker, p)[ORIGIN]
    assert_status(f, status, "error" if status == "fail" else None, *(("English",) if status == "fail" else ()))


def test_customs_missing_marking_and_origin(checker):
    p = product()
    del p["country_of_origin"]
    f = findings(checker, p)[ORIGIN]
    assert_status(f, "fail", "error", "country of origin declared", "origin marking")


@pytest.mark.parametrize("statement,as_of,status", [
    ("Made in Hong Kong", D(2020, 11, 8), "pass"),
    ("Made in Hong Kong", D(2020, 11, 9), "fail"),
    ("Made in China", D(2020, 11, 8), "fail"),
    ("Made in China", D(2020, 11, 9), "pass"),
])
def test_customs_hong_kong_goods_marked_china_from_2020_11_09(checker, statement, as_of, status):
    p = product("apparel.accessories", country_of_origin="HK", labelling={"origin_statement": statement})
    assert_status(findings(checker, p, as_of=as_of)[ORIGIN], status, "error" if status == "fail" else None)
