"""Limits and dates of the sea.cosmetics, vn.cosmetics, th.cosmetics, my.cosmetics and ph.cosmetics packs, as a user
sees them: for every numeric limit the value at, just below and just above it; for every dated rule a check before
and on its start date.

The checker loads only these packs, sea.common (the shared SEA facts) and the data tables they read, copied from
rulepacks/sea/, so the tests do not depend on packs other authors are still writing."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from compliance_engine import Checker
from tests.conftest import ROOT, assert_status, checker_over

D = dt.date
AS_OF = D(2025, 6, 1)
SRC = ROOT / "rulepacks" / "sea"
PACK_FILES = ["common.yaml", "sea-cosmetics.yaml", "vn-cosmetics.yaml", "th-cosmetics.yaml", "my-cosmetics.yaml",
              "ph-cosmetics.yaml"]
DATA_FILES = ["sea-acd-annex-ii.yaml", "sea-acd-annex-iii.yaml", "sea-label-languages.yaml"]

PROHIBITED = "sea.cosmetics.prohibited-ingredients"
LABEL = "sea.cosmetics.label-content"
PIF = "sea.cosmetics.pif"
VN = "vn.cosmetics.dav-notification"
TH = "th.cosmetics.fda-notification"
MY = "my.cosmetics.npra-notification"
PH = "ph.cosmetics.fda-notification"


@pytest.fixture(scope="module")
def checker(tmp_path_factory) -> Checker:
    return checker_over(tmp_path_factory, "sea", PACK_FILES, DATA_FILES)


def findings(checker, product, market, as_of=AS_OF, seller=None):
    return {f.rule: f for f in checker.check(product, market, seller=seller, as_of=as_of)}


def product(market="MY", **extra):
    p = {"kind": "Product", "sku": "LIM-SEA-1", "category": "cosmetics.skincare", "markets": [market],
         "country_of_origin": "CN", "cosmetic": {"application": "leave-on", "areas": ["face"]}}
    p.update(extra)
    return p


def holder(market):
    return {"jurisdiction": market, "role": "notification-holder", "name": f"Lumina {market} Co", "address": "1 Main St",
            "country": market}


# ============================================================================ sea.cosmetics.prohibited-ingredients
@pytest.mark.parametrize("pct,status", [
    (0, "pass"),          # declared "not detected"
    (0.0001, "fail"),     # any amount above 0 % is the prohibited substance
    (None, "fail"),       # unknown amount: presence assumed
])
@pytest.mark.parametrize("name,cas", [("Mercury", "7439-97-6"), ("Calomel", "10112-91-1"), ("Tretinoin", "302-79-4")])
def test_annex_ii_presence_threshold(checker, pct, status, name, cas):
    s = {"name": name, "cas": cas}
    if pct is not None:
        s["concentration_pct"] = pct
    f = findings(checker, product(substances=[s]), "MY")[PROHIBITED]
    assert_status(f, status, "error", *(("ASEAN Cosmetic Directive", name) if status == "fail" else ()))


@pytest.mark.parametrize("pct,status", [(0, "pass"), (0.0001, "fail"), (2.0, "fail")])
def test_hydroquinone_prohibited_in_skin_products(checker, pct, status):
    f = findings(checker, product(ingredients=[{"name": "Hydroquinone", "percent": pct}]), "PH")[PROHIBITED]
    assert_status(f, status, "error", *(("Hydroquinone", "at most 0 %") if status == "fail" else ()))


NAILS = {"application": "leave-on", "areas": ["nails"], "professional_use": True}


@pytest.mark.parametrize("pct,status", [
    (0.019, "pass"),   # just below
    (0.02, "pass"),    # at the 0.02 % limit (after mixing)
    (0.021, "fail"),   # just above: a warning, the ACD text of the exception is unconfirmed
])
def test_hydroquinone_limit_in_professional_nail_systems(checker, pct, status):
    p = product(cosmetic=NAILS, category="cosmetics.nails",
                ingredients=[{"name": "Hydroquinone", "cas": "123-31-9", "percent": pct}])
    f = findings(checker, p, "SG")[PROHIBITED]
    if status == "pass":
        assert_status(f, "pass")
    else:
        assert_status(f, "fail", "warning", "at most 0.02 %", "0.021")


def test_annex_iii_table_matches_rule():
    """The hydroquinone row of data/sea-acd-annex-iii.yaml and the rule's requirements carry the same limits and names."""
    table = yaml.safe_load((SRC / "data" / "sea-acd-annex-iii.yaml").read_text(encoding="utf-8"))
    pack = yaml.safe_load((SRC / "sea-cosmetics.yaml").read_text(encoding="utf-8"))
    rule = next(r for r in pack["rules"] if r["id"] == PROHIBITED)
    limits = [r["substance_limit"] for r in rule["requires"] if "substance_limit" in r]
    row = table["entries"][0]
    assert sorted(l["max_pct"] for l in limits) == sorted(x["max_pct"] for x in row["limits"])
    for lim in limits:
        assert row["cas"] in lim["cas"]
        assert {row["name"], *row["synonyms"]} <= set(lim["names"])


