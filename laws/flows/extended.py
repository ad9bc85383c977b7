"""Flows other than plain gradient flow, as generator systems on an extended state.

No new engine: a flow is a :class:`Flow` value (by its CLI name, :func:`parse_flow`), and
:func:`flow_system` gives the generator system of a model under it; the Lie-closure count, the
polynomial laws and the verification run on that system unchanged (:mod:`laws.system`).

* ``gradient`` (:class:`Gradient`): X_i = grad phi_i on theta (the model itself); Marcotte, Gribonval,
  Peyré 2023, "Abide by the law and follow the flow".
* ``mirror`` (:class:`Mirror`, system :class:`MirrorSystem`): X_i = diag(theta) grad phi_i, the mirror
  flow of the entropy (multiplicative / NMF updates, theta' = -theta * grad L); Marcotte, Gribonval, Peyré
  2024, "Keep the momentum", Section 4.2.1 (NMF, gradient flow case).
* ``momentum`` (:class:`Momentum`, system :class:`MomentumSystem`): heavy ball theta'' + tau theta' =
  -grad L on the state (s, theta, v) with s = e^{tau t} (exact: s' = tau s is polynomial, the change of
  variable of "Keep the momentum", Section 3.1.1; for tau = 0 the clock is t itself, t' = 1). The loss
  enters only through dL/dphi_i, arbitrary for a law valid for every loss, so the generators are the drift
  Y_0 = tau s d_s + v.d_theta - tau v.d_v and Y_i = grad phi_i(theta).d_v (Marcotte, Gribonval, Peyré 2024,
  "Keep the momentum", the Euclidean momentum flow of its Section 4.1).
* ``nmf-momentum`` (:class:`NmfMomentum`, system :class:`MomentumSystem`): the momentum flow of the mirror
  geometry as "Keep the momentum" defines it for NMF (Section 4.2.1, momentum case):
  theta'' + tau theta' = -diag(tau theta + theta') grad L, i.e. Y_i = ((tau theta + v) * grad phi_i).d_v
  with the same drift. It is the case (mu, nu) = (1, tau), H(z) w = z * w, of the authors' second-order
  variable-metric flow mu theta'' + nu theta' = -H(mu theta' + nu theta) grad L, whose case (0, 1) is the
  mirror flow; equivalently w = theta' + tau theta follows w' = -w * grad L, so w stays positive. The
  paper finds no conservation law for it ("none persists in the momentum case", its abstract; its code checks
  0 laws on 20 NMF sizes at tau = 0). The equations and section numbers are those of the authors' code
  (repository sibyllema/Conservation_laws_ICML: get_specific_vector_fields_ICML.ipynb, part B, builds these
  fields on (t, theta, v); main_ICML.ipynb cites Sections 3.1.1, 4.1 and 4.2.1;
  discretized_flows/Conservation_laws_MMF.ipynb states the (mu, nu) form).
* ``momentum-mirror`` (:class:`Momentum` with ``metric``): a variant of this toolkit, NOT the paper's NMF
  momentum flow: heavy ball with the mirror metric taken at the position, theta'' + tau theta' =
  -theta * grad L, i.e. Y_i = (theta * grad phi_i).d_v. It keeps laws the paper's flow does not (4 for
  nmf:3,2,3 at tau = 0, where nmf-momentum has 0).
* ``sign`` (:class:`Sign`): theta' = -sign(grad L), not a polynomial system; its laws are counted by
  :mod:`laws.flows.sign`.

Each flow's entry in :data:`REGISTRY` (a :class:`FlowEntry`) gives its equation, a summary and the key of
the paper it comes from (:mod:`algebra.present.bibliography`), for ``flowalgebra laws models``.

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
from typing import TYPE_CHECKING, Callable

import flint
import numpy as np

from algebra.errors import FlowAlgebraError
from algebra.present.bibliography import REFERENCES, cite
from algebra.exact.parsing import shorten
from algebra.exact.gf2 import Gf2Basis, kernel_basis
from algebra.exact.modular import PRIME, fmpq_mod
from laws.engine import jets
from laws.limits import MAX_FRICTION_PART
from laws.models.model import Model, parity_mask
from laws.system import FloatDynamics, GeneratorSystem, ModelFlowSystem, PolynomialSystem

from algebra.lazy import lazy_module

if TYPE_CHECKING:
    from algebra.present import symbols as _symbols
    from algebra.present.symbols import Notation
    from laws.flows import sign as _sign
    from laws.flows.sign import SignFlowSystem

_symbols = lazy_module("algebra.present.symbols")  # Notation, a sympy Symbol: for derivations
_sign = lazy_module("laws.flows.sign")  # the sign flow and its engines (registered on import): when it is asked for

__all__ = ["FLOWS", "REGISTRY", "FlowEntry", "Flow", "Gradient", "Mirror", "Momentum", "NmfMomentum", "Sign",
           "parse_flow", "parse_friction", "flow_system", "FlowSystem", "MirrorSystem", "MomentumSystem",
           "MAX_FRICTION_PART", "EUCLIDEAN", "POSITION", "SHIFTED_VELOCITY"]


#: how a momentum flow scales the force grad L componentwise: not at all (Euclidean heavy ball), by theta
#: (``momentum-mirror``), or by tau theta + theta' (the NMF momentum flow of "Keep the momentum")
EUCLIDEAN, POSITION, SHIFTED_VELOCITY = "euclidean", "theta", "tau*theta + v"

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
    """Heavy ball theta'' + tau theta' = -grad L, tau exact; with ``metric`` the toolkit's variant
    theta'' + tau theta' = -theta * grad L (``momentum-mirror``: the mirror metric at the position; not the
    paper's NMF momentum flow, which is :class:`NmfMomentum`)."""

    tau: Fraction = Fraction(0)
    metric: bool = False

    @property
    def name(self) -> str:
        return ("momentum-mirror" if self.metric else "momentum") + f"(tau={self.tau})"

    @property
    def scaling(self) -> str:
        """How the force is scaled componentwise: :data:`POSITION` with ``metric``, else :data:`EUCLIDEAN`."""
        return POSITION if self.metric else EUCLIDEAN

    def system(self, model: Model) -> MomentumSystem:
        return MomentumSystem(model, self)


