"""Read manifest files (YAML or JSON), validate them against the models, keep line numbers.

The public entry point is :func:`load_manifests`. Every problem is an :class:`InputProblem` with the
file, the line of the offending field and a message naming the field path.
"""

from __future__ import annotations

import difflib
import os
import re
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from pydantic import BaseModel, ValidationError

from .errors import InputProblem
from .limits import DEFAULT_LIMITS, InputLimits
from .yamlsource import Document, ReadError, not_regular, parse_documents, read_text, shorten, too_big

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
KINDS = ("Product", "Listing", "Seller")


@dataclass
class Manifest:
    """One validated manifest document."""

    kind: str
    data: dict[str, Any]
    file: str
    path: Path | None
    document: Document
    index: int = 0
    expect: dict[str, Any] | None = None
    checked: Path | None = None  # the directory being checked that holds it (a file argument: its directory)

    @property
    def directory(self) -> Path | None:
        return self.path.parent if self.path is not None else None

    def line_of(self, field_path: str) -> int:
        return self.document.line_of(field_path)


@dataclass
class LoadResult:
    manifests: list[Manifest] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)
    unit_problems: list[InputProblem] = field(default_factory=list)  # found when building check units


def _models():
    from . import models  # imported lazily: pydantic model creation is the costliest import

    return models


def walk_manifest_files(paths: Iterable[str | os.PathLike],
                        limits: InputLimits | None = None) -> Iterator[tuple[Path, str] | InputProblem]:
    """Manifest files under ``paths`` with their display names, lazily: directories walked with each one's
    entries sorted (its files, then its subdirectories), hidden files and directories skipped, symbolic links to
    directories not followed. A path that does not exist, a directory that cannot be read, anything that is not
    a regular file (a FIFO, a device: never opened, so never waited on) and a file over ``limits.max_file_bytes``
    (never read) is an InputProblem."""
    most = (limits or DEFAULT_LIMITS).max_file_bytes
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            yield from _walk_directory(os.fspath(p), most)
        elif p.is_file():
            yield _sized(p, _display(p), p.stat().st_size, most)
        else:
            yield InputProblem(str(raw), 1, _not_a_file(p))


def _sized(fp: Path, display: str, size: int, most: int) -> tuple[Path, str] | InputProblem:
    return (fp, display) if size <= most else too_big(display, size, most, "max_file_bytes")


def _walk_directory(top: str, most: int) -> Iterator[tuple[Path, str] | InputProblem]:
    try:
        with os.scandir(top) as it:
            entries = sorted(((e.name, e) for e in it if not e.name.startswith(".")), key=lambda t: t[0])
    except OSError as exc:
        yield InputProblem(_display(Path(top)), 1, f"cannot read directory: {exc.strerror or exc}")
        return
    subdirs = []
    for name, entry in entries:
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            if not entry.is_symlink():
                subdirs.append(entry.path)
            continue
        if not name.endswith(MANIFEST_SUFFIXES):
            continue
        fp = Path(entry.path)
        try:
            size = entry.stat().st_size if entry.is_file() else None
        except OSError:
            size = None
        yield _sized(fp, _display(fp), size, most) if size is not None else InputProblem(_display(fp), 1, _not_a_file(fp))
    for sub in subdirs:
        yield from _walk_directory(sub, most)


def _not_a_file(p: Path) -> str:
    try:
        what = not_regular(os.stat(p).st_mode)
    except OSError:
        return "is a broken symbolic link" if os.path.islink(p) else "no such file or directory"
    return f"is {what}, not a regular file"


def iter_manifest_files(paths: Iterable[str | os.PathLike],
                        limits: InputLimits | None = None) -> tuple[list[tuple[Path, str]], list[InputProblem]]:
    """Expand paths (files or directories) into manifest files, each once, sorted by display name."""
    problems: list[InputProblem] = []
    unique: dict[Path, str] = {}
    for item in walk_manifest_files(paths, limits):
        if isinstance(item, InputProblem):
            problems.append(item)
        else:
            unique.setdefault(item[0].resolve(), item[1])
    ordered = sorted(((fp, d) for fp, d in unique.items()), key=lambda t: t[1])
    return ordered, problems


