"""Project configuration: ``[tool.compliance-engine]`` in pyproject.toml or ``.compliance-engine.yaml``.

The configuration gives defaults for the command line: which paths to check, which packs and markets,
``fail-on``, extra rule-pack directories, the waivers file, the output formats and the horizon. It is
found by walking up from the working directory to the repository root (:func:`find_config`); the
nearest file wins and files are never merged. Command-line values override it key by key
(:func:`resolve_settings`); :func:`show_config` renders every value with where it came from.

Every problem is an :class:`~compliance_engine.errors.InputProblem` (file, line, message), raised together
as one :class:`~compliance_engine.errors.InputError`. The pydantic model built by :func:`config_model` is the
single definition of the keys: it validates the files and generates the JSON Schema
(:func:`config_json_schema`). Library code: nothing here prints or exits.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

from .errors import InputError, InputProblem
from .limits import DEFAULT_LIMITS, config_values, least, parse_size

YAML_NAMES = (".compliance-engine.yaml", ".compliance-engine.yml")
PYPROJECT = "pyproject.toml"
TABLE = ("tool", "compliance-engine")
TABLE_NAME = "[tool.compliance-engine]"
ENV_VAR = "COMPLIANCE_ENGINE_CONFIG"
#: The keys, in the order --show-config lists them.
KEYS = ("paths", "packs", "markets", "fail-on", "rulepacks", "waivers", "formats", "horizon", "limits")
FAIL_ON = ("error", "warning", "info", "never")
FORMAT_NAMES = ("text", "json", "jsonl", "sarif", "junit", "github", "markdown", "csv")
MAX_CONFIG_BYTES = 1024 * 1024

#: What each key is when neither the command line nor a configuration file gives it.
DEFAULTS: dict[str, Any] = {
    "paths": [],
    "packs": [],
    "markets": [],
    "fail-on": "error",
    "rulepacks": [],
    "waivers": None,
    "formats": [{"format": "text", "output": None}],
    "horizon": None,
    "limits": config_values(DEFAULT_LIMITS),
}

ORIGIN_COMMAND_LINE = "command line"
ORIGIN_DEFAULT = "default"
_RELATIVE_NOTE = "relative paths are taken from the directory of the configuration file"


# ---------------------------------------------------------------------------------------------------
# the model (built on first use: pydantic is the costliest import)
# ---------------------------------------------------------------------------------------------------


@functools.cache
def config_model() -> type:
    """The pydantic model of a configuration table (keys spelled as in the files: ``fail-on``)."""
    from typing import Annotated, Literal, Union

    from pydantic import BaseModel, ConfigDict, Discriminator, Field, PlainValidator, Tag

    from .models.base import MarketCode

    NonEmpty = Annotated[str, Field(min_length=1)]
    FormatName = Literal[FORMAT_NAMES]  # type: ignore[valid-type]

    class FormatToFile(BaseModel):
        """A report format written to a file."""

        model_config = ConfigDict(extra="forbid", strict=True)

        format: FormatName = Field(description="The report format.")
        output: NonEmpty = Field(description="The file to write (relative to the configuration file's directory; "
                                             "'-' is standard output).")

    def _format_kind(value: Any) -> str:
        return "file" if isinstance(value, dict) else "stdout"

    FormatItem = Annotated[
        Union[Annotated[FormatName, Tag("stdout")], Annotated[FormatToFile, Tag("file")]],
        Discriminator(_format_kind),
    ]

    def _size(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise ValueError(f"expected a size: a number of bytes, or a text like 50MB (got {_shown(value)})")
        if isinstance(value, int):
            if value < 1:
                raise ValueError(f"must be 1 or more (got {value})")
            return value
        return parse_size(value)

    Count = Annotated[int, Field(ge=1)]

    class InputFileLimits(BaseModel):
        """Limits on one input file (the --max-* flags)."""

        model_config = ConfigDict(extra="forbid", strict=True)

        max_file_size: Annotated[Union[int, str], PlainValidator(_size, json_schema_input_type=Union[Count, str])] = Field(
            default=None, alias="max-file-size", description="Largest file: bytes, or a size like 20MiB, 50MB, 512K.")
        max_depth: Count = Field(default=None, alias="max-depth", description="Deepest nesting of lists and mappings.")
        max_nodes: Count = Field(default=None, alias="max-nodes", description="Most YAML nodes in a file, aliases expanded.")
        max_aliases: Annotated[int, Field(ge=least("max_aliases"))] = Field(default=None, alias="max-aliases",
                                                         description="Most aliases expanded in a document; 0 forbids them.")
        max_documents: Count = Field(default=None, alias="max-documents", description="Most documents in a file.")
        max_value_length: Count = Field(default=None, alias="max-value-length",
                                        description="Most characters in a single value.")

    class ComplianceEngineConfig(BaseModel):
        """Configuration of compliance-engine: [tool.compliance-engine] in pyproject.toml or .compliance-engine.yaml."""

        model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=False)

        paths: list[NonEmpty] = Field(default=[], description=(
            "Files and directories to check when the command line names none (relative to the configuration "
            "file's directory)."))
        packs: list[NonEmpty] = Field(default=[], description=(
            "Only report rules of these packs (ids or prefixes: eu.gpsr, us.). Empty: every pack."))
        markets: list[MarketCode] = Field(default=[], description=(  # type: ignore[valid-type]
            "Only check these markets (country codes, XI, or the groups EU and SEA). Empty: every market."))
        fail_on: Literal[FAIL_ON] = Field(default="error", alias="fail-on", description=(  # type: ignore[valid-type]
            "Exit 1 when a finding of this severity or higher fails; never: always exit 0."))
        rulepacks: list[NonEmpty] = Field(default=[], description=(
            "Also load the rule packs in these directories (relative to the configuration file's directory)."))
        waivers: NonEmpty = Field(default=None, description=(
            "The waivers file (relative to the configuration file's directory)."))
        formats: list[FormatItem] = Field(default=["text"], min_length=1, description=(
            "Report formats: a name prints to standard output (at most one), {format, output} writes a file."))
        horizon: int = Field(default=None, ge=0, description=(
            "Also report rules that take effect within this many days."))
        limits: InputFileLimits = Field(default=None, description=(
            "How much one input file may hold (docs/input-limits.md); a limit not given keeps its default."))

    return ComplianceEngineConfig


def config_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a configuration table, generated from :func:`config_model`."""
    from .schemas import schema_url

    body = config_model().model_json_schema(mode="validation", by_alias=True)
    body.pop("title", None)
    for props in [body.get("properties", {}), *(d.get("properties", {}) for d in body.get("$defs", {}).values())]:
        for prop in props.values():
            if prop.get("default", ...) is None:  # "no value" is not a value a file may write
                prop.pop("default")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_url("config"),
        "title": "compliance-engine configuration ([tool.compliance-engine] in pyproject.toml, or .compliance-engine.yaml)",
        **body,
    }


