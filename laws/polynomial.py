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
   python-flint polynomials. Only proved laws are returned.

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
import itertools
import math
import sys
import time
from dataclasses import dataclass, field

import flint
import numpy as np
import sympy as sp
from tqdm import tqdm

from algebra.present import Derivation, Result, Notation, cite, inline, inner
from algebra.errors import FlowAlgebraError
from algebra.exact.encoding import exact_json
from algebra.exact.modular import PRIME, fmpq_mod, inv_mod, nullspace_mod, rank_mod, rational_reconstruct
from algebra.exact.random import generator
from laws.matrix_form import balance_matrices, span_rank
from laws.naming import describe, is_gradient_flow, notation
from laws.system import GeneratorSystem, PolynomialSystem

__all__ = ["find_polynomial_laws", "PolynomialLaws", "prove_law", "monomial_table", "recognise_matrix_form",
           "poly_cost", "check_poly_cost", "MAX_UNKNOWNS", "ROW_MARGIN", "PRIMES", "MAX_POLY_WORK", "MAX_POLY_MEMORY",
           "ROW_BUDGET", "POLY_PROGRESS_WORK", "ENTRY_WORK", "BLOCK_WORK"]

#: refuse systems with more unknowns than this
MAX_UNKNOWNS = 400_000
#: extra sampled rows beyond the block size
ROW_MARGIN = 12
#: refuse a search whose estimated work (:func:`poly_cost`: sampling the rows, eliminating each block) exceeds this
#: (about two minutes on one core)
MAX_POLY_WORK = 4 * 10**10
#: a search asked for progress shows a bar on stderr above this estimated work (about ten seconds)
POLY_PROGRESS_WORK = 2 * 10**9
#: estimated work per sampled entry (converting it for the elimination), and per block
ENTRY_WORK = 200
BLOCK_WORK = 20_000
#: refuse a search whose estimated peak memory for the sampled rows exceeds this many bytes
MAX_POLY_MEMORY = 1_500_000_000
#: sampled rows are computed for at most about this many matrix entries at a time
ROW_BUDGET = 4_000_000
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
        field = Notation(r"\nabla \phi_i") if self.gradient_flow else sp.Symbol("chi_i")
        d.add("A polynomial $h$ is conserved iff its gradient is orthogonal to every generator:",
              sp.Eq(inner(Notation(r"\nabla h"), field), 0), cite("marcotte2023" if self.gradient_flow else "marcotte2024"))
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
    rows = []
    for k in degrees:
        for combo in itertools.combinations_with_replacement(range(D), k):
            rows.append(combo + (D,) * (degree - k))
    return np.array(rows, dtype=np.int64).reshape(len(rows), degree)


@functools.singledispatch
def find_polynomial_laws(system: GeneratorSystem, degree: int = 2, homogeneous: bool = True, seed: int = 0,
                         expected_laws: int | None = None, progress: bool = False) -> PolynomialLaws:
    """All polynomial laws of the given degree (homogeneous, or all degrees 1..k), proved exactly; ``expected_laws``
    (the count, if known) says whether they are all of them. The cost is estimated first
    (:func:`check_poly_cost`); with ``progress``, a long search shows a bar on stderr."""
    raise TypeError(f"find_polynomial_laws needs a generator system (a model or flow_system(model, flow)), "
                    f"got {type(system).__name__}")


