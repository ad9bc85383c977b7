"""Polynomial conservation laws of a given degree: exact kernel over Q.

h = sum_m c_m m(theta) (monomials m of degree k, or of every degree 1..k) is
conserved iff <grad h, grad phi_i> = 0 identically for every i (Marcotte et
al. 2023, Prop. on conservation via the generators): a linear system in c.

How it is solved exactly:

1. *Sign grading.* For a diagonal sign flip s with X_i(s theta) = +-s X_i(theta)
   for all i (for gradient flow: phi_i(s theta) = +-phi_i(theta)), the
   conservation operator maps the s-character space of h to a character
   space, so the system splits into independent blocks, one per parity class
   of monomials. The flips are a GF(2) kernel (``system.sign_symmetries()``). For layered networks
   the blocks are tiny (all squares; pairs of weights sharing a neuron).
2. *Sampled rows mod p.* Each row is the constraint at a random point and a
   random element of W: sum_m c_m <grad m(theta), grad psi_alpha(theta)>; with
   more rows than unknowns in a block its kernel mod p is the true kernel with
   high probability.
3. *Lift and prove.* The reduced echelon kernel basis is lifted to Q by
   rational reconstruction (more primes and CRT if needed), and every law is
   then *proved* exactly over Q: <grad h, grad phi_i> = 0 for every i, with
   python-flint polynomials, all generators in one product per coordinate
   (:class:`GeneratorPairing`, a Kronecker substitution). Only proved laws are returned.

Monomials alone in their block (most of them: for layered networks every product of two distinct weights)
are decided together: such a monomial is a law iff its sampled column is zero and its proof succeeds.

The number of functionally independent laws is the rank of their gradients
at a random point (mod p: an exact lower bound); it can be smaller than the
kernel dimension.

:func:`find_polynomial_laws` is a generic function of the system: this module implements it for every
:class:`~laws.system.PolynomialSystem`; a system whose field is not polynomial registers an
explanation instead (the sign-gradient flow: :mod:`laws.flows.sign`).

>>> from laws.models.model import linear
>>> result = find_polynomial_laws(linear([2, 2, 2]), degree=2)
>>> result.kernel_dim, result.independent
(3, 3)
"""
from __future__ import annotations

import functools
import math
import sys
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import flint
import numpy as np

from algebra.lazy import lazy_module
from algebra.present import Derivation, Result, cite, inline, inner
from algebra.errors import FlowAlgebraError
from algebra.exact.encoding import exact_json
from algebra.exact.modular import PRIME, fmpq_mod, inv_mod, nullspace_mod, rank_mod, rational_reconstruct
from algebra.exact.random import generator
from laws.limits import MAX_POLY_WORK, MAX_UNKNOWNS
from laws.matrix_form import balance_expression, balance_matrices, coefficient_rank, coefficients
from laws.models.model import Model
from laws.naming import describe, is_gradient_flow, notation
from laws.system import GeneratorSystem, PolynomialSystem

if TYPE_CHECKING:
    from algebra.present import symbols as _symbols

__all__ = ["find_polynomial_laws", "PolynomialLaws", "prove_law", "GeneratorPairing", "monomial_table", "recognise_matrix_form",
           "poly_cost", "check_poly_cost", "MAX_UNKNOWNS", "ROW_MARGIN", "PRIMES", "MAX_POLY_WORK", "MAX_POLY_MEMORY",
           "ROW_BUDGET", "POLY_PROGRESS_WORK", "ENTRY_WORK", "BLOCK_WORK", "EVALUATION_CHUNK"]

sp = lazy_module("sympy")  # for derivations and sympy forms: loading this module does not import it
_symbols = lazy_module("algebra.present.symbols")  # Notation, a sympy Symbol: for derivations

#: extra sampled rows beyond the block size
ROW_MARGIN = 12
#: a search asked for progress shows a bar on stderr above this estimated work (about ten seconds)
POLY_PROGRESS_WORK = 2 * 10**9
#: estimated work per sampled entry (converting it for the elimination), and per block
ENTRY_WORK = 200
BLOCK_WORK = 20_000
#: refuse a search whose estimated peak memory for the sampled rows exceeds this many bytes
MAX_POLY_MEMORY = 1_500_000_000
#: sampled rows are computed for at most about this many matrix entries at a time
ROW_BUDGET = 4_000_000
#: the sampled points are evaluated a few at a time: about this many entries of the fields per call
EVALUATION_CHUNK = 1 << 15
#: primes for multi-modular lifting (all below 2^31, so numpy products fit int64)
PRIMES = (2**31 - 1, 2147483629, 2147483587, 2147483579, 2147483563, 2147483549)


