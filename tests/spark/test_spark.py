"""compliance_engine.spark on a local[2] Spark: the same findings as the serial checker, row for row.

The expected rows are built here from the serial checker's ordinary Report over the same manifests written to
files (Checker.check_paths / check_loaded), never through compliance_engine.spark.findings_rows.
"""

from __future__ import annotations

import collections
import concurrent.futures
import datetime as dt
import importlib.util
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from tests.conftest import AS_OF, ROOT

if shutil.which("java") is None:
    pytest.skip("Java is not installed (Spark needs a JVM)", allow_module_level=True)
_MISSING = [name for name in ("pyspark", "pandas", "pyarrow") if importlib.util.find_spec(name) is None]
if _MISSING:  # the test extra installs them: a missing one is a broken environment, not a reason to skip
    pytest.fail(f"the Spark tests need pyspark, pandas and pyarrow; missing: {', '.join(_MISSING)}. "
                "Install them: pip install -e '.[test]' (or '.[spark]')", pytrace=False)

from benchmarks.generate import generate_catalogue  # noqa: E402
from compliance_engine import Checker  # noqa: E402
from compliance_engine.errors import InputError  # noqa: E402
from compliance_engine.loading import load_manifests  # noqa: E402
from compliance_engine.markets import SEA  # noqa: E402
from compliance_engine.spark import COLUMN_NAMES, check_dataframe, checker_for, findings_schema  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")

N_PRODUCTS = 2000
SELLER_FILE = "seller.json"


# ------------------------------------------------------------------------------------------------ fixtures
@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    work = tmp_path_factory.mktemp("spark")
    with pytest.MonkeyPatch.context() as env:
        # the Python workers must run this interpreter (the one with compliance_engine, pandas and pyarrow)
        env.setenv("PYSPARK_PYTHON", sys.executable)
        env.setenv("PYSPARK_DRIVER_PYTHON", sys.executable)
        session = _session(work)
        yield session
        session.stop()


def _session(work: Path):
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("compliance-engine-tests")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.shuffle.partitions", "2")
               .config("spark.default.parallelism", "2")
               .config("spark.sql.warehouse.dir", str(work / "warehouse"))
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.driver.host", "127.0.0.1")
               .config("spark.driver.bindAddress", "127.0.0.1")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    return session


def _iso(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


def manifest_text(data: dict, indent: int | None = 1) -> str:
    """Pretty JSON by default, so that findings point at many different lines."""
    return json.dumps(data, indent=indent, ensure_ascii=False, default=_iso) + "\n"


class Catalogue:
    """Generated products written as products/<sku>.json (+ seller.json) under ``root``, and the same texts."""

    def __init__(self, root: Path, n: int):
        self.root = root
        self.products, seller = generate_catalogue(n, seed=7)
        self.seller_text = manifest_text(seller)
        self.rows = [(manifest_text(p), f"products/{p['sku']}.json") for p in self.products]
        (root / "products").mkdir(parents=True)
        for text, file in self.rows:
            (root / file).write_text(text, encoding="utf-8")
        (root / SELLER_FILE).write_text(self.seller_text, encoding="utf-8")

    def serial(self, run):
        """``run()`` with the catalogue directory as the working directory (file names as the CLI shows them)."""
        here = os.getcwd()
        os.chdir(self.root)
        try:
            return run()
        finally:
            os.chdir(here)


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory) -> Catalogue:
    return Catalogue(tmp_path_factory.mktemp("catalogue"), N_PRODUCTS)


