"""Limits and dates of the eu.ce pack, as a user sees them: for every numeric limit the value at, just below
and just above it (LVD voltage bounds, RoHS concentrations, the 15 W USB-PD threshold, radio band edges); for
every dated rule or escalation a check before and on its date."""

from __future__ import annotations

import copy

import pytest

from compliance_engine import Checker
from tests.conftest import AS_OF, assert_fail, assert_pass

PACK = ["eu.ce"]
CADMIUM, LEAD, MERCURY, CR6 = "7440-43-9", "7439-92-1", "7439-97-6", "18540-29-9"
DEHP, BBP, DBP, DIBP = "117-81-7", "85-68-7", "84-74-2", "84-69-5"


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(packs=PACK, as_of=AS_OF)


def findings(checker, product, market="DE", as_of=AS_OF, listing=None):
    return {f.rule: f for f in checker.check(product, market, listing=listing, as_of=as_of)}


MAKER = {"name": "Shenzhen Maker Co., Ltd.", "address": "1 Keji Road, Shenzhen", "country": "CN"}


def product(category="electronics", **extra):
    p = {"kind": "Product", "sku": "CE-LIM", "category": category, "markets": ["DE"], "identifiers": {"model": "M1"},
         "manufacturer": dict(MAKER), "labelling": {"marks": ["CE"]}}
    p.update(extra)
    return p


def doc(id_, type_, **extra):
    d = {"id": id_, "type": type_, "issued": "2015-01-01"}
    d.update(extra)
    return d


# A complete RoHS file, so that only the substance limits decide eu.ce.rohs.
ROHS_DOCS = [
    doc("doc-doc", "eu-declaration-of-conformity", covers=["RoHS", "EMC"], standards=["EN IEC 63000:2018", "EN 55032:2015"]),
    doc("doc-tf", "technical-file", covers=["RoHS", "EMC"]),
    doc("doc-smd", "supplier-material-declaration"),
]


def sub(cas, pct, component="housing", **extra):
    s = {"name": f"CAS {cas}", "cas": cas, "concentration_pct": pct, "component": component, "material": "plastic"}
    s.update(extra)
    return s


def rohs_product(*substances):
    return product("electronics.peripherals", electrical={"dc_input_v": 5}, documents=copy.deepcopy(ROHS_DOCS),
                   substances=[dict(s) for s in substances])


# ------------------------------------------------------------------------------------------ LVD voltage scope
# The LVD applies to equipment rated 50-1000 V AC or 75-1500 V DC (eu.common fact lvd-voltage); a product with no
# LVD evidence fails inside the range and yields no eu.ce.lvd finding outside it.
@pytest.mark.parametrize("electrical,in_scope", [
    ({"ac_input_v": {"min": 12, "max": 50}}, True),        # AC lower bound: 50 V is in scope
    ({"ac_input_v": {"min": 12, "max": 49.9}}, False),
    ({"ac_input_v": {"min": 12, "max": 50.1}}, True),
    ({"ac_input_v": {"min": 1000, "max": 1100}}, True),    # AC upper bound: a range starting at 1000 V overlaps
    ({"ac_input_v": {"min": 999.9, "max": 1100}}, True),
    ({"ac_input_v": {"min": 1000.1, "max": 1100}}, False),
    ({"dc_input_v": 75}, True),                            # DC lower bound
    ({"dc_input_v": 74.9}, False),
    ({"dc_input_v": 75.1}, True),
    ({"dc_input_v": 1500}, True),                          # DC upper bound
    ({"dc_input_v": 1499.9}, True),
    ({"dc_input_v": 1500.1}, False),
])
def test_lvd_voltage_bounds(checker, electrical, in_scope):
    f = findings(checker, product("electrical-appliance.heater", electrical=electrical)).get("eu.ce.lvd")
    if in_scope:
        assert_fail(f, "error", "Low Voltage Directive", "EN 60335-1")
    else:
        assert f is None


def test_lvd_does_not_apply_to_radio_equipment(checker):
    p = product("electrical-appliance.heater", electrical={"ac_input_v": {"min": 220, "max": 240}, "radio": {"wifi": True}})
    got = findings(checker, p)
    assert "eu.ce.lvd" not in got and "eu.ce.emc" not in got
    assert_fail(got["eu.ce.red"], "error", "Radio Equipment Directive")


def test_lvd_applies_to_battery_product_with_mains_adaptor_in_the_box(checker):
    p = product("lighting.torch", electrical={"dc_input_v": 5, "accessories": [{"type": "ac-adaptor", "included": True}]})
    assert_fail(findings(checker, p).get("eu.ce.lvd"), "error", "EN IEC 60598-1 for luminaires")
    p["electrical"]["accessories"][0]["included"] = False
    assert "eu.ce.lvd" not in findings(checker, p)


