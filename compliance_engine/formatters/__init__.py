"""Output formats. Each module renders a Report to text; none of them decides anything."""

from __future__ import annotations

from typing import Callable

from ..findings import Report


def get(name: str) -> Callable[..., str]:
    if name == "json":
        from .json import render
    elif name == "text":
        from .text import render
    else:
        raise ValueError(f"unknown format {name!r}")
    return render


FORMATS = ("text", "json")