@dataclass(frozen=True)
class NmfMomentum(Flow):
    """The NMF momentum flow of Marcotte, Gribonval, Peyré 2024, "Keep the momentum", Section 4.2.1:
    theta'' + tau theta' = -diag(tau theta + theta') grad L, tau exact (the force scaled by
    :data:`SHIFTED_VELOCITY`).

    >>> from laws.models.model import linear
    >>> system = NmfMomentum().system(linear([1, 1, 1]))   # phi = u v on the state (t, u, v, dot_u, dot_v)
    >>> system.generator_fields()[1]                       # the force (dot_u * v) d_dot_u + (dot_v * u) d_dot_v
    {3: v1_1*dot_u1_1, 4: u1_1*dot_v1_1}
    """

    tau: Fraction = Fraction(0)

    @property
    def name(self) -> str:
        return f"nmf-momentum(tau={self.tau})"

    scaling = SHIFTED_VELOCITY

    def system(self, model: Model) -> MomentumSystem:
        return MomentumSystem(model, self)


@dataclass(frozen=True)
class Sign(Flow):
    """The sign-gradient flow theta' = -sign(grad L)."""

    name = "sign"

    def system(self, model: Model) -> SignFlowSystem:
        return _sign.SignFlowSystem(model)


@dataclass(frozen=True)
class FlowEntry:
    """A flow as the CLI knows it: its ``name``, how to ``build`` it from an exact friction, its ``equation``
    (plain text) and ``latex`` (the same in LaTeX), a ``summary`` (prose without symbols), the bibliography key
    of the paper it is from (``reference``, or None for the toolkit's own variants) and whether it takes a
    friction tau.

    >>> print(REGISTRY["nmf-momentum"].line())
    nmf-momentum     theta'' + tau theta' = -(tau theta + theta') * grad L: momentum flow of the mirror geometry (NMF); --tau; Marcotte, Gribonval and Peyré 2024, Keep the momentum: conservation laws beyond Euclidean gradient flows, Section 4.2.1
    """

    name: str
    build: Callable[[Fraction], Flow]
    equation: str
    latex: str
    summary: str
    reference: str | None
    friction: bool = False
    #: where in the paper (section, equation)
    where: str = ""

    def citation(self) -> str | None:
        """The paper as plain text (author-year, title, where), or None."""
        if self.reference is None:
            return None
        ref = REFERENCES[self.reference]
        return f"{ref.short()}, {ref.title}" + (f", {self.where}" if self.where else "")

    def line(self) -> str:
        """One line of ``flowalgebra laws models``."""
        cited = self.citation()
        return (f"{self.name:16s} {self.equation}: {self.summary}" + ("; --tau" if self.friction else "")
                + (f"; {cited}" if cited else ""))

    def statement(self) -> tuple[str, Notation]:
        """The entry for a derivation: prose citing the paper (a ``[@key]`` marker) and the equation."""
        source = f" {cite(self.reference)}" + (f", {self.where}" if self.where else "") if self.reference else ""
        friction = r", with an exact friction $\tau \ge 0$" if self.friction else ""
        return f"Flow {self.name}: {self.summary}{friction}{source}.", _symbols.Notation(self.latex)

    def to_json(self) -> dict:
        return {"equation": self.equation, "summary": self.summary, "friction": self.friction,
                "reference": self.citation()}


