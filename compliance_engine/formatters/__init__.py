"""Output formats. Each module renders a Report to text; none of them decides anything.

``get(name)`` returns the format's ``render(report, *, color=False, verbose=False, root=None, **options) -> str``;
``root`` is the repository root that file names are made relative to (default: found from the working
directory). A format's module is imported only when asked for, to keep start-up fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Callable

FORMATS = ("text", "json", "jsonl", "sarif", "junit", "github", "markdown", "csv")


def get(name: str) -> Callable[..., str]:
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r} (known: {', '.join(FORMATS)})")
    return import_module(f"{__name__}.{name}").render
