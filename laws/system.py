"""Generator systems: the one interface every flow of a model honours, and what the engines need from it.

A *system* is a state space with named coordinates on which a flow of a model moves, for any loss; a
conservation law is a function h of the state that the flow keeps constant for every loss.

* :class:`GeneratorSystem` (every system): the coordinates ``params`` (hence :attr:`~GeneratorSystem.D`,
  :attr:`~GeneratorSystem.symbols`, the exact polynomial context, :meth:`~GeneratorSystem.parse` and
  :meth:`~GeneratorSystem.to_sympy`), a ``name`` and a ``description``, the number ``N`` of generators
  and the ``model`` whose flow it is. The sign-gradient flow is one
  (:class:`~laws.flows.sign.SignFlowSystem`): its field is not polynomial.
* :class:`PolynomialSystem`: N polynomial vector fields X_1..X_N, and h is conserved iff X_i(h) = 0 for
  every i. :class:`~laws.models.model.Model` is the system of gradient flow (X_i = grad phi_i);
  :class:`~laws.flows.extended.FlowSystem` covers mirror and momentum flows on an extended state.
* :class:`ModelFlowSystem`: what every system of a model under a flow other than gradient flow shares (the
  model it was built from, its name and description, ``repr`` and the evaluation size), whether polynomial
  (:class:`~laws.flows.extended.FlowSystem`) or not (:class:`~laws.flows.sign.SignFlowSystem`).
  Subclasses provide ``generator_fields()`` (exact, sparse: one ``{coordinate: polynomial}`` dict per
  field), ``evaluator(p)`` (fast mod-p fields on jets), ``sign_symmetries()`` and
  ``float_dynamics(...)`` (the flow in floats, for the numeric check).

The engines (:func:`~laws.closure.count_laws`, :func:`~laws.polynomial.find_polynomial_laws`,
:func:`~laws.verify.verify_law`) are generic functions: their implementation for a
:class:`PolynomialSystem` is the polynomial engine, and a system of another kind registers its own
(:mod:`laws.flows.sign`).

>>> from laws.models.model import relu
>>> m = relu([2, 2, 1])
>>> isinstance(m, PolynomialSystem), m.D, m.model is m
(True, 6, True)
>>> m.prove(m.parse("u1_1**2 + u1_2**2 - v1_1**2"))
True
"""
from __future__ import annotations

import abc
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Callable, Sequence

import flint
import numpy as np

from algebra.exact.parsing import parse_polynomial
from algebra.lazy import lazy_module

if TYPE_CHECKING:
    from laws import parameter as _parameter
    from laws.parameter import Parameter

sp = lazy_module("sympy")  # for the sympy forms of a system's polynomials only
_parameter = lazy_module("laws.parameter")  # Parameter, a sympy Symbol: for symbols

__all__ = ["GeneratorSystem", "PolynomialSystem", "ModelFlowSystem", "FloatDynamics", "sparse_gradient", "polynomial_to_sympy"]


class GeneratorSystem(abc.ABC):
    """A flow of a model on named coordinates: symbols, safe parsing, exact polynomials in the coordinates.

    Subclasses set ``params`` (the coordinates, in order), ``name`` and ``description``, and define
    :attr:`N` and :attr:`model`.
    """

    params: tuple[str, ...]
    name: str
    description: str

    @property
    @abc.abstractmethod
    def N(self) -> int:
        """Number of generators (the model's N, plus the drift for second-order flows)."""

    @property
    @abc.abstractmethod
    def model(self) -> "PolynomialSystem":
        """The model whose flow this system is (the model itself for gradient flow)."""

    @property
    def D(self) -> int:
        """Dimension of the state (number of coordinates)."""
        return len(self.params)

    @property
    def ctx(self) -> flint.fmpq_mpoly_ctx:
        """The exact polynomial ring Q[coordinates] (python-flint, deglex)."""
        if getattr(self, "_ctx", None) is None:
            self._ctx = flint.fmpq_mpoly_ctx.get(self.params, "deglex")
        return self._ctx

    @cached_property
    def symbols(self) -> tuple[Parameter, ...]:
        """The coordinates as sympy symbols (LaTeX with indices)."""
        return tuple(_parameter.Parameter(name) for name in self.params)

    def to_sympy(self, poly: flint.fmpq_mpoly) -> sp.Expr:
        """An exact polynomial of this system as a sympy expression in :attr:`symbols`."""
        return polynomial_to_sympy(poly, self.symbols)

    def parse(self, text: str) -> flint.fmpq_mpoly:
        """Parse a polynomial in the coordinates (safely; see :mod:`algebra.exact.parsing`)."""
        return parse_polynomial(text, self.ctx)


@dataclass(frozen=True)
class FloatDynamics:
    """A flow in floats for one loss: ``field(state)``, the ``start`` state, and ``theta(state)``, the model's
    parameters in a state (for the loss along the trajectory)."""

    field: Callable[[np.ndarray], np.ndarray]
    start: np.ndarray
    theta: Callable[[np.ndarray], np.ndarray]


