"""The wheel carries the rule packs and schemas, so an installed tool works from any directory."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from tests.conftest import ROOT


def test_wheel_contains_rulepacks_and_schemas(tmp_path):
    out = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    [wheel] = list(tmp_path.glob("compliance_engine-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.relative_to(ROOT).as_posix() for p in (ROOT / "rulepacks").rglob("*.yaml")}
    assert shipped and {f"compliance_engine/{p}" for p in shipped} <= names
    for kind in ("product", "listing", "seller", "rulepack"):
        assert f"compliance_engine/schemas/{kind}.schema.json" in names
    assert not [n for n in names if n.startswith("compliance_engine/rulepacks/") and n.endswith(".py")]
