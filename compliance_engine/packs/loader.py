"""Read rule packs from directories: safe YAML, JSON Schema validation, semantic checks.

Loading a pack never runs anything from it: the YAML is read with the safe loader of
``yamlsource`` (no tags beyond the core types), validated against ``PACK_SCHEMA``, and turned into
plain dataclasses. Every problem names the file, the line and, where there is one, the rule id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from .. import safe_regex
from ..errors import InputProblem, PackError
from ..markets import expand_markets
from ..version import __version__
from ..yamlsource import Document, ReadError, parse_documents, read_text, shorten
from .conditions import TRUE, All, Has, Market, facts_used, negated_facts, parse_condition, to_dnf
from .model import DataTable, DeriveRule, Pack, Requirement, Rule
from .schema import DATA_TABLE_SCHEMA, PACK_SCHEMA

SKIP_DIRS = {"data", "fixtures"}


def builtin_packs_dir() -> Path:
    """The packs shipped with the tool: inside the installed package, or the repo's rulepacks/."""
    here = Path(__file__).resolve().parent.parent
    inside = here / "rulepacks"
    return inside if inside.is_dir() else here.parent / "rulepacks"


@dataclass
class PackSet:
    packs: list[Pack] = field(default_factory=list)
    _vocabulary: set[str] | None = field(default=None, repr=False, compare=False)

    def vocabulary_keys(self) -> set[str]:
        """Every string the packs name (for unknown-key warnings); computed once."""
        if self._vocabulary is None:
            from ..vocabulary import pack_keys

            self._vocabulary = pack_keys(self)
        return self._vocabulary

    @property
    def rules(self) -> list[Rule]:
        return [r for p in self.packs for r in p.rules]

    def rule(self, rule_id: str) -> Rule | None:
        for r in self.rules:
            if r.id == rule_id:
                return r
        return None

    @property
    def digest(self) -> str:
        h = hashlib.sha256(__version__.encode())
        for p in self.packs:
            h.update(p.digest.encode())
        return h.hexdigest()[:16]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _display(p: Path) -> str:
    rel = os.path.relpath(p)
    return str(p) if rel.startswith("..") else rel.replace(os.sep, "/")


def pack_files(directory: Path) -> list[Path]:
    out = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith(".") and d != "__pycache__")
        out.extend(Path(root) / f for f in sorted(files) if f.endswith((".yaml", ".yml")) and not f.startswith("."))
    return sorted(out)


@lru_cache(maxsize=4)
def _validators():
    import jsonschema

    return (jsonschema.Draft202012Validator(PACK_SCHEMA, format_checker=jsonschema.FormatChecker()),
            jsonschema.Draft202012Validator(DATA_TABLE_SCHEMA, format_checker=jsonschema.FormatChecker()))


def _specific_error(err):
    """For a oneOf/anyOf error, the sub-error that says what is wrong. The alternatives a value does not even
    name (a condition without an ``all`` key is no ``all`` condition) are set aside when exactly one
    alternative is left: the one the author meant; then the deepest of its errors, looked into the same way."""
    while err.context and not _one_key_alternatives(err):
        branches: dict[Any, list] = {}
        for e in err.context:
            branches.setdefault(e.relative_schema_path[0], []).append(e)
        meant = [errors for errors in branches.values()
                 if not any(e.validator == "required" and not e.relative_path for e in errors)]
        err = max(meant[0] if len(meant) == 1 else err.context, key=lambda e: len(e.absolute_path))
    return err


def _one_key_alternatives(err) -> list[str] | None:
    """The keys of a "takes exactly one of these keys" rule (a condition's operator, a requirement's kind):
    a oneOf of ``{required: [key]}`` alternatives."""
    alternatives = err.validator_value if err.validator == "oneOf" else None
    if (isinstance(alternatives, list) and isinstance(err.instance, dict) and alternatives
            and all(isinstance(a, dict) and list(a) == ["required"] and len(a["required"]) == 1 for a in alternatives)):
        return [a["required"][0] for a in alternatives]
    return None


def _error_message(err) -> str:
    """jsonschema's message, except for "takes exactly one of these keys", which it words as "... is valid under
    each of {'required': [...]}, ..." or as "'<first key>' is a required property"."""
    keys = _one_key_alternatives(err)
    if keys is None:
        return err.message
    present = [k for k in keys if k in err.instance]
    if present:
        return f"takes exactly one of these keys, but has {' and '.join(present)}"
    return f"takes exactly one of these keys: {', '.join(keys)}; it has none"


