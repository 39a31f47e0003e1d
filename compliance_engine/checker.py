"""The library's main object: load packs once, check units, build reports. Never prints, never exits."""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import Any, Callable, Iterable

from .engine import Engine, engine_for
from .errors import CheckError, InputError, InputProblem, PackError
from .safe_regex import PatternTooSlow
from .findings import SEVERITY_RANK, Finding, Report, UnitResult
from .loading import LoadResult, load_manifests, validate_document
from .packs.conditions import TRUE, UnitView
from .packs.loader import PackSet
from .packs.model import Requirement, Rule
from .requirements import CHECKS, Context, Outcome, describe, merge_all
from .units import CheckUnit, Source, build_units
from .waivers import Waiver, apply_waivers, load_waiver_file, manifest_waivers
from .yamlsource import Document

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


class Checker:
    """Checks products against rule packs.

    ``Checker(packs=None, as_of=None, rulepacks=())``: ``packs`` selects pack ids or prefixes
    (``["eu.gpsr", "us."]``; default all), ``rulepacks`` adds directories of third-party packs,
    ``as_of`` is the date that decides which rules are in force (default today).
    ``waivers`` is a central waivers file (path) or a list of :class:`~compliance_engine.waivers.Waiver`;
    products' own ``waivers:`` apply too, unless ``use_waivers=False`` (audit mode: report as if none existed).
    A Checker can be shared by threads.
    """

    def __init__(self, packs: Iterable[str] | None = None, as_of: dt.date | str | None = None,
                 rulepacks: Iterable[str | os.PathLike] = (), include_builtin: bool = True,
                 packset: PackSet | None = None, waivers: "str | os.PathLike | list[Waiver] | None" = None,
                 use_waivers: bool = True):
        compiled = None
        if packset is None:  # loaded and compiled once per pack content, then read from the disk cache
            from .packs.cache import load_compiled

            packset, compiled = load_compiled(rulepacks, include_builtin=include_builtin)
        self.packset = packset
        self.as_of = _as_date(as_of) if as_of is not None else dt.date.today()
        selected = list(packs or [])
        if selected:
            unknown = [s for s in selected if not any(_pack_selected(p.id, [s]) for p in self.packset.packs)]
            if unknown:
                known = ", ".join(p.id for p in self.packset.packs)
                raise InputError([InputProblem("--pack", 1, f"no loaded pack matches {', '.join(unknown)} (loaded: {known})")])
        self.selected = selected
        self._pack_summaries: list[dict] | None = None
        self.engine: Engine = engine_for(self.packset, compiled)
        self.rules: dict[str, Rule] = {r.id: r for r in self.packset.rules}
        self._waivable = {r.id: r.waivable for r in self.packset.rules}
        self._tables = {p.id: p.tables for p in self.packset.packs}
        self._pack_keys = self.packset.vocabulary_keys()
        self.use_waivers = use_waivers
        if waivers is None or not use_waivers:
            self.waivers: list[Waiver] = []
        elif isinstance(waivers, (str, os.PathLike)):
            self.waivers = load_waiver_file(waivers)
        else:
            self.waivers = list(waivers)

    # ------------------------------------------------------------------------------ public API
    @property
    def selected_rules(self) -> list[Rule]:
        """The rules of the selected packs, sorted by id."""
        return sorted((r for r in self.rules.values() if _pack_selected(r.pack, self.selected)), key=lambda r: r.id)

    @property
    def pack_summaries(self) -> list[dict]:
        """``[{id, version, rules}]`` of the selected packs (a fresh list; computed once)."""
        if self._pack_summaries is None:
            self._pack_summaries = [p.summary() for p in self.packset.packs if _pack_selected(p.id, self.selected)]
        return [dict(p) for p in self._pack_summaries]

    def check(self, product: Any, market: str, listing: Any = None, seller: Any = None,
              as_of: dt.date | str | None = None) -> list[Finding]:
        """Check one product (model or dict) in one market; returns its findings sorted by rule id."""
        unit = CheckUnit(_as_data(product, "Product"), market, _as_data(listing, "Listing", embedded=True) if listing is not None else None,
                         _as_data(seller, "Seller") if seller is not None else None)
        unit.product_source = Source("<product>", None)
        unit.listing_source = Source("<listing>", None) if listing is not None else None
        unit.seller_source = Source("<seller>", None) if seller is not None else None
        on = _as_date(as_of) if as_of else self.as_of
        result = UnitResult(unit.file, unit.sku, unit.market, unit.marketplace, self.check_unit(unit, on))
        self._apply_waivers([result], [unit], on)
        return result.findings

    def check_unit(self, unit: CheckUnit, as_of: dt.date | None = None, memo: dict | None = None) -> list[Finding]:
        """The unit's findings. ``memo``: a dict shared by the units of one run (see Engine.evaluate)."""
        as_of = as_of or self.as_of
        view = UnitView(unit.product, unit.market, unit.listing, unit.seller)
        evaluation = self.engine.evaluate(view, as_of, memo)
        findings = []
        for rule_id in sorted(evaluation.rules):
            rule = self.rules[rule_id]
            if not _pack_selected(rule.pack, self.selected) or not rule.in_force(as_of):
                continue
            findings.append(self._finding(rule, unit, as_of, evaluation.requirements))
        return findings

    def check_paths(self, paths: Iterable[str | os.PathLike], horizon: int | None = None, limits=None) -> Report:
        """Load manifests under ``paths`` and check every unit; input problems land in ``report.errors``. ``limits``
        (an :class:`~compliance_engine.limits.InputLimits`) bounds each input file; None: the documented defaults."""
        loaded = load_manifests(paths, limits)
        return self.check_loaded(loaded, horizon=horizon)

    def check_loaded(self, loaded: LoadResult, horizon: int | None = None,
                     progress: Callable[[int, int], None] | None = None, markets: Iterable[str] | None = None) -> Report:
        """Check every unit of ``loaded``. ``horizon`` (days) adds each result's ``upcoming`` findings: rules that
        come into force, or escalate, within that many days after ``as_of``, evaluated as of that date.
        ``markets`` (codes; EU and SEA expand) keeps only those markets' units.
        ``progress(done, total)`` is called after each unit."""
        units = self.units_of(loaded, markets)
        findings = []
        memo: dict = {}
        for i, u in enumerate(units, 1):
            findings.append(self.check_unit(u, memo=memo))
            if progress is not None:
                progress(i, len(units))
        upcoming = [self.upcoming_for_unit(u, horizon) for u in units] if horizon is not None else None
        return self.report_of(loaded, units, findings, upcoming, horizon)

    def units_of(self, loaded: LoadResult, markets: Iterable[str] | None = None) -> list[CheckUnit]:
        """The check units of a run (``build_units``), only those of ``markets`` when given; the problems
        ``build_units`` finds are kept on ``loaded`` for :meth:`report_of`."""
        units, problems = build_units(loaded.manifests)
        loaded.unit_problems = problems
        if markets:
            from .markets import expand_markets

            wanted = set(expand_markets(m.upper() for m in markets))
            units = [u for u in units if u.market in wanted]
        return units

    def report_of(self, loaded: LoadResult, units: list[CheckUnit], findings: list[list[Finding]],
                  upcoming: list[list[Finding]] | None, horizon: int | None) -> Report:
        """The report of a run from each unit's findings (and upcoming findings): waivers applied, results
        sorted, input errors and warnings collected. Used by the serial and the parallel run alike."""
        report = Report(as_of=self.as_of.isoformat(), packs=self.pack_summaries, horizon=horizon)
        for i, u in enumerate(units):
            result = UnitResult(u.file, u.sku, u.market, u.marketplace, findings[i])
            if upcoming is not None:
                result.upcoming = upcoming[i]
            report.results.append(result)
        waiver_warnings = self._apply_waivers(report.results, units, self.as_of)
        report.results.sort(key=UnitResult.sort_key)
        report.errors = [p.to_dict() for p in sorted(loaded.problems + loaded.unit_problems)]
        from .vocabulary import vocabulary_warnings

        report.warnings = [p.to_dict() for p in sorted(vocabulary_warnings(loaded.manifests, self._pack_keys) + waiver_warnings)]
        return report

    def upcoming_for_unit(self, unit: CheckUnit, horizon: int, as_of: dt.date | None = None) -> list[Finding]:
        """Findings of the rules that come into force (``effective.from``) or escalate (``escalates.from``) in the
        ``horizon`` days after ``as_of``, each evaluated as of that date, with ``applies_from`` set."""
        as_of = as_of or self.as_of
        end = as_of + dt.timedelta(days=horizon)
        starts: dict[dt.date, set[str]] = {}
        for r in self.rules.values():
            if not _pack_selected(r.pack, self.selected):
                continue
            for day in (r.effective_from, r.escalate_on):
                if day is not None and as_of < day <= end and r.in_force(day):
                    starts.setdefault(day, set()).add(r.id)
        out: list[Finding] = []
        for day in sorted(starts):
            view = UnitView(unit.product, unit.market, unit.listing, unit.seller)
            evaluation = self.engine.evaluate(view, day)
            for rule_id in sorted(starts[day] & set(evaluation.rules)):
                f = self._finding(self.rules[rule_id], unit, day, evaluation.requirements)
                f.applies_from = day.isoformat()
                out.append(f)
        out.sort(key=lambda f: (f.applies_from, f.rule))
        return out

    def _apply_waivers(self, results: list[UnitResult], units: list[CheckUnit], as_of: dt.date) -> list[InputProblem]:
        if not self.use_waivers:
            return []
        waivers = list(self.waivers)
        seen: set[tuple[str, int]] = set()
        for u in units:
            src = u.product_source
            if not u.product.get("waivers") or src is None or (src.file, id(u.product)) in seen:
                continue
            seen.add((src.file, id(u.product)))
            waivers += manifest_waivers(u.product, src.file, src.line_of)
        if not waivers:
            return []
        return apply_waivers(results, waivers, self._waivable, as_of, rule_ids=self.rules)

    # ------------------------------------------------------------------------------ internals
    def _finding(self, rule: Rule, unit: CheckUnit, as_of: dt.date, active: set[str]) -> Finding:
        ctx = Context(unit, as_of, self._tables[rule.pack])
        failed: list[tuple[Requirement, Outcome, str]] = []
        evidence: list[dict] = []
        for q in rule.requires:
            outcome, severity = self._evaluate(rule, q, ctx, active)
            if outcome is not None and not outcome.ok:
                failed.append((q, outcome, severity))
            elif outcome is not None:
                evidence += [e for e in outcome.evidence if e not in evidence]
        missing_documents: list[dict] = []
        missing_fields: list[str] = []
        notes: list[str] = []
        for found in ctx.notes.values():  # what this rule's computing requirements found (size tier, ratio)
            for n in found:
                if n not in notes:
                    notes.append(n)
        for _, o, _ in failed:
            for d in o.missing_documents:
                if d not in missing_documents:
                    missing_documents.append(d)
            for f in o.missing_fields:
                if f not in missing_fields:
                    missing_fields.append(f)
        if failed:
            status = "fail"
            severity = max((s for _, _, s in failed), key=SEVERITY_RANK.__getitem__)
            where = next((o.where for _, o, _ in failed if o.where), None)
            src, path = where if where else (unit.product_source, "")
        else:
            status, severity = "pass", rule.severity_on(as_of)
            src, path = unit.product_source, ""
        src = src or unit.product_source
        location = {"file": src.file if src else unit.file, "line": src.line_of(path) if src else 1}
        shown = f"{src.prefix}.{path}" if (src and src.prefix and path) else ((src.prefix if src else "") or path)
        if shown:
            location["field"] = shown
        failed_text = "; ".join(_failure_text(q, o) for q, o, _ in failed)
        values = {"sku": unit.sku, "market": unit.market, "marketplace": unit.marketplace or "",
                  "failed": failed_text, "title": rule.title,
                  "missing_documents": ", ".join(d["type"] for d in missing_documents),
                  "missing_fields": ", ".join(missing_fields), "notes": "; ".join(notes)}
        if status == "fail":
            message = _render(rule.message, values) if rule.message else f"{rule.title}: {failed_text}."
        else:
            message = _render(rule.pass_message, values) if rule.pass_message else f"{rule.title}: requirements met."
        if notes and (rule.message if status == "fail" else rule.pass_message) is None:
            message = f"{message} ({values['notes']})"
        return Finding(rule=rule.id, status=status, severity=severity, title=rule.title, message=message,
                       legal_basis=rule.legal_basis, references=list(rule.references), location=location,
                       missing_documents=missing_documents, missing_fields=missing_fields,
                       remediation=rule.remediation if status == "fail" else None, pack=rule.pack, evidence=evidence)

    def _evaluate(self, rule: Rule, q: Requirement, ctx: Context, active: set[str]) -> tuple[Outcome | None, str]:
        """Outcome of one requirement (None when its `when` does not hold) and its failing severity."""
        if q.when is not TRUE and q.key not in active:
            return None, ""
        severity = q.severity or rule.severity_on(ctx.as_of)
        if q.kind == "all_of":
            parts = [o for o in (self._evaluate(rule, child, ctx, active)[0] for child in q.children) if o is not None]
            return (merge_all(parts), severity) if parts else (None, "")
        if q.kind == "any_of":
            outcomes = []
            for child in q.children:
                o, _ = self._evaluate(rule, child, ctx, active)
                if o is None:
                    continue
                if o.ok:
                    return Outcome(True, evidence=o.evidence), severity
                outcomes.append(o)
            if not outcomes:
                return None, ""
            docs = [d for o in outcomes for d in o.missing_documents]
            merged_docs = []
            if docs:
                first = dict(docs[0])
                if len(docs) > 1:
                    first["alternatives"] = docs[1:]
                    first["detail"] = (first.get("detail", "") + "; or " + "; or ".join(
                        f"{d['type']}" + (f" {d['detail']}" if d.get("detail") else "") for d in docs[1:])).strip("; ")
                merged_docs = [first]
            fields = [f for o in outcomes for f in o.missing_fields]
            return Outcome(False, merged_docs, fields if not docs else [],
                           [p for o in outcomes for p in o.problems], all(o.absent for o in outcomes),
                           next((o.where for o in outcomes if o.where), None)), severity
        try:
            outcome = CHECKS[q.kind](q.spec, ctx)
        except PatternTooSlow as exc:  # the pack's pattern, not a bug: stop the run naming the rule (exit 2)
            raise PackError([InputProblem(rule.file, rule.line, f"rule {rule.id}: {exc}")]) from None
        except Exception as exc:  # a bug in a check must surface, never be swallowed
            raise CheckError(f"rule {rule.id}, requirement {q.index} ({q.kind}) failed on {ctx.unit.sku}/{ctx.unit.market}: {exc!r}") from exc
        if outcome.notes:
            ctx.notes.setdefault(q.key, []).extend(outcome.notes)
        if not outcome.ok and outcome.absent:
            if q.if_missing == "pass":
                return Outcome(True), severity
            if q.if_missing == "warn":
                severity = "warning" if SEVERITY_RANK[severity] > SEVERITY_RANK["warning"] else severity
        return outcome, severity


