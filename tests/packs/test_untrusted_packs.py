"""Rule packs are untrusted input (issue 8): a pack cannot hang a run, run code, or fail without saying where.

- regular expressions from packs run on RE2 (linear time) or, for what RE2 lacks, on a backtracking engine with a
  time limit; patterns no engine can bound are refused at load time with file, line and rule id;
- the regex translation keeps Python's meaning (Unicode classes, case-insensitivity, anchors), checked here
  against ``re`` itself on every shipped pattern, on every code point and on generated patterns;
- nothing in a pack is evaluated: no Python YAML tags, no format strings that reach attributes, and (checked
  on the package's source) no eval, exec, unsafe YAML loader or regex built from data outside the safe engine;
- a pack that breaks its schema, and a hostile pack file, each get one message with file, line and rule id,
  exit status 2, within a bounded time.
"""

from __future__ import annotations

import ast
import random
import re
import time
from functools import lru_cache
from pathlib import Path

import pytest
from click.testing import CliRunner

from compliance_engine import safe_regex
from compliance_engine.cli import cli
from compliance_engine.errors import ComplianceEngineError, PackError
from compliance_engine.packs.loader import load_packs
from tests.conftest import PASSING_MANIFEST, PRODUCT, ROOT, make_checker, pack_yaml, rule_yaml, write

PACK = "x-acme.untrusted"
RULE = f"{PACK}.name-format"
OTHER_RULE = f"{PACK}.first"


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path, monkeypatch):
    """Run in the test's directory, so messages show pack files as packs/pack.yaml, as a user's relative path."""
    monkeypatch.chdir(tmp_path)


def pack_with(requires: str, *, rule_extra: str = "", extra: str = "") -> str:
    """A pack whose second rule (RULE) has ``requires``; its first rule is a plain valid one."""
    return pack_yaml(PACK, rule_yaml(OTHER_RULE, None, "[{field: {path: product.sku, exists: true}}]")
                     + rule_yaml(RULE, None, requires, extra=rule_extra), markets="[EU]", extra=extra)


def write_claims_table(tmp_path: Path, entries: str) -> Path:
    """A pack directory holding data/claims.yaml with one phrase list (``entries``: ``name: [phrases]``)."""
    d = tmp_path / "packs"
    write(d / "data" / "claims.yaml", "table: claims\ntitle: Claims\nsource: https://example.org/claims\n"
                                      f"as_of: 2026-01-01\nentries:\n  {entries}\n")
    return d


def finding(findings, rule_id=RULE):
    return next((f for f in findings if f.rule == rule_id), None)


