"""Loading manifests: safe YAML, line numbers, clear errors with file, line and field path."""

from __future__ import annotations

import pytest

from compliance_engine.loading import load_manifests, load_text
from compliance_engine.units import build_units
from tests.conftest import ROOT, write

GOOD = """\
kind: Product
sku: A-1
category: electronics.audio
markets: [EU, US]
documents:
  - {id: d1, type: technical-file, covers: [GPSR], issued: 2025-01-01}
listings:
  - {marketplace: amazon, market: DE, displays: [product-images]}
"""


def test_valid_manifest_loads_with_lines_and_expanded_units(tmp_path):
    f = write(tmp_path / "a.yaml", GOOD)
    result = load_manifests([f])
    assert result.problems == []
    [m] = result.manifests
    assert m.line_of("documents[0].type") == 6
    assert m.line_of("listings[0].displays") == 8
    assert m.data["documents"][0]["issued"] == "2025-01-01"
    units, problems = build_units(result.manifests)
    assert problems == []
    assert len(units) == 28  # EU-27 plus US
    de = [u for u in units if u.market == "DE"]
    assert [u.marketplace for u in de] == ["amazon"]
    assert [u.marketplace for u in units if u.market == "FR"] == [None]


def test_unknown_key_has_did_you_mean_and_line(tmp_path):
    f = write(tmp_path / "b.yaml", "kind: Product\nsku: B\ncategory: toys\nmarkts: [DE]\n")
    [p] = load_manifests([f]).problems
    assert p.line == 4
    assert "markts" in p.message and "did you mean 'markets'" in p.message


def test_unknown_nested_key_names_the_path(tmp_path):
    f = write(tmp_path / "c.yaml", "kind: Product\nsku: C\ncategory: toys\nlabelling:\n  langauges: [de]\n")
    [p] = load_manifests([f]).problems
    assert p.line == 5 and "labelling.langauges" in p.message and "languages" in p.message


def test_x_keys_are_free(tmp_path):
    f = write(tmp_path / "d.yaml", "kind: Product\nsku: D\ncategory: toys\nx-internal: {anything: [1, 2]}\nlabelling: {x-note: hi}\n")
    assert load_manifests([f]).problems == []


def test_wrong_type_and_closed_vocabulary(tmp_path):
    f = write(tmp_path / "e.yaml", "kind: Product\nsku: E\ncategory: electronic\nintended_for: kids\n")
    problems = load_manifests([f]).problems
    by_line = {p.line: p.message for p in problems}
    assert "category" in by_line[3] and "electronics" in by_line[3]
    assert "intended_for" in by_line[4]


def test_malformed_yaml_reports_line(tmp_path):
    f = write(tmp_path / "f.yaml", "kind: Product\nsku: F\ncategory: [toys\nmarkets: DE\n")
    [p] = load_manifests([f]).problems
    assert p.file.endswith("f.yaml") and p.line in (3, 4, 5) and "YAML syntax error" in p.message


def test_python_tags_are_refused(tmp_path):
    f = write(tmp_path / "g.yaml", "kind: Product\nsku: !!python/object/apply:os.system ['echo pwned']\ncategory: toys\n")
    [p] = load_manifests([f]).problems
    assert p.line == 2 and "not allowed" in p.message


def test_duplicate_keys_name_both_lines(tmp_path):
    f = write(tmp_path / "h.yaml", "kind: Product\nsku: H\ncategory: toys\nsku: H2\n")
    [p] = load_manifests([f]).problems
    assert "duplicate key 'sku'" in p.message and "line 2" in p.message and p.line == 4


def test_listing_resolved_across_files_and_dangling_reference(tmp_path):
    write(tmp_path / "p.yaml", "kind: Product\nsku: P-9\ncategory: toys\nmarkets: [FR]\n")
    write(tmp_path / "l.yaml", "kind: Listing\nproduct: P-9\nmarketplace: ebay\nmarket: DE\n---\nkind: Listing\nproduct: P-8\nmarketplace: ebay\nmarket: DE\n")
    result = load_manifests([tmp_path])
    units, problems = build_units(result.manifests)
    assert sorted((u.market, u.marketplace) for u in units) == [("DE", "ebay"), ("FR", None)]
    [p] = problems
    assert p.file.endswith("l.yaml") and p.line == 7 and "P-8" in p.message and "did you mean 'P-9'" in p.message


def test_duplicate_sku_across_files(tmp_path):
    write(tmp_path / "a.yaml", "kind: Product\nsku: SAME\ncategory: toys\n")
    write(tmp_path / "b.yaml", "kind: Product\nsku: SAME\ncategory: toys\n")
    _, problems = build_units(load_manifests([tmp_path]).manifests)
    assert len(problems) == 1 and "a.yaml" in problems[0].message


def test_json_manifest_with_lines(tmp_path):
    f = write(tmp_path / "j.json", '{\n  "kind": "Product",\n  "sku": "J",\n  "category": "toyz"\n}\n')
    [p] = load_manifests([f]).problems
    assert p.line == 4 and "category" in p.message


def test_economic_operators_map_form_shows_the_list_form(tmp_path):
    f = write(tmp_path / "k.yaml", "kind: Product\nsku: K\ncategory: toys\neconomic_operators:\n  EU: {name: X}\n")
    [p] = load_manifests([f]).problems
    assert p.line == 4 and "list" in p.message and "jurisdiction" in p.message


def test_dangling_substantiation_is_an_error():
    r = load_text("kind: Product\nsku: Z\ncategory: toys\nclaims: [{text: great, substantiation: nope}]\n")
    assert len(r.problems) == 1 and "nope" in r.problems[0].message


def test_non_utf8_and_nul_bytes(tmp_path):
    (tmp_path / "bad.yaml").write_bytes(b"kind: Product\nsku: \xff\xfe\n")
    (tmp_path / "nul.yaml").write_bytes(b"kind: Product\nsku: A\x00\n")
    problems = {p.file.rsplit("/", 1)[-1]: p for p in load_manifests([tmp_path]).problems}
    assert "UTF-8" in problems["bad.yaml"].message and problems["bad.yaml"].line == 2
    assert "NUL" in problems["nul.yaml"].message


def test_missing_path_is_a_problem(tmp_path):
    [p] = load_manifests([tmp_path / "nope"]).problems
    assert "no such file" in p.message


def test_loading_many_files_keeps_nothing_of_them():
    """A streamed catalogue reads one file after another: memory must not grow with the number read."""
    import tracemalloc

    from compliance_engine.loading import load_text

    text = (ROOT / "products" / "x1-bluetooth-speaker.yaml").read_text()
    load_text(text, "warm.yaml")
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for i in range(300):
        assert not load_text(text, f"p{i}.yaml").problems
    grown = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert grown < 2_000_000, f"{grown} bytes kept after 300 loads"


@pytest.mark.parametrize("text, line", [
    ("kind: Product\nsku: [1,\n", 2),  # the parser's mark sits after the final newline: the editor's last line
    ("kind: Product\ns", 2),
    ("[category: toys", 1),
    ("a: 1\rb: [\r", 2),  # old Mac line ends count as YAML counts them
    ("---", 1),
])
def test_an_error_at_the_end_of_the_text_names_its_last_line(text, line):
    (problem,) = load_text(text, "p.yaml").problems
    assert problem.line == line, problem
