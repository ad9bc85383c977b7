"""Hypothesis strategies for group actions on weight matrices.

>>> from hypothesis import given, settings
>>> @settings(max_examples=5)
... @given(isotropy_types(max_k=5))
... def check(parts):
...     assert sum(parts) <= 5 and all(p >= 1 for p in parts)
>>> check()
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from sympy.combinatorics import Permutation

from groups.symmetric.actions import Pair
from groups.symmetric.fixed_space import FixedSubspace
from groups.symmetric.young import diagonal_young

__all__ = ["permutations", "permutation_pairs", "isotropy_types", "weight_matrices", "fixed_points"]


@st.composite
def permutations(draw, n: int) -> Permutation:
    """A permutation of ``0..n-1``."""
    return Permutation(draw(st.permutations(list(range(n)))), size=n)


@st.composite
def permutation_pairs(draw, k: int, d: int) -> Pair:
    """An element ``(sigma, tau)`` of :math:`S_k \\times S_d`."""
    return draw(permutations(k)), draw(permutations(d))


@st.composite
def isotropy_types(draw, min_k: int = 2, max_k: int = 6) -> tuple[int, ...]:
    """A composition of some ``k`` in ``[min_k, max_k]``: block sizes of a diagonal Young group."""
    k = draw(st.integers(min_k, max_k))
    parts, left = [], k
    while left:
        p = draw(st.integers(1, left))
        parts.append(p)
        left -= p
    return tuple(parts)


@st.composite
def weight_matrices(draw, k: int, d: int, scale: float = 1.0) -> np.ndarray:
    """A ``k x d`` matrix with entries in ``[-scale, scale]`` and rows bounded away from 0."""
    vals = draw(st.lists(st.floats(-scale, scale, allow_nan=False), min_size=k * d, max_size=k * d))
    W = np.array(vals, dtype=float).reshape(k, d)
    W[np.linalg.norm(W, axis=1) < 1e-3, 0] += 0.5
    return W


@st.composite
def fixed_points(draw, parts: tuple[int, ...]) -> np.ndarray:
    """A generic matrix in Fix(Delta(S_p1 x ... x S_pr)) (orbit values drawn independently)."""
    fix = FixedSubspace(diagonal_young(sum(parts), parts))
    vals = draw(st.lists(st.floats(-1.5, 1.5, allow_nan=False).filter(lambda x: abs(x) > 0.05),
                         min_size=fix.dim, max_size=fix.dim, unique=True))
    return fix.embed(vals)
