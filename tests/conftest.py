from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 11, 24)

# The compiled-pack cache of this test session lives in a fresh directory (inherited by CLI subprocesses), so
# tests never read entries a previous run or another checkout left in ~/.cache.
import os  # noqa: E402
import tempfile  # noqa: E402

os.environ["COMPLIANCE_ENGINE_CACHE_DIR"] = tempfile.mkdtemp(prefix="ce-test-cache-")


@pytest.fixture
def root() -> Path:
    return ROOT


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def pack_yaml(pack_id: str, rules: str, markets: str = "[EU, XI, GB, US, SEA]", derive: str = "", extra: str = "") -> str:
    """A minimal valid pack; ``rules`` and ``derive`` are YAML list bodies (already indented by 2)."""
    return (f"pack: {pack_id}\ntitle: Test pack {pack_id}\njurisdiction: EU\nversion: '1'\nmarkets: {markets}\n"
            + extra + (f"derive:\n{derive}" if derive else "") + f"rules:\n{rules}")


def rule_yaml(rule_id: str, when: str | None = None, requires: str = "[]", severity: str = "error", extra: str = "") -> str:
    lines = [f"  - id: {rule_id}", f"    title: Rule {rule_id}", f"    severity: {severity}",
             "    legal_basis: Test basis", "    references: ['https://example.org/law']",
             "    effective: {from: 2020-01-01}"]
    if when:
        lines.append(f"    when: {when}")
    lines.append(f"    requires: {requires}")
    if extra:
        lines.append(extra)
    return "\n".join(lines) + "\n"


def make_checker(tmp_path: Path, pack_text: str, name: str = "test.yaml", **kw):
    from compliance_engine import Checker

    d = tmp_path / "packs"
    write(d / name, pack_text)
    return Checker(rulepacks=[d], include_builtin=False, as_of=kw.pop("as_of", AS_OF), **kw)


PRODUCT = {"kind": "Product", "sku": "P-1", "category": "electronics", "markets": ["DE"]}

# Manifest texts the CLI tests share: one that passes every shipped rule, one toy that fails GPSR and CE in FR.
PASSING_MANIFEST = """\
kind: Product
sku: OK-1
category: apparel
markets: [DE]
intended_for: professionals
"""
FAILING_TOY_MANIFEST = """\
kind: Product
sku: OUT-1
category: toys
markets: [FR]
age_grade: {min_years: 3, max_years: 8}
manufacturer: {name: Toy Co, address: "1 Road, Ningbo", country: CN, email: qa@toy.example}
"""


def assert_fail(f, severity="error", *words):
    """A finding exists, failed at ``severity``, and its message carries every one of ``words``."""
    assert f is not None, "expected a finding, got none"
    assert f.status == "fail", f.message
    assert f.severity == severity, f"{f.severity}: {f.message}"
    for w in words:
        assert w in f.message, f.message


def assert_pass(f):
    assert f is not None, "expected a finding, got none"
    assert f.status == "pass", f.message


def checker_over(tmp_path_factory, region: str, pack_files: list[str], data_files: list[str] = (), as_of=AS_OF):
    """A Checker over copies of some shipped packs of one region only, so a pack's tests do not depend on
    the other packs of the tree."""
    import shutil

    from compliance_engine import Checker

    src = ROOT / "rulepacks" / region
    dst = tmp_path_factory.mktemp("packs") / region
    (dst / "data").mkdir(parents=True)
    for f in pack_files:
        shutil.copy(src / f, dst / f)
    for f in data_files:
        shutil.copy(src / "data" / f, dst / "data" / f)
    return Checker(rulepacks=[dst.parent], include_builtin=False, as_of=as_of)


def assert_status(f, status, severity=None, *words):
    """A finding exists with that status (and severity), and its message carries every one of ``words``."""
    assert f is not None, "expected a finding, got none"
    assert f.status == status, f.message
    if severity:
        assert f.severity == severity, f"{f.severity}: {f.message}"
    for w in words:
        assert w in f.message, f.message
