"""Rule packs: the schema, loading and validation, conditions, and the durable-rules compiler."""
