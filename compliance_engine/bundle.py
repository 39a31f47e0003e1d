"""Evidence bundles: one check unit's evidence files in a zip, with an index mapping each rule to its evidence.

:func:`select_unit` finds the unit of a SKU in a market (and marketplace); :func:`build_bundle` collects the files
of the documents that satisfied the unit's rules (the findings' evidence) and writes the zip in memory:

- ``evidence/<path of the file inside its repository>``: each evidence file once, however many rules rely on it;
- ``index.json`` and ``index.md``: the unit, as-of date, tool and pack versions; per rule its status, title, legal
  basis, references, evidence (type, id, issued, expires, file in the bundle or "declared without a file"),
  missing documents and waiver; the missing documents of all failing rules; the waived rules; the files with
  their SHA-256.

The zip is deterministic: entries sorted by name, every timestamp 1980-01-01 00:00:00, permissions 0644,
ZIP_DEFLATED; the same input gives the same bytes.

A document ``file:`` of the unit's product or seller manifest that lies outside the repository of that manifest
(:func:`compliance_engine.paths.contained_file`: through ``..``, or a symlink pointing out) is refused:
:class:`InputError`, nothing is built. Never prints, never exits.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ComplianceEngineError, InputError, InputProblem
from .findings import SEVERITY_RANK, Finding, Report, UnitResult
from .loading import LoadResult
from .paths import contained_file, manifest_repository, repo_relative, repo_root
from .formatters.markdown import table
from .version import __version__

BUNDLE_VERSION = 1
ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)
ZIP_FILE_MODE = 0o100644  # regular file, rw-r--r--
NO_FILE = "declared without a file"


class UnitNotFound(ComplianceEngineError):
    """No product with that SKU, or no unit of it in that market and marketplace (the message says which exist)."""


@dataclass
class EvidenceFile:
    """One file copied into the bundle."""

    name: str  # path inside the zip: evidence/...
    source: Path  # the file on disk, symlinks resolved
    shown: str  # the file's path inside its repository
    data: bytes
    sha256: str


@dataclass
class Bundle:
    data: bytes  # the zip
    index: dict[str, Any]  # what index.json holds
    files: list[EvidenceFile] = field(default_factory=list)

    @property
    def missing(self) -> list[dict]:
        return self.index["missing"]

    @property
    def sources(self) -> list[Path]:
        return [f.source for f in self.files]


# ---------------------------------------------------------------------------------------------- the unit
def select_unit(report: Report, loaded: LoadResult, sku: str, market: str, marketplace: str | None = None) -> UnitResult:
    """The unit of ``sku`` in ``market`` (and ``marketplace``); ``marketplace`` may be omitted when the product has
    exactly one unit there. Raises :class:`UnitNotFound` naming what exists."""
    from .units import build_units

    skus = sorted({str(m.data.get("sku")) for m in loaded.manifests if m.kind == "Product"})
    if sku not in skus:
        close = difflib.get_close_matches(sku, skus, n=3)
        shown = ", ".join(skus[:10]) + (f" and {len(skus) - 10} more" if len(skus) > 10 else "")
        hint = f" (did you mean {', '.join(close)}?)" if close else (f" (products: {shown})" if skus else " (no product found)")
        raise UnitNotFound(f"no product {sku}{hint}")
    market = market.upper()
    candidates = [r for r in report.results if r.sku == sku and r.market == market]
    if marketplace is not None:
        chosen = [r for r in candidates if (r.marketplace or "") == marketplace]
    else:
        chosen = candidates
    if len(chosen) == 1:
        return chosen[0]
    units, _ = build_units(loaded.manifests)
    existing = [_unit_name(u.market, u.marketplace) for u in units if u.sku == sku]
    listed = ", ".join(existing) if existing else "none (the product lists no markets)"
    if len(chosen) > 1:
        raise UnitNotFound(f"{sku} has {len(chosen)} listings in {market} ({', '.join(r.marketplace or '-' for r in chosen)}); "
                           f"choose one with --marketplace")
    wanted = _unit_name(market, marketplace)
    raise UnitNotFound(f"{sku} has no unit {wanted}; its units: {listed}")


def _unit_name(market: str, marketplace: str | None) -> str:
    return f"{market}/{marketplace}" if marketplace else market


# ---------------------------------------------------------------------------------------------- the files
def _declaring_manifest(loaded: LoadResult, ev: dict) -> Any:
    """The manifest that declares an evidence entry: in its file, the last document starting at or before its line."""
    in_file = [m for m in loaded.manifests if m.file == ev["manifest"] and m.document.first_line <= ev.get("line", 1)]
    return max(in_file, key=lambda m: m.document.first_line, default=None)


def _unit_manifests(result: UnitResult, loaded: LoadResult) -> list[Any]:
    """The manifests whose documents the unit can rely on: its product's and the seller's."""
    return [m for m in loaded.manifests
            if (m.kind == "Product" and m.file == result.file and str(m.data.get("sku")) == result.sku)
            or m.kind == "Seller"]


def _outside_files(result: UnitResult, loaded: LoadResult) -> list[InputProblem]:
    """A problem for every document ``file:`` of the unit's manifests that lies outside its manifest's repository
    (:func:`compliance_engine.paths.contained_file`), whether or not a rule relies on it: the check already refuses
    it as evidence, and a bundle is not built from a manifest that points out of its repository."""
    problems: list[InputProblem] = []
    for m in _unit_manifests(result, loaded):
        if m.directory is None:
            continue
        root = manifest_repository(m.directory, m.checked)
        for i, doc in enumerate(m.data.get("documents") or []):
            f = doc.get("file")
            if f and contained_file(str(f), m.directory, root) is None:
                problems.append(InputProblem(m.file, m.line_of(f"documents[{i}].file"),
                                             f"documents[{i}].file: {f} is outside the repository {root}; "
                                             "the bundle only takes files inside it"))
    return problems


def collect_files(result: UnitResult, loaded: LoadResult) -> tuple[dict[tuple, EvidenceFile], list[InputProblem]]:
    """The evidence files of ``result``'s findings, keyed by (manifest, field); problems for document files of the
    unit outside their repository, and for evidence files that cannot be read."""
    files: dict[tuple, EvidenceFile] = {}
    by_source: dict[Path, EvidenceFile] = {}
    taken: set[str] = set()
    problems = _outside_files(result, loaded)
    entries = sorted({(e["manifest"], e["field"]): e for f in result.findings for e in f.evidence
                      if e.get("file") and e.get("directory")}.items(), key=lambda kv: (str(kv[0][0]), kv[0][1]))
    for key, ev in entries:
        directory = Path(ev["directory"])
        manifest = _declaring_manifest(loaded, ev)
        root = manifest_repository(directory, manifest.checked if manifest is not None else None)
        line = manifest.line_of(f"{ev['field']}.file") if manifest is not None else ev.get("line", 1)
        source = contained_file(str(ev["file"]), directory, root)
        if source is None:  # moved out between the check and now
            problems.append(InputProblem(str(ev["manifest"]), line,
                                         f"{ev['field']}.file: {ev['file']} is outside the repository {root}; "
                                         "the bundle only takes files inside it"))
            continue
        if source in by_source:
            files[key] = by_source[source]
            continue
        try:
            data = source.read_bytes()
        except OSError as exc:
            problems.append(InputProblem(str(ev["manifest"]), line,
                                         f"{ev['field']}.file: cannot read {ev['file']}: {exc.strerror or exc}"))
            continue
        relative = source.relative_to(root).as_posix()
        name = f"evidence/{relative}"
        n = 2
        while name in taken:  # two repositories with the same path (a seller kept elsewhere)
            name = f"evidence/{n}/{relative}"
            n += 1
        taken.add(name)
        files[key] = by_source[source] = EvidenceFile(name, source, relative, data, hashlib.sha256(data).hexdigest())
    return files, sorted(set(problems))


# ---------------------------------------------------------------------------------------------- the index
def _evidence_entry(ev: dict, files: dict[tuple, EvidenceFile], root: Path) -> dict[str, Any]:
    held = files.get((ev["manifest"], ev["field"]))
    return {"kind": ev["kind"], "type": ev["type"], "id": ev.get("id"), "issued": ev.get("issued"),
            "expires": ev.get("expires"), "declared_in": f"{repo_relative(str(ev['manifest']), root)}:{ev.get('line', 1)}",
            "field": ev["field"],
            "file": held.name if held else None, **({} if held else {"note": NO_FILE})}


def _missing(findings: list[Finding]) -> list[dict]:
    merged: dict[tuple, dict] = {}
    for f in findings:
        if f.status != "fail":
            continue
        for need in f.missing_documents:
            kind = "registration" if need.get("kind") == "registration" else "document"
            key = (kind, need["type"], need.get("detail") or "")
            item = merged.setdefault(key, {"kind": kind, "type": need["type"], "detail": need.get("detail") or "",
                                           "rules": [], "severity": f.severity})
            if f.rule not in item["rules"]:
                item["rules"].append(f.rule)
            if SEVERITY_RANK[f.severity] > SEVERITY_RANK[item["severity"]]:
                item["severity"] = f.severity
    for item in merged.values():
        item["rules"].sort()
    return sorted(merged.values(), key=lambda m: (-SEVERITY_RANK[m["severity"]], m["kind"], m["type"], m["detail"]))


def build_index(result: UnitResult, report: Report, files: dict[tuple, EvidenceFile]) -> dict[str, Any]:
    """What index.json holds. Manifest paths are relative to the product manifest's repository (absolute outside it),
    so the index does not depend on the directory the command ran in."""
    root = repo_root(Path(result.file).parent) if not result.file.startswith("<") else Path.cwd()
    used_packs = {f.pack for f in result.findings}
    rules = []
    for f in sorted(result.findings, key=lambda f: f.rule):
        entry: dict[str, Any] = {
            "rule": f.rule, "status": f.status, "severity": f.severity, "title": f.title,
            "legal_basis": f.legal_basis, "references": list(f.references),
            "evidence": [_evidence_entry(e, files, root) for e in f.evidence],
            "missing_documents": [dict(d) for d in f.missing_documents] if f.status != "pass" else [],
            "missing_fields": list(f.missing_fields) if f.status != "pass" else [],
        }
        if f.waiver:
            entry["waiver"] = dict(f.waiver)
        rules.append(entry)
    waived = [{"rule": f.rule, **{k: v for k, v in f.waiver.items() if k in ("reason", "owner", "expires", "file", "line")}}
              for f in sorted(result.findings, key=lambda f: f.rule) if f.status == "waived" and f.waiver]
    unique = sorted({id(x): x for x in files.values()}.values(), key=lambda x: x.name)
    missing = _missing(result.findings)
    return {
        "bundle_version": BUNDLE_VERSION,
        "tool": {"name": "compliance-engine", "version": __version__},
        "as_of": report.as_of,
        "unit": {"sku": result.sku, "file": repo_relative(result.file, root), "market": result.market, "marketplace": result.marketplace},
        "packs": [{"id": p["id"], "version": p["version"]} for p in report.packs if p["id"] in used_packs],
        "rules": rules,
        "missing": missing,
        "waived": waived,
        "files": [{"path": x.name, "source": x.shown, "sha256": x.sha256, "bytes": len(x.data)} for x in unique],
        "summary": {"rules": len(rules), "passed": sum(f.status == "pass" for f in result.findings),
                    "failed": sum(f.status == "fail" for f in result.findings),
                    "waived": sum(f.status == "waived" for f in result.findings),
                    "evidence_files": len(unique), "missing": len(missing)},
    }


def render_index_markdown(index: dict[str, Any]) -> str:
    u, s = index["unit"], index["summary"]
    where = f"{u['sku']} in {u['market']}" + (f" ({u['marketplace']})" if u["marketplace"] else "")
    out = [f"# Evidence bundle: {where}", "",
           f"- Product: {u['sku']} ({u['file']})",
           f"- Market: {u['market']}" + (f", marketplace {u['marketplace']}" if u["marketplace"] else ", no listing"),
           f"- As of: {index['as_of']}",
           f"- Tool: {index['tool']['name']} {index['tool']['version']}",
           "- Packs: " + (", ".join(f"{p['id']} {p['version']}" for p in index["packs"]) or "none"),
           f"- Rules: {s['rules']} ({s['passed']} pass, {s['failed']} fail, {s['waived']} waived); "
           f"evidence files: {s['evidence_files']}; documents missing: {s['missing']}",
           "", "## Missing", ""]
    if index["missing"]:
        out += table(["Kind", "Type", "Detail", "Severity", "Rules"],
                      [[m["kind"], m["type"], m["detail"], m["severity"], ", ".join(m["rules"])] for m in index["missing"]])
    else:
        out.append("Nothing is missing.")
    if index["waived"]:
        out += ["", "## Waived", ""]
        out += table(["Rule", "Reason", "Owner", "Expires", "Waiver"],
                      [[w["rule"], w.get("reason"), w.get("owner"), w.get("expires"), f"{w.get('file')}:{w.get('line')}"]
                       for w in index["waived"]])
    out += ["", "## Rules"]
    for r in index["rules"]:
        out += ["", f"### {r['rule']}: {r['status']}", "", f"{r['title']} ({r['severity']})", "",
                f"- Legal basis: {r['legal_basis']}"]
        out += [f"- Reference: {ref}" for ref in r["references"]]
        if r.get("waiver") and r["status"] == "waived":
            out.append(f"- Waived: {r['waiver'].get('reason')}")
        for d in r["missing_documents"]:
            out.append(f"- Missing {d.get('kind', 'document')}: {d['type']}" + (f" ({d['detail']})" if d.get("detail") else ""))
        for m in r["missing_fields"]:
            out.append(f"- Missing field: {m}")
        if r["evidence"]:
            out += ["", *table(["Kind", "Type", "Id", "Issued", "Expires", "Declared in", "File"],
                                [[e["kind"], e["type"], e["id"], e["issued"], e["expires"], e["declared_in"],
                                  e["file"] or NO_FILE] for e in r["evidence"]])]
    out += ["", "## Files", ""]
    if index["files"]:
        out += table(["File in bundle", "Source", "SHA-256"], [[f["path"], f["source"], f["sha256"]] for f in index["files"]])
    else:
        out.append("No evidence file.")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------- the zip
def deterministic_zip(entries: dict[str, bytes]) -> bytes:
    """A zip of ``entries`` (name -> bytes): sorted, fixed timestamps and permissions, ZIP_DEFLATED."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, so external_attr reads as permissions everywhere
            info.external_attr = ZIP_FILE_MODE << 16
            zf.writestr(info, entries[name])
    return buf.getvalue()


def build_bundle(result: UnitResult, report: Report, loaded: LoadResult) -> Bundle:
    """The evidence bundle of one unit. Raises :class:`InputError` when an evidence file lies outside its
    repository (or cannot be read)."""
    files, problems = collect_files(result, loaded)
    if problems:
        raise InputError(problems)
    index = build_index(result, report, files)
    entries = {"index.json": (json.dumps(index, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
               "index.md": render_index_markdown(index).encode("utf-8")}
    unique = sorted({id(x): x for x in files.values()}.values(), key=lambda x: x.name)
    for f in unique:
        entries[f.name] = f.data
    return Bundle(deterministic_zip(entries), index, unique)
