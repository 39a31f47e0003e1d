"""Shared base class and common field types of the manifest models (contract: shared/spec/manifests.md).

Every model derives from :class:`ManifestModel`:

- unknown keys are an error (``extra="forbid"``), so a typo never passes silently;
- any key starting with ``x-`` is free for users at every object level: it is dropped before validation
  (and shown in the JSON Schema as ``patternProperties: {"^x-": {}}``);
- Python attribute names are the contract's keys; optional fields default to ``None`` (lists too), so
  ``model_dump(exclude_none=True)`` gives back only what the user wrote.

Scalar types used by the models live here too: countries, market codes, jurisdictions, ISO 3166-2
subdivisions, languages, currencies, dates, numbers (strict: no strings, no booleans, no NaN/infinity),
text (strict: a YAML number or boolean where text is expected is an error that says to quote it), and the
closed vocabularies as ``Literal`` types (their error lists the allowed values).
"""

import datetime as _dt
import difflib
import re
from typing import Annotated, Any, Iterable, Literal, Optional

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from . import vocab

__all__ = [
    "ManifestModel", "Str", "NonEmptyStr", "Key", "Flag", "Measure", "Percent", "Count", "Date",
    "Country", "Jurisdiction", "MarketCode", "Subdivision", "MarketOrSubdivision", "USState", "Language",
    "Currency", "CategoryKey", "Url", "RelativePath", "CasNumber", "HsCode", "XMap",
    "Money", "Contact", "OperatorEntry", "Holder", "Issuer", "CertificateElements", "Document",
    "Registration", "SellerRegistration",
    "raise_errors", "error_at", "document_id_errors",
]


# ---------------------------------------------------------------------------------------------------
# errors
# ---------------------------------------------------------------------------------------------------


def _err(message: str) -> PydanticCustomError:
    """A validation error of type ``value_error`` whose message is shown as is (no "Value error, ")."""
    return PydanticCustomError("value_error", message)


def _did_you_mean(value: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=cutoff)
    return f" (did you mean '{close[0]}'?)" if close else ""


def error_at(loc: tuple, message: str, value: Any = None) -> InitErrorDetails:
    """One error at ``loc`` (relative to the model that raises it), for :func:`raise_errors`."""
    return InitErrorDetails(type=_err(message), loc=loc, input=value)


def raise_errors(title: str, errors: list[InitErrorDetails]) -> None:
    """Raise the collected errors (if any) as one ValidationError with precise locations."""
    if errors:
        raise ValidationError.from_exception_data(title, errors)


# ---------------------------------------------------------------------------------------------------
# the base class
# ---------------------------------------------------------------------------------------------------


def _x_keys_schema(schema: dict[str, Any], model_class: type) -> None:
    # additionalProperties is false (extra="forbid"); x- keys are matched here and so stay allowed
    schema["patternProperties"] = {"^x-": {}}


def _is_x_key(key: Any) -> bool:
    return isinstance(key, str) and key.startswith("x-")


def _drop_x_keys(data: Any) -> Any:
    if isinstance(data, dict) and any(_is_x_key(k) for k in data):
        return {k: v for k, v in data.items() if not _is_x_key(k)}
    return data


