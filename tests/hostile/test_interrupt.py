"""Ctrl-C during a long run (serial, --jobs 2, the jsonl stream): exit 130, exactly one line on standard error, no
traceback from the parent or a worker, no partial --output file. And kill -9 mid-run: the --output file keeps its
previous content (written to a temporary file and renamed only when complete).

Linux, as the worker processes (fork) are: /proc tells when the run is under way and which processes are left."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.hostile.helpers import AS_OF, CLI

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory) -> Path:
    """2,000 generated products: a run of many seconds, long enough to be interrupted in the middle."""
    from benchmarks.generate import write_catalogue

    root = tmp_path_factory.mktemp("interrupt") / "catalogue"
    write_catalogue(root, 2_000, seed=5)
    return root


def _start(catalogue: Path, out: Path, *args: str) -> subprocess.Popen:
    # its own session, so the test can signal the whole process group, as a terminal's Ctrl-C does
    return subprocess.Popen([*CLI, "check", str(catalogue), "--as-of", AS_OF, *args, "--output", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            env=dict(os.environ, NO_COLOR="1"))


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def _children(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()


def _wait_until_checking(proc: subprocess.Popen) -> None:
    """Past start-up, for sure: workers are running, or the parent has spent a second and a half of CPU (start-up
    takes well under one); then a little more, so the signal lands in the middle of the work."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the run ended before it could be interrupted: " + proc.stderr.read().decode()
        if _children(proc.pid) or _cpu_seconds(proc.pid) > 1.5:
            time.sleep(0.5)
            return
        time.sleep(0.05)
    pytest.fail("the run never got going")


@pytest.mark.parametrize("args", [("--format", "json"), ("--format", "json", "--jobs", "2"), ("--format", "jsonl"),
                                  ("--format", "jsonl", "--jobs", "2")],
                         ids=["serial", "jobs-2", "jsonl-stream", "jsonl-stream-jobs-2"])
def test_ctrl_c_exits_130_with_one_line_and_leaves_no_output(catalogue, tmp_path, args):
    out = tmp_path / ("report" + (".jsonl" if "jsonl" in args else ".json"))
    proc = _start(catalogue, out, *args)
    _wait_until_checking(proc)
    os.killpg(proc.pid, signal.SIGINT)  # the whole group: the parent and its workers, like Ctrl-C in a terminal
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr.decode()
    assert stderr.decode() == "compliance-engine: interrupted\n"
    assert stdout == b""
    assert list(tmp_path.iterdir()) == []  # neither the report nor its temporary file
    assert _left_in_session(proc.pid) == []  # the workers are gone too


def _left_in_session(session: int) -> list[int]:
    left = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if int(fields[3]) == session and fields[0] != "Z":
            left.append(int(stat.parent.name))
    return left


def test_kill_9_mid_run_leaves_the_previous_report_whole(catalogue, tmp_path):
    out = tmp_path / "report.json"
    out.write_text('{"previous": "report"}\n', encoding="utf-8")
    proc = _start(catalogue, out, "--format", "json")
    _wait_until_checking(proc)
    proc.kill()
    proc.communicate(timeout=60)
    assert out.read_text(encoding="utf-8") == '{"previous": "report"}\n'


def test_kill_9_while_the_stream_is_being_written_only_leaves_the_hidden_temporary_file(catalogue, tmp_path):
    """The streamed report grows in ``.report.jsonl.PID.tmp``; killed half-way, ``report.jsonl`` never appears."""
    out = tmp_path / "report.jsonl"
    proc = _start(catalogue, out, "--format", "jsonl")
    tmp = tmp_path / f".report.jsonl.{proc.pid}.tmp"
    deadline = time.monotonic() + 60
    while not (tmp.exists() and tmp.stat().st_size > 100_000) and time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read().decode()
        time.sleep(0.05)
    proc.kill()
    proc.communicate(timeout=60)
    assert not out.exists()
    assert tmp.stat().st_size > 100_000  # the partial stream went to the temporary file only
