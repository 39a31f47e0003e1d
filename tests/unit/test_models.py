"""Unit tests of the manifest models (compliance_engine.models) against contract v1 (shared/spec/manifests.md).

The three example manifests of contract section 6 are copied verbatim below.
"""

from __future__ import annotations

import copy
import datetime
import json
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from compliance_engine.models import MODEL_BY_KIND, EmbeddedListing, Listing, Product, Seller, generate_schemas, vocab

# ---------------------------------------------------------------------------------------------------
# contract section 6: the example manifests (verbatim)
# ---------------------------------------------------------------------------------------------------

PRODUCT_YAML = """\
kind: Product
sku: X1-SPK
name: X1 Portable Bluetooth Speaker
brand: Sonora
identifiers: {gtin: "06901234567892", model: X1, hs_code: "851822"}
category: electronics.audio
markets: [DE, GB, US, SG]
intended_for: consumers
country_of_origin: CN
manufactured_from: 2025-03-01
manufacturer:
  {name: "Shenzhen Sonora Co., Ltd.", address: "8 Keji Road, Nanshan, Shenzhen 518057", country: CN,
   email: qa@sonora.example, phone: "+86 755 8600 0000"}
economic_operators:
  - {jurisdiction: EU, role: authorised-representative, name: Sonora EU Rep GmbH,
     address: "Friedrichstr. 10, 10117 Berlin", country: DE, email: eu-rep@sonora.example}
  - {jurisdiction: GB, role: importer, name: Sonora UK Ltd, address: "1 Park Row, Leeds LS1 5AB",
     country: GB, email: uk@sonora.example}
  - {jurisdiction: US, role: importer-of-record, name: Sonora Inc., address: "100 Main St, Wilmington, DE 19801",
     country: US, email: us@sonora.example, phone: "+1 302 555 0100"}
  - {jurisdiction: US, role: fcc-responsible-party, name: Sonora Inc., address: "100 Main St, Wilmington, DE 19801",
     country: US, email: compliance-us@sonora.example, phone: "+1 302 555 0101"}
  - {jurisdiction: SG, role: importer, name: Sonora SG Pte Ltd, address: "10 Anson Road, Singapore 079903",
     country: SG, email: sg@sonora.example}

electrical:
  mains_powered: false
  dc_input_v: 5
  digital_device: true
  wearable: false
  radio:
    bluetooth: true
    wifi: false
    cellular: false
    nfc: false
    other: false
    frequency_bands_mhz: [[2400, 2483.5]]
    max_eirp_mw: 8
    internet_connected: false
    processes_personal_data: false
    payment_function: false
  charging: {port: usb-c, max_power_w: 10, usb_pd: false}
  battery:
    chemistry: lithium-ion
    watt_hours: 7.4
    cell_watt_hours: 7.4
    count: 1
    form: cylindrical
    removable: false
    packing: contained-in-equipment
    compartment: sealed
    wh_marked: true
    label_compliant_2026: false
    shipping_soc_pct: 30
  accessories:
    - type: ac-adaptor             # sold separately, not in the box
      model: SN-PA10
      included: false
      registrations:
        - {type: sg-safety-mark-registration, market: SG, number: "RA12345678",
           holder: {role: registered-supplier, name: Sonora SG Pte Ltd, country: SG}}

substances:
  - {name: "Bis(2-ethylhexyl) phthalate", cas: "117-81-7", concentration_pct: 0.08,
     component: USB-C cable jacket, material: plasticised, contact: skin-short-repetitive}
  - {name: Lead, cas: "7439-92-1", concentration_pct: 0.3, component: steel screws, material: metal,
     contact: none, rohs_exemption: "6(a)-I", inaccessible: true}
reach_tonnage_t_per_year: 0.01
materials:
  - {material: plastic, weight_g: 210, recycled_pct: 30}
  - {material: metal, weight_g: 140}
  - {material: rubber, weight_g: 30}
  - {material: textile, weight_g: 15}
  - {material: coating, weight_g: 2}
food_contact: false
child_safety:
  small_parts: false
  mouthable: false
  magnets: [{loose: false, fits_small_parts_cylinder: false, flux_index_kg2mm2: 120}]

package:
  kind: sales
  length_cm: 18
  width_cm: 12
  height_cm: 10
  weight_g: 650
  product_volume_cm3: 900
  materials: [{material: paper, weight_g: 80, recycled_pct: 70}, {material: plastic, weight_g: 10}]
  pfas_intentionally_added: false
shipping_package: {length_cm: 22, width_cm: 16, height_cm: 13, weight_g: 720, filler: true, filled_by: marketplace}
carton: {length_cm: 55, width_cm: 37, height_cm: 31, weight_g: 18350, units_per_carton: 27}
dg_class: "9"

labelling:
  languages: [en, de]
  warnings_languages: [en, de]
  marks: [CE, UKCA, WEEE-bin, battery-bin, FCC-ID, IMDA, charger-not-included-pictogram, charging-label]
  warnings:
    - {key: general-safety, text: "Do not expose to temperatures above 60 °C. Do not open: built-in lithium-ion battery."}
  prop65_warning:
    {type: short-form, signal_word: warning, chemicals: ["117-81-7"], endpoints: [cancer, reproductive],
     languages: [en, de]}
  contacts_on_pack:
    - {role: manufacturer, channels: [address, email]}
    - {role: authorised-representative, jurisdiction: EU, channels: [address, email]}
    - {role: importer, jurisdiction: GB, qualifier: imported-by, channels: [address, email]}
    - {role: importer-of-record, jurisdiction: US, qualifier: distributed-by, channels: [address, phone]}
  origin_statement: Made in China
  batch_code: true
  serial_number: true
  fcc_statement: manual
  dpp_data_carrier: false
  ppwr_material_label: false

claims:
  - {text: "Up to 24 hours of playtime", substantiation: doc-tr-battery-life}
  - {text: "Packaging made from 70% recycled paper", substantiation: doc-recycled-content}
inserts: ["Questions about your X1? Write to help@sonora.example."]
origin: {final_assembly_country: CN, significant_processing_countries: [CN], us_content_pct: 0}

documents:
  - id: doc-eu-doc
    type: eu-declaration-of-conformity
    covers: [RED, RED-CC, RoHS]
    standards: ["EN 300 328 V2.2.2", "EN 301 489-1 V2.2.3", "EN 301 489-17 V3.2.4",
                "EN IEC 62368-1:2020+A11:2020", "EN 62479:2010", "EN IEC 63000:2018"]
    model: X1
    language: en
    file: docs/x1/eu-doc.pdf
    issued: 2025-02-20
    expires: null
  - {id: doc-eu-doc-short, type: simplified-eu-declaration-of-conformity, covers: [RED], model: X1, issued: 2025-02-20}
  - {id: doc-battery-doc, type: eu-declaration-of-conformity, covers: [BATT], model: ICR18650-2000, issued: 2024-11-05}
  - id: doc-uk-doc
    type: uk-declaration-of-conformity
    covers: [UK-RER-2017, UK-ROHS-2012]
    standards: ["EN 300 328 V2.2.2", "EN IEC 62368-1:2020+A11:2020"]
    model: X1
    issued: 2025-02-20
  - {id: doc-tech-file, type: technical-file, covers: [RED, RoHS, GPSR], file: docs/x1/technical-file.pdf, issued: 2025-02-20}
  - id: doc-tr-radio
    type: test-report
    standards: ["EN 300 328 V2.2.2", "EN 301 489-1 V2.2.3", "EN 301 489-17 V3.2.4", "EN 62479:2010"]
    model: X1
    result: pass
    issuer: {name: Shenzhen Testing Lab Co., role: test-lab, id: "CNAS L1234", country: CN, iso17025: true}
    issued: 2025-01-15
  - id: doc-tr-safety
    type: test-report
    standards: ["EN IEC 62368-1:2020+A11:2020", "IEC 62133-2:2017"]
    model: X1
    result: pass
    issuer: {name: Shenzhen Testing Lab Co., role: test-lab, id: "CNAS L1234", country: CN, iso17025: true}
    issued: 2025-01-20
  - {id: doc-tr-rohs, type: test-report, covers: [RoHS], standards: ["IEC 62321"], model: X1, result: pass, issued: 2025-01-22}
  - {id: doc-tr-battery-life, type: test-report, standards: ["playback at 50 % volume, 25 °C"], model: X1, result: pass, issued: 2025-01-25}
  - id: doc-fcc-grant
    type: fcc-grant-of-certification
    covers: [FCC-Part15]
    standards: ["47 CFR 15 Subpart C"]
    model: X1
    issuer: {name: Example TCB Inc., role: tcb, country: US}
    issued: 2025-02-10
  - {id: doc-fcc-sdoc, type: fcc-sdoc, covers: [FCC-Part15], standards: ["47 CFR 15 Subpart B"], model: X1, issued: 2025-02-10}
  - {id: doc-un38-3, type: un38.3-test-summary, covers: [UN38.3], model: ICR18650-2000, issued: 2024-10-02}
  - {id: doc-sds, type: safety-data-sheet, product_name: X1 Portable Bluetooth Speaker, brand: Sonora, issued: 2025-01-20}
  - {id: doc-manual, type: user-instructions, language: de, file: docs/x1/manual-de-en.pdf, issued: 2025-02-20}
  - {id: doc-ar-mandate, type: authorised-representative-mandate, issued: 2024-12-01}
  - {id: doc-esr, type: packaging-esr-calculation, issued: 2025-03-01}
  - id: doc-recycled-content
    type: claim-substantiation
    kind: recycled-content-certificate
    issuer: {name: Example Certification Ltd, role: certification-body, country: CN}
    issued: 2025-01-05
    expires: 2026-01-04

registrations:
  - {type: fcc-id, market: US, number: 2BXYZX1}
  - {type: imda-equipment-registration, market: SG, number: N3456-25, issued: 2025-03-10, expires: 2030-03-09,
     holder: {role: importer, name: Sonora SG Pte Ltd, country: SG}}

listings:
  - marketplace: amazon
    market: US
    language: en
    title: Sonora X1 Portable Bluetooth Speaker, 24H Playtime, USB-C
    bullets: [Up to 24 hours of playtime, Bluetooth 5.3, Charger not included, Imported]
    description: "WARNING: Cancer and Reproductive Harm from exposure to DEHP - www.P65Warnings.ca.gov"
    price: {amount: 45.99, currency: USD}
    fulfilment: marketplace
    ships_from: US
    shipping: {mode: domestic, channel: amazon-fba, handling_time_days: 1, promised_delivery_days: 2}
    tax_collected_by: marketplace
    live_from: 2025-04-15
    displays: [product-images, product-identifier, prop65-warning, country-of-origin]
    attributes: {prop65_warning: "short-form: DEHP", country_of_origin: China}
  - marketplace: shopee
    market: SG
    language: en
    title: Sonora X1 Portable Bluetooth Speaker
    price: {amount: 52.0, currency: SGD}
    fulfilment: seller
    ships_from: CN
    shipping: {mode: air, channel: SLS, incoterm: DDP, consignment_value: {amount: 52.0, currency: SGD}}
    tax_collected_by: marketplace
    displayed_registrations: [{type: imda-equipment-registration, number: N3456-25}]
"""

