"""Limits and dates of the eu.gdpr, gb.gdpr, eu.vat and gb.vat packs, as a user sees them: for every numeric limit
the value at, just below and just above it (EUR 150 IOSS, GBP 135 UK low-value consignments, EUR 10 000 OSS
distance sales, the 20-person BDSG DPO headcount); for every dated rule or escalation a check before and on its
date (GDPR 2018-05-25, UK GDPR 2021-01-01, IDTA 2022-03-21 and the end of the old-SCC transition 2024-03-21,
PECR/DUAA 2026-02-05, the e-commerce VAT package 2021-07-01, the EUR 3 parcel duty 2026-07-01, Brazil's
adequacy 2026-01-28, UK NETP 2012-12-01); and the data tables against the packs that mirror them."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from compliance_engine import Checker
from tests.conftest import AS_OF, ROOT, assert_fail, assert_pass

PACKS = ["eu.gdpr", "gb.gdpr", "eu.vat", "gb.vat"]
EU = ROOT / "rulepacks" / "eu"
EU27 = ["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU",
        "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"]


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(packs=PACKS, as_of=AS_OF)


def run(checker, market, seller, listing=None, product=None, as_of=AS_OF):
    p = {"kind": "Product", "sku": "LIM-1", "category": "other", "markets": [market]}
    p.update(product or {})
    return {f.rule: f for f in checker.check(p, market, listing=listing, seller=seller, as_of=as_of)}


def own_site(market, ships_from, amount=None, currency="EUR", consignment=None, **extra):
    listing = {"marketplace": "own-site", "market": market, "ships_from": ships_from, "fulfilment": "seller"}
    if amount is not None:
        listing["price"] = {"amount": amount, "currency": currency}
    if consignment is not None:
        listing["shipping"] = {"consignment_value": {"amount": consignment[0], "currency": consignment[1]}}
    listing.update(extra)
    return listing


CN_SELLER = {"kind": "Seller", "name": "Shenzhen Limits Co., Ltd.", "established_in": "CN", "stock_locations": ["CN"]}
HS = {"identifiers": {"hs_code": "392690"}}  # the HS code the EUR 3 parcel duty note asks for from 2026-07-01
IOSS_VIA_INTERMEDIARY = {"type": "ioss", "country": "DE", "number": "IM2760000123",
                         "holder": {"role": "ioss-intermediary", "name": "EU Tax Intermediary GmbH", "country": "DE"}}


def seller(base=CN_SELLER, **extra):
    s = {k: (list(v) if isinstance(v, list) else v) for k, v in base.items()}
    s.update(extra)
    return s


# ------------------------------------------------------------------------------------------ EUR 150 (IOSS)


@pytest.mark.parametrize("amount,applies", [(149.99, True), (150, True), (150.01, False)])
def test_ioss_applies_up_to_and_including_eur_150(checker, amount, applies):
    f = run(checker, "DE", seller(), own_site("DE", "CN", amount)).get("eu.vat.ioss-low-value-imports")
    if applies:
        assert_fail(f, "warning", "EUR 150 or less", "IOSS registration made through an EU-established IOSS intermediary")
    else:
        assert f is None, f.message


@pytest.mark.parametrize("amount,applies", [(149.99, True), (150, True), (150.01, False)])
def test_ioss_reads_the_consignment_value_before_the_price(checker, amount, applies):
    # A EUR 400 price, but the consignment's intrinsic value is what counts.
    listing = own_site("DE", "CN", 400, consignment=(amount, "EUR"))
    f = run(checker, "DE", seller(registrations=[IOSS_VIA_INTERMEDIARY]), listing, HS).get("eu.vat.ioss-low-value-imports")
    if applies:
        assert_pass(f)
    else:
        assert f is None, f.message


def test_ioss_value_in_another_currency_is_unknown_and_asks_for_eur(checker):
    listing = own_site("IE", "US", 120, currency="USD")
    f = run(checker, "IE", seller(established_in="US", registrations=[IOSS_VIA_INTERMEDIARY]), listing)["eu.vat.ioss-low-value-imports"]
    assert_fail(f, "warning", "intrinsic value in EUR", "does not convert currencies")
    assert any("consignment_value.currency" in m for m in f.missing_fields)


def test_ioss_not_for_marketplace_sales_or_eu_dispatch(checker):
    temu = {"marketplace": "temu", "market": "DE", "ships_from": "CN", "price": {"amount": 9.99, "currency": "EUR"}}
    assert "eu.vat.ioss-low-value-imports" not in run(checker, "DE", seller(), temu)
    # Goods shipped from Northern Ireland are inside the EU VAT rules for goods: not an import.
    assert "eu.vat.ioss-low-value-imports" not in run(checker, "DE", seller(), own_site("DE", "XI", 20))


def test_ioss_eu_established_seller_needs_no_intermediary(checker):
    own = {"type": "ioss", "country": "NL", "number": "IM5280000001"}
    s = seller(established_in="NL", registrations=[own])
    assert_pass(run(checker, "DE", s, own_site("DE", "CN", 50), HS)["eu.vat.ioss-low-value-imports"])
    s = seller(registrations=[own])  # the same number held by a Chinese seller in its own name
    f = run(checker, "DE", s, own_site("DE", "CN", 50), HS)["eu.vat.ioss-low-value-imports"]
    assert_fail(f, "warning", "not held by the ioss-intermediary")


# ------------------------------------------------------------------------------------------ GBP 135


GB_VAT = {"type": "vat", "country": "GB", "number": "GB123456789"}


@pytest.mark.parametrize("amount,applies", [(134.99, True), (135, True), (135.01, False)])
def test_gb_low_value_consignments_up_to_and_including_gbp_135(checker, amount, applies):
    f = run(checker, "GB", seller(), own_site("GB", "CN", amount, "GBP")).get("gb.vat.low-value-consignments")
    if applies:
        assert_fail(f, "error", "GBP 135 or less", "UK VAT registration (GB + 9 digits)")
    else:
        assert f is None, f.message


@pytest.mark.parametrize("amount,applies", [(134.99, True), (135, True), (135.01, False)])
def test_gb_low_value_registered_own_shop_passes(checker, amount, applies):
    listing = own_site("GB", "CN", 500, "GBP", consignment=(amount, "GBP"))
    f = run(checker, "GB", seller(registrations=[GB_VAT]), listing).get("gb.vat.low-value-consignments")
    if applies:
        assert_pass(f)
    else:
        assert f is None, f.message


def test_gb_low_value_other_currency_is_a_warning_asking_for_gbp(checker):
    f = run(checker, "GB", seller(), own_site("GB", "CN", 120, "EUR"))["gb.vat.low-value-consignments"]
    assert_fail(f, "warning", "consignment value in GBP", "needed if the consignment is worth GBP 135 or less")


def test_gb_low_value_through_a_marketplace_passes_and_deemed_supplier_checks_tax_collection(checker):
    listing = {"marketplace": "amazon", "market": "GB", "ships_from": "CN", "price": {"amount": 20, "currency": "GBP"},
               "tax_collected_by": "seller"}
    out = run(checker, "GB", seller(), listing)
    assert_pass(out["gb.vat.low-value-consignments"])
    assert_fail(out["gb.vat.marketplace-deemed-supplier"], "warning", "tax_collected_by: marketplace")
    listing = dict(listing, price={"amount": 135.01, "currency": "GBP"})  # import above GBP 135: not the OMP's VAT
    assert "gb.vat.marketplace-deemed-supplier" not in run(checker, "GB", seller(), listing)


# ------------------------------------------------------------------------------------------ EUR 10 000 (OSS)


DE_SELLER = {"kind": "Seller", "name": "Leipzig Limits GmbH", "established_in": "DE", "stock_locations": ["DE"],
             "registrations": [{"type": "vat", "country": "DE", "number": "DE123456789"}]}


@pytest.mark.parametrize("field", ["eu_distance_sales_eur_current_year", "eu_distance_sales_eur_previous_year"])
@pytest.mark.parametrize("value,ok", [(9999.99, True), (10000, True), (10000.01, False)])
def test_distance_sales_threshold_eur_10000_in_each_calendar_year(checker, field, value, ok):
    s = seller(DE_SELLER, eu_distance_sales_eur_current_year=5000, eu_distance_sales_eur_previous_year=5000)
    s[field] = value
    f = run(checker, "FR", s, own_site("FR", "DE", 30))["eu.vat.distance-sales-oss"]
    if ok:
        assert_pass(f)
    else:
        assert_fail(f, "error", "VAT of FR is due", "OSS (Union scheme) registration")


@pytest.mark.parametrize("value,ok", [(9999.99, True), (10000, True), (10000.01, False)])
def test_distance_sales_rolling_12_months_only_as_fallback(checker, value, ok):
    s = seller(DE_SELLER, eu_distance_sales_eur_last_12m=value)
    f = run(checker, "FR", s, own_site("FR", "DE", 30))["eu.vat.distance-sales-oss"]
    assert f.status == ("pass" if ok else "fail"), f.message
    # One calendar year given, the other unknown: the threshold is not granted (conservative).
    s = seller(DE_SELLER, eu_distance_sales_eur_current_year=100, eu_distance_sales_eur_last_12m=100)
    assert_fail(run(checker, "FR", s, own_site("FR", "DE", 30))["eu.vat.distance-sales-oss"])


def test_distance_sales_threshold_only_from_the_home_country(checker):
    s = seller(DE_SELLER, stock_locations=["DE", "PL"], eu_distance_sales_eur_current_year=100,
               eu_distance_sales_eur_previous_year=100)
    assert_pass(run(checker, "FR", s, own_site("FR", "DE", 30))["eu.vat.distance-sales-oss"])
    assert_fail(run(checker, "FR", s, own_site("FR", "PL", 30))["eu.vat.distance-sales-oss"])
    oss = {"type": "oss", "country": "DE", "number": "DE123456789"}
    s["registrations"] = s["registrations"] + [oss]
    assert_pass(run(checker, "FR", s, own_site("FR", "PL", 30))["eu.vat.distance-sales-oss"])


def test_non_eu_seller_has_no_threshold_and_needs_dispatch_country_vat(checker):
    s = seller(stock_locations=["DE"], eu_distance_sales_eur_current_year=10, eu_distance_sales_eur_previous_year=10,
               registrations=[{"type": "oss", "country": "DE", "number": "DE999999999"}])
    out = run(checker, "FR", s, own_site("FR", "DE", 30))
    assert_pass(out["eu.vat.distance-sales-oss"])
    assert_fail(out["eu.vat.non-eu-seller-own-site"], "error", "VAT registration in the EU country the goods ship from")
    # A Norwegian seller is outside the EU VAT area even though the GDPR treats it as EEA.
    out = run(checker, "FR", seller(s, established_in="NO"), own_site("FR", "DE", 30))
    assert_fail(out["eu.vat.non-eu-seller-own-site"])


# ------------------------------------------------------------------------------------------ 20 persons (BDSG)


@pytest.mark.parametrize("staff,applies", [(19, False), (20, True), (21, True)])
def test_bdsg_dpo_from_20_persons(checker, staff, applies):
    s = {"kind": "Seller", "name": "Köln Limits GmbH", "established_in": "DE",
         "privacy": {"processes_personal_data_of": ["DE"], "staff_processing_personal_data": staff}}
    f = run(checker, "DE", s).get("eu.gdpr.dpo")
    if applies:
        assert_fail(f, "error", "data protection officer")
    else:
        assert f is None, f.message


def test_bdsg_headcount_binds_only_german_controllers(checker):
    s = {"kind": "Seller", "name": "Paris Limites SAS", "established_in": "FR",
         "privacy": {"processes_personal_data_of": ["DE"], "staff_processing_personal_data": 50}}
    assert "eu.gdpr.dpo" not in run(checker, "DE", s)


# ------------------------------------------------------------------------------------------ GDPR dates


GDPR_CN = {"kind": "Seller", "name": "Ningbo Dates Co., Ltd.", "established_in": "CN",
           "privacy": {"processes_personal_data_of": ["EU", "GB"]}}


@pytest.mark.parametrize("day,applies", [(dt.date(2018, 5, 24), False), (dt.date(2018, 5, 25), True)])
def test_gdpr_representative_from_25_may_2018(checker, day, applies):
    f = run(checker, "DE", seller(GDPR_CN), as_of=day).get("eu.gdpr.art27-representative")
    if applies:
        assert_fail(f, "error", "GDPR Art 27", "EU representative")
    else:
        assert f is None, f.message


@pytest.mark.parametrize("market", ["IS", "LI", "NO"])
def test_gdpr_applies_in_the_eea_efta_states(checker, market):
    assert_fail(run(checker, market, seller(GDPR_CN))["eu.gdpr.art27-representative"])


@pytest.mark.parametrize("day,applies", [(dt.date(2020, 12, 31), False), (dt.date(2021, 1, 1), True)])
def test_uk_gdpr_representative_from_1_january_2021(checker, day, applies):
    s = seller(GDPR_CN, privacy={"processes_personal_data_of": ["EU", "GB"],
                                 "eu_representative": {"name": "Rep GmbH", "address": "Berlin", "country": "DE"}})
    f = run(checker, "GB", s, as_of=day).get("gb.gdpr.art27-representative")
    if applies:
        assert_fail(f, "error", "UK GDPR Art 27", "an EU representative does not count")
    else:
        assert f is None, f.message


def test_uk_gdpr_covers_northern_ireland(checker):
    assert_fail(run(checker, "XI", seller(GDPR_CN, privacy={"processes_personal_data_of": ["XI"]}))["gb.gdpr.art27-representative"])


def uk_transfer_seller(mechanism, docs=()):
    return {"kind": "Seller", "name": "Xiamen Transfers Co., Ltd.", "established_in": "CN", "stock_locations": ["GB"],
            "documents": [dict(d) for d in docs], "privacy": {"processes_personal_data_of": ["GB"], "transfer_mechanism": mechanism}}


FBA_GB = {"marketplace": "amazon", "market": "GB", "ships_from": "GB", "price": {"amount": 20, "currency": "GBP"}}


@pytest.mark.parametrize("day,expected", [
    (dt.date(2022, 3, 20), None),          # before the IDTA and UK Addendum: rule not in force
    (dt.date(2022, 3, 21), "warning"),     # old EU SCCs still usable under the transitional provisions
    (dt.date(2024, 3, 20), "warning"),
    (dt.date(2024, 3, 21), "error"),       # transition over: escalates to error
])
def test_uk_transfer_idta_dates_and_old_scc_escalation(checker, day, expected):
    f = run(checker, "GB", uk_transfer_seller("scc"), FBA_GB, as_of=day).get("gb.gdpr.transfer-mechanism")
    if expected is None:
        assert f is None, f.message
    else:
        assert_fail(f, expected, "EU SCCs alone are not valid for UK transfers")


@pytest.mark.parametrize("day", [dt.date(2022, 3, 21), dt.date(2025, 1, 1)])
def test_uk_transfer_none_is_an_error_throughout_and_addendum_passes(checker, day):
    assert_fail(run(checker, "GB", uk_transfer_seller("none"), FBA_GB, as_of=day)["gb.gdpr.transfer-mechanism"],
                "error", "any transfer safeguard at all")
    docs = [{"id": "a", "type": "transfer-agreement-uk-addendum", "issued": "2022-03-21"},
            {"id": "t", "type": "transfer-impact-assessment", "covers": ["UK-GDPR"], "issued": "2022-03-21"}]
    assert_pass(run(checker, "GB", uk_transfer_seller("scc", docs), FBA_GB, as_of=day)["gb.gdpr.transfer-mechanism"])


@pytest.mark.parametrize("day,exempt_wording", [(dt.date(2026, 2, 4), False), (dt.date(2026, 2, 5), True)])
def test_pecr_duaa_changes_on_5_february_2026(checker, day, exempt_wording):
    s = {"kind": "Seller", "name": "Shop Ltd", "established_in": "CN", "privacy": {"cookie_consent": False}}
    f = run(checker, "GB", s, own_site("GB", "CN", 10, "GBP"), as_of=day)["gb.gdpr.cookie-consent"]
    assert_fail(f, "error")
    if exempt_wording:
        assert "Schedule A1" in f.message and "GBP 17.5 million" in f.message, f.message
    else:
        assert "analytics cookies need consent too" in f.message and "Schedule A1" not in f.message, f.message


@pytest.mark.parametrize("day,adequate", [(dt.date(2026, 1, 27), False), (dt.date(2026, 1, 28), True)])
def test_brazil_adequacy_from_28_january_2026(checker, day, adequate):
    s = {"kind": "Seller", "name": "Praia Ltda", "established_in": "BR",
         "privacy": {"processes_personal_data_of": ["EU"], "transfer_mechanism": "adequacy",
                     "receives_data_from_eu_entities": True}}
    f = run(checker, "ES", s, as_of=day).get("eu.gdpr.transfer-mechanism")
    if adequate:
        assert f is None, f.message
    else:
        assert_fail(f, "error", "without an EU adequacy decision")


def test_transfer_severity_by_situation(checker):
    base = {"kind": "Seller", "name": "X", "established_in": "CN", "privacy": {"processes_personal_data_of": ["EU"]}}
    # Data from EU parties (marketplace order data) and no safeguard: error.
    s = seller(base, privacy=dict(base["privacy"], transfer_mechanism="none", receives_data_from_eu_entities=True))
    assert_fail(run(checker, "DE", s)["eu.gdpr.transfer-mechanism"], "error")
    # Direct collection on the seller's own shop only: not a transfer in the EDPB reading, warning.
    s = seller(base, privacy=dict(base["privacy"], transfer_mechanism="none", receives_data_from_eu_entities=False))
    assert_fail(run(checker, "DE", s)["eu.gdpr.transfer-mechanism"], "warning", "EDPB Guidelines 05/2021")
    # A US seller claiming adequacy: only DPF-certified organisations are covered, warning.
    s = seller(base, established_in="US", privacy=dict(base["privacy"], transfer_mechanism="adequacy",
                                                       receives_data_from_eu_entities=True))
    assert_fail(run(checker, "DE", s)["eu.gdpr.transfer-mechanism"], "warning", "Data Privacy Framework")


# ------------------------------------------------------------------------------------------ VAT dates


@pytest.mark.parametrize("day,in_force", [(dt.date(2021, 6, 30), False), (dt.date(2021, 7, 1), True)])
def test_ecommerce_vat_package_from_1_july_2021(checker, day, in_force):
    s = seller(stock_locations=["CN", "PL"])
    out = run(checker, "DE", s, own_site("DE", "PL", 40), as_of=day)
    for rule in ("eu.vat.distance-sales-oss", "eu.vat.non-eu-seller-own-site"):
        assert (rule in out) is in_force, rule
    assert_fail(out["eu.vat.stock-location-registration"])  # a standing duty, not tied to the package
    assert ("eu.vat.ioss-low-value-imports" in run(checker, "DE", seller(), own_site("DE", "CN", 40), as_of=day)) is in_force


@pytest.mark.parametrize("day,needs_hs", [(dt.date(2026, 6, 30), False), (dt.date(2026, 7, 1), True),
                                          (dt.date(2028, 6, 30), True), (dt.date(2028, 7, 1), False)])
def test_eur_3_parcel_duty_note_from_1_july_2026_until_1_july_2028(checker, day, needs_hs):
    s = seller(registrations=[IOSS_VIA_INTERMEDIARY])
    f = run(checker, "DE", s, own_site("DE", "CN", 40), as_of=day)["eu.vat.ioss-low-value-imports"]
    if needs_hs:
        assert_fail(f, "warning", "EUR 3 customs duty", "hs_code")
    else:
        assert_pass(f)
    assert_pass(run(checker, "DE", s, own_site("DE", "CN", 40), HS, as_of=day)["eu.vat.ioss-low-value-imports"])


@pytest.mark.parametrize("rule,day,in_force", [
    ("gb.vat.netp-registration", dt.date(2012, 11, 30), False),
    ("gb.vat.netp-registration", dt.date(2012, 12, 1), True),
    ("gb.vat.low-value-consignments", dt.date(2020, 12, 31), False),
    ("gb.vat.low-value-consignments", dt.date(2021, 1, 1), True),
])
def test_gb_vat_dates(checker, rule, day, in_force):
    listing = own_site("GB", "GB" if rule == "gb.vat.netp-registration" else "CN", 20, "GBP")
    assert (rule in run(checker, "GB", seller(stock_locations=["GB"]), listing, as_of=day)) is in_force


def test_netp_marketplace_only_seller_gets_a_warning(checker):
    s = seller(stock_locations=["GB"])
    assert_fail(run(checker, "GB", s, own_site("GB", "GB", 20, "GBP"))["gb.vat.netp-registration"], "error")
    assert_fail(run(checker, "GB", s, FBA_GB)["gb.vat.netp-registration"], "warning", "online marketplaces")
    s = seller(stock_locations=["GB"], registrations=[dict(GB_VAT, number="123456789")])
    assert_fail(run(checker, "GB", s, FBA_GB)["gb.vat.netp-registration"], "warning", "expected format")


# ------------------------------------------------------------------------------------------ stock countries


def test_stock_registration_lists_each_missing_country_and_greek_el_prefix(checker):
    s = seller(stock_locations=["CN", "GR"], amazon_programs=["pan-eu"],
               registrations=[{"type": "vat", "country": c, "number": f"{c}123456789"} for c in ("DE", "FR", "IT", "ES")]
               + [{"type": "vat", "country": "GR", "number": "GR123456789"}])
    f = run(checker, "DE", s)["eu.vat.stock-location-registration"]
    assert_fail(f, "error", "EL (not GR)")
    details = " ".join(d.get("detail", "") for d in f.missing_documents)
    assert "(CZ)" in details and "(PL)" in details and "(DE)" not in details, details
    s["registrations"][-1]["number"] = "EL123456789"
    s["registrations"] += [{"type": "vat", "country": c, "number": f"{c}123456789"} for c in ("PL", "CZ")]
    assert_pass(run(checker, "DE", s)["eu.vat.stock-location-registration"])


# ------------------------------------------------------------------------------------------ data tables


def _load(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _fact(pack_file, name):
    pack = _load(EU / pack_file)
    return next(d["when"] for d in pack["derive"] if d["fact"] == name)


def test_eu_adequacy_table_matches_the_pack():
    table = {e["country"] for e in _load(EU / "data" / "gdpr-adequacy.yaml")["entries"]}
    when = _fact("gdpr.yaml", "gdpr-adequate-establishment")["any"]
    inline = set(when[0]["in"]) | {when[1]["all"][0]["equals"]}  # the dated Brazil entry
    assert inline | {"US"} == table  # the US (DPF-certified only) is handled by a warning, not the fact
    assert "BR" in table and "CN" not in table


def test_uk_adequacy_table_matches_the_pack():
    table = {e["country"] for e in _load(EU / "data" / "uk-adequacy.yaml")["entries"]}
    when = _fact("gb-gdpr.yaml", "gb-gdpr-adequate-establishment")["any"]
    inline = {("EEA" if c in ("EU", "IS", "LI", "NO") else c) for c in when[0]["in"]} | {when[1]["all"][0]["equals"]}
    assert inline | {"US"} == table
    assert "FO" not in table and "BR" not in table


def test_vat_rate_table_covers_eu27_and_gb_each_with_a_source():
    table = _load(EU / "data" / "eu-vat-rates.yaml")
    rows = {e["country"]: e for e in table["entries"]}
    assert sorted(rows) == sorted(EU27 + ["GB"])
    assert all(str(e["source"]).startswith("https://") for e in rows.values())
    assert all(15 <= e["standard_pct"] <= 27 for e in rows.values())  # EU floor 15 %; Hungary highest
    expected = {"HU": 27, "LU": 17, "FI": 25.5, "EE": 24, "RO": 21, "SK": 23, "DE": 19, "GB": 20}
    assert {c: rows[c]["standard_pct"] for c in expected} == expected
    assert rows["GR"]["vat_prefix"] == "EL" and rows["BG"]["currency"] == "EUR"
    assert all(e["vat_prefix"] == e["country"] for c, e in rows.items() if c != "GR")