def pack_problem(tmp_path: Path, text: str, name: str = "pack.yaml") -> str:
    """The PackError message load_packs gives for a pack directory holding ``text``."""
    d = tmp_path / "packs"
    write(d / name, text)
    with pytest.raises(PackError) as info:
        load_packs([d], include_builtin=False)
    return str(info.value)


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def run_cli(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


# --------------------------------------------------------------------------- 1. regular expressions that cannot hang


def test_catastrophic_matches_pattern_from_a_third_party_pack_finishes_in_milliseconds(tmp_path):
    checker = make_checker(tmp_path, pack_with("[{field: {path: product.name, matches: '(a+)+$'}}]"))
    start = time.perf_counter()
    findings = checker.check(dict(PRODUCT, name="a" * 40 + "!"), market="DE")
    elapsed = time.perf_counter() - start
    assert elapsed < 2, f"{elapsed:.1f} s"  # Python's re takes hours on this text
    f = finding(findings)
    assert f.status == "fail" and "text matching (a+)+$" in f.message
    assert finding(checker.check(dict(PRODUCT, name="aaaa"), market="DE")).status == "pass"


def test_catastrophic_number_matches_and_schema_patterns_finish_in_milliseconds(tmp_path):
    requires = ("[{registration: {type: epr, market: unit, number_matches: '^(\\d+)+$'}},"
                " {schema: {properties: {name: {type: string, pattern: '^(a|aa)+$'}}}}]")
    checker = make_checker(tmp_path, pack_with(requires))
    product = dict(PRODUCT, name="a" * 40 + "!", registrations=[{"type": "epr", "market": "DE", "number": "1" * 40 + "x"}])
    start = time.perf_counter()
    f = finding(checker.check(product, market="DE"))
    assert time.perf_counter() - start < 2
    assert f.status == "fail"
    assert "does not have the expected format" in f.message and "does not match" in f.message


def test_phrase_list_that_would_backtrack_in_python_re_finishes_in_milliseconds(tmp_path):
    """A phrase of twelve {n} in a row is twelve ambiguous digit runs: re tries every split of a long number."""
    d = write_claims_table(tmp_path, 'numbers: ["{n}{n}{n}{n}{n}{n}{n}{n}{n}{n}{n}{n}x", "lose {n} lbs"]')
    write(d / "pack.yaml", pack_with("[{phrases_absent: {table: claims, in: [product.name]}}]",
                                     extra="data: {claims: data/claims.yaml}\n"))
    from compliance_engine import Checker

    checker = Checker(rulepacks=[d], include_builtin=False, as_of="2026-11-24")
    start = time.perf_counter()
    f = finding(checker.check(dict(PRODUCT, name="1" * 60), market="DE"))
    assert time.perf_counter() - start < 2
    assert f.status == "pass"
    f = finding(checker.check(dict(PRODUCT, name="Lose 20 lbs, code 1234567890123x"), market="DE"))
    assert f.status == "fail" and '"Lose 20 lbs"' in f.message and '"1234567890123x"' in f.message


def test_runaway_pattern_on_the_backtracking_engine_stops_at_the_time_limit_naming_the_rule(tmp_path):
    # lookahead needs the backtracking engine; (a|a)+ then tries 2**40 ways
    checker = make_checker(tmp_path, pack_with("[{field: {path: product.name, matches: '^(?!z)(a|a)+$'}}]"))
    start = time.perf_counter()
    with pytest.raises(ComplianceEngineError) as info:
        checker.check(dict(PRODUCT, name="a" * 40 + "!"), market="DE")
    assert time.perf_counter() - start < safe_regex.TIME_LIMIT_S + 2  # the regex module overshoots its limit a little
    assert RULE in str(info.value) and f"took longer than {safe_regex.TIME_LIMIT_S:g} s" in str(info.value)


@pytest.mark.parametrize("mode", [[], ["--jobs", "2"], ["--format", "jsonl"]], ids=["serial", "jobs", "jsonl"])
def test_a_runaway_pattern_met_while_checking_is_exit_2_naming_pack_file_line_and_rule(tmp_path, mode):
    import json
    import subprocess
    import sys

    text = pack_with("[{field: {path: product.name, matches: '^(?!z)(a|a)+$'}}]")
    write(tmp_path / "packs" / "pack.yaml", text)
    write(tmp_path / "p.yaml", json.dumps(dict(PRODUCT, name="a" * 40 + "!")))
    out = tmp_path / "report.out"
    run = subprocess.run([sys.executable, "-m", "compliance_engine", "check", "p.yaml", "--rulepacks", "packs",
                          "--pack", PACK, "--as-of", "2026-11-24", "--output", str(out), *mode],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    (line,) = [x for x in run.stderr.splitlines() if x.strip()]
    assert line.startswith(f"compliance-engine: packs/pack.yaml:{line_of(text, RULE)}: rule {RULE}: ")
    assert not out.exists()


def test_lookaround_and_unicode_word_boundaries_in_a_pack_pattern_work_as_in_python(tmp_path):
    checker = make_checker(tmp_path, pack_with(r"[{field: {path: product.name, matches: '(?<!coconut )\bmilk\b'}}]"))
    outcomes = {name: finding(checker.check(dict(PRODUCT, name=name), market="DE")).status
                for name in ("Whole milk", "Coconut milk", "milkshake", "sữa milk", "milké", "ミルクmilk")}
    assert outcomes == {"Whole milk": "pass", "Coconut milk": "fail", "milkshake": "fail", "sữa milk": "pass",
                        "milké": "fail", "ミルクmilk": "fail"}


@pytest.mark.parametrize("pattern,reason", [
    (r"^(\w+)-\1$", "backreference"),
    (r"^(?P<x>a)(?(x)b|c)$", "conditional group"),
    (r"^\d{2000}$", "repeat count of 2000"),
    (r"[^\W\d]+", "[^...] class that also holds"),
])
def test_pattern_no_engine_can_bound_is_a_pack_error_with_file_line_and_rule(tmp_path, pattern, reason):
    text = pack_with(f"[{{registration: {{type: epr, market: unit, number_matches: '{pattern}'}}}}]")
    message = pack_problem(tmp_path, text)
    assert message.startswith(f"packs/pack.yaml:{line_of(text, 'number_matches')}: rule {RULE}: ")
    assert "number_matches: regular expression" in message and reason in message


def test_backreference_pattern_is_refused_by_packs_validate_and_check_with_exit_2(tmp_path):
    text = pack_with(r"[{field: {path: product.name, matches: '^(\w+) \1$'}}]")
    d = write(tmp_path / "packs" / "pack.yaml", text).parent
    manifest = write(tmp_path / "ok.yaml", PASSING_MANIFEST)
    for args in (["packs", "validate", d], ["check", "--rulepacks", d, manifest]):
        result = run_cli(*args)
        assert result.exit_code == 2, result.output
        assert result.stdout == ""
        assert f"packs/pack.yaml:{line_of(text, 'matches')}: rule {RULE}:" in result.stderr
        assert "backreference" in result.stderr and "Traceback" not in result.stderr


def test_pattern_too_costly_to_compile_is_refused_before_it_is_compiled(tmp_path):
    """RE2 writes out every {n} repeat, and each copy of \\w is a large Unicode class: \\w{1000} would take a second."""
    text = pack_with(r"[{field: {path: product.name, matches: '^\w{1000}$'}}]")
    start = time.perf_counter()
    message = pack_problem(tmp_path, text)
    assert time.perf_counter() - start < 2
    assert message.startswith(f"packs/pack.yaml:{line_of(text, 'matches')}: rule {RULE}: ")
    assert "too costly to compile" in message and f"the limit is {safe_regex.MAX_PATTERN_COST // 1000:,} ms" in message


def test_pack_of_many_costly_patterns_stops_at_the_pack_budget(tmp_path):
    """Each pattern is within its own limit; together they would take minutes to compile. The pack is refused
    once its budget (about two seconds of work) is spent, whatever the number of patterns after that."""
    rules = "".join(rule_yaml(f"{PACK}.r{i}", None, f"[{{field: {{path: product.name, matches: '^\\w{{80}}{i}$'}}}}]")
                    for i in range(400))
    text = pack_yaml(PACK, rules, markets="[EU]")
    start = time.perf_counter()
    message = pack_problem(tmp_path, text)
    assert time.perf_counter() - start < 8  # 400 x 80 ms without the budget
    over = safe_regex.MAX_PACK_COST // safe_regex.compile_cost(r"^\w{80}100$", True)  # the first rule over it
    assert f"rule {PACK}.r{over}: rules[{over}].requires[0].field.matches:" in message
    assert "too costly to compile together" in message
    assert message.count("\n") == 0  # one problem, for the first pattern over the budget


def test_phrase_list_too_costly_to_compile_is_a_pack_error(tmp_path):
    d = tmp_path / "packs"
    words = ", ".join(f'"w{i}*"' for i in range(600))  # 600 x "any ending" = 600 copies of \w
    write(d / "data" / "claims.yaml", f"""\
        table: claims
        title: Claims
        source: https://example.org/claims
        as_of: 2026-01-01
        entries:
          words: [{words}]
        """)
    text = pack_with("[{phrases_absent: {table: claims, in: [product.name]}}]", extra="data: {claims: data/claims.yaml}\n")
    write(d / "pack.yaml", text)
    start = time.perf_counter()
    with pytest.raises(PackError) as info:
        load_packs([d], include_builtin=False)
    assert time.perf_counter() - start < 2
    assert f"rule {RULE}:" in str(info.value) and "phrase list 'words' of table 'claims' is too costly" in str(info.value)


def test_compiled_rulesets_hold_no_durable_rules_regex_condition():
    """durable-rules matches $mt/$imt with its own regex engine: the compiler never emits them, so pack text
    never reaches it as a pattern."""
    from compliance_engine.packs.cache import load_compiled

    _, compiled = load_compiled()
    operators: set[str] = set()
    stack = [r.definition for r in compiled.derive + compiled.groups]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            operators.update(k for k in node if k.startswith("$"))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    assert operators and not operators & {"$mt", "$imt"}, sorted(operators)


@pytest.mark.parametrize("schema,problem", [
    ("{patternProperties: {'^x-': {type: string}}}", "patternProperties is not supported"),
    ("{properties: {name: {pattern: '(a)\\1'}}}", "backreference"),
    ("{properties: {name: {$ref: 'https://example.org/evil.json'}}}", "$ref is not supported"),
    ("{allOf: [{$ref: '#'}]}", "$ref is not supported"),  # would recurse forever on any product
])
def test_schema_requirement_that_would_bypass_the_safe_engine_is_refused(tmp_path, schema, problem):
    text = pack_with(f"[{{schema: {schema}}}]")
    message = pack_problem(tmp_path, text)
    assert message.startswith(f"packs/pack.yaml:{line_of(text, 'schema:')}: rule {RULE}: ")
    assert problem in message


# --------------------------------------------------------------------------- the translation keeps Python's meaning


def _yaml_documents(path: Path) -> list:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return list(yaml.load_all(path.read_text(encoding="utf-8"), Loader=loader))
    except yaml.YAMLError:
        return []


@lru_cache(maxsize=1)
def _shipped_patterns() -> list[tuple[str, bool]]:

    found: set[tuple[str, bool]] = set()

    def walk(value, parent=None):
        if isinstance(value, dict):
            for key, v in value.items():
                if key in ("matches", "number_matches") and isinstance(v, str) and parent != "properties":
                    found.add((v, True))  # case-insensitive, as the checks search them
                elif key == "pattern" and isinstance(v, str):
                    found.add((v, False))  # JSON Schema: case-sensitive
                walk(v, key)
        elif isinstance(value, list):
            for v in value:
                walk(v, parent)

    for f in sorted((ROOT / "rulepacks").rglob("*.yaml")):
        if "fixtures" not in f.parts and "data" not in f.parts:
            for doc in _yaml_documents(f):
                walk(doc)
    return sorted(found)


@lru_cache(maxsize=1)
def _manifest_strings() -> list[str]:
    """Every string of the repository's manifests and of the shipped packs' fixtures."""
    found: set[str] = set()

    def walk(value):
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, str):
            found.add(value)

    for top in ("products", "examples", "rulepacks"):
        for f in sorted((ROOT / top).rglob("*.yaml")):
            if top == "rulepacks" and "fixtures" not in f.parts:
                continue
            for doc in _yaml_documents(f):
                walk(doc)
    return sorted(found)


# text where ASCII-only classes or boundaries, a lost final newline or other case folding would differ from re
UNICODE_SAMPLES = ["5 gói", "500g đường", "Made in Việt Nam", "中China", "China中", "Chinaé", "ไทยThailand",
                   "Thailandไทย", "GB123456789\n", "GB123456789\n\n", "", "\n", "coconut milk", "Coconut Milk, milk",
                   "peanut oil, peanuts", "cream of tartar", "bamboo rayon", "vitaminé A", "ชา 500 มล.", "1\u00a0ml",
                   "5\u2009g", "१२३ g", "๕ ml", "ſ", "\u212a", "ｇ", "ﬁ", "İstanbul", "ısı", "ΣΑΣ", "ß", "\ud800x"]


def test_every_shipped_pattern_compiles_and_matches_exactly_as_python_re_does():
    patterns = _shipped_patterns()
    texts = _manifest_strings() + UNICODE_SAMPLES
    assert len(patterns) > 90 and len(texts) > 1000
    engines = {}
    for pattern, ignore_case in patterns:
        safe = safe_regex.compile(pattern, ignore_case)
        engines[safe.engine] = engines.get(safe.engine, 0) + 1
        python = re.compile(pattern, re.IGNORECASE if ignore_case else 0)
        differ = [t for t in texts if bool(python.search(t)) != safe.search(t)]
        assert not differ, (pattern, differ[:5])
    assert engines["re2"] and engines["backtracking"]  # both engines are exercised by the shipped packs


def _all_code_points() -> str:
    return "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, 0x110000)))


def test_python_classes_word_digit_space_are_kept_on_every_assigned_code_point():
    import unicodedata

    import re2

    assigned = "".join(c for c in _all_code_points() if unicodedata.category(c) != "Cn")
    options = safe_regex._re2_options()
    classes = {r"\w": f"[{safe_regex._WORD}]", r"\d": f"[{safe_regex._DIGIT}]",
               r"\s": "[" + "".join(f"\\x{{{c:x}}}" for c in safe_regex._SPACE_CODES) + "]"}
    for python, translated in classes.items():
        expected = re.findall(python, assigned)
        got = [m.decode() for m in re2.compile(translated, options).findall(assigned.encode("utf-8", "surrogatepass"))]
        assert got == expected, python


def test_case_insensitive_letters_match_what_python_matches_including_the_turkish_i():
    cased = [c for c in map(chr, range(0x30000)) if not "\ud800" <= c <= "\udfff"
             and (c.lower() != c or c.upper() != c or c.title() != c)]
    for c in cased:
        candidates = {c, c.lower()[0], c.upper()[0], c.title()[0], c.casefold()[0], "i", "I", "\u0130", "\u0131",
                      "s", "\u017f", "k", "\u212a"}
        safe = safe_regex.compile(re.escape(c), ignore_case=True)
        for d in sorted(candidates):
            assert safe.search(d) == bool(re.search(re.escape(c), d, re.IGNORECASE)), (c, d)
        in_class = safe_regex.compile(f"[{re.escape(c)}]", ignore_case=True)
        assert all(in_class.search(d) == bool(re.search(f"[{re.escape(c)}]", d, re.IGNORECASE)) for d in candidates)


_ATOMS = ["a", "b", "A", "s", "k", "i", "é", "ß", "中", "ไ", "\u0e31", "5", "๕", " ", "\\n", "-", "_", ".", r"\w",
          r"\W", r"\d", r"\D", r"\s", r"\S", r"\b", r"\B", "^", "$", r"\A", r"\Z", "[a-c]", "[^a]", r"[\w-]",
          r"[\W\d]", r"[^\s]", "[é-ê]", r"\.", "İ", "[r-t]", "[^k]"]
_TEXT = "aAbBéÉßẞ中ไั5๕ _-.\n\t\u00a0\u2028xyzKſKkSsİıIiΣσς"


def _generated_pattern(rnd: random.Random, depth: int = 0) -> str:
    out = []
    for _ in range(rnd.randint(1, 4)):
        r = rnd.random()
        if r < 0.55 or depth > 2:
            out.append(rnd.choice(_ATOMS))
        elif r < 0.7:
            out.append(f"({_generated_pattern(rnd, depth + 1)}|{_generated_pattern(rnd, depth + 1)})")
        elif r < 0.8:
            out.append(f"(?:{_generated_pattern(rnd, depth + 1)})" + rnd.choice(["*", "+", "?", "{2}", "{1,3}", "*?", "+?"]))
        elif r < 0.87:
            out.append(rnd.choice(["(?=", "(?!", "(?<=", "(?<!"]) + rnd.choice(_ATOMS[:16]) + ")")
        elif r < 0.93:
            out.append(rnd.choice(["(?i:", "(?-i:", "(?s:", "(?m:"]) + _generated_pattern(rnd, depth + 1) + ")")
        else:
            out.append(rnd.choice(["(?>", "(?:"]) + _generated_pattern(rnd, depth + 1) + ")")
    return "".join(out)


def test_generated_patterns_match_exactly_as_python_re_does_or_are_refused():
    rnd = random.Random(8)
    compared = refused = 0
    for _ in range(1500):
        pattern = rnd.choice(["", "", "", "(?a)", "(?s)", "(?m)"]) + _generated_pattern(rnd)
        ignore_case = rnd.random() < 0.5
        try:
            python = re.compile(pattern, re.IGNORECASE if ignore_case else 0)
        except re.error:
            continue
        try:
            safe = safe_regex.SafePattern(pattern, ignore_case)
        except safe_regex.UnsafePattern:
            refused += 1
            continue
        for _ in range(12):
            text = "".join(rnd.choice(_TEXT) for _ in range(rnd.randint(0, 8)))
            assert safe.search(text) == bool(python.search(text)), (pattern, ignore_case, text, safe.engine)
            compared += 1
    assert compared > 12000 and refused < compared / 100


def _python_phrase_list(bodies: list[str]):
    """How phrase lists were matched before the safe engine: Python's re with lookbehind and lookahead."""
    return re.compile(r"(?<!\w)(?:" + "|".join(bodies) + r")(?!\w)", re.IGNORECASE)


def test_shipped_phrase_lists_find_the_same_phrases_at_the_same_places_as_before():
    import unicodedata

    from compliance_engine.requirements import _list_regex, _phrase_body, expand_phrase_list

    lists = []
    for f in sorted((ROOT / "rulepacks").rglob("data/*.yaml")):
        entries = (_yaml_documents(f) or [{}])[0].get("entries")
        if isinstance(entries, dict) and all(isinstance(v, list) and all(isinstance(p, str) for p in v)
                                             for v in entries.values()):
            lists += [expand_phrase_list(entries, name) for name in sorted(entries)]
    assert len(lists) > 40
    rnd = random.Random(3)
    texts = [unicodedata.normalize("NFKC", t) for t in _manifest_strings() + UNICODE_SAMPLES]
    for phrases in lists:
        bodies = sorted({_phrase_body(p) for p in phrases}, key=lambda b: (-len(b), b))
        before, now = _python_phrase_list(bodies), _list_regex(phrases)
        # each phrase of the list, written as text, with letters, digits, Thai marks or punctuation around it
        samples = []
        for p in phrases[:40]:
            p = p.replace("{n}", str(rnd.randint(1, 99))).replace("*", rnd.choice(["", "ing"]))
            samples += [f"x{p}", f"{p}x", f"中{p}", f"{p}\u0e31", f"-{p}-", f"{p} {p.upper()}", f"{p}{p}", f"é{p}"]
        for text in texts + [unicodedata.normalize("NFKC", s) for s in samples]:
            assert [(m.group(0), m.start(), m.end()) for m in now.finditer(text)] == \
                   [(m.group(0), m.start(), m.end()) for m in before.finditer(text)], (phrases[:3], text)
            blank = lambda m: " " * len(m.group(0))  # noqa: E731
            assert now.sub(blank, text) == before.sub(blank, text)


def test_generated_phrase_lists_find_the_same_phrases_as_before():
    from compliance_engine.requirements import _list_regex, _phrase_body

    words = ["a", "ab", "é", "中", "ไท", "x", "1", "-", "&", "a*", "b*", "{n}", "x{n}", "{n}%", "!", "ſ", "i", "İ", "ß"]
    chars = "abéx中ไท1 .-&!%\u0e31İiıſßKk\t\n"
    rnd = random.Random(5)
    for _ in range(300):
        phrases = [" ".join(rnd.choice(words) for _ in range(rnd.randint(1, 3))) for _ in range(rnd.randint(1, 5))]
        before = _python_phrase_list(sorted({_phrase_body(p) for p in phrases}, key=lambda b: (-len(b), b)))
        now = _list_regex(phrases)
        for _ in range(25):
            text = "".join(rnd.choice(chars) for _ in range(rnd.randint(0, 14)))
            assert [(m.group(0), m.start()) for m in now.finditer(text)] == \
                   [(m.group(0), m.start()) for m in before.finditer(text)], (phrases, text)


def test_safe_patterns_and_phrase_lists_survive_pickling_for_worker_processes():
    import pickle

    from compliance_engine.requirements import phrase_pattern

    pattern = pickle.loads(pickle.dumps(safe_regex.compile(r"(?<!x)\bab\b", True)))
    assert pattern.search("AB c") and not pattern.search("xab")
    phrases = pickle.loads(pickle.dumps(phrase_pattern("made in usa")))
    assert phrases.search("Made in USA!") and not phrases.search("made in usable")


def test_a_blank_phrase_is_a_pack_error(tmp_path):
    d = write_claims_table(tmp_path, 'words: ["natural", "   "]')
    text = pack_with("[{phrases_absent: {table: claims, in: [product.name]}}]", extra="data: {claims: data/claims.yaml}\n")
    write(d / "pack.yaml", text)
    with pytest.raises(PackError) as info:
        load_packs([d], include_builtin=False)
    assert f"rule {RULE}:" in str(info.value) and "holds a blank phrase" in str(info.value)


def test_a_data_table_linked_from_outside_the_pack_is_not_read(tmp_path):
    """A third-party pack cannot read the user's other files through a symbolic link in its data/ directory:
    the table is refused, with its file, before anything is read (a secret never reaches a message)."""
    secret = tmp_path / "elsewhere" / "claims.yaml"
    write(secret, "table: claims\ntitle: SECRET-TITLE\nsource: https://example.org\nas_of: 2026-01-01\n"
                  "entries:\n  words: [natural]\n")
    d = tmp_path / "packs"
    (d / "data").mkdir(parents=True)
    (d / "data" / "claims.yaml").symlink_to(secret)
    text = pack_with("[{phrases_absent: {table: claims, in: [product.name]}}]", extra="data: {claims: data/claims.yaml}\n")
    write(d / "pack.yaml", text)
    with pytest.raises(PackError) as info:
        load_packs([d], include_builtin=False)
    message = str(info.value)
    assert "packs/data/claims.yaml:1:" in message and "leads outside the pack's directory" in message
    assert "SECRET" not in message
    result = run_cli("packs", "validate", d)
    assert result.exit_code == 2 and "leads outside the pack's directory" in result.output
    (d / "data" / "claims.yaml").unlink()  # a link that stays inside the pack is followed as before
    write(d / "data" / "all-claims.yaml", secret.read_text(encoding="utf-8"))
    (d / "data" / "claims.yaml").symlink_to(d / "data" / "all-claims.yaml")
    assert load_packs([d], include_builtin=False).packs[0].tables["claims"].title == "SECRET-TITLE"


# --------------------------------------------------------------------------- 2. nothing in a pack is evaluated


@pytest.mark.parametrize("tag", [
    '!!python/object/apply:os.system ["touch {marker}"]',
    '!!python/object/new:os.system ["touch {marker}"]',
    "!!python/name:os.system",
    '!!python/object/apply:subprocess.check_call [["touch", "{marker}"]]',
])
def test_python_yaml_tag_in_a_pack_is_refused_with_file_line_and_rule_and_runs_nothing(tmp_path, tag):
    marker = tmp_path / "pwned"
    text = pack_with("[]", rule_extra="    message: " + tag.format(marker=marker))
    message = pack_problem(tmp_path, text)
    assert message.startswith(f"packs/pack.yaml:{line_of(text, 'message:')}: rule {RULE}: YAML tag")
    assert "is not allowed" in message
    result = run_cli("packs", "validate", tmp_path / "packs")
    assert result.exit_code == 2 and "is not allowed" in result.stderr
    assert not marker.exists()


def test_format_fields_in_pack_messages_are_printed_not_evaluated(tmp_path):
    template = "{sku} in {market}: {0.__class__.__mro__} {x.__globals__} {sku.__class__} {market!r:>20} {failed}"
    checker = make_checker(tmp_path, pack_with("[{field: {path: product.name, exists: true}}]",
                                               rule_extra=f'    message: "{template}"'))
    f = finding(checker.check(PRODUCT, market="DE"))
    # the known placeholders filled in, everything else printed as written
    assert f.message.startswith("P-1 in DE: {0.__class__.__mro__} {x.__globals__} {sku.__class__} {market!r:>20} ")
    assert f.message.endswith(": missing name")  # {failed}
    assert "<class" not in f.message and "<function" not in f.message and "builtins" not in f.message


def _package_sources():
    for path in sorted((ROOT / "compliance_engine").rglob("*.py")):
        yield path.relative_to(ROOT).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def _dotted(node) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def test_no_code_path_evaluates_text_eval_exec_or_builds_code():
    found = []
    for name, tree in _package_sources():
        own = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                if node.func.id in ("eval", "exec", "__import__") or (node.func.id == "compile" and "compile" not in own):
                    found.append(f"{name}:{node.lineno} {node.func.id}()")
            if isinstance(node, ast.Call) and _dotted(node.func) in ("builtins.eval", "builtins.exec", "code.interact",
                                                                   "runpy.run_path", "runpy.run_module"):
                found.append(f"{name}:{node.lineno} {_dotted(node.func)}()")
    assert not found, found


def test_no_unsafe_yaml_loader_anywhere_in_the_package():
    unsafe = {"yaml.load", "yaml.load_all", "yaml.unsafe_load", "yaml.unsafe_load_all", "yaml.full_load",
              "yaml.full_load_all", "yaml.Loader", "yaml.UnsafeLoader", "yaml.FullLoader", "yaml.CLoader",
              "yaml.CUnsafeLoader", "yaml.CFullLoader", "yaml.constructor.UnsafeConstructor",
              "yaml.constructor.FullConstructor", "yaml.constructor.Constructor"}
    found = [f"{name}:{node.lineno} {_dotted(node)}" for name, tree in _package_sources() for node in ast.walk(tree)
             if isinstance(node, ast.Attribute) and _dotted(node) in unsafe]
    found += [f"{name}:{node.lineno} from yaml import {a.name}" for name, tree in _package_sources()
              for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("yaml")
              for a in node.names if f"yaml.{a.name}" in unsafe or a.name in ("load", "unsafe_load", "full_load")]
    assert not found, found


def test_no_format_string_is_built_from_data():
    """str.format and format_map read attributes and items ({0.__class__}); only literal templates may use them."""
    found = []
    for name, tree in _package_sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr == "format_map" or (node.func.attr == "format" and not (
                        isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str))):
                    found.append(f"{name}:{node.lineno} .{node.func.attr}()")
            if isinstance(node, ast.Attribute) and _dotted(node) == "string.Template":
                found.append(f"{name}:{node.lineno} string.Template")
    assert not found, found


