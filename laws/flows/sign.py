"""The sign-gradient flow theta' = -sign(grad L), where it is well defined.

Its field is not a combination of the generators, so it is not a polynomial
system (:class:`~laws.system.PolynomialSystem`); but it is a
:class:`~laws.system.GeneratorSystem`, and its laws can still be counted exactly. For a loss of the model,
grad L(theta) = J(theta)^T c is any vector w of W(theta) = row space of the
Jacobian of phi, and the flow moves along sign(w). A function h is conserved
for every loss iff grad h is orthogonal to the span S(theta) of the sign vectors
of W(theta) (where no coordinate of w vanishes, i.e. the flow is well defined).

S(theta) is the span of the topes of the hyperplane arrangement {w_i = 0} in
W(theta): if coordinates i, j are *parallel* (columns i, j of J proportional,
w_i = r w_j for every w) then sigma_i = sign(r) sigma_j on every tope; and
crossing the hyperplane w_i = 0 at a point on no other hyperplane of the
arrangement flips exactly the class of i, so the difference of two adjacent
topes is (twice) the signed indicator of one class. Hence S(theta) is exactly
{x : x_i = sign(r_ij) x_j for parallel i ~ j}, of dimension the number of
parallel classes. Hence D - (number of classes) laws,
the linear functions theta_i - sign(r_ij) theta_j, valid on the region (the
sign pattern of the ratios) around the point; coordinates that phi does not
use (zero columns) are conserved trivially.

This module registers the sign flow's implementations of the generic engines: :func:`~laws.closure.count_laws`
counts the parallel classes (a :class:`SignLawCount`), :func:`~laws.verify.verify_law` checks a law class by
class, and :func:`~laws.polynomial.find_polynomial_laws` explains why there is nothing to solve.

>>> from laws.closure import count_laws
>>> from laws.models.architectures import softmax
>>> result = count_laws(SignFlowSystem(softmax([2, 2])))      # logits differ by a shift: column sums survive
>>> result.laws, result.law_strings
(2, ['U1_1_1 + U1_2_1', 'U1_1_2 + U1_2_2'])
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import flint
import numpy as np

from algebra.lazy import lazy_module
from algebra.present import Derivation
from algebra.errors import FlowAlgebraError
from algebra.exact.encoding import exact_json
from algebra.exact.modular import PRIME
from algebra.exact.random import generator
from laws.closure import LawCount, check_mode, check_points, count_laws
from laws.models.model import Model
from laws.polynomial import PolynomialLaws, find_polynomial_laws
from laws.system import ModelFlowSystem
from laws.verify import LawVerification, parse_law, verify_law

sp = lazy_module("sympy")

__all__ = ["SignFlowSystem", "SignLawCount", "SignLawVerification", "count_sign_laws",
           "verify_sign_law", "NOT_POLYNOMIAL", "SAMPLES"]

#: random elements of W used to detect parallel coordinates
SAMPLES = 4

#: why ``laws poly --flow sign`` has nothing to solve
NOT_POLYNOMIAL = ("the sign flow's field sign(grad L) is not polynomial: its laws are the linear ones listed by "
                  "`laws count --flow sign` (every law is a function of them); check a candidate with "
                  "`laws verify --flow sign`")


class SignFlowSystem(ModelFlowSystem):
    """A model under the sign-gradient flow: the model's coordinates, no polynomial generator fields."""

    def __init__(self, model: Model):
        super().__init__(model, "sign", "sign-gradient flow", model.params)

    @property
    def N(self) -> int:
        """The model's N: the sign flow moves along sign(w) for w in the span of its generators."""
        return self.model.N


