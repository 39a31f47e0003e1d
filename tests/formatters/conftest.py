"""Reports to render: the real check of products/ (built once per test session) and a small hand-made report that has
every case the checker cannot be relied on to produce here (waivers of both kinds, an expired waiver, upcoming
findings, input errors, text that needs escaping)."""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance_engine.findings import Finding, Report, UnitResult
from tests.conftest import ROOT

DATA = Path(__file__).resolve().parent.parent / "data"
SARIF_SCHEMA = DATA / "sarif" / "sarif-schema-2.1.0.json"
JUNIT_XSD = DATA / "junit" / "junit-10.xsd"

TRICKY = "Pipe | in text,\nsecond line: 100 % sure <b>not bold</b> *nor italic* & [no link](x)"


@pytest.fixture(scope="session")
def real_checker():
    from compliance_engine.checker import Checker

    return Checker(as_of="2026-11-24")


@pytest.fixture(scope="session")
def real_report(real_checker) -> Report:
    """The check of products/ with absolute file names (so paths do not depend on the working directory)."""
    return real_checker.check_paths([ROOT / "products"])


def finding(rule: str, status: str = "fail", severity: str = "error", *, file: str, line: int = 10,
            field: str | None = "labelling.marks", message: str | None = None, **kw) -> Finding:
    location = {"file": file, "line": line, **({"field": field} if field else {})}
    return Finding(rule=rule, status=status, severity=severity, title=f"Title of {rule}",
                   message=message or f"{rule} says {status}.", legal_basis=f"Basis of {rule}",
                   references=[f"https://example.org/{rule}", "https://example.org/second"], location=location,
                   pack=rule.rsplit(".", 1)[0], **kw)


def make_report(repo: Path) -> Report:
    """Two products in a repository at ``repo`` (absolute file names), a central waivers file, one bad manifest."""
    a = str(repo / "products" / "speaker.yaml")
    b = str(repo / "products" / "toy.yaml")
    central = str(repo / "waivers.yaml")
    speaker_de = UnitResult(a, "X1-SPK", "DE", "amazon", [
        finding("eu.gpsr.listing-information", file=a, line=41, field="listings[0].displays", message=TRICKY,
                missing_documents=[{"type": "eu-declaration-of-conformity", "detail": "covering RED"},
                                   {"type": "epr-packaging", "kind": "registration", "detail": "for DE"}],
                missing_fields=["listings[0].displays: responsible-person"], remediation="Show the operator."),
        finding("eu.gpsr.traceability", "pass", file=a, line=5, field=None),
        finding("eu.gpsr.warnings-language", "waived", "warning", file=a, line=60, field="labelling.languages",
                waiver={"reason": "Label reprint ordered | ticket OPS-412", "owner": "qa@brand.example",
                        "expires": "2026-12-31", "source": "manifest", "file": a, "line": 88}),
        finding("eu.reach.svhc", "fail", "warning", file=a, line=70, field="substances",
                waiver={"reason": "old exemption", "expires": "2026-01-31", "source": "central", "file": central,
                        "line": 2, "expired": True}),
    ], upcoming=[
        finding("eu.gpsr.new-duty", "fail", "error", file=a, line=12, field="markings", applies_from="2026-12-13",
                missing_documents=[{"type": "safety-assessment"}]),
        finding("eu.gpsr.other-duty", "pass", "error", file=a, line=13, applies_from="2026-12-20"),
    ])
    toy_us = UnitResult(b, "+49-TOY", "US", None, [
        finding("us.cpsc.tracking-label", "fail", "info", file=b, line=3, field="labelling.marks",
                message="=HYPERLINK(\"http://evil.example\")"),
        finding("us.cpsc.cpc", "waived", "error", file=b, line=20, field="documents",
                waiver={"reason": "Samples only, not for sale", "source": "central", "file": central, "line": 6}),
    ], upcoming=[])
    return Report(as_of="2026-11-24", packs=[{"id": "eu.gpsr", "version": "2025.1", "rules": 9},
                                             {"id": "eu.reach", "version": "2026.1", "rules": 7},
                                             {"id": "us.cpsc", "version": "2026.2", "rules": 4}],
                  results=[speaker_de, toy_us],
                  errors=[{"file": str(repo / "products" / "broken.yaml"), "line": 7,
                           "message": "category: 'electronic' is not a known category, did you mean 'electronics'?"}],
                  warnings=[{"file": central, "line": 2, "message": "waiver for rule eu.reach.svhc expired on 2026-01-31"}],
                  horizon=30)


@pytest.fixture
def repo(tmp_path) -> Path:
    (tmp_path / ".git").mkdir()
    return tmp_path


@pytest.fixture
def made_report(repo) -> Report:
    return make_report(repo)
