"""Limits, boundaries and dates of the us.amazon-fba and us.sales-tax packs.

Every tier boundary that can bind (weight and sides of small and large standard-size, the bulky sides and
length + girth, the 50 / 70 / 150 lb extra-large bands, dimensional weight) and every economic-nexus threshold
pattern (USD 100,000 / 200 transactions / 500,000; "exceeds" vs "or more"; "or" vs "and"; dropped transaction
tests) is checked at, just below and just above the limit; every dated duty before and on its date.

The packs under test are copied (with us.common, and a one-fact stub for us-cosmetic, which us.fda derives)
into a private directory, so other US packs written in parallel cannot break these tests. Assertions are on
what a user sees: status, severity and message. The last tests check that the per-state conditions written
out in us.sales-tax say exactly what the data table us-state-economic-nexus says.
"""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
import yaml

from compliance_engine import Checker
from tests.conftest import ROOT, write

US = ROOT / "rulepacks" / "us"
PACKS = ["common.yaml", "amazon-fba.yaml", "sales-tax.yaml"]
TABLES = ["amazon-us-fba-size-tiers.yaml", "amazon-us-fba-size-tiers-2024.yaml", "us-state-economic-nexus.yaml"]
STUB = """
pack: x-test.cosmetic-stub
title: Test stub deriving us-cosmetic as us.fda does
jurisdiction: US
version: "1"
markets: [US]
derive:
  - fact: us-cosmetic
    when: {field: product.category, under: cosmetics}
rules: []
"""


@pytest.fixture(scope="module")
def checker(tmp_path_factory) -> Checker:
    d = tmp_path_factory.mktemp("packs")
    (d / "data").mkdir()
    for name in PACKS:
        shutil.copy(US / name, d / name)
    for name in TABLES:
        shutil.copy(US / "data" / name, d / "data" / name)
    write(d / "stub.yaml", STUB)
    return Checker(rulepacks=[d], include_builtin=False, as_of="2026-11-24")


def finding(checker, rule, product, listing=None, seller=None, as_of="2026-11-24"):
    """The finding of ``rule`` for the product's US unit, or None when the rule does not apply."""
    found = [f for f in checker.check(product, "US", listing=listing, seller=seller, as_of=as_of) if f.rule == rule]
    return found[0] if found else None


def day_before(date: str) -> str:
    return (dt.date.fromisoformat(date) - dt.timedelta(days=1)).isoformat()


# ------------------------------------------------------------------------------------------ FBA size tiers

FBA_US = {"marketplace": "amazon", "market": "US", "fulfilment": "marketplace", "ships_from": "US"}
SIZE_TIER = "us.amazon-fba.size-tier"


def packed(length, width, height, weight, category="other", **extra):
    return {"kind": "Product", "sku": "FBA-US-1", "category": category, "markets": ["US"],
            "package": {"kind": "sales", "length_cm": length, "width_cm": width, "height_cm": height, "weight_g": weight},
            **extra}


def assert_tier(f, tier):
    assert f is not None
    if tier == "Extra-large 150+ lb":
        assert (f.status, f.severity) == ("fail", "warning"), f.message
        assert "falls in the Extra-large 150+ lb tier" in f.message and "special handling" in f.message
    else:
        assert (f.status, f.severity) == ("pass", "info"), f.message
        assert f.message.startswith(f"FBA-US-1 (Amazon US, FBA): size tier: {tier} ("), f.message


