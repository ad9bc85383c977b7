"""Jets over F_p: the ring F_p[e_1, ..., e_m] / (e_1^2, ..., e_m^2).

A jet array has a leading axis of length 2^m; component ``S`` (a bit mask)
is the coefficient of the product of the e_i with i in S. Evaluating a
polynomial map at ``x + e v`` gives ``f(x) + e Df(x) v``; nesting m such
nilpotents gives the iterated directional derivatives that Lie brackets need,
exactly, with no symbolic expansion.

>>> x = lift(np.array([[3]]), np.array([[1]]))      # 3 + e
>>> int(mul(x, x)[1, 0]), int(mul(x, x)[0, 0])      # (3 + e)^2 = 9 + 6e
(6, 9)
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from algebra.exact.modular import PRIME, matmul_mod

__all__ = ["order", "constant", "lift", "real_part", "newest_derivative", "widen", "mul", "matmul"]


@lru_cache(maxsize=None)
def _pairs(m: int) -> tuple[tuple[int, int, int], ...]:
    """(S, T, S \\ T) for every subset T of every mask S, S < 2^m."""
    out = []
    for s in range(1 << m):
        t = s
        while True:
            out.append((s, t, s ^ t))
            if t == 0:
                break
            t = (t - 1) & s
    return tuple(out)


def order(a: np.ndarray) -> int:
    """The number m of nilpotents of a jet array."""
    return int(a.shape[0]).bit_length() - 1


def constant(values: np.ndarray, m: int) -> np.ndarray:
    """The jet with real part ``values`` and zero infinitesimal parts."""
    values = np.asarray(values, dtype=np.int64)
    out = np.zeros((1 << m,) + values.shape, dtype=np.int64)
    out[0] = values
    return out


def lift(base: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """``base + e_new * direction`` for jets of order m: a jet of order m + 1.

    Plain arrays count as jets of order 0 (a leading axis of length 1 is added).
    """
    return np.concatenate([base, direction], axis=0)


def real_part(a: np.ndarray) -> np.ndarray:
    """Drop the newest nilpotent: the e_new^0 part (order m - 1)."""
    return a[: a.shape[0] // 2]


def newest_derivative(a: np.ndarray) -> np.ndarray:
    """The coefficient of the newest nilpotent (order m - 1)."""
    return a[a.shape[0] // 2 :]


def _product(a: np.ndarray, b: np.ndarray, op, p: int) -> np.ndarray:
    m = max(order(a), order(b))
    if order(a) < m:
        a = widen(a, m)
    if order(b) < m:
        b = widen(b, m)
    first = op(a[0], b[0], p)
    out = np.zeros((1 << m,) + first.shape, dtype=np.int64)
    for s, t, u in _pairs(m):
        if s == 0:
            out[0] = first
            continue
        if not (a[t].any() and b[u].any()):
            continue
        out[s] = (out[s] + op(a[t], b[u], p)) % p
    return out


def widen(a: np.ndarray, m: int) -> np.ndarray:
    """The same jet with m nilpotents (new components zero); ``a`` itself if it has m already."""
    if a.shape[0] == 1 << m:
        return a
    out = np.zeros((1 << m,) + a.shape[1:], dtype=np.int64)
    out[: a.shape[0]] = a
    return out


def _elementwise(x: np.ndarray, y: np.ndarray, p: int) -> np.ndarray:
    return (x * y) % p


def mul(a: np.ndarray, b: np.ndarray, p: int = PRIME) -> np.ndarray:
    """Elementwise product of jet arrays (broadcasting over trailing axes)."""
    return _product(a, b, _elementwise, p)


def matmul(a: np.ndarray, b: np.ndarray, p: int = PRIME) -> np.ndarray:
    """Matrix product of jet arrays (``np.matmul`` on the trailing axes)."""
    return _product(a, b, matmul_mod, p)
