"""Benchmark runner: parse-only vs full check time, throughput, peak RSS and the one-file pre-commit path.

    python benchmarks/run.py                       # 20,000 YAML products, --jobs 1 and 2, 20 one-file runs
    python benchmarks/run.py --products 2000 --jobs 1
    python benchmarks/run.py --products 20000,200000 --jobs 1     # RSS from 20,000 to 200,000 products
    python benchmarks/run.py --json > results.json

Writes a deterministic catalogue (benchmarks/generate.py) under --dir (default .bench/ in the repository,
reused when it already holds the same catalogue), then measures each step in its own subprocess so that
wall time and peak RSS belong to that step alone:

1. parse-only: load and validate every manifest and build the check units, file by file
   (compliance_engine.loading.load_manifests and units.build_units, no rules);
2. full check: ``compliance-engine check DIR`` with all packs, report discarded (``--format jsonl`` when the
   CLI has it, else ``json``), once per ``--jobs`` value the CLI supports;
3. the pre-commit path: ``compliance-engine check ONE-PRODUCT.yaml -q`` from process start to exit, first
   with an empty compiled-pack cache ("cold"), then ``--one-file-runs`` times with it warm.

Prints one table plus the targets of issue 7 with the measured value next to each. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.generate import GENERATOR_VERSION, write_catalogue  # noqa: E402

AS_OF = "2026-11-24"

#: Runs argv[3:] once and prints {"wall_s", "rc", "max_rss_kib", "stdout", "stderr"} as JSON. Run as a fresh
#: process per measurement, so RUSAGE_CHILDREN holds only that command's peak (Linux: KiB; the largest single
#: process among it and its waited-for children, e.g. --jobs workers). argv[2] is an address-space limit in
#: bytes for the command (0: none), so a step that runs away fails with MemoryError instead of exhausting the machine.
_MEASURE = r"""
import json, resource, subprocess, sys, time
keep = sys.argv[1] == "keep"
limit = int(sys.argv[2])
def _limit():
    if limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
t0 = time.perf_counter()
p = subprocess.run(sys.argv[3:], stdout=subprocess.PIPE if keep else subprocess.DEVNULL, stderr=subprocess.PIPE,
                   preexec_fn=_limit)
wall = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
if sys.platform == "darwin":
    rss //= 1024
print(json.dumps({"wall_s": wall, "rc": p.returncode, "max_rss_kib": rss,
                  "stdout": (p.stdout or b"").decode("utf-8", "replace")[-2000:],
                  "stderr": p.stderr.decode("utf-8", "replace")[-2000:]}))
"""

#: The parse-only step: load and validate every manifest and build its check units, one file at a time (the
#: generated catalogue embeds every listing in its product, so per-file units are the catalogue's units). File by
#: file, like the streamed check, so its memory does not grow with the catalogue: loading a whole 200,000-product
#: directory at once would need tens of GB. Prints counts as JSON.
_PARSE_ONLY = r"""
import json, sys
from compliance_engine.loading import iter_manifest_files, load_manifests
from compliance_engine.units import build_units
files, problems = iter_manifest_files(sys.argv[1:])
counts = {"files": len(files), "manifests": 0, "units": 0, "input_errors": len(problems)}
for path, _display in files:
    loaded = load_manifests([path])
    units, unit_problems = build_units(loaded.manifests)
    counts["manifests"] += len(loaded.manifests)
    counts["units"] += len(units)
    counts["input_errors"] += len(loaded.problems) + len(unit_problems)