# ------------------------------------------------------------------------------------------------ helpers
def expected_rows(report, sku_of_file: dict[str, str], seller_file: str = SELLER_FILE) -> list[dict]:
    """The Spark output columns, read off a serial Report."""
    rows = []
    for r in report.results:
        for f in r.findings:
            rows.append({
                "file": r.file, "sku": r.sku, "market": r.market, "marketplace": r.marketplace, "rule": f.rule,
                "pack": f.pack, "status": f.status, "severity": f.severity, "title": f.title, "message": f.message,
                "missing_documents": f.missing_documents, "missing_fields": f.missing_fields,
                "legal_basis": f.legal_basis, "references": f.references, "remediation": f.remediation,
                "location_file": f.location["file"], "location_line": f.location["line"],
                "location_field": f.location.get("field"), "waiver": f.waiver})
    for status, problems in (("error", report.errors), ("warning", report.warnings)):
        for p in problems:
            if status == "warning" and p["file"] == seller_file:
                continue  # the seller's own warnings are not repeated on every row (docs/spark.md)
            rows.append({
                "file": p["file"], "sku": sku_of_file.get(p["file"]), "market": None, "marketplace": None, "rule": None,
                "pack": None, "status": status, "severity": status,
                "title": "Invalid manifest" if status == "error" else "Input warning", "message": p["message"],
                "missing_documents": [], "missing_fields": [], "legal_basis": None, "references": [],
                "remediation": None, "location_file": p["file"], "location_line": p["line"], "location_field": None,
                "waiver": None})
    return rows


def spark_rows(df) -> list[dict]:
    """The Spark output as plain dicts, its JSON columns parsed."""
    out = []
    for row in df.collect():
        d = row.asDict()
        d["missing_documents"] = json.loads(d["missing_documents"])
        d["waiver"] = json.loads(d["waiver"]) if d["waiver"] is not None else None
        out.append(d)
    return out


def assert_same_rows(actual: list[dict], expected: list[dict]) -> None:
    def key(r):
        return json.dumps(r, sort_keys=True, ensure_ascii=False)

    a, e = collections.Counter(map(key, actual)), collections.Counter(map(key, expected))
    extra, missing = a - e, e - a
    if extra or missing:
        shown = [f"only in Spark: {k}" for k in list(extra)[:3]] + [f"only in serial: {k}" for k in list(missing)[:3]]
        pytest.fail(f"{sum(extra.values())} rows only in the Spark output, {sum(missing.values())} only in the serial "
                    f"report (of {len(actual)} / {len(expected)}):\n" + "\n".join(shown), pytrace=False)


def sku_map(catalogue: Catalogue) -> dict[str, str]:
    return {file: p["sku"] for (_, file), p in zip(catalogue.rows, catalogue.products)}


# ------------------------------------------------------------------------------------------------ tests
def test_findings_of_2000_products_equal_the_serial_checkers_row_for_row(spark, catalogue):
    df = spark.createDataFrame(spark.sparkContext.parallelize(catalogue.rows, 4), "manifest string, file string")
    findings = check_dataframe(df, seller=catalogue.seller_text, seller_file=SELLER_FILE, as_of=AS_OF)
    assert findings.columns == list(COLUMN_NAMES)
    assert findings.schema == findings_schema()

    with concurrent.futures.ThreadPoolExecutor(1) as pool:  # the Spark job runs while the driver checks serially
        from_spark = pool.submit(spark_rows, findings)
        report = catalogue.serial(lambda: Checker(as_of=AS_OF).check_paths(["products", SELLER_FILE]))
        actual = from_spark.result()
    expected = expected_rows(report, sku_map(catalogue))
    # the comparison is not vacuous: many units, both outcomes, findings on many lines, seller findings included
    assert len(report.results) > N_PRODUCTS and report.errors == []
    assert {"pass", "fail"} <= {r["status"] for r in expected}
    assert len({r["location_line"] for r in expected}) > 20
    assert any(r["location_file"] == SELLER_FILE for r in expected)
    assert_same_rows(actual, expected)