@dataclass(repr=False)
class SignLawCount(LawCount):
    """Result of :func:`count_sign_laws` (and of :func:`~laws.closure.count_laws` on a :class:`SignFlowSystem`)."""

    model: str
    D: int
    classes: list[list[int]]
    unused: list[int]
    laws_sympy: list[sp.Expr]
    signs: dict[int, int]
    seed: int
    prime: int
    seconds: float = 0.0
    params: tuple = field(default=(), repr=False)

    @property
    def trace_dim(self) -> int:
        """dim S(theta): the number of parallel classes of used coordinates."""
        return len(self.classes)

    @property
    def closed(self) -> bool:
        """Always True: the span of the sign vectors is found exactly, without brackets."""
        return True

    @property
    def ranks(self) -> tuple[int, ...]:
        """No bracket levels: empty."""
        return ()

    @property
    def law_strings(self) -> list[str]:
        return [str(h) for h in self.laws_sympy]

    def to_json(self) -> dict:
        return {"model": self.model, "flow": "sign", "D": self.D, "trace_dim": self.trace_dim, "laws": self.laws,
                "law_list": [exact_json(h) for h in self.laws_sympy],
                "parallel_classes": [[self.params[i] for i in c] for c in self.classes if len(c) > 1],
                "unused": [self.params[i] for i in self.unused],
                "certificate": {"prime": self.prime, "seed": self.seed, "samples": SAMPLES},
                "seconds": round(self.seconds, 3)}

    def summary(self) -> str:
        head = (f"{self.model}: sign-gradient flow, D = {self.D}, dim span of sign vectors = {self.trace_dim}, "
                f"{self.laws} independent conservation law(s) on the region of the random point")
        return "\n".join([head] + [f"  {h}" for h in self.law_strings[:12]]
                         + ([f"  ... {self.laws - 12} more"] if self.laws > 12 else []))

    def derivation(self) -> Derivation:
        d = Derivation(f"Conservation laws of the sign-gradient flow of {self.model}",
                       notation=SIGN_NOTATION)
        d.add(r"The flow moves along the sign vector $\operatorname{sign}(w)$ of some $w \in W(\theta)$; $h$ is "
              "conserved for every loss if and only if its gradient is orthogonal to the span of these sign vectors.")
        d.add(f"Coordinates whose Jacobian columns are proportional share their sign up to the sign of the ratio; "
              f"the {self.trace_dim} classes of such coordinates span the sign vectors, so the number of laws is",
              sp.Eq(sp.Symbol("D") - self.trace_dim, self.laws, evaluate=False))
        if self.laws_sympy and len(self.laws_sympy) <= 40:
            d.add("The laws (linear, on the region of the point):",
                  [sp.Eq(sp.Symbol(f"h_{i + 1}"), h) for i, h in enumerate(self.laws_sympy)])
        return d


#: the "Notation." paragraph of the sign-flow documents
SIGN_NOTATION = (r"$\theta \in \mathbb{R}^D$ are the parameters (named as in the model), $\phi(\theta)$ the "
                 r"reparametrisation and $J(\theta)$ its Jacobian; $W(\theta)$ is the row space of $J(\theta)$, so "
                 r"$\nabla L(\theta) = J(\theta)^{T} c \in W(\theta)$ for every loss $L$ of $\phi$. The flow is "
                 r"$\dot\theta = -\operatorname{sign}(\nabla L(\theta))$, entrywise; $h$ is a candidate law.")


def count_sign_laws(model: Model, seed: int = 0, prime: int = PRIME, points: int = 2) -> SignLawCount:
    """Count (and list) the laws of the sign-gradient flow; repeated at ``points`` random points."""
    start = time.perf_counter()
    runs = [_at_point(model, seed, k, prime) for k in range(points)]
    sizes = {len(classes) for classes, _, _ in runs}
    if len(sizes) != 1:
        raise FlowAlgebraError("the number of parallel classes differs between two random points; rerun with another --seed")
    classes, unused, signs = runs[0]
    symbols = model.symbols
    laws = [symbols[i] for i in unused]
    for cls in classes:
        rep = cls[0]
        laws += [symbols[i] - signs[i] * symbols[rep] for i in cls[1:]]
    return SignLawCount(model.name, model.D, classes, unused, laws, signs, seed, prime,
                        time.perf_counter() - start, model.params)


def _at_point(model, seed: int, index: int, prime: int):
    rng = generator(seed, index, 13)
    D = model.D
    magnitude = rng.integers(1, 1 << 20, size=D)
    theta = magnitude * rng.choice([-1, 1], size=D)
    alpha = rng.integers(0, prime, size=(SAMPLES, model.N), dtype=np.int64)
    w = model.evaluator(prime).field(alpha, (theta % prime)[None, None, :].repeat(SAMPLES, axis=1))[0]  # (S, D)
    unused = [i for i in range(D) if not w[:, i].any()]
    groups: dict[tuple, list[int]] = {}
    for i in range(D):
        col = w[:, i]
        nz = np.flatnonzero(col)
        if not nz.size:
            continue
        key = tuple((col * pow(int(col[nz[0]]), -1, prime)) % prime)
        groups.setdefault(key, []).append(i)
    classes = list(groups.values())
    signs = _ratio_signs(model, [c for c in classes if len(c) > 1], theta, rng)
    return classes, unused, signs


