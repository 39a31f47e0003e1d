"""Command-line values merged over the configuration file (see docs/configuration.md)."""

from __future__ import annotations

from pathlib import Path

from .common import fail_input


def settings_for_check(config_file: str | None, cli: dict):
    """Discover (or read ``config_file``), validate, and merge ``cli`` over it; a bad config is exit 2 with file:line."""
    from ..config import discover_config, resolve_settings
    from ..errors import InputError

    try:
        config = discover_config(explicit=Path(config_file) if config_file else None)
        return resolve_settings(config, cli)
    except InputError as exc:
        fail_input(exc.problems)


def input_limits(settings):
    """The InputLimits in effect: the --max-* flags over the configuration's ``limits`` over the defaults."""
    from ..limits import limits_from

    return limits_from(settings.value("limits"))
