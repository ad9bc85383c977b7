"""Hessians of the loss by isotypic component (groups/landscape/hessian.py): exact at W = I, both
methods at a spurious minimum, multiplicities equal to degrees, and values unchanged by the refactor."""
from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from groups.landscape.critical_points import find_critical_points
from groups.landscape.hessian import critical_point_hessian, exact_identity_hessian, exact_identity_spectrum, hessian_at
from groups.landscape.loss import hessian
from groups.strategies import fixed_points, isotropy_types
from groups.symmetric.isotypic import decompose_hessian, decompose_square, irrep_label

# eigenvalues by isotypic component, recorded before hessian_at moved from groups.symmetric.isotypic
HESSIAN_AT_IDENTITY_5 = {
    "[5]": [0.7546510652719128, 1.7911236501875636],
    "[4,1]": [0.09084505690810471, 0.29501911724209673, 1.4549808827579032],
    "[3,2]": [0.40915494309189543],
    "[3,1^2]": [0.09084505690810464],
}
HESSIAN_AT_SPURIOUS_6 = {
    "[5]x[1]": [0.062441945182175676, 0.22117234010283335, 0.8694840034670454, 1.6178710400476202, 2.023733857316184],
    "[4,1]x[1]": [0.004700354703587272, 0.0772907037080936, 0.23834558447634116, 0.3388549948648492, 1.6719782262943323],
    "[3,2]x[1]": [0.3638006888048872],
    "[3,1^2]x[1]": [0.04637758006386739],
}


@pytest.mark.parametrize("args, expected, point", [
    ((5, "identity"), HESSIAN_AT_IDENTITY_5, "W = I"),
    ((6, "5,1", 40, 1), HESSIAN_AT_SPURIOUS_6, "the spurious minimum of isotropy Delta(S_5 x S_1) (loss 0.025080581)"),
])
def test_hessian_at_values_are_unchanged(args, expected, point):
    res = hessian_at(*args)
    assert res.consistent and res.point == point and res.method == "projectors"
    got = {irrep_label(b.irrep): b.eigenvalues for b in res.blocks}
    assert list(got) == list(expected)
    for label, values in expected.items():
        assert np.allclose(got[label], values, rtol=1e-9, atol=1e-12), label


def test_hessian_multiplicities_two_methods_agree():
    found = find_critical_points(6, (5, 1), starts=40, seed=1)
    cp = found.spurious_minima()[0]
    Hs = hessian(cp.W, np.eye(6))
    a = decompose_hessian(Hs, 6, (5, 1), method="projectors")
    b = decompose_hessian(Hs, 6, (5, 1), method="characters")
    assert a.consistent and b.consistent
    for x, y in zip(a.blocks, b.blocks):
        assert x.irrep == y.irrep and np.allclose(x.eigenvalues, y.eigenvalues, atol=1e-8)
    # every eigenvalue multiplicity of the full Hessian is a sum of irreducible degrees
    dims = {blk.dim for blk in a.blocks}
    for _, mult in cp.spectrum:
        assert mult in dims or any(mult == d1 + d2 for d1 in dims for d2 in dims)
    # the helper for critical points gives the same split
    c = critical_point_hessian(cp, method="characters")
    assert [blk.eigenvalues for blk in c.blocks] == [blk.eigenvalues for blk in b.blocks]


def test_exact_spectrum_at_identity_matches_numeric():
    k = 5
    exact = exact_identity_spectrum(k)
    numeric = np.linalg.eigvalsh(hessian(np.eye(k), np.eye(k)))
    listed = sorted(float(e) for c in decompose_square(k, (k,)) for e in exact[c.irrep] for _ in range(c.dim))
    assert np.allclose(listed, numeric, atol=1e-12)
    assert sp.simplify(exact[((3, 2),)][0] - (sp.Rational(1, 4) + 1 / (2 * sp.pi))) == 0
    assert sp.simplify(exact[((3, 1, 1),)][0] - (sp.Rational(1, 4) - 1 / (2 * sp.pi))) == 0
    assert exact_identity_hessian(k).is_symmetric()
    assert np.allclose(np.array(exact_identity_hessian(3).evalf(), dtype=float), hessian(np.eye(3), np.eye(3)), atol=1e-14)


def test_hessian_at_identity_has_the_predicted_components():
    res = hessian_at(5, "identity")
    assert res.consistent
    assert [(b.dim, b.multiplicity) for b in res.blocks] == [(1, 2), (4, 3), (5, 1), (6, 1)]
    # at W = I the diagonal blocks are I/2 and the [3,2] eigenvalue is 1/4 + 1/(2 pi)
    assert math.isclose(res.blocks[2].eigenvalues[0], 0.25 + 1 / (2 * math.pi), rel_tol=1e-12)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(isotropy_types(2, 5).flatmap(lambda parts: st.tuples(st.just(parts), fixed_points(parts))))
def test_hessian_multiplicities_are_degrees_of_irreducibles(case):
    parts, W = case
    k = sum(parts)
    H = hessian(W, np.eye(k))
    dec = decompose_hessian(H, k, parts, method="characters", tol=1e-8)
    assert dec.consistent
    # each irreducible of degree d occurring m times carries m eigenvalues of multiplicity d
    total = sum(b.dim * len(b.eigenvalues) for b in dec.blocks)
    assert total == k * k
    assert np.allclose(sorted(ev for b in dec.blocks for ev in b.eigenvalues for _ in range(b.dim)),
                       np.linalg.eigvalsh(H), atol=1e-7)