def _failure_text(q: Requirement, o: Outcome) -> str:
    label = q.label or describe(q.kind, q.spec)
    if o.problems:
        return f"{label} ({'; '.join(o.problems)})"
    if o.missing_documents:
        return f"no {label}" if q.kind in ("document", "registration") else label
    if o.missing_fields:
        return f"{label}: missing {', '.join(o.missing_fields)}" if q.label is None else label
    return label


def _render(template: str, values: dict[str, str]) -> str:
    """Fill {placeholders} from a fixed set of plain strings (never attribute access or formatting)."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def _pack_selected(pack_id: str, selected: list[str]) -> bool:
    if not selected:
        return True
    return any(pack_id == s or (s.endswith(".") and pack_id.startswith(s)) or pack_id.startswith(s + ".") or
               (not s.endswith(".") and "." not in s and pack_id.split(".")[0] == s) for s in selected)


def _as_date(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _as_data(obj: Any, kind: str, embedded: bool = False) -> dict:
    """Accept a model or a plain dict; dicts are validated through the models (InputError if invalid)."""
    from pydantic import BaseModel

    if isinstance(obj, BaseModel):
        return obj.model_dump(mode="json", exclude_none=True)
    if not isinstance(obj, dict):
        raise TypeError(f"expected a {kind} model or dict, got {type(obj).__name__}")
    data = dict(obj)
    if embedded and "kind" not in data:
        from . import models

        model = models.EmbeddedListing.model_validate(data)
        return model.model_dump(mode="json", exclude_none=True)
    data.setdefault("kind", kind)
    m, problems = validate_document(Document(data), f"<{kind.lower()}>", None)
    if problems:
        raise InputError(problems)
    return m.data
