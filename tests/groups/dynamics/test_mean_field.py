"""Symmetry of mean-field dynamics and the odd-target reduction (groups/dynamics/mean_field.py)."""
from __future__ import annotations

import math

import numpy as np
import pytest

from algebra.errors import FlowAlgebraError
from groups.dynamics.mean_field import OddTarget, TeacherTarget, odd_target, risk, symmetry_check, velocity


def test_flow_is_the_gradient_flow_of_the_risk():
    rng = np.random.default_rng(3)
    V = rng.standard_normal((2, 3))
    target = TeacherTarget(np.array([1.0, -0.5]), V)
    a, B = rng.standard_normal(4), rng.standard_normal((4, 3))
    da, dB = velocity(a, B, target)
    eps, m = 1e-6, len(a)
    for j in range(m):
        e = np.zeros(m)
        e[j] = eps
        num = (risk(a + e, B, target) - risk(a - e, B, target)) / (2 * eps)
        assert math.isclose(da[j], -m * num, rel_tol=1e-6, abs_tol=1e-8)
        E = np.zeros_like(B)
        E[j, 1] = eps
        num = (risk(a, B + E, target) - risk(a, B - E, target)) / (2 * eps)
        assert math.isclose(dB[j, 1], -m * num, rel_tol=1e-6, abs_tol=1e-8)


def test_odd_target_moments_match_monte_carlo():
    rng = np.random.default_rng(4)
    d = 3
    V = rng.standard_normal((2, d)) / 2
    target = OddTarget(rng.standard_normal(d), np.array([0.7, -0.4]), V)
    X = rng.standard_normal((400_000, d))
    y = target(X)
    b = rng.standard_normal(d)
    relu = np.maximum(X @ b, 0)
    se = (y * relu).std() / math.sqrt(len(X))
    assert abs((y * relu).mean() - target.relu_corr(b[None])[0]) < 5 * se
    assert abs((y * y).mean() - target.second_moment()) < 5 * (y * y).std() / math.sqrt(len(X))
    assert np.allclose((X * y[:, None]).mean(axis=0), target.w_star(), atol=5 * y.std() / math.sqrt(len(X)) * 2)


def test_symmetric_initialisation_stays_invariant():
    res = symmetry_check(3, "hyperoctahedral", particles=2, t_max=2.0, steps=30, seed=1)
    assert res.group_order == 48 and res.orthogonal_exact and res.teacher_invariant_exact
    assert res.teacher_invariant_numeric < 1e-12
    assert res.invariant_deviation < 1e-11
    assert res.control_deviation > 1e-5
    assert res.risk_end < res.risk_start
    # the teacher is exact: rationals in the JSON as {"p", "q"}
    entries = [x for v in res.to_json()["teacher"] for x in v]
    assert all(isinstance(x, int) or set(x) == {"p", "q"} for x in entries)


def test_odd_target_predictor_is_linear_and_follows_the_ode():
    coarse = odd_target(8, 120, t_max=6.0, steps=12, seed=2)
    fine = odd_target(8, 120, t_max=6.0, steps=24, seed=2)
    sym_c, iid_c = coarse.runs
    sym_f = fine.runs[0]
    assert sym_c.max_nonlinearity < 1e-12          # exactly linear, to rounding
    assert iid_c.max_nonlinearity > 1e-3           # an i.i.d. start is not
    assert sym_f.max_w_error < 1e-3
    assert sym_c.max_w_error / sym_f.max_w_error > 6  # RK4 step error: ~16x for half the step
    assert fine.distance[-1] < 0.1 * fine.distance[0]
    assert fine.rate_fitted > 0
    with pytest.raises(FlowAlgebraError):
        odd_target(8, 121)


def test_flow_limits():
    with pytest.raises(FlowAlgebraError, match="steps must be between"):
        symmetry_check(2, steps=0)
    with pytest.raises(FlowAlgebraError, match="time must be in"):
        odd_target(4, 8, t_max=0)
    with pytest.raises(FlowAlgebraError, match="particles must be between"):
        symmetry_check(2, particles=51)