def _display(p: Path) -> str:
    try:
        rel = os.path.relpath(p)
    except ValueError:  # pragma: no cover - other drive on Windows
        rel = str(p)
    return str(p) if rel.startswith("..") else rel.replace(os.sep, "/")


def checked_directories(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """The directories being checked: each path argument resolved, a file argument's directory for a file."""
    out = []
    for p in paths:
        real = Path(os.path.realpath(p))
        out.append(real.parent if real.is_file() else real)
    return out


def _checked_directory(path: Path, checked: list[Path]) -> Path | None:
    """The outermost of ``checked`` that holds ``path`` (None: none does)."""
    best = None
    for d in checked:
        if (path == d or d in path.parents) and (best is None or len(d.parts) < len(best.parts)):
            best = d
    return best


def load_manifests(paths: Iterable[str | os.PathLike], limits: InputLimits | None = None,
                   checked: list[Path] | None = None) -> LoadResult:
    """Load every manifest under ``paths``; problems are collected, never raised. Each file is held to ``limits``
    (default: :data:`~compliance_engine.limits.DEFAULT_LIMITS`); a file over one is a problem, not a crash.
    ``checked``: the directories being checked (default: those of ``paths``; a run that loads its files in pieces
    passes those of its arguments), recorded on each manifest as :attr:`Manifest.checked`."""
    paths = list(paths)
    checked = checked_directories(paths) if checked is None else checked
    files, problems = iter_manifest_files(paths, limits)
    result = LoadResult(problems=problems)
    for fp, display in files:
        try:
            text = read_text(fp, display, limits=limits)
            docs = parse_documents(text, display, limits)
        except ReadError as exc:
            result.problems.append(exc.problem)
            continue
        except OSError as exc:
            result.problems.append(InputProblem(display, 1, f"cannot read file: {exc.strerror or exc}"))
            continue
        manifests, file_problems = validate_documents(docs, display, fp.resolve())
        for m in manifests:
            m.checked = _checked_directory(m.path, checked) if m.path is not None else None
        result.manifests.extend(manifests)
        result.problems.extend(file_problems)
    return result


def load_text(text: str, display: str = "<string>", path: Path | None = None,
              limits: InputLimits | None = None) -> LoadResult:
    """Load manifests from a string (used by the library API and tests), held to ``limits`` but the file size."""
    try:
        docs = parse_documents(text, display, limits)
    except ReadError as exc:
        return LoadResult(problems=[exc.problem])
    manifests, problems = validate_documents(docs, display, path)
    return LoadResult(manifests, problems)


def validate_documents(docs: list[Document], display: str, path: Path | None) -> tuple[list[Manifest], list[InputProblem]]:
    manifests: list[Manifest] = []
    problems: list[InputProblem] = []
    doc_ids: dict[str, int] = {}
    if not docs:
        problems.append(InputProblem(display, 1, "file holds no manifest document"))
    for index, doc in enumerate(docs):
        m, errs = validate_document(doc, display, path, index)
        problems.extend(errs)
        if m is None:
            continue
        for i, d in enumerate(m.data.get("documents") or []):
            did = d.get("id")
            if did is None:
                continue
            line = doc.line_of(f"documents[{i}].id")
            if did in doc_ids:
                problems.append(InputProblem(display, line, f"documents[{i}].id: '{did}' is used twice in this file (first on line {doc_ids[did]})"))
            else:
                doc_ids[did] = line
        manifests.append(m)
    if problems:
        return [], problems
    return manifests, problems


def validate_document(doc: Document, display: str, path: Path | None, index: int = 0) -> tuple[Manifest | None, list[InputProblem]]:
    value = doc.value
    if not isinstance(value, dict):
        return None, [InputProblem(display, doc.first_line, "a manifest document must be a mapping with a 'kind' key")]
    kind = value.get("kind")
    if kind not in KINDS:
        if kind is None:
            msg = "kind: missing; every manifest needs kind: Product, Listing or Seller"
        else:
            msg = f"kind: '{kind}' is not a manifest kind (Product, Listing or Seller){_hint(str(kind), KINDS)}"
        return None, [InputProblem(display, doc.line_of("kind"), msg)]
    expect = value.get("x-expect") if isinstance(value.get("x-expect"), dict) else None
    models = _models()
    model_cls = models.MODEL_BY_KIND[kind]
    try:
        model = model_cls.model_validate(value)
    except ValidationError as exc:
        return None, [_problem_from_error(err, model_cls, doc, display) for err in exc.errors(include_url=False)]
    data = model.model_dump(mode="json", exclude_none=True)
    return Manifest(kind, data, display, path, doc, index, expect), []


def loc_to_path(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _hint(value: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _model_at(model_cls: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that holds the last element of ``loc``."""
    current: Any = model_cls
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        f = current.model_fields.get(part)
        if f is None:
            return None
        current = _unwrap(f.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """Find the BaseModel inside Optional[...], list[...], dict[str, ...], Annotated[...]."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _unwrap(arg)
        if found is not None:
            return found
    return None


_QUOTED = re.compile(r"'([^']*)'")


def _problem_from_error(err: dict, model_cls: type[BaseModel], doc: Document, display: str) -> InputProblem:
    loc = tuple(p for p in err.get("loc", ()) if not (isinstance(p, str) and p.startswith("function-")))
    # pydantic adds union/tagged-union member names to loc; keep only real keys and indexes
    holder = _model_at(model_cls, loc) if loc else None
    clean: list[Any] = []
    cur: Any = model_cls
    for part in loc:
        if isinstance(part, int):
            clean.append(part)
            continue
        if isinstance(cur, type) and issubclass(cur, BaseModel) and part not in cur.model_fields and err["type"] != "extra_forbidden":
            continue
        clean.append(part)
        if isinstance(cur, type) and issubclass(cur, BaseModel) and part in cur.model_fields:
            cur = _unwrap(cur.model_fields[part].annotation) or cur
    path = loc_to_path(tuple(clean))
    line = doc.line_of(path)
    etype = err["type"]
    inp = err.get("input")
    if etype == "extra_forbidden":
        key = str(clean[-1]) if clean else "?"
        fields = list(holder.model_fields) if holder is not None else []
        parent = loc_to_path(tuple(clean[:-1]))
        where = f" in {parent}" if parent else ""
        msg = f"{path}: unknown key '{key}'{where}{_hint(key, fields)}; keys starting with 'x-' are free for your own data"
    elif etype == "missing":
        msg = f"{path}: required field is missing"
    elif etype == "literal_error":
        allowed = _QUOTED.findall(str(err.get("ctx", {}).get("expected", "")))
        msg = f"{path}: {inp!r} is not allowed; expected one of {', '.join(allowed)}{_hint(str(inp), allowed)}"
    else:
        text = err.get("msg", "invalid value")
        if text.startswith("Value error, "):
            text = text[len("Value error, "):]
        shown = f" (got {inp!r})" if isinstance(inp, (str, int, float, bool)) and etype != "value_error" else ""
        msg = f"{path}: {text}{shown}" if path else f"{text}{shown}"
    return InputProblem(display, line, _cut_long_values(msg, inp))


_MOST_MESSAGE = 2000


def _cut_long_values(message: str, value: Any) -> str:
    """A message that echoes a long input value shows its start and its length instead (a 10 MB category would
    otherwise come back as a 10 MB message, in the report and on the terminal)."""
    if isinstance(value, str) and len(value) > 60:
        for form in (repr(value), f"'{value}'", f'"{value}"', value):
            message = message.replace(form, shorten(value))
    if len(message) > _MOST_MESSAGE:
        message = message[:_MOST_MESSAGE] + f"… ({len(message):,} characters)"
    return message
