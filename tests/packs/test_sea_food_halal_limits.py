"""Dates and limits of the SEA food packs (id.food, th.food, sg.food, vn.food, ph.food) and the Indonesian
halal pack (id.halal), as a user sees them: for every halal phase a check on both sides of its date
(2024-10-17 / 2024-10-18 for medium and large domestic food businesses; 2026-10-17 / 2026-10-18 for
imported food, micro and small businesses and the stage-2 groups such as cosmetics), and the switches the
rules hinge on (origin, business size, non-halal material, supplement vs food).

The checker loads only these packs, sea/common.yaml (the shared SEA facts) and the label-language table,
copied from rulepacks/sea/, so the tests do not depend on packs other authors are still writing."""

from __future__ import annotations

import datetime as dt

import pytest

from compliance_engine import Checker
from tests.conftest import AS_OF, assert_status, checker_over

D = dt.date
PACK_FILES = ["common.yaml", "id-food.yaml", "th-food.yaml", "sg-food.yaml", "vn-food.yaml", "ph-food.yaml",
              "id-halal.yaml"]
DATA_FILES = ["sea-label-languages.yaml"]

FB = "id.halal.food-beverage"
OTHER = "id.halal.cosmetics-and-other"
NONHALAL = "id.halal.non-halal-statement"


@pytest.fixture(scope="module")
def checker(tmp_path_factory) -> Checker:
    return checker_over(tmp_path_factory, "sea", PACK_FILES, DATA_FILES)


def findings(checker, product, market="ID", as_of=AS_OF, listing=None, seller=None):
    return {f.rule: f for f in checker.check(product, market, listing=listing, seller=seller, as_of=as_of)}


def product(category="food", origin="CN", market="ID", **extra):
    p = {"kind": "Product", "sku": "LIM-SEA-FOOD-1", "category": category, "markets": [market]}
    if origin is not None:
        p["country_of_origin"] = origin
    p.update(extra)
    return p


def seller(size=None, established_in="CN"):
    s = {"kind": "Seller", "name": "Test Foods Trading Co.", "established_in": established_in}
    if size:
        s["entity_size"] = size
    return s


HALAL_OK = {
    "halal": {"status": "halal-certified", "certificate": "hc-1"},
    "labelling": {"marks": ["halal-id"]},
    "documents": [{"id": "hc-1", "type": "halal-certificate", "issued": "2024-01-10",
                   "issuer": {"name": "BPJPH", "role": "certification-body", "country": "ID"}}],
}


# =================================================================== id.halal.food-beverage phases
# Imported food: warning during the transition (from 2019-10-17) up to 2026-10-17, error from 2026-10-18.
@pytest.mark.parametrize("as_of,severity", [
    (D(2019, 10, 16), None),          # before stage 1 began: no finding
    (D(2019, 10, 17), "warning"),     # transition starts
    (D(2024, 10, 18), "warning"),     # the 2024 date does not apply to imported food
    (D(2026, 10, 17), "warning"),     # last day of the postponed deadline
    (D(2026, 10, 18), "error"),       # obligation for imported food
])
def test_halal_food_imported_phase(checker, as_of, severity):
    f = findings(checker, product(origin="MY"), as_of=as_of).get(FB)
    if severity is None:
        assert f is None
    else:
        assert_status(f, "fail", severity, "Indonesian halal certification", "halal certificate",
                      "SIHALAL")


# Medium and large domestic businesses: error from 2024-10-18.
@pytest.mark.parametrize("size", ["medium", "large"])
@pytest.mark.parametrize("as_of,severity", [(D(2024, 10, 17), "warning"), (D(2024, 10, 18), "error")])
def test_halal_food_domestic_medium_large_phase(checker, size, as_of, severity):
    f = findings(checker, product(origin="ID"), as_of=as_of, seller=seller(size, "ID"))[FB]
    assert_status(f, "fail", severity, "halal certificate")
    assert ("mandatory since 18 Oct 2024" in f.message) is (severity == "error")
    assert "SIHALAL" not in f.message          # domestic product: no foreign-certificate registration


# Micro and small domestic businesses: postponed to the 2026 date like imports.
@pytest.mark.parametrize("size", ["micro", "small"])
@pytest.mark.parametrize("as_of,severity", [
    (D(2024, 10, 18), "warning"), (D(2026, 10, 17), "warning"), (D(2026, 10, 18), "error")])
