"""Limits and dates of the SEA toys, labelling/e-commerce and privacy packs (id.toys, th.toys, vn.toys, ph.toys,
vn.labelling, th.labelling, id.ecommerce, ph.ecommerce, sg/th/id/vn/my/ph.privacy), as a user sees them: for every
numeric limit the value at, just below and just above it; for every dated rule or escalation a check before and
on its date.

The checker loads only these packs, sea.common (shared SEA facts) and the sea-label-languages table, copied from
rulepacks/sea/, so the tests do not depend on packs other authors are still writing."""

from __future__ import annotations

import datetime as dt

import pytest

from compliance_engine import Checker
from tests.conftest import AS_OF, assert_status, checker_over

D = dt.date
PACK_FILES = ["common.yaml", "id-toys.yaml", "th-toys.yaml", "vn-toys.yaml", "ph-toys.yaml", "vn-labelling.yaml",
              "th-labelling.yaml", "id-ecommerce.yaml", "ph-ecommerce.yaml", "sg-privacy.yaml", "th-privacy.yaml",
              "id-privacy.yaml", "vn-privacy.yaml", "my-privacy.yaml", "ph-privacy.yaml"]
DATA_FILES = ["sea-label-languages.yaml"]


@pytest.fixture(scope="module")
def checker(tmp_path_factory) -> Checker:
    return checker_over(tmp_path_factory, "sea", PACK_FILES, DATA_FILES)


def findings(checker, product, market, as_of=AS_OF, listing=None, seller=None):
    return {f.rule: f for f in checker.check(product, market, listing=listing, seller=seller, as_of=as_of)}


def toy(market, **extra):
    p = {"kind": "Product", "sku": "LIM-SEA-TOY", "category": "toys", "markets": [market], "country_of_origin": "CN",
         "age_grade": {"min_years": 3}, "identifiers": {"model": "T-1"}}
    p.update(extra)
    return p


def phthalate(cas, pct, **extra):
    return {"name": "phthalate", "cas": cas, "component": "PVC part", "concentration_pct": pct, **extra}


# ============================================================================================ toys
ID_TOY_OK = dict(labelling={"languages": ["id"], "marks": ["SNI"]},
                 documents=[{"id": "d1", "type": "sni-certificate", "issued": "2025-01-01",
                             "standards": ["SNI ISO 8124-1:2010", "SNI ISO 8124-2:2010", "SNI ISO 8124-3:2010"]}],
                 registrations=[{"type": "id-npb", "market": "ID", "number": "NPB-1", "issued": "2025-01-02"}])


@pytest.mark.parametrize("pct,status", [(0.099, "pass"), (0.1, "pass"), (0.101, "fail")])
def test_id_toys_phthalate_limit_0_1_pct(checker, pct, status):
    f = findings(checker, toy("ID", substances=[phthalate("117-81-7", pct)], **ID_TOY_OK), "ID")["id.toys.sni"]
    assert_status(f, status, "error", *(("phthalate",) if status == "fail" else ()))


@pytest.mark.parametrize("pct,status", [(0.0019, "pass"), (0.002, "pass"), (0.0021, "fail")])
def test_id_toys_formaldehyde_limit_20_ppm(checker, pct, status):
    sub = [{"name": "Formaldehyde", "cas": "50-00-0", "component": "wood", "concentration_pct": pct}]
    f = findings(checker, toy("ID", substances=sub, **ID_TOY_OK), "ID")["id.toys.sni"]
    assert_status(f, status, "error", *(("formaldehyde",) if status == "fail" else ()))


@pytest.mark.parametrize("min_years,applies", [(13, True), (14, False), (15, False)])
def test_id_toys_age_limit_under_14(checker, min_years, applies):
    p = toy("ID", category="sporting-goods", age_grade={"min_years": min_years})
    assert ("id.toys.sni" in findings(checker, p, "ID")) is applies


