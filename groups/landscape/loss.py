"""Teacher-student population loss for ReLU with Gaussian inputs (MATH.md §3), its gradient and Hessian
in closed form (float64, the numeric backend).

.. math::
   F(W) = \\tfrac12\\sum_{i,j} f(w_i,w_j) - \\sum_{i,j} f(w_i,v_j) + \\tfrac12\\sum_{i,j} f(v_i,v_j),\\qquad
   f(w,v) = \\frac{|w||v|}{2\\pi}\\big(\\sin\\theta + (\\pi-\\theta)\\cos\\theta\\big)

(the arc-cosine kernel: :math:`f(w,v) = E[\\mathrm{relu}(w\\cdot x)\\mathrm{relu}(v\\cdot x)]`, :math:`x\\sim N(0,I_d)`;
Cho & Saul, *Kernel methods for deep learning*, NeurIPS 2009). Closed forms used here (stated and
checked against ``sympy.diff`` by :func:`~groups.landscape.symbolic.closed_forms`, and against finite
differences and Monte Carlo in the tests):

- :math:`\\partial_w f(w,v) = g(w,v) = \\frac{1}{2\\pi}\\big(|v|\\sin\\theta\\,\\hat w + (\\pi-\\theta) v\\big)`, and
  :math:`g(w,w) = w/2`, so :math:`\\nabla_{w_i}F = \\sum_j g(w_i,w_j) - \\sum_j g(w_i,v_j)`;
- :math:`h_1(w,v) = \\partial_w g = \\frac{|v|\\sin\\theta}{2\\pi|w|}(I - \\hat w\\hat w^T + n n^T)`, with
  :math:`n = (\\hat v - \\cos\\theta\\,\\hat w)/\\sin\\theta`;
- :math:`h_2(w,v) = \\partial_v g = \\frac{1}{2\\pi}\\big((\\pi-\\theta)I + \\sin\\theta(\\hat w\\hat v^T + n m^T)\\big)`, with
  :math:`m = (\\hat w - \\cos\\theta\\,\\hat v)/\\sin\\theta`;
- Hessian blocks: :math:`\\tfrac12 I + \\sum_{j\\ne i} h_1(w_i,w_j) - \\sum_j h_1(w_i,v_j)` on the diagonal,
  :math:`h_2(w_i,w_j)` off it.

>>> import numpy as np
>>> round(loss(np.eye(3), np.eye(3)), 15)
0.0
>>> float(kernel(np.array([1.0, 0]), np.array([0, 1.0])))  # = 1/(2 pi)
0.15915494309189535
>>> angles(np.eye(2), np.eye(2)).theta.round(6).tolist()   # pi/2 between different rows
[[0.0, 1.570796], [1.570796, 0.0]]
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from groups.limits import eigh_cost

__all__ = ["TWO_PI", "PairAngles", "kernel", "angles", "pair_angles", "kernel_matrix", "loss", "cross_gradient",
           "self_interaction", "gradient", "h1_blocks", "h2_blocks", "hessian", "monte_carlo_loss", "pairs_cost",
           "hessian_cost"]

TWO_PI = 2.0 * math.pi

#: beyond this many pair-coordinates, angles come from the Gram matrix (memory and speed)
_ACCURATE_LIMIT = 4_000_000


class PairAngles(NamedTuple):
    """Norms and angles for all pairs of rows ``(a_i, b_j)`` of two matrices."""

    norm_a: np.ndarray  #: ``|a_i|``
    norm_b: np.ndarray  #: ``|b_j|``
    cos: np.ndarray     #: ``cos theta_ij``
    sin: np.ndarray     #: ``sin theta_ij``
    theta: np.ndarray   #: ``theta_ij`` in ``[0, pi]``


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


def angles(A: np.ndarray, B: np.ndarray) -> PairAngles:
    """Norms and angles for all pairs of rows, the angles accurately also near 0 and pi:
    :math:`\\theta = 2\\,\\mathrm{atan2}(|\\hat a-\\hat b|, |\\hat a+\\hat b|)`.

    For large inputs (more than ~4 million pair-coordinates) the Gram matrix and
    a clipped arccos are used instead, to bound memory (less accurate within
    ~1e-8 of parallel).
    """
    na, nb = np.linalg.norm(A, axis=1), np.linalg.norm(B, axis=1)
    ah = A / np.where(na > 0, na, 1.0)[:, None]
    bh = B / np.where(nb > 0, nb, 1.0)[:, None]
    if A.shape[0] * B.shape[0] * A.shape[1] > _ACCURATE_LIMIT:
        cos = np.clip(ah @ bh.T, -1.0, 1.0)
        return PairAngles(na, nb, cos, np.sqrt(1.0 - cos * cos), np.arccos(cos))
    diff = np.linalg.norm(ah[:, None, :] - bh[None, :, :], axis=2)
    summ = np.linalg.norm(ah[:, None, :] + bh[None, :, :], axis=2)
    theta = 2.0 * np.arctan2(diff, summ)
    return PairAngles(na, nb, np.cos(theta), np.sin(theta), theta)


def pair_angles(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """The angles ``theta[i, j]`` between the rows of ``A`` and ``B`` (see :func:`angles`)."""
    return angles(A, B).theta


def kernel_matrix(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """``K[i, j] = f(a_i, b_j)`` for the rows of ``A`` and ``B``."""
    N = np.outer(np.linalg.norm(A, axis=1), np.linalg.norm(B, axis=1))
    return _kernel_from_angle(N, pair_angles(A, B))


def loss(W: np.ndarray, V: np.ndarray) -> float:
    """Population loss :math:`F(W)` for teacher rows ``V``."""
    return float(0.5 * kernel_matrix(W, W).sum() - kernel_matrix(W, V).sum() + 0.5 * kernel_matrix(V, V).sum())


def cross_gradient(A: np.ndarray, B: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Row ``i`` is :math:`\\sum_j c_j g(a_i, b_j)` (``c = weights``, default all 1)."""
    return _cross_gradient_from(A, B, angles(A, B), weights)


