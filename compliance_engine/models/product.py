"""kind: Product — what the item is, what is in it, and the evidence held for it (contract section 2)."""

from typing import Annotated, Any, Literal, Optional

from pydantic import AfterValidator, Field, field_validator, model_validator

from .base import (
    AccessoryType,
    Allergen,
    BatteryChemistry,
    BatteryCompartment,
    BatteryForm,
    BatteryPacking,
    CasNumber,
    CategoryKey,
    ChargingPort,
    Contact,
    ContactChannel,
    ContactQualifier,
    CosmeticApplication,
    CosmeticArea,
    Count,
    Country,
    Date,
    Document,
    FactsPanel,
    FccStatementPlacement,
    FdaDeviceClass,
    Flag,
    Fulfilment,
    HalalStatus,
    HsCode,
    IngredientFunction,
    IntendedFor,
    Jurisdiction,
    Key,
    Language,
    ManifestModel,
    MarketCode,
    MaterialKey,
    Measure,
    NonEmptyStr,
    OperatorEntry,
    PackageKind,
    Percent,
    Prop65Endpoint,
    Prop65SignalWord,
    Prop65WarningType,
    Registration,
    Str,
    SubstanceContact,
    TextileIdentity,
    _err,
    dangling_reference_error,
    document_id_errors,
    error_at,
    raise_errors,
)
from .listing import EmbeddedListing
from .waiver import ManifestWaiver

__all__ = [
    "Product", "Identifiers", "AgeGrade", "Electrical", "VoltageRange", "Radio", "Charging", "Battery",
    "Accessory", "Substance", "Ingredient", "ProductMaterial", "Cosmetic", "MedicalDevice", "Halal",
    "Fibre", "Textile", "Apparel", "Magnet", "ChildSafety", "PackageMaterial", "Package",
    "ShippingPackage", "Carton", "WarningText", "Prop65Warning", "ContactOnPack", "Labelling", "Claim",
    "Origin",
]

# ---------------------------------------------------------------------------------------------------
# 2.1 core
# ---------------------------------------------------------------------------------------------------


class Identifiers(ManifestModel):
    """Product identifiers: GTIN, model or type number, HS code."""

    gtin: Optional[Str] = None
    model: Optional[Str] = None
    hs_code: Optional[HsCode] = None


class AgeGrade(ManifestModel):
    """Present => designed or intended for children of that age."""

    min_years: Optional[Measure] = None
    max_years: Optional[Measure] = None

    @model_validator(mode="after")
    def _check_order(self) -> "AgeGrade":
        if self.min_years is not None and self.max_years is not None and self.min_years > self.max_years:
            raise _err(f"min_years ({self.min_years:g}) is above max_years ({self.max_years:g})")
        return self


# ---------------------------------------------------------------------------------------------------
# 2.2 electrical
# ---------------------------------------------------------------------------------------------------


class VoltageRange(ManifestModel):
    """Rated AC input in volts: ``{min, max}``."""

    min: Optional[Measure] = None
    max: Optional[Measure] = None

    @model_validator(mode="after")
    def _check_order(self) -> "VoltageRange":
        if self.min is not None and self.max is not None and self.min > self.max:
            raise _err(f"min ({self.min:g} V) is above max ({self.max:g} V)")
        return self


def _band_order(band: list[float]) -> list[float]:
    if band[0] > band[1]:
        raise _err(f"a frequency band is [low, high] in MHz; got [{band[0]:g}, {band[1]:g}]")
    return band


#: One declared operating band: ``[low, high]`` in MHz.
FrequencyBand = Annotated[list[Measure], Field(min_length=2, max_length=2), AfterValidator(_band_order)]


class Radio(ManifestModel):
    """Radio functions; any of bluetooth, wifi, cellular, nfc, other true => radio equipment."""

    bluetooth: Optional[Flag] = None
    wifi: Optional[Flag] = None
    cellular: Optional[Flag] = None
    nfc: Optional[Flag] = None
    other: Optional[Flag] = None
    frequency_bands_mhz: Optional[list[FrequencyBand]] = None
    max_eirp_mw: Optional[Measure] = None
    internet_connected: Optional[Flag] = None
    processes_personal_data: Optional[Flag] = None
    payment_function: Optional[Flag] = None


class Charging(ManifestModel):
    """Wired charging: port, highest charging power in W, USB Power Delivery supported."""

    port: Optional[ChargingPort] = None
    max_power_w: Optional[Measure] = None
    usb_pd: Optional[Flag] = None


