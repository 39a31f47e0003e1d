"""Controlled vocabularies of the manifest contract (shared/spec/manifests.md, section 5 and the
enumerations of sections 2-4) as plain Python data.

Closed vocabularies (category roots, and the values of fields whose values are listed in sections 2-4 or
5.9) are enforced by the models. Open vocabularies (document, registration, legislation, mark, warning,
display and role keys) are NOT enforced by the models: they are listed here so that the engine can warn
about an unknown key and name the nearest known one.

Everything here is immutable data (tuples keep the contract's order, for messages; frozensets are for
codes where only membership matters). Importing this module does no work beyond building these constants.
"""

from __future__ import annotations



# ---------------------------------------------------------------------------------------------------
# 5.1 Category taxonomy (closed: the root key, before the first dot, must be one of these)
# ---------------------------------------------------------------------------------------------------

CATEGORIES: tuple[str, ...] = (
    "electronics", "electrical-appliance", "lighting", "toys", "childcare", "cosmetics",
    "personal-care-device", "food", "dietary-supplement", "food-contact", "textiles", "apparel",
    "footwear", "jewelry", "furniture", "household-chemicals", "batteries", "medical-device",
    "otc-drug", "ppe", "machinery", "sporting-goods", "stationery", "other",
)

#: Sub-keys with a rule meaning (any other sub-key of a known root is accepted too).
CATEGORY_SUBKEYS: tuple[str, ...] = (
    "electronics.audio", "electronics.phone", "electronics.tablet", "electronics.camera",
    "electronics.gaming", "electronics.ereader", "electronics.peripherals", "electronics.navigation",
    "electronics.laptop", "apparel.accessories",
)

# ---------------------------------------------------------------------------------------------------
# 5.2 Document types and kinds (open)
# ---------------------------------------------------------------------------------------------------

PRODUCT_DOCUMENT_TYPES: tuple[str, ...] = (
    "eu-declaration-of-conformity", "simplified-eu-declaration-of-conformity",
    "uk-declaration-of-conformity", "technical-file", "test-report",
    "eu-type-examination-certificate", "gpsr-risk-assessment", "toy-safety-assessment",
    "digital-product-passport", "user-instructions", "reach-svhc-declaration",
    "supplier-material-declaration", "packaging-esr-calculation",
    "authorised-representative-mandate", "cosmetic-safety-assessment", "product-information-file",
    "gmp-certificate", "claim-substantiation", "us-origin-substantiation",
    "childrens-product-certificate", "general-certificate-of-conformity", "tracking-label-artwork",
    "label-artwork", "care-instruction-basis", "otc-drug-facts-label", "sunscreen-spf-test-report",
    "sunscreen-broad-spectrum-test-report", "certificate-of-analysis", "tic-verification",
    "food-contact-migration-report", "510k-clearance-letter", "fcc-grant-of-certification",
    "fcc-sdoc", "un38.3-test-summary", "safety-data-sheet", "amazon-exemption-sheet",
    "prop65-exposure-assessment", "halal-certificate", "sni-certificate", "tisi-licence",
    "nbtc-sdoc", "st-coa", "sg-certificate-of-conformity", "vn-qcvn4-certificate",
    "vn-toy-conformity-certificate", "ph-icc-certificate", "ph-ps-licence",
)

SELLER_DOCUMENT_TYPES: tuple[str, ...] = (
    "gdpr-representative-mandate", "uk-gdpr-representative-mandate",
    "epr-authorised-representative-mandate", "transfer-agreement-scc", "transfer-agreement-idta",
    "transfer-agreement-uk-addendum", "transfer-impact-assessment", "dpia",
    "influencer-disclosure-policy", "review-practices-attestation",
    "business-registration-certificate", "ph-npc-exemption-declaration",
)

DOCUMENT_TYPES: tuple[str, ...] = PRODUCT_DOCUMENT_TYPES + SELLER_DOCUMENT_TYPES

