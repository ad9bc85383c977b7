"""The counting engine's arithmetic: jets (nested dual numbers mod p), generator-field evaluators, and
exact symbolic brackets for proofs."""
from laws.engine import brackets, evaluators, jets

__all__ = ["jets", "evaluators", "brackets"]
