"""The exact core: modular linear algebra (mod p, GF(2)), cyclotomic fields, Laurent polynomials in unit
parameters, the safe polynomial parser, and seeding.

>>> from algebra.exact import CyclotomicField
>>> F = CyclotomicField(4)
>>> F.root_of_unity(4) ** 2 == -1
True
"""
from algebra.exact.cyclotomic import Cyc, CyclotomicField
from algebra.exact.modular import PRIME
from algebra.exact.parametric import Param, PVal
from algebra.exact.parsing import parse_polynomial
from algebra.exact.random import child_seed, generator

__all__ = ["Cyc", "CyclotomicField", "PRIME", "Param", "PVal", "parse_polynomial", "child_seed", "generator"]
