"""The BLAS elimination mod p against python-flint's nmod_mat (rank, RREF, row rank profile) and exact
integer products, on random and structured low-rank matrices (hypothesis-driven), and the incremental
echelon basis of the counting engine against one flint RREF of everything inserted."""
from __future__ import annotations

import flint
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from algebra.exact.blocked_elimination import LEAF, REDUCE_CHUNK, _plans, echelon, from_balanced, mulmod, to_balanced
from algebra.exact.modular import PRIME, EchelonBasis, matmul_mod, rank_mod, rref_mod

PRIMES = [PRIME, 10**9 + 7, 2**26 - 5, 2097143, 65521, 101, 3, 2]
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def exact_product(a: np.ndarray, b: np.ndarray, p: int) -> np.ndarray:
    """A B mod p with Python integers (object arrays: no overflow)."""
    return (a.astype(object) @ b.astype(object)) % p


def low_rank(rng: np.random.Generator, rows: int, cols: int, rank: int, p: int, structure: str) -> np.ndarray:
    """A rows x cols matrix of rank at most ``rank`` mod p: a random product, with zero rows and columns,
    repeated rows, or a block of identity, so that pivots are not where a generic matrix has them."""
    m = matmul_mod(rng.integers(0, p, (rows, rank)), rng.integers(0, p, (rank, cols)), p) if rank else \
        np.zeros((rows, cols), dtype=np.int64)
    if structure == "zeros":
        m[:, rng.random(cols) < 0.4] = 0
        m[rng.random(rows) < 0.3] = 0
    elif structure == "repeats" and rows > 1:
        m[1::2] = m[: rows // 2]
    elif structure == "identity":
        k = min(rows, cols, rank)
        m[:k, :k] = np.eye(k, dtype=np.int64)
        m[:k, k:] = 0
    return m


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), p=st.sampled_from(PRIMES), m=st.integers(1, 40),
       k=st.sampled_from([1, 2, 7, 63, 64, 253, 254, 300]), n=st.integers(1, 40))
def test_mulmod_is_the_exact_product(seed, p, m, k, n):
    rng = np.random.default_rng(seed)
    a, b = rng.integers(0, p, (m, k)), rng.integers(0, p, (k, n))
    a[0] = p - 1
    b[:, 0] = p - 1                                            # the largest residues, where bounds are tight
    want = exact_product(a, b, p)
    assert (from_balanced(mulmod(to_balanced(a, p), to_balanced(b, p), p), p) == want).all()
    assert (matmul_mod(a, b, p) == want).all()


def test_mulmod_chunks_beyond_the_widest_exact_inner_dimension():
    rng = np.random.default_rng(1)
    widest = _plans(PRIME)[-1][2]
    a, b = rng.integers(0, PRIME, (3, widest + 5)), rng.integers(0, PRIME, (widest + 5, 2))
    a[:], b[:] = PRIME - 1, PRIME - 1
    assert (matmul_mod(a, b) == exact_product(a, b, PRIME)).all()


def test_mulmod_on_stacks_broadcasts_like_matmul():
    rng = np.random.default_rng(2)
    a, b = rng.integers(0, PRIME, (5, 3, 4)), rng.integers(0, PRIME, (4, 6))
    got = matmul_mod(a, b)
    assert got.shape == (5, 3, 6)
    assert all((got[i] == exact_product(a[i], b, PRIME)).all() for i in range(5))


@pytest.mark.parametrize("p", [PRIME, 10**9 + 7, 2**26 - 5, 2097143])
@pytest.mark.parametrize("shape", [(150, 300, 160), (3, 9000, 40), (200, 20, 700)])
def test_mulmod_in_cache_sized_pieces_is_the_exact_product(p, shape):
    """Products large enough that limbs, recombination and reduction run piece by piece (REDUCE_CHUNK)."""
    m, k, n = shape
    rng = np.random.default_rng(m + k + n)
    a, b = rng.integers(0, p, (m, k)), rng.integers(0, p, (k, n))
    a[::7], b[:, ::5] = p - 1, (p + 1) // 2                 # the largest residues of either sign
    assert m * n > REDUCE_CHUNK or m * k > REDUCE_CHUNK
    assert (matmul_mod(a, b, p) == exact_product(a, b, p)).all()


