"""kind: Seller — the business behind the listings: tax, EPR, privacy (contract section 4)."""

from typing import Literal, Optional

from pydantic import model_validator

from .base import (
    AmazonProgram,
    Count,
    Country,
    Document,
    EfilingMethod,
    EntitySize,
    Flag,
    Jurisdiction,
    Language,
    ManifestModel,
    MarketCode,
    MarketOrSubdivision,
    Measure,
    Money,
    SellerRegistration,
    Str,
    TransferMechanism,
    Url,
    USState,
    XMap,
    _err,
    document_id_errors,
    raise_errors,
)

__all__ = [
    "Seller", "MarketSales", "MarketingPractices", "Representative", "LocalRepresentative", "Dpo",
    "DataSubjectCount", "Privacy",
]

_COUNTRY_KEY = "^[A-Z]{2}$"


class MarketSales(ManifestModel):
    """Sales into one market as its threshold counts them; amounts are money."""

    sales_last_12m: Optional[Money] = None
    transactions_last_12m: Optional[Count] = None
    marketplace_sales_last_12m: Optional[Money] = None


class MarketingPractices(ManifestModel):
    """Self-declared review and endorsement practices."""

    paid_reviews: Optional[Flag] = None
    review_suppression: Optional[Flag] = None
    insider_reviews_disclosed: Optional[Flag] = None
    uses_influencers: Optional[Flag] = None
    fake_social_indicators: Optional[Flag] = None
    review_incentives_conditional: Optional[Flag] = None


class Representative(ManifestModel):
    """A GDPR / UK GDPR Art 27 representative."""

    name: Optional[Str] = None
    address: Optional[Str] = None
    country: Optional[Country] = None


class LocalRepresentative(ManifestModel):
    """A representative under another privacy law (TH PDPA, MY PDPA)."""

    name: Optional[Str] = None
    address: Optional[Str] = None
    country: Optional[Country] = None
    email: Optional[Str] = None


class Dpo(ManifestModel):
    """Data protection officer."""

    name: Optional[Str] = None
    email: Optional[Str] = None


class DataSubjectCount(ManifestModel):
    """Data subjects whose data is processed: total, and how many with sensitive data."""

    total: Optional[Count] = None
    sensitive: Optional[Count] = None

    @model_validator(mode="after")
    def _check_order(self) -> "DataSubjectCount":
        if self.total is not None and self.sensitive is not None and self.sensitive > self.total:
            raise _err(f"sensitive ({self.sensitive}) is above total ({self.total})")
        return self


class Privacy(ManifestModel):
    """Personal-data processing."""

    processes_personal_data_of: Optional[list[MarketCode]] = None
    privacy_policy_url: Optional[Url] = None
    privacy_policy_languages: Optional[list[Language]] = None
    eu_representative: Optional[Representative] = None
    gb_representative: Optional[Representative] = None
    local_representatives: Optional[XMap(Country, LocalRepresentative, _COUNTRY_KEY)] = None
    transfer_mechanism: Optional[TransferMechanism] = None
    transfer_mechanisms: Optional[XMap(Jurisdiction, TransferMechanism, _COUNTRY_KEY)] = None
    receives_data_from_eu_entities: Optional[Flag] = None
    cookie_consent: Optional[Flag] = None
    cookie_reject_all_first_layer: Optional[Flag] = None
    dpo: Optional[Dpo] = None
    large_scale_monitoring: Optional[Flag] = None
    large_scale_special_category_data: Optional[Flag] = None
    staff_processing_personal_data: Optional[Count] = None
    data_subject_counts: Optional[XMap(Country, DataSubjectCount, _COUNTRY_KEY)] = None
    uses_equipment_in: Optional[list[Country]] = None


class Seller(ManifestModel):
    """A seller manifest (``kind: Seller``): the business behind the listings."""

    kind: Literal["Seller"]
    name: Optional[Str] = None
    established_in: Optional[Country] = None
    stock_locations: Optional[list[Country]] = None
    amazon_programs: Optional[list[AmazonProgram]] = None
    websites: Optional[list[Url]] = None
    eu_distance_sales_eur_last_12m: Optional[Measure] = None
    eu_distance_sales_eur_current_year: Optional[Measure] = None
    eu_distance_sales_eur_previous_year: Optional[Measure] = None
    global_turnover_last_12m: Optional[Money] = None
    sales_by_market: Optional[XMap(MarketOrSubdivision, MarketSales, "^[A-Z]{2}(-[A-Z0-9]{1,3})?$")] = None
    us_cosmetic_sales_avg_3y_usd: Optional[Measure] = None
    employees_count: Optional[Count] = None
    entity_size: Optional[EntitySize] = None
    sells_digital_services: Optional[Flag] = None
    excluded_us_states: Optional[list[USState]] = None
    marketing_practices: Optional[MarketingPractices] = None
    prior_notice_process: Optional[Flag] = None
    ships_by_air: Optional[Flag] = None
    dg_air_shipping_process: Optional[Flag] = None
    efiling_method: Optional[EfilingMethod] = None
    fda_small_business_nutrition_exemption: Optional[Flag] = None
    registrations: Optional[list[SellerRegistration]] = None
    documents: Optional[list[Document]] = None
    privacy: Optional[Privacy] = None

    @model_validator(mode="after")
    def _cross_checks(self) -> "Seller":
        raise_errors("Seller", document_id_errors(self.documents))
        return self