def test_halal_food_domestic_micro_small_phase(checker, size, as_of, severity):
    f = findings(checker, product(origin="ID"), as_of=as_of, seller=seller(size, "ID"))[FB]
    assert_status(f, "fail", severity, "halal certificate")


def test_halal_food_unknown_origin_and_size_count_as_first_phase(checker):
    # No country_of_origin, no seller: treated as a medium/large domestic business (conservative).
    f = findings(checker, product(origin=None), as_of=D(2024, 10, 18))[FB]
    assert_status(f, "fail", "error", "country_of_origin or seller entity_size")


@pytest.mark.parametrize("as_of", [D(2024, 10, 18), D(2026, 10, 18)])
def test_halal_food_certified_domestic_passes(checker, as_of):
    f = findings(checker, product(origin="ID", **HALAL_OK), as_of=as_of, seller=seller("large", "ID"))[FB]
    assert_status(f, "pass")


def test_halal_food_imported_bpjph_certificate_needs_no_sihalal(checker):
    f = findings(checker, product(origin="MY", **HALAL_OK), as_of=D(2026, 10, 18))[FB]
    assert_status(f, "pass")


def test_halal_food_imported_foreign_certificate_needs_sihalal(checker):
    p = product(origin="MY", **HALAL_OK)
    p["documents"] = [{"id": "hc-1", "type": "halal-certificate", "issued": "2025-01-10",
                       "issuer": {"name": "JAKIM", "role": "certification-body", "country": "MY"}}]
    f = findings(checker, p, as_of=D(2026, 10, 18))[FB]
    assert_status(f, "fail", "error", "SIHALAL")
    p["registrations"] = [{"type": "bpjph-foreign-halal-registration", "market": "ID", "number": "SH-1",
                           "issued": "2025-02-01"}]
    assert_status(findings(checker, p, as_of=D(2026, 10, 18))[FB], "pass")


def test_halal_food_missing_label_only(checker):
    p = product(origin="ID", **HALAL_OK)
    p["labelling"] = {"marks": []}
    f = findings(checker, p, as_of=D(2025, 1, 1), seller=seller("large", "ID"))[FB]
    assert_status(f, "fail", "error", "halal label")


@pytest.mark.parametrize("halal", [{"status": "non-halal"}, {"status": "unknown", "contains_non_halal_material": True}])
def test_non_halal_food_is_exempt_from_certification(checker, halal):
    res = findings(checker, product(origin="SG", halal=halal), as_of=D(2026, 10, 18))
    assert FB not in res
    assert_status(res[NONHALAL], "fail", "error", "non-halal statement")


# =================================================================== id.halal.cosmetics-and-other (stage 2)
@pytest.mark.parametrize("category,extra", [
    ("cosmetics", {}),
    ("dietary-supplement", {}),
    ("food-contact", {}),
    ("other", {"food_contact": True}),
    ("footwear", {"halal": {"status": "unknown", "animal_derived": True}}),
])
@pytest.mark.parametrize("as_of,present", [(D(2026, 10, 17), False), (D(2026, 10, 18), True)])
def test_halal_stage2_starts_2026_10_18(checker, category, extra, as_of, present):
    f = findings(checker, product(category=category, **extra), as_of=as_of).get(OTHER)
    if not present:
        assert f is None
    else:
        assert_status(f, "fail", "error", "mandatory from 18 Oct 2026", "halal certificate", "halal label")


def test_halal_stage2_apparel_without_animal_material_out_of_scope(checker):
    res = findings(checker, product(category="apparel", halal={"status": "unknown", "animal_derived": False}),
                   as_of=D(2026, 11, 24))
    assert OTHER not in res


def test_halal_stage2_certified_cosmetic_passes(checker):
    assert_status(findings(checker, product(category="cosmetics", **HALAL_OK))[OTHER], "pass")


def test_halal_stage2_food_is_not_stage2(checker):
    assert OTHER not in findings(checker, product(category="food"))


# =================================================================== id.halal.non-halal-statement
@pytest.mark.parametrize("as_of,present", [(D(2024, 10, 17), False), (D(2024, 10, 18), True)])
def test_non_halal_statement_food_from_2024_10_18(checker, as_of, present):
    p = product(origin="SG", halal={"status": "non-halal", "contains_non_halal_material": True})
    f = findings(checker, p, as_of=as_of).get(NONHALAL)
    if present:
        assert_status(f, "fail", "error", "tidak halal")
    else:
        assert f is None