def _schema_problems(validator, value: Any, doc: Document, display: str, rules: list | None = None) -> list[InputProblem]:
    problems = []
    for err in sorted(validator.iter_errors(value), key=lambda e: list(map(str, e.absolute_path))):
        best = _specific_error(err)
        path = ""
        for part in best.absolute_path:
            path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
        rule_note = ""
        ap = list(best.absolute_path)
        if rules is not None and len(ap) >= 2 and ap[0] == "rules" and isinstance(ap[1], int) and ap[1] < len(rules):
            rid = rules[ap[1]].get("id") if isinstance(rules[ap[1]], dict) else None
            if rid:
                rule_note = f" (rule {rid})"
        where = path or "(top level)"
        hint = ""
        if "('true' was unexpected)" in best.message or "('false' was unexpected)" in best.message:
            hint = " (YAML reads a bare on, off, yes, no, y or n as true/false: quote the key)"
        problems.append(InputProblem(display, doc.line_of(path), f"{where}{rule_note}: {_error_message(best)}{hint}"))
    return problems


def _parse_date(v: Any) -> dt.date | None:
    if v is None:
        return None
    if isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v))


def _version_tuple(v: str) -> tuple[int, int, int]:
    """Major, minor, patch; a missing part counts as 0, so "1.0" and "1.0.0" are the same version."""
    parts = [int(x) for x in re.findall(r"\d+", v)[:3]]
    return tuple(parts + [0] * (3 - len(parts)))  # type: ignore[return-value]


def _rule_at_line(text: str, line: int) -> str | None:
    """The id of the item of the top-level ``rules:`` list that holds ``line`` (1-based), for a problem found
    while the YAML was still being read (a bad date, a duplicate key, a refused tag), before there were rules.

    Reads only the parser's events: nothing is constructed and aliases are not expanded, so this is linear in
    the text whatever it holds; it stops at the first syntax error, with what it has seen so far."""
    import yaml

    try:
        from yaml._yaml import CParser as Parser  # type: ignore[import-not-found]
    except ImportError:  # pragma: no cover - depends on the PyYAML build
        from yaml import SafeLoader as Parser

    starts: list[tuple[int, str | None]] = []  # (first line, id) of each rule item, in order
    parser = Parser(text)
    # where the parser is, as a stack of ["map", key or None when a key is due] and ["seq"] frames
    stack: list[list] = []
    try:
        while True:
            event = parser.get_event()
            kind = type(event).__name__
            if kind in ("StreamEndEvent", "DocumentEndEvent"):
                break  # a pack file holds one document
            if kind in ("StreamStartEvent", "DocumentStartEvent"):
                continue
            if kind in ("MappingEndEvent", "SequenceEndEvent"):
                stack.pop()
                if stack and stack[-1][0] == "map":
                    stack[-1][1] = None  # the value of the pending key is complete
                continue
            top = stack[-1] if stack else None
            if top is not None and top[0] == "map" and top[1] is None:  # a key
                if kind != "ScalarEvent":
                    break  # a list or mapping as a key: the reader refused it; what was seen is enough
                top[1] = event.value
                continue
            rules_list = len(stack) >= 2 and stack[0] == ["map", "rules"] and stack[1][0] == "seq"
            if rules_list and len(stack) == 2:
                starts.append((event.start_mark.line + 1, None))
            elif rules_list and len(stack) == 3 and top == ["map", "id"] and kind == "ScalarEvent" and starts:
                starts[-1] = (starts[-1][0], event.value)
            if kind == "MappingStartEvent":
                stack.append(["map", None])
            elif kind == "SequenceStartEvent":
                stack.append(["seq"])
            elif top is not None and top[0] == "map":
                top[1] = None
    except yaml.YAMLError:
        pass
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose:
            dispose()
    found = None
    for first, rule_id in starts:
        if first <= line:
            found = rule_id
    return found


