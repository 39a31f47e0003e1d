"""Turn loaded manifests into check units: one product in one market, with its listing and the seller."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from .errors import InputProblem
from .loading import Manifest
from .markets import expand_markets


@dataclass
class Source:
    """Where a part of a unit came from, to point findings at a file and line."""

    file: str
    manifest: Manifest | None
    prefix: str = ""  # field-path prefix inside the manifest (embedded listings: "listings[0]")

    def line_of(self, path: str) -> int:
        if self.manifest is None:
            return 1
        return self.manifest.line_of(f"{self.prefix}.{path}" if self.prefix and path else (self.prefix or path))


@dataclass
class CheckUnit:
    """One product in one market, with the listing for that market (if any) and the seller (if any)."""

    product: dict[str, Any]
    market: str
    listing: dict[str, Any] | None = None
    seller: dict[str, Any] | None = None
    product_source: Source | None = None
    listing_source: Source | None = None
    seller_source: Source | None = None

    @property
    def sku(self) -> str:
        return str(self.product.get("sku", ""))

    @property
    def marketplace(self) -> str | None:
        return self.listing.get("marketplace") if self.listing else None

    @property
    def file(self) -> str:
        return self.product_source.file if self.product_source else "<product>"

    def sort_key(self) -> tuple:
        return (self.file, self.sku, self.market, self.marketplace or "")


def build_units(manifests: list[Manifest]) -> tuple[list[CheckUnit], list[InputProblem]]:
    """Resolve listings to products across all files, pick the seller, and expand markets."""
    problems: list[InputProblem] = []
    products: dict[str, Manifest] = {}
    sellers = [m for m in manifests if m.kind == "Seller"]
    for m in manifests:
        if m.kind != "Product":
            continue
        sku = m.data["sku"]
        if sku in products:
            first = products[sku]
            problems.append(InputProblem(m.file, m.line_of("sku"),
                                         f"sku: '{sku}' is also used in {first.file}:{first.line_of('sku')}; SKUs must be unique"))
            continue
        products[sku] = m
    seller = sellers[0] if sellers else None
    if len(sellers) > 1:
        for extra in sellers[1:]:
            problems.append(InputProblem(extra.file, extra.document.first_line,
                                         f"a second Seller manifest (the first is {sellers[0].file}:{sellers[0].document.first_line}); "
                                         "check each seller's products in their own run"))
    listings: dict[str, list[tuple[dict, Source]]] = {sku: [] for sku in products}
    for sku, m in products.items():
        for i, lst in enumerate(m.data.get("listings") or []):
            listings[sku].append((lst, Source(m.file, m, f"listings[{i}]")))
    for m in manifests:
        if m.kind != "Listing":
            continue
        sku = m.data["product"]
        if sku not in products:
            hint = ""
            close = difflib.get_close_matches(sku, list(products), n=1)
            if close:
                hint = f" (did you mean '{close[0]}'?)"
            problems.append(InputProblem(m.file, m.line_of("product"),
                                         f"product: '{sku}' matches no Product in this run{hint}"))
            continue
        listings[sku].append((m.data, Source(m.file, m, "")))
    seen_listing: dict[tuple, Source] = {}
    units: list[CheckUnit] = []
    for sku, m in products.items():
        psrc = Source(m.file, m, "")
        by_market: dict[str, list[tuple[dict, Source]]] = {}
        for lst, src in listings[sku]:
            key = (sku, lst["market"], lst["marketplace"])
            if key in seen_listing:
                prev = seen_listing[key]
                problems.append(InputProblem(src.file, src.line_of("marketplace"),
                                             f"a second {lst['marketplace']} listing for {sku} in {lst['market']} "
                                             f"(the first is {prev.file}:{prev.line_of('marketplace')})"))
                continue
            seen_listing[key] = src
            by_market.setdefault(lst["market"], []).append((lst, src))
        markets = expand_markets(m.data.get("markets") or [])
        for market in by_market:
            if market not in markets:
                markets.append(market)
        sdata = seller.data if seller else None
        ssrc = Source(seller.file, seller, "") if seller else None
        for market in markets:
            market_listings = by_market.get(market)
            if not market_listings:
                units.append(CheckUnit(m.data, market, None, sdata, psrc, None, ssrc))
                continue
            for lst, src in market_listings:
                units.append(CheckUnit(m.data, market, lst, sdata, psrc, src, ssrc))
    units.sort(key=CheckUnit.sort_key)
    return units, problems