#: 5.2.1 `documents[].kind`: sub-types of a `claim-substantiation` document.
DOCUMENT_KINDS: tuple[str, ...] = (
    "rct", "clinical-open-label", "in-vitro", "consumer-perception", "literature-review",
    "expert-endorsement", "recycling-access-study", "compostability-test", "biodegradation-test",
    "recycled-content-certificate", "carbon-footprint-lca", "carbon-offset-retirement",
)

# ---------------------------------------------------------------------------------------------------
# 5.3 Registration types (open)
# ---------------------------------------------------------------------------------------------------

#: Product-level (usually in Product.registrations; rules also accept them in Seller.registrations).
PRODUCT_REGISTRATION_TYPES: tuple[str, ...] = (
    "cpnp-notification", "scip-notification", "echa-art7-notification", "scpn-notification",
    "fda-cosmetic-product-listing", "fda-drug-listing", "fda-device-listing", "fda-510k", "fda-nda",
    "fda-pma", "fda-structure-function-notification", "fcc-id", "cpsc-small-batch-manufacturer",
    "bpom-notification", "bpom-ml", "bpom-si", "bpjph-foreign-halal-registration", "id-npb",
    "sdppi-certificate", "id-imei-registration", "vn-cosmetic-notification",
    "vn-food-self-declaration", "vn-food-declaration-registration", "vn-type-approval-certificate",
    "vn-conformity-declaration", "th-fda-cosmetic-notification", "th-fda-food-number",
    "nbtc-certificate", "npra-cosmetic-notification", "mcmc-certificate",
    "hsa-cosmetic-notification", "sg-safety-mark-registration", "imda-equipment-registration",
    "ph-fda-cpn", "ph-fda-cpr", "ph-ntc-type-approval",
)

#: Seller-level (usually in Seller.registrations).
SELLER_REGISTRATION_TYPES: tuple[str, ...] = (
    "vat", "oss", "ioss", "eori", "epr-packaging", "epr-packaging-system", "epr-weee",
    "epr-batteries", "epr-textiles", "epr-furniture", "epr-toys", "epr-sports-leisure",
    "epr-diy-garden", "fda-cosmetic-facility", "fda-food-facility", "fda-drug-establishment",
    "fda-device-establishment", "fcc-grantee-code", "fcc-frn", "ftc-rn", "us-sales-tax-permit",
    "us-importer-of-record", "id-api", "id-npwp", "th-vat-simplified", "th-nbtc-supplier-code",
    "my-lvg-registered-seller", "my-pdp-dpo-notification", "sg-gst-ovr",
    "sg-cpso-registered-supplier", "sg-imda-dealer-licence", "sfa-importer-licence",
    "vn-tax-foreign-supplier", "ph-vat-nrdsp", "ph-fda-lto", "ph-dti-bps-online-cor",
    "ph-ecommerce-trustmark", "ph-ntc-dealer-permit", "ph-npc-registration",
)

REGISTRATION_TYPES: tuple[str, ...] = PRODUCT_REGISTRATION_TYPES + SELLER_REGISTRATION_TYPES

# ---------------------------------------------------------------------------------------------------
# 5.4-5.8 Legislation keys, marks, warning keys, display values, roles (open)
# ---------------------------------------------------------------------------------------------------

LEGISLATION_KEYS: tuple[str, ...] = (
    "LVD", "EMC", "RED", "RED-DA", "RED-CC", "RoHS", "TSD", "TSR", "BATT", "GPSR", "PPE", "MD",
    "ECO", "PPWR", "COSMETICS", "GDPR", "UK-EESR-2016", "UK-EMC-2016", "UK-RER-2017",
    "UK-ROHS-2012", "UK-TOYS-2011", "UK-GDPR", "CPSIA", "CPSA", "FHSA", "16CFR1120", "16CFR1250",
    "16CFR1262", "16CFR1263", "16CFR1303", "16CFR1307", "16CFR1610", "16CFR1615", "16CFR1616",
    "16CFR1700", "FCC-Part15", "49CFR173.185", "UN38.3", "Prop65", "MoCRA", "FDCA-OTC", "DSHEA",
    "FDA-21CFR174-186", "TFPIA", "FTC-323", "FTC-423", "ACD", "VN-PDP", "MY-PDPA",
)