# ============================================================================ sea.cosmetics.label-content
def full_label(market="MY", **labelling):
    lab = {"languages": ["en"], "ingredient_list": True, "batch_code": True, "manufacture_date": True,
           "net_quantity": "30 ml", "origin_statement": "Made in China"}
    lab.update(labelling)
    return lab


@pytest.mark.parametrize("months,status", [
    (29, "fail"),    # below: expiry date expected
    (30, "fail"),    # at 30 months: expiry date expected
    (31, "pass"),    # above: the manufacturing date is enough
])
def test_expiry_date_for_shelf_life_of_30_months_or_less(checker, months, status):
    p = product(cosmetic={"application": "leave-on", "areas": ["face"], "shelf_life_months": months},
                economic_operators=[holder("MY")], labelling=full_label())
    f = findings(checker, p, "MY")[LABEL]
    if status == "pass":
        assert_status(f, "pass")
    else:
        assert_status(f, "fail", "warning", "expiry date", "30 months or less")


def test_label_without_local_company_or_date_fails_as_error(checker):
    lab = full_label()
    del lab["manufacture_date"]
    f = findings(checker, product(labelling=lab), "TH")[LABEL]
    assert_status(f, "fail", "error", "TH", "date of manufacture or expiry date", "economic_operators")


def test_nail_system_with_hydroquinone_needs_the_annex_iii_caution(checker):
    p = product(cosmetic=NAILS, economic_operators=[holder("SG")], labelling=full_label(),
                ingredients=[{"name": "Hydroquinone", "percent": 0.01}])
    assert_status(findings(checker, p, "SG")[LABEL], "fail", "error", "cosmetic-caution")
    p["labelling"].update(warnings=[{"key": "cosmetic-caution", "text": "For professional use only. Avoid skin contact."}],
                          warnings_languages=["en"])
    assert_status(findings(checker, p, "SG")[LABEL], "pass")


# ============================================================================ dated rules (start dates)
@pytest.mark.parametrize("rule,market,start", [
    (PROHIBITED, "VN", D(2008, 1, 1)),
    (LABEL, "ID", D(2008, 1, 1)),
    (PIF, "SG", D(2008, 1, 1)),
    (VN, "VN", D(2011, 1, 25)),
    ("vn.cosmetics.label-vietnamese", "VN", D(2011, 1, 25)),
    (TH, "TH", D(2015, 9, 9)),
    ("th.cosmetics.label-thai", "TH", D(2015, 9, 9)),
    (MY, "MY", D(2008, 1, 1)),
    (PH, "PH", D(2008, 1, 1)),
])
def test_rule_starts_on_its_date(checker, rule, market, start):
    # A bare cosmetic with mercury: every rule of these packs fails once it applies.
    p = product(market, substances=[{"name": "Mercury", "cas": "7439-97-6", "concentration_pct": 0.01}])
    assert rule not in findings(checker, p, market, as_of=start - dt.timedelta(days=1))
    assert_status(findings(checker, p, market, as_of=start)[rule], "fail")


