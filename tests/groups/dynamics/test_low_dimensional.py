"""Low-dimensional targets: the mean-field flow reduced by the O(d - r) symmetry of the orthogonal complement
(groups/dynamics/low_dimensional.py, Hajjar & Chizat 2022)."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from algebra.errors import FlowAlgebraError
from groups.dynamics.low_dimensional import (RISK_TOLERANCE, ReducedState, alignment, low_dim, random_alignment,
                                             reduce, reduced_interaction, reduced_risk, reduced_velocity,
                                             sphere_cosine_rule, subspace_teacher)
from groups.dynamics.mean_field import risk, rk4, velocity
from groups.landscape.loss import kernel_matrix
from groups.limits import MAX_DYNAMICS_D, MAX_QUADRATURE_NODES, MAX_WIDTH


def _particles(rng, n, d):
    return rng.standard_normal(n), rng.standard_normal((n, d)) / math.sqrt(d)


def test_for_r_equal_d_the_reduced_flow_is_the_full_flow(rng):
    d = r = 3
    a, B = _particles(rng, 7, d)
    state, rule = reduce(a, B, r), sphere_cosine_rule(0)
    da, dU, drho = reduced_velocity(state, rule, subspace_teacher(r + 1, r))
    fa, fB = velocity(a, B, subspace_teacher(d, r))
    assert np.abs(da - fa).max() < 1e-13 and np.abs(dU - fB).max() < 1e-13 and not drho.any()
    assert math.isclose(reduced_risk(state, rule, subspace_teacher(r + 1, r)), risk(a, B, subspace_teacher(d, r)),
                        rel_tol=1e-13)
    res = low_dim(3, 3, width=10, t_max=2.0, steps=6, seed=3)
    assert res.max_risk_gap < 1e-12 and res.max_alignment_gap < 1e-12 and res.nodes == 1


def test_the_subspace_is_invariant_and_the_flow_in_it_is_the_full_flow(rng):
    """Started at rho = 0, the orthogonal norm stays 0, and the reduced flow is the flow in R^d of particles in the
    subspace (which stay there)."""
    d, r = 7, 2
    a, B = _particles(rng, 9, d)
    B[:, r:] = 0.0
    state = reduce(a, B, r)
    rule = sphere_cosine_rule(d - r, 4)
    rhs = lambda s: reduced_velocity(ReducedState(*s), rule, subspace_teacher(r + 1, r))
    (a1, U1, rho1), _ = rk4(state.as_tuple(), rhs, 3.0, 12, record=1)
    assert np.abs(rho1).max() == 0.0
    (fa, fB), _ = rk4((a, B), lambda s: velocity(s[0], s[1], subspace_teacher(d, r)), 3.0, 12, record=1)
    assert np.abs(fB[:, r:]).max() == 0.0
    assert np.abs(a1 - fa).max() < 1e-12 and np.abs(U1 - fB[:, :r]).max() < 1e-12
    assert abs(alignment(a1, U1, rho1) - 1.0) < 1e-15


def test_a_positive_orthogonal_norm_moves(rng):
    """The control: off the subspace the orthogonal norm has a velocity (the assertion above could fail)."""
    d, r = 7, 2
    state = reduce(*_particles(rng, 9, d), r)
    _, _, drho = reduced_velocity(state, sphere_cosine_rule(d - r, 4), subspace_teacher(r + 1, r))
    assert np.abs(drho).max() > 1e-3


@pytest.mark.parametrize("k", [2, 3, 5])
def test_cosine_rule_integrates_the_law_of_sigma_dot_sigma(k, rng):
    s, w = sphere_cosine_rule(k, 6)
    X, Y = rng.standard_normal((2, 200_000, k))
    dots = np.sum(X * Y, axis=1) / np.linalg.norm(X, axis=1) / np.linalg.norm(Y, axis=1)
    for power, exact in ((2, 1 / k), (4, 3 / (k * (k + 2)))):   # moments of s for uniform directions
        assert math.isclose(float(w @ s**power), exact, rel_tol=1e-12)
        assert abs(float(np.mean(dots**power)) - exact) < 0.01


def test_reduced_kernel_is_the_average_over_the_orthogonal_sphere(rng):
    """Kbar against a Monte Carlo average over independent uniform orthogonal directions, in R^d itself."""
    d, r, n = 6, 2, 3
    state = ReducedState(rng.standard_normal(n), rng.standard_normal((n, r)), np.abs(rng.standard_normal(n)))
    K, _ = reduced_interaction(state, sphere_cosine_rule(d - r, 16))
    samples, acc = 4000, np.zeros((n, n))
    S1, S2 = rng.standard_normal((2, samples, n, d - r))
    S1 /= np.linalg.norm(S1, axis=2, keepdims=True)
    S2 /= np.linalg.norm(S2, axis=2, keepdims=True)
    for t in range(samples):
        acc += kernel_matrix(np.column_stack([state.U, state.rho[:, None] * S1[t]]),
                             np.column_stack([state.U, state.rho[:, None] * S2[t]]))
    assert np.abs(acc / samples - K).max() < 0.02 * np.abs(K).max()
    assert np.allclose(K, K.T, atol=1e-12)


def test_reduced_flow_is_the_gradient_flow_of_the_reduced_risk(rng):
    """dR/dt along the velocity equals minus its mean squared length (the velocity is -n grad R)."""
    d, r = 6, 2
    state = reduce(*_particles(rng, 10, d), r)
    rule, target = sphere_cosine_rule(d - r, 6), subspace_teacher(r + 1, r)
    v = reduced_velocity(state, rule, target)
    eps, n = 1e-6, len(state.a)
    shifted = [reduced_risk(ReducedState(*(x + h * dx for x, dx in zip(state.as_tuple(), v))), rule, target)
               for h in (eps, -eps)]
    slope = (shifted[0] - shifted[1]) / (2 * eps)
    assert math.isclose(slope, -sum(float(np.sum(x * x)) for x in v) / n, rel_tol=1e-6)


def test_finite_width_and_reduced_flows_agree_and_the_neurons_align():
    small = low_dim(8, 2, width=40, t_max=10.0, steps=10, seed=2)
    assert small.max_risk_gap <= RISK_TOLERANCE and small.agrees
    assert small.risk_reduced[-1] < 0.05 * small.risk_reduced[0]
    assert small.alignment_reduced[-1] > small.alignment_reduced[0] + 0.2      # from ~ random towards the subspace
    assert abs(small.alignment_full[0] - small.alignment_reduced[0]) < 1e-12   # the same particles at t = 0
    assert small.quadrature_error < 1e-4
    wider = low_dim(8, 2, width=160, t_max=10.0, steps=10, seed=2)
    assert wider.max_risk_gap < small.max_risk_gap                             # finite-width fluctuations shrink


def test_result_protocol_and_values():
    res = low_dim(4, 1, width=12, t_max=1.0, steps=4, seed=0)
    assert res.nodes == 4 and len(res.times) == 5
    data = json.loads(json.dumps(res.to_json()))
    assert data["agrees"] == res.agrees and data["numeric"] is True and data["r"] == 1
    assert all(isinstance(x, float) for x in data["risk_full"] + data["alignment_reduced"])
    assert repr(res).startswith("<LowDimResult: low-dimensional target, d = 4, r = 1") and "\n" not in repr(res)
    tex = res.to_latex()
    assert "\\toprule" in tex and "\\cite{hajjar2022}" in tex
    derivation = res.derivation()
    assert derivation.conclusion and len(derivation.figures) == 1
    assert len(derivation.figures[0].figure.axes) == 2
    assert res._repr_latex_().startswith("$\\displaystyle")


def test_random_alignment_matches_sampling(rng):
    X = rng.standard_normal((200_000, 20))
    sample = float(np.mean(np.linalg.norm(X[:, :2], axis=1) / np.linalg.norm(X, axis=1)))
    assert abs(random_alignment(20, 2) - sample) < 2e-3
    assert random_alignment(5, 5) == 1.0


BAD_CALLS = [
    (dict(d=0, r=1), "d must be between 1 and"),
    (dict(d=4, r=5), "r must be between 1 and 4"),
    (dict(d=4, r=0), "r must be between 1 and 4"),
    (dict(d=4, r=2, width=1), "width must be between 2"),
    (dict(d=4, r=2, t_max=0), "time must be in"),
    (dict(d=4, r=2, t_max=-1.0), "time must be in"),
    (dict(d=4, r=2, steps=0), "steps must be between"),
    (dict(d=4, r=2, nodes=MAX_QUADRATURE_NODES + 1), "nodes must be between"),
    (dict(d=4, r=2.0), "r must be an integer"),
    (dict(d=MAX_DYNAMICS_D, r=1, width=MAX_WIDTH, steps=1000), "MAX_"),
]


@pytest.mark.parametrize("kwargs, fragment", BAD_CALLS)
def test_bad_calls_are_refused_in_one_line(kwargs, fragment):
    with pytest.raises(FlowAlgebraError, match=fragment) as err:
        low_dim(**kwargs)
    assert "\n" not in str(err.value)


LOW = ["dynamics", "low-dim"]
BAD_ARGV = [
    (LOW + ["--d", "4"], "--r"),
    (LOW + ["--d", "4", "--r", "5"], "r must be between 1 and 4"),
    (LOW + ["--d", "4", "--r", "0"], "--r: expected"),
    (LOW + ["--d", "4", "--r", "²"], "--r: expected"),
    (LOW + ["--d", str(MAX_DYNAMICS_D + 1), "--r", "1"], "--d: expected"),
    (LOW + ["--d", "4", "--r", "2", "--width", str(MAX_WIDTH + 1)], "--width: expected"),
    (LOW + ["--d", "4", "--r", "2", "--time", "0"], "time must be in"),
    (LOW + ["--d", "4", "--r", "2", "--time", "nan"], "--time"),
    (LOW + ["--d", "4", "--r", "2", "--steps", "1000000000"], "--steps: expected"),
    (LOW + ["--d", "4", "--r", "2", "--nodes", str(MAX_QUADRATURE_NODES + 1)], "--nodes: expected"),
    (LOW + ["--d", "400", "--r", "2", "--width", "6000", "--steps", "100000"], "MAX_"),
]


@pytest.mark.parametrize("argv, fragment", BAD_ARGV)
def test_bad_command_lines_exit_2_in_one_line(argv, fragment, run_cli):
    code, out, err = run_cli(argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("flowalgebra") and "Traceback" not in err, err
    assert fragment in err, err


def test_command_line_json(run_cli):
    code, out, err = run_cli(LOW + ["--d", "5", "--r", "2", "--width", "16", "--steps", "4", "--time", "1", "--json"])
    assert code == 0, err
    data = json.loads(out)
    assert data["d"] == 5 and data["r"] == 2 and len(data["risk_full"]) == len(data["times"]) == 5
