"""Read each format back the way its consumers do: the SARIF schema, the GitHub runner's command syntax,
GitHub-flavoured Markdown tables."""

from __future__ import annotations

import json
import re

import jsonschema

from tests.formatters.conftest import SARIF_SCHEMA


def schema_errors(log: dict) -> list[str]:
    """Messages of every violation of the official schema, checked with the draft it declares (draft-04) and with
    draft-07 (what most SARIF consumers use)."""
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    out = []
    for validator in (jsonschema.validators.validator_for(schema), jsonschema.Draft7Validator):
        validator.check_schema(schema)
        out += [f"{validator.__name__}: {'/'.join(map(str, e.absolute_path))}: {e.message}"
                for e in validator(schema).iter_errors(log)]
    return out


COMMAND = re.compile(r"^::(?P<name>[a-z]+)(?: (?P<props>[^:]*))?::(?P<message>.*)$")


def unescape(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def parse_commands(output: str) -> list[dict]:
    """Workflow commands as the runner reads them: name, properties and message, unescaped."""
    out = []
    for line in output.splitlines():
        m = COMMAND.match(line)
        if not m or m["name"] in ("group", "endgroup"):
            continue
        props = dict(p.split("=", 1) for p in m["props"].split(",")) if m["props"] else {}
        out.append({"name": m["name"], **{k: unescape(v) for k, v in props.items()}, "message": unescape(m["message"])})
    return out


_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_UNESCAPE = re.compile(r"\\(.)")


def cell_text(cell: str) -> str:
    return _UNESCAPE.sub(r"\1", cell.strip().replace("<br>", "\n"))


def tables(text: str) -> dict[str, list[dict[str, str]]]:
    """GFM tables under each ### heading, as rows of {column: cell text}; fails on a malformed table."""
    out: dict[str, list[dict[str, str]]] = {}
    heading, lines = None, text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("### ") or line.startswith("<details><summary>"):
            heading = re.sub(r" \(\d+\)$", "", re.sub(r"</?[a-z]+>", "", line.lstrip("# ")).strip())
        if line.startswith("| ") and heading is not None and heading not in out:
            header = [cell_text(c) for c in _CELL_SPLIT.split(line.strip())[1:-1]]
            assert re.fullmatch(r"\|( --- \|)+", lines[i + 1]), lines[i + 1]
            rows, i = [], i + 2
            while i < len(lines) and lines[i].startswith("| "):
                cells = [cell_text(c) for c in _CELL_SPLIT.split(lines[i].strip())[1:-1]]
                assert len(cells) == len(header), lines[i]
                rows.append(dict(zip(header, cells)))
                i += 1
            out[heading] = rows
            continue
        i += 1
    return out
