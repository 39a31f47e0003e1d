"""JUnit XML for CI test reports (Jenkins, GitLab, Azure DevOps, CircleCI, test-reporter actions).

``<testsuites name="compliance-engine" tests failures errors>`` holds one ``<testsuite>`` per check unit, named
``SKU · MARKET · marketplace``, with ``file`` = the manifest (relative to the repository root). Each finding is a
``<testcase classname="<pack id>" name="<rule id>" file line>``: a failing finding has a ``<failure>`` (message,
``type`` = severity, and a body with what is missing and the file:line of the field), a waived finding is
``<skipped message="waived: <reason>">``, a passing finding is an empty (passed) testcase. Each suite's
``<properties>`` carry ``as_of``, the unit (sku, market, marketplace) and the version of every pack that judged it
(``pack:<id>``). Input errors are a last suite ``input errors`` with one ``<error>`` testcase per problem.

The output validates against the Jenkins xunit-plugin ``junit-10.xsd`` (tests/data/junit), which allows ``file``
and ``line`` on testcases; that schema has no ``skipped`` attribute on ``<testsuites>``, so the skipped count is
given per suite only. Upcoming findings (``--horizon``) are not testcases: they are not in force yet.
No ``time`` or ``timestamp`` attributes: the same report gives the same bytes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from ..findings import Finding, Report, UnitResult
from .common import failure_details, line_of, pack_versions, relative_file, resolve_root, unit_name, waiver_text

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: object) -> str:
    """Text XML 1.0 can carry (control characters become U+FFFD)."""
    return _NOT_XML.sub("\ufffd", str(text))


def render(report: Report, *, root: Path | None = None, **_: object) -> str:
    root = resolve_root(root)
    versions = pack_versions(report)
    files: dict[str, str] = {}

    def rel(file: str) -> str:
        if file not in files:
            files[file] = relative_file(file, root)
        return files[file]

    suites = ET.Element("testsuites", {"name": "compliance-engine"})
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for r in report.results:
        suite = _unit_suite(r, report.as_of, versions, rel)
        suites.append(suite)
        for k in totals:
            totals[k] += int(suite.get(k, "0"))
    if report.errors:
        suite = _errors_suite(report, rel)
        suites.append(suite)
        totals["tests"] += len(report.errors)
        totals["errors"] += len(report.errors)
    for k, v in totals.items():
        suites.set(k, str(v))
    ET.indent(suites, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _unit_suite(r: UnitResult, as_of: str, versions: dict[str, str], rel) -> ET.Element:
    failures = sum(f.status == "fail" for f in r.findings)
    skipped = sum(f.status == "waived" for f in r.findings)
    suite = ET.Element("testsuite", {"name": _clean(unit_name(r)), "tests": str(len(r.findings)),
                                     "failures": str(failures), "errors": "0", "skipped": str(skipped),
                                     "file": _clean(rel(r.file))})
    props = ET.SubElement(suite, "properties")
    pairs = [("as_of", as_of), ("sku", r.sku), ("market", r.market)]
    if r.marketplace:
        pairs.append(("marketplace", r.marketplace))
    for pack in sorted({f.pack or f.rule.rsplit(".", 1)[0] for f in r.findings}):
        pairs.append((f"pack:{pack}", versions.get(pack, "")))
    for name, value in pairs:
        ET.SubElement(props, "property", {"name": _clean(name), "value": _clean(value)})
    for f in r.findings:
        suite.append(_testcase(f, r, rel))
    return suite


def _testcase(f: Finding, r: UnitResult, rel) -> ET.Element:
    file = rel(str(f.location.get("file") or r.file))
    line = line_of(f.location)
    case = ET.Element("testcase", {"classname": _clean(f.pack or f.rule.rsplit(".", 1)[0]), "name": _clean(f.rule),
                                   "file": _clean(file), "line": str(line)})
    if f.status == "fail":
        failure = ET.SubElement(case, "failure", {"message": _clean(f.message), "type": f.severity})
        failure.text = _clean(_details(f, r, file, line))
    elif f.status == "waived":
        ET.SubElement(case, "skipped", {"message": _clean(f"waived: {waiver_text(f.waiver or {})}")})
    return case


def _details(f: Finding, r: UnitResult, file: str, line: int) -> str:
    field = f.location.get("field")
    lines = [f.message, "", f"{file}:{line}" + (f" ({field})" if field else ""), f"unit: {unit_name(r)}",
             f"rule: {f.rule} ({f.severity}) - {f.title}"]
    lines += failure_details(f)
    lines.append(f"legal basis: {f.legal_basis}")
    lines += [f"see {u}" for u in f.references]
    return "\n".join(lines)


def _errors_suite(report: Report, rel) -> ET.Element:
    suite = ET.Element("testsuite", {"name": "input errors", "tests": str(len(report.errors)), "failures": "0",
                                     "errors": str(len(report.errors)), "skipped": "0"})
    for e in report.errors:
        file = str(e.get("file", ""))
        shown = rel(file) if file and not file.startswith("-") else file
        line = line_of(e)
        case = ET.SubElement(suite, "testcase", {"classname": "input", "name": _clean(f"{shown}:{line}"),
                                                 "file": _clean(shown), "line": str(line)})
        error = ET.SubElement(case, "error", {"message": _clean(e.get("message", "")), "type": "input-error"})
        error.text = _clean(f"{shown}:{line}: {e.get('message', '')}")
    return suite
