"""Balance matrices of layered networks, for showing quadratic laws in matrix form.

In the notation of :mod:`laws.naming` (rows are the neurons of a layer): for a hidden layer l with
incoming weights U^(l) (and bias B^(l)) and outgoing weights U^(l+1),
M_l = U^(l) U^(l)^T + B^(l) B^(l)^T - U^(l+1)^T U^(l+1); for two layers, whose matrices U (first layer)
and V (second layer, transposed) both have a row per hidden neuron, M_1 = U U^T + b b^T - V V^T, so
that entry (k, k) is the balance |u_k|^2 + b_k^2 - |v_k|^2 of hidden neuron k. Its entries are the
classical conservation laws of linear networks, its diagonal those of ReLU networks (Du, Hu, Lee 2018;
Marcotte et al. 2023, who write the transposed matrices, U^T U - V^T V).

>>> from laws.models.model import linear
>>> [info["text"] for info in balance_matrices(linear([2, 3, 2]))]
['U U^T - V V^T']
>>> import sympy as sp
>>> print(sp.latex(balance_matrices(linear([2, 2, 2, 2], bias=True))[0]["expression"]))
B^{(1)} \\left(B^{(1)}\\right)^{T} + U^{(1)} \\left(U^{(1)}\\right)^{T} - \\left(U^{(2)}\\right)^{T} U^{(2)}
"""
from __future__ import annotations

import flint

from algebra.lazy import lazy_module

sp = lazy_module("sympy")

__all__ = ["balance_matrices", "balance_expression", "span_rank", "coefficients", "coefficient_rank"]


def balance_matrices(model, expressions: bool = True) -> list[dict]:
    """Per hidden layer: its entries (i <= j) as polynomials, and (with ``expressions``) a sympy matrix expression
    (:func:`balance_expression`)."""
    s = model.structure
    gens = model.ctx.gens()
    out = []
    for l in range(1, s.depth):
        n, n_in, n_out = s.dims[l], s.dims[l - 1], s.dims[l + 1]
        entries = []
        for i in range(n):
            for j in range(i, n):
                e = model.ctx.constant(0)
                for k in range(n_in):
                    e += gens[s.weight_index(l, i, k)] * gens[s.weight_index(l, j, k)]
                if s.bias:
                    e += gens[s.bias_index(l, i)] * gens[s.bias_index(l, j)]
                for k in range(n_out):
                    e -= gens[s.weight_index(l + 1, k, i)] * gens[s.weight_index(l + 1, k, j)]
                entries.append(((i, j), e))
        info = {"layer": l, "entries": entries, "text": _text(s, l)}
        if expressions:
            info["expression"] = balance_expression(model, l)
        out.append(info)
    return out


def balance_expression(model, l: int):
    """M_l as a sympy matrix expression, in the matrices of the notation paragraph (:mod:`laws.naming`).

    >>> from laws.models.model import relu
    >>> balance_expression(relu([2, 3, 2], bias=True), 1)
    U*U.T - V*V.T + b*b.T
    """
    s = model.structure
    return _expression(s, l, s.dims[l], s.dims[l - 1], s.dims[l + 1])


def _expression(s, l, n, n_in, n_out):
    """M_l as a sympy matrix expression, in the matrices of the notation paragraph (:mod:`laws.naming`)."""
    if s.depth == 2:
        U, V = sp.MatrixSymbol("U", n, n_in), sp.MatrixSymbol("V", n, n_out)
        b = sp.MatrixSymbol("b", n, 1)
        return U * U.T + b * b.T - V * V.T if s.bias else U * U.T - V * V.T
    W = sp.MatrixSymbol(f"U^{{({l})}}", n, n_in)
    Wn = sp.MatrixSymbol(f"U^{{({l + 1})}}", n_out, n)
    b = sp.MatrixSymbol(f"B^{{({l})}}", n, 1)
    return W * W.T + b * b.T - Wn.T * Wn if s.bias else W * W.T - Wn.T * Wn


def _text(s, l) -> str:
    """M_l in plain text (the CLI's summary)."""
    if s.depth == 2:
        return "U U^T + b b^T - V V^T" if s.bias else "U U^T - V V^T"
    return (f"U{l} U{l}^T + B{l} B{l}^T - U{l + 1}^T U{l + 1}" if s.bias else f"U{l} U{l}^T - U{l + 1}^T U{l + 1}")


def span_rank(polys: list) -> int:
    """Rank over Q of a list of polynomials (as coefficient vectors).

    >>> import flint
    >>> a, b = flint.fmpq_mpoly_ctx.get(("a", "b"), "deglex").gens()
    >>> span_rank([a**2 - b**2, 2 * b**2 - 2 * a**2, a * b])
    2
    """
    return coefficient_rank([coefficients(h) for h in polys])


def coefficients(poly) -> dict:
    """A polynomial's coefficient vector, ``{exponents: coefficient}`` (for :func:`coefficient_rank`)."""
    return dict(zip(poly.monoms(), poly.coeffs()))


def coefficient_rank(rows: list[dict]) -> int:
    """Rank over Q of coefficient vectors (:func:`coefficients`)."""
    if not rows:
        return 0
    monos = sorted({m for row in rows for m in row})
    index = {m: i for i, m in enumerate(monos)}
    mat = flint.fmpq_mat(len(rows), len(monos))
    for r, row in enumerate(rows):
        for m, c in row.items():
            mat[r, index[m]] = c
    return mat.rank()