#: the flows by CLI name
REGISTRY: dict[str, FlowEntry] = {e.name: e for e in (
    FlowEntry("gradient", lambda tau: Gradient(), "theta' = -grad L", r"\dot\theta = -\nabla L(\theta)",
              "gradient flow", "marcotte2023"),
    FlowEntry("mirror", lambda tau: Mirror(), "theta' = -theta * grad L",
              r"\dot\theta = -\theta \odot \nabla L(\theta)",
              "mirror flow of the entropy (multiplicative NMF updates)", "marcotte2024",
              where="Section 4.2.1"),
    FlowEntry("momentum", lambda tau: Momentum(tau), "theta'' + tau theta' = -grad L",
              r"\ddot\theta + \tau \dot\theta = -\nabla L(\theta)",
              "heavy ball, on the state of clock, position and velocity", "marcotte2024", friction=True,
              where="Section 4.1"),
    FlowEntry("nmf-momentum", lambda tau: NmfMomentum(tau), "theta'' + tau theta' = -(tau theta + theta') * grad L",
              r"\ddot\theta + \tau \dot\theta = -(\tau \theta + \dot\theta) \odot \nabla L(\theta)",
              "momentum flow of the mirror geometry (NMF)", "marcotte2024", friction=True, where="Section 4.2.1"),
    FlowEntry("momentum-mirror", lambda tau: Momentum(tau, metric=True), "theta'' + tau theta' = -theta * grad L",
              r"\ddot\theta + \tau \dot\theta = -\theta \odot \nabla L(\theta)",
              "heavy ball with the mirror metric at the position (a variant of this toolkit, not the NMF momentum "
              "flow of the paper)", None, friction=True),
    FlowEntry("sign", lambda tau: Sign(), "theta' = -sign(grad L)",
              r"\dot\theta = -\operatorname{sign}(\nabla L(\theta))", "sign-gradient flow", None),
)}
FLOWS = tuple(REGISTRY)


def parse_flow(name: str, tau: str | Fraction | int = 0) -> Flow:
    """A flow from its CLI name and a friction given exactly (``"1/2"``, ``"0.5"``, ``2``).

    >>> parse_flow("momentum", "0.25")
    Momentum(tau=Fraction(1, 4), metric=False)
    >>> parse_flow("mirror").name, parse_flow("nmf-momentum", "1/2").name
    ('mirror', 'nmf-momentum(tau=1/2)')
    """
    if not isinstance(name, str) or name not in REGISTRY:
        raise FlowAlgebraError(f"unknown flow {shorten(repr(name))} (known: {', '.join(FLOWS)})")
    tau = parse_friction(tau)
    entry = REGISTRY[name]
    if tau != 0 and not entry.friction:
        raise FlowAlgebraError(f"--tau applies to momentum flows only (flow {name!r})")
    return entry.build(tau)


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

class FlowSystem(ModelFlowSystem, PolynomialSystem):
    """Generator fields of a flow of a model, on the flow's state (base of :class:`MirrorSystem` and
    :class:`MomentumSystem`)."""

    def __init__(self, model: Model, flow: Flow, params: list[str]):
        super().__init__(model, flow.name, f"{flow.name} flow", params)
        self.flow = flow
        self._fields: list[dict[int, flint.fmpq_mpoly]] | None = None
        self._evaluators: dict[int, object] = {}

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

    def _forces(self, target: int, scale: Callable[[int], flint.fmpq_mpoly] | None = None
                ) -> list[dict[int, flint.fmpq_mpoly]]:
        """The model's generators grad phi_i acting on the coordinates from ``target``, component c multiplied
        by ``scale(c)`` (a polynomial on the state) when given."""
        fields = []
        for base in self.model.generator_fields():
            field = {}
            for c, comp in base.items():
                q = self._embed(comp)
                if scale is not None:
                    q = q * scale(c)
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
        gens = self.ctx.gens()
        return self._forces(0, lambda c: gens[c])

    def float_dynamics(self, loss_gradient: Callable, theta: np.ndarray, rng: np.random.Generator) -> FloatDynamics:
        """theta' = -theta * grad L from a start on the positive orthant (where mirror flows live)."""
        return FloatDynamics(lambda y: -y * loss_gradient(y)[1], np.abs(theta) + 0.1, lambda y: y)


