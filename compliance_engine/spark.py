"""Check a Spark DataFrame of manifests and get a DataFrame of findings (the report's fields, one row each).

    from compliance_engine.spark import check_dataframe

    findings = check_dataframe(df, column="manifest", seller=seller_text, as_of="2026-11-24")
    findings.write.parquet("findings.parquet")

Each input row is one *run* of its own: the row's text (a JSON or YAML Product manifest, usually with its
listings embedded under ``listings:``) plus the job's seller. The work is done by ``DataFrame.mapInPandas``;
every Python worker process builds its :class:`~compliance_engine.checker.Checker` once (per settings) and
reuses it for every batch and task it runs. Rows whose manifest cannot be read or is invalid do not fail
the job: they give rows with ``status`` ``"error"`` naming the file, line and problem.

``pyspark`` (with ``pandas`` and ``pyarrow``) is the optional extra ``compliance-engine[spark]``;
:func:`findings_rows` is plain Python and needs none of them. See ``docs/spark.md``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from .errors import InputError, InputProblem

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import DataFrame
    from pyspark.sql.types import StructType

    from .checker import Checker
    from .loading import Manifest

#: The output columns, in order, with their Spark SQL types (``findings_schema()`` builds the StructType).
FINDING_COLUMNS: tuple[tuple[str, str], ...] = (
    ("file", "string"),
    ("sku", "string"),
    ("market", "string"),
    ("marketplace", "string"),
    ("rule", "string"),
    ("pack", "string"),
    ("status", "string"),        # pass | fail | waived, or error (the row's input is invalid) | warning
    ("severity", "string"),
    ("title", "string"),
    ("message", "string"),
    ("missing_documents", "string"),      # JSON array, as in the JSON report
    ("missing_fields", "array<string>"),
    ("legal_basis", "string"),
    ("references", "array<string>"),
    ("remediation", "string"),
    ("location_file", "string"),
    ("location_line", "int"),
    ("location_field", "string"),
    ("waiver", "string"),                 # JSON object, or null
)
COLUMN_NAMES: tuple[str, ...] = tuple(name for name, _ in FINDING_COLUMNS)
#: Sorting the output by these columns gives the order of the serial report (file, unit, rule).
SORT_COLUMNS: tuple[str, ...] = ("file", "sku", "market", "marketplace", "rule", "status", "location_line", "message")

DEFAULT_SELLER_FILE = "seller"
NO_SKU_FILE = "<manifest>"
_INSTALL_HINT = "compliance_engine.spark needs pyspark, pandas and pyarrow: pip install 'compliance-engine[spark]'"


# ---------------------------------------------------------------------------------------------- pure Python
def findings_rows(checker: "Checker", manifest_text: str | None, seller_text: str | None = None,
                  file: str | None = None, *, markets: Iterable[str] | None = None,
                  seller_file: str = DEFAULT_SELLER_FILE) -> list[dict[str, Any]]:
    """Check one row's manifest text (plus the seller) with ``checker``; one dict per output row.

    ``file`` names the manifest in findings (default: the product's sku). ``markets`` keeps only those
    markets' units. Unreadable or invalid input gives ``status: "error"`` rows; input warnings about the
    row's own manifest (unknown open-vocabulary keys, expired waivers) give ``status: "warning"`` rows.
    Raises :class:`InputError` only when the seller itself is invalid.
    """
    from .loading import LoadResult, validate_documents
    from .yamlsource import ReadError, parse_documents

    seller = _seller_manifest(seller_text, seller_file) if seller_text is not None else None
    display = file or NO_SKU_FILE
    loaded = LoadResult()
    row_sku = None
    try:
        docs = parse_documents("" if manifest_text is None else str(manifest_text), display)
    except ReadError as exc:
        loaded.problems.append(exc.problem)
    else:
        row_sku = _sku_of(docs)
        if file is None and row_sku is not None:
            display = row_sku
        loaded.manifests, loaded.problems = validate_documents(docs, display, None)
    if seller is not None:
        loaded.manifests.insert(0, seller)
    report = checker.check_loaded(loaded, markets=markets)
    rows = [_finding_row(r, f) for r in report.results for f in r.findings]
    rows += [_problem_row(p, "error", row_sku) for p in report.errors]
    rows += [_problem_row(p, "warning", row_sku) for p in report.warnings if seller is None or p["file"] != seller.file]
    return rows


def _sku_of(docs: list) -> str | None:
    """The sku of the row's (first) Product document, read before validation so that error rows carry it."""
    for doc in docs:
        value = doc.value
        if isinstance(value, dict) and value.get("kind") == "Product" and isinstance(value.get("sku"), (str, int)) \
                and str(value["sku"]).strip():
            return str(value["sku"])
    return None


def _finding_row(result: Any, finding: Any) -> dict[str, Any]:
    loc = finding.location
    return {
        "file": result.file, "sku": result.sku, "market": result.market, "marketplace": result.marketplace,
        "rule": finding.rule, "pack": finding.pack, "status": finding.status, "severity": finding.severity,
        "title": finding.title, "message": finding.message,
        "missing_documents": _json(finding.missing_documents), "missing_fields": list(finding.missing_fields),
        "legal_basis": finding.legal_basis, "references": list(finding.references),
        "remediation": finding.remediation or None,
        "location_file": loc.get("file"), "location_line": loc.get("line"), "location_field": loc.get("field"),
        "waiver": _json(finding.waiver) if finding.waiver else None,
    }


def _problem_row(problem: dict, status: str, sku: str | None) -> dict[str, Any]:
    return {
        "file": problem["file"], "sku": sku, "market": None, "marketplace": None, "rule": None, "pack": None,
        "status": status, "severity": status, "title": "Invalid manifest" if status == "error" else "Input warning",
        "message": problem["message"], "missing_documents": "[]", "missing_fields": [], "legal_basis": None,
        "references": [], "remediation": None, "location_file": problem["file"], "location_line": problem["line"],
        "location_field": None, "waiver": None,
    }


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


@lru_cache(maxsize=8)
def _seller_manifest(seller_text: str, seller_file: str) -> "Manifest":
    """The job's seller, parsed and validated once per process; an invalid seller raises InputError."""
    from .loading import load_text

    loaded = load_text(seller_text, seller_file)
    sellers = [m for m in loaded.manifests if m.kind == "Seller"]
    problems = list(loaded.problems)
    if not problems and (len(loaded.manifests) != 1 or len(sellers) != 1):
        problems.append(InputProblem(seller_file, 1, "the seller text must hold exactly one manifest, of kind Seller"))
    if problems:
        raise InputError(problems)
    return sellers[0]


# ---------------------------------------------------------------------------------------------- per worker
_CHECKERS: dict[tuple, "Checker"] = {}


def _settings(packs: Iterable[str] | None, as_of: dt.date, rulepacks: Iterable[str | os.PathLike]) -> tuple:
    return (tuple(packs or ()), as_of.isoformat(), tuple(str(p) for p in rulepacks))


def checker_for(settings: tuple) -> "Checker":
    """The worker process's Checker for ``settings`` (built on first use, then reused)."""
    checker = _CHECKERS.get(settings)
    if checker is None:
        from .checker import Checker

        packs, as_of, rulepacks = settings
        checker = Checker(packs=list(packs) or None, as_of=as_of, rulepacks=list(rulepacks))
        _CHECKERS[settings] = checker
    return checker


def _check_batches(batches: Iterator[Any], settings: tuple, seller_text: str | None, seller_file: str,
                   markets: tuple[str, ...] | None, has_file: bool) -> Iterator[Any]:
    """The mapInPandas function: pandas batches of (manifest[, file]) in, pandas batches of findings out."""
    import pandas as pd

    checker = checker_for(settings)
    for batch in batches:
        texts = batch["manifest"].tolist()
        files = batch["file"].tolist() if has_file else [None] * len(texts)
        rows: list[dict] = []
        for text, file in zip(texts, files):  # a null cell arrives as None or NaN, depending on pandas
            rows += findings_rows(checker, text if isinstance(text, str) else None, seller_text,
                                  file if isinstance(file, str) and file else None, markets=markets, seller_file=seller_file)
        yield pd.DataFrame.from_records(rows, columns=list(COLUMN_NAMES)) if rows \
            else pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMN_NAMES})