print(json.dumps(counts))
"""


class BenchmarkError(Exception):
    """A step failed (bad exit status): the message says which and shows its stderr."""


#: address-space limit of each measured step, in bytes (set from --memory-limit-gib; 0 = none)
MEMORY_LIMIT = 0


def measure(cmd: list[str], *, keep_stdout: bool = False, cwd: Path, env: dict[str, str]) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-c", _MEASURE, "keep" if keep_stdout else "drop", str(MEMORY_LIMIT), *cmd],
                         capture_output=True, text=True, cwd=cwd, env=env, check=True)
    return json.loads(out.stdout)


def cli_command() -> list[str]:
    script = Path(sys.executable).parent / "compliance-engine"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "compliance_engine"]


def cli_capabilities(cli: list[str], env: dict[str, str]) -> dict[str, bool]:
    text = subprocess.run([*cli, "check", "--help"], capture_output=True, text=True, env=env).stdout
    return {"jobs": "--jobs" in text, "jsonl": "jsonl" in text}


def _mib(kib: int) -> float:
    return kib / 1024


def run_catalogue(n: int, fmt: str, jobs: list[int], args: argparse.Namespace, cli: list[str], caps: dict[str, bool],
                  env: dict[str, str], notes: list[str]) -> dict[str, Any]:
    directory = Path(args.dir) / f"{fmt}-{n}"
    log(f"catalogue: {n:,} {fmt} products in {directory} ...")
    paths = write_catalogue(directory, n, seed=args.seed, fmt=fmt)
    size = sum(p.stat().st_size for p in paths)
    entry: dict[str, Any] = {"products": n, "format": fmt, "directory": str(directory), "files": len(paths),
                             "bytes": size, "steps": []}

    log("  parse-only ...")
    parse = measure([sys.executable, "-c", _PARSE_ONLY, "."], keep_stdout=True, cwd=directory, env=env)
    if parse["rc"] != 0:
        raise BenchmarkError(f"parse-only step failed (exit {parse['rc']}):\n{parse['stderr']}")
    counts = json.loads(parse["stdout"].strip().splitlines()[-1])
    if counts["input_errors"]:
        notes.append(f"{n:,} {fmt}: {counts['input_errors']} input errors in the generated catalogue (a generator bug)")
    units = counts["units"]
    entry["units"] = units
    entry["steps"].append({"step": "parse-only", "jobs": 1, "wall_s": parse["wall_s"], "max_rss_kib": parse["max_rss_kib"],
                           "units_per_s": units / parse["wall_s"], "ratio_to_parse": 1.0})

    report_format = "jsonl" if caps["jsonl"] else "json"
    # Warm the compiled-pack cache first (unmeasured): a cold cache adds the pack load, its imports and garbage to a
    # step's time and peak RSS, which made one catalogue size look 10 % bigger than the other after a code change.
    subprocess.run([*cli, "check", str(paths[0]), "-q", "--fail-on", "never"], cwd=directory, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for j in jobs:
        cmd = [*cli, "check", ".", "--as-of", AS_OF, "--format", report_format, "--fail-on", "never", "-q"]
        if caps["jobs"]:
            cmd += ["--jobs", str(j)]
        log(f"  check --jobs {j} ({report_format}) ...")
        full = measure(cmd, cwd=directory, env=env)
        if full["rc"] not in (0, 1):
            raise BenchmarkError(f"check --jobs {j} failed (exit {full['rc']}):\n{full['stderr']}")
        entry["steps"].append({"step": "check", "jobs": j, "report_format": report_format, "wall_s": full["wall_s"],
                               "max_rss_kib": full["max_rss_kib"], "units_per_s": units / full["wall_s"],
                               "ratio_to_parse": full["wall_s"] / parse["wall_s"]})
    return entry


def run_one_file(directory: Path, fmt: str, runs: int, cli: list[str], env: dict[str, str], cache: Path) -> dict[str, Any]:
    product = sorted((directory / "products").rglob(f"*.{fmt}"))[0]
    cmd = [*cli, "check", str(product.relative_to(directory)), "-q"]
    shutil.rmtree(cache, ignore_errors=True)  # our own cache directory: the first run compiles the packs
    log(f"one file: {product.name}, 1 cold + {runs} warm runs ...")
    cold = measure(cmd, cwd=directory, env=env)
    if cold["rc"] not in (0, 1):
        raise BenchmarkError(f"one-file check failed (exit {cold['rc']}):\n{cold['stderr']}")
    warm = [measure(cmd, cwd=directory, env=env) for _ in range(runs)]
    walls = [w["wall_s"] for w in warm]
    return {"file": product.name, "cold_s": cold["wall_s"], "cold_rss_kib": cold["max_rss_kib"], "runs": runs,
            "median_s": statistics.median(walls) if walls else None, "min_s": min(walls, default=None),
            "max_s": max(walls, default=None), "max_rss_kib": max((w["max_rss_kib"] for w in warm), default=cold["max_rss_kib"])}


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue 7 targets that these results can speak to, each with the measured value."""
    out: list[dict[str, Any]] = []
    for cat in results["catalogues"]:
        steps = {(s["step"], s["jobs"]): s for s in cat["steps"]}
        label = f"{cat['products']:,} {cat['format']}"
        one = steps.get(("check", 1))
        if one:
            out.append({"target": f"full check, 1 process / parse-only ({label})", "measured": f"{one['ratio_to_parse']:.2f}x",
                        "goal": "<= 2.5x", "met": one["ratio_to_parse"] <= 2.5})
        two = steps.get(("check", 2))
        if one and two:
            speedup = two["units_per_s"] / one["units_per_s"]
            out.append({"target": f"--jobs 2 throughput / 1 process ({label})", "measured": f"{speedup:.2f}x",
                        "goal": ">= 1.7x", "met": speedup >= 1.7})
    by_fmt: dict[str, list[dict]] = {}
    for cat in results["catalogues"]:
        by_fmt.setdefault(cat["format"], []).append(cat)
    for fmt, cats in by_fmt.items():
        if len(cats) < 2:
            continue
        small, big = min(cats, key=lambda c: c["products"]), max(cats, key=lambda c: c["products"])
        for j in sorted({s["jobs"] for s in small["steps"] if s["step"] == "check"}):
            a = next((s for s in small["steps"] if s["step"] == "check" and s["jobs"] == j), None)
            b = next((s for s in big["steps"] if s["step"] == "check" and s["jobs"] == j), None)
            if a and b:
                growth = b["max_rss_kib"] / a["max_rss_kib"] - 1
                streamed = "" if a.get("report_format") == "jsonl" else ", output not streamed"
                out.append({"target": f"peak RSS {big['products']:,} vs {small['products']:,} {fmt}, --jobs {j}{streamed}",
                            "measured": f"{growth * 100:+.0f} %", "goal": "<= +10 %", "met": growth <= 0.10})
    one_file = results.get("one_file")
    if one_file and one_file["median_s"] is not None:
        out.append({"target": f"one-file check, median of {one_file['runs']} warm runs", "measured": f"{one_file['median_s']:.3f} s",
                    "goal": "<= 0.25 s", "met": one_file["median_s"] <= 0.25})
    return out