class MomentumSystem(FlowSystem):
    """A momentum flow on the state (clock, theta, v): the drift and the forces (m * grad phi_i(theta)).d_v, with
    m = 1 (:class:`Momentum`), theta (``momentum-mirror``) or tau theta + v (:class:`NmfMomentum`), as the
    flow's ``scaling`` says."""

    def __init__(self, model: Model, flow: Momentum | NmfMomentum):
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
        return MomentumEvaluator(base, self.model.D, self.flow.tau, self.flow.scaling, p)

    def _scale(self) -> Callable[[int], flint.fmpq_mpoly] | None:
        """The factor of the force's component c, exactly: None (Euclidean), theta_c, or tau theta_c + v_c."""
        gens, Dm = self.ctx.gens(), self.model.D
        tau = flint.fmpq(self.flow.tau.numerator, self.flow.tau.denominator)
        if self.flow.scaling == POSITION:
            return lambda c: gens[1 + c]
        if self.flow.scaling == SHIFTED_VELOCITY:
            return lambda c: gens[1 + c] * tau + gens[1 + Dm + c]
        return None

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
        forces = [{c: q for c, q in f.items() if not q.is_zero()} for f in self._forces(1 + Dm, self._scale())]
        return [drift] + forces  # the forces act on v

    def float_dynamics(self, loss_gradient: Callable, theta: np.ndarray, rng: np.random.Generator) -> FloatDynamics:
        """(clock, theta, v)' = (tau clock or 1, v, -tau v - m * grad L) from a random velocity, m as in the exact
        fields; with a metric the start is on the positive orthant (and tau theta + v > 0 for nmf-momentum,
        which the flow keeps: w = v + tau theta follows w' = -w * grad L)."""
        D, tau, scaling = self.model.D, float(self.flow.tau), self.flow.scaling
        velocity = rng.normal(size=D)
        if scaling != EUCLIDEAN:
            theta = np.abs(theta) + 0.1  # mirror flows live on the positive orthant
        if scaling == SHIFTED_VELOCITY:
            velocity = np.abs(velocity) + 0.1
        metric = {EUCLIDEAN: lambda th, v: 1.0, POSITION: lambda th, v: th,
                  SHIFTED_VELOCITY: lambda th, v: tau * th + v}[scaling]

        def field(y):
            clock, th, v = y[0], y[1:1 + D], y[1 + D:]
            return np.concatenate([[tau * clock if tau else 1.0], v,
                                   -tau * v - metric(th, v) * loss_gradient(th)[1]])

        start = np.concatenate([[1.0 if tau else 0.0], theta, velocity])
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
    alpha_0 weighs the drift, the force is scaled as ``scaling`` says (:data:`EUCLIDEAN`, :data:`POSITION`,
    :data:`SHIFTED_VELOCITY`)."""

    def __init__(self, base, Dm: int, tau: Fraction, scaling: str, p: int):
        self.base, self.Dm, self.scaling, self.p = base, Dm, scaling, p
        self.friction = bool(tau)
        self.tau = fmpq_mod(tau, p)

    def batch_limit(self, m: int) -> int:
        return self.base.batch_limit(m)

    def field(self, alpha: np.ndarray, x: np.ndarray) -> np.ndarray:
        p, Dm = self.p, self.Dm
        theta, v = x[:, :, 1:1 + Dm], x[:, :, 1 + Dm:]
        force = self.base.field(alpha[:, 1:], np.ascontiguousarray(theta))
        if self.scaling == POSITION:
            force = jets.mul(theta, force, p)
        elif self.scaling == SHIFTED_VELOCITY:
            force = jets.mul((theta * self.tau + v) % p, force, p)
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
