"""compliance-engine: check product, listing and seller manifests against region rule packs.

    from compliance_engine import Checker, load_manifests, Report, Finding

    checker = Checker(packs=["eu.gpsr"], as_of="2026-11-24")
    report = checker.check_paths(["products/"])
    findings = checker.check(product_dict, market="DE", listing=listing_dict)

Names are imported lazily so that ``import compliance_engine`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .version import __version__

__all__ = ["Checker", "load_manifests", "load_packs", "Report", "Finding", "UnitResult", "InputError",
           "PackError", "CheckError", "__version__"]

_LAZY = {
    "Checker": ("checker", "Checker"),
    "load_manifests": ("loading", "load_manifests"),
    "load_packs": ("packs.loader", "load_packs"),
    "Report": ("findings", "Report"),
    "Finding": ("findings", "Finding"),
    "UnitResult": ("findings", "UnitResult"),
    "InputError": ("errors", "InputError"),
    "PackError": ("errors", "PackError"),
    "CheckError": ("errors", "CheckError"),
}

if TYPE_CHECKING:  # pragma: no cover
    from .checker import Checker
    from .errors import CheckError, InputError, PackError
    from .findings import Finding, Report, UnitResult
    from .loading import load_manifests
    from .packs.loader import load_packs


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(f".{module}", __name__), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'compliance_engine' has no attribute {name!r}")
