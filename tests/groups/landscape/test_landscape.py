"""Teacher-student loss, gradient, Hessian; fixed-point subspaces; symmetric critical points; isotypic spectra."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest
import sympy as sp

from algebra.errors import FlowAlgebraError
from groups.symmetric.characters import centralizer_order, character, dimension, near_trivial_partitions, partitions
from groups.landscape.critical_points import find_critical_points, full_gradient_norm, reduced_problem
from groups.symmetric.fixed_space import FixedSubspace, diagonal_young, fixdim, isotropy_type, parse_partition, young_fix_dimension
from groups.symmetric.isotypic import (decompose_hessian, decompose_square, exact_identity_hessian, exact_identity_spectrum,
                             hessian_at, isotypic_projectors)
from groups.symmetric.actions import MatrixGroup, act, full_group, orbit, parse_pair
from groups.landscape.teacher_student import (compiled_young, gradient, hessian, kernel, loss, monte_carlo_loss,
                                    reduced_young_derivatives, reduced_young_loss, symbolic_loss, weight_symbols, young_embedding)

RNG = np.random.default_rng(12345)


def _fd_gradient(W, V, eps=1e-6):
    G = np.zeros_like(W)
    for idx in np.ndindex(W.shape):
        E = np.zeros_like(W)
        E[idx] = eps
        G[idx] = (loss(W + E, V) - loss(W - E, V)) / (2 * eps)
    return G


def test_loss_matches_monte_carlo():
    W, V = RNG.standard_normal((3, 4)), RNG.standard_normal((2, 4))
    estimate, se = monte_carlo_loss(W, V, 400_000, np.random.default_rng(1))
    assert abs(estimate - loss(W, V)) < 5 * se


def test_kernel_is_arccos_kernel_special_values():
    w = np.array([3.0, 4.0])
    assert math.isclose(kernel(w, w), 25 / 2)           # f(w, w) = |w|^2 / 2
    assert math.isclose(kernel(w, -w), 0.0, abs_tol=1e-15)
    assert math.isclose(kernel(np.array([1.0, 0]), np.array([0, 2.0])), 2 / (2 * math.pi))


def test_gradient_and_hessian_match_finite_differences():
    W, V = RNG.standard_normal((4, 3)), RNG.standard_normal((3, 3))
    assert np.max(np.abs(_fd_gradient(W, V) - gradient(W, V))) < 1e-7
    H = hessian(W, V)
    eps = 1e-6
    num = np.zeros_like(H)
    for a in range(W.size):
        E = np.zeros(W.size)
        E[a] = eps
        E = E.reshape(W.shape)
        num[:, a] = ((gradient(W + E, V) - gradient(W - E, V)) / (2 * eps)).ravel()
    assert np.max(np.abs(num - H)) < 1e-7
    assert np.array_equal(H, H.T) or np.max(np.abs(H - H.T)) < 1e-12


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


@pytest.mark.parametrize("parts", [(4,), (3, 1), (2, 2), (2, 1, 1)])
def test_reduced_loss_gradient_hessian_match_full(parts):
    k = sum(parts)
    rf = compiled_young(tuple(p == 1 for p in parts))
    f0, f1 = rf.bind(parts)
    p = RNG.uniform(-1, 1, len(rf.layout.names))
    W = young_embedding(parts, dict(zip(rf.layout.names, p)))
    fix = FixedSubspace(diagonal_young(k, parts))
    assert fix.contains(W)
    assert math.isclose(f0(p), loss(W, np.eye(k)), rel_tol=1e-11)
    # the orbit order of FixedSubspace differs from the layout order: compare as multisets
    assert np.allclose(sorted(f1(p)), sorted(fix.reduce_gradient(gradient(W, np.eye(k)))), atol=1e-10)
    problem = reduced_problem(k, parts)
    assert np.allclose(np.sort(np.linalg.eigvalsh(problem.hess(p))),
                       np.sort(np.linalg.eigvalsh(fix.reduce_hessian(hessian(W, np.eye(k))))), atol=1e-6)


def test_symbolic_reduced_hessian_for_delta_sk():
    k = sp.Symbol("k", positive=True, integer=True)
    F, grad, hess, layout = reduced_young_derivatives((k,))
    x, y = layout.symbols
    W = young_embedding((6,), {"x_1": 0.8, "y_1": -0.1})
    fix = FixedSubspace(diagonal_young(6, (6,)))
    sub = {k: 6, x: 0.8, y: -0.1}
    H = np.array(hess.subs(sub).evalf(), dtype=float)
    assert np.allclose(H, fix.reduce_hessian(hessian(W, np.eye(6))), atol=1e-10)
    assert np.allclose([float(g.subs(sub)) for g in grad], fix.reduce_gradient(gradient(W, np.eye(6))), atol=1e-12)


def test_reduced_loss_with_symbolic_k():
    k = sp.Symbol("k", positive=True, integer=True)
    expr, layout = reduced_young_loss((k - 1, 1))
    values = {"x_1": 0.9, "y_1": 0.05, "x_2": -0.4, "z_12": 0.2, "z_21": 0.3}
    for kk in (5, 8):
        W = young_embedding((kk - 1, 1), values)
        sub = {k: kk, **{s: values[n] for s, n in zip(layout.symbols, layout.names)}}
        assert math.isclose(float(expr.subs(sub)), loss(W, np.eye(kk)), rel_tol=1e-12)


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
    assert len(orbit(np.eye(3), full_group(3, 3))) == 6          # |S_3 x S_3| / |Delta S_3| = 36 / 6
    assert len(orbit(np.diag([1.0, 2.0, 3.0]), full_group(3, 3))) == 36  # trivial stabiliser


def test_isotropy_type_of_matrices():
    assert isotropy_type(np.eye(5)) == (5,)
    W = young_embedding((3, 1), {"x_1": 1.0, "y_1": 0.1, "x_2": -0.5, "z_12": 0.2, "z_21": 0.3})
    assert isotropy_type(W) == (3, 1)


def test_no_spurious_minima_for_k5_and_spurious_minimum_for_k6():
    # Safran & Shamir: spurious minima appear from k = 6 on (none found for k <= 5)
    for parts in [(4, 1), (5,)]:
        assert not find_critical_points(5, parts, starts=30, seed=1).spurious_minima()
    found = find_critical_points(6, (5, 1), starts=40, seed=1)
    minima = found.spurious_minima()
    assert any(cp.isotropy == (5, 1) for cp in minima)
    for cp in found.points:
        assert full_gradient_norm(cp) < 1e-12
        assert float(cp.grad_norm) < 1e-30 or cp.grad_norm == "0"
    # the global minimum is in every Fix(Delta Young) and is reported
    assert found.points[0].loss == "0" and found.points[0].kind == "minimum"


def test_type_a_minima_decay_like_a_over_k():
    # Arjevani & Field: the Safran-Shamir minima (isotropy conjugate to Delta S_(k-1)) have loss ~ a/k, a ~ 0.3,
    # with corrections in powers of k^(-1/2); a is published to one digit, hence the tolerance
    ks = [12, 16, 20]
    losses = []
    for k in ks:
        minima = [cp for cp in find_critical_points(k, (k - 1, 1), starts=24, seed=k).spurious_minima()
                  if cp.isotropy == (k - 1, 1)]
        losses.append(minima[0].loss_float)
    assert losses == sorted(losses, reverse=True)
    slope, a = np.polyfit([k ** -0.5 for k in ks], [k * x for k, x in zip(ks, losses)], 1)
    assert 0.25 < a < 0.36


def test_generators_reproduce_the_young_search():
    # Delta(S_5 x S_1) given by a 5-cycle and a transposition on the first five indices (rows and columns)
    young = find_critical_points(6, (5, 1), starts=30, seed=3)
    generic = find_critical_points(6, generators=["1,2,3,4,0,5", "1,0,2,3,4,5"], starts=30, seed=3)
    young_losses = {round(cp.loss_float, 9) for cp in young.points if cp.kind == "minimum"}
    generic_losses = {round(cp.loss_float, 9) for cp in generic.points if cp.kind == "minimum"}
    assert young_losses == generic_losses and len(young_losses) >= 2
    for cp in generic.points[1:]:
        assert float(cp.grad_norm) < 1e-30 and full_gradient_norm(cp) < 1e-12


def test_mp_gradient_matches_float():
    from groups.landscape.teacher_student import mp_loss_and_gradient

    rng = np.random.default_rng(8)
    W, V = rng.standard_normal((3, 3)), rng.standard_normal((2, 3))
    value, grad = mp_loss_and_gradient(W.tolist(), V.tolist())
    assert math.isclose(float(value), loss(W, V), rel_tol=1e-12)
    assert np.allclose(np.array(grad, dtype=float), gradient(W, V), atol=1e-12)


def test_characters_against_closed_forms_and_orthogonality():
    n = 7
    for mu in partitions(n):
        m1, m2 = mu.count(1), mu.count(2)
        assert character((n - 1, 1), mu) == m1 - 1
        assert character((n - 2, 2), mu) == m1 * (m1 - 3) // 2 + m2
        assert character((n - 2, 1, 1), mu) == (m1 - 1) * (m1 - 2) // 2 - m2
    assert sum(dimension(lam) ** 2 for lam in partitions(n)) == math.factorial(n)
    lams = list(partitions(5))
    for a in lams:
        for b in lams:
            inner = sum(sp.Rational(character(a, mu) * character(b, mu), centralizer_order(mu)) for mu in partitions(5))
            assert inner == (1 if a == b else 0)
    assert near_trivial_partitions(3, 2) == [(3,), (2, 1), (1, 1, 1)]


def test_square_decomposition_dimensions():
    for parts in [(6, 1), (5, 1, 1), (4, 3), (9,)]:
        k = sum(parts)
        content = decompose_square(k, parts)
        assert sum(c.dim * c.multiplicity for c in content) == k * k
        # number of trivial summands = dim Fix
        trivial = [c for c in content if all(len(lam) == 1 for lam in c.irrep)]
        assert trivial[0].multiplicity == young_fix_dimension(parts)


def test_projectors_are_exact_orthogonal_idempotents_commuting_with_the_group():
    k, parts = 4, (3, 1)
    P = isotypic_projectors(k, parts)
    total = sp.zeros(k * k, k * k)
    for irrep, M in P.items():
        assert M * M == M and M.T == M
        total += M
    assert total == sp.eye(k * k)
    g = parse_pair("1,0,2,3", 4, 4)
    perm = np.arange(16).reshape(4, 4)
    R = sp.zeros(16, 16)
    for x, y in enumerate(act(perm.astype(float), g).ravel().astype(int)):
        R[x, y] = 1
    for M in P.values():
        assert R * M == M * R


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


def test_exact_spectrum_at_identity_matches_numeric():
    k = 5
    exact = exact_identity_spectrum(k)
    numeric = np.linalg.eigvalsh(hessian(np.eye(k), np.eye(k)))
    listed = sorted(float(e) for c in decompose_square(k, (k,)) for e in exact[c.irrep] for _ in range(c.dim))
    assert np.allclose(listed, numeric, atol=1e-12)
    assert sp.simplify(exact[((3, 2),)][0] - (sp.Rational(1, 4) + 1 / (2 * sp.pi))) == 0
    assert sp.simplify(exact[((3, 1, 1),)][0] - (sp.Rational(1, 4) - 1 / (2 * sp.pi))) == 0
    assert exact_identity_hessian(k).is_symmetric()


def test_hessian_at_identity_has_the_predicted_components():
    res = hessian_at(5, "identity")
    assert res.consistent
    assert [(b.dim, b.multiplicity) for b in res.blocks] == [(1, 2), (4, 3), (5, 1), (6, 1)]
    # at W = I the diagonal blocks are I/2 and the [3,2] eigenvalue is 1/4 + 1/(2 pi)
    assert math.isclose(res.blocks[2].eigenvalues[0], 0.25 + 1 / (2 * math.pi), rel_tol=1e-12)


@pytest.mark.parametrize("argv, fragment", [
    (["landscape", "critical", "--k", "1", "--isotropy", "1"], "k must be between"),
    (["landscape", "critical", "--k", "7", "--isotropy", "5,1"], "sum to 6"),
    (["landscape", "fixdim", "--k", "7", "--isotropy", "6,a"], "positive integers"),
    (["landscape", "fixdim", "--k", "100000", "--isotropy", "100000"], "k must be between"),
    (["landscape", "critical", "--k", "7", "--isotropy", "__import__('os')"], "positive integers"),
    (["landscape", "hessian", "--k", "7", "--at", "0,7"], "positive"),
    (["landscape", "reduced", "--shape", "k-1,2"], "add up to k"),
    (["landscape", "reduced", "--shape", "k+1"], "block sizes are"),
    (["landscape", "fixdim", "--k", "3", "--gen", "1,1,0"], "not a permutation"),
    (["landscape", "fixdim", "--k", "3"], "either an isotropy type or generators"),
    (["landscape", "critical", "--k", "4", "--isotropy", "4", "--gen", "1,0,2,3"], "not both"),
])
def test_cli_bad_input_is_one_line_exit_2(argv, fragment, run_cli):
    code, out, err = run_cli(argv)
    assert code == 2
    assert fragment in err and err.count("\n") == 1 and "Traceback" not in err


def test_cli_critical_and_fixdim_json(run_cli):
    code, out, _ = run_cli(["landscape", "critical", "--k", "4", "--isotropy", "4", "--starts", "10", "--json"])
    assert code == 0
    data = json.loads(out)
    assert data["numeric"] is True and data["points"][0]["loss"] == "0"
    code, out, _ = run_cli(["landscape", "fixdim", "--k", "7", "--isotropy", "5,1,1"])
    assert code == 0 and "dimension 10" in out


def test_cli_reduced_formulas_and_generators(run_cli):
    code, out, _ = run_cli(["landscape", "reduced", "--shape", "k-1,1", "--json"])
    data = json.loads(out)
    assert code == 0 and data["parameters"] == ["x_1", "y_1", "x_2", "z_12", "z_21"] and "k" in data["loss"]
    code, out, _ = run_cli(["landscape", "formulas", "--d", "2"])
    assert code == 0 and "checked against sympy.diff" in out
    code, out, _ = run_cli(["landscape", "fixdim", "--k", "3", "--d", "4", "--gen", "1,0,2:1,0,3,2", "--json"])
    assert code == 0 and json.loads(out)["dim"] == 6
    code, out, _ = run_cli(["landscape", "critical", "--k", "4", "--gen", "1,2,0,3", "--starts", "8", "--json"])
    assert code == 0 and json.loads(out)["group"] == "H = <1,2,0,3>"


def test_cli_hessian_latex(tmp_path, run_cli):
    path = tmp_path / "h.tex"
    code, out, _ = run_cli(["landscape", "hessian", "--k", "4", "--latex", str(path)])
    assert code == 0 and "yes" in out
    text = path.read_text()
    assert text.startswith("\\documentclass") and "align*" in text


def test_results_explain_themselves():
    res = find_critical_points(4, (3, 1), starts=10)
    assert "\\begin{align*}" in res.to_latex() and res._repr_latex_().startswith("$")
    assert "critical points" in res.summary()
    json.dumps(res.to_json())
    assert parse_partition("3,1", 4) == (3, 1)
    with pytest.raises(FlowAlgebraError):
        reduced_problem(4, (2, 1))
