"""Hessian spectra by isotypic block (groups/landscape/isotypic_blocks.py) against the full k^2 x k^2 Hessian:
the matrix-free product, the closed-form multiplicities, the spectra with multiplicities at critical points and
at other points of Fix(H) for k = 6..12, and the wiring into hessian_at."""
from __future__ import annotations

import numpy as np
import pytest

from groups.landscape.critical_points import distinct_eigenvalues, find_critical_points
from groups.landscape.hessian import BLOCKS_MIN_K, critical_point_hessian, hessian_at, uses_blocks
from groups.landscape.isotypic_blocks import (BLOCK_METHOD, block_content, block_pattern, hessian_vector_product,
                                              isotypic_block_spectrum, multiplicity_bases)
from groups.landscape.loss import hessian
from groups.symmetric.isotypic import decompose_hessian, decompose_square, irrep_label
from groups.symmetric.young import young_normal_form

#: eigenvalues of the block route and of numpy's eigvalsh of the full Hessian agree to this (absolute, float64)
TOL = 1e-9

TYPES = [(k, parts) for k in range(6, 13) for parts in ((k,), (k - 1, 1))]


def _expanded(res):
    """The block spectrum as k^2 sorted eigenvalues, each repeated by the degree of its irreducible."""
    return np.sort([v for b in res.blocks for v in b.eigenvalues for _ in range(b.dim)])


def _fixed_point(k, parts, rng):
    """A random matrix in Fix(Delta(S_p x S_1^r)) (consecutive blocks; not a critical point)."""
    p = parts[0]
    W = np.full((k, k), rng.normal())
    W[np.arange(p), np.arange(p)] = rng.normal()
    for s in range(p, k):
        W[:p, s], W[s, :p] = rng.normal(), rng.normal()
        W[p:, s] = rng.normal(size=k - p)
    return W


@pytest.mark.parametrize("seed, shape", [(0, (5, 5)), (1, (4, 3)), (2, (7, 7))])
def test_hessian_vector_product_is_the_full_hessian_times_the_vector(seed, shape):
    rng = np.random.default_rng(seed)
    W, V, X = (rng.standard_normal(shape) for _ in range(3))
    assert np.allclose(hessian_vector_product(W, V, X).ravel(), hessian(W, V) @ X.ravel(), rtol=1e-12, atol=1e-12)
    # also with teacher rows parallel to student rows (W = V = I: no n n^T term there)
    I = np.eye(shape[0])
    assert np.allclose(hessian_vector_product(I, I, X[:, :1] * I).ravel(), hessian(I, I) @ (X[:, :1] * I).ravel())


@pytest.mark.parametrize("k, parts", TYPES)
def test_closed_form_content_is_the_character_decomposition(k, parts):
    assert block_content(k, parts) == decompose_square(k, parts)
    bases = multiplicity_bases(k, parts)
    for c in block_content(k, parts):
        B = bases[c.irrep]
        assert B.shape == (k * k, c.multiplicity) and np.allclose(B.T @ B, np.eye(c.multiplicity))


def test_block_pattern_refuses_other_types():
    assert block_pattern(8, (6, 2)) is None and block_pattern(4, (3, 1)) is None
    assert block_pattern(8, (1, 7)) == ([1, 2, 3, 4, 5, 6, 7], [0])
    with pytest.raises(Exception, match="one block of size at least 4"):
        multiplicity_bases(8, (4, 4))


@pytest.mark.parametrize("k, parts", TYPES)
def test_block_spectrum_equals_full_spectrum_at_points_of_fix(k, parts):
    W = _fixed_point(k, parts, np.random.default_rng(k))
    res = isotypic_block_spectrum(W, parts)
    full = np.linalg.eigvalsh(hessian(W, np.eye(k)))
    assert res.consistent
    assert np.max(np.abs(_expanded(res) - full)) < TOL * max(1.0, np.max(np.abs(full)))


@pytest.mark.parametrize("k", range(6, 13))
def test_block_spectrum_equals_full_spectrum_at_critical_points(k):
    """Every critical point found in Fix(Delta(S_(k-1) x S_1)) (this includes the Delta S_k ones): eigenvalues
    with multiplicities equal those of the full Hessian, and for k = 6 each block equals the projector route."""
    found = find_critical_points(k, (k - 1, 1), starts=12, seed=k)
    checked = 0
    for cp in found.points:
        W, parts = young_normal_form(cp.W)
        if block_pattern(k, parts) is None:
            continue
        checked += 1
        res = isotypic_block_spectrum(W, parts)
        full = np.linalg.eigvalsh(hessian(W, np.eye(k)))
        assert res.consistent
        assert np.max(np.abs(_expanded(res) - full)) < TOL
        got = distinct_eigenvalues(_expanded(res))
        assert [m for _, m in got] == [m for _, m in cp.spectrum]
        assert np.allclose([v for v, _ in got], [v for v, _ in cp.spectrum], atol=1e-8)
        if k == 6:
            ref = decompose_hessian(hessian(W, np.eye(k)), k, parts, method="projectors")
            assert [b.irrep for b in ref.blocks] == [b.irrep for b in res.blocks]
            for a, b in zip(ref.blocks, res.blocks):
                assert np.allclose(a.eigenvalues, b.eigenvalues, atol=TOL), irrep_label(a.irrep)
    assert checked >= 2    # W = I and at least one other point


def test_a_point_outside_fix_is_flagged():
    rng = np.random.default_rng(3)
    W = _fixed_point(8, (8,), rng)
    W[0, 1] += 0.3
    assert not isotypic_block_spectrum(W, (8,)).consistent


def test_hessian_at_takes_the_blocks_from_blocks_min_k():
    k = BLOCKS_MIN_K
    assert uses_blocks(k, (k,), None) and not uses_blocks(k - 1, (k - 1,), None)
    assert not uses_blocks(k, (k,), "characters")
    res = hessian_at(k, "identity")
    ref = hessian_at(k, "identity", method="characters")
    assert res.method == BLOCK_METHOD and res.consistent and res.point == ref.point == "W = I"
    assert [b.irrep for b in res.blocks] == [b.irrep for b in ref.blocks]
    for a, b in zip(ref.blocks, res.blocks):
        assert np.allclose(a.eigenvalues, b.eigenvalues, atol=TOL), irrep_label(a.irrep)
    found = find_critical_points(k, (k - 1, 1), starts=12, seed=1)
    cp = found.spurious_minima()[0]
    a, b = critical_point_hessian(cp), critical_point_hessian(cp, method="characters")
    assert a.method == BLOCK_METHOD and a.point == b.point and a.consistent and b.consistent
    for x, y in zip(b.blocks, a.blocks):
        assert x.irrep == y.irrep and np.allclose(x.eigenvalues, y.eigenvalues, atol=TOL)