MARKS: tuple[str, ...] = (
    "CE", "UKCA", "UKNI", "WEEE-bin", "battery-bin", "Pb", "Cd", "Hg", "Triman", "Info-tri",
    "toy-0-3", "PAO", "charger-included-pictogram", "charger-not-included-pictogram",
    "charging-label", "FCC", "FCC-ID", "FDA-logo", "US-flag", "Made-in-USA", "SNI", "SDPPI",
    "halal-id", "non-halal-statement", "bpom-2d-barcode", "TIS", "TIS-QR", "NBTC", "SIRIM-ST",
    "MCMC", "SAFETY", "IMDA", "CR", "PS", "ICC", "NTC",
)

WARNING_KEYS: tuple[str, ...] = (
    "choking-hazard-small-parts", "choking-hazard-balloon", "choking-hazard-small-ball",
    "choking-hazard-marble", "button-battery", "cosmetic-caution", "general-safety",
)

DISPLAY_VALUES: tuple[str, ...] = (
    "manufacturer-contact", "responsible-person", "safety-warnings", "product-images",
    "product-identifier", "age-warning", "prop65-warning", "country-of-origin", "drug-facts-image",
    "ingredient-list-image", "supplement-facts-image", "fibre-content", "charging-information",
    "local-language-label-image",
)

ROLES: tuple[str, ...] = (
    "manufacturer", "importer", "authorised-representative", "fulfilment-service-provider",
    "responsible-person", "epr-authorised-representative", "ioss-intermediary", "us-agent",
    "importer-of-record", "fcc-responsible-party", "private-labeler", "distributor",
    "notification-holder", "registered-supplier", "certificate-holder", "licence-holder",
    "local-representative", "tax-agent",
)

# ---------------------------------------------------------------------------------------------------
# 5.9 Other enumerations (closed, except payment methods)
# ---------------------------------------------------------------------------------------------------

# `listing.marketplace`
MARKETPLACES: tuple[str, ...] = (
    "amazon", "ebay", "walmart", "temu", "aliexpress", "tiktok-shop", "shopee", "lazada",
    "tokopedia", "qoo10", "carousell", "zalora", "tiki", "mercadolibre", "own-site",
)

# `listing.fulfilment`, `shipping_package.filled_by`
FULFILMENT: tuple[str, ...] = (
    "marketplace", "seller", "third-party-warehouse",
)

# `electrical.battery.chemistry`
BATTERY_CHEMISTRY: tuple[str, ...] = (
    "lithium-ion", "lithium-polymer", "lithium-iron-phosphate", "lithium-metal", "alkaline",
    "zinc-air", "silver-oxide", "nickel-metal-hydride", "lead-acid", "other",
)

# `electrical.charging.port`
CHARGING_PORTS: tuple[str, ...] = (
    "usb-c", "micro-usb", "lightning", "barrel", "proprietary", "wireless-only", "none",
)

# `electrical.accessories[].type`
ACCESSORY_TYPES: tuple[str, ...] = (
    "ac-adaptor", "charger", "power-cord", "battery-pack",
)

# material keys: `substances[].material`, `materials[].material`, `package.materials[].material`
MATERIALS: tuple[str, ...] = (
    "plastic", "plasticised", "rubber", "metal", "coating", "textile", "glass", "paper", "wood",
    "ceramic", "leather", "composite", "other",
)

# `privacy.transfer_mechanism`, `privacy.transfer_mechanisms.*`
TRANSFER_MECHANISMS: tuple[str, ...] = (
    "adequacy", "scc", "bcr", "idta", "uk-addendum", "asean-mcc", "consent", "contract", "none",
)

