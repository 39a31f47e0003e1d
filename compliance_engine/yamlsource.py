"""Safe YAML/JSON reading that keeps the line of every field path, within the limits of :class:`InputLimits`.

A file is read with a bound (never more than its size limit, whatever its size says: a file that grows, a FIFO or
a device is refused or cut short) and must be UTF-8 without NUL bytes. Its documents are built straight from
PyYAML's event stream (libyaml's C parser when available; the pure-Python parser is ~7x slower and only used
when libyaml is missing) into plain Python values, so that:

- only the core YAML types are accepted: any other tag (``!!python/object``, ``!custom``) is refused, and nothing
  is ever constructed from a tag;
- duplicate keys are an error naming both lines (PyYAML would silently keep the last one);
- nesting depth, the number of nodes in the file (aliases counted as the copies they expand to), the number of
  aliases, of documents and the length of one value are bounded, and checked as the events arrive, so a hostile
  file is refused before it costs more than its limit (no node tree is built, and nothing recurses);
- numbers are finite (``.nan``, ``.inf`` are refused) and dates are real dates without a time of day;
- every field path (``documents[2].type``) maps to the line it starts on.
"""

from __future__ import annotations

import re

import datetime as _dt
import math
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from .errors import InputProblem
from .limits import DEFAULT_LIMITS, LIMIT_NAMES, InputLimits, format_size

try:  # libyaml's event parser when available
    from yaml._yaml import CParser as _CParser  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - depends on the PyYAML build
    _CParser = None

MAX_FILE_BYTES = DEFAULT_LIMITS.max_file_bytes
MAX_DEPTH = DEFAULT_LIMITS.max_depth
MAX_NODES = DEFAULT_LIMITS.max_nodes

