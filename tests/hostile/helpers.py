"""Hostile manifest files, each with the one problem (line and message) it must be refused with, and a way to run
the command line that also measures the child's peak memory."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

CLI = [sys.executable, "-m", "compliance_engine"]
AS_OF = "2026-11-24"
HEAD = "kind: Product\nsku: H-1\ncategory: toys\nmarkets: [DE]\n"  # four lines: what follows starts on line 5
MARKER = "pwned-marker"


@dataclass(frozen=True)
class Case:
    """A hostile file: ``write(directory)`` creates it and returns its path; it must be refused with one problem on
    ``line`` whose message holds every one of ``words``."""

    name: str
    write: Callable[[Path], Path]
    line: int
    words: tuple[str, ...]


def _text(name: str, text: str) -> Callable[[Path], Path]:
    def write(d: Path) -> Path:
        p = d / name
        p.write_text(text, encoding="utf-8")
        return p
    return write


def _bytes(name: str, data: bytes) -> Callable[[Path], Path]:
    def write(d: Path) -> Path:
        p = d / name
        p.write_bytes(data)
        return p
    return write


def _sparse(name: str, size: int) -> Callable[[Path], Path]:
    def write(d: Path) -> Path:
        p = d / name
        with open(p, "wb") as fh:
            fh.truncate(size)  # no disk blocks, no time: a 200 MB file in an instant
        return p
    return write


def _billion_laughs() -> str:
    levels = ['  l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        levels.append(f"  l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    return HEAD + "x-bomb:\n" + "\n".join(levels) + "\n"  # l0 on line 6, ... 9**9 strings if expanded


def _wide_alias() -> str:
    # few aliases, each a copy of a big list: the node count, not the alias count, stops it
    return HEAD + "x-big: &big [" + ", ".join(["1"] * 5_000) + "]\n" + "x-copies:\n" + "  - *big\n" * 100


def _document(issued: str) -> str:
    return HEAD + f"documents:\n  - {{id: d1, type: technical-file, covers: [GPSR], issued: {issued}}}\n"


_RANDOM = random.Random(8)

CASES = [
    Case("alias-bomb", _text("bomb.yaml", _billion_laughs()), 10, ("more than 1,000 aliases", "max-aliases")),
    Case("alias-copies", _text("copies.yaml", _wide_alias()), 55, ("more than 250,000 YAML nodes", "max-nodes", "aliases")),
    Case("deep-flow-sequence", _text("deep-flow.yaml", HEAD + "x-deep: " + "[" * 10_000 + "]" * 10_000 + "\n"), 5,
         ("nesting deeper than the YAML parser allows",)),
    Case("deep-flow-mapping", _text("deep-map.yaml", HEAD + "x-deep: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n"), 5,
         ("nesting deeper than 64 levels", "max-depth")),
    Case("deep-block-sequence", _text("deep-block.yaml", HEAD + "x-deep:\n  " + "- " * 10_000 + "x\n"), 6,
         ("nesting deeper than 64 levels",)),
    Case("deep-block-mapping", _text("deep-block-map.yaml",
                                     HEAD + "x-deep:\n" + "".join(" " * (i + 1) + "a:\n" for i in range(1_000)) + "   b: 1\n"),
         69, ("nesting deeper than 64 levels",)),
    Case("deep-json", _text("deep.json", '{"kind": "Product", "sku": "J-1", "category": "toys", "markets": ["DE"],\n'
                                         ' "x-deep": ' + '{"a": ' * 10_000 + "1" + "}" * 10_000 + "}\n"), 2,
         ("nesting deeper than 64 levels",)),
    Case("file-of-200-MB", _sparse("huge.yaml", 200 * 1024 * 1024), 1,
         ("file is 209,715,200 bytes (200 MiB)", "over the max-file-size limit of 20,971,520 bytes (20 MiB)")),
    Case("binary-junk", _bytes("junk.yaml", _RANDOM.randbytes(4096) + b"\x00"), 1, ("NUL bytes",)),
    Case("binary-junk-without-nul", _bytes("junk2.yaml", bytes(_RANDOM.randrange(0x80, 0x100) for _ in range(4096))), 1,
         ("not valid UTF-8",)),
    Case("latin-1-text", _bytes("latin1.yaml", (HEAD + "x-note: caf\xe9\n").encode("latin-1")), 5,
         ("not valid UTF-8 (byte 0xe9)",)),
    Case("utf-16-text", _bytes("utf16.yaml", HEAD.encode("utf-16")), 1, ("UTF-16; save it as UTF-8",)),
    Case("nul-byte", _bytes("nul.yaml", HEAD.encode() + b"x-note: a\x00b\n"), 5, ("NUL bytes",)),
    Case("nan", _text("nan.yaml", HEAD + "package: {length_cm: .nan, width_cm: 10, height_cm: 5}\n"), 5,
         ("package.length_cm: .nan is not a finite number",)),
    Case("infinity", _text("inf.yaml", HEAD + "package:\n  weight_g: .inf\n"), 6,
         ("package.weight_g: .inf is not a finite number",)),
    Case("minus-infinity", _text("ninf.yaml", HEAD + "listings:\n  - marketplace: amazon\n    market: DE\n"
                                                     "    price: {amount: -.Inf, currency: EUR}\n"), 8,
         ("listings[0].price.amount: -.Inf is not a finite number",)),
    Case("date-without-leading-zeros", _text("d1.yaml", _document("2026-1-5")), 6,
         ("documents[0].issued", "expected an ISO 8601 date", "'2026-1-5'")),
    Case("date-without-dashes", _text("d2.yaml", _document("20260105")), 6,
         ("documents[0].issued", "expected an ISO 8601 date", "20260105")),
    Case("date-30-february", _text("d3.yaml", _document("2026-02-30")), 6,
         ("documents[0].issued: '2026-02-30' is not a valid date",)),
    Case("date-month-13", _text("d4.yaml", _document("2026-13-01")), 6,
         ("documents[0].issued: '2026-13-01' is not a valid date",)),
    Case("timestamp", _text("d5.yaml", _document("2026-01-05T10:30:00Z")), 6,
         ("documents[0].issued", "time of day", "write a date")),
    Case("quoted-impossible-date", _text("d6.yaml", _document('"2026-02-30"')), 6,
         ("documents[0].issued", "2026-02-30", "not a valid calendar date")),
    Case("python-tag", _text("tag.yaml", HEAD + f"x-run: !!python/object/apply:os.system ['touch {MARKER}']\n"), 5,
         ("YAML tag '!!python/object/apply:os.system' is not allowed",)),
    Case("duplicate-key", _text("dup.yaml", HEAD + "documents: []\nsku: H-2\n"), 6,
         ("duplicate key 'sku' (first on line 2, again on line 6)",)),
    Case("huge-scalar", _text("scalar.yaml", HEAD + "x-note: " + "a" * 1_000_000 + "\n"), 5,
         ("x-note: a value of 1,000,000 characters", "limit is 100,000", "max-value-length")),
    Case("many-documents", _text("docs.yaml", (HEAD + "---\n") * 10_001), 50_000,
         ("more than 10,000 documents", "max-documents")),
    Case("very-long-line", _text("line.yaml", HEAD + "x-line: [" + ", ".join(map(str, range(300_000))) + "]\n"), 5,
         ("more than 250,000 YAML nodes", "max-nodes")),
]


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    peak_rss_mb: float


def run_measured(*args, cwd: Path | None = None, timeout: float = 60) -> Run:
    """Run the command line; its output, and its peak resident memory (from wait4, this child alone)."""
    env = dict(os.environ, NO_COLOR="1")
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([*CLI, *map(str, args)], stdout=out, stderr=err, cwd=cwd, env=env)
        watchdog = threading.Timer(timeout, proc.kill)  # a hang fails the test instead of stalling the suite
        watchdog.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            watchdog.cancel()
            proc.returncode = 0  # reaped by wait4: keep Popen from waiting for it again
        out.seek(0)
        err.seek(0)
        return Run(os.waitstatus_to_exitcode(status), out.read().decode(), err.read().decode(), usage.ru_maxrss / 1024)
