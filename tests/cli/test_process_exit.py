"""The console script ends the process without the interpreter's teardown when nothing is registered to run at
exit (cli._exit: ~35 ms of a one-file check). Nothing a user sees may change: the whole report reaches a pipe or
a file, the exit status is the command's, a closed pipe is still a quiet exit 1, and an atexit handler (coverage,
an embedding program's) still runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from pathlib import Path

from tests.conftest import ROOT

#: the console script pip installed next to this interpreter (``python -m compliance_engine`` exits the usual way)
SCRIPT = Path(sys.executable).parent / "compliance-engine"
CLI = [str(SCRIPT)]


def test_the_console_script_is_installed():
    assert SCRIPT.is_file(), "install the project (pip install -e .) so its console script exists"


def _run(*args, **kwargs):
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, cwd=ROOT, timeout=300, **kwargs)


def test_a_report_larger_than_a_pipe_buffer_arrives_whole_with_the_commands_status():
    done = _run("check", "products/", "--as-of", "2026-11-24", "--format", "json")
    assert done.returncode == 1 and done.stderr == ""
    assert len(done.stdout.encode()) > 65_536  # more than one pipe buffer, so the last part is written at exit
    report = json.loads(done.stdout)
    assert report["summary"]["findings"] == sum(len(r["findings"]) for r in report["results"]) > 200
    streamed = _run("check", "products/", "--as-of", "2026-11-24", "--format", "jsonl")
    records = [json.loads(line) for line in streamed.stdout.splitlines()]
    assert streamed.returncode == 1 and [r["type"] for r in records] == ["run"] + ["result"] * report["summary"]["checked"] + ["summary"]


def test_each_exit_status_is_kept(tmp_path):
    assert _run("check", "products/", "--as-of", "2026-11-24", "--fail-on", "never", "-q").returncode == 0
    assert _run("check", "products/", "--as-of", "2026-11-24", "-q").returncode == 1
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: Product\nsku: [unclosed\n", encoding="utf-8")
    broken = _run("check", bad)
    assert broken.returncode == 2 and "bad.yaml:2:" in broken.stdout and "1 input error" in broken.stdout


def test_a_report_file_is_complete(tmp_path):
    out = tmp_path / "report.sarif"
    done = _run("check", "products/", "--as-of", "2026-11-24", "--format", "sarif", "--output", out)
    assert done.returncode == 1
    assert json.loads(out.read_text(encoding="utf-8"))["runs"][0]["results"]


def test_a_closed_pipe_is_a_quiet_exit_1():
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody reads: the first write fails
    proc = subprocess.Popen([*CLI, "check", "products/", "--format", "json"], cwd=ROOT, stdout=write_end,
                            stderr=subprocess.PIPE)
    os.close(write_end)
    err = proc.stderr.read()
    assert proc.wait(timeout=300) == 1 and err == b""


def test_an_atexit_handler_still_runs(tmp_path):
    marker = tmp_path / "ran"
    script = ("import atexit, pathlib, sys\n"
              f"atexit.register(pathlib.Path({str(marker)!r}).write_text, 'yes')\n"
              "from compliance_engine.cli import main\n"
              "sys.argv = ['compliance-engine', 'check', 'products/', '-q', '--fail-on', 'never']\n"
              "main()\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0 and marker.read_text() == "yes"


def test_a_profiler_still_gets_its_report(tmp_path):
    """cProfile (like a debugger or coverage's tracer) writes its report after the script returns: with one
    attached, the console script exits the usual way."""
    out = tmp_path / "check.prof"
    done = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(out), str(SCRIPT), "check", "products/", "-q",
                           "--fail-on", "never"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0 and out.stat().st_size > 10_000


def test_python_dash_m_exits_the_usual_way(tmp_path):
    """Tools that run a module in-process (memray run -m, runpy wrappers) report after it returns."""
    script = ("import runpy, sys\n"
              "sys.argv = ['compliance_engine', 'check', 'products/', '-q', '--fail-on', 'never']\n"
              "try:\n    runpy.run_module('compliance_engine', run_name='__main__')\n"
              "except SystemExit as exc:\n    print('returned', exc.code)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.stdout.splitlines()[-1] == "returned 0"
