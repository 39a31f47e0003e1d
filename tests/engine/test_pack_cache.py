"""The disk cache of compiled packs: same findings as a fresh load, invalidated by any pack or table change,
safe when several processes start at once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from compliance_engine.packs.cache import cache_dir, load_compiled
from tests.conftest import ROOT, pack_yaml, rule_yaml, write

CLI = [sys.executable, "-m", "compliance_engine"]


def _check(cache: Path | None, *args, cwd=ROOT):
    env = dict(os.environ, NO_COLOR="1")
    if cache is None:
        env["COMPLIANCE_ENGINE_CACHE"] = "off"
    else:
        env["COMPLIANCE_ENGINE_CACHE_DIR"] = str(cache)
    return subprocess.run([*CLI, "check", *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


def test_a_warm_cache_gives_byte_identical_reports(tmp_path):
    args = ("products/", "--as-of", "2026-11-24", "--format", "json")
    fresh = _check(None, *args)
    cold = _check(tmp_path, *args)
    assert len(list(tmp_path.glob("packs-*.pickle"))) == 1
    warm = _check(tmp_path, *args)
    assert fresh.returncode == cold.returncode == warm.returncode == 1
    assert fresh.stdout == cold.stdout == warm.stdout
    assert '"waived"' in warm.stdout and '"status": "fail"' in warm.stdout


TABLE = "table: banned\ntitle: Banned\nsource: https://example.org\nas_of: 2026-01-01\nentries: [{{name: {name}}}]\n"


def _pack_dir(tmp_path: Path, doc_type: str) -> Path:
    d = tmp_path / "packs"
    write(d / "t.yaml", pack_yaml("eu.t", rule_yaml("eu.t.doc", requires=f"[{{document: {{type: {doc_type}}}}}]")
                                  + rule_yaml("eu.t.listed", requires="[{substances_absent: {table: banned, "
                                              "in: [ingredients]}}]"), extra="data: {banned: data/banned.yaml}\n"))
    write(d / "data" / "banned.yaml", TABLE.format(name="lead"))
    return d


def test_editing_a_pack_or_its_data_table_invalidates_the_entry(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPLIANCE_ENGINE_CACHE_DIR", str(tmp_path / "cache"))
    packs = _pack_dir(tmp_path, "test-report")
    first, _ = load_compiled([packs], include_builtin=False)
    again, _ = load_compiled([packs], include_builtin=False)
    assert first.rules[0].requires[0].spec["type"] == again.rules[0].requires[0].spec["type"] == "test-report"
    _pack_dir(tmp_path, "eu-declaration-of-conformity")  # the pack file changes
    edited, _ = load_compiled([packs], include_builtin=False)
    assert edited.rules[0].requires[0].spec["type"] == "eu-declaration-of-conformity"
    write(packs / "data" / "banned.yaml", TABLE.format(name="mercury"))  # only the table changes
    retabled, _ = load_compiled([packs], include_builtin=False)
    assert retabled.packs[0].tables["banned"].entries == [{"name": "mercury"}]


def test_a_broken_entry_is_ignored_and_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPLIANCE_ENGINE_CACHE_DIR", str(tmp_path / "cache"))
    packs = _pack_dir(tmp_path, "test-report")
    load_compiled([packs], include_builtin=False)
    (entry,) = (tmp_path / "cache").glob("packs-*.pickle")
    entry.write_bytes(entry.read_bytes()[:100])  # truncated, as after a crash mid-write by a foreign tool
    packset, compiled = load_compiled([packs], include_builtin=False)
    assert [r.id for r in packset.rules] == ["eu.t.doc", "eu.t.listed"] and compiled.groups
    assert entry.stat().st_size > 100


def test_the_cache_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("COMPLIANCE_ENGINE_CACHE", "off")
    assert cache_dir() is None


def test_processes_starting_together_share_the_cache_safely(tmp_path):
    cache = tmp_path / "cache"
    procs = [subprocess.Popen([*CLI, "check", "products/", "--as-of", "2026-11-24", "--format", "json"], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=dict(os.environ, COMPLIANCE_ENGINE_CACHE_DIR=str(cache)))
             for _ in range(4)]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [1] * 4
    assert len({out for out, _ in outputs}) == 1 and all(err == "" for _, err in outputs)
    assert [p.name for p in cache.iterdir()] == [next(cache.glob("packs-*.pickle")).name]  # no temporary files left
    shutil.rmtree(cache)


def test_a_warm_entry_holds_what_a_one_file_check_would_otherwise_rebuild(tmp_path, monkeypatch):
    """The pre-commit path reads the entry instead of translating the packs' phrase lists for RE2 and dumping
    each ruleset to JSON again; what it reads must be what a fresh load builds."""
    monkeypatch.setenv("COMPLIANCE_ENGINE_CACHE_DIR", str(tmp_path / "cache"))
    fresh_set, fresh = load_compiled()  # cold: loads, compiles and writes the entry
    warm_set, warm = load_compiled()
    lists = {(p.id, t.name): t.__dict__.get("_compiled_lists", {}) for p in warm_set.packs for t in p.tables.values()}
    translated = {key: sorted(found) for key, found in lists.items() if found}
    assert len(translated) >= 3, translated  # the claim-wording tables of the EU, US and SEA packs
    for (pack_id, table), names in translated.items():
        fresh_table = next(t for p in fresh_set.packs if p.id == pack_id for t in p.tables.values() if t.name == table)
        for name in names:
            restored, built = lists[(pack_id, table)][name], fresh_table.__dict__["_compiled_lists"][name]
            assert restored.bodies == built.bodies and restored._inner == built._inner
    for restored, built in zip([*warm.derive, *warm.groups], [*fresh.derive, *fresh.groups]):
        assert "definition" not in restored.__dict__  # only its JSON text was read
        assert restored.definition_json() == built.definition_json()
        assert restored.definition == built.definition  # parsed back on demand (pack tools, tests)
    import pickle

    untouched = warm.groups[-1]
    untouched.__dict__.pop("definition", None)  # as read from the entry, never asked for its definition
    again = pickle.loads(pickle.dumps(untouched))  # handed on again (a worker, a Spark executor)
    assert again.definition_json() == fresh.groups[-1].definition_json()


def test_entries_no_run_used_for_30_days_are_removed_when_a_new_entry_is_written(tmp_path, monkeypatch):
    import time

    cache = tmp_path / "cache"
    monkeypatch.setenv("COMPLIANCE_ENGINE_CACHE_DIR", str(cache))
    packs = _pack_dir(tmp_path, "test-report")
    load_compiled([packs], include_builtin=False)
    (current,) = cache.glob("packs-*.pickle")
    month_ago = time.time() - 31 * 86400
    stale, recent, other = cache / "packs-0stale.pickle", cache / "packs-0recent.pickle", cache / "notes.txt"
    for f in (stale, recent, other):
        f.write_bytes(b"x")
    for f in (stale, other, current):
        os.utime(f, (month_ago, month_ago))
    os.utime(recent, (time.time() - 29 * 86400,) * 2)
    load_compiled([packs], include_builtin=False)  # a read marks the entry used
    assert current.stat().st_mtime > time.time() - 60
    assert stale.exists()  # reading prunes nothing
    _pack_dir(tmp_path, "eu-declaration-of-conformity")  # a new pack set: a new entry is written
    load_compiled([packs], include_builtin=False)
    assert not stale.exists() and recent.exists() and other.exists() and current.exists()
    assert len(list(cache.glob("packs-*.pickle"))) == 3  # the new entry, the one just used, the recent one
