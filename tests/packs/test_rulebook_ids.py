"""Rule ids are a contract: every shipped id is a rulebook id, and the packs this release ships
completely hold every rulebook id of their pack. tests/data/rulebook-ids.txt is the rulebook's index
(shared/rulebook/{eu,us,sea}.md, 206 ids)."""

from __future__ import annotations

from compliance_engine.packs.loader import load_packs
from tests.conftest import ROOT

RULEBOOK = set((ROOT / "tests" / "data" / "rulebook-ids.txt").read_text().split())
COMPLETE_PACKS = {"eu.gpsr", "id.cosmetics", "sg.cosmetics"}
COMPLETE_PREFIXES = {"us.fda.cosmetic-"}


def test_rulebook_index_is_whole():
    assert len(RULEBOOK) == 206


def test_every_shipped_rule_id_is_in_the_rulebook():
    shipped = {r.id for r in load_packs().rules}
    assert shipped - RULEBOOK == set()


def test_complete_packs_hold_every_rulebook_id():
    shipped = {r.id for r in load_packs().rules}
    for pack in COMPLETE_PACKS:
        want = {i for i in RULEBOOK if i.startswith(pack + ".")}
        assert want and want <= shipped, (pack, sorted(want - shipped))
    for prefix in COMPLETE_PREFIXES:
        want = {i for i in RULEBOOK if i.startswith(prefix)}
        assert len(want) == 8 and want <= shipped, sorted(want - shipped)
