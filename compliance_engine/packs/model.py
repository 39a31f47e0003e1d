"""In-memory form of rule packs: packs, rules, requirements, derived facts and data tables."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .conditions import Cond


@dataclass
class Requirement:
    kind: str
    spec: Any
    when: Cond
    severity: str | None = None
    if_missing: str = "fail"
    label: str | None = None
    index: int = 0
    children: list["Requirement"] = field(default_factory=list)
    key: str = ""  # "<rule id>#<index path>", e.g. "eu.gpsr.x#2.0"; names its compiled `when`


@dataclass
class Rule:
    id: str
    pack: str
    title: str
    severity: str
    legal_basis: str
    references: list[str]
    effective_from: dt.date | None
    effective_until: dt.date | None
    markets: tuple[str, ...] | None
    scope: str
    when: Cond
    requires: list[Requirement]
    derive: str | None
    message: str | None
    pass_message: str | None
    remediation: str | None
    waivable: bool
    tags: list[str]
    verification: list[dict]
    unverified: bool
    file: str
    line: int
    condition: Cond | None = None  # the full applicability condition (markets, scope and when)
    escalate_on: dt.date | None = None  # from this date, failures at the rule's severity fail at escalate_to
    escalate_to: str | None = None

    def severity_on(self, on: dt.date) -> str:
        """The rule's severity on a date (from ``escalates.from`` it is ``escalates.to``)."""
        if self.escalate_on is not None and on >= self.escalate_on:
            return self.escalate_to or self.severity
        return self.severity

    def all_requirements(self) -> list[Requirement]:
        """Every requirement of the rule, nested ``any_of`` alternatives included, in a stable order."""
        out: list[Requirement] = []

        def go(reqs: list[Requirement]) -> None:
            for q in reqs:
                out.append(q)
                go(q.children)

        go(self.requires)
        return out

    def in_force(self, on: dt.date) -> bool:
        if self.effective_from is not None and on < self.effective_from:
            return False
        if self.effective_until is not None and on >= self.effective_until:
            return False
        return True

    def to_dict(self) -> dict:
        return {
            "id": self.id, "pack": self.pack, "title": self.title, "severity": self.severity,
            "legal_basis": self.legal_basis, "references": list(self.references),
            "effective": {"from": self.effective_from.isoformat() if self.effective_from else None,
                          "until": self.effective_until.isoformat() if self.effective_until else None},
            "markets": list(self.markets) if self.markets else None, "scope": self.scope,
            "escalates": {"from": self.escalate_on.isoformat(), "to": self.escalate_to} if self.escalate_on else None,
            "waivable": self.waivable, "derive": self.derive, "tags": list(self.tags),
            "unverified": self.unverified, "file": self.file, "line": self.line,
        }


@dataclass
class DeriveRule:
    fact: str
    when: Cond
    pack: str
    file: str
    line: int


@dataclass
class DataTable:
    name: str
    title: str
    source: list[str]
    as_of: str
    entries: Any
    file: str
    coverage: str | None = None
    path: str | None = None  # the absolute file it was read from (the compiled-pack cache checks it)


@dataclass
class Pack:
    id: str
    title: str
    jurisdiction: str
    version: str
    markets: tuple[str, ...]
    sources: list[dict]
    rules: list[Rule]
    derives: list[DeriveRule]
    tables: dict[str, DataTable]
    file: str
    digest: str
    min_engine_version: str | None = None
    description: str | None = None

    def summary(self) -> dict:
        return {"id": self.id, "version": self.version, "rules": len(self.rules)}
