"""Limits and dates of the SEA tax packs (sg.tax, my.tax, th.tax, id.tax, vn.tax, ph.tax) and the marketplace parcel
packs (sea.shopee, sea.lazada, sea.tiktok-shop, sea.marketplace), as a user sees them: for every numeric limit the
value at, just below and just above it; for every dated rule a check before and on its date.

The checker loads only these packs, sea.common (the shared facts they read) and their data tables, copied from
rulepacks/sea/, so the tests do not depend on packs other authors are still writing."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from compliance_engine import Checker
from tests.conftest import AS_OF, ROOT, assert_status, checker_over

D = dt.date
PACK_FILES = ["common.yaml", "sg-tax.yaml", "my-tax.yaml", "th-tax.yaml", "id-tax.yaml", "vn-tax.yaml", "ph-tax.yaml",
              "sea-shopee.yaml", "sea-lazada.yaml", "sea-tiktok-shop.yaml", "sea-marketplace.yaml"]
DATA_FILES = ["sea-tax-thresholds.yaml", "sea-parcel-limits-shopee-sls.yaml", "sea-parcel-limits-shopee-local.yaml",
              "sea-parcel-limits-lazada.yaml", "sea-parcel-limits-tiktok-shop.yaml",
              "th-tisi-mandatory-electrical.yaml"]


@pytest.fixture(scope="module")
def checker(tmp_path_factory) -> Checker:
    return checker_over(tmp_path_factory, "sea", PACK_FILES, DATA_FILES)


def findings(checker, product, market, as_of=AS_OF, listing=None, seller=None):
    return {f.rule: f for f in checker.check(product, market, listing=listing, seller=seller, as_of=as_of)}


def product(market, **extra):
    p = {"kind": "Product", "sku": f"LIM-{market}-1", "category": "electronics.accessories", "markets": [market],
         "country_of_origin": "CN"}
    p.update(extra)
    return p


def listing(market, marketplace="shopee", **extra):
    l = {"marketplace": marketplace, "market": market, "title": "USB-C cable", "ships_from": "CN"}
    l.update(extra)
    return l


def money(amount, currency):
    return {"amount": amount, "currency": currency}


def seller(**extra):
    s = {"kind": "Seller", "name": "Shenzhen Trading Co.", "established_in": "CN"}
    s.update(extra)
    return s


def table(name):
    return yaml.safe_load((ROOT / "rulepacks" / "sea" / "data" / name).read_text(encoding="utf-8"))


# =========================================================================================== data table agrees
def test_threshold_table_matches_the_conditions():
    rows = {(r["country"], r.get("currency"), r.get("max", r.get("over"))) for r in table("sea-tax-thresholds.yaml")["entries"]}
    for row in [("SG", "SGD", 400), ("SG", "SGD", 1000000), ("SG", "SGD", 100000), ("MY", "MYR", 500),
                ("MY", "MYR", 500000), ("TH", "THB", 1500), ("TH", "THB", 1800000), ("ID", "USD", 3),
                ("ID", "USD", 1500), ("PH", "PHP", 3000000), ("VN", "VND", 1000000)]:
        assert row in rows, row


# =========================================================================================== SG
SG = "sg.tax.gst-lvg-ovr"


def sg_seller(turnover=4_000_000, sg_sales=150_000, currency="SGD", **extra):
    return seller(global_turnover_last_12m=money(turnover, currency),
                  sales_by_market={"SG": {"sales_last_12m": money(sg_sales, currency)}}, **extra)


@pytest.mark.parametrize("price,applies", [(399.99, True), (400, True), (400.01, False)])
def test_sg_lvg_item_limit_s400(checker, price, applies):
    out = findings(checker, product("SG"), "SG", listing=listing("SG", price=money(price, "SGD"), shipping={"mode": "air"}),
                   seller=sg_seller())
    if applies:
        assert_status(out[SG], "fail", "error", "sg-gst-ovr", "9 %")
    else:
        assert SG not in out


@pytest.mark.parametrize("turnover,status", [(999_999.99, "pass"), (1_000_000, "pass"), (1_000_000.01, "fail")])
def test_sg_global_turnover_over_s1m(checker, turnover, status):
    f = findings(checker, product("SG"), "SG", listing=listing("SG", price=money(52, "SGD")),
                 seller=sg_seller(turnover=turnover))[SG]
    assert_status(f, status, "error" if status == "fail" else None)


@pytest.mark.parametrize("sales,status", [(99_999, "pass"), (100_000, "pass"), (100_001, "fail")])
def test_sg_singapore_sales_over_s100k(checker, sales, status):
    f = findings(checker, product("SG"), "SG", listing=listing("SG", price=money(52, "SGD")),
                 seller=sg_seller(sg_sales=sales))[SG]
    assert_status(f, status, "error" if status == "fail" else None)


@pytest.mark.parametrize("as_of,rate", [(D(2023, 12, 31), "8 %"), (D(2024, 1, 1), "9 %")])
def test_sg_gst_rate_9_percent_from_2024(checker, as_of, rate):
    f = findings(checker, product("SG"), "SG", as_of=as_of, listing=listing("SG", price=money(52, "SGD")),
                 seller=sg_seller())[SG]
    assert_status(f, "fail", "error", rate)


def test_sg_rule_starts_2023(checker):
    kw = dict(listing=listing("SG", price=money(52, "SGD")), seller=sg_seller())
    assert SG not in findings(checker, product("SG"), "SG", as_of=D(2022, 12, 31), **kw)
    assert_status(findings(checker, product("SG"), "SG", as_of=D(2023, 1, 1), **kw)[SG], "fail", "error")


def test_sg_marketplace_collection_and_unknown_currency(checker):
    f = findings(checker, product("SG"), "SG", listing=listing("SG", price=money(52, "SGD"), tax_collected_by="marketplace"),
                 seller=sg_seller())[SG]
    assert_status(f, "pass")
    f = findings(checker, product("SG"), "SG", listing=listing("SG", price=money(39, "USD")),
                 seller=sg_seller(currency="USD"))[SG]
    assert_status(f, "fail", "warning", "SGD")


def test_sg_sea_freight_is_out_of_scope(checker):
    out = findings(checker, product("SG"), "SG", listing=listing("SG", price=money(52, "SGD"), shipping={"mode": "sea"}),
                   seller=sg_seller())
    assert SG not in out


# =========================================================================================== MY
MY = "my.tax.lvg-sales-tax"


def my_seller(sales=620_000, currency="MYR"):
    return seller(sales_by_market={"MY": {"sales_last_12m": money(sales, currency)}})


@pytest.mark.parametrize("price,applies", [(499.99, True), (500, True), (500.01, False)])
def test_my_lvg_price_limit_rm500(checker, price, applies):
    out = findings(checker, product("MY"), "MY", listing=listing("MY", "lazada", price=money(price, "MYR")), seller=my_seller())
    if applies:
        assert_status(out[MY], "fail", "error", "my-lvg-registered-seller", "RM500,000")
    else:
        assert MY not in out


@pytest.mark.parametrize("sales,status", [(499_999, "pass"), (500_000, "pass"), (500_001, "fail")])
def test_my_registration_threshold_rm500k(checker, sales, status):
    f = findings(checker, product("MY"), "MY", listing=listing("MY", "lazada", price=money(49, "MYR")),
                 seller=my_seller(sales))[MY]
    assert_status(f, status, "error" if status == "fail" else None)


def test_my_lvg_charged_from_2024(checker):
    kw = dict(listing=listing("MY", "lazada", price=money(49, "MYR")), seller=my_seller())
    assert MY not in findings(checker, product("MY"), "MY", as_of=D(2023, 12, 31), **kw)
    assert_status(findings(checker, product("MY"), "MY", as_of=D(2024, 1, 1), **kw)[MY], "fail", "error")


def test_my_unknown_sales_currency_is_a_warning(checker):
    f = findings(checker, product("MY"), "MY", listing=listing("MY", "lazada", price=money(49, "MYR")),
                 seller=my_seller(currency="USD"))[MY]
    assert_status(f, "fail", "warning", "MYR")


# =========================================================================================== TH
THLV = "th.tax.vat-low-value"
THES = "th.tax.vat-e-service"


@pytest.mark.parametrize("value,applies", [(1499.99, True), (1500, True), (1500.01, False)])
def test_th_low_value_thb_1500(checker, value, applies):
    out = findings(checker, product("TH"), "TH", listing=listing("TH", price=money(value, "THB")))
    if applies:
        assert_status(out[THLV], "fail", "warning", "7 % VAT")
    else:
        assert THLV not in out


def test_th_low_value_starts_5_july_2024(checker):
    kw = dict(listing=listing("TH", price=money(299, "THB")))
    assert THLV not in findings(checker, product("TH"), "TH", as_of=D(2024, 7, 4), **kw)
    assert_status(findings(checker, product("TH"), "TH", as_of=D(2024, 7, 5), **kw)[THLV], "fail", "warning")


@pytest.mark.parametrize("as_of,words", [(D(2025, 12, 31), ("duty still waived",)), (D(2026, 1, 1), ("import duty and 7 % VAT",))])
def test_th_duty_waiver_ends_2026(checker, as_of, words):
    f = findings(checker, product("TH"), "TH", as_of=as_of, listing=listing("TH", price=money(299, "THB")))[THLV]
    assert_status(f, "fail", "warning", *words)


def test_th_low_value_passes_when_payer_stated(checker):
    f = findings(checker, product("TH"), "TH", listing=listing("TH", price=money(299, "THB"), shipping={"incoterm": "DAP"}))[THLV]
    assert_status(f, "pass")


def eservice_seller(income, currency="THB"):
    return seller(sells_digital_services=True, sales_by_market={"TH": {"sales_last_12m": money(income, currency)}})


@pytest.mark.parametrize("income,status", [(1_799_999, "pass"), (1_800_000, "pass"), (1_800_001, "fail")])
def test_th_eservice_threshold_thb_1_8m(checker, income, status):
    f = findings(checker, product("TH"), "TH", seller=eservice_seller(income))[THES]
    assert_status(f, status, "error" if status == "fail" else None)


def test_th_eservice_from_1_september_2021(checker):
    assert THES not in findings(checker, product("TH"), "TH", as_of=D(2021, 8, 31), seller=eservice_seller(2_000_000))
    assert_status(findings(checker, product("TH"), "TH", as_of=D(2021, 9, 1), seller=eservice_seller(2_000_000))[THES],
                  "fail", "error", "th-vat-simplified")


# =========================================================================================== ID
ID = "id.tax.consignment-duty-vat"


@pytest.mark.parametrize("fob,words", [(2.99, "no import duty"), (3, "no import duty"), (3.01, "7.5 % import duty")])
def test_id_usd_3_duty_threshold(checker, fob, words):
    f = findings(checker, product("ID"), "ID", listing=listing("ID", price=money(fob, "USD")))[ID]
    assert_status(f, "fail", "warning", words)


@pytest.mark.parametrize("fob,status", [(1499.99, "pass"), (1500, "pass"), (1500.01, "fail")])
def test_id_usd_1500_consignment_ceiling(checker, fob, status):
    l = listing("ID", price=money(fob, "USD"), shipping={"incoterm": "DDP", "consignment_value": money(fob, "USD")})
    f = findings(checker, product("ID"), "ID", listing=l)[ID]
    assert_status(f, status, "warning" if status == "fail" else None, *(("PIB",) if status == "fail" else ()))


@pytest.mark.parametrize("as_of,words", [(D(2024, 12, 31), "plus 11 % VAT"), (D(2025, 1, 1), "12 % on 11/12")])
def test_id_vat_2025_nominal_12_effective_11(checker, as_of, words):
    f = findings(checker, product("ID"), "ID", as_of=as_of, listing=listing("ID", price=money(25, "USD")))[ID]
    assert_status(f, "fail", "warning", words)


def test_id_from_17_october_2023(checker):
    kw = dict(listing=listing("ID", price=money(25, "USD")))
    assert ID not in findings(checker, product("ID"), "ID", as_of=D(2023, 10, 16), **kw)
    assert_status(findings(checker, product("ID"), "ID", as_of=D(2023, 10, 17), **kw)[ID], "fail", "warning")


def test_id_idr_value_asks_for_usd(checker):
    f = findings(checker, product("ID"), "ID", listing=listing("ID", price=money(150000, "IDR"), shipping={"incoterm": "DAP"}))[ID]
    assert_status(f, "fail", "warning", "in USD")


# =========================================================================================== VN
VNLV = "vn.tax.low-value-vat"
VNFS = "vn.tax.foreign-supplier-registration"


def test_vn_low_value_vat_from_18_february_2025(checker):
    kw = dict(listing=listing("VN", "tiktok-shop", price=money(99000, "VND")))
    assert VNLV not in findings(checker, product("VN"), "VN", as_of=D(2025, 2, 17), **kw)
    assert_status(findings(checker, product("VN"), "VN", as_of=D(2025, 2, 18), **kw)[VNLV], "fail", "warning",
                  "VND 1,000,000")
    kw["listing"]["shipping"] = {"incoterm": "DDP"}
    assert_status(findings(checker, product("VN"), "VN", as_of=D(2025, 2, 18), **kw)[VNLV], "pass")


def test_vn_foreign_supplier_registration(checker):
    s = seller(sells_digital_services=True)
    assert_status(findings(checker, product("VN"), "VN", seller=s)[VNFS], "fail", "warning", "vn-tax-foreign-supplier")
    s["registrations"] = [{"type": "vn-tax-foreign-supplier", "country": "VN", "number": "9000001234",
                           "holder": {"role": "tax-agent", "name": "Saigon Tax Agent Co.", "country": "VN"}}]
    assert_status(findings(checker, product("VN"), "VN", seller=s)[VNFS], "pass")
    assert VNFS not in findings(checker, product("VN"), "VN", as_of=D(2021, 12, 31), seller=s)


# =========================================================================================== PH
PH = "ph.tax.vat-digital-services"


def dsp(sales, currency="PHP"):
    return seller(sells_digital_services=True, sales_by_market={"PH": {"sales_last_12m": money(sales, currency)}})


@pytest.mark.parametrize("sales,status", [(2_999_999, "pass"), (3_000_000, "pass"), (3_000_001, "fail")])
def test_ph_nrdsp_threshold_php_3m(checker, sales, status):
    f = findings(checker, product("PH"), "PH", seller=dsp(sales))[PH]
    assert_status(f, status, "error" if status == "fail" else None)


def test_ph_vat_from_2_june_2025(checker):
    assert PH not in findings(checker, product("PH"), "PH", as_of=D(2025, 6, 1), seller=dsp(5_000_000))
    assert_status(findings(checker, product("PH"), "PH", as_of=D(2025, 6, 2), seller=dsp(5_000_000))[PH],
                  "fail", "error", "ph-vat-nrdsp")


def test_ph_physical_goods_seller_out_of_scope(checker):
    assert PH not in findings(checker, product("PH"), "PH", seller=seller(sells_digital_services=False))


# =========================================================================================== parcels
SHOPEE = "sea.shopee.max-parcel"
LAZADA = "sea.lazada.max-parcel"
TIKTOK = "sea.tiktok-shop.max-parcel"


def parcel(l, w, h, g, key="shipping_package"):
    return {key: {"length_cm": l, "width_cm": w, "height_cm": h, "weight_g": g}}


@pytest.mark.parametrize("grams,status", [(19_999, "pass"), (20_000, "pass"), (20_001, "fail")])
def test_shopee_sls_weight_20kg(checker, grams, status):
    f = findings(checker, product("MY", **parcel(40, 30, 20, grams)), "MY", listing=listing("MY"))[SHOPEE]
    assert_status(f, status, "warning" if status == "fail" else None, *(("Over SLS limits",) if status == "fail" else ()))


@pytest.mark.parametrize("side,status", [(99.9, "pass"), (100, "pass"), (100.1, "fail")])
def test_shopee_sls_longest_side_100cm(checker, side, status):
    f = findings(checker, product("PH", **parcel(side, 10, 10, 1000)), "PH", listing=listing("PH"))[SHOPEE]
    assert_status(f, status)


@pytest.mark.parametrize("grams,status", [(29_999, "pass"), (30_000, "pass"), (30_001, "fail")])
def test_shopee_local_channel_weight_30kg(checker, grams, status):
    l = listing("TH", ships_from="TH", shipping={"channel": "SPX"})
    f = findings(checker, product("TH", **parcel(40, 30, 20, grams)), "TH", listing=l)[SHOPEE]
    assert_status(f, status, *(("warning", "Over Shopee local-channel limits") if status == "fail" else ()))


@pytest.mark.parametrize("height,tier", [
    (19.98, "size tier: Within SLS limits ("),        # 100 × 60 × 19.98 / 6000 = 19.98 kg volumetric
    (20, "size tier: Within SLS limits ("),           # exactly 20 kg volumetric
    (20.02, "billed on volumetric weight over 20 kg"),  # 20.02 kg volumetric: passes, flagged by the tier name
])
def test_shopee_volumetric_weight_divisor_6000(checker, height, tier):
    f = findings(checker, product("SG", **parcel(100, 60, height, 5000)), "SG", listing=listing("SG"))[SHOPEE]
    assert_status(f, "pass", None, tier, "dimensional weight")


def test_shopee_uses_package_when_no_shipping_package(checker):
    f = findings(checker, product("VN", **parcel(40, 30, 20, 25_000, key="package")), "VN", listing=listing("VN"))[SHOPEE]
    assert_status(f, "fail", "warning", "package falls in the Over SLS limits tier")


@pytest.mark.parametrize("dims,grams,status", [
    ((120, 60, 60), 30_000, "pass"), ((119.9, 59.9, 59.9), 29_999, "pass"),
    ((120.1, 60, 60), 10_000, "fail"), ((120, 60.1, 50), 10_000, "fail"), ((100, 50, 40), 30_001, "fail"),
])
def test_lazada_30kg_and_120x60x60(checker, dims, grams, status):
    f = findings(checker, product("MY", **parcel(*dims, grams)), "MY", listing=listing("MY", "lazada"))[LAZADA]
    assert_status(f, status, "warning" if status == "fail" else None)


@pytest.mark.parametrize("dims,grams,status,word", [
    ((100, 50, 36), 30_000, "pass", "Within TikTok Shop limits ("),      # volumetric exactly 30 kg
    ((100, 50, 36.1), 30_000, "pass", "billed on volumetric weight"),     # volumetric 30.08 kg
    ((100, 50, 30), 30_001, "fail", "packed"),
    ((100.1, 50, 30), 1_000, "fail", "packed"),
])
def test_tiktok_shop_limits_and_packed_reminder(checker, dims, grams, status, word):
    f = findings(checker, product("ID", **parcel(*dims, grams)), "ID", listing=listing("ID", "tiktok-shop"))[TIKTOK]
    assert_status(f, status, None, word)


def test_parcel_rules_need_a_parcel_and_their_marketplace(checker):
    out = findings(checker, product("MY"), "MY", listing=listing("MY"))
    assert SHOPEE not in out
    out = findings(checker, product("MY", **parcel(40, 30, 20, 1000)), "MY", listing=listing("MY", "lazada"))
    assert SHOPEE not in out and TIKTOK not in out and LAZADA in out


# =========================================================================================== sea.marketplace
EVID = "sea.marketplace.regulated-listing-evidence"


@pytest.mark.parametrize("as_of,applies", [(D(2025, 5, 31), False), (D(2025, 6, 1), True)])
def test_marketplace_th_tisi_evidence_from_june_2025(checker, as_of, applies):
    p = product("TH", category="electrical-appliance.kettle", electrical={"mains_powered": True})
    out = findings(checker, p, "TH", as_of=as_of, listing=listing("TH"))
    if applies:
        assert_status(out[EVID], "fail", "warning", "TIS-QR", "tisi-licence")
    else:
        assert EVID not in out


@pytest.mark.parametrize("category,hs,applies", [
    ("electrical-appliance.kettle", None, True),          # listed by category sub-key (th-tisi-mandatory-electrical)
    ("electrical-appliance.kitchen", "85167100", True),   # listed by HS prefix 851671
    ("electrical-appliance.kitchen", "85094000", False),  # HS code not listed, category not listed
    ("electrical-appliance.kitchen", None, False),        # no HS code: not listed by HS
])
def test_marketplace_th_tisi_scope_reads_the_tisi_table(checker, category, hs, applies):
    extra = {"identifiers": {"hs_code": hs}} if hs else {}
    p = product("TH", category=category, electrical={"mains_powered": True}, **extra)
    assert (EVID in findings(checker, p, "TH", listing=listing("TH"))) is applies


@pytest.mark.parametrize("as_of,halal_needed", [(D(2026, 10, 17), False), (D(2026, 10, 18), True)])
def test_marketplace_id_halal_number_from_18_october_2026(checker, as_of, halal_needed):
    l = listing("ID", displayed_registrations=[{"type": "bpom-notification", "number": "NA18250100123"}])
    f = findings(checker, product("ID", category="cosmetics.skincare"), "ID", as_of=as_of, listing=l)[EVID]
    if halal_needed:
        assert_status(f, "fail", "warning", "halal-certificate")
    else:
        assert_status(f, "pass")