# ---------------------------------------------------------------------------------------------------
# results
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Config:
    """One configuration file, validated.

    ``values`` holds only the keys the file sets, with paths resolved (relative to the working directory
    when under it, else absolute) and formats as ``{"format", "output"}`` (``output`` None: standard output).
    ``lines`` maps each key to its line; ``display`` is the file as messages name it."""

    file: Path
    values: dict[str, Any]
    lines: dict[str, int]
    display: str
    table_line: int = 1
    found_by: str = "discovery"  # "discovery", "--config" or ENV_VAR

    def origin(self, key: str) -> str:
        return f"{self.display}:{self.lines[key]}"


@dataclass(frozen=True)
class Settings:
    """The effective value of every key and where it came from."""

    values: dict[str, Any]
    origins: dict[str, str]
    config: Config | None = None
    searched: tuple[str, str | None] | None = None  # (start, repository root or None) when no file was found

    def value(self, key: str) -> Any:
        return self.values[_key(key)]

    def origin(self, key: str) -> str:
        return self.origins[_key(key)]

    def as_dict(self) -> dict[str, Any]:
        return {k: _copy(self.values[k]) for k in KEYS}


def _key(key: str) -> str:
    k = key.replace("_", "-")
    if k not in KEYS:
        raise KeyError(f"unknown configuration key {key!r}; keys: {', '.join(KEYS)}")
    return k


