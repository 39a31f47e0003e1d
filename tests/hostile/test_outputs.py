"""Input files are never written (content and modification time unchanged after every output option), and
--output is atomic: a failed or interrupted write leaves the previous file whole."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from compliance_engine.commands import common
from tests.conftest import ROOT
from tests.hostile.helpers import AS_OF, run_measured


def _snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def products(tmp_path) -> Path:
    """The example products with their evidence files and a central waivers file: every kind of input."""
    d = tmp_path / "in"
    shutil.copytree(ROOT / "products", d / "products")
    (d / "waivers.yaml").write_text("waivers:\n  - sku: '*'\n    rule: us.fda.*\n    reason: not sold in the US yet\n",
                                    encoding="utf-8")
    return d


def test_no_command_writes_to_its_inputs(products, tmp_path):
    before = _snapshot(products)
    out = tmp_path / "out"
    out.mkdir()
    formats = [f"{name}:{out / f'report.{ext}'}" for name, ext in
               [("text", "txt"), ("json", "json"), ("jsonl", "jsonl"), ("sarif", "sarif"), ("junit", "xml"),
                ("github", "log"), ("markdown", "md"), ("csv", "csv")]]
    args = [a for f in formats for a in ("--format", f)]
    check = run_measured("check", "products", "--as-of", AS_OF, "--waivers", "waivers.yaml", "--horizon", "400",
                         *args, cwd=products)
    assert check.returncode == 1, check.stderr
    documents = run_measured("documents", "products", "--as-of", AS_OF, "--waivers", "waivers.yaml", "--format", "csv",
                             "--output", out / "documents.csv", cwd=products)
    assert documents.returncode == 1, documents.stderr
    bundle = run_measured("bundle", "X1-SPK", "products", "--market", "DE", "--as-of", AS_OF, "--output",
                          out / "x1.zip", cwd=products)
    assert bundle.returncode in (0, 1), bundle.stderr
    assert zipfile.ZipFile(out / "x1.zip").namelist()  # the bundle read the evidence files, and wrote only the zip
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [Path(f.split(":", 1)[1]).name for f in formats] + ["documents.csv", "x1.zip"])
    assert _snapshot(products) == before


@pytest.mark.parametrize("target", ["products/seller.yaml", "products/x1-bluetooth-speaker.yaml", "waivers.yaml"])
def test_output_naming_an_input_is_refused_and_the_input_kept(products, target):
    before = _snapshot(products)
    run = run_measured("check", "products", "--as-of", AS_OF, "--waivers", "waivers.yaml", "--format", "json",
                       "--output", target, cwd=products)
    assert run.returncode == 2 and f"--output {target} is one of the input files; refusing to overwrite it" in run.stderr
    assert _snapshot(products) == before


def test_a_failed_write_keeps_the_previous_report_and_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "report.json"
    target.write_text("previous\n", encoding="utf-8")

    def refuse(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(common.os, "replace", refuse)
    with pytest.raises(SystemExit) as exited:
        common.write_output("new report\n", str(target), [])
    assert exited.value.code == 2
    assert target.read_text(encoding="utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_a_write_cut_short_never_reaches_the_target(tmp_path, monkeypatch):
    """Whatever stops the write half-way (here: the disk fills after the first bytes), the target is untouched:
    only the temporary file was ever open for writing."""
    target = tmp_path / "report.json"
    target.write_text("previous\n", encoding="utf-8")
    real_write_text = Path.write_text

    def half(self, text, *args, **kwargs):
        real_write_text(self, text[:3], *args, **kwargs)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_text", half)
    with pytest.raises(SystemExit):
        common.write_output("new report\n", str(target), [])
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


@pytest.mark.parametrize("target", ["products/seller.yaml", "products/broken.yaml", "waivers.yaml"])
def test_the_jsonl_stream_never_writes_over_an_input(products, target):
    (products / "products" / "broken.yaml").write_text("kind: Product\nsku: B-1\ncategory: toyz\n", encoding="utf-8")
    before = _snapshot(products)
    run = run_measured("check", "products", "--as-of", AS_OF, "--waivers", "waivers.yaml", "--format", "jsonl",
                       "--output", target, cwd=products)
    assert run.returncode == 2 and f"--output {target} is one of the input files; refusing to overwrite it" in run.stderr
    assert _snapshot(products) == before


@pytest.mark.parametrize("command", [("documents", "products"), ("bundle", "X1-SPK", "products", "--market", "DE")])
def test_documents_and_bundle_never_write_over_the_waivers_file(products, command):
    before = _snapshot(products)
    run = run_measured(*command, "--as-of", AS_OF, "--waivers", "waivers.yaml", "--output", "waivers.yaml", cwd=products)
    assert run.returncode == 2 and "refusing to overwrite it" in run.stderr
    assert _snapshot(products) == before
