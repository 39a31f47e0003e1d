"""Requirement checks are plain functions: each is tested here on small units."""

from __future__ import annotations

import datetime as dt

import pytest

from compliance_engine.packs.model import DataTable
from compliance_engine.requirements import (
    Context, check_contact_on_pack, check_descending, check_document, check_field, check_languages,
    check_limit, check_operator, check_registration, check_schema, check_substance_limit, check_substances_absent)
from compliance_engine.loading import load_text
from compliance_engine.units import CheckUnit, Source

AS_OF = dt.date(2026, 1, 10)
LANGS = DataTable("langs", "t", ["https://x"], "2026-01-01", {"DE": ["de"], "BE": {"all": ["nl", "fr"]}}, "x")
BANNED = DataTable("banned", "t", ["https://x"], "2026-01-01", [
    {"name": "Mercury", "cas": "7439-97-6", "synonyms": ["calomel"]},
    {"name": "Hexachlorophene", "cas": "70-30-4", "max_pct": 0.1}], "x")


def ctx(product=None, market="DE", listing=None, seller=None, tmp_path=None):
    product = {"sku": "S", "category": "toys", **(product or {})}
    unit = CheckUnit(product, market, listing, seller, Source("p.yaml", None), Source("p.yaml", None, "listings[0]") if listing else None,
                     Source("s.yaml", None) if seller else None)
    return Context(unit, AS_OF, {"langs": LANGS, "banned": BANNED})


DOC = {"id": "d", "type": "eu-declaration-of-conformity", "covers": ["RED", "RoHS"],
       "standards": ["EN 300 328 V2.2.2"], "model": "X1", "issued": "2025-01-01"}


@pytest.mark.parametrize("change,ok,why", [
    ({}, True, None),
    ({"expires": "2026-01-09"}, False, "expired on 2026-01-09"),
    ({"expires": "2026-01-10"}, True, None),  # valid through its expiry date
    ({"issued": "2026-01-11"}, False, "after the check date"),
    ({"result": "fail"}, False, "failed result"),
    ({"covers": ["RED"]}, False, None),
    ({"standards": ["EN 301 489-1"]}, False, None),
    ({"model": "X2"}, False, "names model X2"),
])
def test_document_in_force_and_matching(change, ok, why):
    c = ctx({"identifiers": {"model": "X1"}, "documents": [dict(DOC, **change)]})
    out = check_document({"type": "eu-declaration-of-conformity", "covers": ["RoHS"], "standards": ["EN 300 328"], "model": True}, c)
    assert out.ok is ok
    if not ok:
        assert out.missing_documents == [{"type": "eu-declaration-of-conformity",
                                          "detail": "covering RoHS, to EN 300 328, naming the product's model"}]
        if why:
            assert any(why in p for p in out.problems), out.problems


def test_document_file_must_exist_relative_to_its_manifest(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "there.pdf").write_text("x")
    text = ("kind: Product\nsku: F\ncategory: toys\ndocuments:\n"
            "  - {id: a, type: technical-file, file: docs/missing.pdf}\n")
    m = load_text(text, "p.yaml", tmp_path / "p.yaml").manifests[0]
    unit = CheckUnit(m.data, "DE", None, None, Source("p.yaml", m))
    out = check_document({"type": "technical-file"}, Context(unit, AS_OF, {}))
    assert not out.ok and "docs/missing.pdf does not exist" in out.problems[0]
    m.data["documents"][0]["file"] = "docs/there.pdf"
    assert check_document({"type": "technical-file"}, Context(unit, AS_OF, {})).ok


def test_seller_documents_count_at_level_any():
    c = ctx(seller={"documents": [{"id": "g", "type": "gdpr-representative-mandate"}]})
    assert check_document({"type": "gdpr-representative-mandate"}, c).ok
    assert not check_document({"type": "gdpr-representative-mandate", "level": "product"}, c).ok


def test_registration_market_expiry_and_age():
    regs = [{"type": "hsa-cosmetic-notification", "market": "SG", "number": "N1", "issued": "2025-01-10"}]
    c = ctx({"registrations": regs}, market="SG")
    assert check_registration({"type": "hsa-cosmetic-notification", "max_age_days": 365}, c).ok
    regs[0]["issued"] = "2025-01-09"  # 366 days before the check date
    out = check_registration({"type": "hsa-cosmetic-notification", "max_age_days": 365}, c)
    assert not out.ok and "366 days ago" in out.problems[0]
    assert out.missing_documents == [{"type": "hsa-cosmetic-notification", "kind": "registration", "detail": "for SG"}]
    assert not check_registration({"type": "hsa-cosmetic-notification"}, ctx({"registrations": regs}, market="ID")).ok
    eu = ctx({"registrations": [{"type": "cpnp-notification", "market": "EU", "number": "1"}]}, market="FR")
    assert check_registration({"type": "cpnp-notification"}, eu).ok
    seller = ctx(seller={"registrations": [{"type": "vat", "country": "DE", "number": "DE1", "expires": "2026-01-01"}]})
    assert not check_registration({"type": "vat"}, seller).ok