def _copy(value: Any) -> Any:
    return json.loads(json.dumps(value))


# ---------------------------------------------------------------------------------------------------
# discovery
# ---------------------------------------------------------------------------------------------------


def find_config(start: Path | str | None = None) -> Path | None:
    """The nearest configuration file from ``start`` (default: the working directory) up to the repository root.

    In each directory: ``.compliance-engine.yaml``, ``.compliance-engine.yml``, and ``pyproject.toml`` when it
    has a ``[tool.compliance-engine]`` table (one without the table is passed over). The walk stops after the
    directory holding ``.git`` (a directory, or a file in worktrees) or at the filesystem root. Two
    configuration files in one directory raise :class:`InputError`."""
    for directory in _search_dirs(start):
        found = _configs_in(directory)
        if len(found) > 1:
            names = " and ".join(_display(p) for p in found)
            raise InputError([InputProblem(_display(found[0]), 1,
                                           f"{names} both configure compliance-engine; keep one")])
        if found:
            return found[0]
    return None


def search_bounds(start: Path | str | None = None) -> tuple[str, str | None]:
    """Where :func:`find_config` searches: the start directory and the repository root (None: none found)."""
    dirs = _search_dirs(start)
    last = dirs[-1]
    return str(dirs[0]), (str(last) if _is_repo_root(last) else None)


def _search_dirs(start: Path | str | None) -> list[Path]:
    here = Path(os.path.abspath(start if start is not None else os.getcwd()))
    if here.is_file():
        here = here.parent
    dirs: list[Path] = []
    for directory in (here, *here.parents):
        dirs.append(directory)
        if _is_repo_root(directory):
            break
    return dirs


def _is_repo_root(directory: Path) -> bool:
    return os.path.lexists(directory / ".git")


def _configs_in(directory: Path) -> list[Path]:
    found = [directory / name for name in YAML_NAMES if (directory / name).is_file()]
    pyproject = directory / PYPROJECT
    if pyproject.is_file() and _pyproject_has_table(pyproject):
        found.append(pyproject)
    return found


# `compliance-engine` used as a table or key ([tool.compliance-engine], tool.compliance-engine.x =, a quoted key,
# an inline table `compliance-engine = {...}`), not merely as the project's name or a console script
# (`compliance-engine = "compliance_engine.cli:main"`): only such a file is worth parsing (tomllib costs ~15 ms
# of start-up)
_MAY_CONFIGURE = re.compile(r'compliance-engine"?\s*(?:[.\]]|=\s*\{)')


def _pyproject_has_table(path: Path) -> bool:
    display = _display(path)
    text = _read(path, display)
    if TABLE[1] not in text or not _MAY_CONFIGURE.search(text):  # cannot configure us; not our business whether it parses
        return False
    return _toml_table(_parse_toml(text, display)) is not None


def discover_config(start: Path | str | None = None, explicit: Path | str | None = None,
                    environ: Mapping[str, str] | None = None) -> Config | None:
    """The configuration in effect: ``explicit`` (``--config FILE``) when given, else the file named by the
    ``COMPLIANCE_ENGINE_CONFIG`` environment variable when set and not empty, else :func:`find_config`.
    None when no file is found. Raises :class:`InputError` (file, line) for any problem."""
    env = os.environ if environ is None else environ
    if explicit is not None:
        return load_config(Path(explicit), found_by="--config")
    if env.get(ENV_VAR):
        return load_config(Path(env[ENV_VAR]), found_by=ENV_VAR)
    path = find_config(start)
    return load_config(path) if path is not None else None


# ---------------------------------------------------------------------------------------------------
# reading and validating
# ---------------------------------------------------------------------------------------------------