@pytest.mark.parametrize("dims,weight,tier", [
    # small standard-size: unit weight 16 oz = 453.59 g
    ((20, 10, 1), 453.5, "Small standard-size"),
    ((20, 10, 1), 453.59, "Small standard-size"),
    ((20, 10, 1), 453.7, "Large standard-size"),
    # longest side 15 in = 38.1 cm
    ((38.0, 10, 1), 100, "Small standard-size"),
    ((38.1, 10, 1), 100, "Small standard-size"),
    ((38.2, 10, 1), 100, "Large standard-size"),
    # median side 12 in = 30.48 cm
    ((35, 30.4, 1), 100, "Small standard-size"),
    ((35, 30.48, 1), 100, "Small standard-size"),
    ((35, 30.5, 1), 100, "Large standard-size"),
    # shortest side 0.75 in = 1.905 cm
    ((20, 10, 1.9), 100, "Small standard-size"),
    ((20, 10, 1.905), 100, "Small standard-size"),
    ((20, 10, 1.91), 100, "Large standard-size"),
    # large standard-size: 20 lb = 9071.8 g (a large-standard box weighs at most 6.6 kg dimensionally)
    ((40, 30, 15), 9071.7, "Large standard-size"),
    ((40, 30, 15), 9071.8, "Large standard-size"),
    ((40, 30, 15), 9071.9, "Small bulky"),
    # longest 18 in = 45.72 cm, median 14 in = 35.56 cm, shortest 8 in = 20.32 cm
    ((45.7, 30, 15), 2000, "Large standard-size"),
    ((45.72, 30, 15), 2000, "Large standard-size"),
    ((45.8, 30, 15), 2000, "Small bulky"),
    ((40, 35.56, 15), 2000, "Large standard-size"),
    ((40, 35.6, 15), 2000, "Small bulky"),
    ((40, 30, 20.32), 2000, "Large standard-size"),
    ((40, 30, 20.4), 2000, "Small bulky"),
    # small bulky (2026): longest 37 in = 93.98 cm, median 28 in = 71.12 cm. (Its 20 in shortest side and
    # 130 in length + girth cannot bind: a box that large weighs over 50 lb dimensionally.)
    ((93.9, 40, 20), 5000, "Small bulky"),
    ((93.98, 40, 20), 5000, "Small bulky"),
    ((94.0, 40, 20), 5000, "Large bulky"),
    ((71.12, 71.12, 10), 5000, "Small bulky"),
    ((71.2, 71.2, 10), 5000, "Large bulky"),
    # bulky weight 50 lb = 22679.5 g (box 60 × 40 × 30 cm weighs 14.3 kg dimensionally)
    ((60, 40, 30), 22679.4, "Small bulky"),
    ((60, 40, 30), 22679.5, "Small bulky"),
    ((60, 40, 30), 22679.6, "Extra-large 50+ to 70 lb"),
    # large bulky: longest 59 in = 149.86 cm; median and shortest 33 in = 83.82 cm
    ((149.86, 40, 5), 5000, "Large bulky"),
    ((149.9, 40, 5), 5000, "Extra-large 0 to 50 lb"),
    ((100, 83.82, 5), 5000, "Large bulky"),
    ((100, 83.9, 5), 5000, "Extra-large 0 to 50 lb"),
    # length + girth 130 in = 330.2 cm (girth = 2 × (median + shortest))
    ((149.86, 83.82, 6.3), 5000, "Large bulky"),    # 330.1
    ((149.86, 83.82, 6.35), 5000, "Large bulky"),   # 330.2
    ((149.86, 83.82, 6.4), 5000, "Extra-large 0 to 50 lb"),  # 330.3
    # extra-large bands by shipping weight (160 × 50 × 10 cm weighs 15.9 kg dimensionally): 50 / 70 / 150 lb
    ((160, 50, 10), 22679.5, "Extra-large 0 to 50 lb"),
    ((160, 50, 10), 22680, "Extra-large 50+ to 70 lb"),
    ((160, 50, 10), 31751.2, "Extra-large 50+ to 70 lb"),
    ((160, 50, 10), 31751.3, "Extra-large 50+ to 70 lb"),
    ((160, 50, 10), 31751.4, "Extra-large 70+ to 150 lb"),
    ((160, 50, 10), 68038.4, "Extra-large 70+ to 150 lb"),
    ((160, 50, 10), 68038.5, "Extra-large 70+ to 150 lb"),
    ((160, 50, 10), 68038.6, "Extra-large 150+ lb"),
])
def test_size_tier_boundaries(checker, dims, weight, tier):
    assert_tier(finding(checker, SIZE_TIER, packed(*dims, weight), listing=FBA_US), tier)


@pytest.mark.parametrize("dims,tier", [
    # dimensional weight = L × W × H / 5021.7 per kg (139 in³ per lb); 50 lb = 22679.5 g
    ((60, 40, 47.4), "Small bulky"),               # 22,653.7 g dimensional
    ((60, 40, 47.5), "Extra-large 50+ to 70 lb"),  # 22,701.5 g dimensional: over 50 lb although it weighs 5 kg
])
def test_dimensional_weight_moves_a_light_bulky_box_up(checker, dims, tier):
    f = finding(checker, SIZE_TIER, packed(*dims, 5000), listing=FBA_US)
    assert_tier(f, tier)
    assert "dimensional weight 22" in f.message


