"""A spark-submit job: check a dataset of manifests, write the findings as parquet.

    spark-submit --master 'local[*]' examples/spark_job.py manifests.jsonl findings.parquet \\
        --seller products/seller.yaml --as-of 2026-11-24

INPUT is JSON lines (one Product manifest per line, listings embedded; ``*.jsonl``, ``*.ndjson``, ``*.json``,
or a directory of them with --input-format jsonl) or parquet (a string column ``manifest`` and, optionally, a
column ``file`` naming each manifest). OUTPUT is a parquet directory with the columns of
``compliance_engine.spark.findings_schema()``, sorted by file, unit and rule; it must not exist yet unless
--overwrite is given. Rows whose manifest is invalid become ``status = 'error'`` rows; they do not stop the job.

Exit status: 0 the job ran (whatever the findings), 2 bad arguments or settings (nothing written).
See docs/spark.md for running it on a cluster.
"""

from __future__ import annotations

import argparse
import sys


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="spark_job.py", description="Check manifests with compliance-engine on Spark.")
    parser.add_argument("input", help="JSON-lines file/directory or parquet dataset of manifests")
    parser.add_argument("output", help="parquet directory to write the findings to")
    parser.add_argument("--input-format", choices=("jsonl", "parquet"),
                        help="default: parquet when INPUT ends in .parquet, else jsonl")
    parser.add_argument("--column", default="manifest", help="parquet: the column holding the manifest text (default: manifest)")
    parser.add_argument("--file-column", default="file", help="parquet: the column naming each manifest, if present (default: file)")
    parser.add_argument("--seller", help="the Seller manifest (YAML or JSON) used for every product; any Spark-readable path")
    parser.add_argument("--as-of", help="check date YYYY-MM-DD (default: today, on the driver)")
    parser.add_argument("--pack", action="append", default=[], help="pack id or prefix (repeatable; default: all)")
    parser.add_argument("--rulepacks", action="append", default=[],
                        help="extra rule pack directory (repeatable; must exist on the driver and every executor)")
    parser.add_argument("--market", action="append", default=[], help="check only these markets (repeatable; EU, SEA expand)")
    parser.add_argument("--overwrite", action="store_true", help="replace OUTPUT if it exists")
    return parser.parse_args(argv)


def fail(message: str) -> int:
    print(f"spark_job.py: error: {message}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.input.rstrip("/") == args.output.rstrip("/"):
        return fail("OUTPUT is the INPUT; input files are never written")
    fmt = args.input_format or ("parquet" if args.input.rstrip("/").endswith(".parquet") else "jsonl")

    from pyspark.errors import AnalysisException
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    from compliance_engine.errors import InputError
    from compliance_engine.spark import SORT_COLUMNS, check_dataframe

    started = SparkSession.getActiveSession() is None  # stop the session at the end only if this job started it
    spark = SparkSession.builder.appName("compliance-engine").getOrCreate()
    try:
        try:
            if fmt == "parquet":
                df = spark.read.parquet(args.input)
                column, file_column = args.column, args.file_column
            else:  # one manifest per line, kept as text so that nothing is re-typed on the way in
                df = spark.read.text(args.input).withColumnRenamed("value", "manifest").where(F.trim("manifest") != "")
                column, file_column = "manifest", None
            seller = spark.read.text(args.seller, wholetext=True).first()[0] if args.seller else None
        except AnalysisException as exc:
            return fail(f"cannot read the input: {_first_line(exc)}")
        try:
            findings = check_dataframe(df, column=column, file_column=file_column, seller=seller,
                                       seller_file=args.seller or "seller", as_of=args.as_of, packs=args.pack or None,
                                       rulepacks=args.rulepacks, markets=args.market or None)
        except InputError as exc:
            return fail(str(exc))
        try:
            findings.orderBy(*SORT_COLUMNS).write.mode("overwrite" if args.overwrite else "errorifexists").parquet(args.output)
        except AnalysisException as exc:  # OUTPUT exists: checked before any work is done
            return fail(f"{_first_line(exc)} (pass --overwrite to replace it)")
        counts = {row["status"]: row["count"] for row in spark.read.parquet(args.output).groupBy("status").count().collect()}
        summary = ", ".join(f"{counts.get(s, 0)} {s}" for s in ("pass", "fail", "waived", "error", "warning"))
        print(f"{args.output}: {sum(counts.values())} rows: {summary}")
        return 0
    finally:
        if started:
            spark.stop()


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


if __name__ == "__main__":
    sys.exit(main())
