"""Hessian spectra at points of :math:`\\mathrm{Fix}(\\Delta(S_p\\times S_1^{\\,r}))` (in particular
:math:`\\Delta S_k` and :math:`\\Delta(S_{k-1}\\times S_1)`) block by block, without the :math:`k^2\\times k^2`
Hessian (numeric, float64, like the full Hessian it replaces).

At a point W fixed by :math:`H = \\Delta(S_p\\times S_1\\times\\dots\\times S_1)` (one block of size
:math:`p \\ge 4`, r singletons) the Hessian commutes with H, so on the isotypic component
:math:`V_\\chi\\otimes\\mathbb{R}^{m_\\chi}` of each irreducible it is :math:`I_{d_\\chi}\\otimes M_\\chi` for a
small :math:`m_\\chi\\times m_\\chi` matrix :math:`M_\\chi` (Arjevani & Field, *Analytic characterization of
the Hessian in shallow ReLU models: a tale of symmetry*, NeurIPS 2020). Only four irreducibles of
:math:`S_p` occur in :math:`\\mathbb{R}^k\\otimes\\mathbb{R}^k` (:math:`\\mathbb{R}^k = \\mathbf 1\\oplus S\\oplus
\\mathbf 1^{r}` with S the standard representation, and :math:`S\\otimes S = \\mathbf 1\\oplus S\\oplus
[p-2,2]\\oplus[p-2,1,1]`), and for each an explicit basis of :math:`u\\otimes\\mathbb{R}^{m_\\chi}` is known,
the images of one vector u of :math:`V_\\chi` under a basis of :math:`\\mathrm{Hom}_H(V_\\chi,
\\mathbb{R}^{k\\times k})`:

- trivial: a basis of :math:`\\mathrm{Fix}(H)` (:math:`I_p`, :math:`J_p`, :math:`1_p e_s^T`, :math:`e_s 1_p^T`,
  :math:`e_s e_t^T`; :math:`2 + 2r + r^2` of them);
- standard, at :math:`u = e_0 - e_1`: :math:`u 1_p^T`, :math:`1_p u^T`, :math:`\\mathrm{diag}(u)`,
  :math:`u e_s^T`, :math:`e_s u^T` (:math:`3 + 2r`);
- :math:`[p-2,2]` and :math:`[p-2,1,1]`: :math:`u u'^T \\pm u' u^T` with :math:`u' = e_2 - e_3` (one each).

So :math:`M_\\chi = B^T \\nabla^2F\\, B` for orthonormal B, with :math:`\\nabla^2F\\,B` from at most 12
Hessian-vector products (:func:`hessian_vector_product`, :math:`O(k^3)` time, :math:`O(k^2)` memory). The
invariance of each span (the residual :math:`\\|\\nabla^2F\\,B - B M_\\chi\\|`) is checked numerically. The multiplicities
are known in closed form (:func:`block_content`; the tests compare them with the character inner products of
:func:`~groups.symmetric.isotypic.decompose_square`, which take a minute at k = 50).

>>> import numpy as np
>>> res = isotypic_block_spectrum(np.eye(6), (6,))
>>> res.consistent, [(b.dim, b.multiplicity) for b in res.blocks]
(True, [(1, 2), (5, 3), (9, 1), (10, 1)])
>>> round(res.blocks[2].eigenvalues[0], 12) == round((2 + np.pi) / (4 * np.pi), 12)
True
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from algebra.errors import FlowAlgebraError
from groups.landscape.loss import TWO_PI, angles, pairs_cost
from groups.symmetric.isotypic import (BLOCK_METHOD, HessianDecomposition, Irrep, IrrepMultiplicity, IsotypicBlock,
                                       irrep_dimension)
from groups.symmetric.young import parse_partition, young_blocks

__all__ = ["BLOCK_METHOD", "RESIDUAL_TOL", "BLOCKS_MIN_K", "SPECTRUM_METHODS", "uses_blocks", "swap_fixes", "hessian_operator",
           "hessian_vector_product",
           "block_pattern", "block_content", "multiplicity_bases", "isotypic_block_spectrum", "block_cost"]

#: from this k on the default (``method`` ``"auto"`` or None) spectrum at Delta S_k and Delta(S_(k-1) x S_1) points
#: comes from the isotypic blocks (faster from small k on: at k = 50 the full route needs the exact
#: multiplicities, a minute of character sums, and a 2500 x 2500 eigendecomposition; the blocks take 0.05 s)
BLOCKS_MIN_K = 8
#: the spectrum routes of ``landscape critical`` and ``landscape hessian`` (``--method``): the isotypic blocks, the
#: full ``k^2 x k^2`` Hessian, or ``auto`` (the blocks where :func:`uses_blocks` says so)
SPECTRUM_METHODS = ("auto", "blocks", "full")

#: largest relative residual :math:`\|\nabla^2F\,B - BM\|/\max(1, \|M\|)` accepted as an invariant subspace
RESIDUAL_TOL = 1e-8
#: pairs closer than this (sine of the angle) to parallel get no :math:`nn^T` term (as in the closed form)
_PARALLEL = 1e-12


def _dense(M: np.ndarray, N: np.ndarray) -> np.ndarray:
    return M @ N


def _structured(big: Sequence[int], singles: Sequence[int]):
    """``(M, N) -> M @ N`` in :math:`O(k^2 (r+1))` for N invariant under :math:`\\Delta(S_p\\times S_1^r)`
    (``N[s(i), s(j)] = N[i, j]``, as every pairwise function of the rows of a fixed W is): on the big block N is
    :math:`\\alpha I + \\beta J`, its columns at a singleton are constant over the big block, and only the
    ``r`` singleton rows are general.

    >>> rng = np.random.default_rng(1)
    >>> N = np.full((6, 6), 0.3) + 0.5 * np.eye(6)
    >>> N[5], N[:5, 5] = rng.standard_normal(6), 0.7
    >>> M = rng.standard_normal((6, 6))
    >>> bool(np.allclose(_structured(range(5), [5])(M, N), M @ N))
    True
    """
    B, S = np.asarray(list(big)), np.asarray(list(singles), dtype=int)

    def times(M: np.ndarray, N: np.ndarray) -> np.ndarray:
        alpha, beta = N[B[0], B[0]] - N[B[0], B[1]], N[B[0], B[1]]
        out = M[:, S] @ N[S, :] if S.size else np.zeros((M.shape[0], N.shape[1]))
        MB = M[:, B]
        rows = MB.sum(axis=1)
        out[:, B] += alpha * MB + beta * rows[:, None]
        if S.size:
            out[:, S] += rows[:, None] * N[B[0], S][None, :]
        return out
    return times


def _h1_operator(W: np.ndarray, B: np.ndarray, skip_diagonal: bool, times=_dense):
    """``X -> `` the matrix whose row i is :math:`\\sum_j h_1(w_i, b_j)\\,x_i` (j = i left out when
    ``skip_diagonal``), the angles and coefficients computed once; ``times(M, N)`` is ``M @ N`` for the
    products with ``B``'s unit rows (:func:`_structured` when B = W is fixed by a group)."""
    na, nb, cos, sin, _ = angles(W, B)
    what = W / na[:, None]
    bhat = B / nb[:, None]
    ok = sin > _PARALLEL
    if skip_diagonal:
        np.fill_diagonal(ok, False)
    safe = np.where(ok, sin, 1.0)
    coef = np.where(ok, nb[None, :] * sin / (TWO_PI * na[:, None]), 0.0)       # |b_j| sin / (2 pi |w_i|)
    scaled = coef / (safe * safe)
    cos_scaled = scaled * cos
    total = coef.sum(axis=1)[:, None]
    unit = bhat.shape[0] == bhat.shape[1] and np.array_equal(bhat, np.eye(bhat.shape[0]))  # the teacher V = I

    def apply(X: np.ndarray) -> np.ndarray:
        alpha = np.einsum("ia,ia->i", what, X)                                    # w^_i . x_i
        R = scaled * (X if unit else times(X, bhat.T)) - cos_scaled * alpha[:, None]  # coef (b^_j.x_i - cos w^_i.x_i) / sin^2
        return total * (X - what * alpha[:, None]) + (R if unit else times(R, bhat)) - what * np.einsum("ij,ij->i", R, cos)[:, None]
    return apply