# ------------------------------------------------------------------------------------------ RoHS limits
@pytest.mark.parametrize("cas,pct,ok", [
    (CADMIUM, 0.01, True), (CADMIUM, 0.0099, True), (CADMIUM, 0.0101, False),
    (LEAD, 0.1, True), (LEAD, 0.099, True), (LEAD, 0.101, False),
    (MERCURY, 0.1, True), (MERCURY, 0.099, True), (MERCURY, 0.101, False),
    (CR6, 0.1, True), (CR6, 0.099, True), (CR6, 0.101, False),
    (DEHP, 0.1, True), (DEHP, 0.099, True), (DEHP, 0.101, False),
    (BBP, 0.1, True), (DBP, 0.101, False), (DIBP, 0.101, False),
])
def test_rohs_annex_ii_limits(checker, cas, pct, ok):
    f = findings(checker, rohs_product(sub(cas, pct)))["eu.ce.rohs"]
    if ok:
        assert_pass(f)
    else:
        limit = "0.01" if cas == CADMIUM else "0.1"
        assert_fail(f, "error", "RoHS")
        assert any(f"(limit: at most {limit} %)" in m for m in f.missing_fields), f.missing_fields


def test_rohs_matches_by_name_when_cas_is_absent(checker):
    f = findings(checker, rohs_product({"name": "Cadmium", "concentration_pct": 0.02, "component": "solder"}))["eu.ce.rohs"]
    assert_fail(f, "error", "cadmium at most 0.01 %")


def test_rohs_exemption_waives_the_limit(checker):
    assert_pass(findings(checker, rohs_product(sub(LEAD, 0.3, rohs_exemption="6(a)-I")))["eu.ce.rohs"])
    assert_fail(findings(checker, rohs_product(sub(LEAD, 0.3)))["eu.ce.rohs"], "error")


def test_rohs_unknown_concentration_fails(checker):
    s = sub(CADMIUM, 0.0)
    del s["concentration_pct"]
    f = findings(checker, rohs_product(s))["eu.ce.rohs"]
    assert_fail(f, "error")
    assert any("concentration_pct" in m for m in f.missing_fields), f.missing_fields


@pytest.mark.parametrize("pcts,ok", [
    ((0.05, 0.05), True),      # the PBB group sum at the limit
    ((0.05, 0.0499), True),
    ((0.05, 0.0501), False),
])
def test_rohs_pbb_group_sum_per_component(checker, pcts, ok):
    subs = [{"name": "PBB", "concentration_pct": pcts[0], "component": "housing"},
            {"name": "Hexabromobiphenyl", "concentration_pct": pcts[1], "component": "housing"}]
    f = findings(checker, rohs_product(*subs))["eu.ce.rohs"]
    if ok:
        assert_pass(f)
    else:
        assert_fail(f, "error", "polybrominated biphenyls")


def test_rohs_pbb_sums_are_per_component(checker):
    subs = [{"name": "PBB", "concentration_pct": 0.08, "component": "housing"},
            {"name": "PBB", "concentration_pct": 0.08, "component": "cable"}]
    assert_pass(findings(checker, rohs_product(*subs))["eu.ce.rohs"])


@pytest.mark.parametrize("as_of,ok", [("2019-07-21", True), ("2019-07-22", False)])
def test_rohs_phthalates_apply_from_22_july_2019(checker, as_of, ok):
    f = findings(checker, rohs_product(sub(DEHP, 0.2)), as_of=as_of)["eu.ce.rohs"]
    if ok:
        assert_pass(f)
    else:
        assert_fail(f, "error", "DEHP, BBP, DBP and DIBP")


@pytest.mark.parametrize("as_of,ok", [("2021-07-21", True), ("2021-07-22", False)])
def test_rohs_phthalates_for_medical_devices_from_22_july_2021(checker, as_of, ok):
    p = rohs_product(sub(DEHP, 0.2))
    p["category"] = "medical-device"
    f = findings(checker, p, as_of=as_of)["eu.ce.rohs"]
    assert f.status == ("pass" if ok else "fail"), f.message


# ------------------------------------------------------------------------------------------ common charger
def charger_product(max_power_w=10.0, usb_pd=False, category="electronics.audio", port="usb-c"):
    return product(category, electrical={"radio": {"bluetooth": True}, "battery": {"chemistry": "lithium-ion"},
                                         "charging": {"port": port, "max_power_w": max_power_w, "usb_pd": usb_pd}},
                   labelling={"marks": ["CE", "charger-not-included-pictogram", "charging-label"]},
                   documents=[doc("doc-doc", "eu-declaration-of-conformity", covers=["RED", "RED-CC"])])


