from __future__ import annotations

import pytest

from compliance_engine.config import ENV_VAR


@pytest.fixture(autouse=True)
def _no_config_from_environment(monkeypatch):
    """A COMPLIANCE_ENGINE_CONFIG set in the developer's shell must not change what these tests see."""
    monkeypatch.delenv(ENV_VAR, raising=False)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """An empty repository (a .git directory bounds the search) that is the working directory."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    monkeypatch.chdir(root)
    return root
