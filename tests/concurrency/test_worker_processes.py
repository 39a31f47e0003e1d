"""``check --jobs N`` (worker processes) writes the serial run's report byte for byte, for the whole JSON report
and for the streamed JSON Lines, over more than 10,000 check units. 2 workers are the common case; 3 get uneven
shares (today 4,001 files go out in chunks of 200 or batches of 50, and 10,051 units in chunks of 500: 21, 21 and
81 pieces, each count's last piece short)."""

from __future__ import annotations

import json

import pytest

from .conftest import MIN_UNITS, check_cli, first_difference


def _checked(fmt: str, output: bytes) -> tuple[int, int]:
    """(check units, failed findings) of a report, read the way a user's tooling would."""
    if fmt == "json":
        summary = json.loads(output)["summary"]
    else:
        summary = json.loads(output.splitlines()[-1])["summary"]
    return summary["checked"], summary["failed"]


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_jobs_2_and_3_write_the_serial_report_byte_for_byte(catalogue, serial_runs, fmt):
    serial = serial_runs[fmt].output()
    units, failed = _checked(fmt, serial)
    assert units >= MIN_UNITS and failed > units  # a real run: rules fired on every unit
    for jobs in (2, 3):
        parallel = check_cli(catalogue, fmt, jobs)
        same = parallel == serial
        assert same, f"--format {fmt} --jobs {jobs} against --jobs 1: {first_difference(parallel, serial)}"