@pytest.mark.parametrize("as_of,present", [(D(2026, 10, 17), False), (D(2026, 10, 18), True)])
def test_non_halal_statement_cosmetic_follows_stage2(checker, as_of, present):
    p = product(category="cosmetics", halal={"status": "unknown", "contains_non_halal_material": True})
    res = findings(checker, p, as_of=as_of)
    assert OTHER not in res
    assert (NONHALAL in res) is present


def test_non_halal_statement_present_passes(checker):
    p = product(origin="SG", halal={"status": "non-halal"}, labelling={"marks": ["non-halal-statement"]})
    assert_status(findings(checker, p)[NONHALAL], "pass")


def test_halal_rules_only_in_indonesia(checker):
    res = findings(checker, product(origin="MY", market="MY"), market="MY", as_of=D(2026, 10, 18))
    assert not [r for r in res if r.startswith("id.")]


# =================================================================== id.food
def test_id_food_ml_missing_and_english_label(checker):
    f = findings(checker, product(labelling={"languages": ["en"]}))["id.food.bpom-ml"]
    assert_status(f, "fail", "error", "BPOM RI ML", "Bahasa Indonesia")


@pytest.mark.parametrize("number,status", [
    ("BPOM RI ML 12345678901", "fail"),        # 11 digits: just below the accepted 12
    ("BPOM RI ML 123456789012", "pass"),       # 12 digits
    ("BPOM RI ML 123456789012345", "pass"),    # 15 digits
    ("BPOM RI ML 1234567890123456", "fail"),   # 16 digits: just above
])
def test_id_food_ml_number_format_is_a_warning(checker, number, status):
    p = product(labelling={"languages": ["id"]}, registrations=[
        {"type": "bpom-ml", "market": "ID", "number": number, "issued": "2024-01-01",
         "holder": {"role": "importer", "name": "PT Impor", "country": "ID"}},
        {"type": "id-api", "market": "ID", "number": "API-1", "issued": "2024-01-01"}])
    f = findings(checker, p)["id.food.bpom-ml"]
    if status == "pass":
        assert_status(f, "pass")
    else:
        assert_status(f, "fail", "warning", "12-15 digits")


@pytest.mark.parametrize("as_of,present", [(D(2014, 6, 24), False), (D(2014, 6, 25), True)])
def test_id_food_ml_start_date(checker, as_of, present):
    assert ("id.food.bpom-ml" in findings(checker, product(), as_of=as_of)) is present


def test_id_food_supplement_needs_si_not_ml(checker):
    res = findings(checker, product(category="dietary-supplement"))
    assert "id.food.bpom-ml" not in res
    assert_status(res["id.food.bpom-supplement"], "fail", "error", "SI number")
    p = product(category="dietary-supplement", registrations=[
        {"type": "bpom-si", "market": "ID", "number": "POM SI 1", "issued": "2024-01-01"}])
    # registered, but no holder recorded: only the warning-level importer requirement fails
    assert_status(findings(checker, p)["id.food.bpom-supplement"], "fail", "warning", "appointed")


# =================================================================== th.food
@pytest.mark.parametrize("number,status", [
    ("10-3-12345-2-0001", "pass"),     # 13 digits in five groups
    ("1031234520001", "pass"),         # 13 digits without dashes
    ("103123452000", "fail"),          # 12 digits
    ("10312345200011", "fail"),        # 14 digits
])
def test_th_food_serial_number_is_13_digits(checker, number, status):
    p = product(market="TH", labelling={"languages": ["th"]}, registrations=[
        {"type": "th-fda-food-number", "market": "TH", "number": number, "issued": "2024-01-01",
         "holder": {"role": "importer", "name": "Siam Import", "country": "TH"}}])
    f = findings(checker, p, market="TH")["th.food.fda-number"]
    if status == "pass":
        assert_status(f, "pass")
    else:
        assert_status(f, "fail", "warning", "13-digit")


def test_th_food_missing_number_and_thai_label(checker):
    f = findings(checker, product(category="dietary-supplement", market="TH", labelling={"languages": ["en"]}),
                 market="TH")["th.food.fda-number"]
    assert_status(f, "fail", "error", "Thailand", "serial number", "Thai")