def test_invalid_rows_give_error_rows_with_file_and_line_and_do_not_stop_the_job(spark, catalogue, tmp_path):
    good, other = catalogue.products[0], dict(catalogue.products[1])
    other["colour"] = "red"  # not a manifest field
    typo = json.loads(manifest_text(catalogue.products[2]))
    typo["documents"][0]["type"] += "x"  # an unknown document type: a warning, the product is still checked
    rows = [
        (manifest_text(good), "products/good.json"),
        ('{"kind": "Product",\n "sku": "BROKEN-1",\n "name": "Lamp"\n "brand": "X"}\n', "products/broken.json"),
        (manifest_text(other), "products/unknown-key.json"),
        (manifest_text(typo), "products/typo.json"),
    ]
    for text, file in rows:
        (tmp_path / file).parent.mkdir(exist_ok=True)
        (tmp_path / file).write_text(text, encoding="utf-8")
    rows.append((None, "products/missing.json"))
    (tmp_path / "products/missing.json").write_text("", encoding="utf-8")

    here = os.getcwd()
    os.chdir(tmp_path)
    try:  # each file checked on its own, as each Spark row is
        reports = {file: Checker(as_of=AS_OF).check_paths([file]) for _, file in rows}
    finally:
        os.chdir(here)
    df = spark.createDataFrame(rows, "manifest string, file string")
    out = spark_rows(check_dataframe(df, as_of=AS_OF))

    errors = sorted((r["file"], r["location_line"], r["message"], r["sku"]) for r in out if r["status"] == "error")
    sku_of = {"products/broken.json": None, "products/unknown-key.json": other["sku"], "products/missing.json": None}
    assert errors == sorted((e["file"], e["line"], e["message"], sku_of[file])
                            for file in sku_of for e in reports[file].errors)
    colour_line = len(manifest_text(other).splitlines()) - 1  # the last key, before the closing brace
    assert [e[:2] for e in errors] == [("products/broken.json", 4), ("products/missing.json", 1),
                                       ("products/unknown-key.json", colour_line)]
    assert all(r["severity"] == "error" and r["rule"] is None for r in out if r["status"] == "error")
    # the valid rows in the same job are checked in full, input warnings included
    for file, sku in (("products/good.json", good["sku"]), ("products/typo.json", typo["sku"])):
        checked = [r for r in out if r["file"] == file]
        assert_same_rows(checked, expected_rows(reports[file], {file: sku}))
        assert {"pass", "fail"} & {r["status"] for r in checked}
    [warning] = [r for r in out if r["status"] == "warning"]
    assert (warning["file"], warning["sku"], warning["severity"]) == ("products/typo.json", typo["sku"], "warning")
    assert warning["message"].startswith("documents[0].type: ") and warning["location_line"] > 1


def test_markets_keeps_only_those_markets_and_findings_name_the_sku_without_a_file_column(spark, catalogue):
    subset = catalogue.products[:200]
    wanted = {"DE", *SEA}

    def serial():
        loaded = load_manifests([f"products/{p['sku']}.json" for p in subset] + [SELLER_FILE])
        return Checker(as_of=AS_OF).check_loaded(loaded, markets=["de", "SEA"])

    report = catalogue.serial(serial)
    as_sku = {f"products/{p['sku']}.json": p["sku"] for p in subset}
    expected = expected_rows(report, as_sku)
    for r in expected:  # without a file column the rows are named by their sku
        r["file"] = as_sku.get(r["file"], r["file"])
        r["location_file"] = as_sku.get(r["location_file"], r["location_file"])
    all_markets = {m for p in subset for m in p["markets"]}
    assert all_markets - wanted, "the subset must also sell in other markets for the filter to matter"
    assert {r["market"] for r in expected} == {"DE"} | (all_markets & set(SEA))

    df = spark.createDataFrame([(manifest_text(p),) for p in subset], ["manifest"])
    out = spark_rows(check_dataframe(df, seller=catalogue.seller_text, seller_file=SELLER_FILE, as_of=AS_OF,
                                     markets=["de", "SEA"]))
    assert_same_rows(out, expected)
    assert "XI" not in all_markets and check_dataframe(df, as_of=AS_OF, markets=["XI"]).count() == 0  # empty batches


def test_flattened_manifest_columns_from_json_lines_give_the_findings_of_the_text_column(spark, catalogue, tmp_path):
    subset = catalogue.products[:60]
    lines = tmp_path / "manifests.jsonl"
    lines.write_text("".join(manifest_text(p, indent=None) for p in subset), encoding="utf-8")
    flattened = spark.read.json(str(lines))  # one column per top-level manifest field
    assert {"sku", "markets", "listings"} <= set(flattened.columns)
    as_text = spark.read.text(str(lines)).withColumnRenamed("value", "manifest")

    def checked(df, column):
        rows = spark_rows(check_dataframe(df, column=column, seller=catalogue.seller_text, as_of=AS_OF))
        return sorted(rows, key=lambda r: json.dumps(r, sort_keys=True))

    from_text = checked(as_text, "manifest")
    assert len({r["sku"] for r in from_text}) == len(subset) and all(r["status"] in ("pass", "fail") for r in from_text)
    assert checked(flattened, None) == from_text