def poly_cost(model: PolynomialSystem, degree: int, table: np.ndarray, blocks: list[np.ndarray]) -> tuple[int, int]:
    """``(work, bytes)``: the estimated work of a search (per block of b unknowns: its (b + ROW_MARGIN) x b sampled
    rows at ``degree + ENTRY_WORK`` operations per entry, their elimination, (b + ROW_MARGIN) x b^2 / 4, and
    ``BLOCK_WORK``) and the peak memory of the sampled rows (a chunk of the rows, the random elements of W and the
    points)."""
    samples = max(len(b) for b in blocks) + ROW_MARGIN
    work = sum((len(b) + ROW_MARGIN) * len(b) * (degree + ENTRY_WORK + len(b) // 4) + BLOCK_WORK for b in blocks)
    chunk = max(samples * (samples - ROW_MARGIN), ROW_BUDGET)
    memory = 5 * 8 * chunk + 8 * samples * (model.N + 3 * model.D)
    return work, memory


def check_poly_cost(model: PolynomialSystem, degree: int, table: np.ndarray, blocks: list[np.ndarray]) -> int:
    """Refuse (one line naming the estimate and the limit) a search beyond :data:`MAX_POLY_WORK` or
    :data:`MAX_POLY_MEMORY`; return the estimated work."""
    work, memory = poly_cost(model, degree, table, blocks)
    largest = max(len(b) for b in blocks)
    what = f"{len(table):,} unknowns in {len(blocks):,} blocks, the largest of {largest:,}"
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
    blocks = _blocks(table, model.sign_symmetries(), D)
    work = check_poly_cost(model, degree, table, blocks)
    largest = max(len(b) for b in blocks)
    samples = largest + ROW_MARGIN
    primes_used = [PRIMES[0]]
    kernels = {}
    bar = tqdm(total=len(table), desc=f"poly {model.name}"[:40], unit="unknown", file=sys.stderr, leave=False,
               disable=not (progress and work > POLY_PROGRESS_WORK))
    try:
        for p in PRIMES:
            todo = [bi for bi in range(len(blocks)) if bi not in kernels or kernels[bi][0] != "done"]
            todo.sort(key=lambda bi: len(blocks[bi]))   # blocks of like sizes share a chunk of rows
            sampler = _RowSampler(model, samples, seed, p)
            bar.reset(total=sum(len(blocks[bi]) for bi in todo))
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
            pending = False
            for bi, block in enumerate(blocks):
                state, data = kernels[bi]
                if state == "done":
                    continue
                lifted = _lift(data)
                if lifted is not None and all(model.prove(_law_poly(model, table[block], vec)) for vec in lifted):
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
    polys = []
    for bi, block in enumerate(blocks):
        for vec in kernels[bi][1]:
            polys.append(_law_poly(model, table[block], vec))
    polys.sort(key=lambda h: str(h))
    independent = _functional_rank(model, polys, seed)
    form = recognise_matrix_form(model, polys) if model.structure is not None and degree == 2 else []
    if form:  # same span, nicer basis: the conserved entries of the balance matrices
        polys = [e for mf in form for e in mf.pop("entries")]
    laws = [model.to_sympy(h) for h in polys]
    return PolynomialLaws(model.name, describe(model), degree, homogeneous, len(table), len(blocks),
                          len(polys), independent, laws, form, tuple(primes_used), seed, samples,
                          time.perf_counter() - start, expected_laws, notation(model),
                          is_gradient_flow(model))


def _blocks(table: np.ndarray, symmetries: list[int], D: int) -> list[np.ndarray]:
    """Group monomials by their character under the sign flips."""
    if not symmetries:
        return [np.arange(len(table))]
    # column bit v of the character: which symmetries flip parameter v
    col = [0] * (D + 1)
    for j, s in enumerate(symmetries):
        for v in range(D):
            if (s >> v) & 1:
                col[v] |= 1 << j
    groups: dict[int, list[int]] = {}
    for i, row in enumerate(table.tolist()):
        key = 0
        for v in row:
            key ^= col[v]
        groups.setdefault(key, []).append(i)
    return [np.array(g, dtype=np.int64) for g in groups.values()]


class _RowSampler:
    """Constraint rows at random points: row r, column m = <grad m(theta_r), grad psi_r(theta_r)> mod p, for any
    set of monomial columns (so the rows of a large system are computed a chunk of columns at a time)."""

    def __init__(self, model, samples: int, seed: int, p: int):
        rng = generator(seed, p, 11)
        D = model.D
        theta = rng.integers(1, p, size=(samples, D), dtype=np.int64)
        alpha = rng.integers(0, p, size=(samples, model.N), dtype=np.int64)
        w = model.evaluator(p).field(alpha, theta[None])[0]          # (R, D)
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
        row = []
        for v in range(model.D):
            d = h.derivative(v)
            val = d(*point) if not d.is_zero() else flint.fmpq(0)
            row.append(fmpq_mod(val, p))
        rows.append(row)
    return rank_mod(np.array(rows, dtype=np.int64), p)


def recognise_matrix_form(model, polys: list) -> list[dict]:
    """Recognise degree-2 laws of a layered network as entries of balance matrices.

    For hidden layer l: M_l = U^(l) U^(l)^T (+ B^(l) B^(l)^T) - U^(l+1)^T U^(l+1); for two
    layers, U U^T (+ b b^T) - V V^T (:mod:`laws.matrix_form`). Returns one entry
    per hidden layer whose conserved entries span exactly their share of the laws.
    """
    if not polys:
        return []
    found = []
    used = []
    for info in balance_matrices(model):
        conserved = [(ij, e) for ij, e in info["entries"] if model.prove(e)]
        if not conserved:
            continue
        diag_only = all(i == j for (i, j), _ in conserved)
        all_entries = len(conserved) == len(info["entries"])
        which = "all entries" if all_entries else ("the diagonal entries" if diag_only else f"{len(conserved)} entries")
        used.extend(e for _, e in conserved)
        found.append({"layer": info["layer"], "which": which, "matrix": info["expression"],
                      "text": f"{which} of {info['text']}", "count": len(conserved),
                      "entries": [e for _, e in conserved]})
    if found and span_rank(used) == span_rank(list(polys)) == span_rank(used + list(polys)):
        return found
    return []
