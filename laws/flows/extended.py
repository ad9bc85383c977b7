"""Flows other than plain gradient flow, as generator systems on an extended state.

No new engine: a flow is a :class:`Flow` value (by its CLI name, :func:`parse_flow`), and
:func:`flow_system` gives the generator system of a model under it; the Lie-closure count, the
polynomial laws and the verification run on that system unchanged (:mod:`laws.system`).

* ``gradient`` (:class:`Gradient`): X_i = grad phi_i on theta (the model itself).
* ``mirror`` (:class:`Mirror`, system :class:`MirrorSystem`): X_i = diag(theta) grad phi_i, the mirror
  flow of the entropy (multiplicative / NMF updates, theta' = -theta * grad L).
* ``momentum`` (:class:`Momentum`, system :class:`MomentumSystem`): heavy ball theta'' + tau theta' =
  -grad L on the state (s, theta, v) with s = e^{tau t} (exact: s' = tau s is polynomial; for tau = 0
  the clock is t itself, t' = 1). The loss enters only through dL/dphi_i, arbitrary for a law valid for
  every loss, so the generators are the drift Y_0 = tau s d_s + v.d_theta - tau v.d_v and
  Y_i = grad phi_i(theta).d_v (Marcotte, Gribonval, Peyre, "Keep the momentum", 2024).
* ``momentum-mirror`` (:class:`Momentum` with ``metric``): momentum with the metric diag(theta):
  Y_i = diag(theta) grad phi_i(theta).d_v.
* ``sign`` (:class:`Sign`): theta' = -sign(grad L), not a polynomial system; its laws are counted by
  :mod:`laws.flows.sign`.

tau is an exact rational (``Fraction``); it never becomes a float here.

>>> from laws.models.model import linear
>>> from laws.closure import count_laws
>>> count_laws(flow_system(linear([1, 1, 1]), "mirror")).laws      # u - v is conserved by u' = -u v l', v' = -v u l'
1
"""
from __future__ import annotations

import abc
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

import flint
import numpy as np

from algebra.errors import FlowAlgebraError
from algebra.exact.parsing import shorten
from algebra.exact.gf2 import Gf2Basis, kernel_basis
from algebra.exact.modular import PRIME, fmpq_mod
from laws.engine import jets
from laws.flows.sign import SignFlowSystem
from laws.models.model import Model, parity_mask
from laws.system import FloatDynamics, GeneratorSystem, PolynomialSystem

__all__ = ["FLOWS", "Flow", "Gradient", "Mirror", "Momentum", "Sign", "parse_flow", "parse_friction", "flow_system",
           "FlowSystem", "MirrorSystem", "MomentumSystem", "MAX_FRICTION_PART"]

#: the friction tau = p/q has 0 <= p <= this and 1 <= q <= this (so q is invertible mod every prime used)
MAX_FRICTION_PART = 10**9

_FRICTION = re.compile(r"[+-]?(?:[0-9]+/[0-9]+|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?)")


# -- flows by name -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Flow(abc.ABC):
    """A training flow: its :attr:`name` and the generator system of a model under it (:meth:`system`)."""

    @property
    @abc.abstractmethod
    def name(self) -> str:
        """The flow's name as printed (with its friction for momentum flows)."""

    @abc.abstractmethod
    def system(self, model: Model) -> GeneratorSystem:
        """The generator system of ``model`` under this flow."""


@dataclass(frozen=True)
class Gradient(Flow):
    """Gradient flow theta' = -grad L: the model itself is its system."""

    name = "gradient"

    def system(self, model: Model) -> Model:
        return model


@dataclass(frozen=True)
class Mirror(Flow):
    """The mirror flow of the entropy, theta' = -theta * grad L."""

    name = "mirror"

    def system(self, model: Model) -> MirrorSystem:
        return MirrorSystem(model, self)


@dataclass(frozen=True)
class Momentum(Flow):
    """Heavy ball theta'' + tau theta' = -grad L (with ``metric``: -theta * grad L), tau exact."""

    tau: Fraction = Fraction(0)
    metric: bool = False

    @property
    def name(self) -> str:
        return ("momentum-mirror" if self.metric else "momentum") + f"(tau={self.tau})"

    def system(self, model: Model) -> MomentumSystem:
        return MomentumSystem(model, self)


