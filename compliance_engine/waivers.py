"""Apply waivers to findings: a product's ``waivers:`` list and a central waivers file.

Rules (documented in docs/waivers.md):

- A waiver matches a finding when its ``rule`` glob matches the rule id, and its ``sku`` (central file only),
  ``market`` and ``marketplace`` globs, when given, match the check unit. Globs follow :mod:`fnmatch` (``*``, ``?``,
  ``[...]``), case-sensitive.
- Only a failing finding is waived; it turns ``waived`` and carries the waiver (reason, owner, expires, file, line).
- ``expires`` is inclusive: a waiver holds through that day (as of the check date). An expired waiver stops waiving:
  the finding stays ``fail``, carries the waiver with ``expired: true``, and the report's ``warnings`` say so.
- A rule whose pack marks it ``waivable: false`` is never waived; the finding carries the waiver with
  ``refused: "rule is not waivable"`` and a warning is reported.
- When several waivers match, one that has not expired wins; then the manifest's own waiver over the central file;
  then the first in file order.
- A waiver whose rule glob matches no loaded rule is reported as a warning (a typo would otherwise waive nothing).
"""

from __future__ import annotations

import datetime as dt
import difflib
import fnmatch
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from .errors import InputError, InputProblem
from .findings import Finding, UnitResult


@dataclass(frozen=True)
class Waiver:
    rule: str
    reason: str
    file: str
    line: int
    source: str  # "manifest" (the product's waivers:) or "central" (a waivers file)
    sku: str = "*"
    market: str | None = None
    marketplace: str | None = None
    expires: dt.date | None = None
    owner: str | None = None

    def matches(self, rule: str, sku: str, market: str, marketplace: str | None) -> bool:
        return (_glob(self.rule).match(rule) is not None and _glob(self.sku).match(sku) is not None
                and (self.market is None or _glob(self.market).match(market) is not None)
                and (self.marketplace is None or (marketplace is not None and _glob(self.marketplace).match(marketplace) is not None)))

    def expired(self, as_of: dt.date) -> bool:
        return self.expires is not None and as_of > self.expires

    def to_dict(self) -> dict:
        out: dict = {"reason": self.reason}
        if self.owner:
            out["owner"] = self.owner
        if self.expires:
            out["expires"] = self.expires.isoformat()
        out.update({"source": self.source, "file": self.file, "line": self.line})
        return out

    def describe(self) -> str:
        scope = f"rule {self.rule}" + (f", sku {self.sku}" if self.source == "central" else "")
        scope += f", market {self.market}" if self.market else ""
        scope += f", marketplace {self.marketplace}" if self.marketplace else ""
        return scope


@lru_cache(maxsize=4096)
def _glob(pattern: str) -> re.Pattern:
    return re.compile(fnmatch.translate(pattern))


def load_waiver_file(path: str | os.PathLike, display: str | None = None) -> list[Waiver]:
    """Read a central waivers file (YAML, ``waivers:`` list). Raises InputError naming file and line."""
    from pydantic import ValidationError

    from .loading import _problem_from_error
    from .models.waiver import WaiverFile
    from .yamlsource import ReadError, parse_documents, read_text

    p = Path(path)
    shown = display or str(path)
    try:
        docs = parse_documents(read_text(p, shown), shown)
    except ReadError as exc:
        raise InputError([exc.problem]) from None
    except OSError as exc:
        raise InputError([InputProblem(shown, 1, f"cannot read waivers file: {exc.strerror or exc}")]) from None
    if len(docs) != 1 or not isinstance(docs[0].value, dict):
        line = docs[1].first_line if len(docs) > 1 else (docs[0].first_line if docs else 1)
        raise InputError([InputProblem(shown, line, "a waivers file holds one mapping with a 'waivers:' list")])
    doc = docs[0]
    try:
        model = WaiverFile.model_validate(doc.value)
    except ValidationError as exc:
        raise InputError([_problem_from_error(e, WaiverFile, doc, shown) for e in exc.errors(include_url=False)]) from None
    return [Waiver(rule=w.rule, reason=w.reason, file=shown, line=doc.line_of(f"waivers[{i}]"), source="central",
                   sku=w.sku, market=w.market, marketplace=w.marketplace, expires=w.expires, owner=w.owner)
            for i, w in enumerate(model.waivers)]


def manifest_waivers(product: dict, file: str, line_of) -> list[Waiver]:
    """The waivers of one product manifest (already validated by the Product model)."""
    out = []
    for i, w in enumerate(product.get("waivers") or []):
        expires = w.get("expires")
        out.append(Waiver(rule=w["rule"], reason=w["reason"], file=file, line=line_of(f"waivers[{i}]"), source="manifest",
                          sku=_escape(str(product.get("sku", ""))), market=w.get("market"), marketplace=w.get("marketplace"),
                          expires=dt.date.fromisoformat(expires) if isinstance(expires, str) else expires, owner=w.get("owner")))
    return out


def _escape(sku: str) -> str:
    """A literal SKU as a glob (a SKU may contain [ or *)."""
    return "".join(f"[{c}]" if c in "*?[]" else c for c in sku)


def apply_waivers(results: Iterable[UnitResult], waivers: list[Waiver], waivable: dict[str, bool], as_of: dt.date,
                  rule_ids: Iterable[str] = ()) -> list[InputProblem]:
    """Waive matching failing findings in place; returns warnings (expired, refused, matching no rule).

    ``waivable`` maps rule id -> whether its pack allows waiving it; ``rule_ids`` are the loaded rule ids.
    """
    warnings: dict[tuple, InputProblem] = {}
    ordered = sorted(waivers, key=lambda w: (w.source != "manifest",))  # stable: file order within each source
    for r in results:
        for f in r.findings:
            if f.status != "fail":
                continue
            matching = [w for w in ordered if w.matches(f.rule, r.sku, r.market, r.marketplace)]
            if not matching:
                continue
            w = next((w for w in matching if not w.expired(as_of)), matching[0])  # a renewed waiver beats an expired one
            _waive(f, w, waivable.get(f.rule, True), as_of, warnings)
    known = sorted(set(rule_ids))
    if known:
        for w in waivers:
            if not any(_glob(w.rule).match(rid) for rid in known):
                close = difflib.get_close_matches(w.rule, known, n=1, cutoff=0.8)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                warnings[(w.file, w.line, "unknown")] = InputProblem(
                    w.file, w.line, f"waiver for {w.rule} matches no loaded rule{hint}; it waives nothing")
    return sorted(warnings.values())


def _waive(f: Finding, w: Waiver, waivable: bool, as_of: dt.date, warnings: dict) -> None:
    info = w.to_dict()
    if not waivable:
        info["refused"] = "rule is not waivable"
        f.waiver = info
        warnings[(w.file, w.line, "refused", f.rule)] = InputProblem(
            w.file, w.line, f"waiver for {w.describe()} refused: {f.rule} is marked waivable: false in its pack, so it still fails")
        return
    if w.expired(as_of):
        info["expired"] = True
        f.waiver = info
        warnings[(w.file, w.line, "expired")] = InputProblem(
            w.file, w.line, f"waiver for {w.describe()} expired on {w.expires.isoformat()}; the findings it waived count again")
        return
    f.status = "waived"
    f.waiver = info
