"""The mpmath loss and gradient (groups/landscape/mpmath_loss.py) against float64."""
from __future__ import annotations

import math

import mpmath
import numpy as np

from groups.landscape.loss import gradient, loss
from groups.landscape.mpmath_loss import mp_loss_and_gradient


def test_mp_gradient_matches_float():
    rng = np.random.default_rng(8)
    W, V = rng.standard_normal((3, 3)), rng.standard_normal((2, 3))
    value, grad = mp_loss_and_gradient(W.tolist(), V.tolist())
    assert math.isclose(float(value), loss(W, V), rel_tol=1e-12)
    assert np.allclose(np.array(grad, dtype=float), gradient(W, V), atol=1e-12)


def test_mp_loss_vanishes_at_the_teacher_to_the_working_precision():
    with mpmath.workdps(50):
        W = [[mpmath.mpf(1), mpmath.mpf(0)], [mpmath.mpf(0), mpmath.mpf(1)]]
        value, grad = mp_loss_and_gradient(W, W)
        assert abs(value) < mpmath.mpf(10) ** -45
        assert max(abs(x) for row in grad for x in row) < mpmath.mpf(10) ** -45