class PolynomialSystem(GeneratorSystem):
    """A system of N polynomial generator fields: h is conserved iff X_i(h) = 0 for every i."""

    #: the layered structure (a :class:`laws.models.model.Layered`, for balance matrices), or None: only layered
    #: models under gradient flow have one (the models sit above this interface, so it is not imported here)
    structure: Any = None

    @abc.abstractmethod
    def generator_fields(self) -> list[dict[int, flint.fmpq_mpoly]]:
        """The exact generators X_i, sparse: ``{coordinate: nonzero polynomial component}`` per field."""

    @abc.abstractmethod
    def evaluator(self, p: int):
        """The fields mod p on jets: ``field(alpha, x)`` gives sum_i alpha_i X_i at the jet points x
        (alpha of shape (B, N), x of shape (2^m, B, D)); ``batch_limit(m)`` bounds B."""

    @abc.abstractmethod
    def sign_symmetries(self) -> list[int]:
        """Sign flips s (bit masks over the coordinates) with X_i(s x) = +-s X_i(x) for every generator."""

    @abc.abstractmethod
    def float_dynamics(self, loss_gradient: Callable, theta: np.ndarray, rng: np.random.Generator) -> FloatDynamics:
        """The flow in floats for a loss of the model (``loss_gradient(theta) -> (L, grad L)``) from the model
        parameters ``theta`` (other start coordinates drawn from ``rng``)."""

    def fields_touching(self, support: set[int]) -> list[int]:
        """Indices of the generators with a nonzero component on one of the coordinates."""
        index = getattr(self, "_fields_by_coordinate", None)
        if index is None:
            index = {}
            for i, field in enumerate(self.generator_fields()):
                for v in field:
                    index.setdefault(v, []).append(i)
            self._fields_by_coordinate = index
        return sorted({i for v in support for i in index.get(v, [])})

    def pairing(self, grad_h: Sequence[flint.fmpq_mpoly], i: int) -> flint.fmpq_mpoly:
        """X_i(h) = <grad h, X_i>, exactly."""
        total = self.ctx.constant(0)
        for v, component in self.generator_fields()[i].items():
            if not grad_h[v].is_zero():
                total += grad_h[v] * component
        return total

    def prove(self, h: flint.fmpq_mpoly) -> bool:
        """Exact proof over Q that h is conserved: X_i(h) == 0 for every generator."""
        grad_h = [h.derivative(v) for v in range(self.D)]
        support = {v for v, g in enumerate(grad_h) if not g.is_zero()}
        return all(self.pairing(grad_h, i).is_zero() for i in self.fields_touching(support))


class ModelFlowSystem(GeneratorSystem):
    """The system of a model under a flow other than gradient flow, on the coordinates ``params``.

    It keeps the model it was built from (:attr:`model`), is named ``"<model> [<flow>]"`` and described as
    ``"<model's description>, <flow's description>"``, and its evaluations have the model's size. Combine it
    with :class:`PolynomialSystem` for a flow with polynomial fields.

    >>> from laws.models.model import relu
    >>> from laws.flows.extended import flow_system
    >>> m = relu([2, 2, 1])
    >>> [(type(s).__name__, s.model is m) for s in (flow_system(m, "mirror"), flow_system(m, "sign"))]
    [('MirrorSystem', True), ('SignFlowSystem', True)]
    >>> flow_system(m, "mirror")
    MirrorSystem('relu:2,2,1 [mirror]', D=6, N=4)
    """

    def __init__(self, model: "PolynomialSystem", flow_name: str, flow_description: str, params: Sequence[str]):
        self._model = model
        self.name = f"{model.name} [{flow_name}]"
        self.description = f"{model.description}, {flow_description}"
        self.params = tuple(params)
        self._ctx = model.ctx if self.params == tuple(model.params) else None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}, D={self.D}, N={self.N})"

    @property
    def model(self) -> "PolynomialSystem":
        return self._model

    @property
    def evaluation_entries(self) -> int:
        """The size of one evaluation of the fields: the model's (see ``Model.evaluation_entries``)."""
        return self.model.evaluation_entries


def sparse_gradient(poly: flint.fmpq_mpoly, nvars: int) -> dict[int, flint.fmpq_mpoly]:
    """grad poly as ``{coordinate: nonzero partial derivative}``."""
    used = set()
    for exps in poly.monoms():
        used.update(v for v, e in enumerate(exps) if e)
    return {v: poly.derivative(v) for v in sorted(used)}


def polynomial_to_sympy(poly: flint.fmpq_mpoly, symbols: Sequence[sp.Symbol]) -> sp.Expr:
    """An ``fmpq_mpoly`` as a sympy expression in the given symbols (same order as its context)."""
    terms = []
    for exps, coeff in poly.terms():
        term = sp.Rational(int(coeff.p), int(coeff.q))
        for sym, e in zip(symbols, exps):
            if e:
                term *= sym ** int(e)
        terms.append(term)
    return sp.Add(*terms)
