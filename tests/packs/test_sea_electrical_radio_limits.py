"""Limits and dates of the SEA electrical and radio packs (id/th/my/sg/vn/ph .electrical and .radio), as a user
sees them: for every numeric limit the value at, just below and just above it; for every dated rule or dated
requirement a check before and on its date; and the list-based scope (a product on the data table's HS prefixes
or category sub-keys is checked, one not on it gets no finding, one without an HS code is asked for it).

The checker loads only these packs, sea.common and their data tables, copied from rulepacks/sea/, so the tests
do not depend on packs other authors are still writing."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from compliance_engine import Checker
from tests.conftest import AS_OF, ROOT, assert_status, checker_over

D = dt.date
SEA = ROOT / "rulepacks" / "sea"
PACK_FILES = ["common.yaml", "id-electrical.yaml", "id-radio.yaml", "th-electrical.yaml", "th-radio.yaml",
              "my-electrical.yaml", "my-radio.yaml", "sg-electrical.yaml", "sg-radio.yaml", "vn-radio.yaml",
              "vn-electrical.yaml", "ph-electrical.yaml", "ph-radio.yaml"]
DATA_FILES = ["id-sni-mandatory-electrical.yaml", "th-tisi-mandatory-electrical.yaml", "sg-controlled-goods.yaml",
              "ph-bps-mandatory-electrical.yaml"]


@pytest.fixture(scope="module")
def checker(tmp_path_factory) -> Checker:
    return checker_over(tmp_path_factory, "sea", PACK_FILES, DATA_FILES)


def findings(checker, product, market, as_of=AS_OF, listing=None, seller=None):
    return {f.rule: f for f in checker.check(product, market, listing=listing, seller=seller, as_of=as_of)}


def product(category, market, **extra):
    p = {"kind": "Product", "sku": "LIM-SEA-EL-1", "category": category, "markets": [market], "country_of_origin": "CN"}
    p.update(extra)
    return p


# =========================================================================== id.electrical: 250 V ceiling
SNI = "id.electrical.sni-mandatory"


@pytest.mark.parametrize("volts,applies", [(249, True), (250, True), (251, False)])
def test_id_sni_applies_up_to_250_volts(checker, volts, applies):
    # Permenperin 7/2025 covers washing machines rated up to 250 V; above it the product is not on the list
    # (and, its HS code being known, gets no finding).
    p = product("electrical-appliance.washing-machine", "ID", identifiers={"hs_code": "84501190"},
                electrical={"mains_powered": True, "ac_input_v": {"min": 200, "max": volts}})
    f = findings(checker, p, "ID").get(SNI)
    if applies:
        assert_status(f, "fail", "error", "SPPT-SNI", "NPB", "SNI mark")
    else:
        assert f is None


def test_id_sni_unlisted_hs_has_no_finding_and_unknown_hs_warns(checker):
    headphones = product("electronics.audio", "ID", identifiers={"hs_code": "85183000"})
    assert SNI not in findings(checker, headphones, "ID")
    unknown = product("electronics.audio", "ID")
    f = findings(checker, unknown, "ID")[SNI]
    assert_status(f, "fail", "warning", "HS code")
    assert "SPPT-SNI" not in f.message and "NPB" not in f.message   # the SNI duties count only for listed products


def test_id_sni_above_250_volts_without_hs_only_asks_for_the_hs_code(checker):
    p = product("electrical-appliance.washing-machine", "ID",
                electrical={"mains_powered": True, "ac_input_v": {"min": 380, "max": 415}})
    f = findings(checker, p, "ID")[SNI]
    assert_status(f, "fail", "warning", "HS code")
    assert "SPPT-SNI" not in f.message


def test_id_sni_listed_category_without_hs_is_in_scope(checker):
    p = product("electrical-appliance.rice-cooker", "ID", electrical={"mains_powered": True})
    assert_status(findings(checker, p, "ID")[SNI], "fail", "error", "SPPT-SNI")


# =========================================================================== id.radio: IMEI from 2020-04-18
IMEI = "id.radio.imei-registration"


def test_id_imei_rule_starts_on_2020_04_18(checker):
    phone = product("electronics.phone", "ID", electrical={"radio": {"cellular": True}})
    assert IMEI not in findings(checker, phone, "ID", as_of=D(2020, 4, 17))
    assert_status(findings(checker, phone, "ID", as_of=D(2020, 4, 18))[IMEI], "fail", "error", "IMEI")


# =========================================================================== th.electrical: TIS QR from 2021-07-20
TISI = "th.electrical.tisi-mandatory"


@pytest.mark.parametrize("as_of,status", [(D(2021, 7, 19), "pass"), (D(2021, 7, 20), "fail")])
def test_th_tis_qr_code_required_from_2021_07_20(checker, as_of, status):
    p = product("electrical-appliance.iron", "TH", identifiers={"hs_code": "85164090"},
                electrical={"mains_powered": True}, labelling={"marks": ["TIS"]},
                documents=[{"id": "l1", "type": "tisi-licence", "issued": "2019-01-01"}],
                economic_operators=[{"jurisdiction": "TH", "role": "importer", "name": "Siam Co", "address": "Bangkok", "country": "TH"}])
    assert_status(findings(checker, p, "TH", as_of=as_of)[TISI], status, *(("error", "QR") if status == "fail" else ()))


# =========================================================================== th.radio: 100 mW Bluetooth, 2026-02-01
NBTC = "th.radio.nbtc"
SAFETY_REPORT = {"id": "tr", "type": "test-report", "standards": ["IEC 62368-1:2018"], "issued": "2025-01-01", "result": "pass"}


@pytest.mark.parametrize("mw,status", [(99.9, "pass"), (100, "pass"), (100.1, "fail")])
def test_th_bluetooth_eirp_limit_100_mw(checker, mw, status):
    p = product("electronics.audio", "TH", electrical={"radio": {"bluetooth": True, "max_eirp_mw": mw}},
                documents=[{"id": "s", "type": "nbtc-sdoc", "issued": "2025-01-01"}, SAFETY_REPORT])
    assert_status(findings(checker, p, "TH")[NBTC], status, *(("error", "100 mW") if status == "fail" else ()))


@pytest.mark.parametrize("as_of,status", [(D(2026, 1, 31), "pass"), (D(2026, 2, 1), "fail")])
def test_th_bluetooth_sdoc_needs_safety_report_from_2026_02_01(checker, as_of, status):
    p = product("electronics.audio", "TH", electrical={"radio": {"bluetooth": True, "max_eirp_mw": 10}},
                documents=[{"id": "s", "type": "nbtc-sdoc", "issued": "2025-01-01"}])
    assert_status(findings(checker, p, "TH", as_of=as_of)[NBTC], status, *(("error", "62368-1") if status == "fail" else ()))


# =========================================================================== my.electrical: reg. 97C from 2013-05-03
COA = "my.electrical.st-coa"


@pytest.mark.parametrize("as_of,status", [(D(2013, 5, 2), "pass"), (D(2013, 5, 3), "fail")])
def test_my_importer_registration_required_from_2013_05_03(checker, as_of, status):
    p = product("electrical-appliance.kettle", "MY", electrical={"mains_powered": True}, labelling={"marks": ["SIRIM-ST"]},
                documents=[{"id": "c", "type": "st-coa", "issued": "2010-01-01"}],
                economic_operators=[{"jurisdiction": "MY", "role": "importer", "name": "Rumah Sdn Bhd", "address": "Puchong", "country": "MY"}])
    assert_status(findings(checker, p, "MY", as_of=as_of)[COA], status, *(("error", "certificate of registration") if status == "fail" else ()))


def test_my_included_charger_needs_its_own_coa(checker):
    acc = {"type": "charger", "model": "CH-1", "included": True}
    p = product("electronics.lamp", "MY", electrical={"accessories": [acc]})
    assert_status(findings(checker, p, "MY")[COA], "fail", "error", "charger")
    acc["registrations"] = [{"type": "st-coa", "market": "MY", "number": "COA-1", "issued": "2024-01-01"}]
    assert_status(findings(checker, p, "MY")[COA], "pass")


# =========================================================================== sg.radio: 5-year registration
IMDA = "sg.radio.imda-registration"


@pytest.mark.parametrize("days,status", [(1825, "pass"), (1826, "pass"), (1827, "fail")])
def test_sg_imda_registration_valid_five_years(checker, days, status):
    issued = (AS_OF - dt.timedelta(days=days)).isoformat()
    p = product("electronics.network", "SG", electrical={"radio": {"wifi": True}}, labelling={"marks": ["IMDA"]},
                registrations=[{"type": "sg-imda-dealer-licence", "market": "SG", "number": "DB-1", "issued": "2020-01-01"},
                               {"type": "imda-equipment-registration", "market": "SG", "number": "N1", "issued": issued}])
    assert_status(findings(checker, p, "SG")[IMDA], status, *(("error", "5 years") if status == "fail" else ()))


# =========================================================================== sg.electrical: 8-digit number, adaptor
SAFETY = "sg.electrical.safety-mark"


def registered_kettle(number="12345678", **extra):
    return product("electrical-appliance.kettle", "SG", identifiers={"model": "K1", "hs_code": "85167900"},
                   electrical={"mains_powered": True}, labelling={"marks": ["SAFETY"]},
                   registrations=[{"type": "sg-cpso-registered-supplier", "market": "SG", "number": "RS-1", "issued": "2020-01-01"},
                                  {"type": "sg-safety-mark-registration", "market": "SG", "number": number, "issued": "2024-01-01"}],
                   documents=[{"id": "c", "type": "sg-certificate-of-conformity", "model": "K1", "issued": "2024-01-01"}],
                   economic_operators=[{"jurisdiction": "SG", "role": "registered-supplier", "name": "LC Pte Ltd", "address": "Singapore", "country": "SG"}],
                   **extra)


@pytest.mark.parametrize("number,status", [("1234567", "fail"), ("12345678", "pass"), ("123456789", "fail")])
def test_sg_safety_mark_number_has_eight_digits(checker, number, status):
    assert_status(findings(checker, registered_kettle(number), "SG")[SAFETY], status,
                  *(("warning", "8-digit") if status == "fail" else ()))


def test_sg_included_ac_adaptor_is_a_controlled_good(checker):
    p = registered_kettle()
    adaptor = {"type": "ac-adaptor", "model": "AD-12V", "included": True}
    p["electrical"] = {"mains_powered": True, "accessories": [adaptor]}
    assert_status(findings(checker, p, "SG")[SAFETY], "fail", "error", "AC adaptor")
    adaptor["registrations"] = [{"type": "sg-safety-mark-registration", "market": "SG", "number": "87654321", "issued": "2024-01-01"}]
    assert_status(findings(checker, p, "SG")[SAFETY], "pass")


# =========================================================================== vn.radio: 60 mW (unverified exemption)
VNR = "vn.radio.mic-type-approval"


@pytest.mark.parametrize("mw,severity", [(59.9, "warning"), (60, "error"), (60.1, "error")])
def test_vn_low_power_radios_below_60_mw_only_warn(checker, mw, severity):
    p = product("electronics.audio", "VN", electrical={"radio": {"bluetooth": True, "max_eirp_mw": mw}},
                documents=[{"id": "t", "type": "test-report", "standards": ["QCVN 54:2020/BTTTT"], "issued": "2024-01-01", "result": "pass"}],
                labelling={"marks": ["CR"]})
    assert_status(findings(checker, p, "VN")[VNR], "fail", severity, "type-approval")


def test_vn_cellular_never_gets_the_low_power_exemption(checker):
    p = product("electronics.phone", "VN", electrical={"radio": {"cellular": True, "max_eirp_mw": 10}})
    assert_status(findings(checker, p, "VN")[VNR], "fail", "error", "QCVN 117")


@pytest.mark.parametrize("as_of,present", [(D(2018, 6, 30), False), (D(2018, 7, 1), True)])
def test_vn_radio_rule_starts_with_the_2018_list(checker, as_of, present):
    p = product("electronics.audio", "VN", electrical={"radio": {"bluetooth": True}})
    assert (VNR in findings(checker, p, "VN", as_of=as_of)) is present


# =========================================================================== ph.electrical: COR phases
COR = "ph.electrical.online-seller-cor"
PH_LISTING = {"marketplace": "lazada", "market": "PH", "title": "Item", "ships_from": "PH"}
PH_SELLER = {"kind": "Seller", "name": "Manila Trading Corp.", "established_in": "PH"}


def test_ph_cor_lighting_from_2025_05_01(checker):
    p = product("lighting.led-lamp", "PH", electrical={"mains_powered": True})
    assert COR not in findings(checker, p, "PH", as_of=D(2025, 4, 30), listing=PH_LISTING, seller=PH_SELLER)
    assert_status(findings(checker, p, "PH", as_of=D(2025, 5, 1), listing=PH_LISTING, seller=PH_SELLER)[COR], "fail", "error")


@pytest.mark.parametrize("as_of,status", [(D(2025, 5, 31), "pass"), (D(2025, 6, 1), "fail")])
def test_ph_cor_appliances_from_2025_06_01(checker, as_of, status):
    p = product("electrical-appliance.iron", "PH", electrical={"mains_powered": True})
    f = findings(checker, p, "PH", as_of=as_of, listing=PH_LISTING, seller=PH_SELLER).get(COR)
    if status == "pass":
        assert f is None or f.status == "pass"
    else:
        assert_status(f, "fail", "error", "Certificate of Online Registration")


def test_ph_cor_is_a_warning_for_cross_border_sellers(checker):
    p = product("electrical-appliance.iron", "PH", electrical={"mains_powered": True})
    listing = dict(PH_LISTING, ships_from="CN")
    seller = dict(PH_SELLER, established_in="CN")
    assert_status(findings(checker, p, "PH", listing=listing, seller=seller)[COR], "fail", "warning", "cross-border")


# =========================================================================== list-based scope from the data tables
LISTS = [(SNI, "ID", "id-sni-mandatory-electrical.yaml", "SPPT-SNI"), (TISI, "TH", "th-tisi-mandatory-electrical.yaml", "TISI licence"),
         (SAFETY, "SG", "sg-controlled-goods.yaml", "Registered Supplier"), ("ph.electrical.bps-ps-icc", "PH", "ph-bps-mandatory-electrical.yaml", "ICC")]


def _column(table: str, column: str) -> list[str]:
    entries = yaml.safe_load((SEA / "data" / table).read_text(encoding="utf-8"))["entries"]
    return sorted({str(v) for e in entries for v in e.get(column, [])})


@pytest.mark.parametrize("rule,market,table,word", LISTS)
def test_every_table_hs_prefix_brings_a_product_into_scope(checker, rule, market, table, word):
    for prefix in _column(table, "hs_prefixes"):
        p = product("electrical-appliance.gadget", market, identifiers={"hs_code": prefix.ljust(8, "0")},
                    electrical={"mains_powered": True})
        assert_status(findings(checker, p, market).get(rule), "fail", "error", word)


@pytest.mark.parametrize("rule,market,table,word", LISTS)
def test_every_table_category_subkey_brings_a_product_into_scope(checker, rule, market, table, word):
    for key in _column(table, "category_subkeys"):
        p = product(f"electrical-appliance.{key}", market, identifiers={"hs_code": "99999999"},
                    electrical={"mains_powered": True})
        assert_status(findings(checker, p, market).get(rule), "fail", "error", word)


@pytest.mark.parametrize("rule,market,table,word", LISTS)
def test_unlisted_product_gets_no_finding_and_unknown_hs_code_warns(checker, rule, market, table, word):
    unlisted = product("electrical-appliance.gadget", market, identifiers={"hs_code": "99999999"},
                       electrical={"mains_powered": True})
    assert rule not in findings(checker, unlisted, market)
    unknown = product("electrical-appliance.gadget", market, electrical={"mains_powered": True})
    f = findings(checker, unknown, market)[rule]
    assert_status(f, "fail", "warning", "HS code")
    assert word not in f.message


def test_th_listed_category_without_hs_code_is_in_scope(checker):
    p = product("electrical-appliance.kettle", "TH", electrical={"mains_powered": True})
    assert_status(findings(checker, p, "TH")[TISI], "fail", "error", "TISI licence", "HS code")


def test_sg_included_ac_adaptor_is_checked_on_a_product_that_is_not_a_controlled_good(checker):
    adaptor = {"type": "ac-adaptor", "model": "AD-12V", "included": True}
    p = product("electronics.router", "SG", identifiers={"hs_code": "85176200"}, electrical={"accessories": [adaptor]})
    f = findings(checker, p, "SG")[SAFETY]
    assert_status(f, "fail", "error", "AC adaptor")
    assert "Registered Supplier" not in f.message
    adaptor["registrations"] = [{"type": "sg-safety-mark-registration", "market": "SG", "number": "87654321", "issued": "2024-01-01"}]
    assert_status(findings(checker, p, "SG")[SAFETY], "pass")


def test_listing_rules_skip_products_not_on_the_list(checker):
    sg_listing = {"marketplace": "shopee", "market": "SG", "title": "Item", "ships_from": "SG"}
    router = product("electronics.router", "SG", identifiers={"hs_code": "85176200"}, electrical={"mains_powered": True})
    assert "sg.electrical.safety-mark-in-listing" not in findings(checker, router, "SG", listing=sg_listing)
    assert_status(findings(checker, registered_kettle(), "SG", listing=sg_listing)["sg.electrical.safety-mark-in-listing"],
                  "fail", "warning", "SAFETY Mark")
    speaker = product("electronics.speaker", "PH", identifiers={"hs_code": "85182200"}, electrical={"mains_powered": True})
    assert COR not in findings(checker, speaker, "PH", listing=PH_LISTING, seller=PH_SELLER)


QCVN = "vn.electrical.qcvn-conformity"


@pytest.mark.parametrize("category,applies", [("electrical-appliance.kettle", True), ("electrical-appliance.kitchen.kettle", True),
                                              ("electrical-appliance", True), ("electrical-appliance.vacuum-cleaner", False)])
def test_vn_qcvn_applies_to_listed_items_and_bare_categories(checker, category, applies):
    p = product(category, "VN", electrical={"mains_powered": True})
    f = findings(checker, p, "VN").get(QCVN)
    if applies:
        assert_status(f, "fail", "error", "CR")
    else:
        assert f is None
