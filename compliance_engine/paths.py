"""Repository-relative paths: where the repository root is, a file's path inside it, and whether a file a manifest
names stays inside it.

Reports name manifests relative to the repository root (SARIF needs that for code scanning), configuration is
searched up to the root, and document files (``documents[].file``) count only, and go into evidence bundles only,
when they lie inside the repository of the manifest that names them (:func:`contained_file`).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path


def repo_root(start: Path | str | None = None) -> Path:
    """The nearest directory at or above ``start`` (default: the working directory) that holds ``.git``
    (a directory, or a file in worktrees and submodules); ``start`` itself when there is none."""
    here = Path(start).resolve() if start is not None else Path.cwd().resolve()
    if here.is_file():
        here = here.parent
    for d in (here, *here.parents):
        if (d / ".git").exists():
            return d
    return here


@lru_cache(maxsize=4096)
def _real_directory(directory: str) -> Path:
    return Path(os.path.realpath(directory))


@lru_cache(maxsize=4096)
def _git_root_above(directory: Path) -> Path | None:
    for d in (directory, *directory.parents):
        if (d / ".git").exists():
            return d
    return None


def manifest_repository(directory: Path | str, checked: Path | str | None = None) -> Path:
    """The repository of a manifest in ``directory``: the nearest directory at or above it holding ``.git``; when
    there is none, ``checked`` (the directory being checked, see loading.checked_directories) if ``directory`` lies
    inside it, else ``directory`` itself. Resolved (symlinks followed). Directories are resolved and searched once per process: a check names
    the same few directories for every document of every unit."""
    here = _real_directory(os.fspath(directory))
    found = _git_root_above(here)
    if found is not None:
        return found
    if checked is not None:
        top = _real_directory(os.fspath(checked))
        if _lexically_within(here, top):
            return top
    return here


def contained_file(file: str, directory: Path | str, root: Path | str) -> Path | None:
    """The file a manifest names (``file``, relative to the manifest's ``directory``), symlinks followed, when it
    lies inside ``root``; None when it does not: an absolute path, ``..`` steps that leave ``root``, or a symlink
    on the way that points out of it. Whether the file exists is not decided here.

    Written paths are judged as written first, so one that leaves ``root`` through ``..`` (``../../etc/passwd``) is
    never looked at on disk; only a path that stays inside is resolved (links read, never file contents) and judged
    again. The one test used by the check (a document outside counts as absent) and the bundle (refused)."""
    root_path = _real_directory(os.fspath(root))
    if not file or "\x00" in file or os.path.isabs(file):
        return None
    written = Path(os.path.normpath(os.path.join(_real_directory(os.fspath(directory)), file)))
    if not _lexically_within(written, root_path):
        return None
    try:
        resolved = Path(os.path.realpath(written))
    except (OSError, ValueError):  # a symlink loop (Python 3.13 raises), a name the system rejects
        return None
    return resolved if _lexically_within(resolved, root_path) else None


def _lexically_within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def repo_relative(file: str, root: Path | str) -> str:
    """``file`` (as reported) relative to ``root`` in POSIX form, symlinks resolved; the absolute POSIX path when
    it lies outside ``root``; pseudo-files such as ``<product>`` unchanged."""
    if file.startswith("<"):
        return file
    resolved = Path(file).resolve()
    try:
        return resolved.relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()
