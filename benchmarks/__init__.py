"""Benchmarks for compliance-engine: a catalogue generator (``generate``) and a runner (``run``)."""