LISTING_YAML = """\
kind: Listing
product: X1-SPK
marketplace: amazon
market: DE
language: de
title: Sonora X1 tragbarer Bluetooth-Lautsprecher, 24 Std. Akkulaufzeit, USB-C
bullets:
  - Bis zu 24 Stunden Wiedergabe pro Akkuladung
  - Bluetooth 5.3, 2,4 GHz
  - Ladegerät nicht im Lieferumfang enthalten
description: >-
  Hersteller: Shenzhen Sonora Co., Ltd., 8 Keji Road, Shenzhen, China, qa@sonora.example.
  Verantwortliche Person in der EU: Sonora EU Rep GmbH, Friedrichstr. 10, 10117 Berlin, eu-rep@sonora.example.
  Sicherheitshinweis: nicht über 60 °C erhitzen; eingebauter Lithium-Ionen-Akku.
price: {amount: 39.99, currency: EUR}
fulfilment: marketplace
ships_from: DE
shipping: {mode: domestic, channel: amazon-fba, handling_time_days: 1, promised_delivery_days: 2}
tax_collected_by: marketplace
live_from: 2025-04-01
displays: [manufacturer-contact, responsible-person, safety-warnings, product-images, product-identifier,
           charging-information]
displayed_marks: [CE]
displayed_registrations:
  - {type: epr-weee, number: "DE 12345678"}
  - {type: epr-packaging, number: DE3273485876402}
attributes: {battery_cell_composition: lithium_ion, batteries_included: "true"}
"""

SELLER_YAML = """\
kind: Seller
name: Sonora Trading Ltd
established_in: CN
stock_locations: [CN, DE, PL, CZ, GB, US]
amazon_programs: [cee]
websites: [https://sonora.example]
eu_distance_sales_eur_last_12m: 25000
eu_distance_sales_eur_current_year: 14000
eu_distance_sales_eur_previous_year: 22000
global_turnover_last_12m: {amount: 4200000, currency: USD}
sales_by_market:
  SG: {sales_last_12m: {amount: 85000, currency: SGD}, transactions_last_12m: 1700,
       marketplace_sales_last_12m: {amount: 85000, currency: SGD}}
  US-CA: {sales_last_12m: {amount: 310000, currency: USD}, transactions_last_12m: 6200,
          marketplace_sales_last_12m: {amount: 290000, currency: USD}}
  US-TX: {sales_last_12m: {amount: 180000, currency: USD}, transactions_last_12m: 3900,
          marketplace_sales_last_12m: {amount: 180000, currency: USD}}
employees_count: 85
entity_size: medium
sells_digital_services: false
excluded_us_states: []
marketing_practices:
  {paid_reviews: false, review_suppression: false, insider_reviews_disclosed: true, uses_influencers: true,
   fake_social_indicators: false, review_incentives_conditional: false}
ships_by_air: true
dg_air_shipping_process: true
registrations:
  - {type: vat, country: DE, number: DE123456789}
  - {type: vat, country: PL, number: PL1234567890}
  - {type: vat, country: CZ, number: CZ684123456}
  - {type: vat, country: GB, number: GB123456789}
  - {type: oss, country: DE, number: DE123456789}
  - {type: ioss, country: DE, number: IM2760000123,
     holder: {role: ioss-intermediary, name: EU Tax Intermediary GmbH, country: DE}}
  - {type: eori, country: DE, number: DE1234567890123}
  - {type: epr-packaging, country: DE, number: DE3273485876402}
  - {type: epr-packaging-system, country: DE, number: "DS-2024-551203"}
  - {type: epr-weee, country: DE, number: "DE 12345678",
     holder: {role: epr-authorised-representative, name: WEEE Rep GmbH, country: DE}}
  - {type: epr-batteries, country: DE, number: "DE 87654321",
     holder: {role: epr-authorised-representative, name: WEEE Rep GmbH, country: DE}}
  - {type: fcc-grantee-code, country: US, number: 2BXYZ}
  - {type: us-sales-tax-permit, country: US, region: US-CA, number: "102-345678"}
  - {type: sg-imda-dealer-licence, country: SG, number: TDL-25-0042,
     holder: {role: importer, name: Sonora SG Pte Ltd, country: SG}, issued: 2025-01-10, expires: 2030-01-09}
documents:
  - {id: doc-gdpr-rep, type: gdpr-representative-mandate, issued: 2024-06-01}
  - {id: doc-uk-gdpr-rep, type: uk-gdpr-representative-mandate, issued: 2024-06-01}
  - {id: doc-scc, type: transfer-agreement-scc, covers: [GDPR], issued: 2024-06-15}
  - {id: doc-uk-addendum, type: transfer-agreement-uk-addendum, covers: [UK-GDPR], issued: 2024-06-15}
  - {id: doc-tia, type: transfer-impact-assessment, covers: [GDPR, UK-GDPR], issued: 2024-06-15}
  - {id: doc-epr-rep, type: epr-authorised-representative-mandate, issued: 2023-05-01}
  - {id: doc-influencers, type: influencer-disclosure-policy, issued: 2025-01-10}
  - {id: doc-reviews, type: review-practices-attestation, issued: 2025-01-10}
privacy:
  processes_personal_data_of: [EU, GB, US, SG]
  privacy_policy_url: https://sonora.example/privacy
  privacy_policy_languages: [en, de]
  eu_representative: {name: Sonora EU Rep GmbH, address: "Friedrichstr. 10, 10117 Berlin", country: DE}
  gb_representative: {name: UK GDPR Rep Ltd, address: "20 King St, Manchester M2 6AG", country: GB}
  transfer_mechanism: scc
  transfer_mechanisms: {GB: uk-addendum, SG: asean-mcc}
  receives_data_from_eu_entities: true
  cookie_consent: true
  cookie_reject_all_first_layer: true
  dpo: {name: Li Wei, email: dpo@sonora.example}
  large_scale_monitoring: false
  large_scale_special_category_data: false
  staff_processing_personal_data: 6
  data_subject_counts: {SG: {total: 1700, sensitive: 0}}
"""