TH_TOY_OK = dict(labelling={"languages": ["th"], "marks": ["TIS", "TIS-QR"]},
                 documents=[{"id": "d1", "type": "tisi-licence", "issued": "2022-10-01"},
                            {"id": "d2", "type": "test-report", "issued": "2022-09-01", "result": "pass", "standards": ["TIS 685-1-2562"]}])


@pytest.mark.parametrize("pct,status", [(0.099, "pass"), (0.1, "pass"), (0.101, "fail")])
def test_th_toys_phthalate_limit(checker, pct, status):
    f = findings(checker, toy("TH", substances=[phthalate("84-74-2", pct)], **TH_TOY_OK), "TH")["th.toys.tisi"]
    assert_status(f, status, "error")


@pytest.mark.parametrize("min_years,applies", [(14, True), (15, False), (16, False)])
def test_th_toys_age_limit_14_or_under(checker, min_years, applies):
    p = toy("TH", category="sporting-goods", age_grade={"min_years": min_years})
    assert ("th.toys.tisi" in findings(checker, p, "TH")) is applies


@pytest.mark.parametrize("as_of,present", [(D(2022, 9, 21), False), (D(2022, 9, 22), True)])
def test_th_toys_in_force_22_sep_2022(checker, as_of, present):
    assert ("th.toys.tisi" in findings(checker, toy("TH"), "TH", as_of=as_of)) is present


VN_TOY_OK = dict(labelling={"languages": ["vi"], "marks": ["CR"]},
                 documents=[{"id": "d1", "type": "vn-toy-conformity-certificate", "issued": "2021-01-01"}])


@pytest.mark.parametrize("pct,status", [(0.099, "pass"), (0.1, "pass"), (0.101, "fail")])
def test_vn_toys_dinp_limit_in_mouthable_toys(checker, pct, status):
    p = toy("VN", child_safety={"mouthable": True}, substances=[phthalate("28553-12-0", pct)], **VN_TOY_OK)
    assert_status(findings(checker, p, "VN")["vn.toys.qcvn3"], status, "error")


def test_vn_toys_dinp_not_limited_in_non_mouthable_toys(checker):
    p = toy("VN", child_safety={"mouthable": False}, substances=[phthalate("28553-12-0", 0.5)], **VN_TOY_OK)
    assert_status(findings(checker, p, "VN")["vn.toys.qcvn3"], "pass")


@pytest.mark.parametrize("min_years,applies", [(15, True), (16, False), (17, False)])
def test_vn_toys_age_limit_under_16(checker, min_years, applies):
    p = toy("VN", category="sporting-goods", age_grade={"min_years": min_years})
    assert ("vn.toys.qcvn3" in findings(checker, p, "VN")) is applies


@pytest.mark.parametrize("as_of,present", [(D(2020, 12, 31), False), (D(2021, 1, 1), True)])
def test_vn_toys_mandatory_from_2021(checker, as_of, present):
    assert ("vn.toys.qcvn3" in findings(checker, toy("VN"), "VN", as_of=as_of)) is present


@pytest.mark.parametrize("langs,status", [(["en"], "pass"), (["tl"], "pass"), (["zh"], "fail")])
def test_ph_toys_warnings_in_english_or_filipino(checker, langs, status):
    p = toy("PH", labelling={"warnings_languages": langs, "contacts_on_pack": [{"role": "importer", "jurisdiction": "PH"}]},
            registrations=[{"type": "ph-fda-lto", "market": "PH", "number": "LTO-1", "issued": "2024-01-01"}])
    f = findings(checker, p, "PH")["ph.toys.labelling"]
    assert_status(f, status, "error", *(("English or Filipino",) if status == "fail" else ()))


# ============================================================================ labelling / e-commerce
def gadget(market, **extra):
    p = {"kind": "Product", "sku": "LIM-SEA-GADGET", "category": "electronics", "markets": [market], "country_of_origin": "CN"}
    p.update(extra)
    return p


