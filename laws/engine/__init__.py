"""The counting engine's arithmetic: jets (nested dual numbers mod p), generator-field evaluators, and
exact symbolic brackets for proofs.

>>> import flint
>>> ctx = flint.fmpq_mpoly_ctx.get(("x", "y"), "deglex")
>>> x, y = ctx.gens()
>>> [str(c) for c in brackets.gradient(x**2 * y, ctx)]
['2*x*y', 'x^2']
"""
from typing import TYPE_CHECKING

from algebra.lazy import lazy_exports

if TYPE_CHECKING:  # the re-exports, each imported on first use (algebra.lazy)
    from laws.engine import brackets, evaluators, jets

__all__ = ["jets", "evaluators", "brackets"]

__getattr__, __dir__ = lazy_exports(__name__, __file__)
del TYPE_CHECKING, lazy_exports  # the namespace holds the exports only