# ---------------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------------


_PARSED: dict[str, Any] = {}


def _load(text: str) -> dict[str, Any]:
    """The parsed YAML (parsed once per text; a fresh deep copy each call)."""
    if text not in _PARSED:
        _PARSED[text] = yaml.safe_load(text)
    return copy.deepcopy(_PARSED[text])


@pytest.fixture
def product() -> dict[str, Any]:
    return _load(PRODUCT_YAML)


@pytest.fixture
def listing() -> dict[str, Any]:
    return _load(LISTING_YAML)


@pytest.fixture
def seller() -> dict[str, Any]:
    return _load(SELLER_YAML)


def _set(data: dict, path: str, value: Any) -> dict:
    """Set a dotted path (list indexes as numbers: "listings.0.price") in a deep copy of ``data``."""
    data = copy.deepcopy(data)
    parts = [int(p) if p.isdigit() else p for p in path.split(".")]
    cur: Any = data
    for part in parts[:-1]:
        cur = cur[part]
    cur[parts[-1]] = value
    return data


def _delete(data: dict, path: str) -> dict:
    data = copy.deepcopy(data)
    parts = [int(p) if p.isdigit() else p for p in path.split(".")]
    cur: Any = data
    for part in parts[:-1]:
        cur = cur[part]
    del cur[parts[-1]]
    return data


def _errors(model: type, data: dict) -> list[dict]:
    with pytest.raises(ValidationError) as info:
        model.model_validate(data)
    return info.value.errors(include_url=False)


def _one_error(model: type, data: dict) -> dict:
    errors = _errors(model, data)
    assert len(errors) == 1, errors
    return errors[0]


def _loc(path: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in path.split("."))