def test_vn_label_needs_vietnamese(checker):
    f = findings(checker, gadget("VN", labelling={"languages": ["en"], "origin_statement": "Made in China"}), "VN")
    assert_status(f["vn.labelling.vietnamese-label"], "fail", "error", "Vietnamese")


def test_th_label_not_for_cosmetics(checker):
    assert "th.labelling.ocpb-thai-label" not in findings(checker, gadget("TH", category="cosmetics"), "TH")
    assert_status(findings(checker, gadget("TH"), "TH")["th.labelling.ocpb-thai-label"], "fail", "error", "Thai")


MINP = "id.ecommerce.cross-border-min-price"
SELLER_CN = {"kind": "Seller", "name": "Shenzhen Co.", "established_in": "CN"}


def id_listing(amount, currency="USD", ships_from="CN", marketplace="shopee"):
    return {"kind": "Listing", "product": "LIM-SEA-GADGET", "market": "ID", "marketplace": marketplace,
            "ships_from": ships_from, "price": {"amount": amount, "currency": currency}}


@pytest.mark.parametrize("amount,status", [(99.99, "fail"), (100, "pass"), (100.01, "pass")])
def test_id_cross_border_floor_usd_100_fob(checker, amount, status):
    f = findings(checker, gadget("ID"), "ID", listing=id_listing(amount), seller=SELLER_CN)[MINP]
    assert_status(f, status, "error", *(("USD 100",) if status == "fail" else ()))


def test_id_cross_border_floor_other_currency_is_a_warning(checker):
    f = findings(checker, gadget("ID"), "ID", listing=id_listing(1_500_000, "IDR"), seller=SELLER_CN)[MINP]
    assert_status(f, "fail", "warning", "USD FOB value")


def test_id_cross_border_floor_not_for_domestic_stock_or_own_site(checker):
    assert MINP not in findings(checker, gadget("ID"), "ID", listing=id_listing(10, ships_from="ID"), seller=SELLER_CN)
    assert MINP not in findings(checker, gadget("ID"), "ID", listing=id_listing(10, marketplace="own-site"), seller=SELLER_CN)


def ph_listing():
    return {"kind": "Listing", "product": "LIM-SEA-GADGET", "market": "PH", "marketplace": "lazada", "ships_from": "PH"}


@pytest.mark.parametrize("as_of,severity", [(D(2025, 12, 31), "warning"), (D(2026, 1, 1), "error")])
def test_ph_trustmark_escalates_after_31_dec_2025(checker, as_of, severity):
    seller = {"kind": "Seller", "name": "Manila Inc.", "established_in": "PH"}
    f = findings(checker, gadget("PH"), "PH", as_of=as_of, listing=ph_listing(), seller=seller)["ph.ecommerce.trustmark"]
    assert_status(f, "fail", severity, "Trustmark")


def test_ph_trustmark_foreign_seller_stays_warning(checker):
    f = findings(checker, gadget("PH"), "PH", listing=ph_listing(), seller=SELLER_CN)["ph.ecommerce.trustmark"]
    assert_status(f, "fail", "warning", "unclear")


# ============================================================================================ privacy
def seller(market, established="CN", **privacy):
    s = {"kind": "Seller", "name": "Shenzhen Co.", "established_in": established,
         "privacy": {"processes_personal_data_of": [market], "privacy_policy_url": "https://x.example/privacy", **privacy}}
    return s


DPO = {"name": "A. Officer", "email": "dpo@x.example"}


@pytest.mark.parametrize("total,status", [(19999, "pass"), (20000, "pass"), (20001, "fail")])
def test_my_dpo_threshold_more_than_20000(checker, total, status):
    s = seller("MY", established="MY", data_subject_counts={"MY": {"total": total, "sensitive": 0}})
    assert_status(findings(checker, gadget("MY"), "MY", seller=s)["my.privacy.pdpa"], status, "error",
                  *(("data protection officer",) if status == "fail" else ()))


