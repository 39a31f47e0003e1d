"""Deterministic generator of realistic product catalogues for the benchmarks.

    from benchmarks.generate import generate_catalogue, write_catalogue
    products, seller = generate_catalogue(2000, seed=7)        # pure: dicts only
    paths = write_catalogue(".bench/catalogue-2000", 2000)     # products/<sku>.yaml + seller.yaml

    python benchmarks/generate.py DIR [--products N] [--seed S] [--format yaml|json]

The catalogue follows the shape of real cross-border catalogues (the example products in ``products/``):
category mix electronics 35 % (audio, chargers, radio devices, batteries), cosmetics 20 %, toys 15 %,
apparel 20 %, food 10 %; 1-4 markets per product drawn from EU-heavy weights; listings on the
marketplaces of each market; 2-8 documents per product with the types each category needs, some expired,
some missing. Every product is a valid ``kind: Product`` manifest with embedded ``listings:``.

Determinism: product ``i`` depends only on ``(seed, i)`` (its own ``random.Random``), so a catalogue of
20,000 products is the first 20,000 of a catalogue of 200,000, and the same arguments always give
byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sys
from pathlib import Path
from typing import Any

#: Bump when the generated content changes: the marker file then no longer matches and files are rewritten.
GENERATOR_VERSION = 3  # 3: products in subdirectories of 1,000 files
MARKER_NAME = ".bench-catalogue.json"

# ------------------------------------------------------------------------------------------------------
# markets, marketplaces, currencies
# ------------------------------------------------------------------------------------------------------

EU_MARKETS = ("DE", "FR", "IT", "ES", "NL", "PL", "SE")
SEA_MARKETS = ("ID", "TH", "MY", "SG", "PH", "VN")
MARKET_WEIGHTS = {
    "DE": 18, "FR": 12, "IT": 8, "ES": 8, "NL": 6, "PL": 5, "SE": 3,
    "GB": 10, "US": 14,
    "ID": 4, "TH": 3, "MY": 3, "SG": 3, "PH": 2, "VN": 2,
}
MARKET_COUNT_WEIGHTS = {1: 35, 2: 30, 3: 20, 4: 15}
CURRENCY = {
    "DE": "EUR", "FR": "EUR", "IT": "EUR", "ES": "EUR", "NL": "EUR", "PL": "PLN", "SE": "SEK",
    "GB": "GBP", "US": "USD", "ID": "IDR", "TH": "THB", "MY": "MYR", "SG": "SGD", "PH": "PHP", "VN": "VND",
}
#: rough units of local currency per EUR, to turn a base price into a local one
FX = {"EUR": 1, "PLN": 4.3, "SEK": 11.4, "GBP": 0.85, "USD": 1.08, "IDR": 17500, "THB": 38, "MYR": 5.0,
      "SGD": 1.45, "PHP": 62, "VND": 27500}
LANGUAGE = {
    "DE": "de", "FR": "fr", "IT": "it", "ES": "es", "NL": "nl", "PL": "pl", "SE": "sv", "GB": "en", "US": "en",
    "ID": "id", "TH": "th", "MY": "ms", "SG": "en", "PH": "en", "VN": "vi",
}
MARKETPLACES = {
    "EU": {"amazon": 60, "ebay": 15, "own-site": 12, "temu": 8, "aliexpress": 5},
    "GB": {"amazon": 60, "ebay": 20, "tiktok-shop": 10, "own-site": 10},
    "US": {"amazon": 60, "walmart": 12, "ebay": 10, "tiktok-shop": 10, "own-site": 8},
    "ID": {"shopee": 40, "tokopedia": 30, "lazada": 15, "tiktok-shop": 15},
    "SG": {"shopee": 40, "lazada": 35, "amazon": 15, "qoo10": 10},
    "SEA": {"shopee": 45, "lazada": 35, "tiktok-shop": 20},
}
SEA_CHANNEL = {"shopee": "SLS", "lazada": "LGS", "tiktok-shop": "ship-by-tiktok", "tokopedia": "tokopedia-reguler",
               "qoo10": "qxpress"}
GPSR_DISPLAYS = ("manufacturer-contact", "responsible-person", "safety-warnings", "product-images",
                 "product-identifier")

# ------------------------------------------------------------------------------------------------------
# categories
# ------------------------------------------------------------------------------------------------------

CATEGORY_WEIGHTS = {"electronics": 35, "cosmetics": 20, "toys": 15, "apparel": 20, "food": 10}
ELECTRONICS_KIND_WEIGHTS = {"audio": 35, "charger": 25, "radio": 25, "battery": 15}

BRANDS = {
    "electronics": ["Sonora", "Voltix", "Nordpeak", "Kairo", "Brightwave", "Lumetra", "Zentro", "Ampora"],
    "cosmetics": ["Lumiya", "Verdelle", "Aurea Skin", "Kiyomi", "Maison Rose", "Sabai Botanics", "Dermaline"],
    "toys": ["Pip & Pebble", "Wunderwald", "Tiny Orbit", "Playloom", "Kokoro Kids", "Bramble Bear"],
    "apparel": ["Terra Loom", "Northline", "Kestrel & Co", "Urban Sprout", "Linnea", "Sol Andina"],
    "food": ["Green Harvest", "Nusantara Pantry", "Alpine Vital", "Mekong Foods", "Bee & Bloom", "Oatfield"],
}

#: manufacturer name pattern and address per country of origin ({b} = brand stem, {trade} = the category's trade)
MANUFACTURERS = {
    "CN": [("Shenzhen {b} {trade} Co., Ltd.", "{n} Keji Road, Nanshan, Shenzhen 518057", "+86 755"),
           ("Dongguan {b} {trade} Co., Ltd.", "{n} Songshan Lake Avenue, Dongguan, Guangdong 523808", "+86 769"),
           ("Guangzhou {b} {trade} Co., Ltd.", "No. {n} Huanan Road, Baiyun District, Guangzhou 510450", "+86 20"),
           ("Ningbo {b} {trade} Co., Ltd.", "{n} Yinzhou Avenue, Ningbo, Zhejiang 315100", "+86 574"),
           ("Yiwu {b} {trade} Co., Ltd.", "{n} Chouzhou North Road, Yiwu, Zhejiang 322000", "+86 579")],
    "IN": [("Tiruppur {b} {trade} Pvt. Ltd.", "SF No. {n}/3, Avinashi Road, Tiruppur, Tamil Nadu 641603", "+91 421")],
    "BD": [("Dhaka {b} {trade} Ltd.", "Plot {n}, Ashulia, Savar, Dhaka 1349", "+880 2")],
    "VN": [("{b} {trade} Vietnam Co., Ltd.", "Lot {n}, VSIP II, Thu Dau Mot, Binh Duong", "+84 274")],
    "TR": [("{b} {trade} A.S.", "{n}. Sokak, Merter, Istanbul 34169", "+90 212")],
    "KR": [("{b} {trade} Co., Ltd.", "{n} Teheran-ro, Gangnam-gu, Seoul 06164", "+82 2")],
    "FR": [("{b} {trade} SAS", "{n} rue de la Republique, 69002 Lyon", "+33 4")],
    "TH": [("{b} {trade} (Thailand) Co., Ltd.", "{n} Moo 4, Bangna-Trad Road, Samut Prakan 10540", "+66 2")],
    "MY": [("{b} {trade} Sdn. Bhd.", "Lot {n}, Jalan Perindustrian, 47500 Subang Jaya", "+60 3")],
    "IT": [("{b} {trade} S.r.l.", "Via Emilia {n}, 43126 Parma", "+39 0521")],
    "DE": [("{b} {trade} GmbH", "Industriestrasse {n}, 79108 Freiburg", "+49 761")],
}
TRADE = {"electronics": "Electronics", "cosmetics": "Cosmetics", "toys": "Toys", "apparel": "Garments",
         "food": "Foods"}
ORIGIN_WEIGHTS = {
    "electronics": {"CN": 92, "VN": 8},
    "cosmetics": {"CN": 55, "KR": 25, "FR": 12, "TH": 8},
    "toys": {"CN": 90, "VN": 10},
    "apparel": {"CN": 35, "IN": 25, "BD": 20, "VN": 12, "TR": 8},
    "food": {"TH": 25, "MY": 20, "IT": 20, "DE": 20, "CN": 15},
}
COUNTRY_NAME = {"CN": "China", "IN": "India", "BD": "Bangladesh", "VN": "Vietnam", "TR": "Turkey", "KR": "Korea",
                "FR": "France", "TH": "Thailand", "MY": "Malaysia", "IT": "Italy", "DE": "Germany"}

LABS = {
    "CN": ("Shenzhen Testing Lab Co.", "CNAS L1234"), "VN": ("Vietnam Test Center", "VILAS 421"),
    "KR": ("Korea Testing Research Institute", "KOLAS KT-118"), "FR": ("Eurofins Cosmetics France", "COFRAC 1-1234"),
    "TH": ("Central Lab Thailand Co., Ltd.", "TLA-0187"), "IN": ("Tiruppur Textile Testing Laboratory", "NABL TC-7841"),
    "BD": ("Bureau Veritas Bangladesh", "BAB 047"), "TR": ("Intertek Istanbul", "TURKAK AB-0211-T"),
    "MY": ("SIRIM QAS International", "SAMM 123"), "IT": ("Laboratorio Analisi Parma", "ACCREDIA 0871"),
    "DE": ("SGS Institut Fresenius", "DAkkS D-PL-14115"),
}

OPERATOR_CITY = {
    "EU": ("Europe GmbH", "Friedrichstrasse {n}, 10117 Berlin", "DE"),
    "GB": ("UK Ltd", "{n} Park Row, Leeds LS1 5AB", "GB"),
    "US": ("Inc.", "{n} Main St, Wilmington, DE 19801", "US"),
    "ID": ("PT {b} Indonesia", "Jl. Jend. Sudirman Kav. {n}, Jakarta 12190", "ID"),
    "TH": ("(Thailand) Co., Ltd.", "{n} Rama IV Road, Silom, Bangkok 10500", "TH"),
    "MY": ("(M) Sdn. Bhd.", "Level {n}, Menara Binjai, 50450 Kuala Lumpur", "MY"),
    "SG": ("SG Pte. Ltd.", "{n} Anson Road, Singapore 079903", "SG"),
    "PH": ("Philippines Inc.", "{n} Ayala Avenue, Makati City 1226", "PH"),
    "VN": ("Vietnam Co., Ltd.", "{n} Le Loi, District 1, Ho Chi Minh City", "VN"),
}

INCI = [
    ("Aqua", "7732-18-5", "other"), ("Glycerin", "56-81-5", "other"), ("Niacinamide", "98-92-0", "other"),
    ("Butyrospermum Parkii Butter", "194043-92-0", "other"), ("Cetearyl Alcohol", "67762-27-0", "other"),
    ("Glyceryl Stearate", "31566-31-1", "other"), ("Squalane", "111-01-3", "other"),
    ("Panthenol", "81-13-0", "other"), ("Phenoxyethanol", "122-99-6", "preservative"),
    ("Xanthan Gum", "11138-66-2", "other"), ("Allantoin", "97-59-6", "other"),
    ("Ethylhexylglycerin", "70445-33-9", "preservative"), ("Sodium Hyaluronate", "9067-32-7", "other"),
    ("Tocopherol", "59-02-9", "other"), ("Citric Acid", "77-92-9", "other"),
    ("Ascorbic Acid", "50-81-7", "other"), ("Sodium Benzoate", "532-32-1", "preservative"),
    ("Parfum", None, "fragrance"), ("Limonene", "5989-27-5", "fragrance"), ("Linalool", "78-70-6", "fragrance"),
    ("CI 77891", "13463-67-7", "colorant"), ("Sodium Laureth Sulfate", "9004-82-4", "other"),
    ("Cocamidopropyl Betaine", "61789-40-0", "other"), ("Caprylic/Capric Triglyceride", "65381-09-1", "other"),
]
COSMETIC_TYPES = [  # (noun, application, areas, net quantity)
    ("Face Cream", "leave-on", ["face"], "50 ml"), ("Brightening Serum", "leave-on", ["face"], "30 ml"),
    ("Body Lotion", "leave-on", ["body"], "200 ml"), ("Shampoo", "rinse-off", ["hair"], "250 ml"),
    ("Lip Balm", "leave-on", ["lips"], "4.5 g"), ("Hand Cream", "leave-on", ["hands"], "75 ml"),
    ("Shower Gel", "rinse-off", ["body"], "300 ml"), ("Eye Gel", "leave-on", ["eyes"], "15 ml"),
]
COSMETIC_REGISTRATION = {  # market -> registration type
    "ID": "bpom-notification", "TH": "th-fda-cosmetic-notification", "MY": "npra-cosmetic-notification",
    "SG": "hsa-cosmetic-notification", "PH": "ph-fda-cpn", "VN": "vn-cosmetic-notification",
}
FOOD_REGISTRATION = {"ID": "bpom-ml", "TH": "th-fda-food-number", "PH": "ph-fda-cpr", "VN": "vn-food-self-declaration"}
FOOD_TYPES = [  # (noun, category, hs code, allergens, facts panel, net quantity)
    ("Instant Noodles Tom Yum", "food", "190230", ["wheat", "soybeans"], "nutrition-facts", "5 x 70 g"),
    ("Roasted Almonds", "food", "080212", ["tree-nuts"], "nutrition-facts", "200 g"),
    ("Oat Cookies", "food", "190531", ["wheat", "milk"], "nutrition-facts", "250 g"),
    ("Coconut Chips", "food", "200819", [], "nutrition-facts", "120 g"),
    ("Vitamin D3 Capsules", "dietary-supplement", "210690", [], "supplement-facts", "90 capsules"),
    ("Magnesium Tablets", "dietary-supplement", "210690", [], "supplement-facts", "120 tablets"),
]
FOOD_INGREDIENTS = ["Wheat Flour", "Palm Oil", "Sugar", "Salt", "Almonds", "Oats", "Butter", "Coconut",
                    "Soy Sauce", "Chili", "Lemongrass", "Rice Bran Oil", "Skimmed Milk Powder", "Garlic"]
#: the characteristic ingredients of each food, in descending order
FOOD_BASE_INGREDIENTS = {
    "Instant Noodles Tom Yum": ["Wheat Flour", "Palm Oil", "Salt", "Soy Sauce", "Lemongrass", "Chili"],
    "Roasted Almonds": ["Almonds", "Rice Bran Oil", "Salt"],
    "Oat Cookies": ["Oats", "Wheat Flour", "Butter", "Sugar", "Salt"],
    "Coconut Chips": ["Coconut", "Sugar", "Salt"],
}
#: the major allergens (labelling.allergen_statement keys) an ingredient brings
FOOD_ALLERGENS = {"Wheat Flour": ["wheat"], "Almonds": ["tree-nuts"], "Butter": ["milk"],
                  "Skimmed Milk Powder": ["milk"], "Soy Sauce": ["soybeans", "wheat"]}
SUPPLEMENT_ACTIVES = [("Cholecalciferol", "1000 IU"), ("Magnesium Citrate", "375 mg"), ("Zinc Gluconate", "10 mg")]

TOY_TYPES = [  # (noun, min age, max age, small parts, materials)
    ("Wooden Stacking Rings", 1, 3, False, ["wood", "coating"]),
    ("Building Blocks Set", 3, 8, True, ["plastic"]),
    ("Plush Bear", 0, 6, False, ["textile"]),
    ("Puzzle 100 Pieces", 5, 10, True, ["paper"]),
    ("Remote Control Car", 6, 12, True, ["plastic", "metal"]),
    ("Shape Sorter", 1, 3, False, ["wood", "coating"]),
]
APPAREL_TYPES = [  # (noun, hs code, size range, fibres)
    ("Organic Cotton T-Shirt", "61091000", "S-XXL", [("cotton", 100)]),
    ("Hoodie", "61102000", "S-XL", [("cotton", 80), ("polyester", 20)]),
    ("Kids Pyjama Set", "61083100", "2T-7", [("cotton", 100)]),
    ("Running Leggings", "61046300", "XS-XL", [("polyester", 78), ("elastane", 22)]),
    ("Merino Socks", "61159500", "36-46", [("wool", 70), ("polyamide", 28), ("elastane", 2)]),
    ("Linen Shirt", "62052000", "S-XXL", [("linen", 100)]),
]
ELECTRONICS_TYPES = {
    # noun, category, hs code, radio, battery Wh (None = none), mains powered
    "audio": [("Wireless Earbuds", "electronics.audio", "851830", True, 1.9, False),
              ("Portable Bluetooth Speaker", "electronics.audio", "851822", True, 7.4, False),
              ("Over-Ear Headphones", "electronics.audio", "851830", True, 2.6, False)],
    "charger": [("USB-C GaN Charger 65W", "electrical-appliance", "850440", False, None, True),
                ("Wireless Charging Pad 15W", "electrical-appliance", "850440", False, None, True),
                ("Car Charger 45W", "electrical-appliance", "850440", False, None, False)],
    "radio": [("Bluetooth Keyboard", "electronics.peripherals", "847160", True, 0.9, False),
              ("Fitness Tracker", "electronics", "851762", True, 0.4, False),
              ("Smart Wi-Fi Plug", "electrical-appliance", "853650", True, None, True)],
    "battery": [("AA Rechargeable Batteries 4-Pack", "batteries", "850750", False, 3.0, False),
                ("CR2032 Coin Cells 5-Pack", "batteries", "850650", False, 0.7, False),
                ("Power Bank 10000 mAh", "electronics", "850760", False, 37.0, False)],
}

DAY0 = dt.date(2023, 1, 1)


def _days(rng: random.Random, low: int, high: int) -> dt.date:
    return DAY0 + dt.timedelta(days=rng.randint(low, high))


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _sample_weighted(rng: random.Random, weights: dict[str, int], k: int) -> list[str]:
    pool = dict(weights)
    out: list[str] = []
    while pool and len(out) < k:
        key = _pick(rng, pool)
        out.append(key)
        del pool[key]
    return out


def _gtin(rng: random.Random) -> str:
    body = "0" + "".join(str(rng.randint(0, 9)) for _ in range(12))
    digits = [int(c) for c in body[1:]]
    total = sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits))
    return body[1:] + str((10 - total % 10) % 10)


def _jurisdiction(market: str) -> str:
    return "EU" if market in EU_MARKETS else market


def _marketplace_group(market: str) -> str:
    if market in EU_MARKETS:
        return "EU"
    if market in ("GB", "US", "ID", "SG"):
        return market
    return "SEA"


def _lab(rng: random.Random, country: str) -> dict:
    name, acc = LABS.get(country, LABS["CN"])
    return {"name": name, "role": "test-lab", "id": acc, "country": country, "iso17025": True}


class _Docs:
    """Collects a product's documents; some are left out (missing) and some carry a past expiry date."""

    def __init__(self, rng: random.Random, issued_before: dt.date):
        self.rng = rng
        self.issued_before = issued_before
        self.items: list[dict] = []

    def add(self, doc_id: str, doc_type: str, *, essential: bool = False, expiring: bool = False, **fields: Any) -> bool:
        if not essential and self.rng.random() < 0.12:
            return False  # missing on purpose
        if any(d["id"] == doc_id for d in self.items):
            return False
        issued = self.issued_before - dt.timedelta(days=self.rng.randint(10, 400))
        doc = {"id": doc_id, "type": doc_type, **fields, "issued": issued}
        if expiring:
            # about a quarter of expiring documents ran out before late 2026
            years = 1 if self.rng.random() < 0.25 else 3
            doc["expires"] = issued + dt.timedelta(days=365 * years - 1)
        self.items.append(doc)
        return True

    def ids(self) -> set[str]:
        return {d["id"] for d in self.items}