class Battery(ManifestModel):
    """The product's battery."""

    chemistry: Optional[BatteryChemistry] = None
    watt_hours: Optional[Measure] = None
    cell_watt_hours: Optional[Measure] = None
    lithium_content_g: Optional[Measure] = None
    count: Optional[Count] = None
    form: Optional[BatteryForm] = None
    removable: Optional[Flag] = None
    packing: Optional[BatteryPacking] = None
    compartment: Optional[BatteryCompartment] = None
    wh_marked: Optional[Flag] = None
    label_compliant_2026: Optional[Flag] = None
    shipping_soc_pct: Optional[Percent] = None


class Accessory(ManifestModel):
    """A power accessory supplied with or offered for the product."""

    type: AccessoryType
    model: Optional[Str] = None
    included: Optional[Flag] = None
    registrations: Optional[list[Registration]] = None


class Electrical(ManifestModel):
    """Present => the product uses electricity (mains, DC input or built-in battery)."""

    mains_powered: Optional[Flag] = None
    ac_input_v: Optional[VoltageRange] = None
    dc_input_v: Optional[Measure] = None
    digital_device: Optional[Flag] = None
    wearable: Optional[Flag] = None
    radio: Optional[Radio] = None
    charging: Optional[Charging] = None
    battery: Optional[Battery] = None
    accessories: Optional[list[Accessory]] = None


# ---------------------------------------------------------------------------------------------------
# 2.3 substances, ingredients, materials
# ---------------------------------------------------------------------------------------------------


class Substance(ManifestModel):
    """A declared substance of concern in a component (named by ``name``, ``cas`` or both)."""

    name: Optional[Str] = None
    cas: Optional[CasNumber] = None
    concentration_pct: Optional[Percent] = None
    component: Optional[Str] = None
    material: Optional[MaterialKey] = None
    contact: Optional[SubstanceContact] = None
    release_ug_cm2_week: Optional[Measure] = None
    rohs_exemption: Optional[Str] = None
    inaccessible: Optional[Flag] = None

    @model_validator(mode="after")
    def _named(self) -> "Substance":
        if self.name is None and self.cas is None:
            raise _err("a substance needs a `name` or a `cas` number (rules match CAS first, then name)")
        return self


class Ingredient(ManifestModel):
    """One ingredient of a formula (list in descending order)."""

    name: NonEmptyStr
    percent: Optional[Percent] = None
    cas: Optional[CasNumber] = None
    function: Optional[IngredientFunction] = None
    amount_per_serving: Optional[Str] = None


class ProductMaterial(ManifestModel):
    """A material of the product itself (packaging is ``package.materials``)."""

    material: MaterialKey
    weight_g: Optional[Measure] = None
    recycled_pct: Optional[Percent] = None
    food_contact: Optional[Flag] = None
    cfr_section: Optional[Str] = None


# ---------------------------------------------------------------------------------------------------
# 2.4 cosmetic, drug and medical device; 2.5 halal
# ---------------------------------------------------------------------------------------------------


class Cosmetic(ManifestModel):
    """Cosmetic product properties."""

    application: Optional[CosmeticApplication] = None
    areas: Optional[list[CosmeticArea]] = None
    aerosol: Optional[Flag] = None
    professional_use: Optional[Flag] = None
    shelf_life_months: Optional[Count] = None


class MedicalDevice(ManifestModel):
    """FDA device class, FDA product code, 510(k)-exempt."""

    us_class: Optional[FdaDeviceClass] = None
    product_code: Optional[Str] = None
    exempt_510k: Optional[Flag] = None


class Halal(ManifestModel):
    """Halal status under Indonesian halal law."""

    status: Optional[HalalStatus] = None
    certificate: Optional[NonEmptyStr] = None  # a documents[].id (checked by Product)
    contains_non_halal_material: Optional[Flag] = None
    animal_derived: Optional[Flag] = None


# ---------------------------------------------------------------------------------------------------
# 2.6 textile and apparel; 2.7 children
# ---------------------------------------------------------------------------------------------------


class Fibre(ManifestModel):
    """Fibre content by weight, generic fibre name."""

    fibre: NonEmptyStr
    percent: Optional[Percent] = None


class Textile(ManifestModel):
    """Textile fibre content."""

    fibres: Optional[list[Fibre]] = None


class Apparel(ManifestModel):
    """Wearing-apparel features."""

    sleepwear: Optional[Flag] = None
    snug_fit: Optional[Flag] = None
    size_range: Optional[Str] = None
    drawstring_hood_neck: Optional[Flag] = None
    drawstring_waist: Optional[Flag] = None


class Magnet(ManifestModel):
    """A magnet: loose or separable, fits the small-parts cylinder, flux index (kg²/mm²)."""

    loose: Optional[Flag] = None
    fits_small_parts_cylinder: Optional[Flag] = None
    flux_index_kg2mm2: Optional[Measure] = None


