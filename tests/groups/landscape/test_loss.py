"""The teacher-student loss, gradient and Hessian in float64 (groups/landscape/loss.py): Monte Carlo,
special values, finite differences, invariance and equivariance under S_k x S_d, the typed pair angles."""
from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from groups.landscape.loss import (PairAngles, angles, gradient, hessian, kernel, kernel_matrix, loss,
                                   monte_carlo_loss, pair_angles)
from groups.strategies import permutation_pairs, weight_matrices
from groups.symmetric.actions import act, entry_permutation

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _fd_gradient(W, V, eps=1e-6):
    G = np.zeros_like(W)
    for idx in np.ndindex(W.shape):
        E = np.zeros_like(W)
        E[idx] = eps
        G[idx] = (loss(W + E, V) - loss(W - E, V)) / (2 * eps)
    return G


def test_loss_matches_monte_carlo(rng):
    W, V = rng.standard_normal((3, 4)), rng.standard_normal((2, 4))
    estimate, se = monte_carlo_loss(W, V, 400_000, np.random.default_rng(1))
    assert abs(estimate - loss(W, V)) < 5 * se


def test_kernel_is_arccos_kernel_special_values():
    w = np.array([3.0, 4.0])
    assert math.isclose(kernel(w, w), 25 / 2)           # f(w, w) = |w|^2 / 2
    assert math.isclose(kernel(w, -w), 0.0, abs_tol=1e-15)
    assert math.isclose(kernel(np.array([1.0, 0]), np.array([0, 2.0])), 2 / (2 * math.pi))


def test_gradient_and_hessian_match_finite_differences(rng):
    W, V = rng.standard_normal((4, 3)), rng.standard_normal((3, 3))
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


def test_pair_angles_are_a_named_structure(rng):
    A, B = rng.standard_normal((3, 4)), rng.standard_normal((2, 4))
    ang = angles(A, B)
    assert isinstance(ang, PairAngles) and ang.theta.shape == (3, 2)
    assert np.allclose(ang.norm_a, np.linalg.norm(A, axis=1)) and np.allclose(ang.norm_b, np.linalg.norm(B, axis=1))
    cos = (A @ B.T) / np.outer(ang.norm_a, ang.norm_b)
    assert np.allclose(ang.cos, cos, atol=1e-12) and np.allclose(ang.sin ** 2 + ang.cos ** 2, 1.0)
    assert np.array_equal(pair_angles(A, B), ang.theta)
    # parallel and antiparallel rows: accurate angles 0 and pi
    assert pair_angles(np.array([[1.0, 2.0]]), np.array([[2.0, 4.0], [-1.0, -2.0]])).tolist() == [[0.0, math.pi]]
    assert np.allclose(kernel_matrix(A, B)[1, 0], kernel(A[1], B[0]))


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
