"""Rule packs are untrusted data: safe loading, schema validation with file, line and rule id."""

from __future__ import annotations

import pytest

from compliance_engine.errors import PackError
from compliance_engine.packs.loader import load_packs
from tests.conftest import pack_yaml, rule_yaml, write


def _load(tmp_path, text, name="p.yaml"):
    write(tmp_path / "packs" / name, text)
    return load_packs([tmp_path / "packs"], include_builtin=False)


def _problems(tmp_path, text):
    with pytest.raises(PackError) as exc:
        _load(tmp_path, text)
    return exc.value.problems


def test_valid_pack_loads(tmp_path):
    ps = _load(tmp_path, pack_yaml("eu.ok", rule_yaml("eu.ok.one", "{fact: f}"), derive="  - {fact: f, when: {has: listing}}\n"))
    assert [r.id for r in ps.rules] == ["eu.ok.one"]


def test_python_tag_in_a_pack_is_refused_without_running_it(tmp_path):
    marker = tmp_path / "ran"
    text = pack_yaml("eu.evil", rule_yaml("eu.evil.r", None)).replace(
        "title: Test pack eu.evil", f"title: !!python/object/apply:os.system ['touch {marker}']")
    [p] = _problems(tmp_path, text)
    assert "not allowed" in p.message and p.line == 2
    assert not marker.exists()


def test_schema_error_names_file_line_and_rule(tmp_path):
    text = pack_yaml("eu.bad", rule_yaml("eu.bad.one", None) + rule_yaml("eu.bad.two", None, severity="fatal"))
    [p] = _problems(tmp_path, text)
    assert p.file.endswith("p.yaml") and "eu.bad.two" in p.message and "fatal" in p.message
    assert p.line == text.splitlines().index("    severity: fatal") + 1


def test_rule_without_sources_is_invalid(tmp_path):
    text = pack_yaml("eu.src", rule_yaml("eu.src.r", None)).replace("    references: ['https://example.org/law']\n", "")
    [p] = _problems(tmp_path, text)
    assert "references" in p.message and "eu.src.r" in p.message


def test_unknown_fact_and_negated_fact_in_derivation(tmp_path):
    text = pack_yaml("eu.f", rule_yaml("eu.f.r", "{fact: nowhere}"),
                     derive="  - {fact: a, when: {not: {fact: b}}}\n  - {fact: b, when: {has: seller}}\n")
    msgs = " | ".join(p.message for p in _problems(tmp_path, text))
    assert "'nowhere' is derived by no loaded pack" in msgs and "may not negate" in msgs


def test_rule_id_must_start_with_pack_id_and_be_unique(tmp_path):
    write(tmp_path / "packs" / "a.yaml", pack_yaml("eu.a", rule_yaml("eu.a.r", None)))
    write(tmp_path / "packs" / "b.yaml", pack_yaml("eu.b", rule_yaml("eu.a.r", None)))
    with pytest.raises(PackError) as exc:
        load_packs([tmp_path / "packs"], include_builtin=False)
    assert any("must start with the pack id" in p.message for p in exc.value.problems)


def test_min_engine_version(tmp_path):
    text = pack_yaml("eu.new", rule_yaml("eu.new.r", None), extra="min_engine_version: '99.0'\n")
    [p] = _problems(tmp_path, text)
    assert "needs compliance-engine 99.0" in p.message


def test_missing_data_table_is_named(tmp_path):
    text = pack_yaml("eu.t", rule_yaml("eu.t.r", None, "[{languages: {path: product.labelling.languages, table: langs}}]"))
    [p] = _problems(tmp_path, text)
    assert "no data table 'langs'" in p.message


def test_shipped_packs_validate():
    ps = load_packs()
    assert len(ps.packs) >= 1 and all(r.references for r in ps.rules)
