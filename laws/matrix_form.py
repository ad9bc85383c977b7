"""Balance matrices of layered networks, for showing quadratic laws in matrix form.

For a hidden layer l with incoming weights W_l (and bias b_l) and outgoing
weights W_{l+1}, M_l = W_l W_l^T + b_l b_l^T - W_{l+1}^T W_{l+1}: its entries are
the classical conservation laws of linear networks, its diagonal those of
ReLU networks (Du, Hu, Lee 2018; Marcotte et al. 2023).

>>> from laws.models.model import linear
>>> [info["text"] for info in balance_matrices(linear([2, 3, 2]))]
['U^T U - V^T V (U = W_1^T, V = W_2)']
"""
from __future__ import annotations

import flint
import sympy as sp

__all__ = ["balance_matrices", "span_rank"]


def balance_matrices(model) -> list[dict]:
    """Per hidden layer: its entries (i <= j) as polynomials, and a sympy matrix expression."""
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
        out.append({"layer": l, "entries": entries, "expression": _expression(s, l, n, n_in, n_out),
                    "text": _text(s, l)})
    return out


def _expression(s, l, n, n_in, n_out):
    if s.depth == 2:
        U = sp.MatrixSymbol("U", n_in, n)
        V = sp.MatrixSymbol("V", n_out, n)
        expr = U.T * U - V.T * V
        if s.bias:
            b = sp.MatrixSymbol("b", n, 1)
            expr = U.T * U + b * b.T - V.T * V
        return expr
    W = sp.MatrixSymbol(f"W_{l}", n, n_in)
    Wn = sp.MatrixSymbol(f"W_{l + 1}", n_out, n)
    expr = W * W.T - Wn.T * Wn
    if s.bias:
        b = sp.MatrixSymbol(f"b_{l}", n, 1)
        expr = W * W.T + b * b.T - Wn.T * Wn
    return expr


def _text(s, l) -> str:
    if s.depth == 2:
        return ("U^T U + b b^T - V^T V (U = W_1^T, V = W_2)" if s.bias else "U^T U - V^T V (U = W_1^T, V = W_2)")
    return (f"W_{l} W_{l}^T + b_{l} b_{l}^T - W_{l + 1}^T W_{l + 1}" if s.bias else f"W_{l} W_{l}^T - W_{l + 1}^T W_{l + 1}")


def span_rank(polys: list) -> int:
    """Rank over Q of a list of polynomials (as coefficient vectors)."""
    if not polys:
        return 0
    monos = sorted({m for h in polys for m in h.monoms()})
    index = {m: i for i, m in enumerate(monos)}
    mat = flint.fmpq_mat(len(polys), len(monos))
    for r, h in enumerate(polys):
        for m, c in zip(h.monoms(), h.coeffs()):
            mat[r, index[m]] = c
    return mat.rank()
