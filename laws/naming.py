"""Readable, stable parameter names and their LaTeX.

Two-layer networks use the neuron-wise names of the papers: ``u{k}_{i}`` is
the weight from input i into hidden neuron k, ``v{k}_{j}`` the weight from
hidden neuron k to output j, ``b{k}`` and ``c{j}`` the biases. Deeper networks
use layer matrices: ``U{l}_{i}_{j}`` is entry (i, j) of layer l's weight
matrix (rows: neurons of layer l), ``B{l}_{i}`` its bias. All indices start at 1.

>>> latex_name("U1_2_3"), latex_name("u3_1"), latex_name("B2_10"), latex_name("theta")
('U^{(1)}_{23}', 'u_{31}', 'B^{(2)}_{10}', '\\\\theta')
"""
from __future__ import annotations

import re

import sympy as sp

__all__ = ["latex_name", "Parameter"]

_INDEXED = re.compile(r"^([A-Za-z]+)(\d+)((?:_\d+)*)$")


def latex_name(name: str) -> str:
    """LaTeX for a parameter name (indices as sub/superscripts)."""
    match = _INDEXED.match(name)
    if not match:
        return sp.latex(sp.Symbol(name))
    letter, first, rest = match.group(1), match.group(2), match.group(3)
    numbers = [first] + [n for n in rest.split("_") if n]
    if letter.isupper() and len(numbers) >= 2:
        return f"{letter}^{{({numbers[0]})}}_{{{_join(numbers[1:])}}}"
    return f"{letter}_{{{_join(numbers)}}}"


def _join(numbers: list[str]) -> str:
    return ("," if any(len(n) > 1 for n in numbers) else "").join(numbers)


class Parameter(sp.Symbol):
    """A real model parameter: a sympy Symbol that prints with indices in LaTeX.

    >>> sp.latex(Parameter("U2_1_1") ** 2)
    '\\\\left(U^{(2)}_{11}\\\\right)^{2}'
    """

    def __new__(cls, name: str):
        return super().__new__(cls, name, real=True)

    def _latex(self, printer) -> str:
        return latex_name(self.name)
