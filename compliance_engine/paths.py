"""Repository-relative paths: where the repository root is, and a file's path inside it.

Reports name manifests relative to the repository root (SARIF needs that for code scanning), configuration is
searched up to the root, and evidence bundles refuse files outside it.
"""

from __future__ import annotations

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


def is_within(path: Path | str, root: Path | str) -> bool:
    """True when ``path``, with symlinks resolved, is ``root`` or lies under it."""
    try:
        Path(path).resolve().relative_to(Path(root).resolve())
    except ValueError:
        return False
    return True


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
