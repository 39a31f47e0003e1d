"""Check a catalogue as a stream (``check --format jsonl``): one record per check unit, written as soon as its
file is checked, so memory does not grow with the catalogue.

The run is cut into product files; what crosses files is settled without keeping the catalogue in memory:

1. The paths are walked lazily, each directory's entries sorted; a directory's listing is the only list held.
2. A first, cheap pass reads each file's bytes and loads only the files that may hold a ``kind: Listing`` or
   ``kind: Seller`` document (a listing may sit in any file, the seller applies to every unit).
3. The second pass loads one file at a time, gives its products their listings and the seller, checks the units
   with the same code as the serial run (waivers included) and yields the results, sorted within the file.
4. At the end, SKUs used by two products and listings that match no product are reported from compact
   arrays of SKU hashes (8 bytes per product, in 256 buckets sorted one at a time, so settling them does not
   need a Python list of every hash).

Records: a ``run`` header (report version, tool, as_of, packs), one ``result`` per check unit (the fields of a
JSON report result), an ``error`` or ``warning`` per input problem when found, and a final ``summary``. The
findings equal the serial run's; the order is the walk order (files in each directory sorted), and a SKU used
twice is reported at the end, after both products' results were written (the serial run drops the second).
"""

from __future__ import annotations

import array
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, NamedTuple

from .errors import InputProblem
from .findings import SEVERITY_RANK, UnitResult
from .limits import DEFAULT_LIMITS, InputLimits
from .loading import LoadResult, Manifest, checked_directories, load_manifests, walk_manifest_files
from .yamlsource import ReadError, read_bytes

_SHARED_KIND = re.compile(rb"""["']?kind["']?\s*:\s*["']?(Listing|Seller)\b""")


def walk(paths: Iterable[str | os.PathLike], limits=None) -> Iterator[tuple[Path, str] | InputProblem]:
    """Manifest files under ``paths``, lazily, in the walk order (each directory's entries sorted); a file over the
    size limit is an InputProblem, never read."""
    return walk_manifest_files(paths, limits)


def _sku_hash(sku: str) -> int:
    return int.from_bytes(hashlib.blake2b(sku.encode(), digest_size=8).digest(), "little", signed=True)


class EncodedResult(NamedTuple):
    """A check unit's result already encoded (``stream_check(encode=...)``): what the summary needs, and the text.
    With ``--jobs`` the worker encodes, so the parent only writes."""

    file: str
    text: str
    tally: tuple[int, int, int, int, int, int]  # findings, passed, failed, waived, upcoming failures, worst rank


def tally(r: UnitResult) -> tuple[int, int, int, int, int, int]:
    passed = failed = waived = 0
    worst = -1
    for f in r.findings:
        if f.status == "pass":
            passed += 1
        elif f.status == "waived":
            waived += 1
        else:
            failed += 1
            worst = max(worst, SEVERITY_RANK[f.severity])
    upcoming = sum(f.status == "fail" for f in r.upcoming or [])
    return len(r.findings), passed, failed, waived, upcoming, worst


@dataclass
class Counts:
    checked: int = 0
    findings: int = 0
    passed: int = 0
    failed: int = 0
    waived: int = 0
    errors: int = 0
    upcoming: int = 0
    worst_failed: int = -1  # the highest severity rank that failed

    def add(self, r: UnitResult | EncodedResult) -> None:
        findings, passed, failed, waived, upcoming, worst = r.tally if isinstance(r, EncodedResult) else tally(r)
        self.checked += 1
        self.findings += findings
        self.passed += passed
        self.failed += failed
        self.waived += waived
        self.upcoming += upcoming
        self.worst_failed = max(self.worst_failed, worst)

    def summary(self, horizon: int | None) -> dict:
        out = {"checked": self.checked, "findings": self.findings, "passed": self.passed, "failed": self.failed,
               "waived": self.waived, "errors": self.errors}
        if horizon is not None:
            out["upcoming"] = self.upcoming
        return out

    def exit_code(self, fail_on: str) -> int:
        if self.errors:
            return 2
        if fail_on == "never":
            return 0
        return 1 if self.worst_failed >= SEVERITY_RANK[fail_on] else 0


@dataclass
class _Shared:
    listings: dict[str, list[Manifest]] = field(default_factory=dict)
    seller: Manifest | None = None
    early: dict[str, list[Manifest]] = field(default_factory=dict)  # file -> its products (loaded in pass 1)
    problems: list[InputProblem] = field(default_factory=list)
    files: set[str] = field(default_factory=set)  # the listing and seller files (warned about once, up front)
    limits: InputLimits | None = None  # on each input file (None: the documented defaults)
    checked: list[Path] | None = None  # the directories being checked (the run's arguments)


