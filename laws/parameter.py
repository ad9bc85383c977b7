"""A model parameter as a sympy symbol, printed in LaTeX with its indices (:func:`laws.naming.latex_name`).

A module of its own because it subclasses ``sympy.Symbol``: the names and their LaTeX (:mod:`laws.naming`)
are plain strings, and a count never imports sympy.

>>> from laws.models.model import linear
>>> linear([2, 2]).symbols[0], Parameter("u1_2").is_real
(U1_1_1, True)
"""
from __future__ import annotations

import sympy as sp

from laws.naming import latex_name

__all__ = ["Parameter"]


class Parameter(sp.Symbol):
    """A real model parameter: a sympy Symbol that prints with indices in LaTeX.

    >>> sp.latex(Parameter("U2_1_1") ** 2)
    '\\\\left(U^{(2)}_{11}\\\\right)^{2}'
    """

    def __new__(cls, name: str):
        return super().__new__(cls, name, real=True)

    def _latex(self, printer) -> str:
        return latex_name(self.name)
