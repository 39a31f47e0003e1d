"""One generated catalogue of more than 10,000 check units for the concurrency tests, written and loaded once per
test session, and its serial reports: ``check --jobs 1`` in JSON and in JSON Lines, started in the background as
soon as the catalogue exists, so that they run beside the in-process thread tests instead of after them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

AS_OF = "2026-11-24"
PRODUCTS = 4000  # 10,051 check units with seed 7 (one per product and market, and per listing in that market)
SEED = 7
MIN_UNITS = 10_000
TIMEOUT_S = 600
CLI = [sys.executable, "-m", "compliance_engine"]


class CheckRun:
    """``compliance-engine check CATALOGUE --format FMT --jobs JOBS`` started in the background, as a user runs it
    (no colour, no progress bar, exit 0 whatever fails). It runs in a directory beside the catalogue, so its file
    names are absolute, as in this process (whose working directory, the repository, does not hold the catalogue)."""

    def __init__(self, catalogue: Path, fmt: str, jobs: int):
        self.what = f"check --format {fmt} --jobs {jobs}"
        out_dir = catalogue.parent / "outputs"
        out_dir.mkdir(exist_ok=True)
        self.stdout_path, self.stderr_path = out_dir / f"{fmt}-{jobs}.out", out_dir / f"{fmt}-{jobs}.err"
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.process = subprocess.Popen(
                [*CLI, "check", str(catalogue), "--as-of", AS_OF, "--format", fmt, "--fail-on", "never", "-q",
                 "--jobs", str(jobs)], stdout=out, stderr=err, cwd=catalogue.parent / "elsewhere",
                env=dict(os.environ, NO_COLOR="1"))

    def output(self) -> bytes:
        """Its standard output, once it has finished; it must succeed without a traceback."""
        code = self.process.wait(timeout=TIMEOUT_S)
        stderr = self.stderr_path.read_text(encoding="utf-8", errors="replace")
        assert code == 0, f"{self.what} exited {code}:\n{stderr[-3000:]}"
        assert "Traceback" not in stderr, stderr[-3000:]
        return self.stdout_path.read_bytes()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def check_cli(catalogue: Path, fmt: str, jobs: int) -> bytes:
    run = CheckRun(catalogue, fmt, jobs)
    try:
        return run.output()
    finally:
        run.stop()


def run_check_jsonl(directory: Path) -> str:
    """``check . --format jsonl`` run inside ``directory`` (file names relative to it, as the catalogue's own)."""
    out = subprocess.run([*CLI, "check", ".", "--as-of", AS_OF, "--format", "jsonl", "--fail-on", "never", "-q"],
                         capture_output=True, text=True, cwd=directory, env=dict(os.environ, NO_COLOR="1"),
                         timeout=TIMEOUT_S)
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr[-3000:]
    return out.stdout


def first_difference(got: bytes, expected: bytes) -> str:
    """Where two long reports first differ (line number and both lines), short enough to read in a failure."""
    a, b = got.splitlines(), expected.splitlines()
    for i, (x, y) in enumerate(zip(a, b), 1):
        if x != y:
            return f"first difference at line {i}:\n  got:      {x[:300]!r}\n  expected: {y[:300]!r}"
    return f"one report is a prefix of the other: {len(a)} lines against {len(b)} expected"


@pytest.fixture(scope="session")
def catalogue(tmp_path_factory) -> Path:
    from benchmarks.generate import write_catalogue

    root = tmp_path_factory.mktemp("concurrency") / "catalogue"
    write_catalogue(root, PRODUCTS, seed=SEED)
    (root.parent / "elsewhere").mkdir()
    return root


@pytest.fixture(scope="session")
def serial_runs(catalogue):
    """The serial runs (``--jobs 1``) in JSON and JSON Lines: the references every concurrent run must equal byte
    for byte. Both start at once and are only waited for when a test needs their output."""
    runs = {fmt: CheckRun(catalogue, fmt, 1) for fmt in ("json", "jsonl")}
    yield runs
    for run in runs.values():
        run.stop()


@pytest.fixture(scope="session")
def serial_json(serial_runs) -> bytes:
    return serial_runs["json"].output()


@pytest.fixture(scope="session")
def loaded_catalogue(catalogue, serial_runs):
    """The catalogue loaded in this process by the call the serial run makes (same path, same order). It asks for
    the serial runs first so that they are already under way while this process loads and checks."""
    from compliance_engine.loading import load_manifests

    loaded = load_manifests([str(catalogue)])
    assert loaded.problems == []
    return loaded