def hessian_operator(W: np.ndarray, V: np.ndarray, parts: Sequence[int] | None = None):
    """``X ->`` :math:`\\nabla^2F(W)[X]` (a matrix of the shape of W), from the closed-form blocks of
    :mod:`groups.landscape.loss` without forming them: the angles and every coefficient array are computed once
    (three passes over the pairs, about 20 ``k x k`` arrays), then each product costs a few ``k x k`` matrix
    products and elementwise passes. With ``parts`` of :func:`block_pattern` (and W fixed by that group, V = I)
    the matrix products use the invariance of the coefficient arrays (:func:`_structured`): :math:`O(k^2)`
    per product instead of :math:`O(k^3)`."""
    k = W.shape[0]
    pattern = block_pattern(k, parts) if parts is not None and W.shape == V.shape == (k, k) else None
    times = _structured(*pattern) if pattern is not None and _is_fixed(W, tuple(parts)) else _dense

    def left(N: np.ndarray, M: np.ndarray) -> np.ndarray:   # N @ M for the invariant N
        return times(M.T, N.T).T

    na, _, cos, sin, theta = angles(W, W)
    what = W / na[:, None]
    off = ~np.eye(W.shape[0], dtype=bool)
    ok = (sin > _PARALLEL) & off
    inv_safe = np.where(ok, 1.0 / np.where(ok, sin, 1.0), 0.0)
    cos_inv = cos * inv_safe
    pi_theta = np.where(off, np.pi - theta, 0.0)
    sin_off = np.where(off, sin, 0.0)
    h1_self, h1_teacher = _h1_operator(W, W, True, times), _h1_operator(W, V, False, times)

    def apply(X: np.ndarray) -> np.ndarray:
        a = np.einsum("ja,ja->j", what, X)                                        # w^_j . x_j
        Q = left(what, X.T) * inv_safe - cos_inv * a[None, :]                     # (w^_i.x_j - cos a_j) / sin
        cross = (left(pi_theta, X) + what * (sin_off @ a)[:, None]
                 + times(Q, what) - what * np.einsum("ij,ij->i", Q, cos)[:, None]) / TWO_PI
        return cross + 0.5 * X + h1_self(X) - h1_teacher(X)
    return apply


