"""Paths that are not regular files (a FIFO, /dev/zero, /dev/urandom, a symbolic link to a device, a broken link)
and a file that grows while it is read: refused with one message, never opened for reading (a FIFO would wait
for a writer forever, a device would never end), in every mode (serial, --jobs, the jsonl stream)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from compliance_engine.loading import load_manifests
from compliance_engine.yamlsource import ReadError, read_bytes
from tests.hostile.helpers import AS_OF, HEAD, run_measured


@pytest.fixture
def odd_directory(tmp_path) -> Path:
    """A product, then a FIFO, a link to /dev/zero and a broken link, all named like manifests."""
    d = tmp_path / "catalogue"
    d.mkdir()
    (d / "a-product.yaml").write_text(HEAD, encoding="utf-8")
    os.mkfifo(d / "b-fifo.yaml")
    (d / "c-zero.yaml").symlink_to("/dev/zero")
    (d / "d-broken.yaml").symlink_to(tmp_path / "nowhere.yaml")
    return d


EXPECTED = {
    "catalogue/b-fifo.yaml": "is a FIFO (named pipe), not a regular file",
    "catalogue/c-zero.yaml": "is a character device, not a regular file",
    "catalogue/d-broken.yaml": "is a broken symbolic link",
}


def test_the_library_names_each_odd_entry_and_loads_the_product(odd_directory, monkeypatch):
    monkeypatch.chdir(odd_directory.parent)
    loaded = load_manifests(["catalogue"])
    assert [m.data["sku"] for m in loaded.manifests] == ["H-1"]
    assert {p.file: p.message for p in loaded.problems} == EXPECTED
    assert {p.line for p in loaded.problems} == {1}


@pytest.mark.parametrize("mode", [("json",), ("json", "--jobs", "2"), ("jsonl",)], ids=["serial", "jobs-2", "jsonl-stream"])
def test_no_mode_hangs_on_a_fifo_or_reads_a_device(odd_directory, mode):
    run = run_measured("check", "catalogue", "--as-of", AS_OF, "--format", *mode, cwd=odd_directory.parent, timeout=60)
    assert run.returncode == 2, run.stderr  # a hang would have been killed by the watchdog (exit -9)
    assert "Traceback" not in run.stderr
    for file, message in EXPECTED.items():
        if mode[0] == "json":
            assert f"compliance-engine: {file}:1: {message}\n" in run.stderr
        else:
            assert f'{{"type":"error","file":"{file}","line":1,"message":"{message}"}}' in run.stdout
    assert '"sku":"H-1"' in run.stdout.replace(" ", "")  # the good file is still checked


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_given_as_a_path_is_refused_at_once(device, tmp_path):
    run = run_measured("documents", device, "--as-of", AS_OF, "--output", tmp_path / "out.md", timeout=60)
    assert run.returncode == 2
    assert run.stderr == f"compliance-engine: {device}:1: is a character device, not a regular file\n"
    assert not (tmp_path / "out.md").exists()


def test_a_fifo_given_as_a_path_is_refused_at_once(tmp_path):
    os.mkfifo(tmp_path / "pipe.yaml")
    run = run_measured("check", "pipe.yaml", "--as-of", AS_OF, "--format", "jsonl", cwd=tmp_path, timeout=60)
    assert run.returncode == 2
    assert '"message":"is a FIFO (named pipe), not a regular file"' in run.stdout


def test_a_file_that_grows_while_it_is_read_is_cut_off_at_the_limit(tmp_path, monkeypatch):
    """The size said 10 bytes when it was checked; the read still stops one byte past the limit."""
    import compliance_engine.yamlsource as yamlsource

    f = tmp_path / "growing.yaml"
    f.write_bytes(b"x: 1\n" * 1_000)
    real_fstat = os.fstat

    class Small:
        def __init__(self, st):
            self.st_mode, self.st_size = st.st_mode, 10

    monkeypatch.setattr(yamlsource.os, "fstat", lambda fd: Small(real_fstat(fd)))
    with pytest.raises(ReadError) as caught:
        read_bytes(f, "growing.yaml", max_bytes=100, limit_name="max_file_bytes")
    assert str(caught.value) == ("growing.yaml:1: file is more than 100 bytes (it grew while being read), "
                                 "over the max-file-size limit of 100 bytes")
    assert read_bytes(f, "growing.yaml", max_bytes=5_000) == f.read_bytes()  # exactly at the limit: read whole
