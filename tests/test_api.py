"""The library API: models or dicts in, findings out; never prints; safe to share across threads."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from compliance_engine import Checker, Finding, InputError, Report, load_manifests
from compliance_engine.units import build_units
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def checker():
    return Checker(as_of="2026-11-24")


def test_check_paths_returns_a_report(checker, capsys):
    report = checker.check_paths([ROOT / "products"])
    assert isinstance(report, Report) and report.summary()["checked"] > 10
    assert report.exit_code() == 1 and report.exit_code("never") == 0
    assert capsys.readouterr() == ("", "")  # the library never prints


def test_check_accepts_dicts_and_models(checker):
    from compliance_engine.models import Product

    product = {"sku": "D-1", "category": "toys", "manufacturer": {"name": "M", "address": "A", "country": "CN", "email": "m@x"}}
    listing = {"marketplace": "amazon", "market": "DE", "displays": ["product-images"]}
    by_dict = checker.check(product, market="DE", listing=listing)
    by_model = checker.check(Product.model_validate({"kind": "Product", **product}), market="DE", listing=listing)
    assert [f.to_dict() for f in by_dict] == [f.to_dict() for f in by_model]
    assert all(isinstance(f, Finding) for f in by_dict)
    assert {f.rule for f in by_dict if f.status == "fail"} >= {"eu.gpsr.responsible-economic-operator", "eu.gpsr.listing-information"}


def test_invalid_dict_raises_input_error(checker):
    with pytest.raises(InputError, match="category"):
        checker.check({"sku": "X", "category": "nonsense"}, market="DE")


def test_as_of_decides_what_is_in_force():
    product = {"sku": "D-2", "category": "toys"}
    before = Checker(as_of="2024-12-12").check(product, market="DE")
    after = Checker(as_of="2024-12-13").check(product, market="DE")
    assert not [f for f in before if f.rule.startswith("eu.gpsr")]
    assert [f for f in after if f.rule.startswith("eu.gpsr")]


def _units(n: int):
    loaded = load_manifests([ROOT / "products"])
    units, _ = build_units(loaded.manifests)
    return [units[i % len(units)] for i in range(n)]


def test_shared_checker_across_8_threads_equals_serial(checker):
    units = _units(200)
    serial = [json.dumps([f.to_dict() for f in checker.check_unit(u)]) for u in units]
    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(lambda u: json.dumps([f.to_dict() for f in checker.check_unit(u)]), units))
    assert threaded == serial
    assert any('"fail"' in s for s in serial)


def test_a_product_changed_between_runs_is_checked_as_it_is_now(checker):
    # a run renders a product's fact values once for all its markets (engine memo); a caller that edits the
    # same dict and checks again must get the edited product's findings, never values of the earlier run
    import copy

    from compliance_engine.loading import LoadResult

    loaded = load_manifests([ROOT / "products" / "usb-c-charger-65w.yaml"])
    (product,) = [m for m in loaded.manifests if m.kind == "Product"]
    before = checker.check_loaded(loaded)
    assert len({r.market for r in before.results}) > 1
    product.data["category"] = "toys"  # other rules apply to a toy
    after = checker.check_loaded(loaded)
    rules = lambda report: {(r.market, f.rule) for r in report.results for f in r.findings}
    assert rules(after) != rules(before)
    fresh = copy.copy(product)
    fresh.data = copy.deepcopy(product.data)
    assert checker.check_loaded(LoadResult([fresh])).to_dict() == after.to_dict()
