"""The engine version (also part of every report and of compiled-pack cache keys)."""

__version__ = "0.2.0"
