"""The exact core: modular linear algebra (mod p, GF(2)), cyclotomic fields, Laurent polynomials in unit
parameters, the JSON form of exact values, the safe polynomial parser, and seeding.

>>> from algebra.exact import CyclotomicField, exact_json
>>> F = CyclotomicField(4)
>>> F.root_of_unity(4) ** 2 == -1
True
>>> exact_json(F.root_of_unity(4) ** 2 / 2)
{'p': -1, 'q': 2}
"""
from typing import TYPE_CHECKING

from algebra.lazy import lazy_exports

if TYPE_CHECKING:  # the re-exports, each imported on first use (algebra.lazy)
    from algebra.exact.cyclotomic import Cyc, CyclotomicField
    from algebra.exact.encoding import exact_json, from_exact_json
    from algebra.exact.modular import PRIME
    from algebra.exact.parametric import Param, ParamKind, PVal, exact_number
    from algebra.exact.parsing import parse_polynomial
    from algebra.exact.random import child_seed, generator

__all__ = ["Cyc", "CyclotomicField", "exact_json", "from_exact_json", "PRIME", "Param", "ParamKind", "PVal",
           "exact_number", "parse_polynomial", "child_seed", "generator"]

__getattr__, __dir__ = lazy_exports(__name__, __file__)
del TYPE_CHECKING, lazy_exports  # the namespace holds the exports only