class ChildSafety(ManifestModel):
    """Physical features that drive child-safety rules (any product)."""

    mouthable: Optional[Flag] = None
    small_parts: Optional[Flag] = None
    small_balls: Optional[Flag] = None
    marbles: Optional[Flag] = None
    latex_balloon: Optional[Flag] = None
    magnets: Optional[list[Magnet]] = None


# ---------------------------------------------------------------------------------------------------
# 2.8 packaging and shipping
# ---------------------------------------------------------------------------------------------------


class PackageMaterial(ManifestModel):
    """A packaging material."""

    material: MaterialKey
    weight_g: Optional[Measure] = None
    recycled_pct: Optional[Percent] = None


class Package(ManifestModel):
    """The unit as packed for sale."""

    kind: Optional[PackageKind] = None
    length_cm: Optional[Measure] = None
    width_cm: Optional[Measure] = None
    height_cm: Optional[Measure] = None
    weight_g: Optional[Measure] = None
    product_volume_cm3: Optional[Measure] = None
    materials: Optional[list[PackageMaterial]] = None
    pfas_intentionally_added: Optional[Flag] = None


class ShippingPackage(ManifestModel):
    """The parcel one unit reaches the buyer in, when it is not ``package``."""

    length_cm: Optional[Measure] = None
    width_cm: Optional[Measure] = None
    height_cm: Optional[Measure] = None
    weight_g: Optional[Measure] = None
    filler: Optional[Flag] = None
    filled_by: Optional[Fulfilment] = None


class Carton(ManifestModel):
    """The inbound case pack sent to a warehouse."""

    length_cm: Optional[Measure] = None
    width_cm: Optional[Measure] = None
    height_cm: Optional[Measure] = None
    weight_g: Optional[Measure] = None
    units_per_carton: Optional[Count] = None


# ---------------------------------------------------------------------------------------------------
# 2.9 labelling; 2.10 claims; 2.11 origin
# ---------------------------------------------------------------------------------------------------


class WarningText(ManifestModel):
    """A warning on product, packaging or instructions: ``key`` (5.6) and the exact ``text``."""

    key: Key
    text: Optional[Str] = None


class Prop65Warning(ManifestModel):
    """The California Proposition 65 warning as printed."""

    type: Optional[Prop65WarningType] = None
    signal_word: Optional[Prop65SignalWord] = None
    chemicals: Optional[list[Str]] = None  # CAS numbers named
    endpoints: Optional[list[Prop65Endpoint]] = None
    languages: Optional[list[Language]] = None


class ContactOnPack(ManifestModel):
    """Whose name and contact details are printed (``channels`` absent = ``[address]``)."""

    role: Key
    jurisdiction: Optional[Jurisdiction] = None
    qualifier: Optional[ContactQualifier] = None
    channels: Optional[list[ContactChannel]] = None


class Labelling(ManifestModel):
    """What is printed on the product, its packaging and instructions."""

    languages: Optional[list[Language]] = None
    marks: Optional[list[Key]] = None
    warnings: Optional[list[WarningText]] = None
    warnings_languages: Optional[list[Language]] = None
    prop65_warning: Optional[Prop65Warning] = None
    contacts_on_pack: Optional[list[ContactOnPack]] = None
    origin_statement: Optional[Str] = None
    ingredient_list: Optional[Flag] = None
    net_quantity: Optional[Str] = None
    batch_code: Optional[Flag] = None
    serial_number: Optional[Flag] = None
    expiry_date: Optional[Flag] = None
    manufacture_date: Optional[Flag] = None
    period_after_opening_months: Optional[Count] = None
    tracking_label: Optional[Flag] = None
    care_label: Optional[Flag] = None
    textile_identity: Optional[TextileIdentity] = None
    allergen_statement: Optional[list[Allergen]] = None
    facts_panel: Optional[FactsPanel] = None
    disclaimers: Optional[list[Str]] = None
    fcc_statement: Optional[FccStatementPlacement] = None
    dpp_data_carrier: Optional[Flag] = None
    ppwr_material_label: Optional[Flag] = None


class Claim(ManifestModel):
    """A marketing claim and the id of the document that substantiates it."""

    text: NonEmptyStr
    substantiation: Optional[NonEmptyStr] = None  # a documents[].id (checked by Product)


class Origin(ManifestModel):
    """Where the product is made."""

    final_assembly_country: Optional[Country] = None
    significant_processing_countries: Optional[list[Country]] = None
    us_content_pct: Optional[Percent] = None


# ---------------------------------------------------------------------------------------------------
# the Product
# ---------------------------------------------------------------------------------------------------

_OPERATORS_LIST_FORM = ("economic_operators is a list since manifest contract v1: write "
                        "`economic_operators: [{jurisdiction: EU, role: authorised-representative, name: ..., "
                        "address: ..., country: ..., email: ...}]`, one entry per (jurisdiction, role)")


