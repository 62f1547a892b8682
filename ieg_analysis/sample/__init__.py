"""Deterministic, illustrative sample corpus: generation and building."""
