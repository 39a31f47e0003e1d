"""One module per command beyond `check`, `rules`, `packs validate` and `schema` (registered in cli.py)."""