def test_small_standard_ignores_dimensional_weight(checker):
    # 38 × 30 × 1.9 cm = 2166 cm³ = 431 g dimensionally; judged on its 440 g unit weight only
    assert_tier(finding(checker, SIZE_TIER, packed(38, 30, 1.9, 440), listing=FBA_US), "Small standard-size")


@pytest.mark.parametrize("as_of,tier", [
    ("2026-01-14", "Large bulky"),   # 2024 tier set: no small bulky tier yet
    ("2026-01-15", "Small bulky"),   # 2026 tier set
])
def test_small_bulky_tier_starts_2026_01_15(checker, as_of, tier):
    assert_tier(finding(checker, SIZE_TIER, packed(60, 40, 30, 8000), listing=FBA_US, as_of=as_of), tier)


def test_size_tier_effective_from_2024_02_05(checker):
    p = packed(20, 10, 1, 100)
    assert finding(checker, SIZE_TIER, p, listing=FBA_US, as_of="2024-02-04") is None
    assert_tier(finding(checker, SIZE_TIER, p, listing=FBA_US, as_of="2024-02-05"), "Small standard-size")


def test_size_tier_needs_package_and_runs_only_for_fba(checker):
    p = {"kind": "Product", "sku": "FBA-US-1", "category": "other", "markets": ["US"]}
    f = finding(checker, SIZE_TIER, p, listing=FBA_US)
    assert (f.status, f.severity) == ("fail", "warning")
    assert "the size tier needs package dimensions and weight" in f.message, f.message
    assert finding(checker, SIZE_TIER, packed(20, 10, 1, 100), listing=dict(FBA_US, fulfilment="seller")) is None
    assert finding(checker, SIZE_TIER, packed(20, 10, 1, 100)) is None


# ------------------------------------------------------------------------------------ other Amazon rules

SUPPLEMENT = "us.amazon-fba.dietary-supplement-verification"


def supplement(with_tic: bool):
    docs = [
        {"id": "coa", "type": "certificate-of-analysis", "result": "pass",
         "issuer": {"name": "Lab", "role": "test-lab", "iso17025": True}, "issued": "2023-06-01"},
        {"id": "gmp", "type": "gmp-certificate", "issuer": {"name": "NSF", "role": "certification-body"}, "issued": "2023-01-01"},
    ]
    if with_tic:
        docs.append({"id": "tic", "type": "tic-verification", "issued": "2024-05-01"})
    return {"kind": "Product", "sku": "SUPP-1", "category": "dietary-supplement", "markets": ["US"], "documents": docs}


SUPP_LISTING = dict(FBA_US, displays=["supplement-facts-image"])


def test_supplement_tic_verification_from_2024_04_03(checker):
    assert finding(checker, SUPPLEMENT, supplement(False), listing=SUPP_LISTING, as_of="2024-04-02").status == "pass"
    f = finding(checker, SUPPLEMENT, supplement(False), listing=SUPP_LISTING, as_of="2024-04-03")
    assert (f.status, f.severity) == ("fail", "warning")
    assert "TIC organisation (required since 3 April 2024)" in f.message
    assert finding(checker, SUPPLEMENT, supplement(True), listing=SUPP_LISTING, as_of="2024-05-02").status == "pass"


def test_supplement_rule_starts_2021(checker):
    assert finding(checker, SUPPLEMENT, supplement(False), listing=SUPP_LISTING, as_of="2020-12-31") is None
    assert finding(checker, SUPPLEMENT, supplement(False), listing=SUPP_LISTING, as_of="2021-01-01") is not None


DG = "us.amazon-fba.dangerous-goods-sds"


def test_dangerous_goods_exemption_sheet_only_for_battery_products(checker):
    sheet = [{"id": "ex", "type": "amazon-exemption-sheet", "issued": "2025-01-01"}]
    lamp = packed(20, 10, 5, 300, category="lighting", documents=sheet,
                  electrical={"battery": {"chemistry": "alkaline", "count": 3}})
    assert finding(checker, DG, lamp, listing=FBA_US).status == "pass"
    cleaner = packed(20, 10, 5, 300, category="household-chemicals", documents=sheet)
    f = finding(checker, DG, cleaner, listing=FBA_US)
    assert (f.status, f.severity) == ("fail", "warning")
    assert "a safety data sheet" in f.message
    assert finding(checker, DG, lamp, listing=FBA_US, as_of="2024-02-04") is None


CHILD = "us.amazon-fba.childrens-products-documents"