@pytest.mark.parametrize("watts,ok", [(15, True), (14.9, True), (15.1, False)])
def test_common_charger_usb_pd_above_15_w(checker, watts, ok):
    f = findings(checker, charger_product(watts))["eu.ce.red-common-charger"]
    if ok:
        assert_pass(f)
    else:
        assert_fail(f, "error", "USB Power Delivery", "above 15 W")


def test_common_charger_usb_pd_satisfies_high_power(checker):
    assert_pass(findings(checker, charger_product(45, usb_pd=True))["eu.ce.red-common-charger"])


@pytest.mark.parametrize("as_of,applies", [("2024-12-27", False), ("2024-12-28", True)])
def test_common_charger_applies_from_28_december_2024(checker, as_of, applies):
    f = findings(checker, charger_product(port="micro-usb"), as_of=as_of).get("eu.ce.red-common-charger")
    if applies:
        assert_fail(f, "error", "USB Type-C")
    else:
        assert f is None


@pytest.mark.parametrize("as_of,severity", [("2026-04-27", "warning"), ("2026-04-28", "error")])
def test_common_charger_laptops_warning_before_28_april_2026(checker, as_of, severity):
    f = findings(checker, charger_product(65, category="electronics.laptop", port="barrel"), as_of=as_of)["eu.ce.red-common-charger"]
    assert_fail(f, severity, "USB Type-C")
    if severity == "warning":
        assert "preparation" in f.message


def test_common_charger_wireless_only_is_out_of_scope(checker):
    assert "eu.ce.red-common-charger" not in findings(checker, charger_product(port="wireless-only"))


# ------------------------------------------------------------------------------------------ radio bands
def radio_product(bands, **radio):
    r = {"bluetooth": True, "frequency_bands_mhz": bands}
    r.update(radio)
    return product("electronics.audio", electrical={"radio": r})


@pytest.mark.parametrize("band,ok", [
    ([2400, 2483.5], True),      # exactly the 2.4 GHz band
    ([2402, 2480], True),
    ([2399.9, 2483.5], False),   # just below the lower edge
    ([2400, 2483.6], False),     # just above the upper edge
    ([433.05, 434.79], True),
    ([433.0, 434.79], False),
    ([863, 870], True),
    ([863, 870.1], False),
    ([5150, 5350], True),
    ([5945, 6425], True),        # 6 GHz Wi-Fi (added to the rulebook list)
    ([902, 928], False),         # US ISM band
    ([380, 400], False),         # TETRA
])
def test_frequency_band_edges(checker, band, ok):
    f = findings(checker, radio_product([band]))["eu.ce.red-frequency-bands"]
    if ok:
        assert_pass(f)
    else:
        assert_fail(f, "error", "radio bands")
        assert f"{band[0]:g}-{band[1]:g} MHz is not inside a band" in f.message, f.message


@pytest.mark.parametrize("cellular,ok", [(True, True), (False, False)])
def test_cellular_bands_only_for_cellular_products(checker, cellular, ok):
    f = findings(checker, radio_product([[880, 915]], cellular=cellular))["eu.ce.red-frequency-bands"]
    assert f.status == ("pass" if ok else "fail"), f.message


def test_900_mhz_duplex_gap_fails_even_for_cellular(checker):
    assert_fail(findings(checker, radio_product([[902, 928]], cellular=True))["eu.ce.red-frequency-bands"], "error")


def test_out_of_band_with_type_examination_certificate_is_a_warning(checker):
    p = radio_product([[902, 928]])
    p["documents"] = [doc("doc-tec", "eu-type-examination-certificate", covers=["RED"])]
    assert_fail(findings(checker, p)["eu.ce.red-frequency-bands"], "warning", "manual review")


def test_frequency_bands_rule_is_eu_only(checker):
    assert "eu.ce.red-frequency-bands" not in findings(checker, radio_product([[902, 928]]), market="XI")


# ------------------------------------------------------------------------------------------ RED cybersecurity
def wifi_product(**radio):
    r = {"wifi": True, "frequency_bands_mhz": [[2400, 2483.5]]}
    r.update(radio)
    return product("electronics.smart-home", electrical={"dc_input_v": 5, "radio": r})