# ---------------------------------------------------------------------------------------------- Spark API
def _job_date(as_of: dt.date | str | None) -> dt.date:
    if as_of is None:
        return dt.date.today()
    if isinstance(as_of, dt.date):
        return as_of
    try:
        return dt.date.fromisoformat(str(as_of))
    except ValueError:
        raise InputError([InputProblem("as_of", 1, f"'{as_of}' is not a date (YYYY-MM-DD)")]) from None


def findings_schema() -> "StructType":
    """The StructType of :func:`check_dataframe`'s output (columns :data:`COLUMN_NAMES`)."""
    try:
        from pyspark.sql.types import ArrayType, IntegerType, StringType, StructField, StructType
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(_INSTALL_HINT) from exc
    types = {"string": StringType(), "int": IntegerType(), "array<string>": ArrayType(StringType())}
    return StructType([StructField(name, types[kind], nullable=True) for name, kind in FINDING_COLUMNS])


def check_dataframe(df: "DataFrame", *, column: str | None = "manifest", file_column: str | None = "file",
                    seller: str | None = None, seller_file: str = DEFAULT_SELLER_FILE,
                    as_of: dt.date | str | None = None, packs: Iterable[str] | None = None,
                    rulepacks: Iterable[str | os.PathLike] = (), markets: Iterable[str] | None = None) -> "DataFrame":
    """Check every row of ``df``; returns a DataFrame of findings with :func:`findings_schema`.

    ``column`` holds one manifest per row: JSON/YAML text, or a struct (``spark.read.json`` of a JSON-lines
    file read into one column). ``column=None`` means the rows *are* manifests, flattened: every column of
    ``df`` (except ``file_column``) is a top-level manifest field, as ``spark.read.json`` gives them.
    ``file_column`` (used when present) names each manifest in findings; otherwise the product's sku does.
    ``seller`` is the text of one Seller manifest, used for every row (shown as ``seller_file``).
    ``as_of`` defaults to today, computed once here on the driver so that every executor uses the same date.
    ``packs``/``rulepacks`` are as for :class:`~compliance_engine.checker.Checker` (``rulepacks`` directories
    must exist at the same path on the executors). ``markets`` keeps only those markets' units.

    The pack selection, the rule packs and the seller are checked here first: problems raise
    :class:`~compliance_engine.errors.InputError` before any Spark job starts.
    """
    try:
        from pyspark.sql import functions as F
        from pyspark.sql.types import StringType, StructType
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(_INSTALL_HINT) from exc
    day = _job_date(as_of)
    settings = _settings(packs, day, rulepacks)
    checker_for(settings)  # fails early, on the driver, on unknown packs or invalid rule packs
    if seller is not None:
        _seller_manifest(seller, seller_file)
    wanted_markets = tuple(m.upper() for m in markets) if markets else None

    has_file = bool(file_column) and file_column in df.columns
    if column is None:
        fields = [c for c in df.columns if c != file_column]
        text = F.to_json(F.struct(*[F.col(f"`{c}`") for c in fields]))
    else:
        if column not in df.columns:
            raise InputError([InputProblem("<dataframe>", 1, f"no column '{column}' (columns: {', '.join(df.columns)})")])
        kind = df.schema[column].dataType
        if isinstance(kind, StructType):
            text = F.to_json(F.col(f"`{column}`"))
        elif isinstance(kind, StringType):
            text = F.col(f"`{column}`")
        else:
            raise InputError([InputProblem("<dataframe>", 1,
                                           f"column '{column}' is {kind.simpleString()}; expected string (manifest text) or struct")])
    selected = [text.alias("manifest")]
    if has_file:
        selected.append(F.col(f"`{file_column}`").cast("string").alias("file"))

    def check_partition(batches: Iterator[Any]) -> Iterator[Any]:
        return _check_batches(batches, settings, seller, seller_file, wanted_markets, has_file)

    return df.select(*selected).mapInPandas(check_partition, findings_schema())