def test_children_choking_warning_needs_listing_attribute(checker):
    toy = {"kind": "Product", "sku": "TOY-1", "category": "toys", "markets": ["US"], "age_grade": {"min_years": 3},
           "child_safety": {"small_parts": True}, "labelling": {"tracking_label": True},
           "documents": [{"id": "cpc", "type": "childrens-product-certificate", "issued": "2025-01-01"},
                         {"id": "tr", "type": "test-report", "covers": ["CPSIA"], "standards": ["ASTM F963-23"],
                          "result": "pass", "issuer": {"name": "Lab", "role": "test-lab", "cpsc_accepted": True},
                          "issued": "2025-01-01"}]}
    f = finding(checker, CHILD, toy, listing=FBA_US)
    assert (f.status, f.severity) == ("fail", "warning")
    assert "CPSIA warning attribute" in f.message
    listed = dict(FBA_US, attributes={"cpsia_warning": "choking_hazard_small_parts"})
    assert finding(checker, CHILD, toy, listing=listed).status == "pass"


# ------------------------------------------------------------------------------------------ economic nexus

NEXUS = "us.sales-tax.economic-nexus"
OWN_SITE = {"marketplace": "own-site", "market": "US", "fulfilment": "seller", "ships_from": "CN"}
SHOP = {"kind": "Product", "sku": "SHOP-1", "category": "other", "markets": ["US"]}


def seller(state, sales, transactions=None, marketplace=0, permits=()):
    entry = {"sales_last_12m": {"amount": sales, "currency": "USD"}}
    if transactions is not None:
        entry["transactions_last_12m"] = transactions
    if marketplace is not None:
        entry["marketplace_sales_last_12m"] = {"amount": marketplace, "currency": "USD"}
    regs = [{"type": "us-sales-tax-permit", "country": "US", "region": r, "number": f"P-{r}", **extra}
            for r, extra in permits]
    return {"kind": "Seller", "name": "Shenzhen Example Trading Co., Ltd.", "established_in": "CN",
            "sales_by_market": {state: entry}, **({"registrations": regs} if regs else {})}


def nexus(checker, s, as_of="2026-11-24"):
    """The economic-nexus finding for an own-site (Shopify-type) US offer of the seller ``s``."""
    return finding(checker, NEXUS, SHOP, listing=OWN_SITE, seller=s, as_of=as_of)


def assert_nexus(f, needs_permit: bool, state_words: str = ""):
    assert f is not None
    if needs_permit:
        assert (f.status, f.severity) == ("fail", "error"), f.message
        assert "without a sales-tax registration on file" in f.message and state_words in f.message, f.message
    else:
        assert f.status == "pass", f.message


@pytest.mark.parametrize("state,sales,tx,needs,words", [
    # California: over USD 500,000 ("exceed"), no transaction test
    ("US-CA", 499_999, 9000, False, ""),
    ("US-CA", 500_000, 9000, False, ""),
    ("US-CA", 500_001, 9000, True, "California (US-CA): sales over USD 500,000"),
    # Texas: USD 500,000 or more (safe harbour is revenue LESS than 500,000)
    ("US-TX", 499_999.99, 9000, False, ""),
    ("US-TX", 500_000, 9000, True, "Texas (US-TX): sales USD 500,000 or more"),
    ("US-TX", 500_001, 9000, True, "Texas (US-TX)"),
    # New York: over USD 500,000 AND more than 100 sales
    ("US-NY", 500_000, 101, False, ""),
    ("US-NY", 500_001, 100, False, ""),
    ("US-NY", 500_001, 101, True, "New York (US-NY): sales over USD 500,000 and more than 100 transactions"),
    # South Dakota (2026: no transaction test): revenue exceeding USD 100,000
    ("US-SD", 99_999, 5000, False, ""),
    ("US-SD", 100_000, 5000, False, ""),
    ("US-SD", 100_001, 5000, True, "South Dakota (US-SD)"),
    # Illinois: USD 100,000 or more (transaction test gone since 2026-01-01)
    ("US-IL", 99_999, 5000, False, ""),
    ("US-IL", 100_000, 5000, True, "Illinois (US-IL): sales USD 100,000 or more"),
    ("US-IL", 100_001, 5000, True, "Illinois (US-IL)"),
    # Georgia: over USD 100,000 or 200 or more transactions
    ("US-GA", 20_000, 199, False, ""),
    ("US-GA", 20_000, 200, True, "Georgia (US-GA): sales over USD 100,000, or 200 or more transactions"),
    ("US-GA", 20_000, 201, True, "Georgia (US-GA)"),
    # Connecticut: over USD 100,000 AND 200 or more transactions
    ("US-CT", 100_001, 199, False, ""),
    ("US-CT", 100_000, 200, False, ""),
    ("US-CT", 100_001, 200, True, "Connecticut (US-CT)"),
    # Alabama and Mississippi: USD 250,000
    ("US-AL", 250_000, 5000, False, ""),
    ("US-AL", 250_001, 5000, True, "Alabama (US-AL): sales over USD 250,000"),
    ("US-MS", 249_999, 5000, False, ""),
    ("US-MS", 250_000, 5000, True, "Mississippi (US-MS)"),
    # no statewide sales tax
    ("US-OR", 5_000_000, 90_000, False, ""),
    ("US-DE", 5_000_000, 90_000, False, ""),
])
def test_economic_nexus_thresholds(checker, state, sales, tx, needs, words):
    assert_nexus(nexus(checker, seller(state, sales, tx)), needs, words)