def _plain(value: Any) -> Any:
    """What a JSON dump of the YAML input looks like: dates as ISO strings, numbers as floats."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _plain_dump(model: Any) -> Any:
    return _plain(model.model_dump(mode="json", exclude_none=True))


# ---------------------------------------------------------------------------------------------------
# the contract's example (section 6) loads, from YAML and from JSON, and round-trips
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text,model", [(PRODUCT_YAML, Product), (LISTING_YAML, Listing), (SELLER_YAML, Seller)])
def test_contract_example_validates_and_round_trips(text: str, model: type) -> None:
    data = _load(text)
    assert MODEL_BY_KIND[data["kind"]] is model
    obj = model.model_validate(data)
    assert _plain_dump(obj) == _plain(data)


@pytest.mark.parametrize("text,model", [(PRODUCT_YAML, Product), (LISTING_YAML, Listing), (SELLER_YAML, Seller)])
def test_contract_example_validates_from_json(text: str, model: type) -> None:
    data = _load(text)
    as_json = json.dumps(data, default=str)  # dates become ISO strings, as in a JSON manifest
    assert model.model_validate_json(as_json) == model.model_validate(data)
    assert model.model_validate(json.loads(as_json)) == model.model_validate(data)


def test_example_values_are_typed(product: dict, listing: dict, seller: dict) -> None:
    p = Product.model_validate(product)
    assert p.manufactured_from == datetime.date(2025, 3, 1)
    assert p.documents[0].expires is None and p.documents[-1].expires == datetime.date(2026, 1, 4)
    assert p.electrical.radio.frequency_bands_mhz == [[2400.0, 2483.5]]
    assert p.electrical.battery.count == 1 and isinstance(p.electrical.dc_input_v, float)
    assert isinstance(p.listings[0], EmbeddedListing)
    assert p.listings[1].shipping.consignment_value.currency == "SGD"
    assert [op.role for op in p.economic_operators if op.jurisdiction == "US"] == [
        "importer-of-record", "fcc-responsible-party"]
    assert p.electrical.accessories[0].registrations[0].holder.role == "registered-supplier"
    lst = Listing.model_validate(listing)
    assert list(Listing.model_fields)[:4] == ["kind", "product", "marketplace", "market"]
    assert lst.attributes == {"battery_cell_composition": "lithium_ion", "batteries_included": "true"}
    s = Seller.model_validate(seller)
    assert set(s.sales_by_market) == {"SG", "US-CA", "US-TX"}
    assert s.privacy.transfer_mechanisms == {"GB": "uk-addendum", "SG": "asean-mcc"}
    assert s.excluded_us_states == []
    assert s.registrations[5].holder.role == "ioss-intermediary"


def test_optional_fields_default_to_none_and_are_not_dumped() -> None:
    p = Product.model_validate({"kind": "Product", "sku": "A", "category": "toys"})
    assert p.markets is None and p.documents is None and p.listings is None and p.electrical is None
    assert p.model_dump(exclude_none=True) == {"kind": "Product", "sku": "A", "category": "toys"}
    s = Seller.model_validate({"kind": "Seller"})
    assert s.model_dump(exclude_none=True) == {"kind": "Seller"}
    assert s.registrations is None and s.websites is None


# ---------------------------------------------------------------------------------------------------
# required fields
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["kind", "sku", "category"])
def test_product_required_fields(product: dict, field: str) -> None:
    err = _one_error(Product, _delete(product, field))
    assert err["type"] == "missing" and err["loc"] == (field,)


@pytest.mark.parametrize("field", ["kind", "product", "marketplace", "market"])
def test_listing_required_fields(listing: dict, field: str) -> None:
    err = _one_error(Listing, _delete(listing, field))
    assert err["type"] == "missing" and err["loc"] == (field,)


def test_seller_requires_only_kind() -> None:
    assert _one_error(Seller, {"name": "X"})["loc"] == ("kind",)
    assert Seller.model_validate({"kind": "Seller"}).name is None


@pytest.mark.parametrize("field", ["marketplace", "market"])
def test_embedded_listing_required_fields(product: dict, field: str) -> None:
    err = _one_error(Product, _delete(product, f"listings.0.{field}"))
    assert err["type"] == "missing" and err["loc"] == ("listings", 0, field)


def test_embedded_listing_has_no_kind_or_product(product: dict) -> None:
    assert "kind" not in EmbeddedListing.model_fields and "product" not in EmbeddedListing.model_fields
    for key, value in (("kind", "Listing"), ("product", "X1-SPK")):
        err = _one_error(Product, _set(product, f"listings.0.{key}", value))
        assert err["type"] == "extra_forbidden" and err["loc"] == ("listings", 0, key)


def test_wrong_kind_is_rejected(product: dict) -> None:
    err = _one_error(Product, _set(product, "kind", "Listing"))
    assert err["type"] == "literal_error" and err["loc"] == ("kind",)


@pytest.mark.parametrize("path,value", [
    ("documents", [{"id": "d"}]),                       # a document needs its type
    ("registrations", [{"market": "US"}]),              # a registration needs its type
    ("economic_operators", [{"jurisdiction": "EU"}]),   # an operator entry needs its role
    ("claims", [{"substantiation": "doc-eu-doc"}]),     # a claim needs its text
    ("labelling.warnings", [{"text": "Hot"}]),         # a warning needs its key
])
def test_list_entries_need_their_key_field(product: dict, path: str, value: Any) -> None:
    err = _errors(Product, _set(product, path, value))[0]
    assert err["type"] == "missing"


# ---------------------------------------------------------------------------------------------------
# closed vocabularies: an unknown value is an error that lists the allowed values
# ---------------------------------------------------------------------------------------------------

CLOSED_PRODUCT_FIELDS = [
    ("intended_for", vocab.INTENDED_FOR),
    ("electrical.battery.chemistry", vocab.BATTERY_CHEMISTRY),
    ("electrical.battery.form", vocab.BATTERY_FORMS),
    ("electrical.battery.packing", vocab.BATTERY_PACKING),
    ("electrical.battery.compartment", vocab.BATTERY_COMPARTMENTS),
    ("electrical.charging.port", vocab.CHARGING_PORTS),
    ("electrical.accessories.0.type", vocab.ACCESSORY_TYPES),
    ("substances.0.material", vocab.MATERIALS),
    ("substances.0.contact", vocab.SUBSTANCE_CONTACT),
    ("materials.0.material", vocab.MATERIALS),
    ("package.kind", vocab.PACKAGE_KINDS),
    ("package.materials.0.material", vocab.MATERIALS),
    ("shipping_package.filled_by", vocab.FULFILMENT),
    ("labelling.prop65_warning.type", vocab.PROP65_WARNING_TYPES),
    ("labelling.prop65_warning.signal_word", vocab.PROP65_SIGNAL_WORDS),
    ("labelling.prop65_warning.endpoints.0", vocab.PROP65_ENDPOINTS),
    ("labelling.contacts_on_pack.2.qualifier", vocab.CONTACT_QUALIFIERS),
    ("labelling.contacts_on_pack.0.channels.0", vocab.CONTACT_CHANNELS),
    ("labelling.fcc_statement", vocab.FCC_STATEMENT_PLACEMENTS),
    ("documents.5.result", vocab.DOCUMENT_RESULTS),
    ("documents.5.issuer.role", vocab.ISSUER_ROLES),
    ("listings.0.marketplace", vocab.MARKETPLACES),
    ("listings.0.fulfilment", vocab.FULFILMENT),
    ("listings.0.shipping.mode", vocab.SHIPPING_MODES),
    ("listings.1.shipping.incoterm", vocab.INCOTERMS),
    ("listings.0.tax_collected_by", vocab.TAX_COLLECTED_BY),
]

# fields the example does not use: set on a minimal product
CLOSED_EXTRA_PRODUCT_FIELDS = [
    ({"ingredients": [{"name": "Aqua", "function": "BAD"}]}, ("ingredients", 0, "function"), vocab.INGREDIENT_FUNCTIONS),
    ({"cosmetic": {"application": "BAD"}}, ("cosmetic", "application"), vocab.COSMETIC_APPLICATIONS),
    ({"cosmetic": {"areas": ["BAD"]}}, ("cosmetic", "areas", 0), vocab.COSMETIC_AREAS),
    ({"medical_device": {"us_class": "IV"}}, ("medical_device", "us_class"), vocab.FDA_DEVICE_CLASSES),
    ({"halal": {"status": "BAD"}}, ("halal", "status"), vocab.HALAL_STATUSES),
    ({"labelling": {"textile_identity": "BAD"}}, ("labelling", "textile_identity"), vocab.TEXTILE_IDENTITY),
    ({"labelling": {"allergen_statement": ["BAD"]}}, ("labelling", "allergen_statement", 0), vocab.ALLERGENS),
    ({"labelling": {"facts_panel": "BAD"}}, ("labelling", "facts_panel"), vocab.FACTS_PANELS),
]

CLOSED_SELLER_FIELDS = [
    ("amazon_programs.0", vocab.AMAZON_PROGRAMS),
    ("entity_size", vocab.ENTITY_SIZES),
    ("privacy.transfer_mechanism", vocab.TRANSFER_MECHANISMS),
    ("privacy.transfer_mechanisms.GB", vocab.TRANSFER_MECHANISMS),
]


def _assert_lists_allowed(err: dict, allowed: tuple[str, ...]) -> None:
    assert err["type"] == "literal_error", err
    for value in allowed:
        assert f"'{value}'" in err["msg"], (value, err["msg"])


@pytest.mark.parametrize("path,allowed", CLOSED_PRODUCT_FIELDS, ids=[p for p, _ in CLOSED_PRODUCT_FIELDS])
def test_closed_vocabulary_rejects_unknown_value_in_product(product: dict, path: str, allowed: tuple) -> None:
    err = _one_error(Product, _set(product, path, "not-a-known-value"))
    assert err["loc"] == _loc(path)
    _assert_lists_allowed(err, allowed)


@pytest.mark.parametrize("extra,loc,allowed", CLOSED_EXTRA_PRODUCT_FIELDS, ids=[str(l) for _, l, _ in CLOSED_EXTRA_PRODUCT_FIELDS])
def test_closed_vocabulary_rejects_unknown_value_elsewhere(extra: dict, loc: tuple, allowed: tuple) -> None:
    err = _one_error(Product, {"kind": "Product", "sku": "A", "category": "cosmetics", **extra})
    assert err["loc"] == loc
    _assert_lists_allowed(err, allowed)


@pytest.mark.parametrize("path,allowed", CLOSED_SELLER_FIELDS, ids=[p for p, _ in CLOSED_SELLER_FIELDS])
def test_closed_vocabulary_rejects_unknown_value_in_seller(seller: dict, path: str, allowed: tuple) -> None:
    err = _one_error(Seller, _set(seller, path, "not-a-known-value"))
    assert err["loc"] == _loc(path)
    _assert_lists_allowed(err, allowed)


def test_efiling_method_is_closed() -> None:
    err = _one_error(Seller, {"kind": "Seller", "efiling_method": "fax"})
    _assert_lists_allowed(err, vocab.EFILING_METHODS)


def test_closed_vocabularies_accept_every_listed_value() -> None:
    for chemistry in vocab.BATTERY_CHEMISTRY:
        Product.model_validate({"kind": "Product", "sku": "A", "category": "batteries",
                                "electrical": {"battery": {"chemistry": chemistry}}})
    for marketplace in vocab.MARKETPLACES:
        Listing.model_validate({"kind": "Listing", "product": "A", "marketplace": marketplace, "market": "DE"})
    for mechanism in vocab.TRANSFER_MECHANISMS:
        Seller.model_validate({"kind": "Seller", "privacy": {"transfer_mechanism": mechanism}})


@pytest.mark.parametrize("category", ["electronics", "electronics.audio", "electronics.brand-new-sub.key",
                                      "apparel.accessories", "otc-drug", "other"])
def test_category_accepts_known_roots_and_any_sub_key(product: dict, category: str) -> None:
    assert Product.model_validate(_set(product, "category", category)).category == category


@pytest.mark.parametrize("category", ["electronic", "electronic.audio", "Electronics", "audio.electronics",
                                      "electronics.", "electronics..audio", "electronics. audio", ""])
def test_category_rejects_unknown_root(product: dict, category: str) -> None:
    err = _one_error(Product, _set(product, "category", category))
    assert err["loc"] == ("category",)


def test_category_error_lists_the_keys_and_suggests(product: dict) -> None:
    msg = _one_error(Product, _set(product, "category", "electronic.audio"))["msg"]
    assert "did you mean 'electronics'" in msg
    for key in vocab.CATEGORIES:
        assert key in msg


# ---------------------------------------------------------------------------------------------------
# open vocabularies are plain strings (the engine warns; the models accept)
# ---------------------------------------------------------------------------------------------------


def test_open_vocabularies_accept_unknown_keys(product: dict, listing: dict, seller: dict) -> None:
    p = _set(product, "documents.0.type", "brand-new-document")
    p = _set(p, "documents.0.covers", ["NEW-LAW"])
    p = _set(p, "documents.15.kind", "new-kind")
    p = _set(p, "registrations.0.type", "new-registration")
    p = _set(p, "labelling.marks", ["NEW-MARK"])
    p = _set(p, "labelling.warnings.0.key", "new-warning")
    p = _set(p, "economic_operators.0.role", "new-role")
    p = _set(p, "labelling.contacts_on_pack.0.role", "new-role")
    Product.model_validate(p)
    lst = _set(listing, "displays", ["new-display"])
    lst = _set(lst, "displayed_marks", ["NEW-MARK"])
    lst = _set(lst, "displayed_registrations.0.type", "new-registration")
    lst = _set(lst, "payment_methods", ["ewallet-new"])
    Listing.model_validate(lst)
    Seller.model_validate(_set(seller, "registrations.0.holder", {"role": "new-role"}))


# ---------------------------------------------------------------------------------------------------
# unknown keys are errors at every level; x- keys are free everywhere
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["colour", "electrical.radio.blutooth", "electrical.battery.capacity_mah",
                                  "documents.0.signed_by", "documents.5.issuer.accredited",
                                  "listings.0.shipping.carrier", "listings.1.price.vat",
                                  "labelling.prop65_warning.font", "child_safety.magnets.0.strength",
                                  "registrations.1.holder.email", "economic_operators.0.website"])
def test_unknown_key_is_rejected_with_its_path(product: dict, path: str) -> None:
    err = _one_error(Product, _set(product, path, 1))
    assert err["type"] == "extra_forbidden" and err["loc"] == _loc(path)


@pytest.mark.parametrize("path", ["titel", "shipping.carrier", "displayed_registrations.0.issued"])
def test_unknown_listing_key_is_rejected(listing: dict, path: str) -> None:
    err = _one_error(Listing, _set(listing, path, 1))
    assert err["type"] == "extra_forbidden" and err["loc"] == _loc(path)


@pytest.mark.parametrize("path", ["vat_id", "privacy.dpo.phone", "marketing_practices.bots",
                                  "sales_by_market.SG.currency", "privacy.eu_representative.email",
                                  "privacy.data_subject_counts.SG.children"])
def test_unknown_seller_key_is_rejected(seller: dict, path: str) -> None:
    err = _one_error(Seller, _set(seller, path, 1))
    assert err["type"] == "extra_forbidden" and err["loc"] == _loc(path)


@pytest.mark.parametrize("path", ["x-notes", "electrical.radio.x-fcc-notes", "documents.0.x-owner",
                                  "listings.0.x-asin", "listings.0.shipping.x-carrier",
                                  "listings.0.attributes.x-internal", "economic_operators.0.x-contract",
                                  "child_safety.magnets.0.x-supplier", "labelling.x-artwork"])
def test_x_keys_are_accepted_and_dropped_in_product(product: dict, path: str) -> None:
    data = _set(product, path, {"anything": [1, 2, None]})
    obj = Product.model_validate(data)
    assert _plain_dump(obj) == _plain(product)


@pytest.mark.parametrize("path", ["x-internal-id", "privacy.x-notes", "sales_by_market.x-comment",
                                  "sales_by_market.SG.x-source", "privacy.transfer_mechanisms.x-why",
                                  "privacy.data_subject_counts.x-basis", "registrations.0.x-portal"])
def test_x_keys_are_accepted_and_dropped_in_seller(seller: dict, path: str) -> None:
    obj = Seller.model_validate(_set(seller, path, "free"))
    assert _plain_dump(obj) == _plain(seller)


def test_x_keys_accepted_in_listing(listing: dict) -> None:
    data = _set(_set(listing, "x-expect", {"findings": []}), "price.x-note", "incl. VAT")
    assert _plain_dump(Listing.model_validate(data)) == _plain(listing)


def test_key_that_merely_contains_x_is_not_free(product: dict) -> None:
    err = _one_error(Product, _set(product, "X-notes", 1))
    assert err["type"] == "extra_forbidden"


# ---------------------------------------------------------------------------------------------------
# economic_operators: a list; the old map form is rejected with the list form shown
# ---------------------------------------------------------------------------------------------------


def test_economic_operators_map_form_is_rejected_with_list_form(product: dict) -> None:
    old = {"EU": {"name": "Sonora EU Rep GmbH", "address": "Friedrichstr. 10, 10117 Berlin", "country": "DE",
                  "email": "eu-rep@sonora.example"},
           "GB": {"name": "Sonora UK Ltd", "country": "GB"}}
    err = _one_error(Product, _set(product, "economic_operators", old))
    assert err["loc"] == ("economic_operators",)
    msg = err["msg"]
    assert "economic_operators is a list" in msg
    assert "economic_operators: [{jurisdiction: EU, role: authorised-representative" in msg
    # the user's own entries, rewritten in the list form
    assert '- {jurisdiction: EU, role: <role>, name: Sonora EU Rep GmbH, address: "Friedrichstr. 10, 10117 Berlin"' in msg
    assert "- {jurisdiction: GB, role: <role>, name: Sonora UK Ltd, country: GB}" in msg


def test_economic_operators_map_form_with_odd_values_still_shows_list_form(product: dict) -> None:
    err = _one_error(Product, _set(product, "economic_operators", {"EU": "Sonora EU Rep GmbH"}))
    assert "`economic_operators: [{jurisdiction: EU, role: authorised-representative" in err["msg"]


def test_jurisdiction_role_pair_appears_once(product: dict) -> None:
    ops = product["economic_operators"] + [dict(product["economic_operators"][2], name="Other Inc.")]
    err = _one_error(Product, _set(product, "economic_operators", ops))
    assert err["loc"] == ("economic_operators", 5, "role")
    assert "(jurisdiction US, role importer-of-record) appears twice" in err["msg"]
    assert "economic_operators[2]" in err["msg"]


def test_same_jurisdiction_several_roles_and_same_role_several_jurisdictions(product: dict) -> None:
    ops = product["economic_operators"] + [
        {"jurisdiction": "US", "role": "us-agent", "name": "Agent LLC"},
        {"jurisdiction": "XI", "role": "authorised-representative", "name": "NI Rep Ltd"},
    ]
    assert len(Product.model_validate(_set(product, "economic_operators", ops)).economic_operators) == 7


def test_operator_jurisdiction_accepts_eu_xi_and_countries_only(product: dict) -> None:
    for ok in ("EU", "XI", "GB", "FR"):
        Product.model_validate(_set(product, "economic_operators.0.jurisdiction", ok))
    for bad in ("SEA", "UK", "eu", "Europe"):
        err = _one_error(Product, _set(product, "economic_operators.0.jurisdiction", bad))
        assert err["loc"] == ("economic_operators", 0, "jurisdiction")


# ---------------------------------------------------------------------------------------------------
# documents: unique ids; claims and halal point at existing ids
# ---------------------------------------------------------------------------------------------------


def test_document_ids_are_unique(product: dict) -> None:
    docs = product["documents"] + [{"id": "doc-sds", "type": "safety-data-sheet"}]
    err = _one_error(Product, _set(product, "documents", docs))
    assert err["loc"] == ("documents", len(docs) - 1, "id")
    assert "'doc-sds'" in err["msg"] and "documents[12]" in err["msg"]


def test_seller_document_ids_are_unique(seller: dict) -> None:
    docs = seller["documents"] + [{"id": "doc-scc", "type": "transfer-agreement-scc"}]
    err = _one_error(Seller, _set(seller, "documents", docs))
    assert err["loc"] == ("documents", len(docs) - 1, "id")


def test_claim_substantiation_must_name_a_document(product: dict) -> None:
    err = _one_error(Product, _set(product, "claims.1.substantiation", "doc-recycled-contnet"))
    assert err["loc"] == ("claims", 1, "substantiation")
    assert "'doc-recycled-contnet'" in err["msg"] and "did you mean 'doc-recycled-content'" in err["msg"]


def test_halal_certificate_must_name_a_document(product: dict) -> None:
    err = _one_error(Product, _set(product, "halal", {"status": "halal-certified", "certificate": "doc-halal"}))
    assert err["loc"] == ("halal", "certificate") and "'doc-halal'" in err["msg"]
    docs = product["documents"] + [{"id": "doc-halal", "type": "halal-certificate", "issued": "2025-01-01"}]
    data = _set(_set(product, "documents", docs), "halal", {"status": "halal-certified", "certificate": "doc-halal"})
    assert Product.model_validate(data).halal.certificate == "doc-halal"


def test_dangling_reference_without_documents() -> None:
    data = {"kind": "Product", "sku": "A", "category": "food", "claims": [{"text": "Vegan", "substantiation": "d1"}]}
    err = _one_error(Product, data)
    assert err["loc"] == ("claims", 0, "substantiation") and "no documents" in err["msg"]


def test_documents_without_id_are_allowed() -> None:
    Product.model_validate({"kind": "Product", "sku": "A", "category": "toys",
                            "documents": [{"type": "test-report"}, {"type": "test-report"}]})


def test_document_file_is_a_relative_path(product: dict) -> None:
    assert Product.model_validate(_set(product, "documents.0.file", "../shared/doc.pdf"))
    for bad in ("/etc/passwd", "C:\\docs\\x.pdf", "~/x.pdf", "https://example.com/x.pdf", ""):
        err = _one_error(Product, _set(product, "documents.0.file", bad))
        assert err["loc"] == ("documents", 0, "file")


@pytest.mark.parametrize("path", ["documents.0.expires", "registrations.1.expires"])
def test_expires_may_be_explicitly_null(product: dict, path: str) -> None:
    obj = Product.model_validate(_set(product, path, None))
    assert "expires" not in obj.model_dump(exclude_none=True)[path.split(".")[0]][int(path.split(".")[1])]


def test_expires_before_issued_is_rejected(product: dict) -> None:
    err = _one_error(Product, _set(product, "registrations.1.expires", datetime.date(2020, 1, 1)))
    assert err["loc"] == ("registrations", 1, "expires") and "before issued" in err["msg"]


# ---------------------------------------------------------------------------------------------------
# registrations: market (product) vs country (seller); region
# ---------------------------------------------------------------------------------------------------


def test_product_registration_uses_market(product: dict) -> None:
    assert Product.model_validate(_set(product, "registrations.0.market", "EU")).registrations[0].market == "EU"
    err = _one_error(Product, _set(product, "registrations.0", {"type": "fcc-id", "country": "US", "number": "X"}))
    assert err["loc"] == ("registrations", 0, "country") and "Seller.registrations" in err["msg"]


def test_seller_registration_uses_country(seller: dict) -> None:
    err = _one_error(Seller, _set(seller, "registrations.0", {"type": "vat", "market": "DE", "number": "X"}))
    assert err["loc"] == ("registrations", 0, "market") and "Product.registrations" in err["msg"]


@pytest.mark.parametrize("region,ok", [("US-CA", True), ("US-NY", True), ("GB-ENG", True), ("us-ca", False),
                                       ("US", False), ("CA", False), ("UK-ENG", False), ("US-CALI", False)])
def test_registration_region_is_iso_3166_2(seller: dict, region: str, ok: bool) -> None:
    data = _set(seller, "registrations.12.region", region)
    if ok:
        assert Seller.model_validate(data).registrations[12].region == region
    else:
        assert _one_error(Seller, data)["loc"] == ("registrations", 12, "region")


# ---------------------------------------------------------------------------------------------------
# Money
# ---------------------------------------------------------------------------------------------------


def test_money_valid(listing: dict) -> None:
    price = Listing.model_validate(_set(listing, "price", {"amount": 40, "currency": "EUR"})).price
    assert price.amount == 40.0 and isinstance(price.amount, float) and price.currency == "EUR"


@pytest.mark.parametrize("price,loc", [
    ({"amount": 39.99}, ("price", "currency")),
    ({"currency": "EUR"}, ("price", "amount")),
    ({"amount": "39.99", "currency": "EUR"}, ("price", "amount")),
    ({"amount": True, "currency": "EUR"}, ("price", "amount")),
    ({"amount": -1, "currency": "EUR"}, ("price", "amount")),
    ({"amount": float("nan"), "currency": "EUR"}, ("price", "amount")),
    ({"amount": 39.99, "currency": "eur"}, ("price", "currency")),
    ({"amount": 39.99, "currency": "EURO"}, ("price", "currency")),
    ({"amount": 39.99, "currency": "RMB"}, ("price", "currency")),
    ({"amount": 39.99, "currency": "ABC"}, ("price", "currency")),
    ({"amount": 39.99, "currency": "EUR", "vat_included": True}, ("price", "vat_included")),
    (39.99, ("price",)),
])
def test_money_invalid(listing: dict, price: Any, loc: tuple) -> None:
    assert _one_error(Listing, _set(listing, "price", price))["loc"] == loc


def test_money_messages(listing: dict) -> None:
    assert "use CNY" in _one_error(Listing, _set(listing, "price.currency", "RMB"))["msg"]
    assert "'EUR'" in _one_error(Listing, _set(listing, "price.currency", "eur"))["msg"]


# ---------------------------------------------------------------------------------------------------
# numbers: strict (no strings, no booleans), finite; counts are integers; percentages 0-100
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["7.4", True, False, [7.4], float("inf"), float("-inf"), float("nan"), -1])
def test_measure_rejects_non_numbers(product: dict, value: Any) -> None:
    err = _one_error(Product, _set(product, "electrical.battery.watt_hours", value))
    assert err["loc"] == ("electrical", "battery", "watt_hours")


def test_measure_accepts_int_and_float(product: dict) -> None:
    assert Product.model_validate(_set(product, "electrical.battery.watt_hours", 7)).electrical.battery.watt_hours == 7.0
    assert Product.model_validate(_set(product, "package.weight_g", 650.5)).package.weight_g == 650.5


@pytest.mark.parametrize("value", [1.5, 1.0, "1", True])
def test_count_rejects_non_integers(product: dict, value: Any) -> None:
    err = _one_error(Product, _set(product, "electrical.battery.count", value))
    assert err["loc"] == ("electrical", "battery", "count")


def test_count_in_json_must_be_an_integer(product: dict) -> None:
    data = json.loads(json.dumps(product, default=str))
    data["carton"]["units_per_carton"] = 27.0
    with pytest.raises(ValidationError):
        Product.model_validate_json(json.dumps(data))


@pytest.mark.parametrize("value,ok", [(0, True), (100, True), (30.5, True), (101, False), (-0.1, False)])
def test_percent_range(product: dict, value: float, ok: bool) -> None:
    data = _set(product, "materials.0.recycled_pct", value)
    if ok:
        Product.model_validate(data)
    else:
        assert _one_error(Product, data)["loc"] == ("materials", 0, "recycled_pct")


def test_nan_rejected_from_json(product: dict) -> None:
    text = json.dumps(product, default=str).replace('"watt_hours": 7.4', '"watt_hours": NaN')
    assert "NaN" in text
    with pytest.raises(ValidationError):
        Product.model_validate_json(text)


@pytest.mark.parametrize("value", ["true", 1, 0, "yes"])
def test_flags_are_strict_booleans(product: dict, value: Any) -> None:
    err = _one_error(Product, _set(product, "food_contact", value))
    assert err["loc"] == ("food_contact",)


def test_frequency_band_is_low_high_pair(product: dict) -> None:
    for bad in ([[2483.5, 2400]], [[2400]], [[2400, 2450, 2483.5]], [["2400", 2483.5]]):
        err = _errors(Product, _set(product, "electrical.radio.frequency_bands_mhz", bad))[0]
        assert err["loc"][:4] == ("electrical", "radio", "frequency_bands_mhz", 0)


def test_ranges_in_order(product: dict) -> None:
    assert _one_error(Product, _set(product, "age_grade", {"min_years": 8, "max_years": 3}))["loc"] == ("age_grade",)
    assert _one_error(Product, _set(product, "electrical.ac_input_v", {"min": 240, "max": 100}))["loc"] == (
        "electrical", "ac_input_v")
    ok = Product.model_validate(_set(product, "electrical.ac_input_v", {"min": 100, "max": 240}))
    assert ok.electrical.ac_input_v.max == 240.0
    assert Product.model_validate(_set(product, "age_grade", {"min_years": 3})).age_grade.max_years is None


# ---------------------------------------------------------------------------------------------------
# dates
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [datetime.date(2025, 3, 1), "2025-03-01"])
def test_date_accepts_date_and_iso_string(product: dict, value: Any) -> None:
    assert Product.model_validate(_set(product, "manufactured_from", value)).manufactured_from == datetime.date(2025, 3, 1)


@pytest.mark.parametrize("value", ["2025-3-1", "01.03.2025", "2025-02-30", "2025-03-01T10:00:00", 20250301,
                                   1740787200, True, datetime.datetime(2025, 3, 1, 10, 0), ""])
def test_date_rejects_other_forms(product: dict, value: Any) -> None:
    err = _one_error(Product, _set(product, "manufactured_from", value))
    assert err["loc"] == ("manufactured_from",)


def test_dates_dump_as_iso_strings(listing: dict) -> None:
    assert Listing.model_validate(listing).model_dump(mode="json")["live_from"] == "2025-04-01"


# ---------------------------------------------------------------------------------------------------
# countries, market groups, subdivisions, languages
# ---------------------------------------------------------------------------------------------------


def test_market_lists_accept_groups_unexpanded(product: dict, seller: dict, listing: dict) -> None:
    p = Product.model_validate(_set(product, "markets", ["EU", "XI", "GB", "US", "SEA"]))
    assert p.markets == ["EU", "XI", "GB", "US", "SEA"]
    s = Seller.model_validate(_set(seller, "privacy.processes_personal_data_of", ["EU", "SEA", "GB"]))
    assert s.privacy.processes_personal_data_of == ["EU", "SEA", "GB"]
    assert Listing.model_validate(_set(listing, "ships_to_regions", ["XI", "EU"])).ships_to_regions == ["XI", "EU"]


@pytest.mark.parametrize("path", ["country_of_origin", "manufacturer.country", "listings.0.market",
                                  "listings.0.ships_from", "origin.significant_processing_countries.0"])
@pytest.mark.parametrize("bad", ["EU", "SEA", "UK", "de", "DEU", "ZZ", "Germany"])
def test_single_country_fields_reject_groups_and_bad_codes(product: dict, path: str, bad: str) -> None:
    assert _one_error(Product, _set(product, path, bad))["loc"] == _loc(path)


def test_country_messages(product: dict) -> None:
    assert "use GB" in _one_error(Product, _set(product, "country_of_origin", "UK"))["msg"]
    assert "market group" in _one_error(Product, _set(product, "country_of_origin", "EU"))["msg"]
    assert "'DE'" in _one_error(Product, _set(product, "markets", ["de"]))["msg"]


def test_xi_is_a_market(product: dict) -> None:
    assert Product.model_validate(_set(product, "listings.0.market", "XI")).listings[0].market == "XI"


@pytest.mark.parametrize("bad", ["EUR", "eu", "ASEAN", "UK"])
def test_market_lists_reject_unknown_codes(product: dict, bad: str) -> None:
    assert _one_error(Product, _set(product, "markets", ["DE", bad]))["loc"] == ("markets", 1)


def test_sales_by_market_keys_are_countries_or_subdivisions(seller: dict) -> None:
    entry = seller["sales_by_market"]["SG"]
    for bad in ("EU", "us-ca", "California", "UK"):
        data = _set(seller, "sales_by_market", {bad: entry})
        assert _errors(Seller, data)[0]["loc"][:2] == ("sales_by_market", bad)


def test_excluded_us_states(seller: dict) -> None:
    assert Seller.model_validate(_set(seller, "excluded_us_states", ["US-CA", "US-HI"])).excluded_us_states == [
        "US-CA", "US-HI"]
    for bad in ("CA", "GB-ENG", "us-ca"):
        assert _one_error(Seller, _set(seller, "excluded_us_states", [bad]))["loc"] == ("excluded_us_states", 0)


def test_languages(product: dict) -> None:
    Product.model_validate(_set(product, "labelling.languages", ["en", "de", "vi", "tl", "ms", "th", "id"]))
    for bad in ("EN", "eng", "jp", "fil", "xx", "english"):
        err = _one_error(Product, _set(product, "labelling.languages", ["en", bad]))
        assert err["loc"] == ("labelling", "languages", 1)
    assert "use tl" in _one_error(Product, _set(product, "labelling.languages", ["fil"]))["msg"]


# ---------------------------------------------------------------------------------------------------
# text fields and formats
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path,value", [("identifiers.hs_code", 851822), ("dg_class", 9), ("sku", 12345),
                                        ("registrations.0.number", 12345678), ("name", True),
                                        ("brand", datetime.date(2025, 1, 1))])
def test_text_fields_reject_numbers_booleans_and_dates_with_a_quoting_hint(product: dict, path: str, value: Any) -> None:
    err = _one_error(Product, _set(product, path, value))
    assert err["loc"] == _loc(path) and "quote" in err["msg"]


@pytest.mark.parametrize("value,ok", [("851822", True), ("8518220000", True), ("85182", False),
                                      ("8518.22", False), ("85182200001", False)])
def test_hs_code(product: dict, value: str, ok: bool) -> None:
    data = _set(product, "identifiers.hs_code", value)
    if ok:
        Product.model_validate(data)
    else:
        assert _one_error(Product, data)["loc"] == ("identifiers", "hs_code")


def test_cas_numbers(product: dict) -> None:
    for bad in ("117817", "117-81-77", "CAS 117-81-7"):
        assert _one_error(Product, _set(product, "substances.0.cas", bad))["loc"] == ("substances", 0, "cas")


def test_substance_needs_name_or_cas(product: dict) -> None:
    Product.model_validate(_set(product, "substances.0", {"cas": "117-81-7", "concentration_pct": 0.1}))
    Product.model_validate(_set(product, "substances.0", {"name": "Lead"}))
    assert _one_error(Product, _set(product, "substances.0", {"concentration_pct": 0.1}))["loc"] == ("substances", 0)


def test_urls(seller: dict) -> None:
    for bad in ("sonora.example", "ftp://sonora.example", "https://"):
        assert _one_error(Seller, _set(seller, "websites", [bad]))["loc"] == ("websites", 0)


def test_listing_attributes_are_strings(listing: dict) -> None:
    err = _one_error(Listing, _set(listing, "attributes.batteries_included", True))
    assert err["loc"] == ("attributes", "batteries_included")


def test_sku_must_not_be_empty(product: dict) -> None:
    assert _one_error(Product, _set(product, "sku", ""))["loc"] == ("sku",)


# ---------------------------------------------------------------------------------------------------
# JSON Schemas
# ---------------------------------------------------------------------------------------------------


def _objects(node: Any):
    if isinstance(node, dict):
        if node.get("type") == "object":
            yield node
        for value in node.values():
            yield from _objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _objects(value)


def test_generate_schemas_shape() -> None:
    schemas = generate_schemas()
    assert set(schemas) == {"product", "listing", "seller"}
    for key, schema in schemas.items():
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["$id"] == f"https://raw.githubusercontent.com/compliance-engine/compliance-engine/main/schemas/{key}.schema.json"
        assert key.capitalize() in schema["title"]
        assert schema["properties"]["kind"]["const"] == key.capitalize()
        objects = list(_objects(schema))
        assert len(objects) > 3
        for obj in objects:  # x- keys visible on every object
            assert obj["patternProperties"]["^x-"] == {}, obj
    assert set(schemas["product"]["required"]) == {"kind", "sku", "category"}
    assert set(schemas["listing"]["required"]) == {"kind", "product", "marketplace", "market"}
    assert schemas["seller"]["required"] == ["kind"]
    assert json.loads(json.dumps(schemas)) == schemas  # plain JSON


def test_schemas_are_valid_and_accept_the_example() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schemas = generate_schemas()
    for key, text in (("product", PRODUCT_YAML), ("listing", LISTING_YAML), ("seller", SELLER_YAML)):
        jsonschema.Draft202012Validator.check_schema(schemas[key])
        validator = jsonschema.Draft202012Validator(schemas[key])
        data = json.loads(json.dumps(_load(text), default=str))
        assert list(validator.iter_errors(data)) == []
        data["x-anything"] = {"free": True}
        assert list(validator.iter_errors(data)) == []
        data["not_a_field"] = 1
        assert list(validator.iter_errors(data)) != []


def test_schema_lists_closed_vocabularies() -> None:
    product = generate_schemas()["product"]
    battery = product["$defs"]["Battery"]["properties"]["chemistry"]
    assert vocab.BATTERY_CHEMISTRY[0] in json.dumps(battery)
    listing = generate_schemas()["listing"]
    assert set(vocab.MARKETPLACES) <= set(json.dumps(listing["properties"]["marketplace"]).replace('"', " ").split())


# ---------------------------------------------------------------------------------------------------
# vocab
# ---------------------------------------------------------------------------------------------------


def test_market_groups() -> None:
    assert len(vocab.EU27) == 27 and len(set(vocab.EU27)) == 27
    assert vocab.SEA == ("ID", "MY", "PH", "SG", "TH", "VN")
    assert vocab.MARKET_GROUPS == {"EU": vocab.EU27, "SEA": vocab.SEA}
    assert "GB" not in vocab.EU27 and "XI" not in vocab.EU27


def test_expand_markets() -> None:
    assert vocab.expand_markets([]) == []
    assert vocab.expand_markets(["DE", "GB"]) == ["DE", "GB"]
    out = vocab.expand_markets(["FR", "EU", "SG", "SEA", "XI", "FR", "US"])
    assert out[0] == "FR" and out.count("FR") == 1
    assert out[1:27] == [c for c in vocab.EU27 if c != "FR"]
    assert out[27:] == ["SG", "ID", "MY", "PH", "TH", "VN", "XI", "US"]
    assert vocab.expand_markets(iter(["SEA"])) == list(vocab.SEA)


def test_vocabularies_have_no_duplicates() -> None:
    for name in dir(vocab):
        value = getattr(vocab, name)
        if name.isupper() and isinstance(value, tuple):
            assert len(set(value)) == len(value), name
    assert set(vocab.PRODUCT_REGISTRATION_TYPES).isdisjoint(vocab.SELLER_REGISTRATION_TYPES)
    assert set(vocab.REGISTRATION_TYPES) == set(vocab.PRODUCT_REGISTRATION_TYPES) | set(vocab.SELLER_REGISTRATION_TYPES)


def test_vocabularies_cover_the_example(product: dict, listing: dict, seller: dict) -> None:
    for doc in product["documents"] + seller["documents"]:
        assert doc["type"] in vocab.DOCUMENT_TYPES
        for law in doc.get("covers", []):
            assert law in vocab.LEGISLATION_KEYS
    for reg in product["registrations"] + seller["registrations"]:
        assert reg["type"] in vocab.REGISTRATION_TYPES
    for mark in product["labelling"]["marks"] + listing["displayed_marks"]:
        assert mark in vocab.MARKS
    for value in listing["displays"]:
        assert value in vocab.DISPLAY_VALUES
    for op in product["economic_operators"]:
        assert op["role"] in vocab.ROLES
    assert product["category"] in vocab.CATEGORY_SUBKEYS
    assert set(vocab.EU27) <= vocab.COUNTRY_CODES and "XI" in vocab.COUNTRY_CODES and "UK" not in vocab.COUNTRY_CODES
    assert {"en", "de", "vi", "tl"} <= vocab.LANGUAGE_CODES and {"EUR", "USD", "SGD"} <= vocab.CURRENCY_CODES
    assert vocab.DOCUMENT_KINDS[0] == "rct" and "recycled-content-certificate" in vocab.DOCUMENT_KINDS
    assert "general-safety" in vocab.WARNING_KEYS


def test_model_by_kind() -> None:
    assert MODEL_BY_KIND == {"Product": Product, "Listing": Listing, "Seller": Seller}