@pytest.mark.parametrize("sensitive,status", [(9999, "pass"), (10000, "pass"), (10001, "fail")])
def test_my_dpo_threshold_sensitive_more_than_10000(checker, sensitive, status):
    s = seller("MY", established="MY", data_subject_counts={"MY": {"total": 15000, "sensitive": sensitive}})
    assert_status(findings(checker, gadget("MY"), "MY", seller=s)["my.privacy.pdpa"], status, "error")


@pytest.mark.parametrize("as_of,status", [(D(2025, 5, 31), "pass"), (D(2025, 6, 1), "fail")])
def test_my_dpo_duty_from_1_jun_2025(checker, as_of, status):
    s = seller("MY", established="MY", data_subject_counts={"MY": {"total": 50000}})
    assert_status(findings(checker, gadget("MY"), "MY", as_of=as_of, seller=s)["my.privacy.pdpa"], status)


def test_my_out_of_scope_without_establishment_or_equipment(checker):
    assert "my.privacy.pdpa" not in findings(checker, gadget("MY"), "MY", seller=seller("MY"))


PH_EXEMPT = [{"id": "d1", "type": "ph-npc-exemption-declaration", "issued": "2024-01-01"}]


@pytest.mark.parametrize("employees,status", [(249, "pass"), (250, "fail"), (251, "fail")])
def test_ph_npc_registration_from_250_employees(checker, employees, status):
    s = seller("PH", dpo=DPO)
    s.update(employees_count=employees, documents=PH_EXEMPT)
    assert_status(findings(checker, gadget("PH"), "PH", seller=s)["ph.privacy.dpa"], status, "error",
                  *(("NPC registration",) if status == "fail" else ()))


@pytest.mark.parametrize("sensitive,status", [(999, "pass"), (1000, "fail"), (1001, "fail")])
def test_ph_npc_registration_from_1000_sensitive(checker, sensitive, status):
    s = seller("PH", dpo=DPO, data_subject_counts={"PH": {"sensitive": sensitive}})
    s.update(employees_count=10, documents=PH_EXEMPT)
    assert_status(findings(checker, gadget("PH"), "PH", seller=s)["ph.privacy.dpa"], status, "error")


@pytest.mark.parametrize("rule,market,start", [
    ("id.privacy.pdp-law", "ID", D(2024, 10, 17)),
    ("vn.privacy.pdp", "VN", D(2023, 7, 1)),
    ("th.privacy.pdpa", "TH", D(2022, 6, 1)),
    ("ph.privacy.dpa", "PH", D(2023, 1, 11)),
])
def test_privacy_rules_start_dates(checker, rule, market, start):
    s = seller(market)
    assert rule not in findings(checker, gadget(market), market, as_of=start - dt.timedelta(days=1), seller=s)
    assert rule in findings(checker, gadget(market), market, as_of=start, seller=s)


def test_th_representative_is_a_warning_only(checker):
    s = seller("TH", transfer_mechanism="scc")
    assert_status(findings(checker, gadget("TH"), "TH", seller=s)["th.privacy.pdpa"], "fail", "warning", "representative")


def test_sg_transfer_mechanism_per_jurisdiction_overrides_default(checker):
    s = seller("SG", dpo=DPO, transfer_mechanism="none", transfer_mechanisms={"SG": "asean-mcc"})
    assert_status(findings(checker, gadget("SG"), "SG", seller=s)["sg.privacy.pdpa"], "pass")
    s = seller("SG", dpo=DPO, transfer_mechanism="none")
    assert_status(findings(checker, gadget("SG"), "SG", seller=s)["sg.privacy.pdpa"], "fail", "error", "transfer safeguard")


def test_privacy_rules_need_a_seller(checker):
    assert "sg.privacy.pdpa" not in findings(checker, gadget("SG"), "SG")
