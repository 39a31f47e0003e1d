"""benchmarks/million_units.py measures the streamed check itself: its records for the first products of the
generated catalogue are the ones ``check --format jsonl`` writes for the same products on disk, and its table
has a memory sample at the start and after every ``--every`` units."""

from __future__ import annotations

import json
import re

from benchmarks import million_units
from benchmarks.generate import write_catalogue

from .conftest import AS_OF, run_check_jsonl


def _results(lines: list[dict]) -> list[dict]:
    key = lambda r: (r["file"], r["sku"], r["market"], r["marketplace"] or "")  # noqa: E731
    return sorted((r for r in lines if r["type"] == "result"), key=key)


def test_benchmark_records_equal_the_streamed_check_of_the_same_products(tmp_path, capsys):
    records = tmp_path / "records.jsonl"
    assert million_units.main(["--units", "100", "--every", "40", "--as-of", AS_OF, "--output", str(records)]) == 0
    table = capsys.readouterr().out
    rows = [line.split() for line in table.splitlines() if re.match(r"^\s+[\d,]+\s+[\d,]+\s", line)]
    units = [int(r[0].replace(",", "")) for r in rows]
    assert units[0] == 0 and 40 <= units[1] < 45 and 80 <= units[2] < 85 and 100 <= units[3] < 105, table
    assert all(float(r[-2]) > 0 and float(r[-1]) >= float(r[-2]) for r in rows), table  # RSS and its peak, in MiB
    assert "MiB per 100,000 units" in table

    benchmark = [json.loads(line) for line in records.read_text(encoding="utf-8").splitlines()]
    products = len({r["sku"] for r in benchmark if r["type"] == "result"})
    write_catalogue(tmp_path / "catalogue", products)
    streamed = [json.loads(line) for line in run_check_jsonl(tmp_path / "catalogue").splitlines()]
    assert benchmark[0] == streamed[0]  # the run header: tool, date, packs
    assert _results(benchmark) == _results(streamed)
    assert benchmark[-1] == streamed[-1] == {"type": "summary", "summary": benchmark[-1]["summary"]}
    assert benchmark[-1]["summary"]["checked"] == units[-1]