def _operators(rng: random.Random, brand: str, jurisdictions: list[str], extra_roles: dict[str, list[str]]) -> list[dict]:
    ops: list[dict] = []
    for j in jurisdictions:
        roles: list[str]
        if j == "EU":
            roles = [rng.choice(["importer", "importer", "authorised-representative"])] if rng.random() < 0.85 else []
        elif j == "US":
            roles = ["importer-of-record"] if rng.random() < 0.9 else []
        else:
            roles = ["importer"] if rng.random() < 0.75 else []
        roles += [r for r in extra_roles.get(j, []) if r not in roles]
        suffix, address, country = OPERATOR_CITY[j]
        name = suffix.replace("{b}", brand) if "{b}" in suffix else f"{brand} {suffix}"
        slug = brand.lower().replace(" & ", "-").replace(" ", "-")
        address = address.format(n=rng.randint(1, 400))
        for role in roles:
            ops.append({"jurisdiction": j, "role": role, "name": name, "address": address, "country": country,
                        "email": f"{j.lower()}-{role.split('-')[0]}@{slug}.example"})
    return ops


def _listing(rng: random.Random, market: str, marketplace: str, title: str, price_eur: float, origin: str,
             category: str, launch: dt.date) -> dict:
    currency = CURRENCY[market]
    amount = price_eur * FX[currency]
    amount = round(amount, 2) if FX[currency] < 20 else float(round(amount, -2))
    lst: dict[str, Any] = {"marketplace": marketplace, "market": market, "language": LANGUAGE[market],
                           "title": title}
    if rng.random() < 0.7:
        lst["bullets"] = rng.sample(
            ["Ships in retail packaging", "Tested to international standards", "Designed in Europe",
             "Two-year warranty", "Gift-ready box", "Customer service in your language"], rng.randint(1, 3))
    lst["price"] = {"amount": amount, "currency": currency}
    group = _marketplace_group(market)
    if marketplace in ("amazon", "walmart") and rng.random() < 0.75:
        lst["fulfilment"] = "marketplace"
        lst["ships_from"] = rng.choice(["DE", "DE", "PL"]) if group == "EU" else market
        lst["shipping"] = {"mode": "domestic", "channel": f"{marketplace}-fba" if marketplace == "amazon" else "wfs",
                           "handling_time_days": 1, "promised_delivery_days": rng.randint(1, 3)}
        lst["tax_collected_by"] = "marketplace"
    elif group in ("SEA", "ID", "SG") and marketplace in SEA_CHANNEL:
        local = rng.random() < 0.4
        lst["fulfilment"] = "third-party-warehouse" if local else "seller"
        lst["ships_from"] = market if local else "CN"
        shipping: dict[str, Any] = {"mode": "domestic" if local else "air", "channel": SEA_CHANNEL[marketplace]}
        if not local:
            shipping["consignment_value"] = {"amount": amount, "currency": currency}
        lst["shipping"] = shipping
        lst["tax_collected_by"] = "marketplace" if rng.random() < 0.8 else "seller"
    else:
        lst["fulfilment"] = "seller"
        lst["ships_from"] = rng.choice(["CN", "CN", origin if origin in CURRENCY else "CN"])
        lst["shipping"] = {"mode": rng.choice(["air", "post"]), "handling_time_days": rng.randint(1, 5),
                           "promised_delivery_days": rng.randint(5, 14),
                           "consignment_value": {"amount": amount, "currency": currency}}
        lst["tax_collected_by"] = "marketplace" if marketplace != "own-site" else "seller"
    lst["live_from"] = launch + dt.timedelta(days=rng.randint(7, 120))
    displays = ["product-images", "product-identifier"]
    if group == "EU":
        displays = [d for d in GPSR_DISPLAYS if rng.random() < 0.85] or ["product-images"]
    if market == "US":
        displays.append("country-of-origin")
        if category == "toys":
            displays.append("age-warning")
    if category in ("cosmetics", "food"):
        displays.append("ingredient-list-image")
    lst["displays"] = displays
    if market == "US":
        lst["attributes"] = {"country_of_origin": COUNTRY_NAME.get(origin, origin)}
    return lst