class ManifestModel(BaseModel):
    """Base of every manifest object: unknown keys forbidden, ``x-`` keys free (and dropped)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_x_keys_schema, defer_build=True)

    @model_validator(mode="before")
    @classmethod
    def _drop_user_keys(cls, data: Any) -> Any:
        return _drop_x_keys(data)


# ---------------------------------------------------------------------------------------------------
# text
# ---------------------------------------------------------------------------------------------------


def _text(value: Any) -> Any:
    if isinstance(value, bool):
        word = "true" if value else "false"
        raise _err(f'expected text, got the boolean {word}; quote it ("{word}") if it is meant as text')
    if isinstance(value, (int, float)):
        raise _err(f"expected text, got the number {value!r}; quote the value exactly as written "
                   f'(e.g. "{value!r}"): unquoted, YAML reads it as a number and drops leading and '
                   "trailing zeros")
    if isinstance(value, _dt.date):
        raise _err(f'expected text, got the date {value.isoformat()}; quote it ("{value.isoformat()}")')
    return value  # anything else (lists, mappings) fails the core str check: "Input should be a valid string"


#: Free text or an identifier; numbers, booleans and dates are refused with a hint to quote them.
Str = Annotated[str, BeforeValidator(_text)]
NonEmptyStr = Annotated[str, BeforeValidator(_text), Field(min_length=1)]
#: A key of an open vocabulary (document, registration, legislation, mark, warning, display, role):
#: any non-empty text; the engine warns about keys it does not know (see vocab.OPEN_VOCABULARIES).
Key = NonEmptyStr

# ---------------------------------------------------------------------------------------------------
# numbers and flags
# ---------------------------------------------------------------------------------------------------

Flag = StrictBool
#: A measure in the unit of the field name (cm, g, V, W, Wh, mW, MHz, days ...) or an amount: a real
#: number >= 0 (an integer is accepted); strings, booleans, NaN and infinity are refused.
Measure = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0)]
#: A percentage, 0-100.
Percent = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=0, le=100)]
#: A count (integer >= 0).
Count = Annotated[int, Field(strict=True, ge=0)]

# ---------------------------------------------------------------------------------------------------
# dates
# ---------------------------------------------------------------------------------------------------

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date(value: Any) -> Any:
    if isinstance(value, _dt.datetime):
        raise _err(f"expected a date (2025-03-01), got a date and time ({value.isoformat()})")
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str) and _DATE_RE.match(value):
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            raise _err(f"'{value}' is not a valid calendar date") from None
    shown = repr(value) if isinstance(value, (str, int, float, bool)) else type(value).__name__
    raise _err(f"expected an ISO 8601 date like 2025-03-01, got {shown}")


#: ISO 8601 calendar date: a YAML date or a "YYYY-MM-DD" string (JSON).
Date = Annotated[_dt.date, BeforeValidator(_date)]

# ---------------------------------------------------------------------------------------------------
# codes: countries, markets, subdivisions, languages, currencies
# ---------------------------------------------------------------------------------------------------


def _country_problem(value: str, alternatives: str = "", also: Iterable[str] = ()) -> str:
    """Why ``value`` is not a country code; ``alternatives`` (", or EU") is added to the generic cases;
    ``also`` are the other codes accepted where the value was found (EU, SEA)."""
    if value in vocab.COUNTRY_CODE_HINTS:
        return f"'{value}' is not an ISO 3166-1 alpha-2 country code; use {vocab.COUNTRY_CODE_HINTS[value]}"
    if value.upper() in vocab.COUNTRY_CODES or value.upper() in also:
        return f"codes are written in capitals: '{value.upper()}', not '{value}'"
    if not re.fullmatch(r"[A-Z]{2}", value):
        return (f"'{value}' is not a country code: expected ISO 3166-1 alpha-2, two capital letters "
                f"(DE, GB, US){alternatives}")
    return f"'{value}' is not an assigned ISO 3166-1 alpha-2 country code{alternatives}"


def _country(value: str) -> str:
    if value in vocab.COUNTRY_CODES:
        return value
    if value in vocab.MARKET_GROUPS:
        raise _err(f"'{value}' is a market group; one country is expected here (ISO 3166-1 alpha-2, "
                   "or XI for Northern Ireland)")
    raise _err(_country_problem(value))


def _jurisdiction(value: str) -> str:
    if value == "EU" or value in vocab.COUNTRY_CODES:
        return value
    if value in vocab.MARKET_GROUPS:
        raise _err(f"'{value}' is not a jurisdiction: expected EU, XI or a country code")
    raise _err(_country_problem(value, ", or EU", ("EU",)))


def _market_code(value: str) -> str:
    if value in vocab.MARKET_GROUPS or value in vocab.COUNTRY_CODES:
        return value
    raise _err(_country_problem(value, ", or a market group: " + " or ".join(vocab.MARKET_GROUPS),
                                vocab.MARKET_GROUPS))


_SUBDIVISION_RE = re.compile(r"^([A-Z]{2})-[A-Z0-9]{1,3}$")


def _subdivision(value: str) -> str:
    m = _SUBDIVISION_RE.match(value)
    if not m:
        hint = f"; did you mean '{value.upper()}'?" if _SUBDIVISION_RE.match(value.upper()) else ""
        raise _err(f"'{value}' is not an ISO 3166-2 subdivision code (like US-CA){hint}")
    if m.group(1) not in vocab.COUNTRY_CODES:
        raise _err(f"'{value}': {_country_problem(m.group(1))}")
    return value


def _market_or_subdivision(value: str) -> str:
    if "-" in value:
        return _subdivision(value)
    return _country(value)


def _us_state(value: str) -> str:
    _subdivision(value)
    if not value.startswith("US-"):
        raise _err(f"'{value}' is not a US state: expected an ISO 3166-2 code starting with US- (US-CA)")
    return value


def _language(value: str) -> str:
    if value in vocab.LANGUAGE_CODES:
        return value
    if value in vocab.LANGUAGE_CODE_HINTS:
        raise _err(f"'{value}' is not an ISO 639-1 language code; use {vocab.LANGUAGE_CODE_HINTS[value]}")
    if value.lower() in vocab.LANGUAGE_CODES:
        raise _err(f"language codes are written in lower case: '{value.lower()}', not '{value}'")
    if not re.fullmatch(r"[a-z]{2}", value):
        raise _err(f"'{value}' is not a language code: expected ISO 639-1, two lower-case letters (de, en, vi)")
    raise _err(f"'{value}' is not an ISO 639-1 language code")


def _currency(value: str) -> str:
    if value in vocab.CURRENCY_CODES:
        return value
    if value in vocab.CURRENCY_CODE_HINTS:
        raise _err(f"'{value}' is not an ISO 4217 currency code; use {vocab.CURRENCY_CODE_HINTS[value]}")
    if value.upper() in vocab.CURRENCY_CODES:
        raise _err(f"currency codes are written in capitals: '{value.upper()}', not '{value}'")
    if not re.fullmatch(r"[A-Z]{3}", value):
        raise _err(f"'{value}' is not a currency code: expected ISO 4217, three capital letters (EUR, USD)")
    raise _err(f"'{value}' is not an ISO 4217 currency code")


def _code(check, schema: dict[str, Any]):
    return Annotated[str, BeforeValidator(_text), AfterValidator(check), WithJsonSchema(schema)]


#: ISO 3166-1 alpha-2 country code, or XI (Northern Ireland).
Country = _code(_country, {"type": "string", "pattern": "^[A-Z]{2}$",
                           "description": "ISO 3166-1 alpha-2 country code (XI = Northern Ireland)"})
#: Where a party or a registration answers: EU (Union-wide), XI or a country code.
Jurisdiction = _code(_jurisdiction, {"type": "string", "pattern": "^[A-Z]{2}$",
                                     "description": "EU, XI or an ISO 3166-1 alpha-2 country code"})
#: An element of a list of markets: a country code, XI, or a market group (EU, SEA) kept unexpanded.
MarketCode = _code(_market_code, {"type": "string", "pattern": "^([A-Z]{2}|SEA)$",
                                  "description": "country code, XI, or a market group: EU, SEA"})
#: ISO 3166-2 subdivision code (US-CA).
Subdivision = _code(_subdivision, {"type": "string", "pattern": "^[A-Z]{2}-[A-Z0-9]{1,3}$",
                                   "description": "ISO 3166-2 subdivision code (US-CA)"})
#: A country code or an ISO 3166-2 subdivision (keys of Seller.sales_by_market).
MarketOrSubdivision = _code(_market_or_subdivision, {
    "type": "string", "pattern": "^[A-Z]{2}(-[A-Z0-9]{1,3})?$",
    "description": "ISO 3166-1 alpha-2 country code or ISO 3166-2 subdivision code"})
#: A US state as ISO 3166-2 (US-CA).
USState = _code(_us_state, {"type": "string", "pattern": "^US-[A-Z0-9]{1,3}$",
                            "description": "US state, ISO 3166-2 (US-CA)"})
#: ISO 639-1 language code (de, en, vi; tl for Filipino).
Language = _code(_language, {"type": "string", "pattern": "^[a-z]{2}$",
                             "description": "ISO 639-1 language code"})
#: ISO 4217 currency code.
Currency = _code(_currency, {"type": "string", "pattern": "^[A-Z]{3}$",
                             "description": "ISO 4217 currency code"})

# ---------------------------------------------------------------------------------------------------
# other formatted strings
# ---------------------------------------------------------------------------------------------------

_SEGMENT_RE = re.compile(r"^[^.\s]+$")


def _category(value: str) -> str:
    root = value.split(".", 1)[0]
    if root not in vocab.CATEGORIES:
        raise _err(f"'{value}' is not a category: the key before the first dot must be one of "
                   f"{', '.join(vocab.CATEGORIES)}{_did_you_mean(root, vocab.CATEGORIES)}")
    if not all(_SEGMENT_RE.match(part) for part in value.split(".")):
        raise _err(f"'{value}' is not a category key: write the key and dotted sub-keys without spaces "
                   "or empty parts (electronics.audio)")
    return value


# category keys are [a-z-] only: no escaping needed (and "\-" is not valid in an ECMA-262 unicode regex)
_CATEGORY_PATTERN = "^(" + "|".join(vocab.CATEGORIES) + r")(\.[^.\s]+)*$"

#: A category key of contract section 5.1, optionally with dotted sub-keys (electronics.audio).
CategoryKey = _code(_category, {"type": "string", "pattern": _CATEGORY_PATTERN,
                                "description": "category key (contract 5.1), with optional dotted sub-keys"})


def _url(value: str) -> str:
    if not re.fullmatch(r"https?://[^\s/?#]+[^\s]*", value):
        raise _err(f"'{value}' is not a URL: expected an address starting with https:// or http://")
    return value


Url = _code(_url, {"type": "string", "format": "uri", "pattern": "^https?://"})


def _relative_path(value: str) -> str:
    if not value.strip():
        raise _err("expected a file path relative to the manifest, got an empty string")
    if "://" in value:
        raise _err(f"'{value}' is a URL; `file` is a path relative to the manifest file")
    if value.startswith(("/", "\\", "~")) or re.match(r"^[A-Za-z]:[\\/]", value):
        raise _err(f"'{value}' is an absolute path; `file` is a path relative to the manifest file")
    return value


RelativePath = _code(_relative_path, {"type": "string", "minLength": 1,
                                      "description": "path relative to the manifest file"})

_CAS_RE = re.compile(r"^\d{2,7}-\d{2}-\d$")


def _cas(value: str) -> str:
    if not _CAS_RE.match(value):
        raise _err(f"'{value}' is not a CAS number: expected digits in the form 7439-92-1")
    return value


CasNumber = _code(_cas, {"type": "string", "pattern": _CAS_RE.pattern, "description": "CAS registry number"})


def _hs_code(value: str) -> str:
    if not re.fullmatch(r"\d{6,10}", value):
        digits = re.sub(r"[\s.]", "", value)
        hint = f"; write '{digits}'" if digits.isdigit() and 6 <= len(digits) <= 10 else ""
        raise _err(f"'{value}' is not an HS code: expected 6 to 10 digits without dots or spaces{hint}")
    return value


HsCode = _code(_hs_code, {"type": "string", "pattern": r"^\d{6,10}$",
                          "description": "Harmonized System code, 6-10 digits"})

# ---------------------------------------------------------------------------------------------------
# maps (x- keys dropped there too)
# ---------------------------------------------------------------------------------------------------


class _XMapJsonSchema:
    """JSON Schema of a map: keys by pattern, ``x-`` keys free, nothing else."""

    def __init__(self, key_pattern: Optional[str]):
        self.key_pattern = key_pattern

    def __get_pydantic_json_schema__(self, core_schema, handler):
        js = handler(core_schema)
        value = js.get("additionalProperties")
        if not isinstance(value, dict):  # pydantic puts a pattern-keyed value under patternProperties
            value = next(iter(js.get("patternProperties", {}).values()), {})
        if self.key_pattern is None:
            return {"type": "object", "additionalProperties": value, "patternProperties": {"^x-": {}}}
        return {"type": "object", "patternProperties": {self.key_pattern: value, "^x-": {}},
                "additionalProperties": False}


def XMap(key_type: Any, value_type: Any, key_pattern: Optional[str] = None) -> Any:
    """``dict[key_type, value_type]`` with ``x-`` keys dropped before validation."""
    return Annotated[dict[key_type, value_type], BeforeValidator(_drop_x_keys), _XMapJsonSchema(key_pattern)]


# ---------------------------------------------------------------------------------------------------
# closed vocabularies as Literal types (the error lists the allowed values)
# ---------------------------------------------------------------------------------------------------

Marketplace = Literal[vocab.MARKETPLACES]
Fulfilment = Literal[vocab.FULFILMENT]
BatteryChemistry = Literal[vocab.BATTERY_CHEMISTRY]
ChargingPort = Literal[vocab.CHARGING_PORTS]
AccessoryType = Literal[vocab.ACCESSORY_TYPES]
MaterialKey = Literal[vocab.MATERIALS]
TransferMechanism = Literal[vocab.TRANSFER_MECHANISMS]
IntendedFor = Literal[vocab.INTENDED_FOR]
BatteryForm = Literal[vocab.BATTERY_FORMS]
BatteryPacking = Literal[vocab.BATTERY_PACKING]
BatteryCompartment = Literal[vocab.BATTERY_COMPARTMENTS]
SubstanceContact = Literal[vocab.SUBSTANCE_CONTACT]
IngredientFunction = Literal[vocab.INGREDIENT_FUNCTIONS]
CosmeticApplication = Literal[vocab.COSMETIC_APPLICATIONS]
CosmeticArea = Literal[vocab.COSMETIC_AREAS]
FdaDeviceClass = Literal[vocab.FDA_DEVICE_CLASSES]
HalalStatus = Literal[vocab.HALAL_STATUSES]
PackageKind = Literal[vocab.PACKAGE_KINDS]
Prop65WarningType = Literal[vocab.PROP65_WARNING_TYPES]
Prop65SignalWord = Literal[vocab.PROP65_SIGNAL_WORDS]
Prop65Endpoint = Literal[vocab.PROP65_ENDPOINTS]
ContactQualifier = Literal[vocab.CONTACT_QUALIFIERS]
ContactChannel = Literal[vocab.CONTACT_CHANNELS]
TextileIdentity = Literal[vocab.TEXTILE_IDENTITY]
Allergen = Literal[vocab.ALLERGENS]
FactsPanel = Literal[vocab.FACTS_PANELS]
FccStatementPlacement = Literal[vocab.FCC_STATEMENT_PLACEMENTS]
DocumentResult = Literal[vocab.DOCUMENT_RESULTS]
IssuerRole = Literal[vocab.ISSUER_ROLES]
ShippingMode = Literal[vocab.SHIPPING_MODES]
Incoterm = Literal[vocab.INCOTERMS]
TaxCollectedBy = Literal[vocab.TAX_COLLECTED_BY]
AmazonProgram = Literal[vocab.AMAZON_PROGRAMS]
EntitySize = Literal[vocab.ENTITY_SIZES]
EfilingMethod = Literal[vocab.EFILING_METHODS]

# ---------------------------------------------------------------------------------------------------
# shared objects
# ---------------------------------------------------------------------------------------------------


class Money(ManifestModel):
    """An amount of money: ``{amount, currency}`` (ISO 4217)."""

    amount: Measure
    currency: Currency


class Contact(ManifestModel):
    """A party's name and contact details (``manufacturer``); ``phone`` optional."""

    name: Optional[Str] = None
    address: Optional[Str] = None
    country: Optional[Country] = None
    email: Optional[Str] = None
    phone: Optional[Str] = None