def load_config(path: Path | str, found_by: str = "discovery") -> Config:
    """Read and validate one configuration file; raises :class:`InputError` (file, line) when it is invalid.

    ``*.yaml``/``*.yml`` files hold the keys at the top level; ``*.toml`` files are read pyproject-style (the
    ``[tool.compliance-engine]`` table)."""
    path = Path(path)
    display = _display(path)
    name = path.name.lower()
    if not name.endswith((".yaml", ".yml", ".toml")):
        raise InputError([InputProblem(display, 1, "a configuration file must be YAML (.compliance-engine.yaml) "
                                                   "or a pyproject-style .toml file with a [tool.compliance-engine] table")])
    if not path.exists():
        raise InputError([InputProblem(display, 1, "no such configuration file")])
    if path.is_dir():
        raise InputError([InputProblem(display, 1, "is a directory, not a configuration file")])
    text = _read(path, display)
    if name.endswith(".toml"):
        table, lines, table_line = _toml_section(text, display)
    else:
        table, lines, table_line = _yaml_section(text, display)
    values = _validate(table, lines, table_line, display, Path(os.path.abspath(path)))
    key_lines = {k: lines.get(k, table_line) for k in values}
    return Config(Path(os.path.abspath(path)), values, key_lines, display, table_line, found_by)


def _read(path: Path, display: str) -> str:
    from .yamlsource import ReadError, read_text

    try:
        return read_text(path, display, max_bytes=MAX_CONFIG_BYTES)
    except ReadError as exc:
        raise InputError([exc.problem]) from None
    except OSError as exc:
        raise InputError([InputProblem(display, 1, f"cannot read file: {exc.strerror or exc}")]) from None


def _yaml_section(text: str, display: str) -> tuple[Any, dict[str, int], int]:
    from .yamlsource import ReadError, parse_documents

    try:
        docs = parse_documents(text, display)
    except ReadError as exc:
        raise InputError([exc.problem]) from None
    if not docs:
        return {}, {}, 1
    if len(docs) > 1:
        raise InputError([InputProblem(display, docs[1].first_line,
                                       "a configuration file holds one YAML document; this is a second one")])
    return docs[0].value, docs[0].lines, docs[0].first_line


_TOML_AT = re.compile(r"\s*\(at line (\d+), column \d+\)$")
_TOML_AT_END = re.compile(r"\s*\(at end of document\)$")


def _parse_toml(text: str, display: str) -> dict[str, Any]:
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = _TOML_AT.search(message)
        if m:
            line, message = int(m.group(1)), message[: m.start()]
        else:
            line = text.count("\n") + (0 if text.endswith("\n") else 1)
            message = _TOML_AT_END.sub("", message) + " at the end of the file"
        raise InputError([InputProblem(display, max(line, 1), f"TOML syntax error: {message}")]) from None
    except RecursionError:
        raise InputError([InputProblem(display, 1, "TOML nesting too deep")]) from None


def _toml_table(data: dict[str, Any]) -> Any:
    tool = data.get(TABLE[0])
    return tool.get(TABLE[1]) if isinstance(tool, dict) else None


def _toml_section(text: str, display: str) -> tuple[Any, dict[str, int], int]:
    table = _toml_table(_parse_toml(text, display))
    if table is None:
        raise InputError([InputProblem(display, 1, f"no {TABLE_NAME} table in this file")])
    try:
        all_lines = _TomlLines(text).scan()
    except RecursionError:  # pragma: no cover - tomllib refuses such nesting first
        all_lines = {}
    prefix = ".".join(TABLE)
    table_line = all_lines.get(prefix, 1)
    lines = {path[len(prefix) + 1:].lstrip("."): line for path, line in all_lines.items()
             if path.startswith(prefix) and path[len(prefix):len(prefix) + 1] in (".", "[")}
    return table, lines, table_line


