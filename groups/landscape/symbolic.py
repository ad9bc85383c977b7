"""The teacher-student loss as a sympy expression, and the check of the float64 closed forms against
``sympy.diff``.

:func:`symbolic_kernel` is the arc-cosine kernel :math:`f(w, v)` from squared norms and the inner
product, :math:`\\big(\\sqrt{N^2-c^2} + (\\pi - \\arccos(c/N))\\,c\\big)/(2\\pi)` with :math:`N = |w||v|`;
:func:`symbolic_loss` is :math:`F` in the entries of a small symbolic ``W``. :func:`closed_forms`
states the closed forms of :mod:`groups.landscape.loss` (:math:`g`, :math:`h_1`, :math:`h_2`) and
checks them against ``sympy.diff`` of the kernel at random rational points.

>>> import sympy as sp
>>> W = weight_symbols(1, 2)
>>> sp.simplify(symbolic_loss(W, sp.eye(2)[0, :]).subs({W[0, 0]: 1, W[0, 1]: 0}))
0
>>> closed_forms(2, points=1).max_error < 1e-12   # the closed forms are evaluated in float64
True
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from algebra.exact.random import generator
from algebra.present import Derivation, Notation, Result, inline
from groups.landscape.loss import cross_gradient, h1_blocks, h2_blocks
from groups.limits import MAX_FORMULA_D, check_k
from groups.symmetric.notation import equals, landscape_notation

__all__ = ["symbolic_kernel", "symbolic_loss", "weight_symbols", "ClosedForms", "closed_forms"]


def symbolic_kernel(nw2: sp.Expr, nv2: sp.Expr, c: sp.Expr) -> sp.Expr:
    """f from squared norms and the inner product: :math:`(\\sqrt{N^2-c^2} + (\\pi - \\arccos(c/N))c)/(2\\pi)`."""
    N = sp.sqrt(nw2) * sp.sqrt(nv2)
    return (sp.sqrt(N**2 - c**2) + (sp.pi - sp.acos(c / N)) * c) / (2 * sp.pi)


def symbolic_loss(W: sp.Matrix, V: sp.Matrix) -> sp.Expr:
    """F as a sympy expression in the entries of ``W`` (small k, d).

    Diagonal pairs use :math:`f(w,w) = |w|^2/2` exactly.
    """
    def f(a, b, same):
        if same:
            return (a.dot(a)) / 2
        return symbolic_kernel(a.dot(a), b.dot(b), a.dot(b))

    k, m = W.rows, V.rows
    Wr = [W.row(i) for i in range(k)]
    Vr = [V.row(j) for j in range(m)]
    total = sp.Rational(1, 2) * sum(f(Wr[i], Wr[j], i == j) for i in range(k) for j in range(k))
    total -= sum(f(Wr[i], Vr[j], False) for i in range(k) for j in range(m))
    total += sp.Rational(1, 2) * sum(f(Vr[i], Vr[j], i == j) for i in range(m) for j in range(m))
    return total


def weight_symbols(k: int, d: int) -> sp.Matrix:
    """The matrix of symbols ``w_{i,j}``."""
    return sp.Matrix(k, d, lambda i, j: sp.Symbol(f"w_{i + 1}{j + 1}", real=True))


@dataclass(repr=False)
class ClosedForms(Result):
    """The kernel, its gradient and Hessian blocks, with an exact-arithmetic check against ``sympy.diff``."""

    d: int
    max_error: float
    digits: int

    def to_json(self) -> dict:
        return {"d": self.d, "max_error": self.max_error, "digits": self.digits,
                "f": "|w||v|(sin t + (pi - t) cos t)/(2 pi)",
                "g": "(|v| sin t w_hat + (pi - t) v)/(2 pi)",
                "h1": "|v| sin t/(2 pi |w|) (I - w_hat w_hat^T + n n^T)",
                "h2": "((pi - t) I + sin t (w_hat v_hat^T + n m^T))/(2 pi)"}

    def summary(self) -> str:
        j = self.to_json()
        return "\n".join([f"f(w,v) = {j['f']}", f"grad_w f = g(w,v) = {j['g']}", f"d g/dw = h1 = {j['h1']}",
                          f"d g/dv = h2 = {j['h2']}",
                          "n = (v_hat - cos t w_hat)/sin t, m = (w_hat - cos t v_hat)/sin t",
                          f"checked against sympy.diff at rational points in d = {self.d}: max error "
                          f"{self.max_error:.1e} at {self.digits} digits"])

    def derivation(self) -> Derivation:
        d = self.d
        t, nw, nv = sp.symbols("theta |w| |v|", positive=True)
        wh, vh, n, m, v = (sp.MatrixSymbol(s, d, 1) for s in ("what", "vhat", "n", "m", "v"))
        I = sp.Identity(d)
        der = Derivation("Closed forms of the teacher-student loss", notation=landscape_notation(extra=[
            "$\\theta$ is the angle between $w$ and $v$, $\\hat w = w/|w|$ and $\\hat v = v/|v|$ the unit vectors, "
            "$\\mathbb{I}$ the $d \\times d$ identity"]))
        der.add("The arc-cosine kernel [@cho2009], $f(w,v) = \\mathbb{E}[\\mathrm{relu}(w\\cdot x)\\,\\mathrm{relu}(v\\cdot x)]$ for "
                "$x \\sim N(0, I_d)$, is",
                sp.Eq(sp.Function("f")(sp.Symbol("w"), sp.Symbol("v")),
                      nw * nv * (sp.sin(t) + (sp.pi - t) * sp.cos(t)) / (2 * sp.pi)))
        der.add("Its gradient in $w$ (the $\\partial\\theta$ terms cancel), and the Hessian blocks, with "
                "$n = (\\hat v - \\cos\\theta\\,\\hat w)/\\sin\\theta$, $m = (\\hat w - \\cos\\theta\\,\\hat v)/\\sin\\theta$:",
                [sp.Eq(Notation(r"g(w, v) = \nabla_w f(w, v)"), (nv * sp.sin(t) * wh + (sp.pi - t) * v) / (2 * sp.pi), evaluate=False),
                 sp.Eq(Notation(r"h_1(w, v) = \partial_w g(w, v)"), nv * sp.sin(t) / (2 * sp.pi * nw) * (I - wh * wh.T + n * n.T), evaluate=False),
                 sp.Eq(Notation(r"h_2(w, v) = \partial_v g(w, v)"), ((sp.pi - t) * I + sp.sin(t) * (wh * vh.T + n * m.T)) / (2 * sp.pi),
                       evaluate=False)])
        der.add("Summed over the pairs of neurons (using $g(w, w) = w/2$), the gradient and the Hessian blocks "
                "of the loss are",
                [sp.Eq(Notation(r"\nabla_{w_i} F"), Notation(r"\sum_j g(w_i, w_j) - \sum_j g(w_i, v_j)"), evaluate=False),
                 sp.Eq(Notation(r"\nabla^2_{w_i w_i} F"),
                       Notation(r"\tfrac12 \mathbb{I} + \sum_{j \neq i} h_1(w_i, w_j) - \sum_j h_1(w_i, v_j)"),
                       evaluate=False),
                 sp.Eq(Notation(r"\nabla^2_{w_i w_j} F"), Notation(r"h_2(w_i, w_j) \quad (i \neq j)"), evaluate=False)])
        der.add(f"Checked against symbolic differentiation (sympy) of $f$ at random rational points in "
                f"{equals('d', d)}, evaluated to {self.digits} digits: the largest discrepancy is "
                f"{inline(sp.Float(self.max_error, 2))}.")
        der.conclusion = ("The closed forms of $f$, $g$, $h_1$ and $h_2$ give the loss, its gradient and its Hessian "
                          "without numerical differentiation.")
        return der


def closed_forms(d: int = 3, points: int = 3, digits: int = 30, seed: int = 0) -> ClosedForms:
    """Check the float64 closed forms g, h1, h2 against ``sympy.diff`` of the symbolic kernel, evaluated to
    ``digits`` digits at random rational points (``1 <= d <= MAX_FORMULA_D``).

    >>> closed_forms(2, points=1).digits
    30
    """
    d = check_k(d, "d", 1, MAX_FORMULA_D)
    rng = generator(seed)
    w = sp.Matrix(sp.symbols(f"w_1:{d + 1}", real=True))
    v = sp.Matrix(sp.symbols(f"v_1:{d + 1}", real=True))
    f = symbolic_kernel(w.dot(w), v.dot(v), w.dot(v))
    g = sp.Matrix([sp.diff(f, x) for x in w])
    h1 = g.jacobian(w)
    h2 = g.jacobian(v)
    worst = 0.0
    for _ in range(points):
        wv = [sp.Rational(int(rng.integers(-9, 10)), int(rng.integers(1, 5))) for _ in range(2 * d)]
        if not any(wv[:d]) or not any(wv[d:]):
            wv[0] = wv[d] = sp.Integer(1)
        sub = dict(zip(list(w) + list(v), wv))
        W = np.array([float(x) for x in wv[:d]])[None]
        V = np.array([float(x) for x in wv[d:]])[None]
        closed_g = cross_gradient(W, V)[0]
        closed_h1 = h1_blocks(W, V)[0, 0]
        closed_h2 = h2_blocks(np.vstack([W, V]))[0, 1]
        for exact, closed in ((g, closed_g), (h1, closed_h1), (h2, closed_h2)):
            values = np.array(exact.subs(sub).evalf(digits), dtype=float).reshape(np.shape(closed))
            worst = max(worst, float(np.max(np.abs(values - closed))))
    return ClosedForms(d, worst, digits)