class OperatorEntry(ManifestModel):
    """One ``economic_operators`` entry: the party that answers for the product in a jurisdiction."""

    jurisdiction: Jurisdiction
    role: Key
    name: Optional[Str] = None
    address: Optional[Str] = None
    country: Optional[Country] = None
    email: Optional[Str] = None
    phone: Optional[Str] = None


class Holder(ManifestModel):
    """The party that holds a registration, or through which it is made."""

    role: Optional[Key] = None
    name: Optional[Str] = None
    country: Optional[Country] = None


class Issuer(ManifestModel):
    """Who issued a document."""

    name: Optional[Str] = None
    role: Optional[IssuerRole] = None
    id: Optional[Str] = None
    country: Optional[Country] = None
    iso17025: Optional[Flag] = None
    cpsc_accepted: Optional[Flag] = None


class CertificateElements(ManifestModel):
    """Data elements of a CPSC children's product certificate or general certificate of conformity."""

    product_identification: Optional[Str] = None
    citations: Optional[list[Str]] = None
    manufacture_date: Optional[Date] = None
    manufacture_place: Optional[Str] = None
    test_date: Optional[Date] = None
    test_place: Optional[Str] = None
    records_contact: Optional[Str] = None


def _expiry_errors(issued: Optional[_dt.date], expires: Optional[_dt.date]) -> list[InitErrorDetails]:
    if issued is not None and expires is not None and expires < issued:
        return [error_at(("expires",), f"expires ({expires.isoformat()}) is before issued ({issued.isoformat()})",
                         expires.isoformat())]
    return []


