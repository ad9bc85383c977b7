"""Diagonal Young groups and the Young coordinates (groups/symmetric/young.py), and the Young view of
FixedSubspace: the same subspace as FixedSubspace of the group, with the names x_a, y_a, z_ab."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from algebra.errors import FlowAlgebraError
from groups.strategies import isotropy_types
from groups.symmetric.actions import act
from groups.symmetric.fixed_space import FixedSubspace
from groups.symmetric.young import (YoungCoordinates, diagonal_young, isotropy_type, parse_partition, young_blocks,
                                    young_entry_name, young_fix_dimension, young_label, young_names, young_normal_form)

PARTS = [(1, 1), (2,), (3, 1), (1, 3), (2, 2), (2, 1, 1), (1, 2, 1), (4,), (3, 2), (2, 2, 1), (1, 1, 1, 1), (5, 1, 1)]


def _by_formula(parts, values):
    """The matrix with Young coordinates ``values``, written out block by block (independently of the orbits)."""
    blocks = young_blocks(parts)
    k = sum(parts)
    W = np.zeros((k, k))
    for a, rows in enumerate(blocks):
        for b, cols in enumerate(blocks):
            for i in rows:
                for j in cols:
                    if a != b:
                        name = f"z_{a + 1}{b + 1}"
                    else:
                        name = f"x_{a + 1}" if i == j else f"y_{a + 1}"
                    W[i, j] = values.get(name, 0.0)
    return W


@pytest.mark.parametrize("parts", PARTS)
def test_young_view_is_the_fixed_subspace_of_the_group(parts, rng):
    k = sum(parts)
    young = FixedSubspace.young(parts)
    plain = FixedSubspace(diagonal_young(k, parts))
    # the same subspace: the same orbits, reordered, and the counted dimension
    assert young.dim == plain.dim == young_fix_dimension(parts) == len(young_names(parts))
    assert sorted(young.orbits) == plain.orbits
    # the names: one rule for concrete and symbolic sizes, and each orbit is named by its entries
    assert young.names == young_names(parts) == YoungCoordinates(parts).names
    for name, orb in zip(young.names, young.orbits):
        assert {young_entry_name(parts, i, j) for i, j in orb} == {name}
    # embedding: by name, as the block formula says; round trip through the coordinates
    values = dict(zip(young.names, rng.uniform(-1, 1, young.dim)))
    W = young.embed(values)
    assert np.array_equal(W, _by_formula(parts, values))
    assert young.contains(W) and plain.contains(W)
    assert young.named_coordinates(W) == pytest.approx(values, abs=1e-15)
    assert np.allclose(young.embed(young.coordinates(W)), W, atol=1e-15)
    # the projection of any matrix: orbit averages, the same in both coordinate systems
    M = rng.standard_normal((k, k))
    assert np.allclose(young.embed(young.coordinates(M)), plain.embed(plain.coordinates(M)), atol=1e-14)
    # fixed by the group
    for g in diagonal_young(k, parts).generators:
        assert np.array_equal(act(W, g), W)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(isotropy_types(2, 6), st.data())
def test_young_view_round_trip(parts, data):
    young = FixedSubspace.young(parts)
    p = np.array(data.draw(st.lists(st.floats(-2, 2, allow_nan=False), min_size=young.dim, max_size=young.dim)))
    assert np.allclose(young.coordinates(young.embed(p)), p, atol=1e-14)
    assert young.reduce_gradient(np.ones((sum(parts), sum(parts)))).tolist() == young.sizes.tolist()


def test_young_names_stay_distinct_from_ten_blocks_on():
    parts = (1,) * 10 + (2,)
    names = young_names(parts)
    assert len(set(names)) == len(names) == young_fix_dimension(parts)
    assert "z_1,11" in names and "z_11,1" in names
    assert FixedSubspace.young(parts).names == names


def test_symbolic_young_coordinates():
    k = sp.Symbol("k", positive=True, integer=True)
    coords = YoungCoordinates((k - 1, 1))
    assert coords.names == ("x_1", "y_1", "x_2", "z_12", "z_21") and coords.sizes == (k - 1, 1)
    assert coords.symbol("y", 1) == 0 and str(coords.symbol("z", 1, 0)) == "z_21"
    with pytest.raises(ValueError):
        coords.symbol("z", 0)


def test_partitions_and_labels():
    assert parse_partition((3, 1), 4) == (3, 1) and young_label((7,)) == "Delta S_7"
    for bad, fragment in [("6,a", "positive integers"), ((2, 0), "positive"), ((2.0, 1), "integers"), ("3,1", "sum to 4")]:
        with pytest.raises(FlowAlgebraError, match=fragment):
            parse_partition(bad, 5 if bad == "3,1" else 2)


def test_isotropy_type_of_matrices():
    assert isotropy_type(np.eye(5)) == (5,)
    W = FixedSubspace.young((3, 1)).embed({"x_1": 1.0, "y_1": 0.1, "x_2": -0.5, "z_12": 0.2, "z_21": 0.3})
    assert isotropy_type(W) == (3, 1)
    P = np.eye(4)[[0, 3, 1, 2]]
    moved, parts = young_normal_form(P @ W @ P.T)
    assert parts == (3, 1) and np.allclose(np.sort(np.linalg.eigvals(moved)), np.sort(np.linalg.eigvals(W)))
