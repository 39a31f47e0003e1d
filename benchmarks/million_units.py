"""Check a million check units in one process and show that memory stays flat (prints a table, asserts nothing).

    python benchmarks/million_units.py [--units N] [--every K] [--seed S] [--as-of DATE] [--output FILE]

Products come from the benchmark generator (``benchmarks/generate.py``: product ``i`` of seed ``S`` for
i = 0, 1, 2 ...), built in memory and never written to disk, so every unit is distinct and realistic (about 2.5
units per product). Each product goes the way one file goes in a streamed check (``check --format jsonl``, see
``compliance_engine/streaming.py``): its manifest text is parsed and validated (``load_text``), checked together
with the seller by ``Checker.check_loaded``, and its result records are written as JSON Lines to ``--output``
(default: the null device). Nothing is kept from one product to the next but the counts.

Every ``--every`` units (default 50,000) the run samples its resident memory (``VmRSS`` of /proc/self/status) and
its peak so far (``VmHWM``) and prints a row: units done, products, seconds since the first unit, units per second
over the last interval, RSS and peak in MiB. Rows are printed (and flushed) as they come, so a long run can be
followed in its output file. About 2.5 ms per unit on the 2-core development machine: 40 minutes for a million.
Linux only (reads /proc).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STATUS = Path("/proc/self/status")


def memory_mib() -> tuple[float, float]:
    """(resident set size, its peak so far) of this process in MiB, from /proc/self/status."""
    values = {}
    for line in STATUS.read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024  # kB
    return values["VmRSS"], values["VmHWM"]


def _positive(text: str) -> int:
    value = int(text.replace(",", "").replace("_", ""))
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {text}")
    return value


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=_positive, default=1_000_000, help="check units to check (default 1,000,000)")
    parser.add_argument("--every", type=_positive, default=50_000, help="sample memory every K units (default 50,000)")
    parser.add_argument("--seed", type=int, default=7, help="generator seed (default 7)")
    parser.add_argument("--as-of", default="2026-11-24", help="check date (default 2026-11-24)")
    parser.add_argument("--output", default=os.devnull, help="where the JSON Lines records go (default: the null device)")
    return parser.parse_args(argv)


class Table:
    COLUMNS = (("units", 11), ("products", 9), ("elapsed s", 10), ("units/s", 8), ("RSS MiB", 8), ("peak MiB", 9))

    def __init__(self, out) -> None:
        self.out = out
        self.rows: list[tuple[int, int, float, float, float]] = []  # units, products, elapsed, rss, peak

    def header(self) -> None:
        self._print("  ".join(f"{name:>{width}}" for name, width in self.COLUMNS))
        self._print("  ".join("-" * width for _, width in self.COLUMNS))

    def row(self, units: int, products: int, elapsed: float) -> None:
        rss, peak = memory_mib()
        last_units, _, last_elapsed, _, _ = self.rows[-1] if self.rows else (0, 0, 0.0, 0.0, 0.0)
        rate = (units - last_units) / (elapsed - last_elapsed) if elapsed > last_elapsed else 0.0
        self.rows.append((units, products, elapsed, rss, peak))
        cells = (f"{units:,}", f"{products:,}", f"{elapsed:.1f}", f"{rate:,.0f}" if units else "", f"{rss:.1f}", f"{peak:.1f}")
        self._print("  ".join(f"{c:>{width}}" for c, (_, width) in zip(cells, self.COLUMNS)))

    def _print(self, text: str) -> None:
        print(text, file=self.out, flush=True)


def run(args: argparse.Namespace, out=None) -> int:
    out = out or sys.stdout
    from benchmarks.generate import GENERATOR_VERSION, dump_manifest, generate_product, generate_seller
    from compliance_engine import Checker
    from compliance_engine.formatters import jsonl
    from compliance_engine.loading import LoadResult, load_text
    from compliance_engine.streaming import Counts
    from compliance_engine.version import __version__

    checker = Checker(as_of=args.as_of)
    seller_loaded = load_text(dump_manifest(generate_seller(args.seed)), "seller.yaml")
    if seller_loaded.problems:
        print(f"error: the generated seller does not load: {seller_loaded.problems[0]}", file=sys.stderr)
        return 2
    seller = seller_loaded.manifests[0]
    load = os.getloadavg()[0]
    print(f"compliance-engine {__version__}: {args.units:,} check units in one process, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, {platform.platform()}", file=out)
    print(f"catalogue generator v{GENERATOR_VERSION}, seed {args.seed}, in memory; check date {checker.as_of}, "
          f"all packs; records to {args.output}; load average {load:.2f} at start", file=out, flush=True)
    table = Table(out)
    table.header()
    table.row(0, 0, 0.0)
    counts = Counts()
    spent = {"generate": 0.0, "load": 0.0, "check": 0.0, "write": 0.0}
    with open(args.output, "w", encoding="utf-8") as sink:
        sink.write(jsonl.header(checker.as_of.isoformat(), checker.pack_summaries, None))
        started = time.perf_counter()
        next_sample = args.every
        index = 0
        while counts.checked < args.units:
            t0 = time.perf_counter()
            product = generate_product(index, args.seed)
            text = dump_manifest(product)
            display = f"products/{index // 1000:04d}/{product['sku'].lower()}.yaml"
            t1 = time.perf_counter()
            # one file of a streamed check (streaming.check_file), read from memory instead of the disk
            loaded = load_text(text, display)
            products = [m for m in loaded.manifests if m.kind == "Product"]
            t2 = time.perf_counter()
            report = checker.check_loaded(LoadResult(products + [seller], []))
            t3 = time.perf_counter()
            for problem in loaded.problems + report.errors:
                counts.errors += 1
                sink.write(jsonl.line({"type": "error", **(problem if isinstance(problem, dict) else problem.to_dict())}))
            for warning in report.warnings:
                if warning["file"] == display:
                    sink.write(jsonl.line({"type": "warning", **warning}))
            for result in report.results:
                counts.add(result)
                sink.write(jsonl.record("result", result))
            t4 = time.perf_counter()
            spent["generate"] += t1 - t0
            spent["load"] += t2 - t1
            spent["check"] += t3 - t2
            spent["write"] += t4 - t3
            index += 1
            if counts.checked >= next_sample or counts.checked >= args.units:
                table.row(counts.checked, index, time.perf_counter() - started)
                while next_sample <= counts.checked:
                    next_sample += args.every
        sink.write(jsonl.summary(counts.summary(None)))
    elapsed = time.perf_counter() - started
    print(file=out)
    print(f"{counts.checked:,} units of {index:,} products in {elapsed:,.1f} s: {counts.checked / elapsed:,.0f} units/s, "
          f"{elapsed / counts.checked * 1000:.2f} ms per unit; {counts.findings:,} findings, {counts.failed:,} failed, "
          f"{counts.errors} input errors", file=out)
    print("time spent: " + ", ".join(f"{k} {v:,.1f} s ({v / elapsed:.0%})" for k, v in spent.items())
          + " (generate = building and dumping the manifest text, which a real run reads from disk instead)", file=out)
    _memory_verdict(table.rows, out)
    return 0


def _memory_verdict(rows: list[tuple[int, int, float, float, float]], out) -> None:
    """How much the resident memory moved over the run, after the first sample with units checked (the packs'
    compiled rulesets and caches fill during the first units)."""
    checked = [r for r in rows if r[0] > 0]
    if len(checked) < 2:
        return
    first, last = checked[0], checked[-1]
    grown = last[3] - first[3]
    per_100k = grown / (last[0] - first[0]) * 100_000
    print(f"RSS {first[3]:.1f} MiB at {first[0]:,} units, {last[3]:.1f} MiB at {last[0]:,} units: {grown:+.1f} MiB "
          f"({per_100k:+.2f} MiB per 100,000 units); peak {max(r[4] for r in rows):.1f} MiB", file=out, flush=True)


def main(argv: list[str] | None = None) -> int:
    if not STATUS.exists():
        print("error: this benchmark reads /proc/self/status (Linux only)", file=sys.stderr)
        return 2
    return run(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