@pytest.mark.parametrize("state,cutover", [("US-IL", "2026-01-01"), ("US-SD", "2023-07-01"), ("US-UT", "2025-07-01")])
@pytest.mark.parametrize("tx", [199, 200, 201])
def test_dropped_transaction_tests(checker, state, cutover, tx):
    """200 or more transactions created nexus (with small sales) until the state dropped the test."""
    s = seller(state, 5_000, tx)
    assert_nexus(nexus(checker, s, as_of=day_before(cutover)), tx >= 200, f"({state})")
    assert_nexus(nexus(checker, s, as_of=cutover), False)


@pytest.mark.parametrize("state,start", [("US-CA", "2019-04-01"), ("US-TX", "2019-10-01"), ("US-FL", "2021-07-01")])
def test_state_thresholds_start_on_their_date(checker, state, start):
    s = seller(state, 900_000, 9000)
    assert_nexus(nexus(checker, s, as_of=day_before(start)), False)
    assert_nexus(nexus(checker, s, as_of=start), True, f"({state})")


def test_economic_nexus_starts_with_wayfair(checker):
    assert nexus(checker, seller("US-NY", 900_000, 900), as_of="2018-06-20") is None
    assert_nexus(nexus(checker, seller("US-NY", 900_000, 900), as_of="2018-06-21"), True, "(US-NY)")


def test_marketplace_only_sales_need_no_own_permit(checker):
    assert_nexus(nexus(checker, seller("US-CA", 900_000, 9000, marketplace=900_000)), False)
    assert_nexus(nexus(checker, seller("US-CA", 900_000, 9000, marketplace=899_000)), True, "(US-CA)")
    # marketplace part not given: read as direct sales (conservative)
    assert_nexus(nexus(checker, seller("US-CA", 900_000, 9000, marketplace=None)), True, "(US-CA)")


def test_permit_must_be_for_the_state_and_in_force(checker):
    assert_nexus(nexus(checker, seller("US-CA", 900_000, 9000, permits=[("US-CA", {})])), False)
    assert_nexus(nexus(checker, seller("US-CA", 900_000, 9000, permits=[("US-TX", {})])), True, "(US-CA)")
    expired = seller("US-CA", 900_000, 9000, permits=[("US-CA", {"expires": "2026-01-31"})])
    assert_nexus(nexus(checker, expired), True, "(US-CA)")


def test_own_site_seller_without_state_sales_gets_a_data_warning(checker):
    s = {"kind": "Seller", "name": "X", "established_in": "CN", "sales_by_market": {"SG": {"sales_last_12m": {"amount": 1, "currency": "SGD"}}}}
    f = nexus(checker, s)
    assert (f.status, f.severity) == ("fail", "warning")
    assert "sales per US state in seller.sales_by_market" in f.message
    # a marketplace seller without state data: the economic-nexus rule does not apply
    amazon = dict(FBA_US)
    assert finding(checker, NEXUS, SHOP, listing=amazon, seller=s) is None


# ----------------------------------------------------------------------------------- marketplace facilitator

FACILITATOR = "us.sales-tax.marketplace-facilitator"


