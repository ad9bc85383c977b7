"""Permutation actions of S_k x S_d on weight matrices (groups/symmetric/actions.py)."""
from __future__ import annotations

import numpy as np
import pytest

from algebra.errors import FlowAlgebraError
from groups.symmetric.actions import MatrixGroup, act, full_group, orbit, parse_pair, parse_permutation


def test_orbits_of_matrices_under_the_full_group():
    assert len(orbit(np.eye(3), full_group(3, 3))) == 6          # |S_3 x S_3| / |Delta S_3| = 36 / 6
    assert len(orbit(np.diag([1.0, 2.0, 3.0]), full_group(3, 3))) == 36  # trivial stabiliser
    assert full_group(3, 2).order() == 12


def test_a_generated_group_acts_and_contains_its_generators():
    g = parse_pair("1,2,0:1,2,0", 3, 3)
    G = MatrixGroup(3, 3, [g])
    assert G.order() == 3 and G.contains(g) and len(list(G.elements())) == 3
    W = np.arange(9.0).reshape(3, 3)
    assert np.array_equal(act(act(act(W, g), g), g), W)


def test_bad_permutations():
    with pytest.raises(FlowAlgebraError, match="not a permutation"):
        parse_permutation("1,1,0", 3)
    with pytest.raises(FlowAlgebraError, match="comma-separated"):
        parse_permutation("1,a", 2)
    with pytest.raises(FlowAlgebraError, match="does not act"):
        MatrixGroup(3, 3, [parse_pair("1,0", 2, 2)])
