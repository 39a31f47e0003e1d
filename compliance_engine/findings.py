"""Findings and reports: the data every formatter reads (contract: shared/spec/report.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .version import __version__

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
STATUSES = ("pass", "fail", "waived")  # an `upcoming` finding (check --horizon) keeps pass/fail and sets applies_from


@dataclass
class Finding:
    rule: str
    status: str
    severity: str
    title: str
    message: str
    legal_basis: str
    references: list[str]
    location: dict[str, Any]
    missing_documents: list[dict] = field(default_factory=list)
    missing_fields: list[str] = field(default_factory=list)
    remediation: str | None = None
    pack: str | None = None
    waiver: dict[str, Any] | None = None  # the waiver that waived it, or an expired/refused one (with its reason)
    applies_from: str | None = None  # upcoming findings: the date the rule comes into force
    evidence: list[dict] = field(default_factory=list)  # documents/registrations that satisfied it (in-process only)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "rule": self.rule,
            "status": self.status,
            "severity": self.severity,
            "title": self.title,
            "message": self.message,
            "missing_documents": self.missing_documents,
            "missing_fields": self.missing_fields,
            "legal_basis": self.legal_basis,
            "references": self.references,
            "location": self.location,
        }
        if self.remediation:
            out["remediation"] = self.remediation
        if self.waiver:
            out["waiver"] = self.waiver
        if self.applies_from:
            out["applies_from"] = self.applies_from
        return out


@dataclass
class UnitResult:
    file: str
    sku: str
    market: str
    marketplace: str | None
    findings: list[Finding]
    upcoming: list[Finding] | None = None  # with check --horizon: rules coming into force within it

    def sort_key(self) -> tuple:
        return (self.file, self.sku, self.market, self.marketplace or "")

    def to_dict(self) -> dict[str, Any]:
        out = {"file": self.file, "sku": self.sku, "market": self.market, "marketplace": self.marketplace,
               "findings": [f.to_dict() for f in self.findings]}
        if self.upcoming is not None:
            out["upcoming"] = [f.to_dict() for f in self.upcoming]
        return out


@dataclass
class Report:
    as_of: str
    packs: list[dict]
    results: list[UnitResult] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)  # unknown open-vocabulary keys, expired waivers; never change the exit code
    horizon: int | None = None  # check --horizon DAYS: results carry `upcoming`

    @property
    def upcoming(self) -> list[Finding]:
        return [f for r in self.results for f in (r.upcoming or [])]

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.results for f in r.findings]

    def summary(self) -> dict[str, int]:
        fs = self.findings
        return {
            "checked": len(self.results),
            "findings": len(fs),
            "passed": sum(f.status == "pass" for f in fs),
            "failed": sum(f.status == "fail" for f in fs),
            "waived": sum(f.status == "waived" for f in fs),
            "errors": len(self.errors),
            **({"upcoming": sum(f.status == "fail" for f in self.upcoming)} if self.horizon is not None else {}),
        }

    def failed_at_or_above(self, severity: str) -> bool:
        if severity == "never":
            return False
        rank = SEVERITY_RANK[severity]
        return any(f.status == "fail" and SEVERITY_RANK[f.severity] >= rank for f in self.findings)

    def exit_code(self, fail_on: str = "error") -> int:
        """0 nothing failed at or above ``fail_on``; 1 something did; 2 an input could not be read."""
        if self.errors:
            return 2
        return 1 if self.failed_at_or_above(fail_on) else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "report_version": 1,
            "tool": {"name": "compliance-engine", "version": __version__},
            "as_of": self.as_of,
            **({"horizon_days": self.horizon} if self.horizon is not None else {}),
            "packs": self.packs,
            "results": [r.to_dict() for r in self.results],
            "errors": self.errors,
            "warnings": self.warnings,
            "summary": self.summary(),
        }