@pytest.mark.parametrize("as_of,applies", [("2025-07-31", False), ("2025-08-01", True)])
def test_red_cybersecurity_applies_from_1_august_2025(checker, as_of, applies):
    f = findings(checker, wifi_product(), as_of=as_of).get("eu.ce.red-cybersecurity")
    if applies:
        assert_fail(f, "error", "EN 18031-1", "RED-DA")
    else:
        assert f is None


def test_red_cybersecurity_stays_in_force_after_cra_date(checker):
    # The repeal of Delegated Regulation 2022/30 on 11 Dec 2027 is unconfirmed: the rule stays open-ended.
    assert_fail(findings(checker, wifi_product(), as_of="2027-12-11")["eu.ce.red-cybersecurity"], "error")


def test_red_cybersecurity_bluetooth_with_unknown_connectivity_is_a_warning(checker):
    p = product("electronics.audio", electrical={"radio": {"bluetooth": True}})
    assert_fail(findings(checker, p)["eu.ce.red-cybersecurity"], "warning", "internet_connected")
    p["electrical"]["radio"]["internet_connected"] = False
    assert "eu.ce.red-cybersecurity" not in findings(checker, p)


def test_red_cybersecurity_personal_data_needs_en_18031_2(checker):
    p = wifi_product(internet_connected=True, processes_personal_data=True)
    p["documents"] = [doc("doc-doc", "eu-declaration-of-conformity", covers=["RED", "RED-DA"]),
                      doc("doc-tr", "test-report", standards=["EN 18031-1:2024"], model="M1")]
    assert_fail(findings(checker, p)["eu.ce.red-cybersecurity"], "error", "EN 18031-2")
    p["documents"][1]["standards"].append("EN 18031-2:2024")
    assert_pass(findings(checker, p)["eu.ce.red-cybersecurity"])


# ------------------------------------------------------------------------------------------ toys: TSD and 2030
def toy(**extra):
    return product("toys.plush", age_grade={"min_years": 3}, **extra)


@pytest.mark.parametrize("as_of,present", [("2030-07-31", True), ("2030-08-01", False)])
def test_toy_safety_directive_ends_on_1_august_2030(checker, as_of, present):
    assert ("eu.ce.toy-safety" in findings(checker, toy(), as_of=as_of)) is present


@pytest.mark.parametrize("as_of,severity", [
    ("2025-12-31", None),         # before the preparation notice starts
    ("2026-01-01", "warning"),
    ("2030-07-31", "warning"),
    ("2030-08-01", "error"),      # the regulation applies: escalates to error
])
def test_toy_safety_regulation_escalates_on_1_august_2030(checker, as_of, severity):
    f = findings(checker, toy(), as_of=as_of).get("eu.ce.toy-safety-regulation-2030")
    if severity is None:
        assert f is None
    else:
        assert_fail(f, severity, "2025/2509", "digital product passport")


def test_toy_regulation_flags_bisphenol_a(checker):
    p = toy(substances=[{"name": "Bisphenol A", "cas": "80-05-7", "concentration_pct": 0.001, "component": "eyes"}])
    f = findings(checker, p)["eu.ce.toy-safety-regulation-2030"]
    assert_fail(f, "warning", "PFAS or bisphenols")


def test_toy_under_36_months_warning_needed_for_small_parts(checker):
    p = toy(child_safety={"small_parts": True})
    f = findings(checker, p)["eu.ce.toy-safety"]
    assert_fail(f, "error", "not suitable for children under 36 months")


# ------------------------------------------------------------------------------------------ superseded standards
def report_product(standard, issued="2015-01-01"):
    return product("electronics.networking", electrical={"dc_input_v": 12},
                   documents=[doc("doc-tr", "test-report", standards=[standard], model="M1", issued=issued)])


@pytest.mark.parametrize("standard,cutover,severity", [
    ("EN 300 328 V2.1.1", "2021-08-06", "error"),
    ("ETSI EN 300 328 V2.1.1", "2021-08-06", "error"),
    ("EN 50581:2012", "2021-11-18", "warning"),
    ("EN 60950-1:2006+A2:2013", "2020-12-20", "warning"),
    ("EN 60065:2014", "2020-12-20", "warning"),
    ("EN 55022:2010", "2017-03-05", "warning"),
    ("EN 55024:2010", "2022-09-16", "warning"),
])
def test_superseded_standard_cutover_dates(checker, standard, cutover, severity):
    import datetime as dt

    day_before = (dt.date.fromisoformat(cutover) - dt.timedelta(days=1)).isoformat()
    assert_pass(findings(checker, report_product(standard), as_of=day_before)["eu.ce.superseded-standard"])
    f = findings(checker, report_product(standard), as_of=cutover)["eu.ce.superseded-standard"]
    assert_fail(f, severity, standard)


