"""Regular expressions from rule packs, matched so that no pattern can hang a run.

Rule packs may come from third parties, and Python's ``re`` backtracks: a pattern such as ``(a+)+$`` takes
exponential time on ``"a" * 40 + "!"``. So a pack's pattern (``matches``, ``number_matches``, a JSON-Schema
``pattern``) is never given to ``re``. It is written in Python's ``re`` syntax, parsed by Python's own parser
(``re._parser``; parsing is linear) and translated, with the same meaning, for one of two engines:

- RE2 (``google-re2``): linear time whatever the pattern and the text. Used for every pattern it can express.
  Python's Unicode classes keep their meaning: ``\\w`` is ``[\\p{L}\\p{N}_]`` (exactly Python's set for every
  character of Python's Unicode database), ``\\d`` is ``\\p{Nd}``, ``\\s`` is the set ``str.isspace`` accepts;
  ``^``, ``$``, ``\\A``, ``\\Z``, ``.`` and the flags keep Python's rules.
- the ``regex`` module, a backtracking engine with a time limit per search (:data:`TIME_LIMIT_S`), for what RE2
  lacks: lookahead and lookbehind, ``\\b``/``\\B`` on non-ASCII text (RE2's ``\\b`` only knows ASCII letters; on
  ASCII text RE2 is used), atomic groups, possessive repeats and a ``$`` that something follows. A search that
  reaches the limit raises :class:`PatternTooSlow`; it never returns a guess.

Refused outright (:class:`UnsafePattern`, a pack error at load time): backreferences and conditional groups (no
engine matches them in bounded time), repeat counts above :data:`MAX_REPEAT`, patterns longer than
:data:`MAX_PATTERN_LENGTH` or nested deeper than :data:`MAX_NESTING`, ``[^...]`` classes that also hold ``\\W``,
``\\D`` or ``\\S``, a scoped ``(?a:...)``, ``(?a)`` in a case-insensitive pattern with letters, and patterns
too costly to compile (:func:`compile_cost` over :data:`MAX_PATTERN_COST`: RE2 writes out every ``{n}`` repeat, and
each copy of ``\\w`` is a class of all Unicode letters). The loader also keeps each pack file within
:data:`MAX_PACK_COST` in all (:class:`CompileBudget`).

Phrase lists (the ``phrases_absent`` requirement) are built by the engine from escaped pack text and matched by
:class:`PhraseMatcher` on RE2, with Python's ``(?<!\\w)...(?!\\w)`` boundaries kept exactly.

This module never prints (RE2's own error log is switched off) and never exits.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from re import _constants
from typing import Callable, Iterator

from .errors import ComplianceEngineError
from .yamlsource import shorten

#: a pattern from a pack may be at most this long (phrase lists, built by the engine, are not bound by it)
MAX_PATTERN_LENGTH = 5000
#: at most this many groups, classes or repeats inside one another
MAX_NESTING = 50
#: the largest count a repeat ({m,n}) may name (RE2's own limit)
MAX_REPEAT = 1000
#: how long one search with the backtracking engine may take, in seconds
TIME_LIMIT_S = 2.0  # generous: a wall-clock limit must never trip on a legitimate search on a loaded machine
#: memory RE2 may use for one compiled pattern
RE2_MAX_MEM = 64 << 20
#: what compiling one pattern may cost, in the units of :func:`compile_cost` (about a microsecond each): RE2
#: writes out every repeat ({n}) and each copy of a Unicode class such as \w costs about a millisecond
MAX_PATTERN_COST = 500_000
#: what all the patterns and phrase lists of one pack file (with its data tables) may cost together
MAX_PACK_COST = 2_000_000

_IGNORECASE = re.IGNORECASE.value
_MULTILINE = re.MULTILINE.value
_DOTALL = re.DOTALL.value
_ASCII = re.ASCII.value
_TYPE_FLAGS = re.ASCII.value | re.UNICODE.value | re.LOCALE.value

# Python's classes for str patterns. \w is every character of the Unicode categories L and N, and "_";
# \d is category Nd; \s is what str.isspace() accepts (tests/packs/test_untrusted_packs.py checks all three
# against re on every code point).
_WORD = r"\p{L}\p{N}_"
_DIGIT = r"\p{Nd}"
_SPACE_CODES = (0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x85, 0xA0, 0x1680,
                *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000)
_ASCII_WORD = "0-9A-Za-z_"
_ASCII_DIGIT = "0-9"
_ASCII_SPACE_CODES = (0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20)


_TURKISH_I = (0x49, 0x69, 0x130, 0x131)


def _cased(low: int, high: int) -> bool:
    """Whether a character from ``low`` to ``high`` has another case (beyond ASCII: assumed)."""
    return high >= 128 or any(low <= b and a <= high for a, b in ((0x41, 0x5A), (0x61, 0x7A)))


class UnsafePattern(ValueError):
    """A pattern that cannot be matched in bounded time, or that this module cannot translate faithfully."""


class PatternTooSlow(ComplianceEngineError):
    """A search on the backtracking engine reached :data:`TIME_LIMIT_S`."""


# ----------------------------------------------------------------------------------------------- translation


class _NeedsBacktracking(Exception):
    """Raised while emitting for RE2: the pattern uses something only the backtracking engine has."""


_PLAIN = frozenset(map(ord, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"))


def _escape(code: int, target: str) -> str:
    if code in _PLAIN:
        return chr(code)
    return f"\\x{{{code:x}}}" if target == "re2" else f"\\U{code:08x}"


def _nesting(items, depth: int = 0) -> int:
    """How deeply the parsed pattern nests (iteratively, so a hostile pattern cannot exhaust the stack)."""
    deepest, stack = depth, [(items, depth)]
    while stack:
        seq, d = stack.pop()
        deepest = max(deepest, d)
        if deepest > MAX_NESTING:
            return deepest
        for op, av in seq:
            name = str(op)
            if name == "BRANCH":
                stack.extend((b, d + 1) for b in av[1])
            elif name == "SUBPATTERN":
                stack.append((av[3], d + 1))
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                stack.append((av[2], d + 1))
            elif name in ("ASSERT", "ASSERT_NOT"):
                stack.append((av[1], d + 1))
            elif name == "ATOMIC_GROUP":
                stack.append((av, d + 1))
            elif name == "GROUPREF_EXISTS":
                stack.extend((b, d + 1) for b in av[1:] if b is not None)
    return deepest


def _ranges(codes, target: str) -> str:
    """Sorted code points as the body of a character class, runs written as ranges."""
    out, codes = [], sorted(codes)
    i = 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        out.append(_escape(codes[i], target) if i == j else f"{_escape(codes[i], target)}-{_escape(codes[j], target)}")
        i = j + 1
    return "".join(out)


_COST_BASE = 300  # compiling any pattern at all
_COST_WORD_CLASS = 1000  # a class holding \w or \W (the Unicode letters and digits)
_COST_BOUNDARY = 300  # a Unicode \b or \B (RE2 on ASCII text, four class tests on the backtracking engine)
_COST_DIGIT_CLASS = 40  # a class holding \d or \D
_COST_ITEM = 2  # a character, a small class, an anchor


def _class_cost(items, flags: int) -> int:
    if flags & _ASCII:
        return _COST_ITEM + len(items)
    categories = {str(av).replace("_NOT", "") for op, av in items if str(op) == "CATEGORY"}
    if "CATEGORY_WORD" in categories:
        return _COST_WORD_CLASS
    if "CATEGORY_DIGIT" in categories:
        return _COST_DIGIT_CLASS
    return _COST_ITEM + len(items)


def _cost(items, flags: int, copies: int = 1) -> int:
    """Estimated RE2 compile work of a parsed pattern, every repeat counted as the copies RE2 writes out."""
    total = 0
    for op, av in items:
        name = str(op)
        if name == "IN":
            total += copies * _class_cost(av, flags)
        elif name == "AT" and str(av) in ("AT_BOUNDARY", "AT_NON_BOUNDARY") and not flags & _ASCII:
            total += copies * _COST_BOUNDARY
        elif name in ("LITERAL", "NOT_LITERAL", "ANY", "AT", "GROUPREF", "GROUPREF_IGNORE"):
            total += copies * _COST_ITEM
        elif name == "BRANCH":
            total += sum(_cost(b, flags, copies) for b in av[1])
        elif name == "SUBPATTERN":
            total += _cost(av[3], (flags | av[1]) & ~av[2], copies)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, body = av
            total += _cost(body, flags, copies * max(1, high if high != _constants.MAXREPEAT else low + 1))
        elif name in ("ASSERT", "ASSERT_NOT"):
            total += _cost(av[1], flags, copies)
        elif name == "ATOMIC_GROUP":
            total += _cost(av, flags, copies)
        elif name == "GROUPREF_EXISTS":
            total += sum(_cost(b, flags, copies) for b in av[1:] if b is not None)
    return total


def too_costly(cost: int, what: str = "pattern") -> str:
    """The reason a pattern or phrase list costing ``cost`` is refused."""
    return (f"the {what} is too costly to compile: about {cost / 1000:,.0f} ms of work, counting every repeat of "
            f"\\w and other classes ({{n}} repeats are written out); the limit is {MAX_PATTERN_COST / 1000:,.0f} ms")


@lru_cache(maxsize=1024)
def compile_cost(pattern: str, ignore_case: bool = False) -> int:
    """The estimated work of compiling ``pattern`` (units of about a microsecond; see :data:`MAX_PACK_COST`),
    from its parse alone. Raises :class:`UnsafePattern` when the pattern cannot even be parsed."""
    parsed = _parse(pattern, _IGNORECASE if ignore_case else 0)
    return _COST_BASE + _cost(list(parsed), parsed.state.flags)


def phrase_list_cost(bodies: list[str], parsed=None) -> int:
    """The estimated work of compiling a :class:`PhraseMatcher` (three RE2 programs at most); ``parsed``: the
    bodies already parsed by ``_parse_phrases``."""
    parsed = parsed if parsed is not None else _parse_phrases("|".join(bodies))
    return 3 * (_COST_BASE + _cost(list(parsed), parsed.state.flags)) + 4 * _COST_WORD_CLASS


class CompileBudget:
    """What one pack file's patterns and phrase lists may cost together (:data:`MAX_PACK_COST`), so that a pack
    of thousands of patterns, each within its own limits, still loads and checks in bounded time."""

    def __init__(self, limit: int = MAX_PACK_COST):
        self.limit = limit
        self.spent = 0
        self.phrase_lists: set[tuple[str, str]] = set()  # (table, list) already counted

    def spend(self, cost: int) -> str | None:
        """Add ``cost``. None while the file is within its budget; the problem when this cost takes it over;
        "" once it is over (the problem is reported once, and nothing more is compiled)."""
        if self.spent > self.limit:
            return ""
        self.spent += cost
        if self.spent > self.limit:
            return (f"the pack's regular expressions and phrase lists are too costly to compile together (more "
                    f"than about {self.limit / 1000:,.0f} ms of work); split the pack or simplify its patterns")
        return None


class _Emitter:
    """Writes a parsed Python pattern in the syntax of ``target`` ("re2" or "backtracking"). ``ascii_text``:
    the RE2 program is only used on ASCII text, where RE2's \\b is Python's."""

    def __init__(self, target: str, ascii_text: bool = False):
        self.target = target
        self.ascii_text = ascii_text

    def sequence(self, items, flags: int, tail: bool) -> str:
        last = len(items) - 1
        return "".join(self.item(op, av, flags, tail and i == last) for i, (op, av) in enumerate(items))

    def item(self, op, av, flags: int, tail: bool) -> str:
        name = str(op)
        re2 = self.target == "re2"
        if name == "LITERAL":
            return self.literal(av, flags)
        if name == "NOT_LITERAL":
            if self.turkish_i(flags, [av, av]):
                return "[^" + "".join(_escape(t, self.target) for t in _TURKISH_I) + "]"
            return self.case(f"[^{_escape(av, self.target)}]", flags, [av, av])
        if name == "ANY":
            return "(?s:.)" if flags & _DOTALL else "[^\\n]"
        if name == "IN":
            return self.char_class(av, flags)
        if name == "BRANCH":
            return "(?:" + "|".join(self.sequence(b, flags, tail) for b in av[1]) + ")"
        if name == "SUBPATTERN":
            _group, add, remove, body = av
            if (add | remove) & _TYPE_FLAGS:  # CPython applies a scoped (?a:...) inconsistently
                raise UnsafePattern("a scoped ASCII or Unicode flag, (?a:...) or (?u:...), is not supported; "
                                    "put (?a) at the start of the pattern instead")
            inner_flags = (flags | add) & ~remove
            text = self.sequence(body, inner_flags, tail)
            if _folds(inner_flags) != _folds(flags):
                return f"(?i:{text})" if _folds(inner_flags) else f"(?-i:{text})"
            return f"(?:{text})"
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, body = av
            big = [n for n in (low, high) if n != _constants.MAXREPEAT and n > MAX_REPEAT]
            if big:
                raise UnsafePattern(f"a repeat count of {big[0]} is above the limit of {MAX_REPEAT}")
            if name == "POSSESSIVE_REPEAT" and re2:
                raise _NeedsBacktracking("a possessive repeat")
            inner = self.sequence(body, flags, tail and high == 1)
            if high == _constants.MAXREPEAT:
                count = "*" if low == 0 else "+" if low == 1 else f"{{{low},}}"
            else:
                count = "?" if (low, high) == (0, 1) else f"{{{low}}}" if low == high else f"{{{low},{high}}}"
            suffix = "?" if name == "MIN_REPEAT" else "+" if name == "POSSESSIVE_REPEAT" else ""
            return f"(?:{inner}){count}{suffix}"
        if name == "ATOMIC_GROUP":
            if re2:
                raise _NeedsBacktracking("an atomic group")
            return f"(?>{self.sequence(av, flags, False)})"
        if name == "AT":
            return self.anchor(str(av), flags, tail)
        if name in ("ASSERT", "ASSERT_NOT"):
            if re2:
                raise _NeedsBacktracking("lookahead or lookbehind")
            direction, body = av
            kind = ("=" if name == "ASSERT" else "!") if direction == 1 else ("<=" if name == "ASSERT" else "<!")
            return f"(?{kind}{self.sequence(body, flags, False)})"
        if name in ("GROUPREF", "GROUPREF_EXISTS", "GROUPREF_IGNORE"):
            raise UnsafePattern("a backreference or conditional group: it cannot be matched in bounded time")
        raise UnsafePattern(f"unsupported regular expression construct {name}")  # pragma: no cover - new Python

    def case(self, text: str, flags: int, codes: list[int]) -> str:
        """``text`` as the flags read it. Python's case-insensitive ASCII mode follows rules of its own: refused
        when a cased character is involved."""
        if flags & _IGNORECASE and flags & _ASCII and any(_cased(lo, hi) for lo, hi in zip(codes[::2], codes[1::2])):
            raise UnsafePattern("the ASCII flag (?a) in a case-insensitive pattern is not supported "
                                "with letters in it; leave (?a) out")
        return text

    def turkish_i(self, flags: int, codes: list[int]) -> bool:
        """Python's case-insensitive matching treats I, i, İ and ı as one letter; RE2 and regex keep the dotted
        and dotless ones apart. True when ``codes`` (literals and range ends) reach one of them."""
        if not flags & _IGNORECASE or flags & _ASCII:
            return False
        pairs = list(zip(codes[::2], codes[1::2]))
        return any(lo <= t <= hi for lo, hi in pairs for t in _TURKISH_I)

    def literal(self, code: int, flags: int) -> str:
        if flags & _IGNORECASE:
            if flags & _ASCII:
                self.case("", flags, [code, code])
            elif code in _TURKISH_I:
                return "[" + "".join(_escape(t, self.target) for t in _TURKISH_I) + "]"
        return _escape(code, self.target)

    def char_class(self, items, flags: int) -> str:
        negate = bool(items) and str(items[0][0]) == "NEGATE"
        body, negative, codes = [], [], []
        ascii_flag = bool(flags & _ASCII)
        for op, av in items[1:] if negate else items:
            name = str(op)
            if name == "LITERAL":
                body.append(_escape(av, self.target))
                codes.extend((av, av))
            elif name == "RANGE":
                body.append(f"{_escape(av[0], self.target)}-{_escape(av[1], self.target)}")
                codes.extend(av)
            elif name == "CATEGORY":
                category = str(av)
                members = self.category(category.replace("_NOT", ""), ascii_flag)
                (negative if "_NOT_" in category else body).append(members)
            else:  # pragma: no cover - the parser puts nothing else in a class
                raise UnsafePattern(f"unsupported character class item {name}")
        self.case("", flags, codes)
        if self.turkish_i(flags, codes):
            body.extend(_escape(t, self.target) for t in _TURKISH_I)
        if not negative:
            return f"[{'^' if negate else ''}{''.join(body)}]"
        if negate:
            if body or len(negative) > 1:
                raise UnsafePattern("a [^...] class that also holds \\W, \\D or \\S is not supported; "
                                    "list the characters it should match instead")
            return f"[{negative[0]}]"
        parts = ([f"[{''.join(body)}]"] if body else []) + [f"[^{n}]" for n in negative]
        return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"

    def category(self, category: str, ascii_flag: bool) -> str:
        if category == "CATEGORY_WORD":
            return _ASCII_WORD if ascii_flag else _WORD
        if category == "CATEGORY_DIGIT":
            return _ASCII_DIGIT if ascii_flag else _DIGIT
        if category == "CATEGORY_SPACE":
            return _ranges(_ASCII_SPACE_CODES if ascii_flag else _SPACE_CODES, self.target)
        raise UnsafePattern(f"unsupported character category {category}")  # pragma: no cover

    def anchor(self, at: str, flags: int, tail: bool) -> str:
        re2 = self.target == "re2"
        multiline = bool(flags & _MULTILINE)
        if at == "AT_BEGINNING":
            return "(?m:^)" if multiline else "\\A"
        if at == "AT_BEGINNING_STRING":
            return "\\A"
        if at == "AT_END":
            if multiline:
                return "(?m:$)"
            if not re2:
                return "(?=\\n?\\Z)"
            if tail:  # nothing is matched after it, so taking the final newline changes no outcome
                return "(?:\\n?\\z)"
            raise _NeedsBacktracking("a $ followed by more of the pattern")
        if at == "AT_END_STRING":
            return "\\z" if re2 else "\\Z"
        if at in ("AT_BOUNDARY", "AT_NON_BOUNDARY"):
            boundary = at == "AT_BOUNDARY"
            if re2:
                if boundary and (flags & _ASCII or self.ascii_text):
                    return "\\b"
                raise _NeedsBacktracking("\\b or \\B")
            word = f"[{_ASCII_WORD if flags & _ASCII else _WORD}]"
            if boundary:
                return f"(?:(?<={word})(?!{word})|(?<!{word})(?={word}))"
            return f"(?:(?<={word})(?={word})|(?<!{word})(?!{word})(?!\\A\\Z))"  # Python: never in ""
        raise UnsafePattern(f"unsupported anchor {at}")  # pragma: no cover


def _folds(flags: int) -> bool:
    """Whether the engines' own case-insensitivity is switched on. Not in Python's ASCII mode: there a pattern
    with letters is refused (see _Emitter.case), so case plays no part, and RE2 would fold \\w to ſ and K."""
    return bool(flags & _IGNORECASE) and not flags & _ASCII


def _parse(pattern: str, flags: int):
    from re import _parser

    if len(pattern) > MAX_PATTERN_LENGTH:
        raise UnsafePattern(f"the pattern is {len(pattern):,} characters long; the limit is {MAX_PATTERN_LENGTH:,}")
    try:
        parsed = _parser.parse(pattern, flags)
    except re.error as exc:
        raise UnsafePattern(f"invalid regular expression: {exc}") from None
    except RecursionError:
        raise UnsafePattern(f"the pattern nests deeper than {MAX_NESTING} levels") from None
    if _nesting(list(parsed)) > MAX_NESTING:
        raise UnsafePattern(f"the pattern nests deeper than {MAX_NESTING} levels")
    return parsed


def _emit(parsed, target: str, ascii_text: bool = False) -> str:
    flags = parsed.state.flags
    text = _Emitter(target, ascii_text).sequence(list(parsed), flags, True)
    return ("(?i)" if _folds(flags) else "") + text


def _re2_options():
    import re2

    options = re2.Options()
    options.log_errors = False  # RE2 would write its errors to stderr; they are raised instead
    options.max_mem = RE2_MAX_MEM
    return options


def _re2_compile(source: str):
    import re2

    try:
        return re2.compile(source, _re2_options())
    except re2.error as exc:
        reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        if "too large" in reason or "too big" in reason:
            raise UnsafePattern("the pattern is too large to compile into a linear-time matcher") from None
        raise UnsafePattern(f"cannot be compiled: {reason}") from None


def _utf8(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: like any other non-word character, never a letter of a pattern
        return re.sub("[\ud800-\udfff]", "\ufffd", text).encode("utf-8")


class SafePattern:
    """One pack pattern, compiled for the engine that can run it safely. ``search(text)`` says whether it
    matches anywhere in ``text`` (Python's ``re.search``), in time linear in the text or within the limit."""

    __slots__ = ("pattern", "ignore_case", "engine", "_re2", "_ascii_re2", "_backtracking_source",
                 "_backtracking", "_lock")

    def __init__(self, pattern: str, ignore_case: bool = False):
        self.pattern = pattern
        self.ignore_case = ignore_case
        cost = compile_cost(pattern, ignore_case)
        if cost > MAX_PATTERN_COST:
            raise UnsafePattern(too_costly(cost))
        parsed = _parse(pattern, _IGNORECASE if ignore_case else 0)
        self._re2 = self._ascii_re2 = self._backtracking = None
        self._lock = threading.Lock()
        try:
            self._re2 = _re2_compile(_emit(parsed, "re2"))
            self.engine = "re2"
            self._backtracking_source = None
            return
        except _NeedsBacktracking:
            pass
        self.engine = "backtracking"
        self._backtracking_source = _emit(parsed, "backtracking")
        try:
            self._ascii_re2 = _re2_compile(_emit(parsed, "re2", ascii_text=True))
        except _NeedsBacktracking:
            pass

    def __reduce__(self):
        return (compile, (self.pattern, self.ignore_case))

    def __repr__(self) -> str:
        return f"SafePattern({self.pattern!r}, engine={self.engine!r})"

    def _backtracking_program(self):
        if self._backtracking is None:
            import regex

            with self._lock:
                if self._backtracking is None:
                    try:
                        self._backtracking = regex.compile(self._backtracking_source)
                    except regex.error as exc:  # pragma: no cover - a translation bug, never a pack's fault
                        raise UnsafePattern(f"cannot be compiled: {exc}") from None
        return self._backtracking

    def search(self, text: str) -> bool:
        if self._re2 is not None:
            return self._re2.search(_utf8(text)) is not None
        if self._ascii_re2 is not None and text.isascii():
            return self._ascii_re2.search(text.encode("ascii")) is not None
        program = self._backtracking_program()
        try:
            # concurrent=False keeps the GIL for the whole search: with True the regex module lets it go and must
            # win it back from other threads mid-search, and that wait counts against the timeout (8 threads
            # sharing a Checker made 6-character searches time out)
            return program.search(text, timeout=TIME_LIMIT_S, concurrent=False) is not None
        except TimeoutError:
            raise PatternTooSlow(f"the pattern {shorten(self.pattern, 80)} took longer than {TIME_LIMIT_S:g} s on a "
                                 f"text of {len(text):,} characters (it backtracks catastrophically: rewrite it "
                                 "without nested or overlapping repeats)") from None


@lru_cache(maxsize=4096)
def compile(pattern: str, ignore_case: bool = False) -> SafePattern:  # noqa: A001 - mirrors re.compile
    """The safe form of a pack's ``pattern`` (cached: the loaded packs' patterns are compiled once per process).
    Raises :class:`UnsafePattern` with the reason."""
    return SafePattern(pattern, ignore_case)


def check(pattern: str, ignore_case: bool = False, budget: CompileBudget | None = None) -> str | None:
    """Why ``pattern`` is refused, or None when it compiles (for load-time validation); with a ``budget``, its
    cost is counted there first, and a pattern over the budget is not compiled at all."""
    try:
        if budget is not None:
            over = budget.spend(compile_cost(pattern, ignore_case))
            if over is not None:  # reported once; over the budget, nothing more is compiled
                return over or None
        compile(pattern, ignore_case)
    except UnsafePattern as exc:
        return str(exc)
    return None


# -------------------------------------------------------------------------------------------- phrase lists


class PhraseMatch:
    """A phrase found in a text: ``group(0)`` is its wording, ``start()``/``end()`` its character offsets."""

    __slots__ = ("_text", "_start", "_end")

    def __init__(self, text: str, start: int, end: int):
        self._text, self._start, self._end = text, start, end

    def group(self, index: int = 0) -> str:
        if index != 0:
            raise IndexError("a phrase match has only group 0")
        return self._text[self._start:self._end]

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def __repr__(self) -> str:
        return f"PhraseMatch({self.group(0)!r}, {self._start}, {self._end})"


class PhraseMatcher:
    """Case-insensitive alternation of phrase ``bodies`` (Python pattern syntax), found only where no word
    character comes right before or after: Python's ``(?<!\\w)(?:body|...)(?!\\w)``, first body first, on RE2.

    RE2 has no lookaround, so each boundary takes part in the match: a non-word character (or the start) before
    the phrase and one (or the end) after it; the phrase is the group between them, and the next search starts
    at the last character of the previous phrase, which may serve as the next one's boundary (RE2's \\A only
    matches at the start of the text, wherever the search starts)."""

    __slots__ = ("bodies", "_inner", "_prefilter", "_first", "_next")

    def __init__(self, bodies: list[str]):
        self.bodies = list(bodies)
        parsed = _parse_phrases("|".join(self.bodies))
        cost = phrase_list_cost(self.bodies, parsed)
        if cost > MAX_PATTERN_COST:
            raise UnsafePattern(too_costly(cost, "phrase list"))
        try:
            inner = _emit(parsed, "re2")
        except _NeedsBacktracking as exc:  # pragma: no cover - phrase bodies are escaped text, \w*, \s+, \d+
            raise UnsafePattern(f"a phrase list cannot use {exc}") from None
        self._inner = inner
        self._prefilter = _re2_compile(inner)  # a list RE2 cannot take is refused here, not at its first search
        self._first = self._next = None

    @classmethod
    def _restore(cls, bodies: list[str], inner: str) -> "PhraseMatcher":
        """A matcher from its already translated alternation (a pickle: the compiled-pack cache, a worker), so
        a one-file check does not parse and translate the lists again; RE2 compiles on first use."""
        matcher = cls.__new__(cls)
        matcher.bodies, matcher._inner = list(bodies), inner
        matcher._prefilter = matcher._first = matcher._next = None
        return matcher

    def _rules_out(self, data: bytes) -> bool:
        """Most texts hold no phrase of a list: the bare alternation, cheap to compile without the two Unicode
        classes of the boundaries, rules them out; the full matchers are compiled when a text gets past it."""
        if self._prefilter is None:
            self._prefilter = _re2_compile(self._inner)
        return self._prefilter.search(data) is None

    def _from_start(self):
        """Phrase with its boundaries, the start of the text counting as one."""
        if self._first is None:
            self._first = _re2_compile(f"(?:\\A|[^{_WORD}])({self._inner})(?:[^{_WORD}]|\\z)")
        return self._first

    def _after_first_character(self):
        """The same without the \\A branch: a search from offset 0 must not find a phrase at 0 again."""
        if self._next is None:
            self._next = _re2_compile(f"[^{_WORD}]({self._inner})(?:[^{_WORD}]|\\z)")
        return self._next

    def __reduce__(self):
        return (PhraseMatcher._restore, (self.bodies, self._inner))

    def finditer(self, text: str) -> Iterator[PhraseMatch]:
        data = _utf8(text)
        if self._rules_out(data):
            return
        position = 0  # byte offset at which the next phrase may start
        chars_before, bytes_before = 0, 0  # a known pair of offsets, to turn byte offsets into characters
        while position <= len(data):
            if position == 0:
                m = self._from_start().search(data)
            else:
                back = position - 1
                while back > 0 and 0x80 <= data[back] < 0xC0:  # to the start of the previous character
                    back -= 1
                m = (self._from_start() if back else self._after_first_character()).search(data, back)
            if m is None:
                return
            start, end = m.span(1)
            start_char = chars_before + len(data[bytes_before:start].decode("utf-8", "replace"))
            end_char = start_char + len(data[start:end].decode("utf-8", "replace"))
            chars_before, bytes_before = end_char, end
            yield PhraseMatch(text, start_char, end_char)
            if end == start:  # an empty phrase: step over one character
                if end >= len(data):
                    return
                step = end + 1
                while step < len(data) and 0x80 <= data[step] < 0xC0:
                    step += 1
                position = step
            else:
                position = end

    def search(self, text: str) -> PhraseMatch | None:
        return next(self.finditer(text), None)

    def sub(self, replace: Callable[[PhraseMatch], str], text: str) -> str:
        out, last = [], 0
        for m in self.finditer(text):
            out.append(text[last:m.start()])
            out.append(replace(m))
            last = m.end()
        out.append(text[last:])
        return "".join(out)


def _parse_phrases(alternation: str):
    from re import _parser

    try:
        return _parser.parse(alternation, _IGNORECASE)
    except re.error as exc:
        raise UnsafePattern(f"invalid phrase: {exc}") from None
    except RecursionError:  # pragma: no cover - phrase bodies do not nest
        raise UnsafePattern("a phrase nests too deeply") from None


# ------------------------------------------------------------------------------------------ JSON Schema


@lru_cache(maxsize=1)
def _schema_validator_class():
    import jsonschema
    from jsonschema.exceptions import ValidationError

    def pattern(validator, pattern_text, instance, schema):
        if validator.is_type(instance, "string") and not compile(pattern_text).search(instance):
            yield ValidationError(f"{instance!r} does not match {pattern_text!r}")

    return jsonschema.validators.extend(jsonschema.Draft202012Validator, {"pattern": pattern})


def schema_validator(schema: dict):
    """A Draft 2020-12 validator for a pack's JSON Schema whose ``pattern`` keyword runs on the safe engine:
    :mod:`compliance_engine.schema_subset` for the keywords packs use (no jsonschema import), else jsonschema.
    ``patternProperties`` is refused when the pack loads (:func:`schema_problems`): jsonschema would give its
    patterns to ``re`` from several places."""
    from . import schema_subset

    if schema_subset.supports(schema):
        return schema_subset.SubsetValidator(schema, lambda pattern, text: compile(pattern).search(text))
    return _schema_validator_class()(schema)


#: keywords whose value is one subschema, a list of them, or a mapping of names to them (JSON Schema 2020-12)
_ONE = ("additionalProperties", "contains", "else", "if", "items", "not", "propertyNames", "then",
        "unevaluatedItems", "unevaluatedProperties", "additionalItems")
_MANY = ("allOf", "anyOf", "oneOf", "prefixItems")
_NAMED = ("$defs", "definitions", "dependentSchemas", "properties")


def schema_problems(schema, where: str = "schema", budget: CompileBudget | None = None) -> list[tuple[str, str]]:
    """(field path, problem) for what a pack's JSON Schema may not do: a ``pattern`` the safe engine refuses,
    ``patternProperties``, references (``$ref``: to another file, or to itself, looping forever). Walks without
    recursion."""
    problems: list[tuple[str, str]] = []
    stack = [(schema, where)]
    while stack:
        node, path = stack.pop()
        if not isinstance(node, dict):
            continue
        for key in sorted(node):
            value = node[key]
            if key == "pattern" and isinstance(value, str):
                why = check(value, budget=budget)
                if why:
                    problems.append((f"{path}.pattern", f"pattern {shorten(value, 80)} is refused: {why}"))
            elif key == "patternProperties":
                problems.append((f"{path}.patternProperties", "patternProperties is not supported in a pack's "
                                 "schema (its patterns would bypass the safe regular-expression engine); "
                                 "list the properties or use propertyNames with a pattern"))
            elif key in ("$ref", "$dynamicRef", "$recursiveRef"):
                problems.append((f"{path}.{key}", f"{key} is not supported in a pack's schema (a reference can "
                                 "leave the pack or loop forever); write the subschema out"))
            elif key in _ONE:
                stack.append((value, f"{path}.{key}"))
            elif key in _MANY and isinstance(value, list):
                stack.extend((v, f"{path}.{key}[{i}]") for i, v in enumerate(value))
            elif key in _NAMED and isinstance(value, dict):
                stack.extend((v, f"{path}.{key}.{name}") for name, v in value.items())
    problems.sort()
    return problems
