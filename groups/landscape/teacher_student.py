"""Teacher-student population loss for ReLU with Gaussian inputs (MATH.md §3), exactly and numerically.

.. math::
   F(W) = \\tfrac12\\sum_{i,j} f(w_i,w_j) - \\sum_{i,j} f(w_i,v_j) + \\tfrac12\\sum_{i,j} f(v_i,v_j),\\qquad
   f(w,v) = \\frac{|w||v|}{2\\pi}\\big(\\sin\\theta + (\\pi-\\theta)\\cos\\theta\\big)

(the arc-cosine kernel: :math:`f(w,v) = E[\\mathrm{relu}(w\\cdot x)\\mathrm{relu}(v\\cdot x)]`, :math:`x\\sim N(0,I_d)`).
Closed forms used here (stated and checked by :func:`closed_forms`, and checked
against ``sympy.diff``, finite differences and Monte Carlo in the tests):

- :math:`\\partial_w f(w,v) = g(w,v) = \\frac{1}{2\\pi}\\big(|v|\\sin\\theta\\,\\hat w + (\\pi-\\theta) v\\big)`, and
  :math:`g(w,w) = w/2`, so :math:`\\nabla_{w_i}F = \\sum_j g(w_i,w_j) - \\sum_j g(w_i,v_j)`;
- :math:`h_1(w,v) = \\partial_w g = \\frac{|v|\\sin\\theta}{2\\pi|w|}(I - \\hat w\\hat w^T + n n^T)`, with
  :math:`n = (\\hat v - \\cos\\theta\\,\\hat w)/\\sin\\theta`;
- :math:`h_2(w,v) = \\partial_v g = \\frac{1}{2\\pi}\\big((\\pi-\\theta)I + \\sin\\theta(\\hat w\\hat v^T + n m^T)\\big)`, with
  :math:`m = (\\hat w - \\cos\\theta\\,\\hat v)/\\sin\\theta`;
- Hessian blocks: :math:`\\tfrac12 I + \\sum_{j\\ne i} h_1(w_i,w_j) - \\sum_j h_1(w_i,v_j)` on the diagonal,
  :math:`h_2(w_i,w_j)` off it.

Everything in this module's numeric functions is float64 (the numeric
backend); :func:`reduced_young_loss` is the exact sympy loss on a fixed-point
subspace, with block sizes that may be symbols.

>>> import numpy as np
>>> round(loss(np.eye(3), np.eye(3)), 15)
0.0
>>> float(kernel(np.array([1.0, 0]), np.array([0, 1.0])))  # = 1/(2 pi)
0.15915494309189535
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import numpy as np
import sympy as sp

from algebra.errors import FlowAlgebraError
from algebra.present import Derivation, Result, inline

TWO_PI = 2.0 * math.pi
_EPS = 1e-12


# --------------------------------------------------------------------------- numeric

def kernel(w: np.ndarray, v: np.ndarray) -> float:
    """:math:`f(w, v)` for two vectors."""
    return _kernel_from_gram(float(np.linalg.norm(w) * np.linalg.norm(v)), float(np.dot(w, v)))


def _kernel_from_angle(N: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """f from ``N = |w||v|`` and the angle (elementwise)."""
    return N * (np.sin(theta) + (np.pi - theta) * np.cos(theta)) / TWO_PI


def _kernel_from_gram(N: float, c: float) -> float:
    """f from ``N = |w||v|`` and ``c = w.v`` (scalars; clipped against rounding)."""
    if N <= 0:
        return 0.0
    return float(_kernel_from_angle(N, math.acos(max(-1.0, min(1.0, c / N)))))


#: beyond this many pair-coordinates, angles come from the Gram matrix (memory and speed)
_ACCURATE_LIMIT = 4_000_000


def pair_angles(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """Angles between rows, accurately also near 0 and pi: :math:`2\\,\\mathrm{atan2}(|\\hat a-\\hat b|, |\\hat a+\\hat b|)`.

    For large inputs (more than ~4 million pair-coordinates) the Gram matrix and
    a clipped arccos are used instead, to bound memory (less accurate within
    ~1e-8 of parallel).
    """
    return _angles(A, B)[4]


def kernel_matrix(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """``K[i, j] = f(a_i, b_j)`` for the rows of ``A`` and ``B``."""
    N = np.outer(np.linalg.norm(A, axis=1), np.linalg.norm(B, axis=1))
    return _kernel_from_angle(N, pair_angles(A, B))


def loss(W: np.ndarray, V: np.ndarray) -> float:
    """Population loss :math:`F(W)` for teacher rows ``V``."""
    return float(0.5 * kernel_matrix(W, W).sum() - kernel_matrix(W, V).sum() + 0.5 * kernel_matrix(V, V).sum())


def _angles(A: np.ndarray, B: np.ndarray):
    """``(|a_i|, |b_j|, cos, sin, theta)`` for all pairs of rows (see :func:`pair_angles`)."""
    na, nb = np.linalg.norm(A, axis=1), np.linalg.norm(B, axis=1)
    ah = A / np.where(na > 0, na, 1.0)[:, None]
    bh = B / np.where(nb > 0, nb, 1.0)[:, None]
    if A.shape[0] * B.shape[0] * A.shape[1] > _ACCURATE_LIMIT:
        cos = np.clip(ah @ bh.T, -1.0, 1.0)
        return na, nb, cos, np.sqrt(1.0 - cos * cos), np.arccos(cos)
    diff = np.linalg.norm(ah[:, None, :] - bh[None, :, :], axis=2)
    summ = np.linalg.norm(ah[:, None, :] + bh[None, :, :], axis=2)
    theta = 2.0 * np.arctan2(diff, summ)
    return na, nb, np.cos(theta), np.sin(theta), theta


def cross_gradient(A: np.ndarray, B: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Row ``i`` is :math:`\\sum_j c_j g(a_i, b_j)` (``c = weights``, default all 1)."""
    return _cross_gradient_from(A, B, _angles(A, B), weights)


