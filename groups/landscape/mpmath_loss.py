"""The teacher-student loss and its gradient in mpmath, at the working precision (for polishing
critical points to many digits).

The same closed forms as :mod:`groups.landscape.loss` (:math:`f(w,v)` and :math:`g(w,v) = \\partial_w f`,
with :math:`f(w,w) = |w|^2/2`, :math:`g(w,w) = w/2`), in plain Python over lists of rows of ``mpf``:
:math:`O(k(k+m)d)` operations.

>>> import mpmath
>>> with mpmath.workdps(30):
...     value, grad = mp_loss_and_gradient([[1, 0], [0, 1]], [[1, 0], [0, 1]])
>>> abs(value) < mpmath.mpf(10) ** -25, max(abs(x) for row in grad for x in row) < mpmath.mpf(10) ** -25
(True, True)
"""
from __future__ import annotations

import mpmath

__all__ = ["mp_loss_and_gradient"]


def _terms(w: list, v: list, same: bool) -> tuple:
    """``(f(w, v), g(w, v))`` in mpmath (``same``: the pair is a row with itself)."""
    two_pi = 2 * mpmath.pi
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


def mp_loss_and_gradient(W: list, V: list) -> tuple:
    """:math:`F(W)` and :math:`\\nabla F(W)` (a list of rows) in mpmath at the working precision."""
    total = mpmath.mpf(0)
    grad = []
    for i, w in enumerate(W):
        row = [mpmath.mpf(0)] * len(w)
        for j, u in enumerate(W):
            f, g = _terms(w, u, i == j)
            total += f / 2
            row = [a + b for a, b in zip(row, g)]
        for v in V:
            f, g = _terms(w, v, False)
            total -= f
            row = [a - b for a, b in zip(row, g)]
        grad.append(row)
    for i, v in enumerate(V):
        for j, u in enumerate(V):
            total += _terms(v, u, i == j)[0] / 2
    return total, grad
