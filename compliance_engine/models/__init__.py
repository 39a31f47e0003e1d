"""Pydantic v2 models of the manifest contract, version 1 (shared/spec/manifests.md).

Three manifest kinds: :class:`Product`, :class:`Listing`, :class:`Seller` (``MODEL_BY_KIND``), and
:class:`EmbeddedListing` for ``Product.listings[]``. Unknown keys are errors; ``x-`` keys are free at every
object level (dropped before validation). Optional fields default to ``None``, so
``model.model_dump(mode="json", exclude_none=True)`` reproduces what the user wrote (in canonical form:
dates as ISO strings, measures as floats). Market groups (EU, SEA) are kept unexpanded: see
:func:`vocab.expand_markets`. The controlled vocabularies are in :mod:`.vocab`.
"""

from typing import Any

from . import vocab
from .base import (
    Contact,
    Document,
    Holder,
    Issuer,
    ManifestModel,
    Money,
    OperatorEntry,
    Registration,
    SellerRegistration,
)
from .listing import EmbeddedListing, Listing
from .product import Product
from .seller import Seller

__all__ = [
    "Product", "Listing", "Seller", "EmbeddedListing", "MODEL_BY_KIND", "SCHEMA_BASE_URL",
    "generate_schemas", "vocab",
    "ManifestModel", "Money", "Contact", "OperatorEntry", "Holder", "Issuer", "Document", "Registration",
    "SellerRegistration",
]

MODEL_BY_KIND: dict[str, type[ManifestModel]] = {"Product": Product, "Listing": Listing, "Seller": Seller}

SCHEMA_BASE_URL = "https://raw.githubusercontent.com/compliance-engine/compliance-engine/main/schemas/"
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

_TITLES = {
    "Product": "compliance-engine manifest, kind: Product (contract v1)",
    "Listing": "compliance-engine manifest, kind: Listing (contract v1)",
    "Seller": "compliance-engine manifest, kind: Seller (contract v1)",
}


def generate_schemas() -> dict[str, dict[str, Any]]:
    """JSON Schemas (draft 2020-12, validation mode) of the three kinds, keyed "product", "listing", "seller"."""
    schemas: dict[str, dict[str, Any]] = {}
    for kind, model in MODEL_BY_KIND.items():
        key = kind.lower()
        body = model.model_json_schema(mode="validation")
        body.pop("title", None)
        schemas[key] = {
            "$schema": JSON_SCHEMA_DIALECT,
            "$id": f"{SCHEMA_BASE_URL}{key}.schema.json",
            "title": _TITLES[kind],
            **body,
        }
    return schemas