def test_current_en_300_328_edition_passes(checker):
    assert_pass(findings(checker, report_product("EN 300 328 V2.2.2"))["eu.ce.superseded-standard"])


# ------------------------------------------------------------------------------------------ DoC and CE mark
def test_several_declarations_together_cover_every_act(checker):
    p = product("electrical-appliance.kettle", electrical={"ac_input_v": {"min": 220, "max": 240}},
                documents=[doc("d1", "eu-declaration-of-conformity", covers=["LVD"], standards=["EN 60335-1:2012"]),
                           doc("d2", "eu-declaration-of-conformity", covers=["EMC", "RoHS"], standards=["EN IEC 55014-1:2021"])])
    assert_pass(findings(checker, p)["eu.ce.declaration-of-conformity"])
    p["documents"].pop(0)
    assert_fail(findings(checker, p)["eu.ce.declaration-of-conformity"], "error", "Low Voltage Directive")


def test_expired_declaration_does_not_count(checker):
    p = product("electrical-appliance.kettle", electrical={"ac_input_v": {"min": 220, "max": 240}},
                documents=[doc("d1", "eu-declaration-of-conformity", covers=["LVD", "EMC", "RoHS"],
                               standards=["EN 60335-1:2012"], expires="2026-01-01")])
    assert_fail(findings(checker, p)["eu.ce.declaration-of-conformity"], "error")


def test_ce_mark_on_non_ce_product_is_a_warning_and_missing_ce_an_error(checker):
    bag = product("textiles.bags")
    assert_fail(findings(checker, bag)["eu.ce.ce-marking"], "warning", "no CE act covers")
    bag["labelling"]["marks"] = []
    assert "eu.ce.ce-marking" not in findings(checker, bag)
    lamp = product("lighting.lamp", electrical={"ac_input_v": {"min": 220, "max": 240}}, labelling={"marks": []})
    assert_fail(findings(checker, lamp)["eu.ce.ce-marking"], "error", "CE mark")


def test_ce_mark_allowed_on_products_of_other_ce_regimes(checker):
    assert_pass(findings(checker, product("ppe.gloves"))["eu.ce.ce-marking"])


@pytest.mark.parametrize("as_of,ok", [("2021-11-17", True), ("2021-11-18", False)])
def test_rohs_documentation_to_en_50581_accepted_until_18_november_2021(checker, as_of, ok):
    p = rohs_product()
    p["documents"][0]["standards"] = ["EN 50581:2012", "EN 55032:2015"]
    f = findings(checker, p, as_of=as_of)["eu.ce.rohs"]
    if ok:
        assert_pass(f)
    else:
        assert_fail(f, "error", "EN IEC 63000")


def test_usb_charger_filed_as_appliance_passes_with_ict_standards(checker):
    # The category taxonomy cannot tell a USB power supply from a kettle: EN IEC 62368-1 and EN 55032/55035
    # reports satisfy the LVD and EMC rules whatever the category.
    p = product("electrical-appliance", electrical={"ac_input_v": {"min": 100, "max": 240}},
                documents=[doc("d1", "eu-declaration-of-conformity", covers=["LVD", "EMC", "RoHS"], standards=["EN IEC 62368-1:2020"]),
                           doc("tf", "technical-file", covers=["LVD", "EMC", "RoHS"]),
                           doc("tr1", "test-report", standards=["EN IEC 62368-1:2020+A11:2020"], model="M1"),
                           doc("tr2", "test-report", standards=["EN 55032:2015", "EN 55035:2017", "EN IEC 61000-3-2:2019", "EN 61000-3-3:2013"], model="M1")])
    got = findings(checker, p)
    assert_pass(got["eu.ce.lvd"])
    assert_pass(got["eu.ce.emc"])


def test_household_appliance_report_needs_its_part_2(checker):
    p = product("electrical-appliance.kettle", electrical={"ac_input_v": {"min": 220, "max": 240}},
                documents=[doc("d1", "eu-declaration-of-conformity", covers=["LVD"], standards=["EN 60335-1:2012"]),
                           doc("tf", "technical-file", covers=["LVD"]),
                           doc("tr1", "test-report", standards=["EN 60335-1:2012+A15:2021"], model="M1")])
    assert_fail(findings(checker, p)["eu.ce.lvd"], "error", "EN 60335-2-x")
    p["documents"][2]["standards"].append("EN 60335-2-15:2016")
    assert_pass(findings(checker, p)["eu.ce.lvd"])
