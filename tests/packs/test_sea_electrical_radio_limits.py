"""Limits and dates of the SEA electrical and radio packs (id/th/my/sg/vn/ph .electrical and .radio), as a user
sees them: for every numeric limit the value at, just below and just above it; for every dated rule or dated
requirement a check before and on its date; and the HS/category list regular expressions against their data
tables.

The checker loads only these packs, sea.common and their data tables, copied from rulepacks/sea/, so the tests
do not depend on packs other authors are still writing."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest
import yaml

from compliance_engine import Checker
from tests.conftest import AS_OF, ROOT

D = dt.date
SEA = ROOT / "rulepacks" / "sea"
PACK_FILES = ["common.yaml", "id-electrical.yaml", "id-radio.yaml", "th-electrical.yaml", "th-radio.yaml",
              "my-electrical.yaml", "my-radio.yaml", "sg-electrical.yaml", "sg-radio.yaml", "vn-radio.yaml",
              "vn-electrical.yaml", "ph-electrical.yaml", "ph-radio.yaml"]
DATA_FILES = ["id-sni-mandatory-electrical.yaml", "th-tisi-mandatory-electrical.yaml", "sg-controlled-goods.yaml",
              "ph-bps-mandatory-electrical.yaml"]


@pytest.fixture(scope="module")
def checker(tmp_path_factory) -> Checker:
    dst = tmp_path_factory.mktemp("packs") / "sea"
    (dst / "data").mkdir(parents=True)
    for f in PACK_FILES:
        shutil.copy(SEA / f, dst / f)
    for f in DATA_FILES:
        shutil.copy(SEA / "data" / f, dst / "data" / f)
    return Checker(rulepacks=[dst.parent], include_builtin=False, as_of=AS_OF)


def findings(checker, product, market, as_of=AS_OF, listing=None, seller=None):
    return {f.rule: f for f in checker.check(product, market, listing=listing, seller=seller, as_of=as_of)}


def assert_status(f, status, severity=None, *words):
    assert f is not None, "expected a finding, got none"
    assert f.status == status, f.message
    if severity:
        assert f.severity == severity, f"{f.severity}: {f.message}"
    for w in words:
        assert w in f.message, f.message


def product(category, market, **extra):
    p = {"kind": "Product", "sku": "LIM-SEA-EL-1", "category": category, "markets": [market], "country_of_origin": "CN"}
    p.update(extra)
    return p


# =========================================================================== id.electrical: 250 V ceiling
SNI = "id.electrical.sni-mandatory"


@pytest.mark.parametrize("volts,status", [(249, "fail"), (250, "fail"), (251, "pass")])
def test_id_sni_applies_up_to_250_volts(checker, volts, status):
    # Permenperin 7/2025 covers washing machines rated up to 250 V; above it the product is outside the list.
    p = product("electrical-appliance.washing-machine", "ID", identifiers={"hs_code": "84501190"},
                electrical={"mains_powered": True, "ac_input_v": {"min": 200, "max": volts}})
    f = findings(checker, p, "ID")[SNI]
    assert_status(f, status, "error" if status == "fail" else None,
                  *(("SPPT-SNI", "NPB", "SNI mark") if status == "fail" else ()))


def test_id_sni_unlisted_hs_passes_and_unknown_hs_warns(checker):
    headphones = product("electronics.audio", "ID", identifiers={"hs_code": "85183000"})
    assert_status(findings(checker, headphones, "ID")[SNI], "pass")
    unknown = product("electronics.audio", "ID")
    assert_status(findings(checker, unknown, "ID")[SNI], "fail", "warning", "HS code")


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


# =========================================================================== regexes agree with the data tables
LISTS = [("id-electrical.yaml", "id-sni-mandatory-electrical.yaml"), ("th-electrical.yaml", "th-tisi-mandatory-electrical.yaml"),
         ("sg-electrical.yaml", "sg-controlled-goods.yaml"), ("ph-electrical.yaml", "ph-bps-mandatory-electrical.yaml")]


def _alternatives(pack_text: str, path: str) -> set[str]:
    out: set[str] = set()
    for m in re.finditer(r"path: " + re.escape(path) + r", matches: '([^']+)'", pack_text):
        inner = re.search(r"\(\?:([^()]*)\)(?:\(\?:\\\.\|\$\))?\)+$", m.group(1))
        out |= set(inner.group(1).split("|"))
    return out


@pytest.mark.parametrize("pack,table", LISTS)
def test_list_regexes_match_the_data_table(pack, table):
    text = (SEA / pack).read_text(encoding="utf-8")
    entries = yaml.safe_load((SEA / "data" / table).read_text(encoding="utf-8"))["entries"]
    hs = {h for e in entries for h in e.get("hs_prefixes", [])}
    cats = {c for e in entries for c in e.get("category_subkeys", [])}
    assert _alternatives(text, "product.identifiers.hs_code") == hs
    assert _alternatives(text, "product.category") == cats