class Document(ManifestModel):
    """A piece of evidence held (``documents[]`` of a Product or a Seller)."""

    id: Optional[NonEmptyStr] = None
    type: Key
    kind: Optional[Key] = None
    covers: Optional[list[Key]] = None
    standards: Optional[list[Str]] = None
    model: Optional[Str] = None
    language: Optional[Language] = None
    result: Optional[DocumentResult] = None
    issuer: Optional[Issuer] = None
    product_name: Optional[Str] = None
    brand: Optional[Str] = None
    cpsc_registry_ref: Optional[Str] = None
    elements: Optional[CertificateElements] = None
    file: Optional[RelativePath] = None
    issued: Optional[Date] = None
    expires: Optional[Date] = None  # may be written as an explicit null

    @model_validator(mode="after")
    def _check_dates(self) -> "Document":
        raise_errors("Document", _expiry_errors(self.issued, self.expires))
        return self


class _RegistrationCommon(ManifestModel):
    type: Key
    region: Optional[Subdivision] = None
    number: Optional[Str] = None
    issued: Optional[Date] = None
    expires: Optional[Date] = None  # may be written as an explicit null
    holder: Optional[Holder] = None

    @model_validator(mode="after")
    def _check_dates(self) -> "_RegistrationCommon":
        raise_errors(type(self).__name__, _expiry_errors(self.issued, self.expires))
        return self