# `listing.payment_methods`: an OPEN list of kebab-case names; these are the examples
PAYMENT_METHODS: tuple[str, ...] = (
    "qris", "card", "bank-transfer", "cash-on-delivery", "ewallet-gopay",
)

# ---------------------------------------------------------------------------------------------------
# Enumerations given inline in sections 2-4 (closed)
# ---------------------------------------------------------------------------------------------------

INTENDED_FOR: tuple[str, ...] = ("consumers", "professionals")
BATTERY_FORMS: tuple[str, ...] = ("button-coin", "cylindrical", "prismatic", "pouch", "other")
BATTERY_PACKING: tuple[str, ...] = ("contained-in-equipment", "packed-with-equipment", "standalone")
BATTERY_COMPARTMENTS: tuple[str, ...] = ("tool-secured", "two-motion", "sealed", "open")
SUBSTANCE_CONTACT: tuple[str, ...] = ("skin-prolonged", "skin-short-repetitive", "mouth", "piercing", "none")
INGREDIENT_FUNCTIONS: tuple[str, ...] = ("active", "colorant", "fragrance", "preservative", "propellant", "other")
COSMETIC_APPLICATIONS: tuple[str, ...] = ("leave-on", "rinse-off")
COSMETIC_AREAS: tuple[str, ...] = ("face", "body", "hands", "hair", "eyes", "lips", "nails", "oral")
FDA_DEVICE_CLASSES: tuple[str, ...] = ("I", "II", "III")
HALAL_STATUSES: tuple[str, ...] = ("halal-certified", "non-halal", "not-applicable", "unknown")
PACKAGE_KINDS: tuple[str, ...] = ("sales", "e-commerce", "sales-as-e-commerce", "grouped", "transport")
PROP65_WARNING_TYPES: tuple[str, ...] = ("long-form", "short-form", "tailored")
PROP65_SIGNAL_WORDS: tuple[str, ...] = ("warning", "ca-warning", "california-warning")
PROP65_ENDPOINTS: tuple[str, ...] = ("cancer", "reproductive")
CONTACT_QUALIFIERS: tuple[str, ...] = (
    "manufactured-by", "manufactured-for", "distributed-by", "packed-by", "imported-by",
)
CONTACT_CHANNELS: tuple[str, ...] = ("address", "email", "phone", "url")
TEXTILE_IDENTITY: tuple[str, ...] = ("rn", "name")
ALLERGENS: tuple[str, ...] = (
    "milk", "egg", "fish", "crustacean-shellfish", "tree-nuts", "peanuts", "wheat", "soybeans", "sesame",
)
FACTS_PANELS: tuple[str, ...] = ("nutrition-facts", "supplement-facts", "drug-facts", "none")
FCC_STATEMENT_PLACEMENTS: tuple[str, ...] = ("on-device", "manual", "package", "e-label", "none")
DOCUMENT_RESULTS: tuple[str, ...] = ("pass", "fail")
ISSUER_ROLES: tuple[str, ...] = (
    "notified-body", "approved-body", "test-lab", "certification-body", "tcb", "tic-verifier", "self",
)
SHIPPING_MODES: tuple[str, ...] = ("air", "post", "sea", "land", "domestic")
INCOTERMS: tuple[str, ...] = ("DDP", "DAP")
TAX_COLLECTED_BY: tuple[str, ...] = ("marketplace", "seller")
AMAZON_PROGRAMS: tuple[str, ...] = ("pan-eu", "efn", "mci", "cee")
ENTITY_SIZES: tuple[str, ...] = ("micro", "small", "medium", "large")
EFILING_METHODS: tuple[str, ...] = ("full-data", "product-registry")

# ---------------------------------------------------------------------------------------------------
# Open vocabularies by field (rule-path style), for "unknown key" warnings
# ---------------------------------------------------------------------------------------------------