@dataclass(repr=False)
class PolynomialLaws(Result):
    """Result of :func:`find_polynomial_laws`."""

    model: str
    description: str
    degree: int
    homogeneous: bool
    unknowns: int
    blocks: int
    kernel_dim: int
    independent: int
    laws: list[sp.Expr]
    matrix_form: list[dict] = field(default_factory=list)
    primes: tuple[int, ...] = (PRIME,)
    seed: int = 0
    samples: int = 0
    seconds: float = 0.0
    expected_laws: int | None = None
    #: the "Notation." paragraph of the derivation (:func:`laws.naming.notation`)
    notation: str = ""
    #: True for a model's gradient flow (its generators are the gradients of phi), False for another flow
    gradient_flow: bool = True

    @property
    def complete(self) -> bool | None:
        """True if these laws account for every law the Lie-closure count predicts."""
        if self.expected_laws is None:
            return None
        return self.independent == self.expected_laws

    def to_json(self) -> dict:
        out = {
            "model": self.model,
            "degree": self.degree,
            "homogeneous": self.homogeneous,
            "unknowns": self.unknowns,
            "blocks": self.blocks,
            "kernel_dim": self.kernel_dim,
            "independent": self.independent,
            "laws": [exact_json(h) for h in self.laws],
            "matrix_form": [{k: v for k, v in mf.items() if k not in ("matrix", "entries")} for mf in self.matrix_form],
            "certificate": {"primes": list(self.primes), "seed": self.seed, "sample_points": self.samples},
            "proved_exactly": True,
            "seconds": round(self.seconds, 3),
        }
        if self.expected_laws is not None:
            out["laws_from_count"] = self.expected_laws
            out["complete"] = self.complete
        return out

    def summary(self) -> str:
        kind = f"homogeneous degree {self.degree}" if self.homogeneous else f"degree <= {self.degree}"
        lines = [f"{self.model}: {self.kernel_dim} polynomial law(s) of {kind} (kernel over Q), "
                 f"{self.independent} functionally independent; all proved exactly ({self.seconds:.2f} s)"]
        for mf in self.matrix_form:
            lines.append(f"  = {mf['text']}")
        shown = self.laws[:12]
        for h in shown:
            lines.append(f"  {h}")
        if len(self.laws) > len(shown):
            lines.append(f"  ... {len(self.laws) - len(shown)} more")
        if self.expected_laws is not None:
            lines.append(f"  Lie-closure count: {self.expected_laws} laws; "
                         + ("these are all of them (locally)." if self.complete else
                            "non-polynomial laws or laws of higher degree exist."))
        return "\n".join(lines)

    def derivation(self) -> Derivation:
        degree = inline(self.degree) if self.homogeneous else f"$\\leq {self.degree}$"
        d = Derivation(f"Polynomial conservation laws of degree {degree}: {self.description}", notation=self.notation)
        field = _symbols.Notation(r"\nabla \phi_i") if self.gradient_flow else sp.Symbol("chi_i")
        d.add("A polynomial $h$ is conserved iff its gradient is orthogonal to every generator:",
              sp.Eq(inner(_symbols.Notation(r"\nabla h"), field), 0), cite("marcotte2023" if self.gradient_flow else "marcotte2024"))
        d.add(f"Unknowns: the coefficients of {self.unknowns} monomials, split by sign symmetry into "
              f"{self.blocks} independent blocks; kernel over {inline(sp.Rationals)} of dimension "
              f"{self.kernel_dim}.")
        for mf in self.matrix_form:
            d.add(f"The laws are {mf['which']} of the matrix", sp.Eq(sp.MatrixSymbol(f"M_{mf['layer']}", *mf["matrix"].shape), mf["matrix"], evaluate=False))
        if len(self.laws) <= 40:
            d.add(f"Laws found (each proved exactly over {inline(sp.Rationals)}):", [sp.Eq(sp.Symbol(f"h_{i + 1}"), law) for i, law in enumerate(self.laws)])
        d.add("Functionally independent laws (rank of their gradients at a random point):",
              sp.Eq(sp.Symbol("r"), self.independent))
        if self.expected_laws is not None:
            d.conclusion = (f"The Lie-closure count predicts {self.expected_laws} independent laws; "
                            + ("these polynomial laws are all of them, locally." if self.complete else
                               "the polynomial laws of this degree do not account for all of them."))
        return d