def test_regular_expressions_built_from_data_go_through_the_safe_engine():
    """Every re/regex call in the package has a literal pattern, except the listed ones that never see a pack."""
    functions = {"compile", "search", "match", "fullmatch", "findall", "finditer", "sub", "subn", "split"}
    allowed = {
        # waiver file ids (the repository's own waivers, never a pack) via fnmatch.translate, which CPython
        # writes without nested repeats
        ("compliance_engine/waivers.py", "re.compile"),
        # the safe engine itself: RE2 (linear time) and regex with a time limit
        ("compliance_engine/safe_regex.py", "re2.compile"),
        ("compliance_engine/safe_regex.py", "regex.compile"),
    }
    found = []
    for name, tree in _package_sources():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            called = _dotted(node.func)
            module = called.rsplit(".", 1)[0]
            if module in ("re", "regex", "re2") and node.func.attr in functions and node.args:
                literal = isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, (str, bytes))
                if not literal and (name, called) not in allowed:
                    found.append(f"{name}:{node.lineno} {called}")
    assert not found, found


# --------------------------------------------------------------------------- 3. schema errors name file, line, rule


SCHEMA_CASES = {
    "unknown key in a rule": (pack_with("[]", rule_extra="    colour: red"), f"- id: {RULE}",
                              "Additional properties are not allowed ('colour' was unexpected)"),
    "wrong type": (pack_with("[]").replace(f"title: Rule {RULE}", f"title: [Rule {RULE}]"), f"title: [Rule {RULE}]",
                   "is not of type 'string'"),
    "impossible date in effective": (pack_with("[]").replace("effective: {from: 2020-01-01}\n    requires: []",
                                                             "effective: {from: 2026-02-30}\n    requires: []"),
                                     "effective: {from: 2026-02-30}", "is not a valid date (day is out of range"),
    "text for a date in effective": (pack_with("[]").replace("effective: {from: 2020-01-01}\n    requires: []",
                                                             "effective: {from: 'soon'}\n    requires: []"),
                                     "effective: {from: 'soon'}", "'soon' is not a 'date'"),
    "condition of the wrong shape": (pack_with("[]", rule_extra="    when: {field: product.category, equals: toy, in: [a]}"),
                                     "when:", "when (rule x-acme.untrusted.name-format): takes exactly one of these "
                                              "keys, but has equals and in"),
    "condition without an operator": (pack_with("[]", rule_extra="    when: {field: product.category}"), "when:",
                                      "takes exactly one of these keys: exists, equals, in, under"),
    "condition with an unknown key": (pack_with("[]", rule_extra="    when: {all: [{fact: a}], colour: red}"),
                                      "when:", "Additional properties are not allowed ('colour' was unexpected)"),
    "condition as a list": (pack_with("[]", rule_extra="    when: [fact-a, fact-b]"), "when:", "is not of type 'object'"),
}