def test_field_operators_and_listing_paths():
    c = ctx({"labelling": {"marks": ["CE"], "net_quantity": "50 ml / 1.7 fl oz"}},
            listing={"marketplace": "amazon", "market": "DE", "displays": ["product-images"]})
    assert check_field({"path": "product.labelling.marks", "contains": "CE"}, c).ok
    out = check_field({"path": "listing.displays", "contains_all": ["product-images", "responsible-person"]}, c)
    assert out.missing_fields == ["listings[0].displays: responsible-person"]
    assert check_field({"path": "product.labelling.net_quantity", "matches": r"\bfl\.? oz\b"}, c).ok
    out = check_field({"path": "product.labelling.batch_code", "equals": True}, c)
    assert not out.ok and out.absent and out.missing_fields == ["labelling.batch_code"]


@pytest.mark.parametrize("value,ok", [(30000, True), (29999.9, True), (30000.1, False)])
def test_limit_at_just_below_and_above(value, ok):
    out = check_limit({"path": "product.package.weight_g", "max": 30000, "unit": "g"}, ctx({"package": {"weight_g": value}}))
    assert out.ok is ok
    if not ok:
        assert "above the limit of 30000 g" in out.problems[0]


def test_limit_exclusive():
    assert not check_limit({"path": "product.package.weight_g", "max": 10, "max_exclusive": True}, ctx({"package": {"weight_g": 10}})).ok


OPS = [{"jurisdiction": "GB", "role": "importer", "name": "UK Ltd", "address": "Leeds", "country": "GB", "email": "a@b"},
       {"jurisdiction": "EU", "role": "authorised-representative", "name": "Rep", "address": "Berlin", "country": "DE"}]


def test_operator_needs_same_entry_and_fields():
    spec = {"jurisdiction": "EU", "roles": ["importer", "authorised-representative"], "country_in": "jurisdiction",
            "fields": ["name", "address", "email"]}
    out = check_operator(spec, ctx({"economic_operators": OPS}))
    assert not out.ok and "has no email" in out.problems[0]
    ops = [OPS[0], dict(OPS[1], email="rep@x")]
    assert check_operator(spec, ctx({"economic_operators": ops})).ok
    ops = [OPS[0], dict(OPS[1], email="rep@x", country="CH")]
    assert "established in CH" in check_operator(spec, ctx({"economic_operators": ops})).problems[0]


def test_contact_on_pack_channels_and_absent():
    spec = {"role": "manufacturer", "channels_all": ["address"], "channels_any": ["email", "url"]}
    assert check_contact_on_pack(spec, ctx({"labelling": {"contacts_on_pack": [{"role": "manufacturer", "channels": ["address", "url"]}]}})).ok
    assert not check_contact_on_pack(spec, ctx({"labelling": {"contacts_on_pack": [{"role": "manufacturer"}]}})).ok
    assert check_contact_on_pack(spec, ctx({})).absent


def test_languages_any_and_all():
    assert check_languages({"path": "product.labelling.languages", "table": "langs"}, ctx({"labelling": {"languages": ["en", "de"]}})).ok
    be = {"path": "product.labelling.languages", "table": "langs"}
    assert not check_languages(be, ctx({"labelling": {"languages": ["nl"]}}, market="BE")).ok
    assert check_languages(be, ctx({"labelling": {"languages": ["fr", "nl"]}}, market="BE")).ok


def test_substances_cas_name_synonym_and_limits():
    spec = {"table": "banned"}
    assert check_substances_absent(spec, ctx({"ingredients": [{"name": "Aqua"}]})).ok
    assert not check_substances_absent(spec, ctx({"ingredients": [{"name": "CALOMEL"}]})).ok
    assert not check_substances_absent(spec, ctx({"substances": [{"name": "x", "cas": "7439-97-6"}]})).ok
    assert check_substances_absent(spec, ctx({"ingredients": [{"name": "Hexachlorophene", "percent": 0.1}]})).ok
    out = check_substances_absent(spec, ctx({"ingredients": [{"name": "Hexachlorophene", "percent": 0.11}]}))
    assert not out.ok and "above the 0.1 % limit" in out.problems[0]


@pytest.mark.parametrize("pct,ok", [(0.0001, True), (0.00009, True), (0.00011, False)])
def test_substance_limit_boundary(pct, ok):
    spec = {"cas": ["7439-97-6"], "names": ["mercury"], "max_pct": 0.0001}
    assert check_substance_limit(spec, ctx({"ingredients": [{"name": "Mercury", "percent": pct}]})).ok is ok


def test_descending_until_one_percent():
    spec = {"path": "product.ingredients", "key": "percent", "until_at_most": 1}
    ok = [{"name": "a", "percent": 70}, {"name": "b", "percent": 20}, {"name": "c", "percent": 1}, {"name": "d", "percent": 1.5}]
    assert check_descending(spec, ctx({"ingredients": ok})).ok
    bad = [{"name": "a", "percent": 20}, {"name": "b", "percent": 70}]
    out = check_descending(spec, ctx({"ingredients": bad}))
    assert not out.ok and "ingredients[1].percent" in out.missing_fields[0]


def test_schema_fragment():
    spec = {"type": "object", "required": ["brand"]}
    assert not check_schema(spec, ctx({})).ok
    assert check_schema(spec, ctx({"brand": "B"})).ok


def test_registration_number_format():
    regs = [{"type": "bpom-notification", "market": "ID", "number": "NA18251200738"}]
    spec = {"type": "bpom-notification", "number_matches": r"^N[A-E]\d{11}$"}
    assert check_registration(spec, ctx({"registrations": regs}, market="ID")).ok
    regs[0]["number"] = "NA-1825"
    out = check_registration(spec, ctx({"registrations": regs}, market="ID"))
    assert not out.ok and "does not have the expected format" in out.problems[0]
