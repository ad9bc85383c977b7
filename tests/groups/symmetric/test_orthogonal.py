"""Finite orthogonal groups of input space as versors (groups/symmetric/orthogonal.py)."""
from __future__ import annotations

import pytest
import sympy as sp

from algebra.errors import FlowAlgebraError
from groups.symmetric.orthogonal import (householder, named_generators, parse_normals, reflection_group,
                                         teacher_is_invariant, versor_matrix)


def test_galgebra_sandwich_equals_householder():
    normals = [sp.Matrix([1, -2, sp.Rational(1, 3)]), sp.Matrix([0, 1, 1]), sp.Matrix([2, 0, -1])]
    for n in normals:
        assert versor_matrix([n], use_ga=True) == householder(n)
    rotor = versor_matrix(normals[:2], use_ga=True)
    assert rotor == householder(normals[0]) * householder(normals[1])
    assert rotor.det() == 1 and rotor.T * rotor == sp.eye(3)


@pytest.mark.parametrize("name, d, order", [("sign-flips", 3, 8), ("permutations", 4, 24), ("hyperoctahedral", 3, 48)])
def test_named_reflection_groups(name, d, order):
    G = reflection_group(named_generators(name, d))
    assert G.order == order and G.is_orthogonal()


def test_teacher_invariance_is_exact_and_can_fail():
    G = reflection_group(named_generators("permutations", 3))
    orbit = [sp.Matrix([1, 2, 0]), sp.Matrix([2, 1, 0]), sp.Matrix([1, 0, 2]), sp.Matrix([0, 1, 2]),
             sp.Matrix([2, 0, 1]), sp.Matrix([0, 2, 1])]
    assert teacher_is_invariant(G, orbit)
    assert not teacher_is_invariant(G, orbit[:5])


def test_bad_group_input():
    with pytest.raises(FlowAlgebraError):
        parse_normals("1,x,0", 3)
    with pytest.raises(FlowAlgebraError):
        parse_normals("1,0", 3)
    with pytest.raises(FlowAlgebraError):
        named_generators("dihedral", 3)
    with pytest.raises(FlowAlgebraError):  # reflections at an irrational angle generate an infinite group
        reflection_group(parse_normals("1,0;1,1/3", 2), limit=200)