@pytest.mark.parametrize("case", sorted(SCHEMA_CASES))
def test_pack_breaking_its_schema_names_file_line_and_rule_through_the_library(tmp_path, case):
    text, needle, words = SCHEMA_CASES[case]
    message = pack_problem(tmp_path, text)
    assert message.startswith(f"packs/pack.yaml:{line_of(text, needle)}: "), message
    assert f"rule {RULE}" in message and words in message
    assert OTHER_RULE not in message


@pytest.mark.parametrize("case", sorted(SCHEMA_CASES))
def test_pack_breaking_its_schema_is_exit_2_with_one_line_naming_file_line_and_rule_from_packs_validate(tmp_path, case):
    text, needle, words = SCHEMA_CASES[case]
    d = write(tmp_path / "packs" / "pack.yaml", text).parent
    result = run_cli("packs", "validate", d)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith(f"compliance-engine: packs/pack.yaml:{line_of(text, needle)}: ")
    assert f"rule {RULE}" in result.stderr and words in result.stderr


def test_packs_breaking_their_schema_stop_check_with_exit_2_and_nothing_written(tmp_path):
    """``check --rulepacks`` over one directory per case (the shipped packs load once): a line for each."""
    manifest = write(tmp_path / "ok.yaml", PASSING_MANIFEST)
    args = ["check"]
    for i, case in enumerate(sorted(SCHEMA_CASES)):
        args += ["--rulepacks", write(tmp_path / f"packs{i}" / "pack.yaml", SCHEMA_CASES[case][0]).parent]
    result = run_cli(*args, manifest, "--format", "json", "--output", tmp_path / "report.json")
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "report.json").exists()
    lines = result.stderr.splitlines()
    assert len(lines) == len(SCHEMA_CASES)
    for i, case in enumerate(sorted(SCHEMA_CASES)):
        text, needle, words = SCHEMA_CASES[case]
        [line] = [x for x in lines if f"packs{i}/pack.yaml:" in x]
        assert f"packs{i}/pack.yaml:{line_of(text, needle)}: " in line and f"rule {RULE}" in line and words in line