def load_pack_file(path: Path) -> tuple[Pack | None, list[InputProblem]]:
    display = _display(path)
    try:
        text = read_text(path, display)
    except ReadError as exc:
        return None, [exc.problem]
    except OSError as exc:
        return None, [InputProblem(display, 1, f"cannot read rule pack: {exc.strerror or exc}")]
    try:
        docs = parse_documents(text, display)
    except ReadError as exc:
        rule_id = _rule_at_line(text, exc.problem.line)
        if rule_id and f"rule {rule_id}" not in exc.problem.message:
            return None, [InputProblem(exc.problem.file, exc.problem.line, f"rule {rule_id}: {exc.problem.message}")]
        return None, [exc.problem]
    if len(docs) != 1:
        return None, [InputProblem(display, 1, f"a rule pack file holds exactly one YAML document (found {len(docs)})")]
    doc = docs[0]
    value = _jsonable(doc.value)
    pack_validator, _ = _validators()
    rules_raw = value.get("rules") if isinstance(value, dict) and isinstance(value.get("rules"), list) else None
    problems = _schema_problems(pack_validator, value, doc, display, rules_raw)
    if problems:
        return None, problems
    mev = value.get("min_engine_version")
    if mev and _version_tuple(mev) > _version_tuple(__version__):
        return None, [InputProblem(display, doc.line_of("min_engine_version"),
                                   f"pack {value['pack']} needs compliance-engine {mev} or newer (this is {__version__})")]
    pack_id = value["pack"]
    tables: dict[str, DataTable] = {}
    for name, rel in (value.get("data") or {}).items():
        table, tprobs = _load_table(path.parent / rel, name)
        problems.extend(tprobs)
        if table:
            tables[name] = table
    derives: list[DeriveRule] = []
    for i, d in enumerate(value.get("derive") or []):
        where = f"derive[{i}]"
        try:
            cond = parse_condition(d["when"], where, tables)
        except ValueError as exc:
            problems.append(InputProblem(display, doc.line_of(where), str(exc)))
            continue
        derives.append(DeriveRule(d["fact"], cond, pack_id, display, doc.line_of(where)))
    pack_markets = tuple(expand_markets(value["markets"]))
    budget = safe_regex.CompileBudget()  # for the whole file: its rules' patterns and phrase lists
    rules: list[Rule] = []
    for i, r in enumerate(value["rules"]):
        where = f"rules[{i}]"
        line = doc.line_of(where)
        rid = r["id"]
        if not rid.startswith(pack_id + "."):
            problems.append(InputProblem(display, doc.line_of(f"{where}.id"), f"rule {rid}: its id must start with the pack id '{pack_id}.'"))
            continue
        try:
            when = parse_condition(r.get("when"), f"{where}.when", tables)
            requires = [_requirement(q, f"{where}.requires[{j}]", j, tables, f"{rid}#{j}", budget)
                        for j, q in enumerate(r.get("requires") or [])]
        except ValueError as exc:
            msg = str(exc)
            path_part = msg.split(":", 1)[0]
            problems.append(InputProblem(display, doc.line_of(path_part), f"rule {rid}: {msg}"))
            continue
        eff = r["effective"]
        start, until = _parse_date(eff.get("from")), _parse_date(eff.get("until"))
        if start and until and until <= start:
            problems.append(InputProblem(display, doc.line_of(f"{where}.effective"), f"rule {rid}: effective.until must be after effective.from"))
            continue
        markets = tuple(expand_markets(r["markets"])) if r.get("markets") else None
        if markets:
            outside = [m for m in markets if m not in pack_markets]
            if outside:
                problems.append(InputProblem(display, doc.line_of(f"{where}.markets"),
                                             f"rule {rid}: markets {', '.join(outside)} are outside the pack's markets"))
                continue
        esc = r.get("escalates")
        esc_on = _parse_date(esc["from"]) if esc else None
        if esc and ((start and esc_on <= start) or (until and esc_on >= until)):
            problems.append(InputProblem(display, doc.line_of(f"{where}.escalates"),
                                         f"rule {rid}: escalates.from must fall inside the effective range"))
            continue
        rule = Rule(
            id=rid, pack=pack_id, title=r["title"], severity=r["severity"], legal_basis=r["legal_basis"],
            references=list(r["references"]), effective_from=start, effective_until=until, markets=markets,
            scope=r.get("scope", "unit"), when=when, requires=requires, derive=r.get("derive"),
            message=r.get("message"), pass_message=r.get("pass_message"), remediation=r.get("remediation"),
            waivable=r.get("waivable", True), tags=list(r.get("tags") or []), verification=list(r.get("verification") or []),
            unverified=bool(r.get("unverified", False)), file=display, line=line,
            escalate_on=esc_on, escalate_to=esc["to"] if esc else None,
        )
        parts = []
        if markets:
            parts.append(Market(markets))
        if rule.scope in ("listing", "seller"):
            parts.append(Has(rule.scope))
        if when is not TRUE:
            parts.append(when)
        rule.condition = All(tuple(parts)) if parts else TRUE
        try:
            to_dnf(rule.condition)
        except ValueError as exc:
            problems.append(InputProblem(display, line, f"rule {rid}: {exc}"))
            continue
        rules.append(rule)
    digest = hashlib.sha256(text.encode()).hexdigest()
    for t in tables.values():
        digest = hashlib.sha256((digest + repr(t.entries)).encode()).hexdigest()
    if problems:
        return None, problems
    return Pack(pack_id, value["title"], value["jurisdiction"], value["version"], pack_markets,
                list(value.get("sources") or []), rules, derives, tables, display, digest[:16],
                mev, value.get("description")), []