class Registration(_RegistrationCommon):
    """A product-level registration (``Product.registrations[]``, accessories' ``registrations[]``)."""

    market: Optional[Jurisdiction] = None

    @model_validator(mode="before")
    @classmethod
    def _market_not_country(cls, data: Any) -> Any:
        if isinstance(data, dict) and "country" in data and "market" not in data:
            raise_errors("Registration", [error_at(
                ("country",), "product registrations name the market where they are valid (`market: SG`, "
                "`market: EU`); `country` is for Seller.registrations", data["country"])])
        return data


class SellerRegistration(_RegistrationCommon):
    """A seller-level registration (``Seller.registrations[]``): ``country`` instead of ``market``."""

    country: Optional[Jurisdiction] = None

    @model_validator(mode="before")
    @classmethod
    def _country_not_market(cls, data: Any) -> Any:
        if isinstance(data, dict) and "market" in data and "country" not in data:
            raise_errors("SellerRegistration", [error_at(
                ("market",), "seller registrations name the issuing country (`country: DE`); `market` is for "
                "Product.registrations", data["market"])])
        return data


# ---------------------------------------------------------------------------------------------------
# cross-field checks shared by Product and Seller
# ---------------------------------------------------------------------------------------------------


def document_id_errors(documents: Optional[list[Document]]) -> list[InitErrorDetails]:
    """``documents[].id`` must be unique: one error per repeated id, at the repetition."""
    errors: list[InitErrorDetails] = []
    first: dict[str, int] = {}
    for i, doc in enumerate(documents or ()):
        if doc.id is None:
            continue
        if doc.id in first:
            errors.append(error_at(("documents", i, "id"),
                                   f"document id '{doc.id}' is used twice (first at documents[{first[doc.id]}])",
                                   doc.id))
        else:
            first[doc.id] = i
    return errors


def dangling_reference_error(loc: tuple, ref: str, documents: Optional[list[Document]]) -> InitErrorDetails:
    ids = [d.id for d in documents or () if d.id is not None]
    if ids:
        known = f"; document ids are: {', '.join(ids[:12])}{' ...' if len(ids) > 12 else ''}"
    else:
        known = "; this manifest has no documents with an id"
    return error_at(loc, f"'{ref}' names no documents[].id of this manifest{_did_you_mean(ref, ids, 0.8)}{known}", ref)
