"""The benchmark catalogue generator: deterministic, and every manifest it writes is valid input.

Benchmark results are never asserted; these tests only guard the data the benchmarks measure."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from benchmarks.generate import GENERATOR_VERSION, MARKER_NAME, generate_catalogue, write_catalogue
from compliance_engine import Checker, load_manifests
from compliance_engine.units import build_units

N = 50
AS_OF = dt.date(2026, 11, 24)


def _contents(paths: list[Path], root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in paths}


def _category_group(category: str) -> str:
    if category.startswith("electronics") or category in ("electrical-appliance", "batteries"):
        return "electronics"
    if category in ("food", "dietary-supplement"):
        return "food"
    return category


def test_same_seed_writes_byte_identical_files_and_another_seed_does_not(tmp_path):
    first = write_catalogue(tmp_path / "a", N, seed=11)
    second = write_catalogue(tmp_path / "b", N, seed=11)
    other = write_catalogue(tmp_path / "c", N, seed=12)
    assert len(first) == N + 1  # one file per product plus seller.yaml
    assert first[-1].name == "seller.yaml"
    assert _contents(first, tmp_path / "a") == _contents(second, tmp_path / "b")
    a, c = _contents(first, tmp_path / "a"), _contents(other, tmp_path / "c")
    assert a.keys() != c.keys() or a != c


def test_generate_catalogue_is_pure_and_prefix_stable():
    products, seller = generate_catalogue(N, seed=3)
    again, seller_again = generate_catalogue(N, seed=3)
    assert products == again and seller == seller_again
    # product i depends only on (seed, i): a small catalogue is the start of a bigger one
    assert generate_catalogue(20, seed=3)[0] == products[:20]
    assert len({p["sku"] for p in products}) == N
    assert all(p["kind"] == "Product" for p in products) and seller["kind"] == "Seller"


def test_catalogue_is_realistic_in_shape():
    products, _ = generate_catalogue(400)
    groups = {_category_group(p["category"]) for p in products}
    assert groups == {"electronics", "cosmetics", "toys", "apparel", "food"}
    assert all(1 <= len(p["markets"]) <= 4 for p in products)
    assert all(2 <= len(p["documents"]) <= 8 for p in products)
    assert any(p.get("listings") for p in products) and any(not p.get("listings") for p in products)
    expired = [d for p in products for d in p["documents"] if d.get("expires") and d["expires"] < AS_OF]
    assert expired, "some documents should have run out by the benchmark's check date"
    assert all(p.get("ingredients") for p in products if _category_group(p["category"]) in ("cosmetics", "food"))
    assert all(p["textile"]["fibres"] for p in products if p["category"] == "apparel")
    assert all(p.get("age_grade") for p in products if p["category"] == "toys")


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_every_generated_manifest_loads_and_checks_without_input_errors(tmp_path, fmt):
    paths = write_catalogue(tmp_path, N, fmt=fmt)
    loaded = load_manifests([tmp_path])
    assert [(p.file, p.line, p.message) for p in loaded.problems] == []
    assert len(loaded.manifests) == N + 1
    categories = {_category_group(m.data["category"]) for m in loaded.manifests if m.kind == "Product"}
    assert categories == {"electronics", "cosmetics", "toys", "apparel", "food"}
    units, problems = build_units(loaded.manifests)
    assert problems == []
    report = Checker(as_of=AS_OF).check_loaded(loaded)
    assert report.errors == [] and report.warnings == []
    assert len(report.results) == len(units) > N
    assert sum(len(r.findings) for r in report.results) > len(units)  # rules really ran on the units
    assert {p.suffix for p in paths} == {f".{fmt}"}


def test_rewrite_is_skipped_for_the_same_catalogue_and_a_stale_one_is_replaced(tmp_path):
    paths = write_catalogue(tmp_path, 5)
    marker = tmp_path / MARKER_NAME
    assert f'"generator_version": {GENERATOR_VERSION}' in marker.read_text()
    paths[0].write_text("touched\n")  # a skipped rewrite leaves this alone
    assert write_catalogue(tmp_path, 5) == paths
    assert paths[0].read_text() == "touched\n"
    smaller = write_catalogue(tmp_path, 3)  # different n: the old catalogue's files go
    assert sorted(p for p in (tmp_path / "products").rglob("*") if p.is_file()) == smaller[:-1]
    assert "touched" not in smaller[0].read_text()


def test_refuses_a_directory_that_holds_other_data(tmp_path):
    (tmp_path / "notes.txt").write_text("mine\n")
    with pytest.raises(ValueError, match="not empty"):
        write_catalogue(tmp_path, 3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
