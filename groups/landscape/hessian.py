"""Hessians of the teacher-student loss split by isotypic component: at :math:`W = V = I_k` (also
exactly) and at symmetric critical points.

At a point with isotropy :math:`H = \\Delta(S_{p_1}\\times\\dots\\times S_{p_r})` the Hessian commutes with
the action of H, so it preserves every isotypic component
(:func:`~groups.symmetric.isotypic.decompose_hessian`); its eigenvalue multiplicities are degrees of
irreducibles (Arjevani & Field, *Analytic characterization of the Hessian in shallow ReLU models: a
tale of symmetry*, NeurIPS 2020). At :math:`W = V = I_k` the Hessian is exact (entries in
:math:`\\mathbb{Q} + \\mathbb{Q}/\\pi`), and so is its spectrum on each component.

>>> res = hessian_at(4, "identity")
>>> res.consistent, [(b.dim, b.multiplicity) for b in res.blocks]
(True, [(1, 2), (3, 3), (2, 1), (3, 1)])
>>> res.blocks[2].exact
[(2 + pi)/(4*pi)]

From :data:`BLOCKS_MIN_K` on, at points fixed by :math:`\\Delta S_k` or :math:`\\Delta(S_{k-1}\\times S_1)`
(one block of size at least 4 and singletons), the default route forms neither the :math:`k^2\\times k^2`
Hessian nor its eigendecomposition: :func:`~groups.landscape.isotypic_blocks.isotypic_block_spectrum` gives
the same numeric spectrum from one small matrix per irreducible.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import sympy as sp

from algebra.errors import FlowAlgebraError
from groups.landscape.critical_points import CriticalPoint, find_critical_points, isotropy_within, search_cost
from groups.landscape.isotypic_blocks import (BLOCKS_MIN_K, SPECTRUM_METHODS, block_cost, block_pattern, isotypic_block_spectrum,
                                              uses_blocks)
from groups.landscape.loss import hessian, hessian_cost
from groups.landscape.reduced import check_blocks
from groups.limits import MAX_BLOCK_K, check_cost, check_k, shorten
from groups.symmetric.fixed_space import FixedSubspace
from groups.symmetric.isotypic import (HessianDecomposition, Irrep, decompose_hessian, decomposition_cost, decompose_square,
                                       isotypic_projectors)
from groups.symmetric.young import diagonal_young, parse_partition, young_fix_dimension, young_label, young_latex, young_normal_form

__all__ = ["EXACT_IDENTITY_MAX_K", "BLOCKS_MIN_K", "HESSIAN_METHODS", "uses_blocks", "exact_identity_hessian", "exact_identity_spectrum",
           "critical_point_hessian", "hessian_at"]

#: exact spectra at W = I use exact projectors (a sum over S_k)
EXACT_IDENTITY_MAX_K = 7
def exact_identity_hessian(k: int) -> sp.Matrix:
    """The Hessian of F at :math:`W = V = I_k`, exactly.

    Diagonal blocks :math:`I/2`; for :math:`i \\ne j` the angle is :math:`\\pi/2` and
    :math:`n = e_j`, :math:`m = e_i`, so :math:`h_2(e_i, e_j) = \\frac{1}{2\\pi}(\\tfrac{\\pi}{2}I + e_ie_j^T + e_je_i^T)`.

    >>> exact_identity_hessian(2)[0:2, 2:4] == sp.Matrix([[sp.Rational(1, 4), 1 / (2 * sp.pi)], [1 / (2 * sp.pi), sp.Rational(1, 4)]])
    True
    """
    def entry(x: int, y: int):
        (i, a), (j, b) = divmod(int(x), k), divmod(int(y), k)
        if i == j:
            return sp.Rational(1, 2) if a == b else sp.Integer(0)
        return (sp.pi / 2 * int(a == b) + int(a == i and b == j) + int(a == j and b == i)) / (2 * sp.pi)

    return sp.Matrix(k * k, k * k, entry)


def exact_identity_spectrum(k: int) -> dict[Irrep, list[sp.Expr]]:
    """Exact Hessian eigenvalues at W = I by irreducible of :math:`\\Delta S_k`.

    For the irreducible :math:`\\lambda` the space :math:`P_\\lambda\\mathrm{Fix}(\\Delta S_\\lambda)` has
    dimension :math:`m_\\lambda K_{\\lambda\\lambda} = m_\\lambda` and is preserved by the Hessian; its
    :math:`m_\\lambda\\times m_\\lambda` matrix has exactly the eigenvalues of that component.

    >>> exact_identity_spectrum(4)[((2, 2),)]
    [(2 + pi)/(4*pi)]
    """
    H = exact_identity_hessian(k)
    projectors = isotypic_projectors(k, (k,))
    out = {}
    for c in decompose_square(k, (k,)):
        (lam,) = c.irrep
        fix = FixedSubspace(diagonal_young(k, lam))
        vectors = sp.Matrix.hstack(*[projectors[c.irrep] * sp.Matrix(M).reshape(k * k, 1) for M in fix.basis()])
        B = vectors[:, list(vectors.rref()[1])]
        if B.shape[1] != c.multiplicity:
            raise ArithmeticError(f"P Fix(S_lambda) has dimension {B.shape[1]}, expected {c.multiplicity}")
        M = (B.T * B).inv() * (B.T * H * B)
        M = M.applyfunc(sp.simplify)
        evs = []
        for value, mult in M.eigenvals().items():
            evs.extend([sp.simplify(value)] * mult)
        out[c.irrep] = sorted(evs, key=lambda e: float(e))
    return out


#: the values of ``method``: the spectrum routes, and the two full-route methods of
#: :func:`~groups.symmetric.isotypic.decompose_hessian` (``full`` lets it choose)
HESSIAN_METHODS = SPECTRUM_METHODS + ("projectors", "characters")


def _full_method(method: str | None) -> str | None:
    """The method of :func:`~groups.symmetric.isotypic.decompose_hessian` for ``method`` (None: its default)."""
    if method is not None and method not in HESSIAN_METHODS:
        raise FlowAlgebraError(f"method must be one of {', '.join(HESSIAN_METHODS)}, got {shorten(repr(method))}")
    return method if method in ("projectors", "characters") else None


def _normal_form(cp: CriticalPoint, method: str | None) -> tuple[np.ndarray, tuple[int, ...]]:
    """W with its isotropy blocks consecutive, and the isotropy type: from the blocks of the group searched when
    there is one (:func:`~groups.landscape.critical_points.isotropy_within`, O(k^2)), else
    :func:`~groups.symmetric.young.young_normal_form` (O(k^4)). Where the blocks are to be used but the isotropy
    has no block pattern (two singletons joined), the group searched serves."""
    if not cp.searched:
        return young_normal_form(cp.W)
    blocks = isotropy_within(cp.W, cp.searched)
    parts = tuple(len(b) for b in blocks)
    if block_pattern(cp.k, parts) is None and block_pattern(cp.k, cp.searched) is not None and uses_blocks(
            cp.k, cp.searched, method):
        return cp.W, tuple(cp.searched)
    order = [i for b in blocks for i in b]
    return cp.W[np.ix_(order, order)], parts


def critical_point_hessian(cp: CriticalPoint, point: str | None = None, method: str | None = None,
                           tol: float = 1e-7, point_latex: str = "") -> HessianDecomposition:
    """The Hessian at a critical point, split by the isotypic components of its isotropy (the isotropy blocks
    made consecutive first): from the isotypic blocks where :func:`uses_blocks` says so (``method`` None or
    ``"auto"``, ``"blocks"``), else from the full Hessian (``"full"``, ``"projectors"``, ``"characters"``)."""
    full_method = _full_method(method)
    W, parts = _normal_form(cp, method)
    kind = "spurious minimum" if cp.spurious else cp.kind
    if point is None:
        point = f"the {kind} of isotropy {young_label(parts)} (loss {cp.loss_float:.10g})"
        point_latex = point_latex or f"the {kind} of isotropy {young_latex(parts)}"
    if uses_blocks(cp.k, parts, method):
        return isotypic_block_spectrum(W, parts, point=point, point_latex=point_latex)
    return decompose_hessian(hessian(W, np.eye(cp.k)), cp.k, parts, point, method=full_method, tol=tol,
                             point_latex=point_latex)


def hessian_at(k: int, at: str | Sequence[int] = "identity", starts: int = 60, seed: int = 0,
               method: str | None = None) -> HessianDecomposition:
    """``landscape hessian``: ``at`` is ``identity`` (W = I, with the exact spectrum for
    ``k <= EXACT_IDENTITY_MAX_K``) or an isotropy type ``"6,1"`` (its spurious minimum of lowest loss, found
    by :func:`~groups.landscape.critical_points.find_critical_points`, or else its critical point of lowest
    loss other than W = I). The whole cost (search, Hessian, decomposition) is estimated before any of it runs.
    ``method`` (:data:`HESSIAN_METHODS`): with ``"auto"`` (or None) and ``k >= BLOCKS_MIN_K`` points fixed by one
    block of size at least 4 and singletons take the isotypic blocks (:func:`uses_blocks`), up to
    ``k = MAX_BLOCK_K``; ``"blocks"`` takes them from any k; ``"full"`` (the full Hessian, its decomposition by
    projectors when cheap, else characters), ``"projectors"`` and ``"characters"`` never -- refused at ``k = 60``:

    >>> hessian_at(60, "identity").method
    'isotypic blocks'
    >>> hessian_at(60, "identity", method="characters")
    Traceback (most recent call last):
    ...
    algebra.errors.FlowAlgebraError: landscape hessian at W = I, k = 60: estimated memory 38.2 GB, over the limit of 3.22 GB (MAX_BYTES); lower --k
    """
    k = check_k(k, high=MAX_BLOCK_K)
    full_method = _full_method(method)
    identity = isinstance(at, str) and at == "identity"
    parts = (k,) if identity else parse_partition(at, k)
    blocks = uses_blocks(k, parts, method)
    if blocks:
        seconds, nbytes = block_cost(k)
    else:
        seconds, nbytes = decomposition_cost(k, parts, full_method)
        build_seconds, build_bytes = hessian_cost(k, k)
        seconds, nbytes = seconds + build_seconds, max(nbytes, build_bytes)
    if not identity:
        check_blocks(len(parts))
        search_seconds, _, search_bytes = search_cost(k, young_fix_dimension(parts), starts, blocks=len(parts),
                                                      spectra="blocks" if blocks else "full")
        seconds, nbytes = seconds + search_seconds, max(nbytes, search_bytes)
    where = "W = I" if identity else f"a critical point in Fix({young_label(parts)})"
    check_cost(f"landscape hessian at {where}, k = {k}", seconds, nbytes,
               hint="lower --k" + ("" if identity else " or --starts"))
    if identity and blocks:
        return isotypic_block_spectrum(np.eye(k), (k,), point="W = I", point_latex="$W = I$")
    if identity:
        result = decompose_hessian(hessian(np.eye(k), np.eye(k)), k, (k,), "W = I", method=full_method,
                                   point_latex="$W = I$")
        if k <= EXACT_IDENTITY_MAX_K:
            exact = exact_identity_spectrum(k)
            for b in result.blocks:
                b.exact = exact[b.irrep]
        return result
    found = find_critical_points(k, parts, starts=starts, seed=seed, method="blocks" if blocks else "full")
    minima = found.spurious_minima() or [cp for cp in found.points if cp.loss_float > 1e-12]
    if not minima:
        raise FlowAlgebraError(f"no critical point other than W = I found in Fix({young_label(parts)})")
    return critical_point_hessian(minima[0], method=method)
