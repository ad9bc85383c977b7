"""The Lie-closure engine: trace dimension K of Lie(W), hence D - K conservation laws.

Marcotte, Gribonval, Peyré ("Abide by the law and follow the flow", NeurIPS
2023): h is conserved iff grad h is orthogonal to Lie(W), W = span{grad phi_i};
where dim Lie(W)(theta) = K is locally constant there are exactly D - K
functionally independent laws (Frobenius).

How K is computed, exactly and fast:

* brackets are built level by level (right-normed brackets suffice, by Jacobi)
  and only their *values* at a random integer point theta are needed; they
  are computed mod p by evaluating the generator fields on jets
  (:mod:`laws.engine.jets`), never by expanding symbolic brackets; for linear
  networks, generators and brackets of two are formed structure-aware (the
  layer products at theta shared by the batch:
  :meth:`~laws.engine.evaluators.ChainGradient.brackets`);
* the values are added to an echelon basis mod p on float64 BLAS
  (:class:`~algebra.exact.modular.EchelonBasis`, exact: limbs of balanced
  residues, :mod:`algebra.exact.blocked_elimination`), and a bracket is kept
  only when it raises the rank;
* mode ``"basis"`` tries named generator brackets ([chi_a, G] for generators
  chi_a kept at level 1 and fields G kept at the previous level; the kept
  ones form a local frame, so the others add nothing) and records the kept
  brackets as a derivation tree (:class:`~laws.bracket_tree.BracketTree`). Mode ``"random"`` evaluates
  brackets of random elements of W: the span of the values of a multilinear
  map is reached by random samples, and one sample that raises nothing
  certifies (with probability >= 1 - level/p, Schwartz-Zippel) that the level
  is complete; a level whose gain reaches what its brackets can span at most
  (N generators, N^(k-2) N (N-1)/2 brackets of length k, or D) is complete
  with no witness. Mode ``"auto"`` picks basis for small models;
* a level that raises nothing closes the distribution: if brackets of length
  k + 1 lie in the span of those of length <= k on an open set, so do all
  longer ones;
* everything is repeated at a second independent point, and a disagreement
  raises an error.

The rank found is an exact lower bound for the generic rank (a nonzero minor
mod p at an integer point is a nonzero integer minor). The closure test is
probabilistic with the failure bound above; the prime, seeds and points are
recorded in a :class:`Certificate` that :func:`replay` re-runs.

:func:`count_laws` is a generic function of the system: this module implements it for every
:class:`~laws.system.PolynomialSystem` (result: a :class:`LieLawCount`); a system of another kind
registers its own count (the sign-gradient flow: :mod:`laws.flows.sign`). Every count is a
:class:`LawCount`.

>>> from laws.models.model import relu
>>> result = count_laws(relu([2, 3, 2]))
>>> result.D, result.trace_dim, result.laws, isinstance(result, LawCount)
(12, 9, 3, True)
"""
from __future__ import annotations

import abc
import functools
import sys
import time
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from algebra.lazy import lazy_module
from algebra.present import Derivation, Result, cite, inline
from algebra.errors import FlowAlgebraError
from algebra.exact.blocked_elimination import to_balanced
from algebra.exact.modular import COUNT_PRIME, EchelonBasis
from algebra.exact.random import generator
from laws.bracket_tree import BracketTree
from laws.engine import jets
from laws.limits import MAX_COUNT_WORK
from laws.naming import describe, is_gradient_flow, notation
from laws.system import GeneratorSystem, PolynomialSystem

__all__ = ["count_laws", "replay", "LawCount", "LieLawCount", "Certificate", "Level", "PointRun", "InconsistentRank",
           "MODES", "check_mode", "random_point", "evaluate_brackets", "word_label", "word_latex", "MAX_LEVELS",
           "BASIS_MODE_LIMIT", "BASIS_MODE_MAX", "count_work", "check_count_cost", "check_points", "MAX_COUNT_WORK",
           "PROGRESS_WORK", "MAX_POINTS", "EVALUATION_WEIGHT", "BASIS_WEIGHT"]

sp = lazy_module("sympy")  # for derivations: a count does not import sympy