def _validate(table: Any, lines: dict[str, int], table_line: int, display: str, file: Path) -> dict[str, Any]:
    """Validate the configuration table of ``file``; returns the values it sets, resolved."""
    from pydantic import ValidationError

    def line_of(path: str) -> int:
        while path:
            if path in lines:
                return lines[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return table_line

    if not isinstance(table, dict):
        raise InputError([InputProblem(display, table_line, "the configuration must be a mapping of keys "
                                                            f"({', '.join(KEYS)}); got {_shown(table)}")])
    problems: list[InputProblem] = []
    failed: set[str] = set()
    try:
        config_model().model_validate(table)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            path, message = _message(err)
            problems.append(InputProblem(display, line_of(path), message))
            loc = err.get("loc") or ()
            failed.add(str(loc[0]) if loc else "")
    values: dict[str, Any] = {}
    for key in KEYS:
        if key in table and key not in failed:
            values[key] = table[key]
    resolved, more = _resolve(values, file, line_of, display)
    problems.extend(more)
    if problems:
        raise InputError(problems)
    return resolved


def _resolve(values: dict[str, Any], file: Path, line_of, display: str) -> tuple[dict[str, Any], list[InputProblem]]:
    """Resolve paths against the directory of ``file``; check what the model cannot: files that must exist, outputs."""
    base = file.parent
    problems: list[InputProblem] = []
    out: dict[str, Any] = {}
    for key in KEYS:
        if key not in values:
            continue
        value = values[key]
        if key == "paths":
            out[key] = [_short_path(base, p) for p in value]
        elif key == "rulepacks":
            out[key] = []
            for i, p in enumerate(value):
                target = Path(os.path.join(base, p))
                if not target.is_dir():
                    what = "is a file, not a directory" if target.exists() else "does not exist"
                    problems.append(InputProblem(display, line_of(f"rulepacks[{i}]"),
                                                 f"rulepacks[{i}]: directory '{p}' {what} ({_RELATIVE_NOTE})"))
                out[key].append(_short_path(base, p))
        elif key == "waivers":
            target = Path(os.path.join(base, value))
            if not target.is_file():
                what = "is a directory, not a file" if target.is_dir() else "does not exist"
                problems.append(InputProblem(display, line_of("waivers"),
                                             f"waivers: file '{value}' {what} ({_RELATIVE_NOTE})"))
            out[key] = _short_path(base, value)
        elif key == "formats":
            out[key] = []
            to_stdout: int | None = None
            written: dict[str, int] = {}
            for i, item in enumerate(value):
                name, output = (item, None) if isinstance(item, str) else (item["format"], item["output"])
                if output == "-":
                    output = None
                if output is None:
                    if to_stdout is not None:
                        problems.append(InputProblem(display, line_of(f"formats[{i}]"), (
                            f"formats[{i}]: '{name}' would also print to standard output, like formats[{to_stdout}] "
                            f"(line {line_of(f'formats[{to_stdout}]')}); give one of them an output file")))
                    else:
                        to_stdout = i
                    out[key].append({"format": name, "output": None})
                    continue
                target = os.path.normcase(os.path.normpath(os.path.join(base, output)))
                shown = _short_path(base, output)
                if os.path.normcase(os.path.realpath(target)) == os.path.normcase(os.path.realpath(file)):
                    problems.append(InputProblem(display, line_of(f"formats[{i}].output"), (
                        f"formats[{i}].output: '{output}' is this configuration file; a report never overwrites "
                        "an input")))
                elif target in written:
                    j = written[target]
                    problems.append(InputProblem(display, line_of(f"formats[{i}].output"), (
                        f"formats[{i}].output: '{output}' is also written by formats[{j}] "
                        f"(line {line_of(f'formats[{j}].output')}); each format needs its own file")))
                else:
                    written[target] = i
                out[key].append({"format": name, "output": shown})
        elif key == "limits":
            out[key] = {k: (parse_size(v) if isinstance(v, str) else v) for k, v in value.items()}
        else:
            out[key] = list(value) if isinstance(value, list) else value
    return out, problems


def _short_path(base: Path, value: str) -> str:
    """``value`` (relative to ``base``) as a path relative to the working directory when under it, else absolute."""
    target = os.path.normpath(os.path.join(base, value))
    rel = os.path.relpath(target)
    shown = target if rel == ".." or rel.startswith(".." + os.sep) else rel
    return shown.replace(os.sep, "/")


def _display(path: Path) -> str:
    return _short_path(Path(os.getcwd()), str(path))


# ---------------------------------------------------------------------------------------------------
# messages (house style of compliance_engine.loading)
# ---------------------------------------------------------------------------------------------------

_FORMAT_TAGS = {"stdout", "file"}


def _clean_loc(loc: tuple) -> tuple:
    """Drop what pydantic adds to ``loc`` besides keys and indexes (union tags, validator names)."""
    out: list[Any] = []
    for part in loc:
        if isinstance(part, str) and (part.startswith(("function-", "literal[")) or
                                      (part in _FORMAT_TAGS and len(out) == 2 and out[0] == "formats"
                                       and isinstance(out[1], int))):
            continue
        out.append(part)
    return tuple(out)


def _loc_path(loc: Iterable) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _hint(value: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _shown(value: Any) -> str:
    if value is None:
        return "no value"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return repr(value)
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{type(value).__name__} {value}"


def _message(err: dict) -> tuple[str, str]:
    """(field path, message) for one pydantic error."""
    loc = _clean_loc(tuple(err.get("loc", ())))
    path = _loc_path(loc)
    etype = err["type"]
    inp = err.get("input")
    got = f" (got {_shown(inp)})"
    if etype == "extra_forbidden":
        key = str(loc[-1])
        in_format = len(loc) == 3 and loc[0] == "formats"
        parent = _loc_path(loc[:-1])
        if key in ("as-of", "as_of") and not in_format:
            return path, f"unknown key '{key}': a configuration must not fix the date; give --as-of on the command line"
        choices = ("format", "output") if in_format else tuple(DEFAULTS["limits"]) if loc[0] == "limits" else KEYS
        where = f" in {parent}" if parent else ""
        return path, f"unknown key '{key}'{where}{_hint(key, choices)}; keys: {', '.join(choices)}"
    if path.startswith("formats[") and len(loc) == 2 and not isinstance(inp, str):
        return path, f"{path}: expected a format name or a mapping with format and output{got}"
    if etype == "literal_error":
        allowed = FAIL_ON if loc[0] == "fail-on" else FORMAT_NAMES
        if not isinstance(inp, str):
            return path, f"{path}: expected one of {', '.join(allowed)}{got}"
        return path, f"{path}: '{inp}' is not one of {', '.join(allowed)}{_hint(inp, allowed)}"
    if etype == "list_type":
        return path, f"{path}: expected a list{got}"
    if etype == "string_type":
        return path, f"{path}: expected a string{got}"
    if etype in ("int_type", "int_parsing", "int_from_float"):
        return path, f"{path}: expected a whole number{' of days' if loc[0] == 'horizon' else ''}{got}"
    if etype == "greater_than_equal":
        return path, f"{path}: must be {(err.get('ctx') or {}).get('ge', 0)} or more{got}"
    if etype == "model_type" and loc == ("limits",):
        return path, f"limits: expected a mapping of limits ({', '.join(DEFAULTS['limits'])}){got}"
    if etype == "string_too_short":
        return path, f"{path}: must not be empty"
    if etype == "too_short":
        return path, f"{path}: list at least one format"
    if etype == "missing":
        if len(loc) == 3 and loc[-1] == "output":
            return path, (f"{path}: required in a mapping; write the format name alone "
                          f"('{_format_of(err)}') to print to standard output")
        return path, f"{path}: required"
    text = err.get("msg", "invalid value")
    if text.startswith("Value error, "):
        text = text[len("Value error, "):]
    return path, f"{path}: {text}"


def _format_of(err: dict) -> str:
    inp = err.get("input")
    fmt = inp.get("format") if isinstance(inp, dict) else None
    return fmt if isinstance(fmt, str) else "json"


# ---------------------------------------------------------------------------------------------------
# precedence and --show-config
# ---------------------------------------------------------------------------------------------------


def _given(value: Any) -> bool:
    return value is not None and not (isinstance(value, (tuple, list)) and len(value) == 0)


def resolve_settings(config: Config | None, cli: Mapping[str, Any], start: Path | str | None = None) -> Settings:
    """Every key's effective value: the command line, else the configuration file, else the default.

    ``cli`` maps keys (``fail-on`` or ``fail_on``) to what the command line gave; None or an empty
    tuple/list means not given. A list given on the command line replaces the configured list entirely.
    ``formats`` items on the command line may be names or ``{"format", "output"}`` mappings."""
    given = {_key(k): v for k, v in cli.items()}
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for key in KEYS:
        if key == "limits":  # merged limit by limit: the command line's over the file's over the defaults
            values[key], origins[key] = _merge_limits(config, given.get(key))
        elif key in given and _given(given[key]):
            values[key] = _normalise(key, given[key])
            origins[key] = ORIGIN_COMMAND_LINE
        elif config is not None and key in config.values:
            values[key] = _copy(config.values[key])
            origins[key] = config.origin(key)
        else:
            values[key] = _copy(DEFAULTS[key])
            origins[key] = ORIGIN_DEFAULT
    searched = search_bounds(start) if config is None else None
    return Settings(values, origins, config, searched)


def _merge_limits(config: Config | None, cli: Mapping[str, Any] | None) -> tuple[dict[str, int], str]:
    merged = _copy(DEFAULTS["limits"])
    origins = []
    if cli:
        given = {k: v for k, v in cli.items() if v is not None}
        if given:
            merged.update(given)
            origins.append(ORIGIN_COMMAND_LINE)
    if config is not None and "limits" in config.values:
        merged.update({k: v for k, v in config.values["limits"].items() if not (cli and cli.get(k) is not None)})
        origins.append(config.origin("limits"))
    return merged, ", ".join(origins) or ORIGIN_DEFAULT


def _normalise(key: str, value: Any) -> Any:
    if key == "formats":
        items = [value] if isinstance(value, (str, dict)) else list(value)
        return [{"format": i, "output": None} if isinstance(i, str)
                else {"format": i["format"], "output": None if i.get("output") in (None, "-") else i["output"]}
                for i in items]
    if isinstance(value, (tuple, list)):
        return [str(v) for v in value]
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    return value


def show_config(settings: Settings) -> str:
    """Every key with its value (JSON) and where it came from, aligned, after a line naming the file."""
    config = settings.config
    if config is not None:
        head = f"configuration file: {config.display}"
        if config.file.name.lower().endswith(".toml"):
            head += f" ({TABLE_NAME} on line {config.table_line})"
        if config.found_by != "discovery":
            head += f" (from {config.found_by})"
    else:
        start, root = settings.searched or search_bounds()
        stop = f"the repository root {root}" if root is not None else "the filesystem root (no .git found)"
        head = f"no configuration file found (searched from {start} up to {stop})"
    rows = [(key, json.dumps(settings.values[key], ensure_ascii=False), settings.origins[key]) for key in KEYS]
    key_width = max(len(k) for k, _, _ in rows)
    value_width = min(max(len(v) for k, v, _ in rows if k != "limits"), 48)  # limits: always long, never aligned
    lines = [head]
    for key, value, origin in rows:
        lines.append(f"  {key:<{key_width}}  {value:<{value_width}}  {origin}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------------
# lines of a TOML document (tomllib gives none)
# ---------------------------------------------------------------------------------------------------

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_TOML_SCALAR = re.compile(r"[^,\]}\n#]*")


class _TomlLines:
    """The line of every key, table and array element of a TOML text that tomllib has already accepted.

    Paths are spelled like field paths elsewhere: ``tool.compliance-engine.formats[1].output``."""

    def __init__(self, text: str):
        self.s = text
        self.i = 0
        self.newlines = [i for i, c in enumerate(text) if c == "\n"]
        self.lines: dict[str, int] = {}
        self.array_tables: dict[tuple, int] = {}

    def line(self, pos: int | None = None) -> int:
        return bisect.bisect_right(self.newlines, self.i if pos is None else pos) + 1

    def note(self, path: tuple, line: int) -> None:
        self.lines.setdefault(_loc_path(path), line)

    def scan(self) -> dict[str, int]:
        table: tuple = ()
        while True:
            self.skip(newlines=True)
            if self.i >= len(self.s):
                return self.lines
            line = self.line()
            if self.s.startswith("[[", self.i):
                self.i += 2
                keys = self.key()
                parent = self.expand(keys[:-1])
                name = parent + (keys[-1],)
                index = self.array_tables.get(name, -1) + 1
                self.array_tables[name] = index
                table = name + (index,)
                self.note_prefixes(table, line)
                self.i = self.s.index("]]", self.i) + 2
            elif self.s.startswith("[", self.i):
                self.i += 1
                table = self.expand(self.key())
                self.note_prefixes(table, line)
                self.i = self.s.index("]", self.i) + 1
            else:
                keys = self.key()
                self.note_prefixes(table + keys, line)
                self.skip()
                self.i += 1  # '='
                self.skip()
                self.value(table + keys)

    def note_prefixes(self, path: tuple, line: int) -> None:
        for n in range(1, len(path) + 1):
            self.note(path[:n], line)

    def expand(self, keys: tuple) -> tuple:
        """Header keys to a path, with the current index of every array of tables on the way."""
        path: tuple = ()
        for k in keys:
            path += (k,)
            if path in self.array_tables:
                path += (self.array_tables[path],)
        return path

    def skip(self, newlines: bool = False) -> None:
        s = self.s
        while self.i < len(s):
            c = s[self.i]
            if c in " \t\r" or (newlines and c == "\n"):
                self.i += 1
            elif c == "#" and newlines:
                end = s.find("\n", self.i)
                self.i = len(s) if end < 0 else end
            else:
                return

    def key(self) -> tuple:
        parts: list[str] = []
        while True:
            self.skip()
            c = self.s[self.i]
            if c == '"':
                start = self.i
                self.basic_string()
                parts.append(_decode_basic(self.s[start:self.i]))
            elif c == "'":
                end = self.s.index("'", self.i + 1)
                parts.append(self.s[self.i + 1:end])
                self.i = end + 1
            else:
                m = _BARE_KEY.match(self.s, self.i)
                parts.append(m.group(0) if m else "")
                self.i = m.end() if m else self.i + 1
            self.skip()
            if self.i < len(self.s) and self.s[self.i] == ".":
                self.i += 1
                continue
            return tuple(parts)

    def basic_string(self) -> None:
        s, i = self.s, self.i + 1
        while s[i] != '"':
            i += 2 if s[i] == "\\" else 1
        self.i = i + 1

    def multiline_string(self, quote: str) -> None:
        s, i, delim = self.s, self.i + 3, quote * 3
        while not s.startswith(delim, i):
            i += 2 if (quote == '"' and s[i] == "\\") else 1
        i += 3
        while i < len(s) and s[i] == quote:  # up to two quotes may end the content
            i += 1
        self.i = i

    def value(self, path: tuple) -> None:
        s = self.s
        c = s[self.i]
        if s.startswith('"""', self.i) or s.startswith("'''", self.i):
            self.multiline_string(c)
        elif c == '"':
            self.basic_string()
        elif c == "'":
            self.i = s.index("'", self.i + 1) + 1
        elif c == "[":
            self.i += 1
            index = 0
            while True:
                self.skip(newlines=True)
                if s[self.i] == "]":
                    self.i += 1
                    return
                self.note(path + (index,), self.line())
                self.value(path + (index,))
                self.skip(newlines=True)
                if s[self.i] == ",":
                    self.i += 1
                index += 1
        elif c == "{":
            self.i += 1
            while True:
                self.skip(newlines=True)
                if s[self.i] == "}":
                    self.i += 1
                    return
                line = self.line()
                keys = self.key()
                self.note_prefixes(path + keys, line)
                self.skip()
                self.i += 1  # '='
                self.skip()
                self.value(path + keys)
                self.skip(newlines=True)
                if s[self.i] == ",":
                    self.i += 1
        else:  # number, boolean, date and time: up to the next delimiter
            m = _TOML_SCALAR.match(s, self.i)
            self.i = m.end() if m else self.i + 1


def _decode_basic(quoted: str) -> str:
    if "\\" not in quoted:
        return quoted[1:-1]
    import tomllib

    return tomllib.loads(f"k = {quoted}")["k"]