def _cross_gradient_from(A: np.ndarray, B: np.ndarray, ang: PairAngles, weights) -> np.ndarray:
    c = np.ones(B.shape[0]) if weights is None else np.asarray(weights, dtype=float)
    S = ((c * ang.norm_b)[None, :] * ang.sin) / (TWO_PI * np.where(ang.norm_a > 0, ang.norm_a, 1.0)[:, None])
    T = c[None, :] * (np.pi - ang.theta) / TWO_PI
    return S.sum(axis=1)[:, None] * A + T @ B


def self_interaction(B: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(K, G)`` with :math:`K_{ij} = f(b_i, b_j)` and :math:`G_i = \\sum_j c_j g(b_i, b_j)`, sharing one angle
    computation (the mean-field particle flow needs both at every step)."""
    ang = angles(B, B)
    K = np.outer(ang.norm_a, ang.norm_b) * (ang.sin + (np.pi - ang.theta) * ang.cos) / TWO_PI
    return K, _cross_gradient_from(B, B, ang, weights)


def gradient(W: np.ndarray, V: np.ndarray) -> np.ndarray:
    """:math:`\\nabla F(W)`, same shape as ``W``."""
    return cross_gradient(W, W) - cross_gradient(W, V)


def h1_blocks(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """``out[i, j] = h_1(a_i, b_j)`` (zero where the vectors are parallel or antiparallel)."""
    na, nb, cos, sin, _ = angles(A, B)
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


def h2_blocks(A: np.ndarray) -> np.ndarray:
    """``out[i, j] = h_2(a_i, a_j)``."""
    na, _, cos, sin, theta = angles(A, A)
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
    blocks = h2_blocks(W)
    self_h1 = h1_blocks(W, W)
    idx = np.arange(k)
    self_h1[idx, idx] = 0.0
    diag = 0.5 * np.eye(d)[None] + self_h1.sum(axis=1) - h1_blocks(W, V).sum(axis=1)
    blocks[idx, idx] = diag
    return blocks.transpose(0, 2, 1, 3).reshape(k * d, k * d)


def pairs_cost(n: int, m: int, d: int) -> tuple[float, float]:
    """Estimated ``(seconds, bytes)`` of one pass over the ``n x m`` pairs of rows in ``R^d`` (:func:`angles` and
    the kernel or gradient built on it), measured: per pair-coordinate while the accurate angles are used,
    per pair (and a little per coordinate, a matrix product) beyond.

    >>> pairs_cost(6000, 6000, 10)[1] > 1e9     # several 6000 x 6000 float arrays
    True
    """
    pairs = float(n) * float(m)
    if pairs * d <= _ACCURATE_LIMIT:
        return 2e-8 * pairs * d, 48.0 * pairs * d
    return pairs * (3e-8 + 1.5e-10 * d), 72.0 * pairs   # measured: 61 bytes a pair at 6000 x 6000


def hessian_cost(k: int, d: int) -> tuple[float, float]:
    """Estimated ``(seconds, bytes)`` of :func:`hessian` for a ``k x d`` matrix and of diagonalising it: the
    blocks are ``(k, k, d, d)`` arrays, about 0.6 GB (estimated 0.9 GB) and 20 s at ``k = d = 60``.

    >>> round(hessian_cost(60, 60)[1] / 1e9, 1)
    0.9
    """
    n = k * d
    seconds, nbytes = eigh_cost(n)
    return seconds + 2e-7 * float(n) ** 2, nbytes + 48.0 * float(n) ** 2


def monte_carlo_loss(W: np.ndarray, V: np.ndarray, samples: int, rng: np.random.Generator) -> tuple[float, float]:
    """Monte Carlo estimate of :math:`F(W)` and its standard error (for checking the closed form)."""
    X = rng.standard_normal((samples, W.shape[1]))
    r = np.maximum(X @ W.T, 0).sum(axis=1) - np.maximum(X @ V.T, 0).sum(axis=1)
    vals = 0.5 * r * r
    return float(vals.mean()), float(vals.std(ddof=1) / math.sqrt(samples))