@pytest.mark.parametrize("collected_by,status", [("marketplace", "pass"), (None, "pass"), ("seller", "fail")])
def test_marketplace_collects_the_tax(checker, collected_by, status):
    listing = dict(FBA_US, **({"tax_collected_by": collected_by} if collected_by else {}))
    f = finding(checker, FACILITATOR, SHOP, listing=listing)
    assert f.status == status, f.message
    if status == "fail":
        assert f.severity == "warning" and "collects and remits the sales tax" in f.message
    else:
        assert "marketplace facilitator" in f.message


def test_facilitator_rule_only_for_facilitator_marketplaces(checker):
    assert finding(checker, FACILITATOR, SHOP, listing=OWN_SITE) is None
    assert finding(checker, FACILITATOR, SHOP, listing=dict(FBA_US, marketplace="aliexpress")) is None
    assert finding(checker, FACILITATOR, SHOP, listing=dict(FBA_US, marketplace="temu")) is not None
    assert finding(checker, FACILITATOR, SHOP, listing=dict(FBA_US), as_of="2018-12-31") is None


def test_facilitator_asks_for_state_sales_when_a_seller_is_given(checker):
    s = {"kind": "Seller", "name": "X", "established_in": "CN"}
    f = finding(checker, FACILITATOR, SHOP, listing=dict(FBA_US, tax_collected_by="marketplace"), seller=s)
    assert (f.status, f.severity) == ("fail", "warning")
    assert "sales per US state" in f.message
    ok = seller("US-WA", 10, 1)
    assert finding(checker, FACILITATOR, SHOP, listing=dict(FBA_US, tax_collected_by="marketplace"), seller=ok).status == "pass"


# ------------------------------------------------------------------------- pack conditions == data table

def _table_rows():
    t = yaml.safe_load((US / "data" / "us-state-economic-nexus.yaml").read_text())
    return {r["region"]: r for r in t["entries"]}


def _pack_conditions():
    """region -> the parts of its requirement condition in us.sales-tax.economic-nexus."""
    pack = yaml.safe_load((US / "sales-tax.yaml").read_text())
    rule = next(r for r in pack["rules"] if r["id"] == NEXUS)
    out = {}
    for q in rule["requires"]:
        if "all_of" not in q:
            continue
        region = q["all_of"][0]["field"]["contains"]
        parts = q["when"]["all"]
        got = {"from": parts[0]["since"]}
        test = parts[1]
        atoms = [test] if "field" in test else (test.get("any") or [])
        if "field" in test:
            got["logic"] = None
        else:
            got["logic"] = "or"
        if len(parts) == 4:  # "and": sales atom, transactions atom, direct-sales atom
            atoms = [parts[1], parts[2]]
            got["logic"] = "and"
        for a in atoms:
            if "all" in a:  # dropped transaction test
                got["transactions_until"] = a["all"][0]["not"]["since"]
                a = a["all"][1]
            op = "gt" if "gt" in a else "gte"
            kind = "sales" if a["field"].endswith("sales_last_12m.amount") else "transactions"
            assert a["field"].startswith(f"seller.sales_by_market.{region}.")
            got[kind] = (op, a[op])
        direct = parts[-1]["not"]
        assert direct["field"] == f"seller.sales_by_market.{region}.sales_last_12m.amount"
        assert direct["equals_field"] == f"seller.sales_by_market.{region}.marketplace_sales_last_12m.amount"
        out[region] = got
    return out


def test_every_threshold_row_is_in_the_pack_and_the_reverse():
    rows = {k: r for k, r in _table_rows().items() if r.get("sales_usd")}
    conds = _pack_conditions()
    assert set(rows) == set(conds)
    assert len(rows) == 47  # 46 states (Alaska = ARSSTC local) + DC


@pytest.mark.parametrize("region", sorted(k for k, r in _table_rows().items() if r.get("sales_usd")))
def test_pack_condition_matches_table_row(region):
    r, c = _table_rows()[region], _pack_conditions()[region]
    assert c["from"] == r["from"]
    assert c["sales"] == (r["sales_test"], r["sales_usd"])
    if r.get("transactions"):
        assert c["transactions"] == (r["transactions_test"], r["transactions"])
        assert c["logic"] == r["logic"]
        assert c.get("transactions_until") == r.get("transactions_until")
    else:
        assert "transactions" not in c


def test_no_tax_states_have_no_condition():
    rows = _table_rows()
    assert {k for k, r in rows.items() if not r.get("sales_usd")} == {"US-DE", "US-MT", "US-NH", "US-OR"}
    assert len(rows) == 51