#: give up (and say so) after this many levels
MAX_LEVELS = 12
#: "auto" uses named brackets when there are at most this many generators and parameters
BASIS_MODE_LIMIT = 64
#: mode "basis" is refused beyond this many generators or parameters (its candidate brackets grow as D^2 and N D)
BASIS_MODE_MAX = 2_000
#: the ways of choosing brackets
MODES = ("auto", "basis", "random")
#: a count asked for progress shows a bar on stderr above this estimated work (about five seconds)
PROGRESS_WORK = 10**9
#: one entry of a bracket evaluated on jets or sparse fields costs about this many frame operations (measured:
#: relu:30,30,30 and the momentum flow of linear:40,40,40, 2e7 entries a second against 1.5e8 frame operations)
EVALUATION_WEIGHT = 8
#: mode "basis" (named brackets, each reduced alone) runs at about a tenth of the frame's rate (measured: relu:8,8,8)
BASIS_WEIGHT = 10
#: a count is repeated at 1 to this many random points
MAX_POINTS = 8


class InconsistentRank(FlowAlgebraError):
    """The trace dimension differed at two random points (a non-generic point was hit)."""


@dataclass(frozen=True)
class Certificate:
    """What replays a count: the prime, the seed, the mode and the random points."""

    prime: int
    seed: int
    mode: str
    points: tuple[tuple[int, ...], ...]

    def to_json(self) -> dict:
        return {"prime": self.prime, "seed": self.seed, "mode": self.mode, "points": [list(p) for p in self.points]}


@dataclass(frozen=True)
class Level:
    """One bracket level: how many brackets were tried and kept, and the rank after it."""

    level: int
    tried: int
    kept: int
    rank: int


class LawCount(Result):
    """What every count of conservation laws gives (abstract: :class:`LieLawCount`, and one per other kind of system).

    Subclasses have the fields (or properties) ``model`` (the system's name), ``D`` (state dimension),
    ``trace_dim`` (dimension K of the span the laws' gradients must be orthogonal to) and ``closed``
    (True when K is exact, not only a lower bound), and define :attr:`ranks`.
    """

    model: str
    D: int
    trace_dim: int
    closed: bool

    @property
    def laws(self) -> int:
        """Number of functionally independent conservation laws, D - K."""
        return self.D - self.trace_dim

    @property
    @abc.abstractmethod
    def ranks(self) -> tuple[int, ...]:
        """The rank after each bracket level (empty for a count that does not go by levels)."""


@dataclass(repr=False)
class LieLawCount(LawCount):
    """Result of :func:`count_laws` for a polynomial system: the Lie closure level by level."""

    model: str
    description: str
    D: int
    N: int
    trace_dim: int
    levels: list[Level]
    closed: bool
    mode: str
    certificate: Certificate
    tree: BracketTree = field(repr=False)
    seconds: float = 0.0
    #: the "Notation." paragraph of the derivation (:func:`laws.naming.notation`)
    notation: str = ""
    #: True for a model's gradient flow (its generators are the gradients of phi), False for another flow
    gradient_flow: bool = True

    @property
    def ranks(self) -> tuple[int, ...]:
        return tuple(lv.rank for lv in self.levels)

    def to_json(self) -> dict:
        return {
            "model": self.model,
            "D": self.D,
            "generators": self.N,
            "trace_dim": self.trace_dim,
            "laws": self.laws,
            "closed": self.closed,
            "levels": [lv.__dict__ for lv in self.levels],
            "mode": self.mode,
            "kept_brackets": [self.tree.nodes[n]["label"] for n in self.tree.nodes if self.tree.nodes[n].get("kind") == "bracket"],
            "certificate": self.certificate.to_json(),
            "seconds": round(self.seconds, 3),
        }

    def summary(self) -> str:
        ranks = " -> ".join(str(r) for r in self.ranks)
        status = "closed" if self.closed else f"NOT closed after {len(self.levels)} levels (K is a lower bound)"
        return (f"{self.model}: D = {self.D}, trace dimension K = {self.trace_dim}, "
                f"{self.laws} independent conservation law(s); ranks by level {ranks}; {status}; "
                f"mod p = {self.certificate.prime}, seed {self.certificate.seed}, {self.seconds:.2f} s")

    def derivation(self) -> Derivation:
        D, K = sp.Symbol("D"), sp.Symbol("K")
        d = Derivation(f"Conservation laws of {self.description}", notation=self.notation)
        if self.gradient_flow:
            sizes = (f"The model has {inline(sp.Eq(D, self.D))} parameters and {inline(sp.Eq(sp.Symbol('N'), self.N))} "
                     "components of $\\phi$")
        else:
            sizes = (f"The flow's state has {inline(sp.Eq(D, self.D))} coordinates and {inline(sp.Eq(sp.Symbol('N'), self.N))} "
                     "generator fields")
        d.add(f"{sizes}; a function $h$ is conserved iff $\\nabla h$ is orthogonal to the Lie algebra "
              f"$\\mathrm{{Lie}}(W)$ generated by the fields $\\chi_i$ {cite('marcotte2023')}.")
        d.add("Level by level, $L_{\\leq k}$ is the span at a random point of the generators and of their brackets "
              "of length at most $k$; a bracket is kept when it raises the rank.")
        for lv in self.levels:
            what = "generators" if lv.level == 1 else f"brackets of length {lv.level}"
            d.add(f"Level {lv.level}: {lv.tried} {what} evaluated at a random point, "
                  f"{lv.kept} raise the rank.",
                  sp.Eq(sp.Function("rank")(sp.Symbol(f"L_{{\\leq {lv.level}}}")), lv.rank))
        kept = [n for n in self.tree.nodes if self.tree.nodes[n].get("kind") == "bracket" and len(n) > 1]
        if kept and len(kept) <= 30:
            d.add("Brackets kept (they complete the frame of the distribution):",
                  [sp.Symbol(self.tree.nodes[n]["latex"]) for n in kept])
        if self.closed:
            d.add("The last level raises nothing, so the distribution is closed under brackets: its rank is the "
                  "dimension $K$ of $\\mathrm{Lie}(W)$.", sp.Eq(K, self.trace_dim))
        else:
            d.add(f"No closure within {len(self.levels)} levels: $K$ is only a lower bound.", sp.Ge(K, self.trace_dim))
        d.add("By Frobenius' theorem the number of functionally independent conservation laws is",
              sp.Eq(D - K, self.laws), cite("marcotte2023"))
        d.conclusion = (f"Ranks are exact modulo the prime $p$ at integer points (seed {self.certificate.seed}), "
                        f"hence exact lower bounds; closure was confirmed at two independent points.")
        return d