def monomial_table(D: int, degree: int, homogeneous: bool) -> np.ndarray:
    """Monomials as sorted index tuples padded with D (the constant 1), shape (M, degree)."""
    degrees = [degree] if homogeneous else range(1, degree + 1)
    total = sum(math.comb(D + k - 1, k) for k in degrees)
    if total > MAX_UNKNOWNS:
        raise FlowAlgebraError(f"{total} monomials of degree {degree} in {D} parameters: too many unknowns "
                               f"(limit {MAX_UNKNOWNS}); try a lower degree or a smaller model")
    parts = [np.concatenate([_combinations(D, k), np.full((math.comb(D + k - 1, k), degree - k), D, dtype=np.int64)],
                            axis=1) for k in degrees]
    return np.concatenate(parts).reshape(total, degree)


def _combinations(D: int, k: int) -> np.ndarray:
    """The sorted k-tuples over range(D), in lexicographic order (as ``itertools.combinations_with_replacement``).

    >>> _combinations(3, 2).tolist()
    [[0, 0], [0, 1], [0, 2], [1, 1], [1, 2], [2, 2]]
    """
    rows = np.zeros((1, 0), dtype=np.int64)
    for _ in range(k):
        # prepend a first index a to the rows (lexicographic, each sorted) that start at a or later
        first = rows[:, 0] if rows.shape[1] else np.full(len(rows), D - 1, dtype=np.int64)
        pieces = []
        for a in range(D):
            tail = rows[np.searchsorted(first, a):] if rows.shape[1] else rows
            pieces.append(np.concatenate([np.full((len(tail), 1), a, dtype=np.int64), tail], axis=1))
        rows = np.concatenate(pieces)
    return rows


@functools.singledispatch
def find_polynomial_laws(system: GeneratorSystem, degree: int = 2, homogeneous: bool = True, seed: int = 0,
                         expected_laws: int | None = None, progress: bool = False) -> PolynomialLaws:
    """All polynomial laws of the given degree (homogeneous, or all degrees 1..k), proved exactly; ``expected_laws``
    (the count, if known) says whether they are all of them. The cost is estimated first
    (:func:`check_poly_cost`); with ``progress``, a long search shows a bar on stderr."""
    raise TypeError(f"find_polynomial_laws needs a generator system (a model or flow_system(model, flow)), "
                    f"got {type(system).__name__}")