#: Field path (as rule packs write it) -> known keys. Values outside these are accepted by the models;
#: the engine may warn, naming the nearest known key. `listings[]` paths apply to Product.listings too.
OPEN_VOCABULARIES: dict[str, tuple[str, ...]] = {
    "product.documents[].type": DOCUMENT_TYPES,
    "product.documents[].kind": DOCUMENT_KINDS,
    "product.documents[].covers": LEGISLATION_KEYS,
    "product.registrations[].type": REGISTRATION_TYPES,
    "product.registrations[].holder.role": ROLES,
    "product.electrical.accessories[].registrations[].type": REGISTRATION_TYPES,
    "product.electrical.accessories[].registrations[].holder.role": ROLES,
    "product.economic_operators[].role": ROLES,
    "product.labelling.marks": MARKS,
    "product.labelling.warnings[].key": WARNING_KEYS,
    "product.labelling.contacts_on_pack[].role": ROLES,
    "listing.displays": DISPLAY_VALUES,
    "listing.displayed_marks": MARKS,
    "listing.displayed_registrations[].type": REGISTRATION_TYPES + DOCUMENT_TYPES,
    "listing.payment_methods": PAYMENT_METHODS,
    "seller.documents[].type": DOCUMENT_TYPES,
    "seller.documents[].kind": DOCUMENT_KINDS,
    "seller.documents[].covers": LEGISLATION_KEYS,
    "seller.registrations[].type": REGISTRATION_TYPES,
    "seller.registrations[].holder.role": ROLES,
}

# ---------------------------------------------------------------------------------------------------
# Markets (1.1)
# ---------------------------------------------------------------------------------------------------

# The market lists and their expansion live in compliance_engine.markets (one definition for the
# models, the loader and the engine).
from ..markets import EU27, SEA, expand_markets  # noqa: E402

MARKET_GROUPS: dict[str, tuple[str, ...]] = {"EU": EU27, "SEA": SEA}

#: Northern Ireland: a market of its own for product law (EU product rules apply there).
NORTHERN_IRELAND = "XI"

# ---------------------------------------------------------------------------------------------------
# ISO code lists (used to catch typos such as UK for GB, or a country code written as a language)
# ---------------------------------------------------------------------------------------------------

#: ISO 3166-1 alpha-2 officially assigned codes (iso-codes 4.x).
_ISO_3166_1 = frozenset("""
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ
    BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR
    CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR
    GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU
    ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ
    LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
    MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF
    PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI
    SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR
    TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
""".split())

#: ISO 639-1 two-letter language codes.
_ISO_639_1 = frozenset("""
    aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch
    co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga
    gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja
    jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv
    mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or
    os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr
    ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi
    vo wa wo xh yi yo za zh zu
""".split())

#: ISO 4217 active currency codes (incl. funds and metals codes), plus XCG (2025) and ZWG (2024).
_ISO_4217 = frozenset("""
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV
    BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE
    CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD
    HNL HRK HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD
    KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN
    MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD
    RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS
    TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST
    XAF XAG XAU XBA XBB XBC XBD XCD XCG XDR XOF XPD XPF XPT XSU XTS XUA XXX YER ZAR
    ZMW ZWG ZWL
""".split())

#: Countries accepted wherever a country is: ISO 3166-1 alpha-2 plus XI (Northern Ireland).
COUNTRY_CODES: frozenset[str] = _ISO_3166_1 | {NORTHERN_IRELAND}
LANGUAGE_CODES: frozenset[str] = _ISO_639_1
CURRENCY_CODES: frozenset[str] = _ISO_4217

#: Frequent mistakes (codes that are not assigned) and the code meant, for error messages.
COUNTRY_CODE_HINTS: dict[str, str] = {"UK": "GB", "EL": "GR"}
LANGUAGE_CODE_HINTS: dict[str, str] = {
    "fil": "tl", "jp": "ja", "cn": "zh", "vn": "vi", "dk": "da", "gr": "el", "cz": "cs", "ua": "uk",
}
CURRENCY_CODE_HINTS: dict[str, str] = {"RMB": "CNY", "NTD": "TWD", "UKP": "GBP", "STG": "GBP", "EURO": "EUR"}