def _cross_gradient_from(A, B, angles, weights):
    na, nb, _, sin, theta = angles
    c = np.ones(B.shape[0]) if weights is None else np.asarray(weights, dtype=float)
    S = ((c * nb)[None, :] * sin) / (TWO_PI * np.where(na > 0, na, 1.0)[:, None])
    T = c[None, :] * (np.pi - theta) / TWO_PI
    return S.sum(axis=1)[:, None] * A + T @ B


def self_interaction(B: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(K, G)`` with :math:`K_{ij} = f(b_i, b_j)` and :math:`G_i = \\sum_j c_j g(b_i, b_j)`, sharing one angle
    computation (the mean-field particle flow needs both at every step)."""
    angles = _angles(B, B)
    na, nb, cos, sin, theta = angles
    K = np.outer(na, nb) * (sin + (np.pi - theta) * cos) / TWO_PI
    return K, _cross_gradient_from(B, B, angles, weights)


def gradient(W: np.ndarray, V: np.ndarray) -> np.ndarray:
    """:math:`\\nabla F(W)`, same shape as ``W``."""
    return cross_gradient(W, W) - cross_gradient(W, V)


def _h1_blocks(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """``out[i, j] = h_1(a_i, b_j)`` (zero where the vectors are parallel or antiparallel)."""
    na, nb, cos, sin, _ = _angles(A, B)
    ahat = A / na[:, None]
    bhat = B / nb[:, None]
    d = A.shape[1]
    ok = sin > 1e-12
    safe_sin = np.where(ok, sin, 1.0)
    u = bhat[None, :, :] - cos[:, :, None] * ahat[:, None, :]  # (i, j, d) = sin * n
    proj = np.eye(d)[None, None] - np.einsum("ia,ib->iab", ahat, ahat)[:, None]
    nn = np.einsum("ija,ijb->ijab", u, u) / safe_sin[:, :, None, None] ** 2
    coef = np.where(ok, nb[None, :] * sin / (TWO_PI * na[:, None]), 0.0)
    return coef[:, :, None, None] * (proj + nn)


def _h2_blocks(A: np.ndarray) -> np.ndarray:
    """``out[i, j] = h_2(a_i, a_j)``."""
    na, _, cos, sin, theta = _angles(A, A)
    ahat = A / na[:, None]
    d = A.shape[1]
    ok = sin > 1e-12
    safe_sin = np.where(ok, sin, 1.0)
    u = ahat[None, :, :] - cos[:, :, None] * ahat[:, None, :]  # sin * n_ij  (v = a_j, w = a_i)
    m = ahat[:, None, :] - cos[:, :, None] * ahat[None, :, :]  # sin * m_ij
    nm = np.where(ok[:, :, None, None], np.einsum("ija,ijb->ijab", u, m) / safe_sin[:, :, None, None], 0.0)
    wv = np.einsum("ia,jb->ijab", ahat, ahat) * sin[:, :, None, None]
    return ((np.pi - theta)[:, :, None, None] * np.eye(d)[None, None] + wv + nm) / TWO_PI


def hessian(W: np.ndarray, V: np.ndarray) -> np.ndarray:
    """:math:`\\nabla^2 F(W)` as a ``(k d) x (k d)`` matrix (row-major flattening of ``W``)."""
    k, d = W.shape
    blocks = _h2_blocks(W)
    self_h1 = _h1_blocks(W, W)
    idx = np.arange(k)
    self_h1[idx, idx] = 0.0
    diag = 0.5 * np.eye(d)[None] + self_h1.sum(axis=1) - _h1_blocks(W, V).sum(axis=1)
    blocks[idx, idx] = diag
    return blocks.transpose(0, 2, 1, 3).reshape(k * d, k * d)


def monte_carlo_loss(W: np.ndarray, V: np.ndarray, samples: int, rng: np.random.Generator) -> tuple[float, float]:
    """Monte Carlo estimate of :math:`F(W)` and its standard error (for checking the closed form)."""
    X = rng.standard_normal((samples, W.shape[1]))
    r = np.maximum(X @ W.T, 0).sum(axis=1) - np.maximum(X @ V.T, 0).sum(axis=1)
    vals = 0.5 * r * r
    return float(vals.mean()), float(vals.std(ddof=1) / math.sqrt(samples))


# --------------------------------------------------------------------------- symbolic

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

    def derivation(self) -> "Derivation":
        d = self.d
        t, nw, nv = sp.symbols("theta |w| |v|", positive=True)
        wh, vh, n, m, v = (sp.MatrixSymbol(s, d, 1) for s in ("what", "vhat", "n", "m", "v"))
        I = sp.Identity(d)
        der = Derivation("Closed forms of the teacher-student loss")
        der.add("Arc-cosine kernel, $f(w,v) = E[\\mathrm{relu}(w\\cdot x)\\,\\mathrm{relu}(v\\cdot x)]$ for $x \\sim N(0, I)$:",
                sp.Eq(sp.Function("f")(sp.Symbol("w"), sp.Symbol("v")),
                      nw * nv * (sp.sin(t) + (sp.pi - t) * sp.cos(t)) / (2 * sp.pi)))
        der.add("Its gradient in $w$ (the $\\partial\\theta$ terms cancel), and the Hessian blocks, with "
                "$n = (\\hat v - \\cos\\theta\\,\\hat w)/\\sin\\theta$, $m = (\\hat w - \\cos\\theta\\,\\hat v)/\\sin\\theta$:",
                [sp.Eq(sp.Symbol("g"), (nv * sp.sin(t) * wh + (sp.pi - t) * v) / (2 * sp.pi), evaluate=False),
                 sp.Eq(sp.Symbol("h_1"), nv * sp.sin(t) / (2 * sp.pi * nw) * (I - wh * wh.T + n * n.T), evaluate=False),
                 sp.Eq(sp.Symbol("h_2"), ((sp.pi - t) * I + sp.sin(t) * (wh * vh.T + n * m.T)) / (2 * sp.pi),
                       evaluate=False)])
        der.add(f"Checked against sympy.diff of $f$ at rational points in {inline(sp.Eq(sp.Symbol('d'), d))} ({self.digits} digits): "
                f"largest discrepancy {self.max_error:.1e}.")
        der.conclusion = ("$\\nabla_{w_i}F = \\sum_j g(w_i,w_j) - \\sum_j g(w_i,v_j)$ (since $g(w,w) = w/2$); "
                          "Hessian blocks $\\tfrac12 I + \\sum_{j\\ne i}h_1(w_i,w_j) - \\sum_j h_1(w_i,v_j)$ and $h_2(w_i,w_j)$.")
        return der


def closed_forms(d: int = 3, points: int = 3, digits: int = 30, seed: int = 0) -> ClosedForms:
    """Check the float64 closed forms g, h1, h2 against ``sympy.diff`` of the symbolic kernel, evaluated to
    ``digits`` digits at random rational points.

    >>> closed_forms(2, points=1).max_error < 1e-12   # the closed forms are evaluated in float64
    True
    """
    rng = np.random.default_rng(seed)
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
        closed_h1 = _h1_blocks(W, V)[0, 0]
        closed_h2 = _h2_blocks(np.vstack([W, V]))[0, 1]
        for exact, closed in ((g, closed_g), (h1, closed_h1), (h2, closed_h2)):
            values = np.array(exact.subs(sub).evalf(digits), dtype=float).reshape(np.shape(closed))
            worst = max(worst, float(np.max(np.abs(values - closed))))
    return ClosedForms(d, worst, digits)


def weight_symbols(k: int, d: int) -> sp.Matrix:
    """The matrix of symbols ``w_{i,j}``."""
    return sp.Matrix(k, d, lambda i, j: sp.Symbol(f"w_{i + 1}{j + 1}", real=True))


@dataclass(frozen=True)
class YoungLayout:
    """Parameters of Fix(Delta(S_p1 x ... x S_pr)) by block: ``x_a`` (diagonal), ``y_a`` (same block, off
    diagonal; absent if ``p_a = 1``), ``z_ab`` (rows of block a, columns of block b != a)."""

    sizes: tuple
    symbols: tuple
    names: tuple

    def value_of(self, kind: str, a: int, b: int | None = None):
        name = {"x": f"x_{a + 1}", "y": f"y_{a + 1}", "z": f"z_{a + 1}{(b or 0) + 1}"}[kind]
        return self.symbols[self.names.index(name)] if name in self.names else sp.Integer(0)


def young_layout(sizes: Sequence) -> YoungLayout:
    """Parameter layout for blocks of the given (int or symbolic) sizes; a size equal to 1 has no ``y``."""
    names = []
    r = len(sizes)
    for a in range(r):
        names.append(f"x_{a + 1}")
        if sizes[a] != 1:
            names.append(f"y_{a + 1}")
    for a in range(r):
        for b in range(r):
            if a != b:
                names.append(f"z_{a + 1}{b + 1}")
    syms = tuple(sp.Symbol(n) for n in names)
    return YoungLayout(tuple(sympify_sizes(sizes)), syms, tuple(names))


def sympify_sizes(sizes: Sequence) -> list[sp.Expr]:
    return [s if isinstance(s, sp.Basic) else sp.Integer(int(s)) for s in sizes]


def reduced_young_loss(sizes: Sequence) -> tuple[sp.Expr, YoungLayout]:
    """Exact F restricted to Fix(Delta(S_p1 x ... x S_pr)) with teacher :math:`V = I_k`, :math:`k = \\sum p_a`.

    Sizes may be symbols (e.g. ``(k - 1, 1)`` with ``k`` a symbol): the result
    then holds for every ``k``. Rows of block ``a`` have squared norm
    :math:`x_a^2 + (p_a-1)y_a^2 + \\sum_{c\\ne a} p_c z_{ac}^2`; inner products
    and correlations with the teacher rows :math:`e_j` follow from the block
    pattern.

    >>> k = sp.Symbol("k", positive=True, integer=True)
    >>> expr, layout = reduced_young_loss((k,))
    >>> [str(s) for s in layout.symbols]
    ['x_1', 'y_1']
    >>> sp.simplify(expr.subs({layout.symbols[0]: 1, layout.symbols[1]: 0}))
    0
    """
    layout = young_layout(sizes)
    p = layout.sizes
    r = len(p)
    X = [layout.value_of("x", a) for a in range(r)]
    Y = [layout.value_of("y", a) for a in range(r)]
    Z = [[layout.value_of("z", a, b) if a != b else None for b in range(r)] for a in range(r)]

    def others(a, expr_of_c):
        return sum((expr_of_c(c) for c in range(r) if c != a), sp.Integer(0))

    norm2 = [X[a] ** 2 + (p[a] - 1) * Y[a] ** 2 + others(a, lambda c, a=a: p[c] * Z[a][c] ** 2) for a in range(r)]
    same_block = [2 * X[a] * Y[a] + (p[a] - 2) * Y[a] ** 2 + others(a, lambda c, a=a: p[c] * Z[a][c] ** 2) for a in range(r)]

    def cross(a, b):
        inner = Z[b][a] * (X[a] + (p[a] - 1) * Y[a]) + Z[a][b] * (X[b] + (p[b] - 1) * Y[b])
        inner += sum((p[c] * Z[a][c] * Z[b][c] for c in range(r) if c not in (a, b)), sp.Integer(0))
        return inner

    one = sp.Integer(1)
    student = sum(p[a] * norm2[a] / 2 for a in range(r))
    student += sum(p[a] * (p[a] - 1) * symbolic_kernel(norm2[a], norm2[a], same_block[a]) for a in range(r))
    student += sum(p[a] * p[b] * symbolic_kernel(norm2[a], norm2[b], cross(a, b)) for a in range(r) for b in range(r) if a != b)
    teacher = sum(
        p[a] * (symbolic_kernel(norm2[a], one, X[a]) + (p[a] - 1) * symbolic_kernel(norm2[a], one, Y[a])
                + others(a, lambda c, a=a: p[c] * symbolic_kernel(norm2[a], one, Z[a][c])))
        for a in range(r)
    )
    k = sum(p)
    constant = k / 2 + k * (k - 1) / (2 * sp.pi)
    return sp.Rational(1, 2) * student - teacher + constant / 2, layout


def young_orbits(parts: Sequence[int]) -> dict[str, list[tuple[int, int]]]:
    """The entries of the k x k matrix carried by each layout parameter (``x_a``, ``y_a``, ``z_ab``).

    >>> {n: len(e) for n, e in young_orbits((2, 1)).items()}
    {'x_1': 2, 'y_1': 2, 'x_2': 1, 'z_12': 2, 'z_21': 2}
    """
    starts = np.cumsum([0] + list(parts))
    blocks = [range(starts[a], starts[a + 1]) for a in range(len(parts))]
    out: dict[str, list[tuple[int, int]]] = {}
    for a, rows in enumerate(blocks):
        out[f"x_{a + 1}"] = [(i, i) for i in rows]
        if parts[a] > 1:
            out[f"y_{a + 1}"] = [(i, j) for i in rows for j in rows if i != j]
    for a, rows in enumerate(blocks):
        for b, cols in enumerate(blocks):
            if a != b:
                out[f"z_{a + 1}{b + 1}"] = [(i, j) for i in rows for j in cols]
    return out


def young_embedding(parts: Sequence[int], layout_values: dict[str, float]) -> np.ndarray:
    """The k x k matrix of Fix(Delta(S_p1 x ... x S_pr)) with the named parameter values."""
    k = sum(parts)
    W = np.zeros((k, k))
    for name, entries in young_orbits(parts).items():
        rows, cols = zip(*entries)
        W[list(rows), list(cols)] = layout_values.get(name, 0.0)
    return W


def young_coordinates(parts: Sequence[int], W: np.ndarray) -> dict[str, float]:
    """Layout parameters of the orthogonal projection of ``W`` onto Fix (orbit averages)."""
    return {name: float(np.mean([W[i, j] for i, j in entries])) for name, entries in young_orbits(parts).items()}


# --------------------------------------------------------------------------- compiled reduced functions

def _safe_functions(module: str) -> dict:
    """acos/sqrt that tolerate rounding just outside their domain (float or mpmath)."""
    if module == "mpmath":
        import mpmath

        def acos(x):
            return mpmath.acos(max(min(x, 1), -1))

        def sqrt(x):
            return mpmath.sqrt(max(x, 0))

        return {"acos": acos, "sqrt": sqrt}

    def acos(x):
        return math.acos(max(min(x, 1.0), -1.0))

    def sqrt(x):
        return math.sqrt(max(x, 0.0))

    return {"acos": acos, "sqrt": sqrt}


@dataclass
class ReducedFunctions:
    """Loss and gradient of the reduced loss, compiled for float and mpmath (block sizes are arguments)."""

    layout: YoungLayout
    expr: sp.Expr
    float_fns: tuple
    mp_fns: tuple

    def bind(self, parts: Sequence[int], module: str = "float"):
        """``(loss(p), grad(p))`` callables for concrete block sizes."""
        sizes = [int(s) for s in parts]
        if module == "float":  # plain floats: math raises ZeroDivisionError instead of numpy's silent inf
            return tuple((lambda p, fn=fn: fn(*sizes, *(float(x) for x in p))) for fn in self.float_fns)
        return tuple((lambda p, fn=fn: fn(*sizes, *p)) for fn in self.mp_fns)


def reduced_young_derivatives(sizes: Sequence) -> tuple[sp.Expr, list[sp.Expr], sp.Matrix, YoungLayout]:
    """Exact loss, gradient and Hessian on Fix(Delta(S_p1 x ... x S_pr)) as sympy expressions.

    The Hessian is expensive to build beyond two blocks; the solvers use the
    compiled gradient and differentiate it numerically instead.

    >>> k = sp.Symbol("k", positive=True, integer=True)
    >>> F, grad, hess, layout = reduced_young_derivatives((k,))
    >>> hess.shape
    (2, 2)
    """
    expr, layout = reduced_young_loss(sizes)
    params = list(layout.symbols)
    grad = [sp.diff(expr, s) for s in params]
    return expr, grad, sp.Matrix([[sp.diff(g, s) for s in params] for g in grad]), layout


@lru_cache(maxsize=None)
def compiled_young(pattern: tuple[bool, ...]) -> ReducedFunctions:
    """Compile the reduced loss and gradient for blocks of symbolic sizes; ``pattern[a]`` says whether block
    ``a`` has size 1 (no ``y_a``). Cached: one compilation serves every ``k``.
    """
    sizes = tuple(sp.Integer(1) if single else sp.Symbol(f"p_{a + 1}", positive=True, integer=True)
                  for a, single in enumerate(pattern))
    all_sizes = [sp.Symbol(f"p_{a + 1}", positive=True, integer=True) for a in range(len(pattern))]
    expr, layout = reduced_young_loss(sizes)
    grad = [sp.diff(expr, s) for s in layout.symbols]
    args = all_sizes + list(layout.symbols)
    fns = {}
    for module in ("float", "mpmath"):
        mods = [_safe_functions(module), "mpmath" if module == "mpmath" else "math"]
        fns[module] = (sp.lambdify(args, expr, modules=mods, cse=True), sp.lambdify(args, grad, modules=mods, cse=True))
    return ReducedFunctions(layout, expr, fns["float"], fns["mpmath"])


# --------------------------------------------------------------------------- the reduced loss as a result value

K_SYMBOL = sp.Symbol("k", positive=True, integer=True)


def parse_symbolic_shape(text: str) -> tuple[sp.Expr, ...]:
    """Block sizes in terms of a symbolic ``k``: ``"k-1,1"`` -> ``(k - 1, 1)`` (parsed by hand; must sum to k).

    >>> parse_symbolic_shape("k-2,1,1")
    (k - 2, 1, 1)
    """
    sizes = []
    for tok in (t.strip().replace(" ", "") for t in text.split(",")):
        if tok.isdigit() and int(tok) > 0:
            sizes.append(sp.Integer(int(tok)))
        elif tok == "k":
            sizes.append(K_SYMBOL)
        elif tok.startswith("k-") and tok[2:].isdigit():
            sizes.append(K_SYMBOL - int(tok[2:]))
        else:
            raise FlowAlgebraError(f"block sizes are k, k-<integer> or positive integers, got {tok!r}")
    if sp.simplify(sum(sizes) - K_SYMBOL) != 0:
        raise FlowAlgebraError(f"block sizes {text!r} must add up to k")
    return tuple(sizes)


@dataclass(repr=False)
class ReducedLoss(Result):
    """F on Fix(Delta(S_p1 x ... x S_pr)) with V = I, block sizes possibly symbolic in k (exact)."""

    shape: tuple
    expr: sp.Expr
    layout: YoungLayout
    gradient: list

    def to_json(self) -> dict:
        return {"shape": [str(s) for s in self.shape], "parameters": list(self.layout.names), "loss": str(self.expr),
                "gradient": [str(g) for g in self.gradient], "exact": True}

    def summary(self) -> str:
        return (f"F restricted to Fix(Delta({' x '.join(f'S_({s})' for s in self.shape)})), V = I_k, parameters "
                f"{', '.join(self.layout.names)}:\nF = {sp.sstr(self.expr)}")

    def derivation(self):
        d = Derivation("The loss on a fixed-point subspace, for every k")
        d.add("Rows of block $a$ have diagonal entry $x_a$, off-diagonal entries $y_a$ inside the block and $z_{ab}$ "
              "in the columns of block $b$; with $V = I_k$ the inner products depend only on the block sizes, so",
              sp.Eq(sp.Function("F_H")(*self.layout.symbols), self.expr, evaluate=False))
        d.add("Its gradient (critical points of $F_H$ are critical points of $F$, by symmetric criticality):",
              [sp.Eq(sp.Derivative(sp.Function("F_H")(*self.layout.symbols), s), g, evaluate=False)
               for s, g in zip(self.layout.symbols, self.gradient)] if len(self.gradient) <= 2 else None)
        d.conclusion = "exact for every k (sizes are symbols); checked against the full loss in the tests."
        return d



def reduced_loss(shape: str) -> ReducedLoss:
    """The ``landscape reduced`` result: exact reduced loss and gradient for a symbolic shape such as ``"k-1,1"``.

    >>> reduced_loss("k").layout.names
    ('x_1', 'y_1')
    """
    sizes = parse_symbolic_shape(shape)
    expr, layout = reduced_young_loss(sizes)
    return ReducedLoss(sizes, expr, layout, [sp.diff(expr, s) for s in layout.symbols])


# --------------------------------------------------------------------------- mpmath (high precision)

def mp_loss_and_gradient(W: list, V: list):
    """:math:`F(W)` and :math:`\\nabla F(W)` in mpmath at the working precision (lists of rows of mpf).

    Plain Python: O(k (k + m) d) operations, for polishing critical points.
    """
    import mpmath

    two_pi = 2 * mpmath.pi

    def terms(w, v, same):
        nw = mpmath.sqrt(mpmath.fsum(x * x for x in w))
        if same:
            return nw * nw / 2, [x / 2 for x in w]
        nv = mpmath.sqrt(mpmath.fsum(x * x for x in v))
        c = mpmath.fsum(x * y for x, y in zip(w, v))
        cos = max(min(c / (nw * nv), 1), -1)
        theta = mpmath.acos(cos)
        sin = mpmath.sqrt(max(1 - cos * cos, 0))
        f = nw * nv * (sin + (mpmath.pi - theta) * cos) / two_pi
        g = [(nv * sin / nw * x + (mpmath.pi - theta) * y) / two_pi for x, y in zip(w, v)]
        return f, g

    total = mpmath.mpf(0)
    grad = []
    for i, w in enumerate(W):
        row = [mpmath.mpf(0)] * len(w)
        for j, u in enumerate(W):
            f, g = terms(w, u, i == j)
            total += f / 2
            row = [a + b for a, b in zip(row, g)]
        for v in V:
            f, g = terms(w, v, False)
            total -= f
            row = [a - b for a, b in zip(row, g)]
        grad.append(row)
    for i, v in enumerate(V):
        for j, u in enumerate(V):
            total += terms(v, u, i == j)[0] / 2
    return total, grad
