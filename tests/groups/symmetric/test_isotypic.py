"""Isotypic decomposition of R^{k x k} under a diagonal Young group (groups/symmetric/isotypic.py)."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from algebra.errors import FlowAlgebraError
from groups.symmetric.actions import act, parse_pair
from groups.symmetric.isotypic import decompose_hessian, decompose_square, isotypic_projectors
from groups.symmetric.young import young_fix_dimension


def test_square_decomposition_dimensions():
    for parts in [(6, 1), (5, 1, 1), (4, 3), (9,)]:
        k = sum(parts)
        content = decompose_square(k, parts)
        assert sum(c.dim * c.multiplicity for c in content) == k * k
        # number of trivial summands = dim Fix
        trivial = [c for c in content if all(len(lam) == 1 for lam in c.irrep)]
        assert trivial[0].multiplicity == young_fix_dimension(parts)


def test_projectors_are_exact_orthogonal_idempotents_commuting_with_the_group():
    k, parts = 4, (3, 1)
    P = isotypic_projectors(k, parts)
    total = sp.zeros(k * k, k * k)
    for irrep, M in P.items():
        assert M * M == M and M.T == M
        total += M
    assert total == sp.eye(k * k)
    g = parse_pair("1,0,2,3", 4, 4)
    perm = np.arange(16).reshape(4, 4)
    R = sp.zeros(16, 16)
    for x, y in enumerate(act(perm.astype(float), g).ravel().astype(int)):
        R[x, y] = 1
    for M in P.values():
        assert R * M == M * R


def test_a_given_invariant_matrix_splits_exactly():
    # the identity commutes with everything: every component has the single eigenvalue 1
    res = decompose_hessian(np.eye(9), 3, (3,), point="I")
    assert res.consistent and all(b.eigenvalues == pytest.approx([1.0] * b.multiplicity) for b in res.blocks)
    with pytest.raises(FlowAlgebraError, match="method must be"):
        decompose_hessian(np.eye(9), 3, (3,), method="guess")
