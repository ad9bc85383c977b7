"""Fixed-point subspaces (groups/symmetric/fixed_space.py): dimensions, exact bases, groups given by
generators, named coordinates."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from algebra.errors import FlowAlgebraError
from groups.symmetric.actions import MatrixGroup, act, parse_pair
from groups.symmetric.fixed_space import FixedSubspace, fixdim
from groups.symmetric.young import diagonal_young, young_fix_dimension


def test_fixed_subspace_dimensions_and_exact_basis():
    for parts in [(6, 1), (5, 1, 1), (3, 3), (7,), (2, 2, 2)]:
        k = sum(parts)
        fix = FixedSubspace(diagonal_young(k, parts))
        assert fix.dim == young_fix_dimension(parts)
        basis = fix.basis()
        assert all(set(M) <= {0, 1} for M in basis)
        assert sum(basis, sp.zeros(k, k)) == sp.ones(k, k)
    assert fixdim(7, "6,1").dim == 5 and fixdim(7, "7").dim == 2


def test_fix_of_group_given_by_generators():
    g = parse_pair("1,2,0:1,2,0", 3, 3)          # a diagonal 3-cycle
    fix = FixedSubspace(MatrixGroup(3, 3, [g]))
    assert fix.dim == 3                           # circulant matrices
    W = fix.embed([1.0, 2.0, 3.0])
    assert np.array_equal(act(W, g), W)


def test_named_coordinates_and_their_checks():
    fix = FixedSubspace(MatrixGroup(3, 3, [parse_pair("1,2,0", 3, 3)]))
    assert fix.names == ("x_0", "x_1", "x_2")
    assert [str(s) for s in fix.symbols()] == ["x_0", "x_1", "x_2"] and str(fix.symbols("t")[2]) == "t_2"
    W = fix.embed({"x_1": 2.0})
    assert fix.named_coordinates(W) == {"x_0": 0.0, "x_1": 2.0, "x_2": 0.0}
    with pytest.raises(FlowAlgebraError, match="unknown coordinates"):
        fix.embed({"y_1": 1.0})
    with pytest.raises(FlowAlgebraError, match="distinct names"):
        FixedSubspace(fix.group, names=("a", "a", "b"))
    with pytest.raises(FlowAlgebraError, match="not the orbits"):
        FixedSubspace(fix.group, orbits=[[(0, 0)], [(1, 1)], [(2, 2)]])
    reordered = FixedSubspace(fix.group, orbits=fix.orbits[::-1], names=("c", "b", "a"))
    assert np.array_equal(reordered.embed([3.0, 2.0, 1.0]), fix.embed([1.0, 2.0, 3.0]))


def test_fixdim_results():
    res = fixdim(3, generators=["1,0,2:1,0,3,2"], d=4)
    assert res.dim == 6 and res.to_json()["isotropy"] is None
    with pytest.raises(FlowAlgebraError, match="k = d"):
        fixdim(3, "2,1", d=4)
    with pytest.raises(FlowAlgebraError, match="either an isotropy type or generators"):
        fixdim(3)