#: requirement kinds that read a data table named by their `table` key
TABLE_KINDS = ("languages", "substances_absent", "named_in_ingredients", "phrases_absent", "size_tier", "bands_within", "standards_current")


def _requirement(spec: dict, where: str, index: int, tables: dict[str, DataTable], key: str,
                 budget: safe_regex.CompileBudget) -> Requirement:
    """The requirement ``spec`` at ``where``; its regular expressions and phrase lists are checked against the
    safe engine and counted against the pack file's ``budget``. Raises ValueError("<path>: <problem>")."""
    kind = next(k for k in spec if k not in ("when", "severity", "if_missing", "label"))
    body = spec[kind]
    children = []
    if kind in ("any_of", "all_of"):
        children = [_requirement(q, f"{where}.{kind}[{j}]", j, tables, f"{key}.{j}", budget)
                    for j, q in enumerate(body)]
    if kind in TABLE_KINDS and body["table"] not in tables:
        raise ValueError(f"{where}.{kind}.table: no data table '{body['table']}' in the pack's data: section")
    if kind == "phrases_absent":
        from ..requirements import _phrase_body, expand_phrase_list, phrase_list_names

        entries = tables[body["table"]].entries
        if not isinstance(entries, dict):
            raise ValueError(f"{where}.phrases_absent.table: '{body['table']}' is not a mapping of phrase lists")
        searched, excepted = phrase_list_names(body, entries)
        for name in searched + excepted:
            try:
                phrases = expand_phrase_list(entries, name)
            except ValueError as exc:
                raise ValueError(f"{where}.phrases_absent.lists: {exc} in table '{body['table']}'") from None
            blank = next((p for p in phrases if not p.split()), None)
            if blank is not None:
                raise ValueError(f"{where}.phrases_absent.lists: phrase list '{name}' of table '{body['table']}' "
                                 "holds a blank phrase")
            if (body["table"], name) not in budget.phrase_lists:  # each list is compiled once, however many rules
                budget.phrase_lists.add((body["table"], name))
                cost = safe_regex.phrase_list_cost([_phrase_body(p) for p in phrases])
                why = (safe_regex.too_costly(cost, f"phrase list '{name}' of table '{body['table']}'")
                       if cost > safe_regex.MAX_PATTERN_COST else budget.spend(cost))
                if why:
                    raise ValueError(f"{where}.phrases_absent.lists: {why}")
    pattern_key = "matches" if kind == "field" else "number_matches" if kind == "registration" else None
    pattern = body.get(pattern_key) if pattern_key else None
    if pattern is not None:
        why = safe_regex.check(pattern, ignore_case=True, budget=budget)
        if why:
            raise ValueError(f"{where}.{kind}.{pattern_key}: regular expression {shorten(pattern, 80)} is refused: {why}")
    if kind == "schema":
        import jsonschema

        problems = safe_regex.schema_problems(body, f"{where}.schema", budget)
        if problems:
            path, why = problems[0]
            raise ValueError(f"{path}: {why}")
        try:  # without format checks: the one that matters, "regex" for pattern, would hand the pattern to re
            jsonschema.Draft202012Validator.check_schema(body, format_checker=None)
        except jsonschema.SchemaError as exc:
            raise ValueError(f"{where}.schema: not a valid JSON Schema: {exc.message}") from None
    return Requirement(kind=kind, spec=body, when=parse_condition(spec.get("when"), f"{where}.when", tables),
                       severity=spec.get("severity"), if_missing=spec.get("if_missing", "fail"),
                       label=spec.get("label"), index=index, children=children, key=key)