def poly_cost(model: PolynomialSystem, degree: int, table: np.ndarray, sizes) -> tuple[int, int]:
    """``(work, bytes)``: the estimated work of a search with blocks of these ``sizes`` (per block of b > 1 unknowns:
    its (b + ROW_MARGIN) x b sampled rows at ``degree + ENTRY_WORK`` operations per entry, their elimination,
    (b + ROW_MARGIN) x b^2 / 4, and ``BLOCK_WORK``; per monomial alone in its block, decided with the others, its
    1 + ROW_MARGIN sampled entries) and the peak memory of the sampled rows (a chunk of the rows, the random
    elements of W and the points)."""
    sizes = np.asarray(sizes, dtype=np.int64)
    samples = int(sizes.max()) + ROW_MARGIN
    big = sizes[sizes > 1].tolist()
    work = (sum((b + ROW_MARGIN) * b * (degree + ENTRY_WORK + b // 4) + BLOCK_WORK for b in big)
            + int((sizes == 1).sum()) * (1 + ROW_MARGIN) * (degree + ENTRY_WORK))
    chunk = max(samples * (samples - ROW_MARGIN), ROW_BUDGET)
    memory = 5 * 8 * chunk + 8 * samples * (model.N + 3 * model.D)
    return work, memory


def check_poly_cost(model: PolynomialSystem, degree: int, table: np.ndarray, sizes) -> int:
    """Refuse (one line naming the estimate and the limit) a search beyond :data:`MAX_POLY_WORK` or
    :data:`MAX_POLY_MEMORY` (blocks of these ``sizes``); return the estimated work."""
    work, memory = poly_cost(model, degree, table, sizes)
    what = f"{len(table):,} unknowns in {len(sizes):,} blocks, the largest of {int(max(sizes)):,}"
    if memory > MAX_POLY_MEMORY:
        raise FlowAlgebraError(f"{model.name}: degree {degree} needs about {memory / 1e9:.1f} GB for its sampled "
                               f"rows ({what}; limit MAX_POLY_MEMORY = {MAX_POLY_MEMORY / 1e9:.1f} GB): try a lower "
                               "degree or a smaller model")
    if work > MAX_POLY_WORK:
        raise FlowAlgebraError(f"{model.name}: degree {degree} would take about {work:.1e} operations ({what}; "
                               f"limit MAX_POLY_WORK = {MAX_POLY_WORK:.0e}): try a lower degree or a smaller model")
    return work


@find_polynomial_laws.register(PolynomialSystem)
def _polynomial_system_laws(model: PolynomialSystem, degree: int = 2, homogeneous: bool = True, seed: int = 0,
                            expected_laws: int | None = None, progress: bool = False) -> PolynomialLaws:
    if isinstance(degree, bool) or not isinstance(degree, int) or degree < 1:
        raise FlowAlgebraError(f"degree must be a positive integer, got {degree!r}")
    start = time.perf_counter()
    D = model.D
    table = monomial_table(D, degree, homogeneous)
    # monomials alone in their block are decided together, column by column; the others block by block
    singles, blocks = _blocks(table, model.sign_symmetries(), D)
    sizes = [1] * len(singles) + [len(b) for b in blocks]
    work = check_poly_cost(model, degree, table, sizes)
    samples = max(sizes) + ROW_MARGIN
    primes_used = [PRIMES[0]]
    pairing = GeneratorPairing(model, degree, seed)
    multi = list(range(len(blocks)))
    single_laws: list[flint.fmpq_mpoly] = []
    kernels = {}
    from tqdm import tqdm  # not a project module: loaded when the polynomial laws are sought

    bar = tqdm(total=len(table), desc=f"poly {model.name}"[:40], unit="unknown", file=sys.stderr, leave=False,
               disable=not (progress and work > POLY_PROGRESS_WORK))
    try:
        for p in PRIMES:
            todo = [bi for bi in multi if bi not in kernels or kernels[bi][0] != "done"]
            todo.sort(key=lambda bi: len(blocks[bi]))   # blocks of like sizes share a chunk of rows
            sampler = _RowSampler(model, samples, seed, p)
            bar.reset(total=len(singles) + sum(len(blocks[bi]) for bi in todo))
            singles, found = _single_laws(model, table, singles, sampler, pairing, bar)
            single_laws.extend(found)
            for chunk in _chunks(todo, blocks, samples):
                columns = np.concatenate([blocks[bi] for bi in chunk])
                rows = sampler.rows(table[columns], len(blocks[chunk[-1]]) + ROW_MARGIN)
                offset = 0
                for bi in chunk:
                    size = len(blocks[bi])
                    kern = _block_kernel(rows[:size + ROW_MARGIN, offset:offset + size], p)
                    offset += size
                    kernels[bi] = ("mod", _combine(kernels.get(bi), kern, p))
                bar.update(len(columns))
            pending = len(singles) > 0
            for bi in multi:
                state, data = kernels[bi]
                if state == "done":
                    continue
                lifted = _lift(data)
                if lifted is not None and all(pairing.prove(_law_poly(model, table[blocks[bi]], vec)) for vec in lifted):
                    kernels[bi] = ("done", lifted)
                else:
                    pending = True
            if not pending:
                break
            if p != PRIMES[-1]:
                primes_used.append(PRIMES[PRIMES.index(p) + 1])
        else:
            raise FlowAlgebraError("could not lift the kernel to Q with the available primes (coefficients too large)")
    finally:
        bar.close()
    polys = list(single_laws)
    for bi in multi:
        for vec in kernels[bi][1]:
            polys.append(_law_poly(model, table[blocks[bi]], vec))
    polys.sort(key=lambda h: str(h))
    independent = _functional_rank(model, polys, seed)
    form = recognise_matrix_form(model, polys, pairing) if model.structure is not None and degree == 2 else []
    if form:  # same span, nicer basis: the conserved entries of the balance matrices
        polys = [e for mf in form for e in mf.pop("entries")]
    laws = [model.to_sympy(h) for h in polys]
    return PolynomialLaws(model.name, describe(model), degree, homogeneous, len(table), len(sizes),
                          len(polys), independent, laws, form, tuple(primes_used), seed, samples,
                          time.perf_counter() - start, expected_laws, notation(model),
                          is_gradient_flow(model))


def _blocks(table: np.ndarray, symmetries: list[int], D: int) -> tuple[np.ndarray, list[np.ndarray]]:
    """Group monomials by their character under the sign flips: ``(singles, blocks)``, the monomials alone in their
    block (increasing) and the other blocks (in order of their first monomial, each increasing)."""
    if not symmetries:
        whole = np.arange(len(table))
        return (whole, []) if len(table) == 1 else (np.zeros(0, dtype=np.int64), [whole])
    # the character of a monomial, hashed: a random GF(2)-linear map to 64 bits (H[v]: the XOR of the random words
    # of the symmetries that flip v). Two characters share a hash with probability 2^-64; that would only merge two
    # blocks into one, which is solved just as exactly (its kernel is the sum of theirs, and every law is proved).
    width = (D + 8) // 8
    flips = np.array([np.unpackbits(np.frombuffer(s.to_bytes(width, "little"), dtype=np.uint8), bitorder="little")[:D]
                      for s in symmetries], dtype=bool)                     # (S, D)
    words = generator(0, "blocks").integers(0, 2**64, size=len(symmetries), dtype=np.uint64)
    H = np.zeros(D + 1, dtype=np.uint64)
    H[:D] = np.bitwise_xor.reduce(np.where(flips, words[:, None], np.uint64(0)), axis=0)
    keys = np.zeros(len(table), dtype=np.uint64)
    for j in range(table.shape[1]):
        keys ^= H[table[:, j]]
    _, first, inverse, counts = np.unique(keys, return_index=True, return_inverse=True, return_counts=True)
    inverse = inverse.reshape(-1)
    singles = np.sort(first[counts == 1]).astype(np.int64)
    groups = np.flatnonzero(counts > 1)
    groups = groups[np.argsort(first[groups], kind="stable")]
    rank = np.full(len(first), -1, dtype=np.int64)
    rank[groups] = np.arange(len(groups))
    mine = rank[inverse]
    keep = np.flatnonzero(mine >= 0)
    order = keep[np.argsort(mine[keep], kind="stable")]
    return singles, np.split(order.astype(np.int64), np.cumsum(counts[groups])[:-1]) if len(groups) else []


def _single_laws(model, table: np.ndarray, singles: np.ndarray, sampler: "_RowSampler", pairing: "GeneratorPairing",
                 bar) -> tuple[np.ndarray, list]:
    """Decide the monomials alone in their block at one prime: a monomial whose sampled column (1 + ROW_MARGIN rows)
    is not zero is no law; one whose column is zero is a law if its proof succeeds, else it stays pending. Returns
    ``(pending, laws)``."""
    count = 1 + ROW_MARGIN
    step = max(1, ROW_BUDGET // count)
    zero = np.zeros(len(singles), dtype=bool)
    for s in range(0, len(singles), step):
        part = singles[s:s + step]
        zero[s:s + step] = ~sampler.rows(table[part], count).any(axis=0)
        bar.update(len(part))
    laws, pending = [], []
    for m in singles[zero].tolist():
        h = _law_poly(model, table[m:m + 1], [flint.fmpq(1)])
        if pairing.prove(h):
            laws.append(h)
        else:
            pending.append(m)
    return np.array(pending, dtype=np.int64), laws


class _RowSampler:
    """Constraint rows at random points: row r, column m = <grad m(theta_r), grad psi_r(theta_r)> mod p, for any
    set of monomial columns (so the rows of a large system are computed a chunk of columns at a time)."""

    def __init__(self, model, samples: int, seed: int, p: int):
        rng = generator(seed, p, 11)
        D = model.D
        theta = rng.integers(1, p, size=(samples, D), dtype=np.int64)
        alpha = rng.integers(0, p, size=(samples, model.N), dtype=np.int64)
        # a few points per call, so that the evaluator's arrays (points x evaluation_entries) stay in cache
        step = max(1, EVALUATION_CHUNK // max(1, int(getattr(model, "evaluation_entries", 0) or 0)))
        field = model.evaluator(p).field
        w = np.concatenate([field(alpha[s:s + step], theta[None, s:s + step])[0] for s in range(0, samples, step)])
        u = w * inv_mod(theta, p) % p                                    # w_v / theta_v
        self.theta1 = np.concatenate([theta, np.ones((samples, 1), dtype=np.int64)], axis=1)
        self.u0 = np.concatenate([u, np.zeros((samples, 1), dtype=np.int64)], axis=1)
        self.samples, self.p = samples, p

    def rows(self, monomials: np.ndarray, count: int | None = None) -> np.ndarray:
        """The first ``count`` rows (default: all) for these monomials (index tuples padded with D), shape
        (count, len(monomials))."""
        p = self.p
        count = self.samples if count is None else count
        theta1, u0 = self.theta1[:count], self.u0[:count]
        value = np.ones((count, len(monomials)), dtype=np.int64)
        slope = np.zeros((count, len(monomials)), dtype=np.int64)
        for j in range(monomials.shape[1]):
            idx = monomials[:, j]
            value = value * theta1[:, idx] % p
            slope = (slope + u0[:, idx]) % p
        return value * slope % p


def _chunks(todo: list[int], blocks: list[np.ndarray], samples: int):
    """The blocks ``todo`` (sorted by size) in groups whose rows, (largest block + ROW_MARGIN) x (their columns),
    stay within :data:`ROW_BUDGET` entries (a large block alone)."""
    chunk, size = [], 0
    for bi in todo:
        width = len(blocks[bi])
        if chunk and (size + width) * (width + ROW_MARGIN) > ROW_BUDGET:
            yield chunk
            chunk, size = [], 0
        chunk.append(bi)
        size += width
    if chunk:
        yield chunk


def _block_kernel(columns: np.ndarray, p: int) -> np.ndarray:
    """Kernel of one block's sampled system (a single monomial: is its column zero?)."""
    if columns.shape[1] == 1:
        return np.ones((1, 1), dtype=np.int64) if not columns.any() else np.zeros((0, 1), dtype=np.int64)
    return nullspace_mod(columns, p)


def _combine(previous, kernel: np.ndarray, p: int):
    """Accumulate kernels mod several primes for CRT (same shape required)."""
    if previous is None:
        return [(p, kernel)]
    _, data = previous
    if data[0][1].shape != kernel.shape:
        return [(p, kernel)]  # the previous prime was unlucky: restart with this one
    return data + [(p, kernel)]


def _lift(residues) -> list[list[flint.fmpq]] | None:
    """Rational reconstruction of a kernel basis given mod one or more primes."""
    modulus = 1
    combined = None
    for p, kern in residues:
        arr = [[int(x) for x in row] for row in kern.tolist()]
        if combined is None:
            combined, modulus = arr, p
            continue
        inv = pow(modulus, -1, p)
        combined = [[(a + modulus * ((b - a) * inv % p)) for a, b in zip(ra, rb)] for ra, rb in zip(combined, arr)]
        modulus *= p
    out = []
    for row in combined:
        vec = []
        for a in row:
            if a == 0:
                vec.append(flint.fmpq(0))
                continue
            r = rational_reconstruct(a, modulus)
            if r is None:
                return None
            vec.append(flint.fmpq(r.numerator, r.denominator))
        out.append(vec)
    return out


def _law_poly(model, monomials: np.ndarray, coeffs) -> flint.fmpq_mpoly:
    gens = model.ctx.gens()
    D = model.D
    h = model.ctx.constant(0)
    for row, c in zip(monomials.tolist(), coeffs):
        if c == 0:
            continue
        term = model.ctx.constant(c)
        for v in row:
            if v < D:
                term = term * gens[v]
        h += term
    return h


class GeneratorPairing:
    r"""Exact proofs that polynomials are conserved, pairing a gradient with every generator in one product.

    Tag generator i by the monomial tag_i = t_1^(K d_1) ... t_r^(K d_r) in the first r parameters, where
    d_1, ..., d_r are the digits of i in a base B, and K is larger than the degree of every X_i(h) in each t_j.
    The fields Y_v = sum_i tag_i X_i[v] give sum_v (d h / d theta_v) Y_v = sum_i tag_i X_i(h) (a Kronecker
    substitution): its terms whose t_j-degrees lie in [K d_j, K d_j + K) for every j are exactly those of
    tag_i X_i(h), so it is the zero polynomial iff X_i(h) = 0 for every i. This is the statement
    :meth:`laws.system.PolynomialSystem.prove` checks generator by generator; here it costs one product per
    coordinate of h's support, in python-flint. K is degree + (the largest total degree of a field component) + 1,
    valid for every h of degree at most ``degree`` in each tag variable (others are proved by ``system.prove``);
    B K < 2^8 where possible keeps the exponents small. For a model (its gradient flow, X_i = grad phi_i) Y is the
    gradient of Phi = sum_i tag_i phi_i, minus sum_i (d tag_i / d t_j) phi_i on a tag variable t_j. The fields Y are
    built on the first proof that needs them.

    Most polynomials that are not conserved are refuted first, cheaply and just as rigorously
    (:meth:`refutes`): at a random point theta and a random element w = sum_i alpha_i X_i(theta) of W (mod p,
    from the system's evaluator), a nonzero <grad h(theta), w> mod p shows that some X_i(h) is not zero.

    >>> from laws.models.model import relu
    >>> m = relu([2, 2, 1])
    >>> u, v = m.ctx.gens()[0], m.ctx.gens()[4]          # u1_1 and v1_1 (hidden neuron 1)
    >>> pairing = GeneratorPairing(m, 2)
    >>> [pairing.prove(u**2 + m.ctx.gens()[1]**2 - v**2), pairing.prove(u**2 - v**2), pairing.prove(u * v)]
    [True, False, False]
    """

    def __init__(self, system: PolynomialSystem, degree: int, seed: int = 0):
        self.system, self.degree = system, degree
        self._refuter = _Refuter(system, degree, seed)
        self._Y: list | None = None
        self.K = self.base = self.tags = 0

    @property
    def Y(self) -> list:
        """The tagged fields Y_v, one per coordinate."""
        if self._Y is None:
            self._build()
        return self._Y

    def _build(self) -> None:
        system, degree = self.system, self.degree
        ctx, D = system.ctx, system.D
        zero = ctx.constant(0)
        gradient = _is_gradient_model(system)
        fields = None if gradient else system.generator_fields()
        phi = list(system.phi) if gradient else None
        degrees = [int(p.total_degree()) for p in phi] if gradient else \
            [int(c.total_degree()) for f in fields for c in f.values()]
        field_degree = max(degrees + [0])
        self.K = degree + field_degree + 1
        self.base, self.tags = _tag_digits(len(phi if gradient else fields), self.K, D)
        if gradient:
            levels = self._levels(phi)
            Phi = levels[-1][0] if levels[-1] else zero
            Y = [Phi.derivative(v) for v in range(D)]
            for j in range(self.tags):   # on a tag variable, minus the derivative of the tags
                Y[j] = Y[j] - self._levels(levels[j], j)[-1][0]
        else:
            gens = ctx.gens()
            digit_powers = [[gens[j] ** (self.K * d) for d in range(self.base)] for j in range(self.tags)]
            parts: list[list] = [[] for _ in range(D)]
            for i, f in enumerate(fields):
                tag = ctx.constant(1)
                for j in range(self.tags):
                    tag = tag * digit_powers[j][i // self.base ** j % self.base]
                for v, component in f.items():
                    parts[v].append(tag * component)
            Y = [_sum(part, zero) for part in parts]
        self._Y = Y

    def _levels(self, polys: list, differentiate: int | None = None) -> list[list]:
        """sum_i tag_i polys[i], tag_i = prod_j t_j^(K d_j) for the digits d_j of i in base ``base``, nested: level j
        sums groups of ``base`` consecutive items of level j - 1 (level 0: ``polys``). Returns every level. With
        ``differentiate = j``, ``polys`` is level j and the tags are differentiated in t_j (sum_i (d tag_i / d t_j)
        phi_i from Phi's level j: the lower levels do not involve t_j)."""
        gens, zero = self.system.ctx.gens(), self.system.ctx.constant(0)
        start = 0 if differentiate is None else differentiate
        levels = [list(polys)]
        for j in range(start, self.tags):
            if j == differentiate:
                powers = [self.K * d * gens[j] ** (self.K * d - 1) if d else zero for d in range(self.base)]
            else:
                powers = [gens[j] ** (self.K * d) for d in range(self.base)]
            items = levels[-1]
            levels.append([_sum([powers[d] * q for d, q in enumerate(items[g:g + self.base])], zero)
                           for g in range(0, len(items), self.base)])
        return levels

    def refutes(self, h: flint.fmpq_mpoly) -> bool:
        """True if <grad h(theta), w(theta)> is not zero mod p at the random point: then h is not conserved. (False
        says nothing; :meth:`prove` decides.)"""
        return self._refuter.refutes(h)

    def prove(self, h: flint.fmpq_mpoly) -> bool:
        """True iff h is conserved (exact, over Q): every generator's pairing with grad h is zero."""
        if self.refutes(h):
            return False
        degrees = h.degrees()
        Y = self.Y
        if any(int(e) > self.degree for e in degrees[:self.tags]):
            return self.system.prove(h)
        total = self.system.ctx.constant(0)
        for v, e in enumerate(degrees):
            if e:
                total += h.derivative(v) * Y[v]
        return total.is_zero()


class _Refuter:
    """<grad h(theta), w> mod p for polynomials h of total degree at most ``degree``: the coefficient of s in
    h(theta + s w), interpolated from its values at s = 0, ..., degree (exact rationals, then mod p)."""

    def __init__(self, system: PolynomialSystem, degree: int, seed: int):
        p = self.p = PRIMES[0]        # the sampler's prime (its evaluator is built), at another random point
        rng = generator(seed, p, 13)
        D = system.D
        theta = rng.integers(1, p, size=(1, D), dtype=np.int64)
        alpha = rng.integers(0, p, size=(1, system.N), dtype=np.int64)
        w = system.evaluator(p).field(alpha, theta[None])[0, 0]
        self.degree = degree
        self.points = [[flint.fmpq(int(x)) for x in ((theta[0] + s * w) % p).tolist()] for s in range(degree + 1)]
        # the coefficient of s^1 of a polynomial of degree <= degree from its values at 0..degree (row 1 of V^-1)
        V = flint.fmpq_mat([[flint.fmpq(s) ** k for k in range(degree + 1)] for s in range(degree + 1)])
        inverse = V.inv()
        self.weights = [fmpq_mod(inverse[1, s], p) for s in range(degree + 1)] if degree >= 1 else []

    def refutes(self, h: flint.fmpq_mpoly) -> bool:
        if h.is_constant() or int(h.total_degree()) > self.degree:
            return False
        try:
            value = sum(c * fmpq_mod(h(*point), self.p) for c, point in zip(self.weights, self.points)) % self.p
        except ZeroDivisionError:   # a coefficient with no value mod p
            return False
        return value != 0


def _is_gradient_model(system) -> bool:
    """True if the system's generators are the gradients of its phi (a model, as :meth:`Model.generator_fields`)."""
    return isinstance(system, Model) and type(system).generator_fields is Model.generator_fields


def _tag_digits(count: int, K: int, D: int) -> tuple[int, int]:
    """``(base, digits)`` for tagging ``count`` generators by digits on the first parameters: base * K stays below
    2^8 where it can (python-flint then packs 8 exponent bits per variable), with as many digits as needed, at most D.

    >>> _tag_digits(17496, 7, 261), _tag_digits(5, 7, 261), _tag_digits(100, 7, 1)
    ((36, 3), (36, 1), (100, 1))
    """
    if count <= 1 or D == 0:
        return 1, 0
    base = max(2, 255 // K)
    digits = 1
    while base ** digits < count:
        digits += 1
    if digits > D:
        digits = D
        base = math.ceil(count ** (1 / D))
        while base ** D < count:
            base += 1
    return base, digits


def _sum(polys: list, zero):
    """The sum of polynomials, pairwise (each term is copied about log(len) times, not len times)."""
    while len(polys) > 1:
        polys = [polys[k] + polys[k + 1] if k + 1 < len(polys) else polys[k] for k in range(0, len(polys), 2)]
    return polys[0] if polys else zero


def prove_law(system: PolynomialSystem, h: flint.fmpq_mpoly) -> bool:
    """True iff h is conserved (exact polynomial identities over Q)."""
    return system.prove(h)


def _functional_rank(model, polys: list, seed: int) -> int:
    if not polys:
        return 0
    p = PRIME
    rng = generator(seed, 99)
    point = [flint.fmpq(int(v)) for v in rng.integers(1, 1000, size=model.D)]
    rows = []
    for h in polys:
        row = [0] * model.D
        for v, e in enumerate(h.degrees()):
            if e:   # d h / d theta_v is not zero
                row[v] = fmpq_mod(h.derivative(v)(*point), p)
        rows.append(row)
    return rank_mod(np.array(rows, dtype=np.int64), p)


def recognise_matrix_form(model, polys: list, pairing: GeneratorPairing | None = None) -> list[dict]:
    """Recognise degree-2 laws of a layered network as entries of balance matrices.

    For hidden layer l: M_l = U^(l) U^(l)^T (+ B^(l) B^(l)^T) - U^(l+1)^T U^(l+1); for two
    layers, U U^T (+ b b^T) - V V^T (:mod:`laws.matrix_form`). Returns one entry
    per hidden layer whose conserved entries span exactly their share of the laws. Without ``pairing`` each entry
    is proved by ``model.prove``; with it (the search's :class:`GeneratorPairing`, ``polys`` its proved laws) an
    entry is refuted at its random point, or conserved as a member of the span of ``polys`` (the entries of a
    layer are tested together), or else proved: the same answers.
    """
    if not polys:
        return []
    found = []
    used_rows = []
    law_rows = [coefficients(h) for h in polys]
    law_rank = coefficient_rank(law_rows)
    for info in balance_matrices(model, expressions=False):
        if pairing is None:
            conserved = [(ij, e) for ij, e in info["entries"] if model.prove(e)]
            rows = [coefficients(e) for _, e in conserved]
        else:
            conserved = [(ij, e) for ij, e in info["entries"] if not pairing.refutes(e)]
            rows = [coefficients(e) for _, e in conserved]
            if coefficient_rank(law_rows + rows) != law_rank:
                kept = [k for k, (_, e) in enumerate(conserved) if pairing.prove(e)]
                conserved, rows = [conserved[k] for k in kept], [rows[k] for k in kept]
        if not conserved:
            continue
        diag_only = all(i == j for (i, j), _ in conserved)
        all_entries = len(conserved) == len(info["entries"])
        which = "all entries" if all_entries else ("the diagonal entries" if diag_only else f"{len(conserved)} entries")
        used_rows.extend(rows)
        found.append({"layer": info["layer"], "which": which, "matrix": balance_expression(model, info["layer"]),
                      "text": f"{which} of {info['text']}", "count": len(conserved),
                      "entries": [e for _, e in conserved]})
    if found and coefficient_rank(used_rows) == law_rank == coefficient_rank(used_rows + law_rows):
        return found
    return []
