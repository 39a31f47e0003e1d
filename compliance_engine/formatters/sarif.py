"""SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, any SARIF viewer).

One run. ``tool.driver`` lists every rule of the checked packs (``rules=``; without it, the rules seen in the
findings) with its help URI (the rule's first reference), default level (error -> error, warning -> warning,
info -> note), legal basis, pack and tags; ``tool.extensions`` holds one component per rule pack with its version.

Results are the failing and the waived findings; passing findings are left out, because code scanning shows
every result as an alert. Upcoming findings (``--horizon``) are left out too: they are not in force yet. A waived
finding carries a suppression (``inSource`` for a manifest's ``waivers:``, ``external`` for a central waivers
file) with the waiver's reason as justification. Each result's location is the manifest, relative to the
repository root, and the line of the field it is about; the field path is the logical location.

``partialFingerprints["complianceFinding/v1"]`` hashes rule id, file, field path, SKU, market and marketplace, not
the line: moving a block of YAML keeps the alert. Input errors and warnings are ``toolExecutionNotifications``;
``executionSuccessful`` is false when an input could not be read. No timestamps: the same report gives the same
bytes.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path, PurePosixPath
from typing import Any, Iterable
from urllib.parse import quote, urlsplit

from ..findings import Finding, Report
from ..version import __version__
from .common import Located, document_text, line_of, located, relative_file, resolve_root, unit_name, waiver_text

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/compliance-engine/compliance-engine"
FINGERPRINT_KEY = "complianceFinding/v1"
SOURCE_ROOT = "%SRCROOT%"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "info": "recommendation"}


def render(report: Report, *, root: Path | None = None, rules: Iterable[Any] | None = None, **_: object) -> str:
    root = resolve_root(root)
    return json.dumps(sarif_log(report, root, rules), indent=2, ensure_ascii=False) + "\n"


def sarif_log(report: Report, root: Path, rules: Iterable[Any] | None = None) -> dict:
    """The SARIF log as a dict (``render`` serialises it)."""
    items = located(report, root)
    descriptors = _rule_descriptors(rules, report)
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    run: dict[str, Any] = {
        "tool": {
            "driver": {"name": "compliance-engine", "semanticVersion": __version__, "version": __version__,
                       "informationUri": INFORMATION_URI, "rules": descriptors},
            "extensions": [{"name": p["id"], "version": str(p.get("version", "")),
                            "properties": {"rules": p.get("rules", 0)}} for p in report.packs],
        },
        "automationDetails": {"id": "compliance-engine/"},
        "invocations": [_invocation(report, root)],
        "columnKind": "unicodeCodePoints",
        "results": [_result(x, index, root) for x in items],
        "properties": {"as_of": report.as_of, **({"horizon_days": report.horizon} if report.horizon is not None else {})},
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def fingerprint(rule: str, file: str, field: str | None, sku: str, market: str, marketplace: str | None) -> str:
    """Stable identity of a finding across runs: not the line, so moving YAML around keeps the alert."""
    key = "\x1f".join([rule, file, field or "", sku, market, marketplace or ""])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _rule_descriptors(rules: Iterable[Any] | None, report: Report) -> list[dict]:
    by_id: dict[str, dict] = {}
    for r in rules or ():
        by_id[r.id] = _descriptor(r.id, r.title, r.severity, r.legal_basis, list(r.references), r.pack,
                                  list(getattr(r, "tags", []) or []), getattr(r, "remediation", None))
    for f in [*report.findings, *report.upcoming]:  # a rule seen in a finding is always described
        if f.rule not in by_id:
            by_id[f.rule] = _descriptor(f.rule, f.title, f.severity, f.legal_basis, list(f.references),
                                        f.pack or f.rule.rsplit(".", 1)[0], [], f.remediation)
    return [by_id[k] for k in sorted(by_id)]


def _descriptor(rule_id: str, title: str, severity: str, legal_basis: str, references: list[str], pack: str,
                tags: list[str], remediation: str | None) -> dict:
    help_lines = [title, "", f"Legal basis: {legal_basis}"]
    if remediation:
        help_lines += ["", f"Fix: {remediation}"]
    if references:
        help_lines += ["", "References:", *(f"- {u}" for u in references)]
    out: dict[str, Any] = {
        "id": rule_id,
        "name": rule_id,
        "shortDescription": {"text": title},
        "fullDescription": {"text": legal_basis or title},
        "help": {"text": "\n".join(help_lines)},
        "defaultConfiguration": {"level": LEVELS.get(severity, "warning")},
        "properties": {"tags": sorted(set(tags) | {"compliance", pack}),
                       "problem.severity": PROBLEM_SEVERITY.get(severity, "warning"),
                       "legal_basis": legal_basis, "pack": pack},
    }
    uri = next((u for u in references if _is_web_uri(u)), None)
    if uri:
        out["helpUri"] = uri
    return out


def _is_web_uri(text: str) -> bool:
    if any(c.isspace() for c in text):
        return False
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _artifact(file: str) -> dict:
    """An artifactLocation: relative to the source root, or a file: URI outside it."""
    if PurePosixPath(file).is_absolute() or (len(file) > 2 and file[1] == ":"):
        return {"uri": Path(file).as_uri()}
    return {"uri": quote(file, safe="/-._~"), "uriBaseId": SOURCE_ROOT}


def _physical(file: str, line: int) -> dict:
    return {"physicalLocation": {"artifactLocation": _artifact(file), "region": {"startLine": line}}}


def _message(f: Finding, unit_text: str) -> str:
    parts = [f.message.rstrip()]
    if f.missing_documents:
        parts.append("Missing documents: " + "; ".join(document_text(d) for d in f.missing_documents) + ".")
    if f.missing_fields:
        parts.append("Missing fields: " + "; ".join(f.missing_fields) + ".")
    if f.status == "waived" and f.waiver:
        parts.append(f"Waived: {waiver_text(f.waiver)}.")
    elif f.waiver and f.waiver.get("expired"):
        parts.append(f"Waiver expired: {waiver_text(f.waiver)}.")
    elif f.waiver and f.waiver.get("refused"):
        parts.append(f"Waiver refused ({f.waiver['refused']}): {waiver_text(f.waiver)}.")
    parts.append(f"[{unit_text}]")
    return " ".join(parts)


def _result(x: Located, index: dict[str, int], root: Path) -> dict:
    f, r = x.finding, x.unit
    waiver = dict(f.waiver) if f.waiver else None
    if waiver and waiver.get("file"):
        waiver["file"] = relative_file(str(waiver["file"]), root)
    location = _physical(x.file, x.line)
    if x.field:
        location["logicalLocations"] = [{"fullyQualifiedName": x.field, "kind": "property"}]
    out: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": index[f.rule],
        "kind": "fail",
        "level": LEVELS.get(f.severity, "warning"),
        "message": {"text": _message(f, unit_name(r))},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(f.rule, x.file, x.field, r.sku, r.market, r.marketplace)},
        "properties": {
            "status": f.status, "severity": f.severity, "sku": r.sku, "market": r.market,
            "marketplace": r.marketplace, "field": x.field,
            "missing_documents": [document_text(d) for d in f.missing_documents],
            "missing_fields": list(f.missing_fields),
            **({"remediation": f.remediation} if f.remediation else {}),
            **({"waiver": waiver} if waiver else {}),
        },
    }
    if f.status == "waived":
        w = waiver or {}
        suppression: dict[str, Any] = {"kind": "inSource" if w.get("source", "manifest") == "manifest" else "external",
                                       "status": "accepted", "justification": str(w.get("reason", ""))}
        if w.get("file") and not str(w["file"]).startswith("<"):
            suppression["location"] = _physical(str(w["file"]), line_of(w))
        out["suppressions"] = [suppression]
    return out


def _invocation(report: Report, root: Path) -> dict:
    notes = []
    for level, problems in (("error", report.errors), ("warning", report.warnings)):
        for p in sorted(problems, key=lambda p: (str(p.get("file", "")), line_of(p), str(p.get("message", "")))):
            note: dict[str, Any] = {"level": level, "message": {"text": str(p.get("message", ""))},
                                    "descriptor": {"id": "input-error" if level == "error" else "input-warning"}}
            file = str(p.get("file") or "")
            if file and not file.startswith(("<", "-")):
                note["locations"] = [_physical(relative_file(file, root), line_of(p))]
            elif file:
                note["message"]["text"] = f"{file}: {note['message']['text']}"
            notes.append(note)
    out: dict[str, Any] = {"executionSuccessful": not report.errors}
    if notes:
        out["toolExecutionNotifications"] = notes
    return out
