"""Rule ids are a contract: every shipped id is a rulebook id, and the packs this release ships
completely hold every rulebook id of their pack. tests/data/rulebook-ids.txt is the rulebook's index
(shared/rulebook/{eu,us,sea}.md, 206 ids)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from compliance_engine.cli import cli
from compliance_engine.packs.loader import load_packs
from tests.conftest import ROOT

RULEBOOK = set((ROOT / "tests" / "data" / "rulebook-ids.txt").read_text().split())
EU_GB_PACKS = {"eu.gdpr", "gb.gdpr", "eu.gpsr", "eu.ce", "gb.ukca", "eu.reach", "eu.scip", "eu.epr", "eu.cosmetics",
               "eu.vat", "gb.vat", "eu.packaging", "eu.amazon-fba"}
US_PACKS = {"us.ftc", "us.fda", "us.cpsc", "us.prop65", "us.fcc", "us.hazmat", "us.amazon-fba", "us.sales-tax", "us.customs"}
SEA_PACKS = {".".join(i.split(".")[:2]) for i in RULEBOOK if i.split(".")[0] in ("id", "vn", "th", "my", "sg", "ph", "sea")}
COMPLETE_PACKS = EU_GB_PACKS | US_PACKS | SEA_PACKS


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


@pytest.mark.parametrize("prefix,count", [("eu.", 57), ("gb.", 12), ("us.", 74), ("id.", 15), ("vn.", 10), ("th.", 10),
                                          ("my.", 5), ("sg.", 7), ("ph.", 9), ("sea.", 7)])
def test_rules_list_by_region_prefix_shows_every_rulebook_id(prefix, count):
    """`compliance-engine rules list --pack eu.` (gb., us., and each SEA jurisdiction) lists exactly the
    rulebook's ids of that jurisdiction."""
    result = CliRunner().invoke(cli, ["rules", "list", "--pack", prefix])
    assert result.exit_code == 0, result.output
    listed = {line.split()[0] for line in result.output.splitlines() if line.startswith(prefix)}
    want = {i for i in RULEBOOK if i.startswith(prefix)}
    assert len(want) == count
    assert listed == want, (sorted(want - listed), sorted(listed - want))