@dataclass(frozen=True)
class Sign(Flow):
    """The sign-gradient flow theta' = -sign(grad L)."""

    name = "sign"

    def system(self, model: Model) -> SignFlowSystem:
        return SignFlowSystem(model)


#: the CLI names of the flows and how to build them from an exact friction
_BUILDERS: dict[str, Callable[[Fraction], Flow]] = {
    "gradient": lambda tau: Gradient(),
    "mirror": lambda tau: Mirror(),
    "momentum": lambda tau: Momentum(tau),
    "momentum-mirror": lambda tau: Momentum(tau, metric=True),
    "sign": lambda tau: Sign(),
}
FLOWS = tuple(_BUILDERS)


def parse_flow(name: str, tau: str | Fraction | int = 0) -> Flow:
    """A flow from its CLI name and a friction given exactly (``"1/2"``, ``"0.5"``, ``2``).

    >>> parse_flow("momentum", "0.25")
    Momentum(tau=Fraction(1, 4), metric=False)
    >>> parse_flow("mirror").name
    'mirror'
    """
    if not isinstance(name, str) or name not in _BUILDERS:
        raise FlowAlgebraError(f"unknown flow {shorten(repr(name))} (known: {', '.join(FLOWS)})")
    tau = parse_friction(tau)
    if tau != 0 and not name.startswith("momentum"):
        raise FlowAlgebraError(f"--tau applies to momentum flows only (flow {name!r})")
    return _BUILDERS[name](tau)


def parse_friction(tau: str | Fraction | int | float) -> Fraction:
    """An exact friction tau >= 0: ``p/q`` or a decimal (a float is read by its shortest decimal), with
    numerator and denominator at most :data:`MAX_FRICTION_PART`.

    >>> parse_friction("0.25"), parse_friction(Fraction(1, 3)), parse_friction(0.1)
    (Fraction(1, 4), Fraction(1, 3), Fraction(1, 10))
    """
    if isinstance(tau, bool) or not isinstance(tau, (str, Fraction, int, float)):
        raise FlowAlgebraError(f"--tau must be a number like 0, 1/2 or 0.5, got {shorten(repr(tau))}")
    if isinstance(tau, (int, Fraction)):
        value = Fraction(tau)
    else:
        text = str(tau).strip()
        if not _FRICTION.fullmatch(text):
            raise FlowAlgebraError(f"--tau must be a number like 0, 1/2 or 0.5, got {shorten(repr(tau))}")
        try:
            value = Fraction(text)
        except ZeroDivisionError:
            raise FlowAlgebraError(f"--tau must be a number like 0, 1/2 or 0.5, got {shorten(repr(tau))}") from None
    if value < 0:
        raise FlowAlgebraError(f"--tau must be >= 0, got {shorten(str(value))}")
    if value.numerator > MAX_FRICTION_PART or value.denominator > MAX_FRICTION_PART:
        raise FlowAlgebraError(f"--tau {shorten(str(value))}: numerator and denominator must be at most "
                               f"{MAX_FRICTION_PART:,}")
    return value


def flow_system(model: Model, flow: Flow | str, tau: str | Fraction | int = 0) -> GeneratorSystem:
    """The generator system of a model under a flow (a :class:`Flow` or its name, with ``tau`` for momentum);
    the model itself for gradient flow."""
    if isinstance(flow, str):
        flow = parse_flow(flow, tau)
    return flow.system(model)


# -- the systems on extended states ----------------------------------------------------------------------