def _first_pass(paths, limits=None) -> tuple[_Shared, list[InputProblem]]:
    early_files: list[Path] = []
    missing: list[InputProblem] = []
    most = (limits or DEFAULT_LIMITS).max_file_bytes
    for item in walk(paths, limits):
        if isinstance(item, InputProblem):
            missing.append(item)
            continue
        fp, display = item
        try:
            if _SHARED_KIND.search(read_bytes(fp, display, most)):  # bounded: a file that grew is not read whole
                early_files.append(fp)
        except (OSError, ReadError):
            continue  # the second pass reports it
    shared = _Shared(limits=limits, checked=checked_directories(paths))
    if early_files:
        loaded = load_manifests(early_files, limits, shared.checked)
        shared.problems = loaded.problems
        sellers = [m for m in loaded.manifests if m.kind == "Seller"]
        shared.seller = sellers[0] if sellers else None
        for extra in sellers[1:]:
            shared.problems.append(InputProblem(
                extra.file, extra.document.first_line,
                f"a second Seller manifest (the first is {sellers[0].file}:{sellers[0].document.first_line}); "
                "check each seller's products in their own run"))
        for m in loaded.manifests:
            if m.kind == "Listing":
                shared.listings.setdefault(m.data["product"], []).append(m)
            elif m.kind == "Product":
                shared.early.setdefault(m.file, []).append(m)
        for m in loaded.manifests:
            shared.early.setdefault(m.file, [])
            if m.kind != "Product":
                shared.files.add(m.file)
    return shared, missing


def check_file(checker, fp: Path, display: str, shared: _Shared, markets, horizon,
               encode: Callable[[UnitResult], str] | None = None) -> tuple[list, list[InputProblem], list[InputProblem], list[str]]:
    """(results, problems, warnings, SKUs of its products) of one file; warnings about the shared listing and
    seller files are left out (they are reported once, up front). With ``encode`` the results are
    :class:`EncodedResult` s."""
    if display in shared.early:
        products, problems = shared.early[display], []
    else:
        loaded = load_manifests([fp], shared.limits, shared.checked)
        if loaded.problems:
            return [], loaded.problems, [], []
        products, problems = [m for m in loaded.manifests if m.kind == "Product"], []
    if not products:
        return [], problems, [], []
    extra = [lst for m in products for lst in shared.listings.get(m.data["sku"], [])]
    if shared.seller is not None:
        extra.append(shared.seller)
    report = checker.check_loaded(LoadResult(products + extra, []), horizon=horizon, markets=markets)
    own = {m.file for m in products}
    warnings = [InputProblem(**w) for w in report.warnings if w["file"] in own or w["file"] not in shared.files]
    results = report.results if encode is None else [EncodedResult(r.file, encode(r), tally(r)) for r in report.results]
    return (results, problems + [InputProblem(**e) for e in report.errors], warnings,
            [m.data["sku"] for m in products])


def stream_check(checker, paths: Iterable[str | os.PathLike], *, markets: Iterable[str] | None = None,
                 horizon: int | None = None, progress: Callable[[int, int], None] | None = None,
                 jobs: int = 1, encode: Callable[[UnitResult], str] | None = None,
                 limits: InputLimits | None = None) -> Iterator[tuple[str, object]]:
    """Yield ``("result", UnitResult)``, ``("error", InputProblem)``, ``("warning", InputProblem)`` records as the
    run goes, then ``("counts", Counts)``. ``jobs`` > 1 checks files in worker processes, in the same order.
    ``encode`` (a module-level function, such as the jsonl formatter's) turns each result into text where it is
    checked: the records are then ``("result", EncodedResult)``, and with ``jobs`` > 1 the parent only writes."""
    paths = list(paths)
    shared, missing = _first_pass(paths, limits)
    counts = Counts()
    seen_warnings: set[InputProblem] = set()
    for p in missing + shared.problems:
        counts.errors += 1
        yield "error", p
    for w in _shared_warnings(checker, shared):
        seen_warnings.add(w)
        yield "warning", w
    hashes = SkuHashes()
    central = {w.file for w in checker.waivers}
    files = (item for item in walk(paths, limits) if not isinstance(item, InputProblem))
    for results, problems, warnings, skus in _pieces(checker, files, shared, markets, horizon, jobs, encode):
        for sku in skus:
            hashes.add(sku)
        for p in problems:
            counts.errors += 1
            yield "error", p
        for w in warnings:
            if w in seen_warnings:
                continue
            if w.file in central:  # a central waiver is judged once per file checked: say it once
                seen_warnings.add(w)
            yield "warning", w
        for r in results:
            counts.add(r)
            yield "result", r
        if progress is not None:
            progress(counts.checked, 0)
    for p in _settle(hashes, shared, paths):
        counts.errors += 1
        yield "error", p
    yield "counts", counts