def _flow(value: Any) -> str:
    """A short YAML flow rendering of a scalar, for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    text = str(value)
    if (not text or text != text.strip() or any(ch in text for ch in "{}[],\"") or ": " in text
            or " #" in text or text.endswith(":") or text[0] in "!&*?|>'%@`-:#"):
        return '"' + text.replace('"', '\\"') + '"'
    return text


def _operators_map_message(value: dict) -> str:
    """The error for the old map form, showing the user's own entries in the list form when possible."""
    entries: list[str] = []
    for jurisdiction, party in value.items():
        if not isinstance(party, dict):
            return _OPERATORS_LIST_FORM
        fields = {"jurisdiction": jurisdiction, "role": party.get("role", "<role>")}
        fields.update((k, v) for k, v in party.items() if k not in fields and not isinstance(v, (dict, list)))
        entries.append("  - {" + ", ".join(f"{k}: {_flow(v)}" for k, v in fields.items()) + "}")
    if not entries:
        return _OPERATORS_LIST_FORM
    shown = entries[:3] + (["  - ..."] if len(entries) > 3 else [])
    return _OPERATORS_LIST_FORM + ". Your entries in the list form:\neconomic_operators:\n" + "\n".join(shown)


class Product(ManifestModel):
    """A product manifest (``kind: Product``): what the item is, what is in it, the evidence held."""

    # 2.1 core
    kind: Literal["Product"]
    sku: NonEmptyStr
    name: Optional[Str] = None
    brand: Optional[Str] = None
    identifiers: Optional[Identifiers] = None
    category: CategoryKey
    markets: Optional[list[MarketCode]] = None
    intended_for: Optional[IntendedFor] = None
    age_grade: Optional[AgeGrade] = None
    country_of_origin: Optional[Country] = None
    manufactured_from: Optional[Date] = None
    manufacturer: Optional[Contact] = None
    economic_operators: Optional[list[OperatorEntry]] = None
    # 2.2
    electrical: Optional[Electrical] = None
    # 2.3
    substances: Optional[list[Substance]] = None
    reach_tonnage_t_per_year: Optional[Measure] = None
    ingredients: Optional[list[Ingredient]] = None
    materials: Optional[list[ProductMaterial]] = None
    # 2.4
    cosmetic: Optional[Cosmetic] = None
    medical_device: Optional[MedicalDevice] = None
    # 2.5
    food_contact: Optional[Flag] = None
    halal: Optional[Halal] = None
    # 2.6
    textile: Optional[Textile] = None
    apparel: Optional[Apparel] = None
    # 2.7
    child_safety: Optional[ChildSafety] = None
    # 2.8
    package: Optional[Package] = None
    shipping_package: Optional[ShippingPackage] = None
    carton: Optional[Carton] = None
    dg_class: Optional[Str] = None
    # 2.9 - 2.11
    labelling: Optional[Labelling] = None
    claims: Optional[list[Claim]] = None
    inserts: Optional[list[Str]] = None
    origin: Optional[Origin] = None
    # 2.12 - 2.14
    documents: Optional[list[Document]] = None
    registrations: Optional[list[Registration]] = None
    listings: Optional[list[EmbeddedListing]] = None
    waivers: Optional[list[ManifestWaiver]] = None

    @field_validator("economic_operators", mode="before")
    @classmethod
    def _operators_are_a_list(cls, value: Any) -> Any:
        if isinstance(value, dict):
            raise _err(_operators_map_message(value))
        return value

    @model_validator(mode="after")
    def _cross_checks(self) -> "Product":
        errors = document_id_errors(self.documents)
        ids = {d.id for d in self.documents or () if d.id is not None}
        for i, claim in enumerate(self.claims or ()):
            if claim.substantiation is not None and claim.substantiation not in ids:
                errors.append(dangling_reference_error(("claims", i, "substantiation"), claim.substantiation,
                                                       self.documents))
        if self.halal is not None and self.halal.certificate is not None and self.halal.certificate not in ids:
            errors.append(dangling_reference_error(("halal", "certificate"), self.halal.certificate,
                                                   self.documents))
        first: dict[tuple[str, str], int] = {}
        for i, op in enumerate(self.economic_operators or ()):
            pair = (op.jurisdiction, op.role)
            if pair in first:
                errors.append(error_at(
                    ("economic_operators", i, "role"),
                    f"economic_operators: the pair (jurisdiction {op.jurisdiction}, role {op.role}) appears twice "
                    f"(first at economic_operators[{first[pair]}]); each (jurisdiction, role) is listed once",
                    op.role))
            else:
                first[pair] = i
        raise_errors("Product", errors)
        return self
