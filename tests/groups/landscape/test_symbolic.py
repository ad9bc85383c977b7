"""The loss as a sympy expression, and the closed forms checked against sympy.diff
(groups/landscape/symbolic.py)."""
from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from algebra.errors import FlowAlgebraError
from groups.landscape.loss import gradient, hessian, loss
from groups.landscape.symbolic import closed_forms, symbolic_loss, weight_symbols


def test_symbolic_loss_and_sympy_gradient_agree_with_closed_forms():
    Wsym = weight_symbols(2, 2)
    V = sp.eye(2)
    F = symbolic_loss(Wsym, V)
    point = {Wsym[0, 0]: sp.Rational(7, 10), Wsym[0, 1]: sp.Rational(-1, 5),
             Wsym[1, 0]: sp.Rational(3, 10), Wsym[1, 1]: sp.Rational(9, 10)}
    Wnum = np.array([[0.7, -0.2], [0.3, 0.9]])
    assert math.isclose(float(F.subs(point)), loss(Wnum, np.eye(2)), rel_tol=1e-12)
    grad = [sp.diff(F, s) for s in Wsym]
    assert np.allclose([float(g.subs(point)) for g in grad], gradient(Wnum, np.eye(2)).ravel(), atol=1e-12)
    H = sp.hessian(F, list(Wsym))
    assert np.allclose(np.array(H.subs(point).evalf(), dtype=float), hessian(Wnum, np.eye(2)), atol=1e-10)


def test_closed_forms_agree_with_sympy_diff_and_refuse_large_d():
    res = closed_forms(3, points=2, seed=4)
    assert res.d == 3 and res.max_error < 1e-12 and "checked against sympy.diff" in res.summary()
    with pytest.raises(FlowAlgebraError, match="d must be between 1 and 6"):
        closed_forms(7)
