"""Waivers: accountable exceptions to a rule's finding (a product's ``waivers:`` list, or a central waivers file).

A waiver names a rule id or glob (``eu.gpsr.*``), optionally a market and marketplace (codes or globs), and must give
a ``reason``; ``expires`` (inclusive: the waiver holds through that day) and ``owner`` are optional. In the central
file each entry also names the ``sku`` (or a glob). Only failing findings are waived; a rule marked
``waivable: false`` in its pack cannot be.
"""

from typing import Optional

from pydantic import Field

from .base import Date, ManifestModel, NonEmptyStr, Str

__all__ = ["ManifestWaiver", "CentralWaiver", "WaiverFile"]

_GLOB = r"^[A-Za-z0-9_.*?\[\]!-]+$"


class ManifestWaiver(ManifestModel):
    """One entry of a product's ``waivers:`` list (it applies to that product only)."""

    rule: NonEmptyStr = Field(pattern=_GLOB, description="Rule id, or a glob such as eu.gpsr.* (fnmatch rules).")
    market: Optional[NonEmptyStr] = Field(None, pattern=_GLOB, description="Only in this market (code or glob).")
    marketplace: Optional[NonEmptyStr] = Field(None, pattern=_GLOB, description="Only on this marketplace (name or glob).")
    reason: NonEmptyStr = Field(description="Why the finding is accepted; required, shown in every report format.")
    expires: Optional[Date] = Field(None, description="Last day the waiver holds (YYYY-MM-DD); after it the finding counts again.")
    owner: Optional[Str] = Field(None, description="Who answers for the waiver (person, team or e-mail).")


class CentralWaiver(ManifestWaiver):
    """One entry of a central waivers file: names the product too."""

    sku: NonEmptyStr = Field(pattern=r"^[^\s]+$", description="SKU, or a glob such as X1-* (fnmatch rules).")


class WaiverFile(ManifestModel):
    """A central waivers file (``--waivers FILE`` or ``waivers:`` in the configuration)."""

    waivers: list[CentralWaiver] = Field(description="The waivers.")
