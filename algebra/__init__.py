"""The exact core of flowalgebra (:mod:`algebra.exact`), the presentation layer (:mod:`algebra.present`),
the CoGO semi-ring (:mod:`algebra.cogo`) and the application (:mod:`algebra.app`: the ``flowalgebra``
command and the report).

The core names are here; CoGO is a subpackage of its own (``from algebra import cogo``), above laws and
groups in the layers, so importing the core never loads it.

>>> from algebra import FlowAlgebraError, Derivation, Result
>>> issubclass(FlowAlgebraError, ValueError)
True
"""
from typing import TYPE_CHECKING

from algebra.lazy import lazy_exports

if TYPE_CHECKING:  # the re-exports, each imported on first use (algebra.lazy)
    from algebra.errors import FlowAlgebraError
    from algebra.exact import PRIME, Cyc, CyclotomicField, Param, PVal, child_seed, generator, parse_polynomial
    from algebra.present import Derivation, Result, Step

__all__ = ["FlowAlgebraError", "PRIME", "Cyc", "CyclotomicField", "Param", "PVal", "child_seed", "generator",
           "parse_polynomial", "Derivation", "Result", "Step"]

__getattr__, __dir__ = lazy_exports(__name__, __file__)
del TYPE_CHECKING, lazy_exports  # the namespace holds the exports only
