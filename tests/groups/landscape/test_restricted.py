"""The loss restricted to Fix(H) for the solvers (groups/landscape/restricted.py), and symmetric
criticality: at a fixed point the gradient is fixed, so it vanishes iff the restricted gradient does."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from algebra.errors import FlowAlgebraError
from groups.landscape.loss import gradient, loss
from groups.landscape.restricted import generic_problem, reduced_problem
from groups.strategies import fixed_points, isotropy_types, permutation_pairs
from groups.symmetric.actions import MatrixGroup, act
from groups.symmetric.fixed_space import FixedSubspace
from groups.symmetric.young import diagonal_young

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(isotropy_types(2, 5).flatmap(lambda parts: st.tuples(st.just(parts), fixed_points(parts))))
def test_symmetric_criticality(case):
    parts, W = case
    k = sum(parts)
    fix = FixedSubspace(diagonal_young(k, parts))
    G = gradient(W, np.eye(k))
    # the gradient at a fixed point is fixed ...
    assert fix.contains(G, tol=1e-10)
    # ... so it vanishes iff its orbit sums (the restricted gradient) vanish:
    reduced = fix.reduce_gradient(G)
    assert math.isclose(float(np.sum(G * G)), float(np.sum(reduced**2 / fix.sizes)), rel_tol=1e-9, abs_tol=1e-14)


@SETTINGS
@given(st.data())
def test_symmetric_criticality_for_groups_given_by_generators(data):
    k = data.draw(st.integers(2, 4))
    gens = data.draw(st.lists(permutation_pairs(k, k), min_size=1, max_size=2))
    fix = FixedSubspace(MatrixGroup(k, k, gens))
    vals = data.draw(st.lists(st.floats(-1.5, 1.5, allow_nan=False).filter(lambda x: abs(x) > 0.05),
                              min_size=fix.dim, max_size=fix.dim, unique=True))
    W = fix.embed(vals)
    if np.min(np.linalg.norm(W, axis=1)) < 1e-3:
        return
    G = gradient(W, np.eye(k))
    assert fix.contains(G, tol=1e-10)
    for g in gens:
        assert np.allclose(act(W, g), W)
    reduced = fix.reduce_gradient(G)
    assert math.isclose(float(np.sum(G * G)), float(np.sum(reduced**2 / fix.sizes)), rel_tol=1e-9, abs_tol=1e-14)


def test_the_two_kinds_of_problem_agree_on_a_young_group(rng):
    # Delta(S_3 x S_1) in Young coordinates (compiled) and given by generators (orbit sums): same loss and
    # gradient at the same matrix
    young = reduced_problem(4, (3, 1))
    generic = generic_problem(4, ["1,2,0,3", "1,0,2,3"])
    assert young.fix.dim == generic.fix.dim == 5
    p = rng.uniform(-1, 1, 5)
    W = young.embed(p)
    q = generic.fix.coordinates(W)
    assert np.allclose(generic.embed(q), W)
    assert math.isclose(young.loss(p), generic.loss(q), rel_tol=1e-11)
    assert math.isclose(young.loss(p), loss(W, np.eye(4)), rel_tol=1e-11)
    assert np.allclose(sorted(young.grad(p)), sorted(generic.grad(q)), atol=1e-10)
    assert young.identity_params() == [1.0, 0.0, 1.0, 0.0, 0.0]
    assert young.diagonal_like() == [True, False, True, False, False]
    assert generic.names == ("x_0", "x_1", "x_2", "x_3", "x_4") and generic.parts == ()


def test_bad_problems():
    with pytest.raises(FlowAlgebraError):
        reduced_problem(4, (2, 1))
    with pytest.raises(FlowAlgebraError, match="at least one generator"):
        generic_problem(4, [])
