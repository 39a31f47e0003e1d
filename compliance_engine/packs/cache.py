"""A disk cache of loaded and compiled rule packs, so a one-file check (the pre-commit hook) does not parse,
validate and compile ~200 rules on every run.

The key is the engine version (which pins durable-rules), the Python version, the source of the modules
that build the cached objects, and the content (SHA-256) of every pack
file in the pack directories, in order; an entry also records the data tables the packs read, with their
content hashes, and is used only while every one of them is unchanged. So editing a pack, a data table or
upgrading the tool invalidates it; nothing else is trusted (not modification times).

Entries are written atomically (a temporary file renamed into place), so concurrent processes either read a
complete entry or none; an unreadable or stale entry is ignored and rebuilt. Only a pack set that loaded and
compiled without problems is cached, so errors always come from a fresh load, with file and line.

The cache lives in ``$COMPLIANCE_ENGINE_CACHE_DIR``, else ``$XDG_CACHE_HOME/compliance-engine``, else
``~/.cache/compliance-engine`` (created with mode 0700); ``COMPLIANCE_ENGINE_CACHE=off`` turns it off. It holds
only what this tool wrote there (a pickle of the pack set and the compiled rulesets); it is not shared between
users. An entry no run has used for PRUNE_AFTER_DAYS days is removed when another entry is written.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Iterable

from ..version import __version__
from .compiler import CompiledPacks, compile_packs
from .loader import PackSet, builtin_packs_dir, load_packs, pack_files

FORMAT = 1
#: an entry no run has read for this many days is removed when a new entry is written (entries of other pack
#: sets, code or tool versions would otherwise pile up, ~2 MB each)
PRUNE_AFTER_DAYS = 30
_HERE = Path(__file__).resolve().parent
_CODE = ("cache.py", "compiler.py", "conditions.py", "loader.py", "model.py", "schema.py", "../safe_regex.py",
         "../yamlsource.py", "../requirements.py")


def cache_dir() -> Path | None:
    """Where entries live, or None when caching is off."""
    if os.environ.get("COMPLIANCE_ENGINE_CACHE", "").lower() in ("off", "0", "false", "no"):
        return None
    if os.environ.get("COMPLIANCE_ENGINE_CACHE_DIR"):
        return Path(os.environ["COMPLIANCE_ENGINE_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "compliance-engine"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cache_key(directories: list[Path]) -> str | None:
    """The key of a pack set: versions plus every pack file's content; None when a directory is missing
    (the fresh load reports it). durable-rules is pinned to one version by the engine version."""
    h = hashlib.sha256(f"{FORMAT}|{__version__}|{sys.version_info[:3]}".encode())
    for module in _CODE:  # the code that builds and reads the cached objects (an edited checkout, a reinstall)
        h.update(_sha(_HERE / module).encode())
    for d in directories:
        if not d.is_dir():
            return None
        h.update(b"\0dir")
        for f in pack_files(d):
            h.update(f"\0{f.relative_to(d).as_posix()}\0{_sha(f)}".encode())
    return h.hexdigest()


def load_compiled(directories: Iterable[str | os.PathLike] | None = None, *, include_builtin: bool = True,
                  prefix: str = "ce") -> tuple[PackSet, CompiledPacks]:
    """The pack set and its compiled rulesets, from the cache when an entry matches, else loaded, compiled and
    stored. Raises PackError exactly as :func:`load_packs` does."""
    dirs = ([builtin_packs_dir()] if include_builtin else []) + [Path(d) for d in (directories or [])]
    where = cache_dir()
    key = cache_key(dirs) if where is not None else None
    entry = where / f"packs-{key[:40]}.pickle" if (where is not None and key) else None
    if entry is not None:
        cached = _read(entry, key)
        if cached is not None:
            return cached
    packset = load_packs(directories, include_builtin=include_builtin)
    compiled = compile_packs(packset, prefix=prefix)
    packset.vocabulary_keys()  # computed once, stored with the entry
    if entry is not None:
        from ..requirements import compile_phrase_lists

        compile_phrase_lists(packset)  # stored translated with the entry (see safe_regex.PhraseMatcher._restore)
        _write(entry, key, packset, compiled)
    return packset, compiled


def _read(entry: Path, key: str) -> tuple[PackSet, CompiledPacks] | None:
    try:
        with open(entry, "rb") as fh:
            data = pickle.load(fh)
        if not (isinstance(data, tuple) and len(data) == 5 and data[0] == FORMAT and data[1] == key):
            return None
        _, _, tables, packset, compiled = data
        for path, digest in tables:
            if _sha(Path(path)) != digest:
                return None
        _mark_used(entry)
        return packset, compiled
    except Exception:  # missing, truncated, from another version, a table gone: rebuild
        return None


def _write(entry: Path, key: str, packset: PackSet, compiled: CompiledPacks) -> None:
    try:
        tables = sorted({(t.path, _sha(Path(t.path))) for p in packset.packs for t in p.tables.values() if t.path})
        entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".packs-", suffix=".tmp", dir=entry.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump((FORMAT, key, tables, packset, compiled), fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, entry)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        prune(entry.parent, keep=entry)
    except OSError:  # a read-only or full disk only costs speed
        pass


def _mark_used(entry: Path) -> None:
    """Set the entry's modification time to now: its last use, for :func:`prune` (at most once an hour)."""
    try:
        import time

        if time.time() - entry.stat().st_mtime > 3600:
            os.utime(entry)
    except OSError:
        pass


def prune(directory: Path, keep: Path | None = None, days: float = PRUNE_AFTER_DAYS) -> list[Path]:
    """Remove the entries (``packs-*.pickle``) of ``directory`` that no run has used for ``days``; returns them.
    Only this tool's entry names are touched; a file that vanishes meanwhile (another process) is skipped."""
    import time

    removed = []
    cutoff = time.time() - days * 86400
    for old in directory.glob("packs-*.pickle"):
        try:
            if old != keep and old.stat().st_mtime < cutoff:
                old.unlink()
                removed.append(old)
        except OSError:
            continue
    return removed
