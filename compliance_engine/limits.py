"""Limits on what one input file may hold, so that a hostile or broken file is refused quickly, in bounded memory.

:class:`InputLimits` is passed down explicitly (``load_manifests(paths, limits)``); nothing here is global state,
so threads and callers can use different limits at the same time. The defaults, :data:`DEFAULT_LIMITS`, are
documented in docs/input-limits.md; the ``check``, ``documents`` and ``bundle`` commands take a flag for each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

KIB = 1024
MIB = 1024 * KIB


@dataclass(frozen=True)
class InputLimits:
    """How much one manifest file may hold. Every limit is checked while the file is read, before it grows past it.

    - ``max_file_bytes``: the file's size, checked before it is read (and again while reading, for a file that grows);
    - ``max_depth``: how deeply lists and mappings nest;
    - ``max_nodes``: YAML nodes (every key, value, list and mapping) in the whole file, aliases counted as the copies
      they expand to;
    - ``max_aliases``: aliases (``*name``) expanded in one document, nested expansions included;
    - ``max_documents``: documents (``---``) in one file;
    - ``max_value_chars``: characters in one value (a single string, number or date).
    """

    max_file_bytes: int = 20 * MIB
    max_depth: int = 64
    max_nodes: int = 250_000
    max_aliases: int = 1_000
    max_documents: int = 10_000
    max_value_chars: int = 100_000

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"{f.name} must be a whole number, not {value!r}")
            if value < least(f.name):
                raise ValueError(f"{f.name} must be at least {least(f.name)}, not {value}")


def least(field: str) -> int:
    """The smallest value a limit takes: 0 aliases forbids them; every other limit is at least 1."""
    return 0 if field == "max_aliases" else 1


DEFAULT_LIMITS = InputLimits()

# the flag (and configuration key) of each limit: messages name it, so a user knows what to raise
LIMIT_NAMES = {
    "max_file_bytes": "max-file-size",
    "max_depth": "max-depth",
    "max_nodes": "max-nodes",
    "max_aliases": "max-aliases",
    "max_documents": "max-documents",
    "max_value_chars": "max-value-length",
}


def limits_from(values: dict[str, int]) -> InputLimits:
    """InputLimits from configuration-key spelling (``{"max-depth": 32}``); keys not given keep their default."""
    fields_by_name = {name: field for field, name in LIMIT_NAMES.items()}
    return InputLimits(**{fields_by_name[k]: v for k, v in values.items()})


def config_values(limits: InputLimits) -> dict[str, int]:
    """Every limit in configuration-key spelling, in the documented order."""
    return {name: getattr(limits, field) for field, name in LIMIT_NAMES.items()}


_UNITS = {"": 1, "b": 1, "k": KIB, "kib": KIB, "m": MIB, "mib": MIB, "g": 1024 * MIB, "gib": 1024 * MIB,
          "kb": 1000, "mb": 1000 ** 2, "gb": 1000 ** 3}
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*")


def parse_size(text: str) -> int:
    """``"50MB"`` -> 50,000,000 bytes. Units: B; kB, MB, GB (powers of 1000); K, M, G, KiB, MiB, GiB (powers of
    1024); case does not matter. Raises ValueError with a message that says what is accepted."""
    m = _SIZE.fullmatch(str(text))
    unit = m.group(2).lower() if m else None
    if m is None or unit not in _UNITS:
        raise ValueError(f"'{text}' is not a size; write a number of bytes, optionally with a unit: "
                         "20MiB, 50MB, 512K, 1G")
    size = int(float(m.group(1)) * _UNITS[unit]) if "." in m.group(1) else int(m.group(1)) * _UNITS[unit]
    if size < 1:
        raise ValueError(f"'{text}' is not a size of at least one byte")
    return size


def format_size(size: int) -> str:
    """A size for messages: ``20 MiB``, ``1.5 GiB``, ``512 KiB``, ``900 bytes``."""
    for unit, factor in (("GiB", 1024 * MIB), ("MiB", MIB), ("KiB", KIB)):
        if size >= factor:
            shown = f"{size / factor:.1f}".removesuffix(".0")
            return f"{shown} {unit}"
    return f"{size:,} bytes"