def test_pif_is_a_warning(checker):
    assert_status(findings(checker, product("ID"), "ID")[PIF], "fail", "warning", "Product Information File")


# ============================================================================ notification validity periods
def notified(market, reg_type, age_days, **extra):
    reg = {"type": reg_type, "market": market, "number": "N-1", "issued": AS_OF - dt.timedelta(days=age_days)}
    return product(market, economic_operators=[holder(market)], registrations=[reg],
                   labelling={"languages": {"VN": ["vi"], "TH": ["th"], "MY": ["ms"], "PH": ["en"]}[market]}, **extra)


@pytest.mark.parametrize("days,status", [(1826, "pass"), (1827, "pass"), (1828, "fail")])
def test_vn_receipt_number_valid_5_years(checker, days, status):
    f = findings(checker, notified("VN", "vn-cosmetic-notification", days), "VN")[VN]
    assert_status(f, status, "error" if status == "fail" else None, *(("1828 days ago",) if status == "fail" else ()))


@pytest.mark.parametrize("days,status,severity", [
    (915, "pass", None),
    (916, "pass", None),          # last day before the 180-day renewal window
    (917, "fail", "warning"),     # renewal window open: reminder
    (1095, "fail", "warning"),
    (1096, "fail", "warning"),    # still valid (3 years incl. a leap day)
    (1097, "fail", "error"),      # expired
])
def test_th_receipt_valid_3_years_with_renewal_window(checker, days, status, severity):
    p = notified("TH", "th-fda-cosmetic-notification", days)
    f = findings(checker, p, "TH")[TH]
    if status == "pass":
        assert_status(f, "pass")
    else:
        assert_status(f, "fail", severity, "Thai FDA", f"{days} days ago")


@pytest.mark.parametrize("days,status", [(730, "pass"), (731, "pass"), (732, "fail")])
def test_my_notification_valid_2_years(checker, days, status):
    f = findings(checker, notified("MY", "npra-cosmetic-notification", days), "MY")[MY]
    assert_status(f, status, "error" if status == "fail" else None, *(("NPRA", "732 days ago") if status == "fail" else ()))


PH_SELLER = {"kind": "Seller", "name": "Lumina PH Inc.", "established_in": "PH",
             "registrations": [{"type": "ph-fda-lto", "country": "PH", "number": "LTO-1", "issued": D(2025, 1, 1)}]}


@pytest.mark.parametrize("days,status", [(1095, "pass"), (1096, "pass"), (1097, "fail")])
def test_ph_cpn_at_most_3_years(checker, days, status):
    f = findings(checker, notified("PH", "ph-fda-cpn", days), "PH", seller=PH_SELLER)[PH]
    assert_status(f, status, "error" if status == "fail" else None, *(("1097 days ago",) if status == "fail" else ()))


def test_ph_cpn_without_lto_fails(checker):
    f = findings(checker, notified("PH", "ph-fda-cpn", 10), "PH")[PH]
    assert_status(f, "fail", "error", "License to Operate")


@pytest.mark.parametrize("market,rule,langs,status,severity", [
    ("MY", MY, ["en"], "pass", None),
    ("MY", MY, ["zh"], "fail", "warning"),      # BM or English unconfirmed: warning
    ("PH", PH, ["tl"], "pass", None),
    ("PH", PH, ["zh"], "fail", "warning"),
    ("VN", "vn.cosmetics.label-vietnamese", ["en"], "fail", "error"),
    ("TH", "th.cosmetics.label-thai", ["en"], "fail", "error"),
])
def test_label_language_from_the_shared_table(checker, market, rule, langs, status, severity):
    p = notified(market, {"MY": "npra-cosmetic-notification", "PH": "ph-fda-cpn", "VN": "vn-cosmetic-notification",
                          "TH": "th-fda-cosmetic-notification"}[market], 10)
    p["labelling"]["languages"] = langs
    f = findings(checker, p, market, seller=PH_SELLER if market == "PH" else None)[rule]
    if status == "pass":
        assert_status(f, "pass")
    else:
        assert_status(f, "fail", severity)
