"""Open vocabularies (document, registration, legislation, mark, warning, display and role keys):
an unknown key is not an error, but is reported as a warning naming the nearest known key
(contract §5). Keys that a loaded rule pack names count as known: packs extend the vocabularies."""

from __future__ import annotations

import difflib
from functools import lru_cache
from typing import Any, Iterable, Iterator

from .errors import InputProblem
from .loading import Manifest


def _walk(obj: Any, parts: list[str], here: str) -> Iterator[tuple[str, Any]]:
    if not parts:
        if isinstance(obj, list):
            for i, v in enumerate(obj):
                yield f"{here}[{i}]", v
        elif obj is not None:
            yield here, obj
        return
    head, rest = parts[0], parts[1:]
    is_list = head.endswith("[]")
    key = head[:-2] if is_list else head
    if not isinstance(obj, dict) or key not in obj:
        return
    child = obj[key]
    path = f"{here}.{key}" if here else key
    if is_list:
        if isinstance(child, list):
            for i, item in enumerate(child):
                yield from _walk(item, rest, f"{path}[{i}]")
    else:
        yield from _walk(child, rest, path)


def _paths_for(manifest: Manifest, vocab_path: str) -> list[tuple[str, list[str]]]:
    root, _, rest = vocab_path.partition(".")
    parts = rest.split(".")
    if manifest.kind.lower() == root:
        return [("", parts)]
    if root == "listing" and manifest.kind == "Product":
        return [("", ["listings[]", *parts])]
    return []


@lru_cache(maxsize=None)
def _known(vocab_path: str) -> frozenset[str]:
    from .models.vocab import OPEN_VOCABULARIES

    return frozenset(OPEN_VOCABULARIES[vocab_path])


def vocabulary_warnings(manifests: Iterable[Manifest], extra_known: set[str] = frozenset()) -> list[InputProblem]:
    from .models.vocab import OPEN_VOCABULARIES

    out: list[InputProblem] = []
    for m in manifests:
        for vocab_path, known in OPEN_VOCABULARIES.items():
            for prefix, parts in _paths_for(m, vocab_path):
                for path, value in _walk(m.data, parts, prefix):
                    if not isinstance(value, str) or value in extra_known or value in _known(vocab_path):
                        continue
                    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
                    hint = f"; did you mean '{close[0]}'?" if close else "; no rule will match it"
                    out.append(InputProblem(m.file, m.line_of(path),
                                            f"{path}: '{value}' is not a known key{hint}"))
    return out


def pack_keys(packset) -> set[str]:
    """Every string a loaded pack names in its conditions and requirements."""
    found: set[str] = set()

    def collect(v: Any) -> None:
        if isinstance(v, str):
            found.add(v)
        elif isinstance(v, dict):
            for x in v.values():
                collect(x)
        elif isinstance(v, (list, tuple)):
            for x in v:
                collect(x)

    from .packs.conditions import atoms_of

    for r in packset.rules:
        for a in atoms_of(r.condition):
            collect(a.value)
        for q in r.all_requirements():
            collect(q.spec)
            for a in atoms_of(q.when):
                collect(a.value)
    for p in packset.packs:
        for d in p.derives:
            for a in atoms_of(d.when):
                collect(a.value)
    return found