@pytest.mark.parametrize("left, right", [((6, 30, 40), (40, 700)), ((40, 700), (6, 700, 30)),
                                         ((6, 30, 40), (6, 40, 25))])
def test_mulmod_of_stacks_and_matrices_is_the_exact_product(left, right):
    rng = np.random.default_rng(len(left) * 10 + len(right))
    a, b = rng.integers(0, PRIME, left), rng.integers(0, PRIME, right)
    a.reshape(-1)[::3] = PRIME - 1
    got = matmul_mod(a, b)
    want = np.matmul(a.astype(object), b.astype(object)) % PRIME
    assert got.shape == want.shape and (got == want).all()


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), p=st.sampled_from(PRIMES), rows=st.integers(1, 3 * LEAF + 5),
       cols=st.integers(1, 120), rank=st.integers(0, 80),
       structure=st.sampled_from(["random", "zeros", "repeats", "identity"]))
def test_echelon_matches_flint(seed, p, rows, cols, rank, structure):
    rng = np.random.default_rng(seed)
    m = low_rank(rng, rows, cols, min(rank, rows, cols), p, structure)
    R, pivots, independent = echelon(to_balanced(m, p), p)
    want, want_pivots = rref_mod(m, p)
    assert len(pivots) == rank_mod(m, p) == len(want_pivots)
    order = np.argsort(pivots)
    assert pivots[order].tolist() == want_pivots
    assert (from_balanced(R, p)[order] == want).all()
    # the rows kept are the first independent ones: the pivot columns of the transpose's RREF
    assert independent.tolist() == rref_mod(m.T, p)[1]


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), p=st.sampled_from([PRIME, 65521, 2]), step=st.integers(1, 90),
       rows=st.integers(1, 200), cols=st.integers(1, 90), rank=st.integers(0, 90))
def test_echelon_basis_in_steps_matches_one_flint_rref(seed, p, step, rows, cols, rank):
    rng = np.random.default_rng(seed)
    m = low_rank(rng, rows, cols, min(rank, rows, cols), p, "zeros" if seed % 2 else "random")
    basis = EchelonBasis(cols, p)
    basis.MERGE = [1, 4, EchelonBasis.MERGE][seed % 3]       # never, sometimes, always merged (small blocks)
    flags = [flag for s in range(0, rows, step) for flag in basis.add(m[s:s + step])]
    want, want_pivots = rref_mod(m, p)
    assert basis.rank == len(want_pivots)
    assert [i for i, f in enumerate(flags) if f] == rref_mod(m.T, p)[1]
    probe = rng.integers(0, p, (3, cols))
    reduced = basis.reduce(probe)
    assert (EchelonBasis(cols, p).reduce(probe) == probe % p).all()
    assert not reduced[:, basis.pivots].any()
    # the reduced probe differs from the probe by an element of the span
    assert rank_mod(np.vstack([basis.rows, (probe - reduced) % p]), p) == basis.rank
    order = np.argsort(basis.pivots)            # reading the rows merges the blocks into the reduced form
    assert (basis.rows[order] == want).all() and (basis.reduce(probe) == reduced).all()


def test_echelon_basis_of_a_frame_sized_matrix_agrees_with_flint():
    """A wide matrix in the batches the counting engine uses (8, 16, ... doubling), larger than one leaf."""
    rng = np.random.default_rng(3)
    m = low_rank(rng, 600, 700, 450, PRIME, "zeros")
    basis, s, batch = EchelonBasis(700), 0, 8
    while s < m.shape[0]:
        basis.add(m[s:s + batch])
        s, batch = s + batch, batch * 2
    assert basis.rank == flint.nmod_mat(600, 700, m.ravel().tolist(), PRIME).rank()


def test_balanced_residues_round_trip():
    p = 101
    values = np.arange(-300, 300)
    f = to_balanced(values, p)
    assert np.abs(f).max() <= p // 2
    assert (from_balanced(f, p) == values % p).all()
    with pytest.raises(ValueError, match="below 2\\^31"):
        to_balanced(values, 2**31 + 11)