@dataclass(frozen=True)
class PointRun:
    """The closure at one random point: the rank reached, the levels, whether it closed, the bracket tree, the point."""

    rank: int
    levels: list[Level]
    closed: bool
    tree: BracketTree
    point: np.ndarray


def check_mode(mode: str) -> str:
    """``mode`` if it is one of :data:`MODES`, else a clear error."""
    if not isinstance(mode, str) or mode not in MODES:
        raise FlowAlgebraError(f"unknown mode {mode!r} ({', '.join(MODES)})")
    return mode


def count_work(system: GeneratorSystem, mode: str = "random") -> int:
    """The estimated work of a count, before it starts, in units of one modular multiply-add of the echelon
    frame on BLAS (about 2e8 a second on 2 cores, measured by ``benchmarks/laws_bench.py --growth``): the
    frame costs about D^3 / 150; up to D brackets per point, each an evaluation of the fields of the system's
    size (``evaluation_entries``: phi's terms x degree, by formula for layered networks), weigh
    :data:`EVALUATION_WEIGHT` each (jets and sparse fields, about 2e7 entries a second), except for the
    gradient flow of a linear network, whose brackets are formed structure-aware by
    :meth:`~laws.engine.evaluators.ChainGradient.brackets` (a quarter of an entry each). Mode ``"basis"``
    tries every named bracket instead: N generators, then up to m^2/2 and m D brackets (m = min(N, D)), each
    also reduced against the frame (D^2/50), all at :data:`BASIS_WEIGHT`.

    >>> from laws.models.model import linear, relu
    >>> count_work(relu([2, 3, 2])), count_work(relu([2, 3, 2]), "basis")       # D = 12, 12 paths of length 2
    (2315, 59620)
    >>> count_work(linear([100] * 3)) < 65 * 10**9 < count_work(linear([141, 141]))    # D = 20,000 and 19,881
    True
    """
    D, E = system.D, system.model.evaluation_entries
    if mode == "basis":
        m = min(system.N, D)
        return BASIS_WEIGHT * ((system.N + m * m // 2 + m * D) * (E + D * D // 50) + D**3 // 50)
    structure = getattr(system, "structure", None)
    if system is system.model and structure is not None and structure.kind == "linear":
        return D * (E // 4) + D**3 // 150
    return EVALUATION_WEIGHT * D * E + D**3 // 150


def check_count_cost(system: GeneratorSystem, mode: str = "auto") -> int:
    """Refuse (one line naming the estimate and the limit) a count whose :func:`count_work` exceeds
    :data:`MAX_COUNT_WORK`; return the estimate."""
    mode = _resolve_mode(system, check_mode(mode))
    work = count_work(system, mode)
    if work > MAX_COUNT_WORK:
        how = ("every named bracket (mode basis; --mode random needs fewer)" if mode == "basis" else
               f"D = {system.D:,} brackets of {system.model.evaluation_entries:,} entries each, plus D^3/150 for "
               "the frame")
        raise FlowAlgebraError(f"{system.name}: counting would take about {work:.1e} operations ({how}; limit "
                               f"MAX_COUNT_WORK = {MAX_COUNT_WORK:.1e}): use a smaller model")
    return work


def _resolve_mode(system: GeneratorSystem, mode: str) -> str:
    """``"auto"``: named brackets for small systems, random ones otherwise."""
    if mode == "auto":
        return "basis" if (system.N <= BASIS_MODE_LIMIT and system.D <= BASIS_MODE_LIMIT) else "random"
    return mode


class _Progress:
    """The rank reached so far, as a tqdm bar on stderr (or nothing)."""

    def __init__(self, total: int, label: str, enabled: bool):
        self.bar = None
        if enabled:
            from tqdm import tqdm  # not a project module: loaded when a bar is needed
            self.bar = tqdm(total=total, desc=label, unit="rank", file=sys.stderr, leave=False)
        self.done = 0

    def update(self, reached: int) -> None:
        if self.bar is not None and reached > self.done:
            self.bar.update(reached - self.done)
            self.done = reached

    def next_point(self) -> None:
        self.done = 0
        if self.bar is not None:
            self.bar.reset()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


@functools.singledispatch
def count_laws(system: GeneratorSystem, seed: int = 0, prime: int = COUNT_PRIME, mode: str = "auto",
               points: int = 2, progress: bool = False) -> LawCount:
    """Count the conservation laws of a system (a model, or a model under a flow; see the module docstring).

    The count is repeated at ``points`` random points drawn from ``seed``; ``mode`` chooses the brackets
    (``"basis"``, ``"random"`` or ``"auto"``). Its cost is estimated first (:func:`check_count_cost`); with
    ``progress``, a long count shows a bar on stderr.
    """
    raise TypeError(f"count_laws needs a generator system (a model or flow_system(model, flow)), "
                    f"got {type(system).__name__}")


def check_points(points: int) -> int:
    """``points`` if it is an integer from 1 to :data:`MAX_POINTS`, else a clear error."""
    if isinstance(points, bool) or not isinstance(points, (int, np.integer)) or not 1 <= points <= MAX_POINTS:
        raise FlowAlgebraError(f"points must be an integer from 1 to {MAX_POINTS}, got {points!r}")
    return int(points)


@count_laws.register(PolynomialSystem)
def _count_polynomial_system(model: PolynomialSystem, seed: int = 0, prime: int = COUNT_PRIME, mode: str = "auto",
                             points: int = 2, progress: bool = False) -> LieLawCount:
    mode = _resolve_mode(model, check_mode(mode))
    points = check_points(points)
    if mode == "basis" and max(model.N, model.D) > BASIS_MODE_MAX:
        raise FlowAlgebraError(f"{model.name}: mode basis tries every named bracket (N = {model.N:,} generators, "
                               f"D = {model.D:,}; limit BASIS_MODE_MAX = {BASIS_MODE_MAX:,}): use --mode random")
    work = check_count_cost(model, mode)
    start = time.perf_counter()
    bar = _Progress(model.D, f"count {model.name}"[:40], progress and work > PROGRESS_WORK)
    try:
        runs = [_trace_dimension(model, seed, 0, prime, mode, bar=bar)]
        for k in range(1, points):  # later points check the rank profile of the first, in one batch per level
            bar.next_point()
            runs.append(_trace_dimension(model, seed, k, prime, mode, expected=runs[0].levels, bar=bar))
    finally:
        bar.close()
    first = runs[0]
    for other in runs[1:]:
        if other.rank != first.rank or other.closed != first.closed:
            raise InconsistentRank(
                f"trace dimension differs between two random points ({first.rank} vs {other.rank}); "
                f"a non-generic point was hit: rerun with another --seed")
    cert = Certificate(prime, seed, mode, tuple(tuple(int(v) for v in run.point) for run in runs))
    return LieLawCount(model.name, describe(model), model.D, model.N, first.rank, first.levels, first.closed, mode,
                       cert, first.tree, time.perf_counter() - start, notation(model, prime),
                       is_gradient_flow(model))


def replay(model: PolynomialSystem, certificate: Certificate) -> LieLawCount:
    """Recompute a count from its certificate and check the points are the recorded ones."""
    result = count_laws(model, seed=certificate.seed, prime=certificate.prime, mode=certificate.mode,
                        points=len(certificate.points))
    if result.certificate.points != certificate.points:
        raise FlowAlgebraError("certificate points do not match this model and seed")
    return result


def random_point(D: int, seed: int, index: int, prime: int) -> np.ndarray:
    """The index-th random point for a seed: integers in [1, p)."""
    rng = generator(seed, index, D)
    return rng.integers(1, prime, size=D, dtype=np.int64)


def evaluate_brackets(evaluator, alphas: Sequence[np.ndarray], theta: np.ndarray, balanced: bool = False) -> np.ndarray:
    """Values at theta of the right-normed brackets [X_1, [X_2, ... [X_{k-1}, X_k]]].

    ``alphas[j]`` has shape (B, N): X_j = grad psi_{alphas[j]}. Returns (B, D) mod p (int64 in [0, p); with
    ``balanced``, float64 balanced residues, which the echelon basis takes without converting). An evaluator
    with a ``brackets`` method (layered linear networks: :meth:`~laws.engine.evaluators.ChainGradient.brackets`)
    gives short brackets at one point itself; the others go by jets.
    """
    direct = getattr(evaluator, "brackets", None)
    if direct is not None:
        values = direct(list(alphas), theta, balanced=balanced)
        if values is not None:
            return values
    batch = alphas[0].shape[0]
    x = jets.constant(np.broadcast_to(theta, (batch, theta.shape[-1])), 0)
    values = _bracket_value(evaluator, list(alphas), x)[0]
    return to_balanced(values, evaluator.p) if balanced else values


def _bracket_value(ev, alphas: list[np.ndarray], x: np.ndarray) -> np.ndarray:
    p = ev.p
    if len(alphas) == 1:
        return ev.field(alphas[0], x)
    outer, rest = alphas[0], alphas[1:]
    X_at_x = ev.field(outer, x)
    Z_lifted = _bracket_value(ev, rest, jets.lift(x, X_at_x))      # Z(x + e X(x))
    Z_at_x, DZ_X = jets.real_part(Z_lifted), jets.newest_derivative(Z_lifted)
    DX_Z = jets.newest_derivative(ev.field(outer, jets.lift(x, Z_at_x)))
    return (DZ_X - DX_Z) % p


def _trace_dimension(model, seed: int, index: int, prime: int, mode: str,
                     expected: list[Level] | None = None, bar: _Progress | None = None) -> PointRun:
    ev = model.evaluator(prime)
    theta = random_point(model.D, seed, index, prime)
    basis = EchelonBasis(model.D, prime)
    tree = BracketTree()
    bar = bar or _Progress(0, "", False)
    if mode == "basis":
        levels, closed = _basis_closure(ev, model, theta, basis, tree, bar)
    else:
        levels, closed = _random_closure(ev, model, theta, basis, tree, generator(seed, index, 7), expected, bar)
    return PointRun(basis.rank, levels, closed, tree, theta)


def _basis_closure(ev, model, theta, basis, tree, bar):
    N, D = model.N, model.D
    levels: list[Level] = []
    frame: list[int] = []
    new: list[tuple[int, ...]] = []
    for level in range(1, MAX_LEVELS + 1):
        if level == 1:
            candidates = [(i,) for i in range(N)]
        elif level == 2:
            candidates = [(a, b) for i, a in enumerate(frame) for b in frame[i + 1:]]
        else:
            candidates = [(a,) + g for a in frame for g in new]
        kept = []
        limit = _batch_size(ev, level)
        for s in range(0, len(candidates), limit):
            chunk = candidates[s:s + limit]
            alphas = [_one_hot([w[j] for w in chunk], N) for j in range(level)]
            values = evaluate_brackets(ev, alphas, theta, balanced=True)
            for word, raised in zip(chunk, basis.add(values, balanced=True)):
                if raised:
                    kept.append(word)
                    _record(tree, word, basis.rank)
            bar.update(basis.rank)
            if basis.rank == D:
                break
        levels.append(Level(level, len(candidates), len(kept), basis.rank))
        if level == 1:
            frame = [w[0] for w in kept]
        new = kept
        if not kept or basis.rank == D:
            return levels, True
    return levels, False


def _random_closure(ev, model, theta, basis, tree, rng, expected: list[Level] | None = None, bar=None):
    """Random brackets level by level. With ``expected`` (the levels found at another point) each level
    starts with one batch of the expected rank gain plus one witness sample; otherwise with 8 samples.
    Batches double while every sample raises the rank, so the result never depends on the guess. A level
    whose gain reaches what its brackets can span at most (:func:`_level_bound`, or D) is complete without
    a witness, so no batch goes beyond it."""
    N, D, p = model.N, model.D, ev.p
    levels: list[Level] = []
    previous = None
    for level in range(1, MAX_LEVELS + 1):
        tried = kept = 0
        batch = expected[level - 1].kept + 1 if expected and level <= len(expected) else 8
        bound = _level_bound(N, level)
        while True:
            room = min(D - basis.rank, bound - kept)
            if room <= 0:
                break
            batch = max(1, min(batch, room))
            chunk = _batch_size(ev, level)
            values = np.concatenate([
                evaluate_brackets(ev, [rng.integers(0, p, size=(min(chunk, batch - s), N), dtype=np.int64)
                                       for _ in range(level)], theta, balanced=True)
                for s in range(0, batch, chunk)])
            raised = basis.add(values, balanced=True)
            if bar is not None:
                bar.update(basis.rank)
            tried += batch
            kept += sum(raised)
            if not all(raised) or basis.rank == D:
                break
            batch *= 2
        node = ("level", level)
        tree.add_node(node, kind="level", label=f"level {level}: {kept} of {tried} random brackets raise the rank",
                      latex=f"L_{{{level}}}", rank=basis.rank)
        if previous is not None:
            tree.add_edge(previous, node)
        previous = node
        levels.append(Level(level, tried, kept, basis.rank))
        if kept == 0 or basis.rank == D:
            return levels, True
    return levels, False


def _level_bound(N: int, level: int) -> int:
    """The most dimensions the values of length-``level`` brackets of N fields can span: N generators, then
    N^(level - 2) N (N - 1) / 2 right-normed brackets (the innermost one is antisymmetric).

    >>> _level_bound(4, 1), _level_bound(4, 2), _level_bound(4, 3)
    (4, 6, 24)
    """
    return N if level == 1 else N ** (level - 2) * (N * (N - 1) // 2)


def _one_hot(indices: list[int], N: int) -> np.ndarray:
    """Rows e_i of the identity of size N (without building the N x N identity)."""
    out = np.zeros((len(indices), N), dtype=np.int64)
    out[np.arange(len(indices)), indices] = 1
    return out


def _batch_size(ev, level: int) -> int:
    return max(1, min(512, ev.batch_limit(level - 1)))


def _record(tree: BracketTree, word: tuple[int, ...], rank: int) -> None:
    """Add a kept bracket word to the derivation tree, with edges from its operands."""
    tree.add_node(word, kind="bracket", label=word_label(word), latex=word_latex(word), rank=rank)
    if len(word) > 1:
        for operand in ((word[0],), word[1:]):
            if operand not in tree:
                tree.add_node(operand, kind="operand", label=word_label(operand), latex=word_latex(operand))
            tree.add_edge(operand, word)


def word_label(word: tuple[int, ...]) -> str:
    """``(0, 1, 2)`` -> ``[chi1, [chi2, chi3]]`` (generators numbered from 1)."""
    if len(word) == 1:
        return f"chi{word[0] + 1}"
    return f"[chi{word[0] + 1}, {word_label(word[1:])}]"


def word_latex(word: tuple[int, ...]) -> str:
    """``(0, 1, 2)`` -> ``[\\chi_{1}, [\\chi_{2}, \\chi_{3}]]``, the LaTeX of ``[chi_1, [chi_2, chi_3]]`` as
    :func:`~algebra.present.notation.lie_bracket` writes it (a string: a count does not import sympy).

    >>> word_latex((0, 1, 2))
    '[\\\\chi_{1}, [\\\\chi_{2}, \\\\chi_{3}]]'
    """
    head = f"\\chi_{{{word[0] + 1}}}"
    return head if len(word) == 1 else f"[{head}, {word_latex(word[1:])}]"
