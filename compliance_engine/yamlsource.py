"""Safe YAML/JSON reading that keeps the line of every field path.

Documents are composed with PyYAML's C loader (the pure-Python loader is ~7x slower and is only used
when libyaml is missing) and turned into plain Python values here, so that:

- only the core YAML types are accepted: any other tag (``!!python/object``, ``!custom``) is refused;
- duplicate keys are an error naming both lines (PyYAML would silently keep the last one);
- nesting depth and the number of nodes (alias expansion) are bounded;
- every field path (``documents[2].type``) maps to the line it starts on.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import InputProblem

try:  # the C loader when available
    _Loader = yaml.CSafeLoader  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 500_000

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_constructor = yaml.constructor.SafeConstructor()


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


@dataclass
class Document:
    """One YAML/JSON document: its value and the line of each field path."""

    value: Any
    lines: dict[str, int] = field(default_factory=dict)
    first_line: int = 1

    def line_of(self, path: str) -> int:
        """Line of ``path`` or of its nearest present ancestor (the document start when none is)."""
        while path:
            if path in self.lines:
                return self.lines[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return self.first_line


class _Converter:
    def __init__(self, file: str):
        self.file = file
        self.nodes = 0
        self.lines: dict[str, int] = {}

    def fail(self, node: yaml.Node, message: str) -> None:
        raise _Problem(InputProblem(self.file, node.start_mark.line + 1, message))

    def convert(self, node: yaml.Node, path: str, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self.fail(node, f"too many YAML nodes (more than {MAX_NODES}); aliases expanding too far?")
        if depth > MAX_DEPTH:
            self.fail(node, f"nesting deeper than {MAX_DEPTH} levels")
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.ScalarNode):
            if node.tag not in _SCALAR_TAGS:
                self.fail(node, f"YAML tag '{_short_tag(node.tag)}' is not allowed (plain data only)")
            try:
                # the scalar's constructor, called directly: construct_object would remember every node in
                # the shared constructor's cache, so a long run (a streamed catalogue) would keep every file
                value = _constructor.yaml_constructors[node.tag](_constructor, node)
            except yaml.YAMLError as exc:
                self.fail(node, f"invalid value: {exc}")
            except (ValueError, OverflowError) as exc:  # e.g. 2026-02-30: shaped like a date, but no such day
                where = f"{path}: " if path else ""
                self.fail(node, f"{where}{node.value!r} is not a valid date ({exc})" if node.tag.endswith(":timestamp")
                          else f"{where}invalid value {node.value!r} ({exc})")
            if isinstance(value, _dt.datetime):
                self.fail(node, "timestamps with a time are not accepted; write a date (2025-03-01)")
            return value
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                self.fail(node, f"YAML tag '{_short_tag(node.tag)}' is not allowed (plain data only)")
            return [self.convert(item, f"{path}[{i}]", depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP_TAG:
                self.fail(node, f"YAML tag '{_short_tag(node.tag)}' is not allowed (plain data only)")
            result: dict[str, Any] = {}
            seen: dict[str, int] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.fail(key_node, "YAML merge keys ('<<') are not supported; write the keys out")
                if not isinstance(key_node, yaml.ScalarNode):
                    self.fail(key_node, "mapping keys must be plain strings")
                key = self.convert(key_node, f"{path}.<key>", depth + 1)
                if not isinstance(key, str):
                    key = str(key) if not isinstance(key, bool) else ("true" if key else "false")
                line = key_node.start_mark.line + 1
                if key in seen:
                    self.fail(key_node, f"duplicate key '{key}' (first on line {seen[key]}, again on line {line})")
                seen[key] = line
                child = f"{path}.{key}" if path else key
                self.lines[child] = line
                result[key] = self.convert(value_node, child, depth + 1)
            self.lines.pop(f"{path}.<key>", None)
            return result
        self.fail(node, "unsupported YAML node")  # pragma: no cover


class _Problem(Exception):
    def __init__(self, problem: InputProblem):
        self.problem = problem


def read_text(path: Path, display: str, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a UTF-8 text file with a size bound; problems raise ``_Problem``-free InputProblem lists."""
    size = path.stat().st_size
    if size > max_bytes:
        raise ReadError(InputProblem(display, 1, f"file is {size:,} bytes; the limit is {max_bytes:,}"))
    raw = path.read_bytes()
    if b"\x00" in raw:
        raise ReadError(InputProblem(display, raw[: raw.index(b"\x00")].count(b"\n") + 1,
                                     "file contains NUL bytes (binary file?)"))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ReadError(InputProblem(display, line, f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})")) from None


class ReadError(Exception):
    def __init__(self, problem: InputProblem):
        self.problem = problem
        super().__init__(str(problem))


def parse_documents(text: str, display: str) -> list[Document]:
    """Parse every document of a YAML (or JSON) text. Raises ReadError with file and line."""
    docs: list[Document] = []
    try:
        for node in yaml.compose_all(text, Loader=_Loader):
            if node is None:
                continue
            conv = _Converter(display)
            value = conv.convert(node, "", 0)
            lines = conv.lines
            first = lines.pop("", node.start_mark.line + 1)
            docs.append(Document(value, lines, first))
    except _Problem as exc:
        raise ReadError(exc.problem) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or str(exc)
        if exc.context and exc.context_mark is not None and exc.problem_mark is not None \
                and exc.context_mark.line != exc.problem_mark.line:
            what += f" ({exc.context} started on line {exc.context_mark.line + 1})"
        raise ReadError(InputProblem(display, line, f"YAML syntax error: {what}")) from None
    except yaml.YAMLError as exc:
        raise ReadError(InputProblem(display, 1, f"YAML error: {exc}")) from None
    except RecursionError:
        raise ReadError(InputProblem(display, 1, f"nesting too deep (more than {MAX_DEPTH} levels)")) from None
    return docs