def _shared_warnings(checker, shared: _Shared) -> list[InputProblem]:
    from .vocabulary import vocabulary_warnings

    ms = [m for ms in shared.listings.values() for m in ms] + ([shared.seller] if shared.seller else [])
    return sorted(vocabulary_warnings(ms, checker._pack_keys))


def _pieces(checker, files, shared, markets, horizon, jobs, encode):
    if jobs <= 1:
        for fp, display in files:
            yield check_file(checker, fp, display, shared, markets, horizon, encode)
        return
    from .pipeline import _context, quiet_pool

    global _worker_state
    _worker_state = (checker, shared, markets, horizon, encode)
    ctx = _context()
    if ctx.get_start_method() != "fork":  # spawned workers cannot share the loaded listings: check here
        for fp, display in files:
            yield check_file(checker, fp, display, shared, markets, horizon, encode)
        return
    with quiet_pool(ctx, jobs) as pool:  # workers ignore Ctrl-C: the parent answers it
        for part in pool.imap(_check_files, _batches(files, 50)):
            yield from part


_worker_state = None


def _check_files(batch: list[tuple[Path, str]]):
    checker, shared, markets, horizon, encode = _worker_state
    return [check_file(checker, fp, display, shared, markets, horizon, encode) for fp, display in batch]


def _batches(files, size: int):
    batch = []
    for item in files:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class SkuHashes:
    """The 8-byte hashes of every product's SKU, bucketed by their low byte: 8 bytes per product, and settling
    sorts one bucket at a time (a sorted list of all hashes would cost 40 bytes per product)."""

    def __init__(self) -> None:
        self.buckets = [array.array("q") for _ in range(256)]

    def add(self, sku: str) -> None:
        h = _sku_hash(sku)
        self.buckets[h & 0xFF].append(h)

    def settle(self) -> set[int]:
        """Sort each bucket in place (as an array) and return the hashes that occur more than once."""
        dups: set[int] = set()
        for i, bucket in enumerate(self.buckets):
            ordered = sorted(bucket)
            dups.update(a for a, b in zip(ordered, ordered[1:]) if a == b)
            self.buckets[i] = array.array("q", ordered)
        return dups

    def __contains__(self, sku: str) -> bool:  # after settle()
        import bisect

        h = _sku_hash(sku)
        bucket = self.buckets[h & 0xFF]
        i = bisect.bisect_left(bucket, h)
        return i < len(bucket) and bucket[i] == h


_SKU_LINE = re.compile(rb"""^[ \t]*["']?sku["']?[ \t]*:[ \t]*["']?([^"'\s#,}]+)""", re.M)


def _settle(hashes: SkuHashes, shared: _Shared, paths) -> list[InputProblem]:
    """SKUs used twice and listings that match no product, from the hashes of every product's SKU. Files are
    named only when a duplicate exists: then a second, text-only walk finds where each duplicated SKU is."""
    out: list[InputProblem] = []
    dups = hashes.settle()
    if dups:
        where: dict[int, list[tuple[str, int]]] = {}
        most = (shared.limits or DEFAULT_LIMITS).max_file_bytes
        for item in walk(paths, shared.limits):
            if isinstance(item, InputProblem):
                continue
            fp, display = item
            try:
                text = read_bytes(fp, display, most)
            except (OSError, ReadError):
                continue  # already reported when it was checked
            for m in _SKU_LINE.finditer(text):
                h = _sku_hash(m.group(1).decode("utf-8", "replace"))
                if h in dups:
                    where.setdefault(h, []).append((display, text.count(b"\n", 0, m.start()) + 1))
        for h, places in sorted(where.items(), key=lambda kv: kv[1]):
            (file1, line1), rest = places[0], places[1:]
            for file, line in rest:
                out.append(InputProblem(file, line, f"sku: this SKU is also used in {file1}:{line1}; SKUs must be "
                                                    "unique (both products' results were already written)"))
    for sku, listings in sorted(shared.listings.items()):
        if sku in hashes:
            continue
        for m in listings:
            out.append(InputProblem(m.file, m.line_of("product"), f"product: '{sku}' matches no Product in this run"))
    return out