def _base(rng: random.Random, sku: str, name: str, brand: str, model: str, category: str, hs_code: str,
          markets: list[str], origin: str, trade: str) -> dict:
    mname, maddr, dial = rng.choice(MANUFACTURERS[origin])
    short = brand.split()[0].replace("&", "").strip()
    slug = brand.lower().replace(" & ", "-").replace(" ", "-")
    return {
        "kind": "Product",
        "sku": sku,
        "name": name,
        "brand": brand,
        "identifiers": {"gtin": _gtin(rng), "model": model, "hs_code": hs_code},
        "category": category,
        "markets": markets,
        "intended_for": "consumers",
        "country_of_origin": origin,
        "manufactured_from": _days(rng, 200, 1100),
        "manufacturer": {"name": mname.format(b=short, trade=trade), "address": maddr.format(n=rng.randint(1, 300)),
                         "country": origin, "email": f"qa@{slug}-factory.example",
                         "phone": f"{dial} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"},
    }


def _labelling(rng: random.Random, markets: list[str], origin: str, marks: list[str], eu_jurisdiction: bool,
               extra: dict | None = None) -> dict:
    langs = sorted({"en", *(LANGUAGE[m] for m in markets)})
    if rng.random() < 0.15 and len(langs) > 1:
        langs = ["en"]  # labels only in English: a realistic gap
    contacts = [{"role": "manufacturer", "channels": ["address", "email"]}]
    if eu_jurisdiction:
        contacts.append({"role": "importer", "jurisdiction": "EU", "qualifier": "imported-by",
                         "channels": ["address", "email"]})
    lab: dict[str, Any] = {"languages": langs, "warnings_languages": list(langs), "marks": marks,
                           "contacts_on_pack": contacts,
                           "origin_statement": f"Made in {COUNTRY_NAME.get(origin, origin)}",
                           "batch_code": rng.random() < 0.9}
    lab.update(extra or {})
    return lab