# --------------------------------------------------------------------------- 4. hostile pack files


def _hostile(tmp_path: Path, kind: str) -> Path:
    d = tmp_path / "packs"
    d.mkdir(parents=True)
    f = d / "pack.yaml"
    if kind == "10,000-deep nesting":
        f.write_text(pack_with("[]") + "    tags: " + "[" * 10_000 + "]" * 10_000 + "\n", encoding="utf-8")
    elif kind == "alias bomb":
        lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
        lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
        f.write_text("\n".join(lines) + "\n" + pack_with("[]"), encoding="utf-8")
    elif kind == "huge file":
        with open(f, "wb") as fh:
            fh.write(pack_with("[]").encode())
            fh.truncate(300 * 1024 * 1024)  # sparse: 300 MiB that take no disk
    elif kind == "20 KB regex":
        f.write_text(pack_with(f"[{{schema: {{properties: {{name: {{pattern: '{'(a|b)' * 4_096}'}}}}}}}}]"),
                     encoding="utf-8")
    elif kind == "100 KB regex":
        f.write_text(pack_with(f"[{{schema: {{properties: {{name: {{pattern: '{'(a|b)' * 20_480}'}}}}}}}}]"),
                     encoding="utf-8")
    return d


HOSTILE = {
    "10,000-deep nesting": "nesting deeper than",
    "alias bomb": "alias",
    "huge file": "MiB",
    "100 KB regex": "102,400 characters",  # longer than any value may be
    "20 KB regex": f"20,480 characters long; the limit is {safe_regex.MAX_PATTERN_LENGTH:,}",
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_pack_file_is_one_clear_error_in_bounded_time(tmp_path, kind):
    d = _hostile(tmp_path, kind)
    start = time.perf_counter()
    with pytest.raises(PackError) as info:
        load_packs([d], include_builtin=False)
    assert time.perf_counter() - start < 2
    [problem] = info.value.problems
    assert problem.file == "packs/pack.yaml" and problem.line >= 1
    assert HOSTILE[kind] in problem.message, problem.message
    if kind.endswith("KB regex"):
        assert f"rule {RULE}" in problem.message and len(problem.message) < 400


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_pack_file_is_exit_2_with_one_line_from_packs_validate(tmp_path, kind):
    d = _hostile(tmp_path, kind)
    result = run_cli("packs", "validate", d)
    assert result.exit_code == 2, result.output
    [line] = result.stderr.splitlines()
    assert line.startswith("compliance-engine: packs/pack.yaml:") and HOSTILE[kind] in line


def test_hostile_pack_files_stop_check_with_exit_2_naming_each(tmp_path):
    manifest = write(tmp_path / "ok.yaml", PASSING_MANIFEST)
    args = ["check"]
    for i, kind in enumerate(sorted(HOSTILE)):
        d = _hostile(tmp_path / f"case{i}", kind)
        args += ["--rulepacks", d]
    start = time.perf_counter()
    result = run_cli(*args, manifest)
    assert time.perf_counter() - start < 20  # the shipped packs are loaded and checked too
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == len(HOSTILE)
    for i, kind in enumerate(sorted(HOSTILE)):
        [line] = [x for x in lines if f"case{i}/packs/pack.yaml:" in x]
        assert HOSTILE[kind] in line and "Traceback" not in line


def test_the_pack_format_documents_the_engines_limits_as_they_are():
    text = (ROOT / "docs" / "rulepack-format.md").read_text(encoding="utf-8")
    section = " ".join(text.split("## What a pack can and cannot do", 1)[1].split("\n## ", 1)[0].split())
    for figure in (f"{safe_regex.TIME_LIMIT_S:g} s per search", f"above {safe_regex.MAX_REPEAT:,}",
                   f"longer than {safe_regex.MAX_PATTERN_LENGTH:,} characters", f"more than {safe_regex.MAX_NESTING} levels",
                   f"about {safe_regex.MAX_PATTERN_COST // 1000} ms", f"about {safe_regex.MAX_PACK_COST // 1000:,} ms"):
        assert figure in section, figure
