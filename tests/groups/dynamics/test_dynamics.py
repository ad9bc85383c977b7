"""Orthogonal symmetry groups (versors), symmetry of mean-field dynamics, the odd-target reduction,
local convergence, tangency arcs, the report and the dynamics CLI."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest
import sympy as sp

from algebra.errors import FlowAlgebraError
from groups.landscape.critical_points import full_gradient_norm
from groups.dynamics.local_convergence import converge
from groups.symmetric.orthogonal import (householder, named_generators, parse_normals, reflection_group,
                                        teacher_is_invariant, versor_matrix)
from groups.report import report_sections
from groups.dynamics.mean_field import OddTarget, TeacherTarget, odd_target, risk, symmetry_check, velocity
from groups.landscape.tangency import trace_arcs


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


def test_local_convergence_students_align_with_teachers():
    exact = converge(6, 2, 2, steps=1500, seed=1)
    over = converge(6, 2, 4, steps=1500, seed=1)
    assert exact.final_loss < 1e-12
    assert over.final_loss < 1e-3 * over.initial_loss
    assert max(over.final_angles_deg) < max(over.initial_angles_deg) / 10
    assert sorted(set(over.nearest_teacher)) == [0, 1]
    best = over.best_fit()
    assert best is not None and best.model.startswith("power")   # degenerate minimum: not exponential
    with pytest.raises(FlowAlgebraError):
        converge(6, 3, 2)


def test_tangency_arc_meets_a_critical_point():
    res = trace_arcs(6, "5,1", "4,1,1", max_radius=0.6, starts=30, step=0.03)
    hits = [h for arc in res.arcs for h in arc.hits]
    assert hits, res.summary()
    for h in hits:
        assert full_gradient_norm(h.point) < 1e-10
        assert abs(h.point.loss_float - res.start.loss_float) > 1e-8
        assert 0 < h.radius <= 0.6 + 1e-9
    json.dumps(res.to_json())
    with pytest.raises(FlowAlgebraError):
        trace_arcs(6, "5,1", "3,3")


def test_report_sections_quick():
    sections = report_sections(quick=True)
    assert len(sections) >= 4
    for s in sections:
        assert s.to_latex().startswith("\\subsection*")


def test_cli_dynamics_commands(run_cli):
    code, out, _ = run_cli(["dynamics", "converge", "--d", "5", "--teachers", "2", "--students", "3", "--steps", "200",
                         "--json"])
    assert code == 0 and json.loads(out)["losses"][-1] < json.loads(out)["losses"][0]
    code, out, _ = run_cli(["dynamics", "odd-target", "--d", "5", "--width", "40", "--steps", "8", "--json"])
    assert code == 0 and json.loads(out)["runs"][0]["max_nonlinearity"] < 1e-12
    code, out, _ = run_cli(["dynamics", "symmetry", "--d", "2", "--steps", "10"])
    assert code == 0 and "deviation" in out


@pytest.mark.parametrize("argv, fragment", [
    (["dynamics", "odd-target", "--d", "5", "--width", "41"], "even"),
    (["dynamics", "converge", "--d", "0", "--teachers", "1", "--students", "1"], "d must be"),
    (["dynamics", "converge", "--d", "4", "--teachers", "3", "--students", "2"], "students must be"),
    (["dynamics", "symmetry", "--d", "3", "--group", "reflections:1,0,q"], "rationals"),
    (["landscape", "arcs", "--k", "6", "--at", "5,1", "--sub", "3,3"], "not a subgroup"),
])
def test_cli_dynamics_bad_input(argv, fragment, run_cli):
    code, _, err = run_cli(argv)
    assert code == 2 and fragment in err and err.count("\n") == 1
