"""Checking in worker processes (``--jobs N``), with a result byte-identical to :meth:`Checker.check_loaded`.

The run keeps the serial run's three steps and only farms out the two costly ones:

1. **Load** (read, parse, validate): the sorted file list is cut into chunks that workers load; the parent
   concatenates their manifests and problems in file order, which is exactly what ``load_manifests`` returns.
2. **Build units** (listings to products across files, the seller, duplicate SKUs): in the parent, by the same
   ``build_units`` the serial run uses.
3. **Check units**: chunks of units go to the workers; results come back in unit order. Waivers, warnings,
   sorting and the summary are then done in the parent, by the same code as the serial run.

Workers are forked from the parent after its Checker is built (on POSIX), so each starts with the compiled packs
in memory; elsewhere they are spawned and build their Checker once, from the compiled-pack cache. Chunks are
large enough that a worker's start-up is paid once and small enough to keep both cores busy to the end.
"""

from __future__ import annotations

import os
import sys
from typing import Callable, Iterable

from .findings import Report
from .loading import LoadResult, checked_directories, iter_manifest_files, load_manifests

_checker = None  # the worker's Checker (inherited when forked, built once when spawned)
_settings: dict | None = None


def resolve_jobs(jobs: int | str | None) -> int:
    """``auto`` (or 0) means one per core."""
    if jobs in (None, "", 1, "1"):
        return 1
    if jobs in ("auto", 0, "0"):
        return os.cpu_count() or 1
    n = int(jobs)
    if n < 1:
        raise ValueError("--jobs must be a positive number or 'auto'")
    return n


def _context():
    import multiprocessing  # here, not at import: a one-file check (the pre-commit path) never needs it

    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def quiet_pool(ctx, jobs: int, initializer=None, initargs: tuple = ()):
    """A process pool whose workers ignore Ctrl-C. SIGINT reaches the whole process group, but only the parent
    answers it: it leaves the pool's ``with`` block (which terminates the workers) and the command line exits 130
    with one line, so no worker prints a traceback. SIGINT is held back while the workers start, so none of them
    sees it before it ignores it."""
    import signal

    mask = getattr(signal, "pthread_sigmask", None)
    held = mask(signal.SIG_BLOCK, {signal.SIGINT}) if mask is not None else None
    try:
        return ctx.Pool(jobs, initializer=_quiet_worker, initargs=(initializer, initargs))
    finally:
        if mask is not None:
            mask(signal.SIG_SETMASK, held)


def _quiet_worker(initializer, initargs: tuple) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    if initializer is not None:
        initializer(*initargs)


def _init(checker, settings: dict | None) -> None:
    global _checker, _settings
    _settings = settings
    if checker is not None:
        _checker = checker


def _worker_checker():
    global _checker
    if _checker is None:  # spawned: build it once, from the compiled-pack cache
        from .checker import Checker

        _checker = Checker(**_settings)
    return _checker


def _load_chunk(args) -> LoadResult:
    paths, limits, checked = args
    loaded = load_manifests(paths, limits, checked)
    for m in loaded.manifests:  # the raw document is only needed while validating; halves what goes back
        m.document.value = None
    return loaded


def _check_chunk(units) -> list[list]:
    checker = _worker_checker()
    memo: dict = {}
    return [checker.check_unit(u, memo=memo) for u in units]


def _upcoming_chunk(args) -> list[list]:
    units, horizon = args
    checker = _worker_checker()
    return [checker.upcoming_for_unit(u, horizon) for u in units]


def _chunks(items: list, jobs: int, most: int) -> list[list]:
    size = max(1, min(most, -(-len(items) // (jobs * 4))))
    return [items[i:i + size] for i in range(0, len(items), size)]


def check_parallel(checker, paths: Iterable[str | os.PathLike], jobs: int, horizon: int | None = None,
                   markets: Iterable[str] | None = None,
                   progress: Callable[[int, int], None] | None = None, limits=None) -> tuple[Report, LoadResult]:
    """The report ``checker.check_paths(paths)`` would give, computed by ``jobs`` worker processes (and the
    loaded manifests)."""
    paths = list(paths)
    files, file_problems = iter_manifest_files(paths, limits)
    ctx = _context()
    forked = ctx.get_start_method() == "fork"
    spawn_settings = None if forked else {"packs": checker.selected or None, "as_of": checker.as_of,
                                           "packset": checker.packset}
    with quiet_pool(ctx, jobs, _init, (checker if forked else None, spawn_settings)) as pool:
        loaded = LoadResult(problems=list(file_problems))
        checked = checked_directories(paths)  # the run's arguments, not each chunk's files
        for part in pool.imap(_load_chunk, [(c, limits, checked) for c in _chunks([str(fp) for fp, _ in files], jobs, 200)]):
            loaded.manifests.extend(part.manifests)
            loaded.problems.extend(part.problems)
        units = checker.units_of(loaded, markets)
        findings: list[list] = []
        done = 0
        for part in pool.imap(_check_chunk, _chunks(units, jobs, 500)):
            findings.extend(part)
            done += len(part)
            if progress is not None:
                progress(done, len(units))
        upcoming = None
        if horizon is not None:
            upcoming = []
            for part in pool.imap(_upcoming_chunk, [(c, horizon) for c in _chunks(units, jobs, 500)]):
                upcoming.extend(part)
    return checker.report_of(loaded, units, findings, upcoming, horizon), loaded