def hessian_vector_product(W: np.ndarray, V: np.ndarray, X: np.ndarray) -> np.ndarray:
    """:math:`\\nabla^2F(W)[X]` as a matrix of the shape of W (:func:`hessian_operator` applied once,
    :math:`O(k^2 d)` memory).

    >>> from groups.landscape.loss import hessian
    >>> rng = np.random.default_rng(0)
    >>> W, V, X = (rng.standard_normal((4, 3)) for _ in range(3))
    >>> bool(np.allclose(hessian_vector_product(W, V, X).ravel(), hessian(W, V) @ X.ravel()))
    True
    """
    return hessian_operator(W, V)(X)


def block_pattern(k: int, parts: Sequence[int]) -> tuple[list[int], list[int]] | None:
    """``(big block, singletons)`` as index lists if the isotropy type is one block of size at least 4 plus
    singletons (the shapes this module handles), else None.

    >>> block_pattern(7, (6, 1)), block_pattern(7, (5, 2))
    (([0, 1, 2, 3, 4, 5], [6]), None)
    """
    parts = parse_partition(tuple(parts), k)
    big = [i for i, p in enumerate(parts) if p > 1]
    if len(big) != 1 or parts[big[0]] < 4:
        return None
    blocks = young_blocks(parts)
    return blocks[big[0]], [b[0] for i, b in enumerate(blocks) if i != big[0]]


