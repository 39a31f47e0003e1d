"""kind: Listing — an offer of a product on one marketplace in one market (contract section 3).

:class:`EmbeddedListing` holds the listing fields without ``kind`` and ``product``; it is the shape of
``Product.listings[]``. :class:`Listing` is the stand-alone document.
"""

from typing import Literal, Optional

from .base import (
    Count,
    Country,
    Date,
    Fulfilment,
    Incoterm,
    Key,
    Language,
    ManifestModel,
    MarketCode,
    Marketplace,
    Money,
    NonEmptyStr,
    ShippingMode,
    Str,
    TaxCollectedBy,
    XMap,
)

__all__ = ["Listing", "EmbeddedListing", "Shipping", "DisplayedRegistration"]


class Shipping(ManifestModel):
    """How an order travels to the buyer."""

    mode: Optional[ShippingMode] = None
    channel: Optional[Str] = None
    incoterm: Optional[Incoterm] = None
    consignment_value: Optional[Money] = None
    handling_time_days: Optional[Count] = None
    promised_delivery_days: Optional[Count] = None


class DisplayedRegistration(ManifestModel):
    """A registration or certificate number shown on the offer page (``type``: registration or document type)."""

    type: Key
    number: Optional[Str] = None


class EmbeddedListing(ManifestModel):
    """A listing embedded in a Product (``Product.listings[]``): the Listing fields without kind and product."""

    marketplace: Marketplace
    market: Country
    language: Optional[Language] = None
    title: Optional[Str] = None
    bullets: Optional[list[Str]] = None
    description: Optional[Str] = None
    price: Optional[Money] = None
    fulfilment: Optional[Fulfilment] = None
    ships_from: Optional[Country] = None
    ships_to_regions: Optional[list[MarketCode]] = None
    shipping: Optional[Shipping] = None
    tax_collected_by: Optional[TaxCollectedBy] = None
    live_from: Optional[Date] = None
    displays: Optional[list[Key]] = None
    displayed_marks: Optional[list[Key]] = None
    displayed_registrations: Optional[list[DisplayedRegistration]] = None
    attributes: Optional[XMap(str, Str)] = None
    payment_methods: Optional[list[Key]] = None


class _ListingHead(ManifestModel):
    kind: Literal["Listing"]
    product: NonEmptyStr


class Listing(EmbeddedListing, _ListingHead):
    """A listing manifest (``kind: Listing``): an offer of the Product ``product`` (its sku) on one
    marketplace in one market."""