def _package(rng: random.Random, size_cm: tuple[float, float, float], weight_g: int) -> dict:
    length, width, height = size_cm
    package: dict[str, Any] = {
        "kind": rng.choice(["sales", "sales", "sales-as-e-commerce"]), "length_cm": length, "width_cm": width,
        "height_cm": height, "weight_g": weight_g,
        "product_volume_cm3": round(length * width * height * rng.uniform(0.3, 0.8)),
        "materials": [{"material": "paper", "weight_g": max(5, weight_g // 8), "recycled_pct": rng.choice([0, 50, 70, 80])},
                      {"material": "plastic", "weight_g": rng.randint(2, 15)}]}
    if rng.random() < 0.7:
        package["pfas_intentionally_added"] = False
    return package


# ------------------------------------------------------------------------------------------------------
# category builders
# ------------------------------------------------------------------------------------------------------


def _electronics(rng: random.Random, p: dict, docs: _Docs, markets: list[str], kind: str, spec: tuple) -> None:
    noun, _category, _hs, radio, wh, mains = spec
    model = p["identifiers"]["model"]
    elec: dict[str, Any] = {"mains_powered": mains, "digital_device": kind != "battery", "wearable": noun in (
        "Wireless Earbuds", "Fitness Tracker")}
    if mains:
        elec["ac_input_v"] = {"min": 100, "max": 240}
    else:
        elec["dc_input_v"] = 5
    if radio:
        wifi = "Wi-Fi" in noun
        elec["radio"] = {"bluetooth": not wifi, "wifi": wifi, "cellular": False, "nfc": False, "other": False,
                         "frequency_bands_mhz": [[2400, 2483.5]], "max_eirp_mw": rng.choice([4, 6, 8, 10, 20]),
                         "internet_connected": wifi, "processes_personal_data": wifi or noun == "Fitness Tracker",
                         "payment_function": False}
    if wh is not None:
        coin = "Coin" in noun
        chemistry = "lithium-metal" if coin else ("nickel-metal-hydride" if "AA" in noun else "lithium-ion")
        elec["battery"] = {"chemistry": chemistry, "watt_hours": wh, "cell_watt_hours": wh if kind != "battery" else round(wh / 4, 2),
                           "count": 5 if coin else (4 if "AA" in noun else 1),
                           "form": "button-coin" if coin else ("cylindrical" if kind == "battery" else rng.choice(["pouch", "cylindrical", "prismatic"])),
                           "removable": kind == "battery",
                           "packing": "standalone" if kind == "battery" else "contained-in-equipment",
                           "label_compliant_2026": rng.random() < 0.4}
    if kind in ("audio", "radio") and noun != "Smart Wi-Fi Plug":
        elec["charging"] = {"port": rng.choice(["usb-c", "usb-c", "usb-c", "micro-usb"]), "max_power_w": rng.choice([5, 10, 15]),
                            "usb_pd": False}
    p["electrical"] = elec
    p["materials"] = [{"material": "plastic", "weight_g": rng.randint(20, 300)}, {"material": "metal", "weight_g": rng.randint(5, 80)}]
    p["food_contact"] = False

    eu = any(m in EU_MARKETS for m in markets)
    eu_acts = ["RED", "RoHS"] if radio else (["LVD", "EMC", "RoHS"] if mains else (["EMC", "RoHS"] if kind != "battery" else ["BATT"]))
    std_pool = {"RED": ["EN 300 328 V2.2.2", "EN 301 489-17 V3.2.4", "EN 62479:2010"],
                "LVD": ["EN IEC 62368-1:2020+A11:2020"], "EMC": ["EN 55032:2015+A11:2020", "EN 55035:2017+A11:2020"],
                "RoHS": ["EN IEC 63000:2018"], "BATT": ["IEC 62133-2:2017"]}
    if eu or "GB" in markets:
        docs.add("doc-eu-doc", "eu-declaration-of-conformity", essential=True, covers=eu_acts, model=model,
                 standards=[s for a in eu_acts for s in std_pool[a]], language="en")
        docs.add("doc-tech-file", "technical-file", covers=eu_acts + ["GPSR"])
    docs.add("doc-tr-safety", "test-report", essential=not eu,
             standards=["IEC 62133-2:2017"] if wh else ["EN IEC 62368-1:2020+A11:2020"],
             model=model, result="pass" if rng.random() < 0.96 else "fail", issuer=_lab(rng, p["country_of_origin"]))
    if radio:
        docs.add("doc-tr-radio", "test-report", standards=std_pool["RED"], model=model, result="pass",
                 issuer=_lab(rng, p["country_of_origin"]))
    if "GB" in markets:
        docs.add("doc-uk-doc", "uk-declaration-of-conformity",
                 covers=["UK-RER-2017"] if radio else ["UK-EESR-2016", "UK-EMC-2016"], model=model)
    if "US" in markets:
        if radio:
            docs.add("doc-fcc-grant", "fcc-grant-of-certification", covers=["FCC-Part15"],
                     standards=["47 CFR 15 Subpart C"], model=model,
                     issuer={"name": "Example TCB Inc.", "role": "tcb", "country": "US"})
        elif kind != "battery":
            docs.add("doc-fcc-sdoc", "fcc-sdoc", covers=["FCC-Part15"], standards=["47 CFR 15 Subpart B"], model=model)
    if wh is not None and "lithium" in elec["battery"]["chemistry"]:
        docs.add("doc-un38-3", "un38.3-test-summary", covers=["UN38.3"], model=model)
        docs.add("doc-sds", "safety-data-sheet", product_name=p["name"], brand=p["brand"])
    docs.add("doc-manual", "user-instructions", language=LANGUAGE[markets[0]])
    marks = []
    if eu:
        marks += ["CE", "WEEE-bin"] + (["battery-bin"] if wh else [])
    if "GB" in markets:
        marks.append("UKCA")
    if "US" in markets and radio:
        marks.append("FCC-ID")
    p["labelling"] = _labelling(rng, markets, p["country_of_origin"], marks, eu,
                                {"serial_number": kind != "battery",
                                 "warnings": [{"key": "button-battery" if "Coin" in noun else "general-safety",
                                               "text": "Keep away from heat and water. Do not open the battery."}]})
    if "US" in markets and radio:
        p["labelling"]["fcc_statement"] = rng.choice(["manual", "on-device", "package"])
    regs = []
    if "US" in markets and radio:
        regs.append({"type": "fcc-id", "market": "US", "number": f"2B{rng.randint(100, 999)}{model.replace('-', '')}"})
    if "SG" in markets and radio:
        regs.append({"type": "imda-equipment-registration", "market": "SG", "number": f"N{rng.randint(1000, 9999)}-25",
                     "issued": _days(rng, 400, 900)})
    if "MY" in markets and radio and rng.random() < 0.7:
        regs.append({"type": "mcmc-certificate", "market": "MY", "number": f"RAAF/25K/{rng.randint(1000, 9999)}"})
    if "TH" in markets and radio and rng.random() < 0.7:
        regs.append({"type": "nbtc-certificate", "market": "TH", "number": f"NBTC-{rng.randint(10000, 99999)}"})
    if regs:
        p["registrations"] = regs
    if wh and wh > 20:
        p["dg_class"] = "9"


def _cosmetics(rng: random.Random, p: dict, docs: _Docs, markets: list[str], spec: tuple) -> None:
    _noun, application, areas, net = spec
    base = [INCI[0], INCI[1]] + rng.sample(INCI[2:], rng.randint(5, 11))
    water = round(rng.uniform(55, 80), 1)
    shares = sorted((round(rng.uniform(1, 8), 1) for _ in range(3)), reverse=True)  # descending, as on the label
    ingredients = []
    for i, (name, cas, function) in enumerate(base):
        ing: dict[str, Any] = {"name": name}
        if cas:
            ing["cas"] = cas
        if i == 0:
            ing["percent"] = water
        elif i < 4:
            ing["percent"] = shares[i - 1]
        ing["function"] = function
        ingredients.append(ing)
    p["ingredients"] = ingredients
    p["cosmetic"] = {"application": application, "areas": areas, "aerosol": False, "professional_use": False,
                     "shelf_life_months": rng.choice([24, 30, 36])}
    p["food_contact"] = False
    p["halal"] = {"status": rng.choice(["halal-certified", "unknown", "unknown", "not-applicable"])}
    eu = any(m in EU_MARKETS for m in markets)
    if eu or "GB" in markets:
        docs.add("doc-cpsr", "cosmetic-safety-assessment", essential=True, covers=["COSMETICS"],
                 issuer={"name": "Nordkosmetik Sicherheitsbewertung GmbH", "role": "test-lab", "country": "DE"})
        docs.add("doc-pif", "product-information-file", covers=["COSMETICS"])
    if "US" in markets:
        docs.add("doc-mocra-safety", "cosmetic-safety-assessment", covers=["MoCRA"],
                 issuer={"name": f"{p['brand']} Inc.", "role": "self", "country": "US"})
    if any(m in SEA_MARKETS for m in markets):
        docs.add("doc-asean-pif", "product-information-file", covers=["ACD"])
    docs.add("doc-gmp", "gmp-certificate", expiring=True, standards=["ISO 22716:2007"],
             issuer={"name": "Example Certification Co., Ltd.", "role": "certification-body", "country": p["country_of_origin"]})
    docs.add("doc-tr-micro", "test-report", essential=True, standards=["ISO 11930:2019", "ISO 21149:2017"],
             model=p["identifiers"]["model"], result="pass", issuer=_lab(rng, p["country_of_origin"]))
    if rng.random() < 0.5:
        if docs.add("doc-claim", "claim-substantiation", kind="clinical-open-label",
                    standards=["Corneometer CM 825, 24 subjects"], issuer=_lab(rng, p["country_of_origin"])):
            p["claims"] = [{"text": "Up to 48-hour hydration", "substantiation": "doc-claim"}]
        else:
            p["claims"] = [{"text": "Up to 48-hour hydration"}]
    if p["halal"]["status"] == "halal-certified" and docs.add("doc-halal", "halal-certificate", essential=True, expiring=True,
                                                              issuer={"name": "BPJPH", "role": "certification-body", "country": "ID"}):
        p["halal"]["certificate"] = "doc-halal"
    regs = []
    if eu and rng.random() < 0.9:
        regs.append({"type": "cpnp-notification", "market": "EU", "number": str(rng.randint(1000000, 9999999)),
                     "issued": _days(rng, 300, 800)})
    if "US" in markets and rng.random() < 0.85:
        regs.append({"type": "fda-cosmetic-product-listing", "market": "US",
                     "number": f"CPL-{rng.randint(10 ** 9, 10 ** 10 - 1)}-{rng.randint(1, 99):04d}",
                     "issued": _days(rng, 500, 1100)})
    for m in markets:
        if m in COSMETIC_REGISTRATION and rng.random() < 0.7:
            issued = _days(rng, 400, 1200)
            regs.append({"type": COSMETIC_REGISTRATION[m], "market": m, "number": f"{m}{rng.randint(10 ** 9, 10 ** 10 - 1)}",
                         "issued": issued, "expires": issued + dt.timedelta(days=365 * 3 - 1)})
    if regs:
        p["registrations"] = regs
    p["labelling"] = _labelling(rng, markets, p["country_of_origin"], ["PAO"] if eu else [], eu, {
        "warnings": [{"key": "cosmetic-caution", "text": "For external use only. Avoid contact with eyes."}],
        "ingredient_list": True, "net_quantity": net, "expiry_date": True,
        "period_after_opening_months": rng.choice([6, 12, 24])})


def _toys(rng: random.Random, p: dict, docs: _Docs, markets: list[str], spec: tuple) -> None:
    _noun, min_age, max_age, small_parts, materials = spec
    p["age_grade"] = {"min_years": min_age, "max_years": max_age}
    p["child_safety"] = {"small_parts": small_parts, "mouthable": min_age < 3, "small_balls": False,
                         "marbles": False, "latex_balloon": False}
    p["materials"] = [{"material": m, "weight_g": rng.randint(3, 400) if m != "coating" else rng.randint(1, 5)}
                      for m in materials]
    p["substances"] = []
    p["food_contact"] = False
    model = p["identifiers"]["model"]
    eu = any(m in EU_MARKETS for m in markets)
    lab = _lab(rng, p["country_of_origin"])
    if "US" in markets:
        lab = {**lab, "cpsc_accepted": True}
    docs.add("doc-tr-toy", "test-report", essential=True,
             standards=["EN 71-1:2014+A1:2018", "EN 71-2:2020", "EN 71-3:2019+A1:2021", "ASTM F963-23"],
             model=model, result="pass" if rng.random() < 0.95 else "fail", issuer=lab)
    if eu or "GB" in markets:
        docs.add("doc-eu-doc", "eu-declaration-of-conformity", covers=["TSD"], model=model,
                 standards=["EN 71-1:2014+A1:2018", "EN 71-2:2020", "EN 71-3:2019+A1:2021"])
        docs.add("doc-tech-file", "technical-file", covers=["TSD"])
        docs.add("doc-tsa", "toy-safety-assessment")
    if "GB" in markets:
        docs.add("doc-uk-doc", "uk-declaration-of-conformity", covers=["UK-TOYS-2011"], model=model)
    if "US" in markets:
        docs.add("doc-cpc", "childrens-product-certificate", covers=["CPSIA", "16CFR1250", "16CFR1303"],
                 standards=["ASTM F963-23", "16 CFR 1303"], model=model, language="en",
                 issuer={"name": f"{p['brand']} Inc.", "role": "self", "country": "US"})
        docs.add("doc-tracking", "tracking-label-artwork")
    docs.add("doc-manual", "user-instructions", language=LANGUAGE[markets[0]])
    warnings = [{"key": "general-safety", "text": "Adult supervision recommended."}]
    if small_parts:
        warnings.append({"key": "choking-hazard-small-parts",
                         "text": "WARNING: CHOKING HAZARD - Small parts. Not for children under 3 yrs."})
    marks = (["CE"] + (["toy-0-3"] if small_parts else [])) if eu else []
    if "GB" in markets:
        marks.append("UKCA")
    p["labelling"] = _labelling(rng, markets, p["country_of_origin"], marks, eu,
                                {"warnings": warnings, "tracking_label": "US" in markets})


def _apparel(rng: random.Random, p: dict, docs: _Docs, markets: list[str], spec: tuple) -> None:
    noun, _hs, size_range, fibres = spec
    p["textile"] = {"fibres": [{"fibre": f, "percent": pct} for f, pct in fibres]}
    sleepwear = "Pyjama" in noun
    p["apparel"] = {"sleepwear": sleepwear, "snug_fit": sleepwear, "size_range": size_range,
                    "drawstring_hood_neck": noun == "Hoodie" and rng.random() < 0.5, "drawstring_waist": False}
    if sleepwear:
        p["age_grade"] = {"min_years": 2, "max_years": 7}
    p["materials"] = [{"material": "textile", "weight_g": rng.randint(40, 600)}]
    p["substances"] = []
    p["halal"] = {"animal_derived": any(f == "wool" for f, _ in fibres)}
    p["food_contact"] = False
    model = p["identifiers"]["model"]
    eu = any(m in EU_MARKETS for m in markets)
    docs.add("doc-tr-chem", "test-report", essential=True,
             standards=["EN ISO 14184-1:2011", "EN ISO 14362-1:2017", "EN ISO 105-C06:2010"],
             model=model, result="pass", issuer=_lab(rng, p["country_of_origin"]))
    if eu:
        docs.add("doc-gpsr-ra", "gpsr-risk-assessment", covers=["GPSR"])
    if "US" in markets:
        covers = ["CPSA", "16CFR1610"] + (["16CFR1615"] if sleepwear else [])
        doc_type = "childrens-product-certificate" if sleepwear else "general-certificate-of-conformity"
        docs.add("doc-gcc", doc_type, covers=covers, standards=["16 CFR 1610"], model=model, language="en",
                 issuer={"name": f"{p['brand']} USA LLC", "role": "self", "country": "US"})
        docs.add("doc-label-art", "label-artwork")
        docs.add("doc-care-basis", "care-instruction-basis")
    docs.add("doc-tr-colour", "test-report", standards=["EN ISO 105-E04:2013", "EN ISO 3071:2020"], model=model,
             result="pass", issuer=_lab(rng, p["country_of_origin"]))
    if rng.random() < 0.3 and docs.add("doc-organic", "claim-substantiation", kind="recycled-content-certificate",
                                       expiring=True, issuer={"name": "Control Union", "role": "certification-body",
                                                              "country": "NL"}):
        p["claims"] = [{"text": "Made with certified organic fibres", "substantiation": "doc-organic"}]
    p["labelling"] = _labelling(rng, markets, p["country_of_origin"], [], eu, {
        "warnings": [{"key": "general-safety", "text": "Keep away from fire."}],
        "care_label": rng.random() < 0.92, "textile_identity": rng.choice(["rn", "name"])})


def _food(rng: random.Random, p: dict, docs: _Docs, markets: list[str], spec: tuple) -> None:
    noun, _category, _hs, allergens, panel, net = spec
    supplement = panel == "supplement-facts"
    if supplement:
        active, amount = rng.choice(SUPPLEMENT_ACTIVES)
        p["ingredients"] = [{"name": active, "function": "active", "amount_per_serving": amount},
                            {"name": "Microcrystalline Cellulose", "function": "other"},
                            {"name": "Magnesium Stearate", "function": "other"}]
    else:
        names = list(FOOD_BASE_INGREDIENTS[noun])
        names += [n for n in rng.sample(FOOD_INGREDIENTS, 2) if n not in names][:rng.randint(0, 2)]
        p["ingredients"] = [{"name": n} for n in names]
        allergens = sorted({a for n in names for a in FOOD_ALLERGENS.get(n, ())} | set(allergens))
        if allergens and rng.random() < 0.1:
            allergens.pop(rng.randrange(len(allergens)))  # an allergen the label forgot
    p["food_contact"] = False
    certified = rng.random() < 0.5
    p["halal"] = {"status": "halal-certified" if certified else rng.choice(["unknown", "non-halal"]),
                  "contains_non_halal_material": False}
    docs.add("doc-coa", "certificate-of-analysis", essential=True, standards=["ISO 17025 lab analysis"],
             issuer=_lab(rng, p["country_of_origin"]))
    docs.add("doc-tr-micro", "test-report", standards=["ISO 4833-1:2013", "ISO 6579-1:2017"],
             model=p["identifiers"]["model"], result="pass", issuer=_lab(rng, p["country_of_origin"]))
    if certified and docs.add("doc-halal", "halal-certificate", essential=True, expiring=True,
                              issuer={"name": "JAKIM" if p["country_of_origin"] == "MY" else "BPJPH",
                                      "role": "certification-body", "country": "MY" if p["country_of_origin"] == "MY" else "ID"}):
        p["halal"]["certificate"] = "doc-halal"
    if supplement and "US" in markets and rng.random() < 0.6:
        if docs.add("doc-claim", "claim-substantiation", kind="literature-review"):
            p["claims"] = [{"text": "Supports normal muscle function", "substantiation": "doc-claim"}]
    regs = []
    for m in markets:
        if m in FOOD_REGISTRATION and rng.random() < 0.7:
            regs.append({"type": FOOD_REGISTRATION[m], "market": m, "number": f"{m}-{rng.randint(10 ** 8, 10 ** 9 - 1)}",
                         "issued": _days(rng, 300, 1100)})
    if regs:
        p["registrations"] = regs
    extra: dict[str, Any] = {"ingredient_list": True, "net_quantity": net, "expiry_date": True,
                             "manufacture_date": rng.random() < 0.5, "facts_panel": panel,
                             "allergen_statement": list(allergens)}
    if supplement:
        extra["disclaimers"] = ["These statements have not been evaluated by the Food and Drug Administration."]
    marks = ["halal-id"] if certified and "ID" in markets else []
    p["labelling"] = _labelling(rng, markets, p["country_of_origin"], marks, any(m in EU_MARKETS for m in markets), extra)


# ------------------------------------------------------------------------------------------------------
# products and seller
# ------------------------------------------------------------------------------------------------------


def generate_product(index: int, seed: int = 7) -> dict:
    """Product number ``index`` of the catalogue with ``seed`` (depends only on the two)."""
    rng = random.Random(seed * 1_000_003 + index)
    category_group = _pick(rng, CATEGORY_WEIGHTS)
    n_markets = int(_pick(rng, {str(k): v for k, v in MARKET_COUNT_WEIGHTS.items()}))
    markets = _sample_weighted(rng, MARKET_WEIGHTS, n_markets)
    markets.sort(key=list(MARKET_WEIGHTS).index)
    brand = rng.choice(BRANDS[category_group])
    origin = _pick(rng, ORIGIN_WEIGHTS[category_group])
    brand_code = "".join(w[0] for w in brand.replace("&", "").split()).upper()[:3].ljust(2, "X")
    electronics_kind = ""
    if category_group == "electronics":
        electronics_kind = _pick(rng, ELECTRONICS_KIND_WEIGHTS)
        spec: tuple = rng.choice(ELECTRONICS_TYPES[electronics_kind])
        noun, category, hs = spec[0], spec[1], spec[2]
    elif category_group == "cosmetics":
        spec = rng.choice(COSMETIC_TYPES)
        noun, category, hs = spec[0], "cosmetics", "330499"
    elif category_group == "toys":
        spec = rng.choice(TOY_TYPES)
        noun, category, hs = spec[0], "toys", "950300"
    elif category_group == "apparel":
        spec = rng.choice(APPAREL_TYPES)
        noun, category, hs = spec[0], "apparel", spec[1]
    else:
        spec = rng.choice(FOOD_TYPES)
        noun, category, hs = spec[0], spec[1], spec[2]
    type_code = "".join(w[0] for w in noun.replace("-", " ").split() if w[0].isalnum()).upper()[:4]
    sku = f"{brand_code}-{type_code}-{index:06d}"
    model = f"{brand_code}{type_code}{rng.randint(10, 99)}"
    name = f"{brand} {noun}"
    p = _base(rng, sku, name, brand, model, category, hs, markets, origin, TRADE[category_group])

    # the manufacturer answers for itself where it is established (an EU maker needs no EU importer)
    home = _jurisdiction(origin)
    jurisdictions = sorted({_jurisdiction(m) for m in markets} - {home}, key=lambda j: (j != "EU", j))
    extra_roles: dict[str, list[str]] = {}
    if category_group == "cosmetics":
        if "EU" in jurisdictions:
            extra_roles["EU"] = ["responsible-person"]
        if "US" in jurisdictions:
            extra_roles["US"] = ["responsible-person"]
        for m in markets:
            if m in SEA_MARKETS and rng.random() < 0.7:
                extra_roles[m] = ["notification-holder"]
    if category_group == "electronics" and "US" in jurisdictions and rng.random() < 0.6:
        extra_roles["US"] = ["fcc-responsible-party"]
    operators = _operators(rng, brand, jurisdictions, extra_roles)
    if operators:
        p["economic_operators"] = operators
    eu_operator = any(op["jurisdiction"] == "EU" for op in operators)

    docs = _Docs(rng, p["manufactured_from"])
    if category_group == "electronics":
        _electronics(rng, p, docs, markets, electronics_kind, spec)
    elif category_group == "cosmetics":
        _cosmetics(rng, p, docs, markets, spec)
    elif category_group == "toys":
        _toys(rng, p, docs, markets, spec)
    elif category_group == "apparel":
        _apparel(rng, p, docs, markets, spec)
    else:
        _food(rng, p, docs, markets, spec)
    if not eu_operator and "labelling" in p:  # nobody in the EU to name on the pack
        p["labelling"]["contacts_on_pack"] = [c for c in p["labelling"]["contacts_on_pack"] if c.get("jurisdiction") != "EU"]

    # 2-8 documents: trim extras (never one a claim or the halal block points to), pad with a user manual
    keep = {c.get("substantiation") for c in p.get("claims", ())} | {p.get("halal", {}).get("certificate")}
    while len(docs.items) > 8:
        for i in range(len(docs.items) - 1, -1, -1):
            if docs.items[i]["id"] not in keep:
                del docs.items[i]
                break
    if len(docs.items) < 2:
        docs.add("doc-instructions", "user-instructions", essential=True, language=LANGUAGE[markets[0]])
    if len(docs.items) < 2:
        docs.add("doc-label-proof", "label-artwork", essential=True)
    p["documents"] = docs.items

    size = {"electronics": (18, 12, 8), "cosmetics": (7, 7, 12), "toys": (25, 20, 10), "apparel": (30, 22, 3),
            "food": (20, 12, 6)}[category_group]
    dims = tuple(round(d * rng.uniform(0.7, 1.3), 1) for d in size)
    p["package"] = _package(rng, dims, rng.randint(80, 900))
    if p["package"]["kind"] == "sales" and rng.random() < 0.6:
        p["shipping_package"] = {"length_cm": round(dims[0] + 4, 1), "width_cm": round(dims[1] + 4, 1),
                                 "height_cm": round(dims[2] + 3, 1), "weight_g": p["package"]["weight_g"] + 45,
                                 "filler": rng.random() < 0.5, "filled_by": rng.choice(["marketplace", "seller"])}
    if "labelling" in p:
        p["labelling"]["ppwr_material_label"] = rng.random() < 0.3

    price_eur = round(rng.uniform(4, 90), 2)
    listings = []
    for m in markets:
        if rng.random() < 0.12:
            continue  # market-level only: no listing yet
        options = MARKETPLACES[_marketplace_group(m)]
        for mp in _sample_weighted(rng, options, 1 if rng.random() < 0.8 else 2):
            title = f"{name} ({m})" if rng.random() < 0.5 else name
            listings.append(_listing(rng, m, mp, title, price_eur, origin, category_group, p["manufactured_from"]))
    if listings:
        p["listings"] = listings
    return p


def generate_seller(seed: int = 7) -> dict:
    """The one seller behind the catalogue (shaped like ``products/seller.yaml``)."""
    rng = random.Random(seed * 1_000_003 - 1)
    return {
        "kind": "Seller",
        "name": "Harbour Lane Trading Ltd",
        "established_in": "CN",
        "stock_locations": ["CN", "DE", "PL", "GB", "US", "SG", "ID"],
        "amazon_programs": ["efn"],
        "websites": ["https://harbourlane.example"],
        "eu_distance_sales_eur_last_12m": rng.randint(20000, 900000),
        "global_turnover_last_12m": {"amount": rng.randint(2, 40) * 1_000_000, "currency": "USD"},
        "sales_by_market": {
            "SG": {"sales_last_12m": {"amount": 185000, "currency": "SGD"}, "transactions_last_12m": 4100,
                   "marketplace_sales_last_12m": {"amount": 150000, "currency": "SGD"}},
            "US-CA": {"sales_last_12m": {"amount": 610000, "currency": "USD"}, "transactions_last_12m": 12200,
                      "marketplace_sales_last_12m": {"amount": 590000, "currency": "USD"}},
        },
        "us_cosmetic_sales_avg_3y_usd": 1_800_000,
        "employees_count": 140,
        "entity_size": "medium",
        "sells_digital_services": False,
        "ships_by_air": True,
        "dg_air_shipping_process": True,
        "marketing_practices": {"paid_reviews": False, "review_suppression": False, "insider_reviews_disclosed": True,
                                "uses_influencers": True, "fake_social_indicators": False,
                                "review_incentives_conditional": False},
        "registrations": [
            {"type": "vat", "country": "DE", "number": "DE298765432"},
            {"type": "vat", "country": "PL", "number": "PL5272987654"},
            {"type": "vat", "country": "FR", "number": "FR40298765432"},
            {"type": "vat", "country": "GB", "number": "GB298765432"},
            {"type": "oss", "country": "DE", "number": "DE298765432"},
            {"type": "ioss", "country": "NL", "number": "IM5280001234",
             "holder": {"role": "ioss-intermediary", "name": "EU Tax Intermediary B.V.", "country": "NL"}},
            {"type": "epr-packaging", "country": "DE", "number": "DE4412345678901"},
            {"type": "epr-weee", "country": "DE", "number": "DE 23456789",
             "holder": {"role": "epr-authorised-representative", "name": "WEEE Rep GmbH", "country": "DE"}},
            {"type": "epr-batteries", "country": "DE", "number": "DE 98765432",
             "holder": {"role": "epr-authorised-representative", "name": "WEEE Rep GmbH", "country": "DE"}},
            {"type": "epr-packaging", "country": "FR", "number": "FR412345_01ABCD",
             "holder": {"role": "epr-authorised-representative", "name": "Eco Rep France SAS", "country": "FR"}},
            {"type": "epr-packaging", "country": "IT", "number": "CONAI 2204577",
             "holder": {"role": "epr-authorised-representative", "name": "EPR Rappresentanze S.r.l.", "country": "IT"}},
            {"type": "epr-packaging", "country": "ES", "number": "ENV/2025/000518237",
             "holder": {"role": "epr-authorised-representative", "name": "RAP Representantes S.L.", "country": "ES"}},
            {"type": "epr-packaging", "country": "NL", "number": "NL-AV-0045123",
             "holder": {"role": "epr-authorised-representative", "name": "Verpakking Rep B.V.", "country": "NL"}},
            {"type": "epr-textiles", "country": "FR", "number": "FR412345_04EFGH"},
            {"type": "epr-toys", "country": "FR", "number": "FR412345_05IJKL"},
            {"type": "fcc-grantee-code", "country": "US", "number": "2BHLT"},
            {"type": "ftc-rn", "country": "US", "number": "RN 165432"},
            {"type": "us-sales-tax-permit", "country": "US", "region": "US-CA", "number": "102-987654"},
            {"type": "sg-gst-ovr", "country": "SG", "number": "M90371234X"},
        ],
        "documents": [
            {"id": "doc-gdpr-rep", "type": "gdpr-representative-mandate", "issued": dt.date(2024, 6, 1)},
            {"id": "doc-uk-gdpr-rep", "type": "uk-gdpr-representative-mandate", "issued": dt.date(2024, 6, 1)},
            {"id": "doc-scc", "type": "transfer-agreement-scc", "covers": ["GDPR"], "issued": dt.date(2024, 6, 15)},
            {"id": "doc-uk-addendum", "type": "transfer-agreement-uk-addendum", "covers": ["UK-GDPR"],
             "issued": dt.date(2024, 6, 15)},
            {"id": "doc-tia", "type": "transfer-impact-assessment", "covers": ["GDPR", "UK-GDPR"],
             "issued": dt.date(2024, 6, 15)},
            {"id": "doc-epr-rep", "type": "epr-authorised-representative-mandate", "issued": dt.date(2023, 5, 1)},
            {"id": "doc-business-reg", "type": "business-registration-certificate", "issued": dt.date(2018, 3, 18)},
        ],
        "privacy": {
            "processes_personal_data_of": ["EU", "GB", "US", "SG", "ID"],
            "privacy_policy_url": "https://harbourlane.example/privacy",
            "privacy_policy_languages": ["en", "de", "fr", "it", "es", "nl"],
            "eu_representative": {"name": "Harbour Lane EU Rep GmbH", "address": "Friedrichstr. 10, 10117 Berlin",
                                  "country": "DE"},
            "gb_representative": {"name": "UK GDPR Rep Ltd", "address": "20 King St, Manchester M2 6AG",
                                  "country": "GB"},
            "transfer_mechanism": "scc",
            "transfer_mechanisms": {"GB": "uk-addendum", "SG": "asean-mcc", "ID": "asean-mcc"},
            "receives_data_from_eu_entities": True,
            "cookie_consent": True,
            "cookie_reject_all_first_layer": True,
            "dpo": {"name": "Chen Jing", "email": "dpo@harbourlane.example"},
            "large_scale_monitoring": False,
            "large_scale_special_category_data": False,
        },
    }


def generate_catalogue(n_products: int, seed: int = 7) -> tuple[list[dict], dict]:
    """``n_products`` product manifests (dicts, ``kind: Product`` with embedded listings) and the seller dict.

    Pure and deterministic: the same arguments give equal values; product ``i`` depends only on ``(seed, i)``."""
    if n_products < 0:
        raise ValueError(f"n_products must be 0 or more, got {n_products}")
    return [generate_product(i, seed) for i in range(n_products)], generate_seller(seed)


# ------------------------------------------------------------------------------------------------------
# writing
# ------------------------------------------------------------------------------------------------------


def _json_default(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dump_manifest(data: dict, fmt: str = "yaml") -> str:
    """Serialise one manifest: YAML in the compact style of the example products, or JSON."""
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=1, default=_json_default) + "\n"
    if fmt != "yaml":
        raise ValueError(f"fmt must be 'yaml' or 'json', got {fmt!r}")
    import yaml

    return yaml.dump(data, Dumper=_dumper(), sort_keys=False, default_flow_style=None, allow_unicode=True, width=110)


_DUMPER: Any = None


def _dumper() -> Any:
    """PyYAML's C dumper (pure-Python fallback) that never writes anchors and aliases."""
    global _DUMPER
    if _DUMPER is None:
        import yaml

        base = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        _DUMPER = type("CatalogueDumper", (base,), {"ignore_aliases": lambda self, data: True})
    return _DUMPER


def _marker(n_products: int, seed: int, fmt: str) -> dict:
    return {"generator_version": GENERATOR_VERSION, "n_products": n_products, "seed": seed, "format": fmt}


def write_catalogue(directory: str | os.PathLike, n_products: int, seed: int = 7, fmt: str = "yaml") -> list[Path]:
    """Write ``products/NNNN/<sku>.<fmt>`` (one file per product, 1,000 per subdirectory, as large catalogues
    are kept) and ``seller.<fmt>`` under ``directory``.

    Returns the written paths (products sorted by name, then the seller). When ``directory`` already holds
    the same catalogue (marker file ``.bench-catalogue.json`` with the same n/seed/format/generator version)
    nothing is written. A directory that holds other files but no marker is refused (ValueError), so a
    wrong ``--dir`` never overwrites someone's data; a stale catalogue of ours is replaced."""
    if fmt not in ("yaml", "json"):
        raise ValueError(f"fmt must be 'yaml' or 'json', got {fmt!r}")
    root = Path(directory)
    marker_path = root / MARKER_NAME
    products_dir = root / "products"
    wanted = _marker(n_products, seed, fmt)
    if marker_path.is_file():
        try:
            current = json.loads(marker_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            current = None
        if current == wanted:
            return _listed(root, fmt)
        # a stale catalogue of ours: remove its files before writing the new one
        marker_path.unlink()
        for old in sorted(products_dir.rglob("*"), reverse=True) if products_dir.is_dir() else ():
            if old.suffix in (".yaml", ".json") and old.is_file():
                old.unlink()
            elif old.is_dir() and not any(old.iterdir()):
                old.rmdir()
        for old in (root / "seller.yaml", root / "seller.json"):
            if old.is_file():
                old.unlink()
    elif root.exists() and any(root.iterdir()):
        raise ValueError(f"{root} is not empty and holds no benchmark catalogue; choose an empty or new directory")
    products_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for i in range(n_products):
        product = generate_product(i, seed)
        path = products_dir / f"{i // 1000:04d}" / f"{product['sku'].lower()}.{fmt}"
        if i % 1000 == 0:
            path.parent.mkdir(exist_ok=True)
        path.write_text(dump_manifest(product, fmt), encoding="utf-8")
        written.append(path)
    seller_path = root / f"seller.{fmt}"
    seller_path.write_text(dump_manifest(generate_seller(seed), fmt), encoding="utf-8")
    marker_path.write_text(json.dumps(wanted, sort_keys=True) + "\n", encoding="utf-8")
    return sorted(written) + [seller_path]


def _listed(root: Path, fmt: str) -> list[Path]:
    return sorted((root / "products").rglob(f"*.{fmt}")) + [root / f"seller.{fmt}"]


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Write a deterministic benchmark catalogue.")
    parser.add_argument("directory")
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--format", choices=("yaml", "json"), default="yaml")
    args = parser.parse_args(argv)
    try:
        paths = write_catalogue(args.directory, args.products, args.seed, args.format)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths) - 1} products + seller in {args.directory} ({size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
