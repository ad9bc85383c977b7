"""Property tests (hypothesis): invariance and equivariance under S_k x S_d, symmetric criticality,
Hessian multiplicities equal to degrees of irreducibles, character identities."""
from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from groups.symmetric.characters import centralizer_order, character, dimension, partitions
from groups.symmetric.fixed_space import FixedSubspace, diagonal_young
from groups.symmetric.isotypic import decompose_hessian
from groups.symmetric.actions import MatrixGroup, act, entry_permutation
from groups.strategies import fixed_points, isotropy_types, permutation_pairs, weight_matrices
from groups.landscape.teacher_student import gradient, hessian, loss

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.data())
def test_loss_invariant_under_sk_x_sd(data):
    k = data.draw(st.integers(2, 5))
    W = data.draw(weight_matrices(k, k))
    g = data.draw(permutation_pairs(k, k))
    assert math.isclose(loss(act(W, g), np.eye(k)), loss(W, np.eye(k)), rel_tol=1e-12, abs_tol=1e-12)


@SETTINGS
@given(st.data())
def test_loss_invariant_with_general_teacher(data):
    k, m, d = data.draw(st.integers(1, 4)), data.draw(st.integers(1, 4)), data.draw(st.integers(2, 4))
    W, V = data.draw(weight_matrices(k, d)), data.draw(weight_matrices(m, d))
    sigma, tau = data.draw(permutation_pairs(k, d))
    # rows of W permuted, columns of W and V permuted together
    moved = act(W, (sigma, tau))
    Vmoved = V[:, np.argsort(tau.array_form)]
    assert math.isclose(loss(moved, Vmoved), loss(W, V), rel_tol=1e-12, abs_tol=1e-12)


@SETTINGS
@given(st.data())
def test_gradient_and_hessian_are_equivariant(data):
    k = data.draw(st.integers(2, 4))
    W = data.draw(weight_matrices(k, k))
    g = data.draw(permutation_pairs(k, k))
    V = np.eye(k)
    assert np.allclose(gradient(act(W, g), V), act(gradient(W, V), g), atol=1e-11)
    perm = np.array(entry_permutation(g, k, k))
    H, Hg = hessian(W, V), hessian(act(W, g), V)
    P = np.zeros((k * k, k * k))
    P[perm, np.arange(k * k)] = 1.0
    assert np.allclose(Hg, P @ H @ P.T, atol=1e-10)


@SETTINGS
@given(isotropy_types(2, 5).flatmap(lambda parts: st.tuples(st.just(parts), fixed_points(parts))))
def test_symmetric_criticality(case):
    parts, W = case
    k = sum(parts)
    fix = FixedSubspace(diagonal_young(k, parts))
    G = gradient(W, np.eye(k))
    # the gradient at a fixed point is fixed ...
    assert fix.contains(G, tol=1e-10)
    # ... so it vanishes iff its orbit sums (the restricted gradient) vanish:
    reduced = fix.reduce_gradient(G)
    assert math.isclose(float(np.sum(G * G)), float(np.sum(reduced**2 / fix.sizes)), rel_tol=1e-9, abs_tol=1e-14)


@SETTINGS
@given(st.data())
def test_symmetric_criticality_for_groups_given_by_generators(data):
    k = data.draw(st.integers(2, 4))
    gens = data.draw(st.lists(permutation_pairs(k, k), min_size=1, max_size=2))
    fix = FixedSubspace(MatrixGroup(k, k, gens))
    vals = data.draw(st.lists(st.floats(-1.5, 1.5, allow_nan=False).filter(lambda x: abs(x) > 0.05),
                              min_size=fix.dim, max_size=fix.dim, unique=True))
    W = fix.embed(vals)
    if np.min(np.linalg.norm(W, axis=1)) < 1e-3:
        return
    G = gradient(W, np.eye(k))
    assert fix.contains(G, tol=1e-10)
    for g in gens:
        assert np.allclose(act(W, g), W)
    reduced = fix.reduce_gradient(G)
    assert math.isclose(float(np.sum(G * G)), float(np.sum(reduced**2 / fix.sizes)), rel_tol=1e-9, abs_tol=1e-14)


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


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 9).flatmap(lambda n: st.tuples(st.sampled_from(list(partitions(n))),
                                                     st.sampled_from(list(partitions(n))))))
def test_character_identities(pair):
    lam, mu = pair
    n = sum(lam)
    assert character(lam, tuple([1] * n)) == dimension(lam)
    # second orthogonality relation: sum over irreducibles of chi(mu)^2 = z_mu
    assert sum(character(nu, mu) ** 2 for nu in partitions(n)) == centralizer_order(mu)
