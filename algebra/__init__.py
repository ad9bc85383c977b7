"""Exact algebra core of flowalgebra: derivations, modular linear algebra, safe parsing, the CoGO semi-ring."""