def test_each_python_worker_builds_its_checker_once_and_reuses_it_for_every_task(spark):
    settings = (("eu.gpsr",), AS_OF.isoformat(), ())

    def probe(batches):
        import os as _os

        import pandas as pd

        from compliance_engine.spark import checker_for as worker_checker

        for batch in batches:
            yield pd.DataFrame({"pid": [_os.getpid()] * len(batch), "checker": [id(worker_checker(settings))] * len(batch)})

    seen = spark.range(0, 32, numPartitions=8).mapInPandas(probe, "pid long, checker long").collect()
    checkers_by_pid = collections.defaultdict(set)
    for row in seen:
        checkers_by_pid[row.pid].add(row.checker)
    assert 1 <= len(checkers_by_pid) <= 2  # local[2]: at most two Python workers for 8 tasks
    assert all(len(ids) == 1 for ids in checkers_by_pid.values())
    # and in one process the cache is keyed by the settings
    assert checker_for(settings) is checker_for(settings)
    assert checker_for(settings) is not checker_for((("eu.gpsr",), "2025-01-01", ()))


def test_bad_settings_or_seller_fail_on_the_driver_with_a_clear_message(spark, catalogue):
    df = spark.createDataFrame(catalogue.rows[:2], ["manifest", "file"])
    with pytest.raises(InputError, match="no loaded pack matches nosuch"):
        check_dataframe(df, packs=["nosuch"], as_of=AS_OF)
    with pytest.raises(InputError, match=r"seller\.yaml:2: .*established_in"):
        check_dataframe(df, seller="kind: Seller\nestablished_in: 12\nname: X\n", seller_file="seller.yaml", as_of=AS_OF)
    with pytest.raises(InputError, match="'2026-13-01' is not a date"):
        check_dataframe(df, as_of="2026-13-01")
    with pytest.raises(InputError, match="no column 'text'"):
        check_dataframe(df, column="text", as_of=AS_OF)


def _example_job():
    spec = importlib.util.spec_from_file_location("spark_job", ROOT / "examples" / "spark_job.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_example_job_writes_the_findings_of_a_json_lines_dataset_as_parquet_and_never_overwrites(spark, catalogue, tmp_path,
                                                                                                capsys):
    job = _example_job()
    manifests = tmp_path / "manifests.jsonl"
    lines = "".join(manifest_text(p, indent=None) for p in catalogue.products[:20])
    manifests.write_text(lines + "\n" + '{"kind": "Product", "sku": "NO-NAME"}\n', encoding="utf-8")  # a blank line, an invalid one
    seller = tmp_path / SELLER_FILE
    seller.write_text(catalogue.seller_text, encoding="utf-8")
    output = tmp_path / "findings.parquet"
    before = manifests.read_bytes()

    assert job.main([str(manifests), str(output), "--seller", str(seller), "--as-of", AS_OF.isoformat()]) == 0
    written = spark_rows(spark.read.parquet(str(output)))
    as_text = spark.read.text(str(manifests)).withColumnRenamed("value", "manifest").where("trim(manifest) != ''")
    assert_same_rows(written, spark_rows(check_dataframe(as_text, seller=catalogue.seller_text, seller_file=str(seller),
                                                         as_of=AS_OF)))
    errors = [r for r in written if r["status"] == "error"]
    assert errors and {(r["file"], r["sku"]) for r in errors} == {("NO-NAME", "NO-NAME")}  # the blank line is skipped
    counts = collections.Counter(r["status"] for r in written)
    assert capsys.readouterr().out == (f"{output}: {len(written)} rows: {counts['pass']} pass, {counts['fail']} fail, "
                                       f"0 waived, {counts['error']} error, 0 warning\n")

    assert job.main([str(manifests), str(output), "--seller", str(seller)]) == 2  # OUTPUT exists: refused
    assert "already exists" in capsys.readouterr().err
    assert spark_rows(spark.read.parquet(str(output))) == written and manifests.read_bytes() == before
    assert job.main([str(manifests), str(manifests)]) == 2
    assert "input files are never written" in capsys.readouterr().err and manifests.read_bytes() == before
    assert spark.sparkContext._jsc is not None  # the job did not stop a session it did not start