def uses_blocks(k: int, parts: Sequence[int], method: str | None = "auto") -> bool:
    """Whether the Hessian spectrum at a point fixed by Delta(S_p1 x ... x S_pr) comes from the isotypic blocks:
    ``method`` ``"auto"`` (or None) from :data:`BLOCKS_MIN_K` on where :func:`block_pattern` applies, ``"blocks"``
    wherever it applies (else a one-line error), never for ``"full"`` (or a full-route method of
    :func:`~groups.symmetric.isotypic.decompose_hessian`: ``"projectors"``, ``"characters"``).

    >>> uses_blocks(8, (7, 1)), uses_blocks(7, (7,)), uses_blocks(7, (7,), "blocks"), uses_blocks(8, (6, 2))
    (True, False, True, False)
    >>> uses_blocks(8, (6, 2), "blocks")
    Traceback (most recent call last):
    ...
    algebra.errors.FlowAlgebraError: the isotypic blocks need one block of size at least 4 and singletons, got (6, 2): use --method full
    """
    if method in (None, "auto"):
        return k >= BLOCKS_MIN_K and block_pattern(k, parts) is not None
    if method == "blocks":
        if block_pattern(k, parts) is None:
            raise FlowAlgebraError(f"the isotypic blocks need one block of size at least 4 and singletons, got "
                                   f"{tuple(parts)}: use --method full")
        return True
    return False


def _irrep(parts: tuple[int, ...], big: int, lam: tuple[int, ...]) -> Irrep:
    return tuple(lam if i == big else (1,) for i in range(len(parts)))


def block_content(k: int, parts: Sequence[int]) -> list[IrrepMultiplicity]:
    """The irreducibles of H in :math:`\\mathbb{R}^{k\\times k}` with degrees and multiplicities, in closed form
    for one block of size :math:`p \\ge 4` and r singletons: trivial :math:`2 + 2r + r^2`, standard
    :math:`3 + 2r`, :math:`[p-2,2]` and :math:`[p-2,1,1]` once each (in the order of
    :func:`~groups.symmetric.isotypic.decompose_square`).

    >>> [(c.dim, c.multiplicity) for c in block_content(7, (6, 1))]
    [(1, 5), (5, 5), (9, 1), (10, 1)]
    """
    parts = parse_partition(tuple(parts), k)
    if block_pattern(k, parts) is None:
        raise FlowAlgebraError(f"isotypic blocks need one block of size at least 4 and singletons, got {parts}")
    big = next(i for i, p in enumerate(parts) if p > 1)
    p, r = parts[big], len(parts) - 1
    out = []
    for lam, m in (((p,), 2 + 2 * r + r * r), ((p - 1, 1), 3 + 2 * r), ((p - 2, 2), 1), ((p - 2, 1, 1), 1)):
        irrep = _irrep(parts, big, lam)
        out.append(IrrepMultiplicity(irrep, irrep_dimension(irrep), m))
    if sum(c.dim * c.multiplicity for c in out) != k * k:
        raise ArithmeticError("isotypic dimensions do not add up to k^2")
    return out


def multiplicity_bases(k: int, parts: Sequence[int]) -> dict[Irrep, np.ndarray]:
    """For every irreducible of H in :math:`\\mathbb{R}^{k\\times k}`: an orthonormal ``k^2 x m`` basis of
    :math:`u\\otimes\\mathbb{R}^{m}` inside its isotypic component (see the module text), its size checked
    against :func:`block_content`.

    >>> {lab: B.shape[1] for lab, B in multiplicity_bases(7, (6, 1)).items()}[((5, 1), (1,))]
    5
    """
    parts = parse_partition(tuple(parts), k)
    content = block_content(k, parts)
    block, singles = block_pattern(k, parts)
    e = np.eye(k)
    one = e[block].sum(axis=0)
    u, u2 = e[block[0]] - e[block[1]], e[block[2]] - e[block[3]]
    trivial = [np.diag(one), np.outer(one, one)] + [m for s in singles for m in (np.outer(one, e[s]), np.outer(e[s], one))]
    trivial += [np.outer(e[s], e[t]) for s in singles for t in singles]
    standard = [np.outer(u, one), np.outer(one, u), np.diag(u)]
    standard += [m for s in singles for m in (np.outer(u, e[s]), np.outer(e[s], u))]
    vectors = [trivial, standard, [np.outer(u, u2) + np.outer(u2, u)], [np.outer(u, u2) - np.outer(u2, u)]]
    out = {}
    for c, mats in zip(content, vectors):
        M = np.array([x.ravel() for x in mats]).T
        Q, R = np.linalg.qr(M)
        if M.shape[1] != c.multiplicity or np.min(np.abs(np.diag(R))) < 1e-10:
            raise ArithmeticError(f"basis of size {M.shape[1]} for {c.irrep}, multiplicity {c.multiplicity}")
        out[c.irrep] = Q
    return out