def _ratio_signs(model, classes: list[list[int]], theta: np.ndarray, rng) -> dict[int, int]:
    """sign(w_i / w_rep) at theta, exactly (integer evaluation of one element of W)."""
    members = {i for c in classes for i in c}
    if not members:
        return {}
    point = [flint.fmpq(int(v)) for v in theta]
    for _ in range(10):
        c = rng.integers(-5, 6, size=model.N)
        w = {i: flint.fmpq(0) for i in members}
        for k, fieldk in enumerate(model.generator_fields()):
            if c[k]:
                for i, comp in fieldk.items():
                    if i in members:
                        w[i] += int(c[k]) * comp(*point)
        if all(w[cls[0]] != 0 for cls in classes):
            return {i: (1 if (w[i] > 0) == (w[cls[0]] > 0) else -1) for cls in classes for i in cls}
    raise FlowAlgebraError("could not find a sample of W with nonzero class representatives; rerun with another --seed")


@dataclass(repr=False)
class SignLawVerification(LawVerification):
    """Result of :func:`verify_sign_law`: one exact identity per class of parallel coordinates."""

    model: str
    law: sp.Expr
    identities: list[tuple[list[str], sp.Expr]]   # (class, sum_i s_i d_i h)
    count: SignLawCount

    @property
    def conserved(self) -> bool:
        return all(value == 0 for _, value in self.identities)

    def to_json(self) -> dict:
        failing = [(c, v) for c, v in self.identities if v != 0]
        out = {"model": self.model, "flow": "sign", "law": exact_json(self.law), "conserved": self.conserved,
               "classes_checked": len(self.identities)}
        if failing:
            out["counterexample"] = {"class": failing[0][0], "value": exact_json(failing[0][1])}
        return out

    def summary(self) -> str:
        if self.conserved:
            return (f"{self.model}: h = {self.law} is CONSERVED by the sign-gradient flow on the region of the "
                    f"random point (exact identities over {len(self.identities)} classes of parallel coordinates)")
        cls, value = next((c, v) for c, v in self.identities if v != 0)
        return (f"{self.model}: h = {self.law} is NOT conserved by the sign-gradient flow: along the class "
                f"{cls} its derivative is {value}")

    def derivation(self) -> Derivation:
        d = Derivation(f"Verification of a sign-flow law for {self.model}", notation=SIGN_NOTATION)
        d.add("The candidate law:", sp.Eq(sp.Symbol("h"), self.law))
        d.add(r"It is conserved if and only if its gradient is orthogonal to the span of the sign vectors of "
              r"$W(\theta)$, that is, if for every class of parallel coordinates the signed sum $c_i$ of its partial "
              "derivatives vanishes:",
              [sp.Eq(sp.Symbol(f"c_{i + 1}"), v, evaluate=False) for i, (_, v) in enumerate(self.identities)])
        d.conclusion = ("$h$ is conserved on the region of the point." if self.conserved else
                        "$h$ is not conserved: a signed sum is nonzero.")
        return d


def verify_sign_law(model: Model, law: str | flint.fmpq_mpoly, seed: int = 0) -> SignLawVerification:
    """Prove or refute that a polynomial is conserved by the sign-gradient flow (on the region of a random
    point): for each class C of parallel coordinates, sum_{i in C} s_i d_i h must vanish identically."""
    h = parse_law(model, law)
    count = count_sign_laws(model, seed=seed)
    identities = []
    for cls in count.classes:
        total = model.ctx.constant(0)
        for i in cls:
            total += h.derivative(i) * count.signs.get(i, 1)
        identities.append(([model.params[i] for i in cls], model.to_sympy(total)))
    return SignLawVerification(model.name, model.to_sympy(h), identities, count)


# -- the generic engines on the sign flow ----------------------------------------------------------------

@count_laws.register(SignFlowSystem)
def _count(system: SignFlowSystem, seed: int = 0, prime: int = PRIME, mode: str = "auto",
           points: int = 2, progress: bool = False) -> SignLawCount:
    check_mode(mode)  # accepted for a uniform call; the count has no brackets to choose (and is quick)
    return count_sign_laws(system.model, seed=seed, prime=prime, points=check_points(points))


@verify_law.register(SignFlowSystem)
def _verify(system: SignFlowSystem, law: str | flint.fmpq_mpoly, numeric: bool = True,
            seed: int = 0) -> SignLawVerification:
    return verify_sign_law(system.model, law, seed=seed)  # exact class by class; no flow to simulate


@find_polynomial_laws.register(SignFlowSystem)
def _polynomial(system: SignFlowSystem, degree: int = 2, homogeneous: bool = True, seed: int = 0,
                expected_laws: int | None = None, progress: bool = False) -> PolynomialLaws:
    raise FlowAlgebraError(NOT_POLYNOMIAL)
