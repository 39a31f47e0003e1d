"""Market codes and groups (contract §1.1): EU = EU-27, SEA = ID MY PH SG TH VN; XI = Northern Ireland."""

from __future__ import annotations

from typing import Iterable

EU27 = ("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
        "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE")
SEA = ("ID", "MY", "PH", "SG", "TH", "VN")
GROUPS: dict[str, tuple[str, ...]] = {"EU": EU27, "SEA": SEA}


def expand_markets(codes: Iterable[str]) -> list[str]:
    """Expand EU/SEA into their countries; keep order, drop duplicates. A single code may be a str."""
    if isinstance(codes, str):
        codes = (codes,)
    out: list[str] = []
    for code in codes:
        for c in GROUPS.get(code, (code,)):
            if c not in out:
                out.append(c)
    return out