def isotypic_block_spectrum(W: np.ndarray, parts: Sequence[int], V: np.ndarray | None = None, point: str = "W",
                            point_latex: str = "", tol: float = RESIDUAL_TOL) -> HessianDecomposition:
    """The Hessian spectrum of F at W (fixed by :math:`\\Delta(S_{p_1}\\times\\dots)` on consecutive blocks, as
    :func:`~groups.landscape.hessian.critical_point_hessian` arranges) by isotypic component, from the small
    blocks :math:`M_\\chi`; ``consistent`` is False if W is not fixed by H (to 1e-9) or a span is not invariant."""
    k = W.shape[0]
    if W.shape != (k, k):
        raise FlowAlgebraError(f"isotypic blocks need a square W (k = d), got shape {W.shape}")
    V = np.eye(k) if V is None else V
    parts = parse_partition(tuple(parts), k)
    bases = multiplicity_bases(k, parts)
    consistent = _is_fixed(W, parts)
    apply = hessian_operator(W, V, parts)
    blocks = []
    for c in block_content(k, parts):
        B = bases[c.irrep]
        HB = np.array([apply(col.reshape(k, k)).ravel() for col in B.T]).T
        M = B.T @ HB
        M = (M + M.T) / 2
        residual = np.linalg.norm(HB - B @ M) / max(1.0, np.linalg.norm(M))
        consistent &= bool(residual <= tol)
        blocks.append(IsotypicBlock(c.irrep, c.dim, c.multiplicity, [float(v) for v in np.linalg.eigvalsh(M)]))
    return HessianDecomposition(k, parts, point, BLOCK_METHOD, blocks, bool(consistent), point_latex)


def swap_fixes(W: np.ndarray, i: int, j: int, tol: float) -> bool:
    """Whether the transposition ``(i j)`` of rows and columns fixes the square W (to ``tol``): it moves rows
    and columns i, j only, so O(k).

    >>> swap_fixes(np.eye(3), 0, 1, 1e-12), swap_fixes(np.diag([1.0, 2.0, 1.0]), 0, 1, 1e-12)
    (True, False)
    """
    perm = np.arange(W.shape[0])
    perm[[i, j]] = [j, i]
    return bool(max(np.max(np.abs(W[[j, i]][:, perm] - W[[i, j]])), np.max(np.abs(W[perm][:, [j, i]] - W[:, [i, j]])))
                <= tol)


def _is_fixed(W: np.ndarray, parts: tuple[int, ...], tol: float = 1e-9) -> bool:
    """W is fixed by the transpositions generating the diagonal Young group (to ``tol`` relative)."""
    scale = max(1.0, float(np.max(np.abs(W))))
    return all(swap_fixes(W, a, b, tol * scale) for block in young_blocks(parts) for a, b in zip(block, block[1:]))


def block_cost(k: int) -> tuple[float, float]:
    """Estimated ``(seconds, bytes)`` of :func:`isotypic_block_spectrum` at a point fixed by the group: three
    passes of :func:`~groups.landscape.loss.angles` over the ``k x k`` pairs (:func:`~groups.landscape.loss.pairs_cost`)
    and about 20 ``k x k`` coefficient arrays, once (:func:`hessian_operator`); then at most 12 Hessian-vector
    products of about 60 ``k x k`` elementwise passes each (the matrix products use the invariance of the
    coefficients: :math:`O(k^2)`); and the bases (``k^2 x 12``). Measured (one BLAS thread, load average about
    4 on 2 cores): 0.03 s at ``k = 100``, 1.2-1.7 s at ``k = 1000`` (8 s with dense matrix products and
    :math:`O(k^3)` fixedness test, 12 s before the angles were computed once per point); the estimate is
    about twice that.

    >>> seconds, nbytes = block_cost(1000)
    >>> 1 < seconds < 10 and nbytes < 2**30
    True
    """
    kk = float(k) * k
    pair_seconds, pair_bytes = pairs_cost(k, k, k)
    seconds = 3 * pair_seconds + 12 * 60 * 3e-9 * kk + 1e-3
    return seconds, pair_bytes + 30 * 8.0 * kk + 3 * 12 * 8.0 * kk