class FlowSystem(PolynomialSystem):
    """Generator fields of a flow of a model, on the flow's state (base of :class:`MirrorSystem` and
    :class:`MomentumSystem`)."""

    def __init__(self, model: Model, flow: Flow, params: list[str]):
        self._model = model
        self.flow = flow
        self.name = f"{model.name} [{flow.name}]"
        self.description = f"{model.description}, {flow.name} flow"
        self.params = tuple(params)
        self._ctx = None
        self._fields: list[dict[int, flint.fmpq_mpoly]] | None = None
        self._evaluators: dict[int, object] = {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}, D={self.D}, N={self.N})"

    @property
    def model(self) -> Model:
        return self._model

    @property
    def evaluation_entries(self) -> int:
        """The size of one evaluation of the fields: the model's (see :attr:`Model.evaluation_entries`)."""
        return self.model.evaluation_entries

    #: index of theta_1 in the state
    theta_offset = 0

    def evaluator(self, p: int = PRIME):
        if p not in self._evaluators:
            self._evaluators[p] = self._evaluator(self.model.evaluator(p), p)
        return self._evaluators[p]

    @abc.abstractmethod
    def _evaluator(self, base, p: int):
        """The flow's mod-p fields on jets, from the model's evaluator ``base``."""

    def generator_fields(self) -> list[dict[int, flint.fmpq_mpoly]]:
        if self._fields is None:
            self._fields = self._build_fields()
        return self._fields

    @abc.abstractmethod
    def _build_fields(self) -> list[dict[int, flint.fmpq_mpoly]]:
        """The exact generators, sparse."""

    def _embed(self, poly: flint.fmpq_mpoly) -> flint.fmpq_mpoly:
        """A polynomial in the model's parameters as a polynomial on the state."""
        off = self.theta_offset
        pad = self.D - off - self.model.D
        return self.ctx.from_dict({(0,) * off + tuple(e) + (0,) * pad: c for e, c in poly.to_dict().items()})

    def _forces(self, target: int, metric: bool) -> list[dict[int, flint.fmpq_mpoly]]:
        """The model's generators grad phi_i (times theta with ``metric``) acting on the coordinates from ``target``."""
        gens = self.ctx.gens()
        fields = []
        for base in self.model.generator_fields():
            field = {}
            for c, comp in base.items():
                q = self._embed(comp)
                if metric:
                    q = q * gens[self.theta_offset + c]
                field[target + c] = q
            fields.append(field)
        return fields

    def sign_symmetries(self) -> list[int]:
        """Sign flips s of the state with X_i(s x) = eps_i s X_i(x) for every generator (GF(2) kernel
        in the unknowns (s, eps)), projected to s."""
        D, rows = self.D, set()
        for i, field in enumerate(self.generator_fields()):
            eps = 1 << (D + i)
            for c, comp in field.items():
                for exps in comp.monoms():
                    rows.add(parity_mask(exps) ^ (1 << c) ^ eps)
        projected = Gf2Basis()
        for s in kernel_basis(sorted(rows), D + self.N):
            projected.add(s & ((1 << D) - 1))
        return _basis_vectors(projected)


class MirrorSystem(FlowSystem):
    """The mirror flow on theta: X_i = diag(theta) grad phi_i."""

    def __init__(self, model: Model, flow: Mirror):
        super().__init__(model, flow, list(model.params))

    @property
    def N(self) -> int:
        return self.model.N

    def _evaluator(self, base, p: int) -> MirrorEvaluator:
        return MirrorEvaluator(base, p)

    def _build_fields(self) -> list[dict[int, flint.fmpq_mpoly]]:
        return self._forces(0, metric=True)

    def float_dynamics(self, loss_gradient: Callable, theta: np.ndarray, rng: np.random.Generator) -> FloatDynamics:
        """theta' = -theta * grad L from a start on the positive orthant (where mirror flows live)."""
        return FloatDynamics(lambda y: -y * loss_gradient(y)[1], np.abs(theta) + 0.1, lambda y: y)