_STR_TAG = "tag:yaml.org,2002:str"
_SCALAR_TAGS = {
    _STR_TAG,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_constructor = yaml.constructor.SafeConstructor()
_resolve = yaml.resolver.Resolver().resolve
_TYPED_FIRST = frozenset(k for k in yaml.resolver.Resolver.yaml_implicit_resolvers if k)  # first characters
_NO_KEY = object()


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


def shorten(value: str, most: int = 60) -> str:
    """``value`` quoted for a message, cut to ``most`` characters (with its length) when longer."""
    if len(value) <= most:
        return repr(value)
    return f"{value[:most]!r}… ({len(value):,} characters)"


def _limit(name: str) -> str:
    return f"the {LIMIT_NAMES[name]} limit"


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


class ReadError(Exception):
    def __init__(self, problem: InputProblem):
        self.problem = problem
        super().__init__(str(problem))


_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def not_regular(mode: int) -> str | None:
    """What a non-regular file is (``a FIFO (named pipe)``), or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((what for test, what in _KINDS if test(mode)), "a special file")


def _bytes(size: int) -> str:
    """``209,715,200 bytes (200 MiB)``; ``900 bytes``."""
    shown = format_size(size)
    return f"{size:,} bytes" + ("" if shown.endswith("bytes") else f" ({shown})")


def too_big(display: str, size: int | None, max_bytes: int, limit_name: str | None = None) -> InputProblem:
    """The problem of a file over its size limit (``size`` None: it grew past the limit while being read)."""
    shown = _bytes(size) if size is not None else f"more than {max_bytes:,} bytes (it grew while being read)"
    if limit_name:
        return InputProblem(display, 1, f"file is {shown}, over {_limit(limit_name)} of {_bytes(max_bytes)}")
    return InputProblem(display, 1, f"file is {shown}; the limit is {_bytes(max_bytes)}")


def read_bytes(path: Path, display: str, max_bytes: int = MAX_FILE_BYTES, limit_name: str | None = None) -> bytes:
    """The bytes of a regular file, never more than ``max_bytes``: the size is checked before reading, and the read
    itself is bounded (a file that grows while it is read is refused too). A FIFO, a device or a socket is refused
    without being read (nor waited on). Raises ReadError (file, line 1) or OSError."""
    what = not_regular(os.stat(path).st_mode)  # before opening: opening a device can have effects
    if what is not None:
        raise ReadError(InputProblem(display, 1, f"is {what}, not a regular file"))
    # O_NONBLOCK: if the path was swapped for a FIFO since, opening it does not wait for a writer
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
                 | getattr(os, "O_BINARY", 0))
    try:
        st = os.fstat(fd)
        what = not_regular(st.st_mode)
        if what is not None:
            raise ReadError(InputProblem(display, 1, f"is {what}, not a regular file"))
        if st.st_size > max_bytes:
            raise ReadError(too_big(display, st.st_size, max_bytes, limit_name))
        chunks: list[bytes] = []
        got = 0
        while got <= max_bytes:
            chunk = os.read(fd, min(max_bytes + 1 - got, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        if got > max_bytes:
            raise ReadError(too_big(display, None, max_bytes, limit_name))
        return b"".join(chunks)
    finally:
        os.close(fd)


def decode(raw: bytes, display: str) -> str:
    """UTF-8 text (a BOM is dropped) from ``raw``; NUL bytes or invalid UTF-8 raise ReadError with the line."""
    nul = raw.find(b"\x00")
    if nul >= 0:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise ReadError(InputProblem(display, 1, "file is UTF-16; save it as UTF-8"))
        raise ReadError(InputProblem(display, raw.count(b"\n", 0, nul) + 1, "file contains NUL bytes (binary file?)"))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ReadError(InputProblem(display, line, f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})")) from None


def read_text(path: Path, display: str, max_bytes: int | None = None, limits: InputLimits | None = None) -> str:
    """Read a UTF-8 text file with a size bound (``max_bytes``, else ``limits.max_file_bytes``); problems raise
    ReadError with file and line, a file that cannot be opened raises OSError."""
    if max_bytes is not None:
        return decode(read_bytes(path, display, max_bytes), display)
    limits = limits or DEFAULT_LIMITS
    return decode(read_bytes(path, display, limits.max_file_bytes, "max_file_bytes"), display)


class _Problem(Exception):
    def __init__(self, problem: InputProblem):
        self.problem = problem


class _Frame:
    """An open list or mapping while its events arrive."""

    __slots__ = ("value", "path", "depth", "key", "seen", "anchor", "log_start")

    def __init__(self, value, path: str, depth: int, anchor: str | None, log_start: int):
        self.value = value
        self.path = path
        self.depth = depth
        self.key: Any = _NO_KEY  # a mapping: the key whose value comes next, or _NO_KEY when a key comes next
        self.seen: dict[str, int] | None = {} if isinstance(value, dict) else None  # a mapping's keys and lines
        self.anchor = anchor
        self.log_start = log_start  # an anchored one: the index of its start event in the event log


class _Builder:
    """Turns a parser's events into :class:`Document` s, enforcing the limits as the events arrive."""

    def __init__(self, display: str, limits: InputLimits):
        self.display = display
        self.limits = limits
        self.nodes = 0  # in the whole file

    def fail(self, mark, message: str) -> None:
        raise _Problem(InputProblem(self.display, mark.line + 1 if mark is not None else 1, message))

    def documents(self, get_event) -> list[Document]:
        docs: list[Document] = []
        get_event()  # StreamStartEvent
        count = 0
        while True:
            event = get_event()  # DocumentStartEvent or StreamEndEvent
            if isinstance(event, StreamEndEvent):
                return docs
            count += 1
            if count > self.limits.max_documents:
                self.fail(event.start_mark, f"more than {self.limits.max_documents:,} documents in this file "
                                            f"({_limit('max_documents')})")
            docs.append(self.document(get_event))

    def scalar(self, event, path: str, what: str = "value") -> Any:
        """The value of a scalar event at ``path`` (the mapping's path for a key)."""
        value = event.value
        if len(value) > self.limits.max_value_chars:
            self.fail(event.start_mark, f"{path + ': ' if path else ''}a {what} of {len(value):,} characters; the limit "
                                        f"is {self.limits.max_value_chars:,} ({_limit('max_value_chars')})")
        tag = event.tag
        if tag is None or tag == "!":
            if not event.implicit[0]:  # quoted, or the non-specific tag '!': a string
                return value
            if value and value[0] not in _TYPED_FIRST:  # no implicit type starts so: a string, without the resolver
                return value
            if len(value) < 19 and value.isdigit() and value.isascii() and (value[0] != "0" or len(value) == 1):
                return int(value)  # the YAML 1.1 int pattern, without the resolver (0755 is octal there)
            tag = _resolve(yaml.ScalarNode, value, event.implicit)
        if tag == _STR_TAG:
            return value
        where = f"{path}: " if path else ""
        if tag not in _SCALAR_TAGS:
            self.fail(event.start_mark, f"YAML tag '{_short_tag(tag)}' is not allowed (plain data only)")
        node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
        try:
            # the scalar's constructor, called directly: construct_object would remember every node in
            # the shared constructor's cache, so a long run (a streamed catalogue) would keep every file
            result = _constructor.yaml_constructors[tag](_constructor, node)
        except yaml.YAMLError as exc:
            self.fail(event.start_mark, f"{where}invalid value: {exc}")
        except (ValueError, OverflowError) as exc:  # e.g. 2026-02-30: shaped like a date, but no such day
            self.fail(event.start_mark, f"{where}{shorten(value)} is not a valid date ({exc})" if tag.endswith(":timestamp")
                      else f"{where}invalid value {shorten(value)} ({exc})")
        if isinstance(result, float) and not math.isfinite(result):
            self.fail(event.start_mark, f"{where}{value} is not a finite number")
        if isinstance(result, _dt.datetime):
            self.fail(event.start_mark, f"{where}{shorten(value)} is a timestamp with a time of day; "
                                        "write a date (2025-03-01)")
        return result

    def document(self, get_event) -> Document:
        limits = self.limits
        lines: dict[str, int] = {}
        stack: list[_Frame] = []
        anchors: dict[str, tuple[int, int, int]] = {}  # name -> (start, end) in the event log, line
        log: list | None = None  # the parser's events since the first anchor, for aliases to replay
        replays: list = []  # iterators over logged events being replayed (aliases being expanded)
        expanding = None  # the mark of the outermost alias being expanded: where an expansion is reported
        aliases = 0
        nodes, max_nodes = self.nodes, limits.max_nodes
        root: Any = None
        while True:
            if replays:
                event = next(replays[-1], None)
                if event is None:
                    replays.pop()
                    if not replays:
                        expanding = None
                    continue
                replayed = True
            else:
                event = get_event()
                replayed = False
                if log is not None:
                    log.append(event)
            cls = event.__class__
            if cls is AliasEvent:
                aliases += 1
                if aliases > limits.max_aliases:
                    self.fail(expanding or event.start_mark, f"more than {limits.max_aliases:,} aliases in one document "
                                                             f"({_limit('max_aliases')}); anchors expanding too far?")
                span = anchors.get(event.anchor)
                if span is None:
                    if any(f.anchor == event.anchor for f in stack):
                        self.fail(event.start_mark, f"YAML syntax error: alias '*{event.anchor}' refers to the "
                                                    "list or mapping that contains it (a recursive structure)")
                    self.fail(event.start_mark, f"YAML syntax error: found undefined alias '{event.anchor}'")
                start, end, _ = span
                replays.append(iter(log[start:end]))
                expanding = expanding or event.start_mark
                continue
            if cls is ScalarEvent or cls is SequenceStartEvent or cls is MappingStartEvent:
                nodes += 1
                if nodes > max_nodes:
                    self.fail(expanding or event.start_mark,
                              f"more than {max_nodes:,} YAML nodes (keys, values, lists and mappings) in this file "
                              f"({_limit('max_nodes')})" + ("; aliases expand to copies of their anchor" if aliases else ""))
                anchor = None if replayed else event.anchor
                if anchor is not None:
                    if anchor in anchors or any(f.anchor == anchor for f in stack):
                        first = anchors[anchor][2] if anchor in anchors else \
                            log[next(f for f in stack if f.anchor == anchor).log_start].start_mark.line + 1
                        self.fail(event.start_mark, f"YAML syntax error: found duplicate anchor '{anchor}' "
                                                    f"(first on line {first})")
                    if log is None:
                        log = [event]
                top = stack[-1] if stack else None
                line = event.start_mark.line + 1
                if top is None:
                    path, depth = "", 0
                elif top.seen is None:
                    path, depth = f"{top.path}[{len(top.value)}]", top.depth + 1
                elif top.key is _NO_KEY:  # a mapping key
                    depth = top.depth + 1
                    if depth > limits.max_depth:
                        self.fail(event.start_mark, f"nesting deeper than {limits.max_depth} levels ({_limit('max_depth')})")
                    if cls is not ScalarEvent:
                        self.fail(event.start_mark, "mapping keys must be plain strings")
                    if anchor is not None:
                        anchors[anchor] = (len(log) - 1, len(log), line)
                    if event.value == "<<" and event.tag is None and event.implicit[0]:
                        self.fail(event.start_mark, "YAML merge keys ('<<') are not supported; write the keys out")
                    key = self.scalar(event, top.path, "key")
                    if not isinstance(key, str):
                        key = str(key) if not isinstance(key, bool) else ("true" if key else "false")
                    first_line = top.seen.get(key)
                    if first_line is not None:
                        self.fail(event.start_mark, f"duplicate key '{shorten(key)[1:-1] if len(key) > 60 else key}' "
                                                    f"(first on line {first_line}, again on line {line})")
                    top.seen[key] = line
                    top.key = key
                    child = f"{top.path}.{key}" if top.path else key
                    lines[child] = line
                    continue
                else:
                    depth = top.depth + 1
                    path = f"{top.path}.{top.key}" if top.path else top.key
                if depth > limits.max_depth:
                    self.fail(event.start_mark, f"nesting deeper than {limits.max_depth} levels ({_limit('max_depth')})")
                if path not in lines:
                    lines[path] = line
                if cls is ScalarEvent:
                    if anchor is not None:
                        anchors[anchor] = (len(log) - 1, len(log), line)
                    value = self.scalar(event, path)
                else:
                    tag = event.tag
                    wanted = _SEQ_TAG if cls is SequenceStartEvent else _MAP_TAG
                    if tag is not None and tag != "!" and tag != wanted:
                        self.fail(event.start_mark, f"YAML tag '{_short_tag(tag)}' is not allowed (plain data only)")
                    stack.append(_Frame([] if cls is SequenceStartEvent else {}, path, depth, anchor,
                                        len(log) - 1 if anchor is not None else 0))
                    continue
            elif cls is SequenceEndEvent or cls is MappingEndEvent:
                frame = stack.pop()
                value = frame.value
                if frame.anchor is not None:
                    anchors[frame.anchor] = (frame.log_start, len(log), log[frame.log_start].start_mark.line + 1)
                top = stack[-1] if stack else None
            elif cls is DocumentEndEvent:
                self.nodes = nodes
                first = lines.pop("", 1)
                return Document(root, lines, first)
            else:  # pragma: no cover - the parser sends nothing else inside a document
                self.fail(getattr(event, "start_mark", None), f"unexpected YAML event {cls.__name__}")
            # a complete value: into its list or mapping, or the document's root
            if top is None:
                root = value
            elif top.seen is None:
                top.value.append(value)
            else:
                top.value[top.key] = value
                top.key = _NO_KEY


def parse_documents(text: str, display: str, limits: InputLimits | None = None) -> list[Document]:
    """Parse every document of a YAML (or JSON) text within ``limits``. Raises ReadError with file and line."""
    try:
        docs = _parse_documents(text, display, limits)
    except ReadError as exc:
        last = _last_line(text)
        if exc.problem.line > last:  # the parser's end-of-text mark sits on a line after the last one
            raise ReadError(InputProblem(exc.problem.file, last, exc.problem.message)) from None
        raise
    last = _last_line(text)
    for doc in docs:
        if doc.first_line > last:  # an empty document after a final `---`
            doc.first_line = last
    return docs


_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # YAML's line breaks, as its marks count them


def _last_line(text: str) -> int:
    """The number of the text's last line, as an editor shows it (a final line break opens no new line)."""
    breaks = _LINE_BREAK.findall(text)
    ends_with_break = bool(breaks) and _LINE_BREAK.fullmatch(text[-2:] if text.endswith("\r\n") else text[-1:]) is not None
    return max(1, len(breaks) + (0 if ends_with_break else 1))


def _parse_documents(text: str, display: str, limits: InputLimits | None) -> list[Document]:
    builder = _Builder(display, limits or DEFAULT_LIMITS)
    parser = None
    try:
        parser = _CParser(text) if _CParser is not None else yaml.SafeLoader(text)
        return builder.documents(parser.get_event)
    except _Problem as exc:
        raise ReadError(exc.problem) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or str(exc)
        if what == "exceeded maximum nesting depth":  # libyaml's own cap, met while it scans ahead in [[[[...
            raise ReadError(InputProblem(display, line, "nesting deeper than the YAML parser allows "
                                                        "(libyaml stops at 1,000 levels)")) from None
        if exc.context and exc.context_mark is not None and exc.problem_mark is not None \
                and exc.context_mark.line != exc.problem_mark.line:
            what += f" ({exc.context} started on line {exc.context_mark.line + 1})"
        raise ReadError(InputProblem(display, line, f"YAML syntax error: {what}")) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (a control character)
        line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else 1
        what = f"#x{exc.character:04x}" if isinstance(exc.character, int) else repr(exc.character)
        raise ReadError(InputProblem(display, line, f"YAML syntax error: character {what} is not allowed "
                                                    "(a control character?)")) from None
    except yaml.YAMLError as exc:
        raise ReadError(InputProblem(display, 1, f"YAML error: {exc}")) from None
    except UnicodeEncodeError as exc:  # a str with a lone surrogate (only text handed over directly can hold one)
        raise ReadError(InputProblem(display, text.count("\n", 0, exc.start) + 1,
                                     "text is not valid Unicode (a lone surrogate)")) from None
    finally:
        if parser is not None:
            parser.dispose()
