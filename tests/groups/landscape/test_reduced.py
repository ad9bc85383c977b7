"""The exact loss on a fixed-point subspace, for symbolic k, and its compiled form
(groups/landscape/reduced.py), against the full loss on the Young view of Fix."""
from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from algebra.errors import FlowAlgebraError
from groups.landscape.loss import gradient, hessian, loss
from groups.landscape.reduced import (K_SYMBOL, compiled_young, parse_symbolic_shape, reduced_loss, reduced_young_derivatives,
                                      reduced_young_loss)
from groups.landscape.restricted import reduced_problem
from groups.landscape.symbolic import symbolic_kernel
from groups.symmetric.fixed_space import FixedSubspace
from groups.symmetric.young import diagonal_young


@pytest.mark.parametrize("parts", [(4,), (3, 1), (2, 2), (2, 1, 1)])
def test_reduced_loss_gradient_hessian_match_full(parts, rng):
    k = sum(parts)
    rf = compiled_young(tuple(p == 1 for p in parts))
    f0, f1 = rf.bind(parts)
    p = rng.uniform(-1, 1, len(rf.coordinates.names))
    young = FixedSubspace.young(parts)
    W = young.embed(dict(zip(rf.coordinates.names, p)))
    fix = FixedSubspace(diagonal_young(k, parts))
    assert fix.contains(W)
    assert math.isclose(f0(p), loss(W, np.eye(k)), rel_tol=1e-11)
    # the orbit order of FixedSubspace differs from the Young order: compare as multisets ...
    assert np.allclose(sorted(f1(p)), sorted(fix.reduce_gradient(gradient(W, np.eye(k)))), atol=1e-10)
    # ... and coordinate by coordinate in the Young view, whose coordinates are the compiled ones
    assert young.names == rf.coordinates.names
    assert np.allclose(f1(p), young.reduce_gradient(gradient(W, np.eye(k))), atol=1e-10)
    problem = reduced_problem(k, parts)
    assert np.allclose(np.sort(np.linalg.eigvalsh(problem.hess(p))),
                       np.sort(np.linalg.eigvalsh(fix.reduce_hessian(hessian(W, np.eye(k))))), atol=1e-6)


def test_symbolic_reduced_hessian_for_delta_sk():
    k = sp.Symbol("k", positive=True, integer=True)
    F, grad, hess, coords = reduced_young_derivatives((k,))
    x, y = coords.symbols
    W = FixedSubspace.young((6,)).embed({"x_1": 0.8, "y_1": -0.1})
    fix = FixedSubspace(diagonal_young(6, (6,)))
    sub = {k: 6, x: 0.8, y: -0.1}
    H = np.array(hess.subs(sub).evalf(), dtype=float)
    assert np.allclose(H, fix.reduce_hessian(hessian(W, np.eye(6))), atol=1e-10)
    assert np.allclose([float(g.subs(sub)) for g in grad], fix.reduce_gradient(gradient(W, np.eye(6))), atol=1e-12)


def test_reduced_loss_with_symbolic_k():
    k = sp.Symbol("k", positive=True, integer=True)
    expr, coords = reduced_young_loss((k - 1, 1))
    values = {"x_1": 0.9, "y_1": 0.05, "x_2": -0.4, "z_12": 0.2, "z_21": 0.3}
    for kk in (5, 8):
        W = FixedSubspace.young((kk - 1, 1)).embed(values)
        sub = {k: kk, **{s: values[n] for s, n in zip(coords.symbols, coords.names)}}
        assert math.isclose(float(expr.subs(sub)), loss(W, np.eye(kk)), rel_tol=1e-12)


def test_symbolic_shapes_and_the_reduced_loss_result():
    assert parse_symbolic_shape("k-2,1,1")[1:] == (1, 1)
    with pytest.raises(FlowAlgebraError, match="add up to k"):
        parse_symbolic_shape("k-1,2")
    with pytest.raises(FlowAlgebraError, match="block sizes are"):
        parse_symbolic_shape("k+1")
    res = reduced_loss("k-1,1")
    data = res.to_json()
    assert data["shape"] == ["k - 1", 1] and data["parameters"] == ["x_1", "y_1", "x_2", "z_12", "z_21"]
    assert len(data["gradient"]) == 5 and data["exact"] is True


def test_the_derivation_shows_the_loss_by_row_products_and_it_is_the_same_loss():
    # the document writes F_H through N_a, S_a, C_ab and the kernel f; substituted back it is the loss
    res = reduced_loss("k-3,2,1")
    d = res.derivation()
    definitions = {e.lhs: e.rhs for e in d.steps[0].equations()}
    shown = d.steps[1].equations()[1].rhs
    kernel = sp.Function("f")
    assert shown.atoms(kernel) and not shown.atoms(sp.acos)
    back = shown.replace(kernel, symbolic_kernel).subs(definitions)
    point = {s: sp.Rational(i + 2, 7) for i, s in enumerate(res.coordinates.symbols)}
    point[K_SYMBOL] = 9
    assert abs(sp.N(back.subs(point) - res.expr.subs(point), 40)) < sp.Float("1e-35")