class MomentumSystem(FlowSystem):
    """Heavy ball on the state (clock, theta, v): the drift and the forces grad phi_i(theta).d_v."""

    def __init__(self, model: Model, flow: Momentum):
        clock = "s" if flow.tau else "t"
        names = list(model.params)
        if clock in names or any(f"dot_{n}" in names for n in model.params):
            raise FlowAlgebraError("parameter names clash with the momentum state (s, t, dot_*)")
        super().__init__(model, flow, [clock] + names + [f"dot_{n}" for n in model.params])

    theta_offset = 1

    @property
    def N(self) -> int:
        return self.model.N + 1

    def _evaluator(self, base, p: int) -> MomentumEvaluator:
        return MomentumEvaluator(base, self.model.D, self.flow.tau, self.flow.metric, p)

    def _build_fields(self) -> list[dict[int, flint.fmpq_mpoly]]:
        flow, ctx, Dm = self.flow, self.ctx, self.model.D
        gens = ctx.gens()
        tau = flint.fmpq(flow.tau.numerator, flow.tau.denominator)
        drift = {0: (gens[0] * tau) if flow.tau else ctx.constant(1)}
        for k in range(Dm):
            drift[1 + k] = gens[1 + Dm + k]
        if flow.tau:
            for k in range(Dm):
                drift[1 + Dm + k] = -tau * gens[1 + Dm + k]
        drift = {c: q for c, q in drift.items() if not q.is_zero()}
        return [drift] + self._forces(1 + Dm, metric=flow.metric)  # the forces act on v

    def float_dynamics(self, loss_gradient: Callable, theta: np.ndarray, rng: np.random.Generator) -> FloatDynamics:
        """(clock, theta, v)' = (tau clock or 1, v, -tau v - grad L) from a random velocity (metric: theta grad L)."""
        D, tau = self.model.D, float(self.flow.tau)
        if self.flow.metric:
            theta = np.abs(theta) + 0.1  # mirror flows live on the positive orthant
        metric = (lambda th: th) if self.flow.metric else (lambda th: 1.0)

        def field(y):
            clock, th, v = y[0], y[1:1 + D], y[1 + D:]
            return np.concatenate([[tau * clock if tau else 1.0], v, -tau * v - metric(th) * loss_gradient(th)[1]])

        start = np.concatenate([[1.0 if tau else 0.0], theta, rng.normal(size=D)])
        return FloatDynamics(field, start, lambda y: y[1:1 + D])


def _basis_vectors(basis: Gf2Basis) -> list[int]:
    return sorted(v for v in basis.by_pivot.values() if v)


class MirrorEvaluator:
    """Mod-p mirror fields on jets: theta * (sum_i alpha_i grad phi_i)."""

    def __init__(self, base, p: int):
        self.base, self.p = base, p

    def batch_limit(self, m: int) -> int:
        return self.base.batch_limit(m)

    def field(self, alpha: np.ndarray, x: np.ndarray) -> np.ndarray:
        return jets.mul(x, self.base.field(alpha, x), self.p)


class MomentumEvaluator:
    """Mod-p momentum fields on jets: alpha (B, N + 1) and a state jet (2^m, B, 1 + 2 Dm) -> (2^m, B, 1 + 2 Dm);
    alpha_0 weighs the drift."""

    def __init__(self, base, Dm: int, tau: Fraction, metric: bool, p: int):
        self.base, self.Dm, self.metric, self.p = base, Dm, metric, p
        self.friction = bool(tau)
        self.tau = fmpq_mod(tau, p)

    def batch_limit(self, m: int) -> int:
        return self.base.batch_limit(m)

    def field(self, alpha: np.ndarray, x: np.ndarray) -> np.ndarray:
        p, Dm = self.p, self.Dm
        theta, v = x[:, :, 1:1 + Dm], x[:, :, 1 + Dm:]
        force = self.base.field(alpha[:, 1:], np.ascontiguousarray(theta))
        if self.metric:
            force = jets.mul(theta, force, p)
        if self.friction:
            clock = x[:, :, :1] * self.tau % p
            damping = (-v * self.tau) % p
        else:
            clock = jets.constant(np.ones(x.shape[1:2] + (1,), dtype=np.int64), jets.order(x))
            damping = np.zeros_like(v)
        drift = np.concatenate([clock, v, damping], axis=2)
        a0 = jets.constant(alpha[:, :1] % p, 0)
        out = jets.mul(a0, drift, p)
        out[:, :, 1 + Dm:] = (out[:, :, 1 + Dm:] + force) % p
        return out