def render_table(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [f"compliance-engine {m['engine_version']} benchmark: {m['cpus']} CPUs, Python {m['python']} "
             f"({m['implementation']}), libyaml {'yes' if m['libyaml'] else 'no'}, {m['platform']}",
             f"catalogue generator v{results['generator_version']}, seed {results['seed']}, check date {AS_OF}, all packs"
             + (f"; load average {m['load_average_at_start']:.2f} at start (others' work skews the timings when it is "
                f"above 0.5)" if m["load_average_at_start"] is not None else ""), ""]
    header = ("products", "format", "step", "wall s", "units", "units/s", "peak RSS MiB", "x parse")
    rows = [header]
    for cat in results["catalogues"]:
        for s in cat["steps"]:
            step = "parse-only" if s["step"] == "parse-only" else f"check --jobs {s['jobs']}"
            rows.append((f"{cat['products']:,}", cat["format"], step, f"{s['wall_s']:.2f}", f"{cat['units']:,}",
                         f"{s['units_per_s']:,.0f}", f"{_mib(s['max_rss_kib']):.0f}", f"{s['ratio_to_parse']:.2f}"))
    lines += _aligned(rows, right={0, 3, 4, 5, 6, 7})
    one = results.get("one_file")
    if one:
        lines += ["", f"one-file check (the pre-commit path): compliance-engine check products/{one['file']} -q", ""]
        rows = [("run", "wall s", "peak RSS MiB"), ("cold (empty pack cache)", f"{one['cold_s']:.3f}", f"{_mib(one['cold_rss_kib']):.0f}")]
        if one["median_s"] is not None:
            rows += [(f"warm, median of {one['runs']}", f"{one['median_s']:.3f}", f"{_mib(one['max_rss_kib']):.0f}"),
                     ("warm, fastest", f"{one['min_s']:.3f}", ""), ("warm, slowest", f"{one['max_s']:.3f}", "")]
        lines += _aligned(rows, right={1, 2})
    goals = results["targets"]
    if goals:
        lines += ["", *(_aligned([("target", "measured", "goal", "met")]
                                 + [(g["target"], g["measured"], g["goal"], "yes" if g["met"] else "NO") for g in goals],
                                 right={1}))]
    if results["notes"]:
        lines += ["", *(f"note: {n}" for n in results["notes"])]
    return "\n".join(lines) + "\n"


def _aligned(rows: list[tuple], right: set[int]) -> list[str]:
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    out = []
    for n, r in enumerate(rows):
        cells = [str(c).rjust(w) if i in right else str(c).ljust(w) for i, (c, w) in enumerate(zip(r, widths))]
        out.append("  ".join(cells).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return out


def machine() -> dict[str, Any]:
    import yaml

    from compliance_engine.version import __version__

    return {"cpus": os.cpu_count(), "python": platform.python_version(), "implementation": platform.python_implementation(),
            "platform": platform.platform(terse=True), "libyaml": bool(getattr(yaml, "__with_libyaml__", False)),
            "engine_version": __version__, "load_average_at_start": _load_average()}


def _load_average() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):  # not on every platform
        return None


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _default_memory_limit_gib() -> float:
    try:
        return round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") * 0.75 / 1024 ** 3, 1)
    except (AttributeError, ValueError, OSError):  # not on every platform
        return 0.0


def _int_list(text: str) -> list[int]:
    try:
        values = [int(v.replace("_", "")) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated whole numbers, got {text!r}") from None
    if not values or any(v < 1 for v in values):
        raise argparse.ArgumentTypeError(f"expected comma-separated numbers of 1 or more, got {text!r}")
    return values


def _formats(text: str) -> list[str]:
    values = [v.strip() for v in text.split(",") if v.strip()]
    if not values or any(v not in ("yaml", "json") for v in values):
        raise argparse.ArgumentTypeError(f"formats are yaml and/or json, got {text!r}")
    return values


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark parse-only vs full check, throughput, peak RSS and the "
                                                 "one-file pre-commit path on a generated catalogue.")
    parser.add_argument("--products", type=_int_list, default=[20000],
                        help="catalogue size(s), comma-separated (two sizes also compare peak RSS); default 20000")
    parser.add_argument("--jobs", type=_int_list, default=[1, 2], help="--jobs values for the full check; default 1,2")
    parser.add_argument("--formats", type=_formats, default=["yaml"], help="manifest file formats: yaml,json; default yaml")
    parser.add_argument("--dir", default=str(ROOT / ".bench"), help="where catalogues are written and reused; default .bench/")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--one-file-runs", type=int, default=20, help="warm runs of the one-file check; 0 skips it")
    parser.add_argument("--json", action="store_true", help="print the results as JSON instead of the table")
    parser.add_argument("--memory-limit-gib", type=float, default=_default_memory_limit_gib(),
                        help="address-space limit of each measured step (a runaway step fails instead of exhausting "
                             "the machine); default 75%% of physical memory, 0 = none")
    args = parser.parse_args(argv)
    global MEMORY_LIMIT
    MEMORY_LIMIT = int(args.memory_limit_gib * 1024 ** 3)

    Path(args.dir).mkdir(parents=True, exist_ok=True)
    cache = Path(args.dir) / "pack-cache"
    env = dict(os.environ, COMPLIANCE_ENGINE_CACHE_DIR=str(cache), NO_COLOR="1")
    # as installed: Python may write (and then reuse) bytecode for the package's own modules; a
    # PYTHONDONTWRITEBYTECODE in this shell would recompile them on every run and time the compiler instead
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("COMPLIANCE_ENGINE_CACHE", None)
    cli = cli_command()
    caps = cli_capabilities(cli, env)
    notes: list[str] = []
    jobs = sorted(set(args.jobs))
    if not caps["jsonl"]:
        notes.append("the CLI has no --format jsonl yet: the full check wrote a json report (built in memory, "
                     "not streamed) to /dev/null")
    if not caps["jobs"]:
        if any(j > 1 for j in jobs):
            notes.append("the CLI has no --jobs option yet: only the one-process check was measured")
        jobs = [1]
    results: dict[str, Any] = {"machine": machine(), "generator_version": GENERATOR_VERSION, "seed": args.seed,
                               "as_of": AS_OF, "formats": args.formats, "catalogues": [], "one_file": None,
                               "notes": notes}
    try:
        if args.one_file_runs > 0:
            first = Path(args.dir) / f"{args.formats[0]}-{min(args.products)}"
            write_catalogue(first, min(args.products), seed=args.seed, fmt=args.formats[0])
            results["one_file"] = run_one_file(first, args.formats[0], args.one_file_runs, cli, env, cache)
        for fmt in args.formats:
            for n in sorted(set(args.products)):
                results["catalogues"].append(run_catalogue(n, fmt, jobs, args, cli, caps, env, notes))
    except (BenchmarkError, ValueError, OSError) as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 2
    results["targets"] = targets(results)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(render_table(results), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