@pytest.mark.parametrize("as_of,present", [(D(2014, 12, 2), False), (D(2014, 12, 3), True)])
def test_th_food_start_date(checker, as_of, present):
    assert ("th.food.fda-number" in findings(checker, product(market="TH"), market="TH", as_of=as_of)) is present


# =================================================================== sg.food
def test_sg_food_imported_needs_sfa_importer(checker):
    f = findings(checker, product(market="SG"), market="SG")["sg.food.sfa-import"]
    assert_status(f, "fail", "error", "Singapore", "SFA registration or licence")


def test_sg_food_supplement_is_only_a_warning(checker):
    f = findings(checker, product(category="dietary-supplement", market="SG"), market="SG")["sg.food.sfa-import"]
    assert_status(f, "fail", "warning", "HSA health supplement")


def test_sg_food_local_product_sold_locally_out_of_scope(checker):
    res = findings(checker, product(origin="SG", market="SG"), market="SG", seller=seller(established_in="SG"))
    assert "sg.food.sfa-import" not in res


def test_sg_food_seller_level_registration_passes(checker):
    s = seller()
    s["registrations"] = [{"type": "sfa-importer-licence", "country": "SG", "number": "SFA-1", "issued": "2024-01-01"}]
    assert_status(findings(checker, product(category="food-contact", market="SG"), market="SG", seller=s)
                  ["sg.food.sfa-import"], "pass")


@pytest.mark.parametrize("as_of,present", [(D(2019, 3, 31), False), (D(2019, 4, 1), True)])
def test_sg_food_start_date(checker, as_of, present):
    assert ("sg.food.sfa-import" in findings(checker, product(market="SG"), market="SG", as_of=as_of)) is present


# =================================================================== vn.food
@pytest.mark.parametrize("category,reg,status", [
    ("food", "vn-food-self-declaration", "pass"),
    ("food", "vn-food-declaration-registration", "pass"),
    ("dietary-supplement", "vn-food-self-declaration", "fail"),
    ("dietary-supplement", "vn-food-declaration-registration", "pass"),
])
def test_vn_food_declaration_mode(checker, category, reg, status):
    p = product(category=category, market="VN", labelling={"languages": ["vi"]},
                registrations=[{"type": reg, "market": "VN", "number": "1/2025", "issued": "2025-01-01"}])
    f = findings(checker, p, market="VN")["vn.food.self-declaration"]
    if status == "pass":
        assert_status(f, "pass")
    else:
        assert_status(f, "fail", "error", "registered product declaration")


def test_vn_food_vietnamese_label(checker):
    p = product(market="VN", labelling={"languages": ["en"]},
                registrations=[{"type": "vn-food-self-declaration", "market": "VN", "number": "1", "issued": "2025-01-01"}])
    assert_status(findings(checker, p, market="VN")["vn.food.self-declaration"], "fail", "error", "Vietnamese")


@pytest.mark.parametrize("as_of,present", [(D(2018, 2, 1), False), (D(2018, 2, 2), True)])
def test_vn_food_start_date(checker, as_of, present):
    assert ("vn.food.self-declaration" in findings(checker, product(market="VN"), market="VN", as_of=as_of)) is present


# =================================================================== ph.food
def test_ph_food_cpr_expiry_day(checker):
    # `expires` is the last valid day: valid on it, expired the day after.
    p = product(market="PH", registrations=[
        {"type": "ph-fda-cpr", "market": "PH", "number": "FR-1", "issued": "2021-01-01", "expires": "2026-06-30"},
        {"type": "ph-fda-lto", "market": "PH", "number": "LTO-1", "issued": "2021-01-01",
         "holder": {"role": "importer", "name": "Manila Import", "country": "PH"}}])
    assert_status(findings(checker, p, market="PH", as_of=D(2026, 6, 30))["ph.food.fda-cpr"], "pass")
    assert_status(findings(checker, p, market="PH", as_of=D(2026, 7, 1))["ph.food.fda-cpr"], "fail", "error",
                  "Certificate of Product Registration")


def test_ph_food_needs_lto(checker):
    p = product(market="PH", registrations=[
        {"type": "ph-fda-cpr", "market": "PH", "number": "FR-1", "issued": "2021-01-01"}])
    assert_status(findings(checker, p, market="PH")["ph.food.fda-cpr"], "fail", "error", "License to Operate")
