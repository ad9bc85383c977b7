"""Flows other than plain gradient flow, as generator sets on an extended state.

No new engine: a flow is a :class:`FlowSystem`, a system of polynomial
generator fields on a state, and the Lie-closure count, the polynomial laws
and the verification run on it unchanged (:mod:`laws.system`).

* ``gradient``: X_i = grad phi_i on theta (the model itself).
* ``mirror``: X_i = diag(theta) grad phi_i, the mirror flow of the entropy
  (multiplicative / NMF updates, theta' = -theta * grad L).
* ``momentum``: heavy ball theta'' + tau theta' = -grad L on the state
  (s, theta, v) with s = e^{tau t} (exact: s' = tau s is polynomial; for
  tau = 0 the clock is t itself, t' = 1). The loss enters only through
  dL/dphi_i, arbitrary for a law valid for every loss, so the generators are
  the drift Y_0 = tau s d_s + v.d_theta - tau v.d_v and Y_i = grad phi_i(theta).d_v
  (Marcotte, Gribonval, Peyre, "Keep the momentum", 2024).
* ``momentum-mirror``: momentum with the metric diag(theta):
  Y_i = diag(theta) grad phi_i(theta).d_v.
* ``sign``: theta' = -sign(grad L), not a generator system; its laws are
  counted by :mod:`laws.flows.sign` (count only).

tau is an exact rational (``Fraction``); it never becomes a float here.

>>> from laws.models.model import linear
>>> from laws.closure import count_laws
>>> count_laws(flow_system(linear([1, 1, 1]), "mirror")).laws      # u - v is conserved by u' = -u v l', v' = -v u l'
1
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import flint
import numpy as np

from algebra.errors import FlowAlgebraError
from algebra.exact.gf2 import Gf2Basis, kernel_basis
from algebra.exact.modular import PRIME
from laws.engine import jets
from laws.models.model import parity_mask
from laws.system import GeneratorSystem

FLOWS = ("gradient", "mirror", "momentum", "momentum-mirror", "sign")


@dataclass(frozen=True)
class Flow:
    """A flow: ``kind`` gradient or momentum, an optional diagonal metric, friction tau."""

    kind: str
    metric: bool = False
    tau: Fraction = Fraction(0)

    @property
    def name(self) -> str:
        base = {("gradient", False): "gradient", ("gradient", True): "mirror", ("sign", False): "sign",
                ("momentum", False): "momentum", ("momentum", True): "momentum-mirror"}[(self.kind, self.metric)]
        return base + (f"(tau={self.tau})" if self.kind == "momentum" else "")


def parse_flow(name: str, tau: str | Fraction | int = 0) -> Flow:
    """A flow from its CLI name and a friction given exactly (``"1/2"``, ``"0.5"``, ``2``).

    >>> parse_flow("momentum", "0.25")
    Flow(kind='momentum', metric=False, tau=Fraction(1, 4))
    """
    if name not in FLOWS:
        raise FlowAlgebraError(f"unknown flow {name!r} (known: {', '.join(FLOWS)})")
    try:
        tau = Fraction(str(tau).strip())
    except (ValueError, ZeroDivisionError):
        raise FlowAlgebraError(f"--tau must be a number like 0, 1/2 or 0.5, got {tau!r}") from None
    if tau < 0:
        raise FlowAlgebraError(f"--tau must be >= 0, got {tau}")
    kind = "momentum" if name.startswith("momentum") else ("sign" if name == "sign" else "gradient")
    if kind == "gradient" and tau != 0:
        raise FlowAlgebraError(f"--tau applies to momentum flows only (flow {name!r})")
    return Flow(kind, metric=name.endswith("mirror"), tau=tau)


def flow_system(model, flow: Flow | str, tau=0):
    """The generator system of a model under a flow (the model itself for gradient flow)."""
    if isinstance(flow, str):
        flow = parse_flow(flow, tau)
    if flow.kind == "gradient" and not flow.metric:
        return model
    if flow.kind == "sign":
        from laws.flows.sign import SignFlowSystem

        return SignFlowSystem(model)
    return FlowSystem(model, flow)


class FlowSystem(GeneratorSystem):
    """Generator fields of a flow of a model, on the flow's state."""

    def __init__(self, model, flow: Flow):
        self.model = model
        self.flow = flow
        self.name = f"{model.name} [{flow.name}]"
        self.description = f"{model.description}, {flow.name} flow"
        self.structure = None
        names = list(model.params)
        if flow.kind == "momentum":
            clock = "s" if flow.tau else "t"
            if clock in names or any(f"dot_{n}" in names for n in model.params):
                raise FlowAlgebraError("parameter names clash with the momentum state (s, t, dot_*)")
            names = [clock] + names + [f"dot_{n}" for n in model.params]
        self.params = tuple(names)
        self._ctx = None
        self._evaluators: dict[int, FlowEvaluator] = {}

    def __repr__(self) -> str:
        return f"FlowSystem({self.name!r}, D={self.D}, N={self.N})"

    @property
    def N(self) -> int:
        return self.model.N + (1 if self.flow.kind == "momentum" else 0)

    @property
    def theta_offset(self) -> int:
        return 1 if self.flow.kind == "momentum" else 0

    def evaluator(self, p: int = PRIME) -> "FlowEvaluator":
        if p not in self._evaluators:
            self._evaluators[p] = FlowEvaluator(self, self.model.evaluator(p), p)
        return self._evaluators[p]

    def generator_fields(self) -> list[dict[int, flint.fmpq_mpoly]]:
        if getattr(self, "_fields", None) is not None:
            return self._fields
        model, flow, ctx = self.model, self.flow, self.ctx
        off, Dm = self.theta_offset, model.D
        gens = ctx.gens()
        fields = []
        if flow.kind == "momentum":
            tau = flint.fmpq(flow.tau.numerator, flow.tau.denominator)
            drift = {0: (gens[0] * tau) if flow.tau else ctx.constant(1)}
            for k in range(Dm):
                drift[1 + k] = gens[1 + Dm + k]
            if flow.tau:
                for k in range(Dm):
                    drift[1 + Dm + k] = -tau * gens[1 + Dm + k]
            drift = {c: q for c, q in drift.items() if not q.is_zero()}
            fields.append(drift)
        target = off + (Dm if flow.kind == "momentum" else 0)  # where the force acts: v (momentum) or theta
        for base in model.generator_fields():
            field = {}
            for c, comp in base.items():
                q = self._embed(comp)
                if flow.metric:
                    q = q * gens[off + c]
                field[target + c] = q
            fields.append(field)
        self._fields = fields
        return fields

    def _embed(self, poly: flint.fmpq_mpoly) -> flint.fmpq_mpoly:
        """A polynomial in the model's parameters as a polynomial on the state."""
        off = self.theta_offset
        pad = self.D - off - self.model.D
        return self.ctx.from_dict({(0,) * off + tuple(e) + (0,) * pad: c for e, c in poly.to_dict().items()})

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


def _basis_vectors(basis: Gf2Basis) -> list[int]:
    return sorted(v for v in basis.by_pivot.values() if v)


class FlowEvaluator:
    """Mod-p flow fields on jets: alpha (B, N) and a state jet (2^m, B, D) -> (2^m, B, D)."""

    def __init__(self, system: FlowSystem, base, p: int):
        self.system, self.base, self.p = system, base, p
        tau = system.flow.tau
        self.tau = tau.numerator * pow(tau.denominator, -1, p) % p

    def batch_limit(self, m: int) -> int:
        return self.base.batch_limit(m)

    def field(self, alpha: np.ndarray, x: np.ndarray) -> np.ndarray:
        p, flow, Dm = self.p, self.system.flow, self.system.model.D
        if flow.kind == "gradient":
            force = self.base.field(alpha, x)
            return jets.mul(x, force, p) if flow.metric else force
        theta, v = x[:, :, 1:1 + Dm], x[:, :, 1 + Dm:]
        force = self.base.field(alpha[:, 1:], np.ascontiguousarray(theta))
        if flow.metric:
            force = jets.mul(theta, force, p)
        if flow.tau:
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
