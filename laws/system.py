"""What the engines need from a system of generator fields, exactly and fast.

A *system* is a state space with named coordinates and N polynomial vector
fields X_1..X_N; a conservation law is a function h with X_i(h) = 0 for every
i. :class:`~laws.models.model.Model` is the system of gradient flow (X_i = grad
phi_i); :class:`~laws.flows.extended.FlowSystem` covers other flows on an extended
state. Subclasses provide ``params``, ``N``, ``generator_fields()`` (exact,
sparse: one ``{coordinate: polynomial}`` dict per field), ``evaluator(p)``
(fast mod-p fields on jets) and ``sign_symmetries()``.

>>> from laws.models.model import relu
>>> m = relu([2, 2, 1])
>>> m.prove(m.parse("u1_1**2 + u1_2**2 - v1_1**2"))
True
"""
from __future__ import annotations

from functools import cached_property
from typing import Sequence

import flint
import sympy as sp

from algebra.exact.parsing import parse_polynomial
from laws.naming import Parameter


class GeneratorSystem:
    """Shared behaviour: symbols, parsing, exact pairings <grad h, X_i>."""

    params: tuple[str, ...]
    name: str
    description: str

    @property
    def D(self) -> int:
        """Dimension of the state (number of coordinates)."""
        return len(self.params)

    @property
    def ctx(self) -> flint.fmpq_mpoly_ctx:
        if getattr(self, "_ctx", None) is None:
            self._ctx = flint.fmpq_mpoly_ctx.get(self.params, "deglex")
        return self._ctx

    @cached_property
    def symbols(self) -> tuple[Parameter, ...]:
        """The coordinates as sympy symbols (LaTeX with indices)."""
        return tuple(Parameter(name) for name in self.params)

    def to_sympy(self, poly: flint.fmpq_mpoly) -> sp.Expr:
        """An exact polynomial of this system as a sympy expression in :attr:`symbols`."""
        return polynomial_to_sympy(poly, self.symbols)

    def parse(self, text: str) -> flint.fmpq_mpoly:
        """Parse a polynomial in the coordinates (safely; see :mod:`algebra.exact.parsing`)."""
        return parse_polynomial(text, self.ctx)

    def generator_fields(self) -> list[dict[int, flint.fmpq_mpoly]]:  # pragma: no cover - abstract
        raise NotImplementedError

    def fields_touching(self, support: set[int]) -> list[int]:
        """Indices of the generators with a nonzero component on one of the coordinates."""
        index = getattr(self, "_fields_by_coordinate", None)
        if index is None:
            index = {}
            for i, field in enumerate(self.generator_fields()):
                for v in field:
                    index.setdefault(v, []).append(i)
            self._fields_by_coordinate = index
        return sorted({i for v in support for i in index.get(v, [])})

    def pairing(self, grad_h: Sequence[flint.fmpq_mpoly], i: int) -> flint.fmpq_mpoly:
        """X_i(h) = <grad h, X_i>, exactly."""
        total = self.ctx.constant(0)
        for v, component in self.generator_fields()[i].items():
            if not grad_h[v].is_zero():
                total += grad_h[v] * component
        return total

    def prove(self, h: flint.fmpq_mpoly) -> bool:
        """Exact proof over Q that h is conserved: X_i(h) == 0 for every generator."""
        grad_h = [h.derivative(v) for v in range(self.D)]
        support = {v for v, g in enumerate(grad_h) if not g.is_zero()}
        return all(self.pairing(grad_h, i).is_zero() for i in self.fields_touching(support))


def sparse_gradient(poly: flint.fmpq_mpoly, nvars: int) -> dict[int, flint.fmpq_mpoly]:
    """grad poly as ``{coordinate: nonzero partial derivative}``."""
    used = set()
    for exps in poly.monoms():
        used.update(v for v, e in enumerate(exps) if e)
    return {v: poly.derivative(v) for v in sorted(used)}


def polynomial_to_sympy(poly: flint.fmpq_mpoly, symbols: Sequence[sp.Symbol]) -> sp.Expr:
    """An ``fmpq_mpoly`` as a sympy expression in the given symbols (same order as its context)."""
    terms = []
    for exps, coeff in poly.terms():
        term = sp.Rational(int(coeff.p), int(coeff.q))
        for sym, e in zip(symbols, exps):
            if e:
                term *= sym ** int(e)
        terms.append(term)
    return sp.Add(*terms)
