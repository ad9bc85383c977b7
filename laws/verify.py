"""Verification of a given law h: an exact proof, and a numeric check along a flow.

The proof: h is conserved iff <grad h, X_i> = 0 identically for every
generator X_i (for gradient flow X_i = grad phi_i) (then also for every field of Lie(W), since
{X : X(h) = 0} is closed under brackets). Each identity is checked exactly
over Q with python-flint polynomials; if one fails, the nonzero polynomial is
returned as the counterexample.

:func:`verify_law` is a generic function of the system: this module implements it for every
:class:`~laws.system.PolynomialSystem`; the sign-gradient flow registers its own check
(:mod:`laws.flows.sign`).

>>> from laws.models.model import relu
>>> m = relu([2, 3, 2])
>>> verify_law(m, "u1_1**2 + u1_2**2 - v1_1**2 - v1_2**2", numeric=False).conserved
True
>>> verify_law(m, "u1_1**2 - v1_1**2", numeric=False).conserved
False
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import flint

from algebra.errors import FlowAlgebraError
from algebra.exact.encoding import exact_json
from algebra.exact.parsing import parse_polynomial
from algebra.lazy import lazy_module
from algebra.present import Derivation, Result, cite, inline, inner, scientific
from laws.engine import brackets
from laws.limits import MAX_LAW_TERMS
from laws.numeric import simulate_flow
from laws.naming import describe, is_gradient_flow, notation
from laws.system import GeneratorSystem, PolynomialSystem

if TYPE_CHECKING:
    from laws import parameter as _parameter

__all__ = ["verify_law", "LawVerification", "GeneratorLawVerification", "parse_law", "check_proof_cost",
           "check_numeric_cost", "SHOWN_GENERATORS", "MAX_LAW_TERMS", "MAX_PROOF_WORK", "MAX_NUMERIC_WORK",
           "MAX_NUMERIC_BYTES", "NUMERIC_CALL_WORK"]

sp = lazy_module("sympy")  # for derivations and the sympy form of a law: loading this module does not import it
_parameter = lazy_module("laws.parameter")  # Parameter, a sympy Symbol: for the numeric check's control

#: the gradient of the law, a notation atom (for :func:`~algebra.present.notation.inner`)
NABLA_H = r"\nabla h"

#: show at most this many generator identities in a derivation
SHOWN_GENERATORS = 6
#: refuse a proof needing more than this many products of terms (grad h against the generators)
MAX_PROOF_WORK = 10**9
#: refuse the numeric check when one evaluation of the loss gradient would cost more than this (about 50 ms)
MAX_NUMERIC_WORK = 5 * 10**7
#: ... or when its float arrays would take more than this many bytes
MAX_NUMERIC_BYTES = 1_000_000_000
#: the estimated cost of one numpy call in the numeric check (in the units of MAX_NUMERIC_WORK)
NUMERIC_CALL_WORK = 5_000


def parse_law(system, law: str | flint.fmpq_mpoly) -> flint.fmpq_mpoly:
    """The law as an exact polynomial in the system's coordinates: a string is parsed safely, at most
    :data:`MAX_LAW_TERMS` terms (bounded before expanding)."""
    if isinstance(law, str):
        return parse_polynomial(law, system.ctx, max_terms=MAX_LAW_TERMS)
    if isinstance(law, flint.fmpq_mpoly):
        return law
    raise FlowAlgebraError(f"a law is a polynomial string or an fmpq_mpoly, got {type(law).__name__}")


def check_proof_cost(system: PolynomialSystem, grad_h, touching: list[int]) -> int:
    """Refuse (one line naming the estimate and the limit) a proof whose products of terms, grad h against the
    generators touching it, exceed :data:`MAX_PROOF_WORK`; return the estimate."""
    fields = system.generator_fields()
    work = 0
    for i in touching:
        work += sum(len(grad_h[v]) * len(component) for v, component in fields[i].items())
    if work > MAX_PROOF_WORK:
        raise FlowAlgebraError(f"{system.name}: the proof would multiply about {work:.1e} pairs of terms (limit "
                               f"MAX_PROOF_WORK = {MAX_PROOF_WORK:.0e}): try a shorter law or a smaller model")
    return work


def check_numeric_cost(system: PolynomialSystem, h: flint.fmpq_mpoly) -> None:
    """Refuse (one line, with the hint --no-numeric) a numeric check whose float arrays or whose cost per
    evaluation exceed :data:`MAX_NUMERIC_BYTES` or :data:`MAX_NUMERIC_WORK`. Layered networks are simulated as
    networks (cheap); other models evaluate phi and its Jacobian term by term."""
    model = system.model
    memory = 16 * (len(h) + 2) * system.D
    work = 0
    if model.structure is None:
        fields = model.generator_fields()
        memory += 8 * model.D * (2 * sum(len(p) for p in model.phi) + model.N)
        work = sum((1 + len(field)) * (NUMERIC_CALL_WORK + len(p) * model.D) for p, field in zip(model.phi, fields))
    if memory > MAX_NUMERIC_BYTES:
        raise FlowAlgebraError(f"{system.name}: the numeric check needs about {memory / 1e9:.1f} GB (limit "
                               f"MAX_NUMERIC_BYTES = {MAX_NUMERIC_BYTES / 1e9:.1f} GB): use --no-numeric "
                               "(the proof is exact without it)")
    if work > MAX_NUMERIC_WORK:
        raise FlowAlgebraError(f"{system.name}: the numeric check would cost about {work:.1e} per step (limit "
                               f"MAX_NUMERIC_WORK = {MAX_NUMERIC_WORK:.0e}): use --no-numeric (the proof is exact "
                               "without it)")


class LawVerification(Result):
    """What every verification of a law gives (abstract: :class:`GeneratorLawVerification`, and one per other kind
    of system): the fields (or properties) ``model`` (the system's name), ``law`` (sympy) and ``conserved``."""

    model: str
    law: sp.Expr
    conserved: bool


@dataclass(repr=False)
class GeneratorLawVerification(LawVerification):
    """Result of :func:`verify_law` for a polynomial system: one exact identity per generator."""

    model: str
    law: sp.Expr
    conserved: bool
    generators_checked: int
    identities: list[tuple[int, sp.Expr, sp.Expr]]   # (i, <grad h, chi_i> written out, value)
    counterexample: tuple[int, sp.Expr] | None
    numeric: dict | None = field(default=None)
    #: the model's description (the derivation's title) and the "Notation." paragraph (:func:`laws.naming.notation`)
    description: str = ""
    notation: str = ""
    #: the control quantity of the numeric check (it is not conserved), e.g. the square of the last parameter
    control: sp.Expr | None = None
    #: True for a model's gradient flow (its generators are the gradients of phi), False for another flow
    gradient_flow: bool = True

    def to_json(self) -> dict:
        out = {"model": self.model, "law": exact_json(self.law), "conserved": self.conserved,
               "proof": "exact over Q: <grad h, grad phi_i> = 0 for every generator" if self.conserved else None,
               "generators_checked": self.generators_checked}
        if self.counterexample is not None:
            i, value = self.counterexample
            out["counterexample"] = {"generator": i + 1, "value": exact_json(value)}
        if self.numeric is not None:
            out["numeric"] = self.numeric
        return out

    def summary(self) -> str:
        head = (f"{self.model}: h = {self.law} is CONSERVED (exact proof over {self.generators_checked} generators)"
                if self.conserved else
                f"{self.model}: h = {self.law} is NOT conserved: <grad h, grad phi_{self.counterexample[0] + 1}> = {self.counterexample[1]}")
        if self.numeric:
            n = self.numeric
            head += (f"\n  numeric flow (t = {n['t_end']}, loss {n['loss_start']:.3g} -> {n['loss_end']:.3g}): "
                     f"drift of h {n['drift'][0]:.2e}, drift of control {n['control']} {n['drift'][1]:.2e}")
        return head

    def derivation(self) -> Derivation:
        h = sp.Symbol("h")
        d = Derivation(f"Verification of a conservation law for {self.description or self.model}", notation=self.notation)
        d.add("The candidate law:", sp.Eq(h, self.law))
        generator = "$\\chi_i = \\nabla\\phi_i$" if self.gradient_flow else "$\\chi_i$ of the flow"
        d.add(f"It is conserved iff its gradient is orthogonal to every generator {generator} "
              "(then to all of $\\mathrm{Lie}(W)$, as the fields annihilating $h$ are closed under brackets) "
              f"{cite('marcotte2023' if self.gradient_flow else 'marcotte2024')}.",
              sp.Eq(inner(NABLA_H, sp.Symbol("chi_i")), 0))
        shown = self.identities[:SHOWN_GENERATORS]
        if shown:
            if self.counterexample is not None:
                lead = ("The generators that involve the variables of $h$, up to the first whose identity fails:"
                        if len(shown) > 1 else "The first generator that involves the variables of $h$ already fails:")
            else:
                lead = ("The generators that involve the variables of $h$, one identity each:" if len(shown) > 1 else
                        "The generator that involves the variables of $h$:")
            d.add(lead,
                  [sp.Eq(inner(NABLA_H, sp.Symbol(f"chi_{i + 1}")), sp.Eq(written, value, evaluate=False),
                         evaluate=False) for i, written, value in shown])
        if len(self.identities) > SHOWN_GENERATORS:
            d.add(f"The same holds for the other {len(self.identities) - SHOWN_GENERATORS} generators that "
                  "involve the variables of $h$; generators not involving them give $0$ trivially.")
        if self.conserved:
            flow = "the gradient flow" if self.gradient_flow else "this flow"
            d.conclusion = (f"$h$ is conserved by {flow} of every loss of this model (exact, "
                            f"{self.generators_checked} generators).")
        else:
            i, value = self.counterexample
            d.conclusion = (f"$h$ is not conserved: the identity for generator {i + 1} fails "
                            f"(value {inline(value)}).")
        if self.numeric:
            n = self.numeric
            control = inline(self.control) if self.control is not None else n["control"]
            d.add(f"Numeric check: along a simulated trajectory of the {'gradient ' if self.gradient_flow else ''}flow to {inline(sp.Eq(sp.Symbol('t'), sp.nsimplify(n['t_end'])))}, "
                  f"$h$ drifts by {inline(scientific(n['drift'][0]))}, the control {control} by "
                  f"{inline(scientific(n['drift'][1]))}.")
        return d


@functools.singledispatch
def verify_law(system: GeneratorSystem, law: str | flint.fmpq_mpoly, numeric: bool = True,
               seed: int = 0) -> LawVerification:
    """Prove (or refute) that ``law`` (a string, parsed safely, or an fmpq_mpoly) is conserved by the system's flow;
    with ``numeric``, also watch it along a simulated flow (seeded by ``seed``)."""
    raise TypeError(f"verify_law needs a generator system (a model or flow_system(model, flow)), "
                    f"got {type(system).__name__}")


@verify_law.register(PolynomialSystem)
def _verify_polynomial_system(model: PolynomialSystem, law: str | flint.fmpq_mpoly, numeric: bool = True,
                              seed: int = 0) -> GeneratorLawVerification:
    h = parse_law(model, law)
    if numeric:
        check_numeric_cost(model, h)
    grad_h = brackets.gradient(h, model.ctx)
    support = {v for v, g in enumerate(grad_h) if not g.is_zero()}
    touching = model.fields_touching(support)
    check_proof_cost(model, grad_h, touching)
    identities = []
    counterexample = None
    for i in touching:
        value = model.pairing(grad_h, i)
        if len(identities) < SHOWN_GENERATORS or not value.is_zero():
            identities.append((i, _written_out(model, grad_h, i), model.to_sympy(value)))
        if not value.is_zero():
            counterexample = (i, model.to_sympy(value))
            break
    result = GeneratorLawVerification(model.name, model.to_sympy(h), counterexample is None, len(touching),
                                      identities, counterexample, description=describe(model),
                                      notation=notation(model), gradient_flow=is_gradient_flow(model))
    if numeric:
        control = model.ctx.gens()[-1] ** 2
        run = simulate_flow(model, [h, control], seed=seed)
        result.numeric = dict(run.to_json(), control=f"{model.params[-1]}**2")
        result.control = _parameter.Parameter(model.params[-1]) ** 2
    return result


def _written_out(system, grad_h, i) -> sp.Expr:
    """sum_v d_v h * X_i[v] as an unevaluated sympy sum (for display)."""
    terms = [sp.Mul(system.to_sympy(grad_h[v]), system.to_sympy(comp), evaluate=False)
             for v, comp in sorted(system.generator_fields()[i].items()) if not grad_h[v].is_zero()]
    return sp.Add(*terms, evaluate=False) if terms else sp.Integer(0)