def _load_table(path: Path, name: str) -> tuple[DataTable | None, list[InputProblem]]:
    display = _display(path)
    real = Path(os.path.realpath(path))
    pack_dir = Path(os.path.realpath(path.parent.parent))  # the pack file's directory (tables are data/<name>.yaml)
    if not real.is_relative_to(pack_dir):  # a pack is untrusted: a symbolic link must not make it read other files
        return None, [InputProblem(display, 1, f"data table {path.parent.name}/{path.name} is a symbolic link "
                                               "that leads outside the pack's directory; it is not read")]
    try:
        docs = parse_documents(read_text(real, display), display)
    except ReadError as exc:
        return None, [exc.problem]
    except OSError as exc:
        return None, [InputProblem(display, 1, f"cannot read data table: {exc.strerror or exc}")]
    if len(docs) != 1:
        return None, [InputProblem(display, 1, "a data table file holds exactly one YAML document")]
    doc = docs[0]
    value = _jsonable(doc.value)
    _, table_validator = _validators()
    problems = _schema_problems(table_validator, value, doc, display)
    if problems:
        return None, problems
    if value["table"] != name:
        return None, [InputProblem(display, doc.line_of("table"), f"table: '{value['table']}' but the pack names it '{name}'")]
    src = value["source"]
    return DataTable(name, value["title"], [src] if isinstance(src, str) else list(src), value["as_of"],
                     value["entries"], display, value.get("coverage"), str(path.resolve())), []


def load_packs(directories: Iterable[str | os.PathLike] | None = None, *, include_builtin: bool = True) -> PackSet:
    """Load every pack of the built-in set and of ``directories``. Raises PackError with all problems."""
    dirs: list[Path] = [builtin_packs_dir()] if include_builtin else []
    dirs += [Path(d) for d in (directories or [])]
    packs: list[Pack] = []
    problems: list[InputProblem] = []
    for d in dirs:
        if not d.is_dir():
            problems.append(InputProblem(str(d), 1, "rule pack directory does not exist"))
            continue
        for f in pack_files(d):
            pack, probs = load_pack_file(f)
            problems.extend(probs)
            if pack:
                packs.append(pack)
    problems.extend(check_pack_set(packs))
    if problems:
        raise PackError(problems)
    packs.sort(key=lambda p: p.id)
    return PackSet(packs)


def check_pack_set(packs: list[Pack]) -> list[InputProblem]:
    """Checks across packs: unique pack and rule ids, known derived facts, monotone derivation."""
    problems: list[InputProblem] = []
    seen_packs: dict[str, Pack] = {}
    seen_rules: dict[str, Rule] = {}
    derived = {d.fact for p in packs for d in p.derives} | {r.derive for p in packs for r in p.rules if r.derive}
    for p in packs:
        if p.id in seen_packs:
            problems.append(InputProblem(p.file, 1, f"pack {p.id} is also defined in {seen_packs[p.id].file}"))
            continue
        seen_packs[p.id] = p
        for r in p.rules:
            if r.id in seen_rules:
                problems.append(InputProblem(r.file, r.line, f"rule {r.id} is also defined in {seen_rules[r.id].file}:{seen_rules[r.id].line}"))
            seen_rules[r.id] = r
            conds = [r.condition] + [q.when for q in r.all_requirements()]
            for c in conds:
                for f in sorted(facts_used(c) - derived):
                    problems.append(InputProblem(r.file, r.line, f"rule {r.id}: fact '{f}' is derived by no loaded pack"))
            if r.derive and negated_facts(r.condition):
                problems.append(InputProblem(r.file, r.line, f"rule {r.id}: a deriving rule may not negate facts ({', '.join(sorted(negated_facts(r.condition)))})"))
        for d in p.derives:
            for f in sorted(facts_used(d.when) - derived):
                problems.append(InputProblem(d.file, d.line, f"derive {d.fact}: fact '{f}' is derived by no loaded pack"))
            if negated_facts(d.when):
                problems.append(InputProblem(d.file, d.line, f"derive {d.fact}: derivation may not negate facts ({', '.join(sorted(negated_facts(d.when)))})"))
    return problems

