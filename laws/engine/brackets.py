"""Exact polynomial vector fields and their Lie brackets (python-flint ``fmpq_mpoly``).

A field is a tuple of D polynomials. The bracket follows MATH.md:
[X, Y] = DY . X - DX . Y, i.e. component c is sum_v X_v d_v Y_c - Y_v d_v X_c.
Used for exact checks and small explicit derivations; the counting engine
evaluates brackets at points instead (:mod:`laws.closure`).

>>> import flint
>>> ctx = flint.fmpq_mpoly_ctx.get(("x", "y"), "deglex")
>>> x, y = ctx.gens()
>>> X = gradient(x * y, ctx); Y = gradient(x**2, ctx)
>>> [str(c) for c in bracket(X, Y, ctx)]
['2*y', '-2*x']
"""
from __future__ import annotations

from typing import Sequence

import flint

from algebra.exact.modular import fmpq_mod

__all__ = ["Field", "gradient", "bracket", "evaluate"]

#: a polynomial vector field: one polynomial per coordinate
Field = tuple


def gradient(poly: flint.fmpq_mpoly, ctx: flint.fmpq_mpoly_ctx) -> Field:
    """grad poly as a field."""
    return tuple(poly.derivative(i) for i in range(ctx.nvars()))


def bracket(X: Sequence, Y: Sequence, ctx: flint.fmpq_mpoly_ctx) -> Field:
    """[X, Y] = DY.X - DX.Y."""
    D = ctx.nvars()
    zero = ctx.constant(0)
    out = []
    for c in range(D):
        total = zero
        for v in range(D):
            if not X[v].is_zero() and not Y[c].is_zero():
                total += X[v] * Y[c].derivative(v)
            if not Y[v].is_zero() and not X[c].is_zero():
                total -= Y[v] * X[c].derivative(v)
        out.append(total)
    return tuple(out)


def evaluate(field: Sequence, point: Sequence[int], p: int) -> list[int]:
    """A field's value at an integer point, mod p."""
    pt = [flint.fmpq(int(v)) for v in point]
    out = []
    for comp in field:
        value = comp(*pt) if not comp.is_zero() else flint.fmpq(0)
        out.append(fmpq_mod(value, p))
    return out
