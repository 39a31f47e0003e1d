"""A small product repository for the documents and bundle tests: a test pack, a product with real document files,
listings on two marketplaces in DE, and a seller whose packaging registration expires soon."""

from __future__ import annotations

import os
from pathlib import Path

import click
from click.testing import CliRunner

from tests.conftest import pack_yaml, rule_yaml, write

AS_OF = "2026-11-24"

PACK = pack_yaml("eu.t", markets="[EU]", rules=(
    rule_yaml("eu.t.declaration", requires="[{document: {type: eu-declaration-of-conformity}}]")
    + rule_yaml("eu.t.manual", requires="[{document: {type: user-instructions}}]", severity="warning")
    + rule_yaml("eu.t.test-report", requires="[{document: {type: test-report}}]")
    + rule_yaml("eu.t.declaration-and-report",
                requires="[{document: {type: eu-declaration-of-conformity}}, {document: {type: test-report}}]",
                severity="warning")
    + rule_yaml("eu.t.epr", requires="[{registration: {type: epr-packaging, market: unit}}]")
    + rule_yaml("eu.t.amazon-sheet", when="{field: listing.marketplace, equals: amazon}",
                requires="[{document: {type: safety-data-sheet}}]")
    + rule_yaml("eu.t.risk", requires="[{document: {type: gpsr-risk-assessment}}]")))

PRODUCT = """\
kind: Product
sku: SPK-1
category: electronics.audio
markets: [DE, FR]
documents:
  - {id: doc-doc, type: eu-declaration-of-conformity, file: docs/declaration.txt, issued: 2025-01-10}
  - {id: doc-manual, type: user-instructions, issued: 2025-01-10}
registrations:
  - {type: epr-packaging, market: DE, number: "DE1234567890123", issued: 2025-01-01, expires: 2027-01-15}
waivers:
  - {rule: eu.t.risk, market: DE, reason: risk assessment being redone after a design change, owner: qa@example.org}
listings:
  - {marketplace: amazon, market: DE, title: Speaker}
  - {marketplace: ebay, market: DE, title: Speaker}
"""

SELLER = """\
kind: Seller
name: Example GmbH
established_in: DE
"""


def make_repo(base: Path, product: str = PRODUCT) -> Path:
    """``base/repo`` (marked as a repository by a .git directory) with packs/ and products/; returns the repo."""
    repo = base / "repo"
    (repo / ".git").mkdir(parents=True)
    write(repo / "packs" / "t.yaml", PACK)
    write(repo / "products" / "speaker.yaml", product)
    write(repo / "products" / "seller.yaml", SELLER)
    write(repo / "products" / "docs" / "declaration.txt", "EU declaration of conformity for SPK-1\n")
    return repo


def library_checker(repo: Path, **kw):
    """A Checker over the test pack only (fast: no shipped pack is loaded)."""
    from compliance_engine import Checker

    return Checker(rulepacks=[repo / "packs"], include_builtin=False, as_of=kw.pop("as_of", AS_OF), **kw)


def invoke(command: click.Command, *args, cwd: Path | None = None):
    """Run ``command`` as the CLI does (through a group, as cli.py registers it); returns click's Result."""
    @click.group()
    def group() -> None:
        pass

    group.add_command(command)
    runner = CliRunner()
    old = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return runner.invoke(group, [command.name, *map(str, args)], catch_exceptions=False)
    finally:
        os.chdir(old)
