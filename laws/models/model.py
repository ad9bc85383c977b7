"""Exact symbolic models: parameters theta and a polynomial reparametrisation phi(theta).

A model g(theta, x) = f(phi(theta), x) is described by its parameters and by
phi (Marcotte, Gribonval, Peyré 2023, section 2). Built-in families (dims are
``[n0, n1, ..., nq]``, input to output):

* ``linear(dims, bias)``: phi = the entries of U_q ... U_1 (and, with biases, of
  the affine part);
* ``relu(dims, bias)``: on a region of fixed activation pattern the network is
  multilinear and phi = the path products, one per input-to-output path, plus
  one per bias-to-output path;
* ``Model.from_polynomials``: any list of polynomials in named parameters,
  given as strings (parsed safely, never evaluated) or sympy expressions.

The symbolic phi (python-flint ``fmpq_mpoly``) is built on first use; the
counting engine only needs :meth:`Model.evaluator`, so very large layered
models never expand phi.

>>> m = linear([2, 3, 2])
>>> m.D, m.N, m.params[:3]
(12, 4, ('u1_1', 'u1_2', 'u2_1'))
>>> relu([2, 3, 2], bias=True).N        # 12 input paths, 6 hidden-bias paths, 2 output biases
20
"""
from __future__ import annotations

import keyword
import math
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

import flint
import numpy as np

from algebra.lazy import lazy_module
from algebra.errors import FlowAlgebraError
from algebra.exact.gf2 import kernel_basis
from algebra.exact.modular import PRIME
from algebra.exact.parsing import Expression, parse_expression, shorten
from laws.engine import evaluators
from laws.naming import layered_notation
from laws.system import FloatDynamics, PolynomialSystem, sparse_gradient

sp = lazy_module("sympy")

__all__ = ["Model", "Layered", "linear", "relu", "parity_mask", "check_size", "MAX_PARAMETERS", "MAX_PATHS",
           "MAX_PHI_ENTRIES", "MAX_SYMBOLIC_ENTRIES", "MAX_SYMBOLIC_WORK", "MAX_PHI_TERMS", "MAX_NAME_LENGTH"]

#: refuse models larger than this (parameters)
MAX_PARAMETERS = 20_000
#: refuse models with more components of phi than this (e.g. ReLU paths)
MAX_PATHS = 2_000_000
#: the fast evaluator holds phi as (terms x degree) variable indices: at most this many (128 MB of int64)
MAX_PHI_ENTRIES = 16_000_000
#: phi is built exactly (``laws poly``, ``laws verify``, the sign flow, the zoo) up to this many terms x degree
MAX_SYMBOLIC_ENTRIES = 1_000_000
#: ... and up to this many terms x degree x parameters (exact monomials carry one exponent per parameter)
MAX_SYMBOLIC_WORK = 1_000_000_000
#: a model given by polynomials expands to at most this many terms in all (bounded before expanding)
MAX_PHI_TERMS = 1_000_000
#: a parameter name has at most this many characters
MAX_NAME_LENGTH = 100


def check_size(name: str, D: int, N: int, entries: int = 0, symbolic: bool = False) -> None:
    """Refuse a model of ``D`` parameters and ``N`` components of phi, whose phi has ``entries`` terms x degree
    (``symbolic``: phi is to be built exactly), beyond the named limits; called before anything is built."""
    if D > MAX_PARAMETERS:
        raise FlowAlgebraError(f"{name}: too many parameters ({D:,}, limit {MAX_PARAMETERS:,})")
    if N > MAX_PATHS:
        raise FlowAlgebraError(f"{name}: too many components of phi ({N:,} paths, limit {MAX_PATHS:,})")
    if entries > MAX_PHI_ENTRIES:
        raise FlowAlgebraError(f"{name}: phi has {entries:,} terms x degree entries (limit {MAX_PHI_ENTRIES:,})")
    if symbolic and entries > MAX_SYMBOLIC_ENTRIES:
        raise FlowAlgebraError(f"{name}: the exact phi has {entries:,} terms x degree entries (limit "
                               f"{MAX_SYMBOLIC_ENTRIES:,} for exact work: `laws poly`, `laws verify`, the sign "
                               f"flow, the zoo)")
    if symbolic and entries * D > MAX_SYMBOLIC_WORK:
        raise FlowAlgebraError(f"{name}: the exact phi has {entries:,} terms x degree entries in {D:,} parameters "
                               f"({entries * D:.1e}; limit MAX_SYMBOLIC_WORK = {MAX_SYMBOLIC_WORK:.0e} for exact "
                               f"work: `laws poly`, `laws verify`, the sign flow, the zoo)")


@dataclass(frozen=True)
class Layered:
    """Structure of a layered network: ``kind`` is "linear" or "relu"."""

    kind: str
    dims: tuple[int, ...]
    bias: bool

    @property
    def depth(self) -> int:
        return len(self.dims) - 1

    def weight_offset(self, layer: int) -> int:
        """Index of the first parameter of layer ``layer`` (1-based)."""
        off = 0
        for l in range(1, layer):
            off += self.dims[l] * self.dims[l - 1] + (self.dims[l] if self.bias else 0)
        return off

    def weight_index(self, layer: int, i: int, j: int) -> int:
        """Index of W_layer[i, j] (0-based i, j) in the parameter vector."""
        return self.weight_offset(layer) + i * self.dims[layer - 1] + j

    def bias_index(self, layer: int, i: int) -> int:
        return self.weight_offset(layer) + self.dims[layer] * self.dims[layer - 1] + i

    @property
    def num_params(self) -> int:
        return self.weight_offset(self.depth + 1)

    def parameter_names(self) -> list[str]:
        names: list[str] = []
        q = self.depth
        for l in range(1, q + 1):
            rows, cols = self.dims[l], self.dims[l - 1]
            for i in range(rows):
                for j in range(cols):
                    if q == 2:
                        names.append(f"u{i + 1}_{j + 1}" if l == 1 else f"v{j + 1}_{i + 1}")
                    else:
                        names.append(f"U{l}_{i + 1}_{j + 1}")
            if self.bias:
                for i in range(rows):
                    if q == 2:
                        names.append(f"b{i + 1}" if l == 1 else f"c{i + 1}")
                    else:
                        names.append(f"B{l}_{i + 1}")
        return names

    def paths(self) -> list[np.ndarray]:
        """Variable-index tables of the path products, one table per path length.

        Returns arrays of shape (T, length); input paths first (length q), then
        the bias paths of layers 1..q (lengths q, q-1, ..., 1).
        """
        q = self.depth
        tables = [self._paths_from(0)]
        if self.bias:
            for l in range(1, q + 1):
                tables.append(self._paths_from(l))
        return tables

    def _paths_from(self, start: int) -> np.ndarray:
        """Paths starting at layer ``start`` (0: the inputs; l >= 1: the biases of layer l)."""
        q = self.depth
        layers = list(range(start, q + 1))
        grids = np.indices([self.dims[l] for l in layers]).reshape(len(layers), -1).T  # (T, len)
        cols = []
        if start > 0:
            cols.append(self.weight_offset(start) + self.dims[start] * self.dims[start - 1] + grids[:, 0])
        for pos in range(1, len(layers)):
            l = layers[pos]
            cols.append(self.weight_offset(l) + grids[:, pos] * self.dims[l - 1] + grids[:, pos - 1])
        return np.stack(cols, axis=1).astype(np.int64)

    @property
    def num_phi(self) -> int:
        if self.kind == "linear":
            return self.dims[-1] * self.dims[0] + (self.dims[-1] if self.bias else 0)
        return self.num_paths

    @property
    def num_paths(self) -> int:
        """Input-to-output paths, plus bias-to-output paths with biases."""
        total = math.prod(self.dims)
        if self.bias:
            total += sum(math.prod(self.dims[l:]) for l in range(1, self.depth + 1))
        return total

    @property
    def path_entries(self) -> int:
        """Sum of the path lengths: the terms x degree of the exact phi (for ReLU, also of its evaluator)."""
        q = self.depth
        total = math.prod(self.dims) * q
        if self.bias:
            total += sum(math.prod(self.dims[l:]) * (q - l + 1) for l in range(1, q + 1))
        return total

    @property
    def evaluation_entries(self) -> int:
        """The size of one evaluation of the generator fields (path entries; for linear networks, products of
        layer matrices)."""
        if self.kind == "linear":
            return self.num_params * max(self.dims)
        return self.path_entries


class Model(PolynomialSystem):
    """A model: named parameters and a polynomial map phi over Q; as a system, its gradient flow."""

    def __init__(self, name: str, params: Sequence[str], *, phi: Sequence[flint.fmpq_mpoly] | None = None,
                 ctx: flint.fmpq_mpoly_ctx | None = None, structure: Layered | None = None, description: str = "",
                 notation: str = ""):
        if phi is None and structure is None:
            raise ValueError("a model needs phi or a layered structure")
        self.name = name
        self.params = tuple(params)
        self.structure = structure
        self.description = description or name
        #: what the parameters are, for a document's "Notation." paragraph (prose, math in ``$...$``)
        self.notation = notation
        self._ctx = ctx
        self._phi = tuple(phi) if phi is not None else None
        self._evaluators: dict[int, object] = {}

    def __repr__(self) -> str:
        return f"Model({self.name!r}, D={self.D}, N={self.N})"

    # -- sizes ---------------------------------------------------------------
    @property
    def model(self) -> "Model":
        """The model itself: as a generator system, a model is its gradient flow."""
        return self

    @property
    def N(self) -> int:
        """Number of components of phi (generators of W)."""
        if self._phi is not None:
            return len(self._phi)
        return self.structure.num_phi

    # -- exact symbolic form -------------------------------------------------
    @property
    def phi(self) -> tuple[flint.fmpq_mpoly, ...]:
        """phi as exact polynomials over Q (built on first use for layered models, within
        :data:`MAX_SYMBOLIC_ENTRIES`)."""
        if self._phi is None:
            check_size(self.name, self.D, self.N, self.structure.path_entries, symbolic=True)
            self._phi = tuple(_layered_phi(self.structure, self.ctx))
        return self._phi

    @property
    def evaluation_entries(self) -> int:
        """The size of one evaluation of the generator fields: the terms x degree entries of phi (for layered
        networks, by formula, without building phi)."""
        if self.structure is not None:
            return self.structure.evaluation_entries
        if getattr(self, "_entries", None) is None:
            terms = sum(len(p) for p in self._phi)
            degree = max([int(p.total_degree()) for p in self._phi if not p.is_zero()] + [1])
            self._entries = terms * degree
        return self._entries

    def generator_fields(self) -> list[dict[int, flint.fmpq_mpoly]]:
        """The exact generators chi_i = grad phi_i, sparse."""
        if getattr(self, "_fields", None) is None:
            self._fields = [sparse_gradient(p, self.D) for p in self.phi]
        return self._fields

    def sign_symmetries(self) -> list[int]:
        """Sign flips s (bit masks) with phi_i(s theta) = +-phi_i(theta) for every i.

        >>> Model.from_polynomials(["a*b + c**2"], params=["a", "b", "c"]).sign_symmetries()   # flip a,b; flip c
        [3, 4]
        """
        rows = set()
        for poly in self.phi:
            if len(poly) < 2:   # a single term (a ReLU path) constrains no flip
                continue
            masks = [parity_mask(exps) for exps in poly.monoms()]
            for m in masks[1:]:
                rows.add(m ^ masks[0])
        return kernel_basis(sorted(rows), self.D)

    # -- fast evaluation -----------------------------------------------------
    def evaluator(self, p: int = PRIME):
        """The mod-p gradient evaluator of psi_alpha = sum_i alpha_i phi_i (see :mod:`laws.engine.evaluators`)."""
        if p not in self._evaluators:
            self._evaluators[p] = evaluators.for_model(self, p)
        return self._evaluators[p]

    def float_dynamics(self, loss_gradient: Callable, theta: np.ndarray, rng: np.random.Generator) -> FloatDynamics:
        """Gradient flow theta' = -grad L(theta) from ``theta``."""
        return FloatDynamics(lambda y: -loss_gradient(y)[1], theta, lambda y: y)

    # -- constructors ----------------------------------------------------------
    @classmethod
    def from_polynomials(cls, phi: Sequence, params: Sequence[str] | None = None, name: str = "polynomial",
                         description: str = "") -> "Model":
        """A model from polynomials: strings (parsed safely) or sympy expressions.

        >>> m = Model.from_polynomials(["a*b", "a*c"], params=["a", "b", "c"])
        >>> m.D, m.N, str(m.phi[1])
        (3, 2, 'a*c')
        """
        phi = list(phi)
        if not phi:
            raise FlowAlgebraError("a model needs at least one polynomial in phi")
        if len(phi) > MAX_PATHS:
            raise FlowAlgebraError(f"too many components of phi ({len(phi):,}, limit {MAX_PATHS:,})")
        parsed = [parse_expression(item) if isinstance(item, str) else item for item in phi]
        if params is None:
            params = _collect_names(parsed)
        params = list(params)
        if len(params) > MAX_PARAMETERS:
            raise FlowAlgebraError(f"too many parameters ({len(params):,}, limit {MAX_PARAMETERS:,})")
        _check_names(params)
        if len(set(params)) != len(params):
            raise FlowAlgebraError("parameter names must be distinct")
        if not params:
            raise FlowAlgebraError("a model needs at least one parameter (phi uses none)")
        budget = sum(item.terms for item in parsed if isinstance(item, Expression))
        if budget > MAX_PHI_TERMS:
            raise FlowAlgebraError(f"phi would expand to up to {budget:,} terms in all (limit {MAX_PHI_TERMS:,})")
        ctx = flint.fmpq_mpoly_ctx.get(tuple(params), "deglex")
        polys = [_to_poly(item, ctx) for item in parsed]
        model = cls(name, params, phi=polys, ctx=ctx, description=description or name)
        check_size(name, model.D, model.N, model.evaluation_entries, symbolic=True)
        return model

    def renamed(self, new_names: Sequence[str]) -> "Model":
        """The same model with parameters renamed (order kept)."""
        new_names = list(new_names)
        if len(new_names) != self.D:
            raise FlowAlgebraError("renaming needs one new name per parameter")
        _check_names(new_names)
        ctx = flint.fmpq_mpoly_ctx.get(tuple(new_names), "deglex")
        polys = [ctx.from_dict(poly.to_dict()) for poly in self.phi]
        return Model(f"{self.name} (renamed)", new_names, phi=polys, ctx=ctx, description=self.description)  # names changed: no notation


def linear(dims: Sequence[int], bias: bool = False) -> Model:
    """q-layer linear network ``x -> U_q ... U_1 x`` (affine with ``bias``)."""
    structure = _layered("linear", dims, bias)
    return _layered_model(structure, "linear")


def relu(dims: Sequence[int], bias: bool = False) -> Model:
    """q-layer ReLU network; phi = path products (valid on each activation region)."""
    structure = _layered("relu", dims, bias)
    return _layered_model(structure, "ReLU")


# -- helpers -------------------------------------------------------------------

def _layered_model(s: Layered, kind: str) -> Model:
    """The model of a layered structure, described in math: "2-layer ReLU network $2 \\to 3 \\to 2$"."""
    widths = " \\to ".join(map(str, s.dims))
    return Model(_spec_name(s.kind, s), s.parameter_names(), structure=s,
                 description=f"{s.depth}-layer {kind} network ${widths}$" + (" with biases" if s.bias else ""),
                 notation=layered_notation(s.kind, s.dims, s.bias))


def _layered(kind: str, dims: Sequence[int], bias: bool) -> Layered:
    dims = list(dims)
    if len(dims) < 2:
        raise FlowAlgebraError(f"dims need at least an input and an output size, got {dims}")
    if any((not isinstance(n, (int, np.integer))) or isinstance(n, bool) or n < 1 for n in dims):
        raise FlowAlgebraError(f"dims must be positive integers, got {dims}")
    structure = Layered(kind, tuple(int(n) for n in dims), bool(bias))
    check_size(_spec_name(kind, structure), structure.num_params, structure.num_phi, structure.evaluation_entries)
    return structure


def _spec_name(kind: str, s: Layered) -> str:
    return f"{kind}:{','.join(map(str, s.dims))}" + ("+bias" if s.bias else "")


def _layered_phi(s: Layered, ctx: flint.fmpq_mpoly_ctx) -> list[flint.fmpq_mpoly]:
    gens = ctx.gens()
    if s.kind == "relu":
        phi = []
        for table in s.paths():
            for row in table:
                term = ctx.constant(1)
                for idx in row:
                    term = term * gens[int(idx)]
                phi.append(term)
        return phi
    # linear: top rows of the augmented product
    q = s.depth
    zero, one = ctx.constant(0), ctx.constant(1)

    def augmented(l: int) -> list[list[flint.fmpq_mpoly]]:
        rows, cols = s.dims[l], s.dims[l - 1]
        mat = [[gens[s.weight_index(l, i, j)] for j in range(cols)] + ([gens[s.bias_index(l, i)]] if s.bias else [])
               for i in range(rows)]
        if s.bias and l < q:
            mat.append([zero] * cols + [one])
        return mat

    product = augmented(1)
    for l in range(2, q + 1):
        left = augmented(l)
        product = [[sum((left[i][k] * product[k][j] for k in range(len(product))), zero)
                    for j in range(len(product[0]))] for i in range(len(left))]
    n0, nq = s.dims[0], s.dims[-1]
    phi = [product[i][j] for i in range(nq) for j in range(n0)]
    if s.bias:
        phi += [product[i][n0] for i in range(nq)]
    return phi


def _check_names(names: Iterable[str]) -> None:
    for name in names:
        if not (isinstance(name, str) and name.isidentifier() and name.isascii() and not keyword.iskeyword(name)
                and len(name) <= MAX_NAME_LENGTH):
            raise FlowAlgebraError(f"invalid parameter name {shorten(repr(name))}: use letters, digits and "
                                   f"underscores (at most {MAX_NAME_LENGTH} characters, not a Python keyword)")


def _collect_names(phi: Sequence) -> list[str]:
    """Parameter names appearing in the expressions (parsed, :class:`~algebra.exact.parsing.Expression`, or
    sympy), in order of first appearance.

    A subscripted name ``U1[2,3]`` counts as the parameter ``U1_2_3``.
    """
    seen: dict[str, None] = {}
    for item in phi:
        if isinstance(item, Expression):
            seen.update(dict.fromkeys(item.names))
        elif isinstance(item, sp.Expr):
            for sym in sorted(item.free_symbols, key=lambda s: s.name):
                seen[sym.name] = None
        else:
            raise FlowAlgebraError(f"phi entries must be strings or sympy expressions, got {type(item).__name__}")
    return list(seen)


def _to_poly(item, ctx: flint.fmpq_mpoly_ctx) -> flint.fmpq_mpoly:
    if isinstance(item, Expression):
        return item.polynomial(ctx)
    if isinstance(item, sp.Expr):
        names = ctx.names()
        gens = [sp.Symbol(n, real=True) for n in names]
        sub = {s: g for s in item.free_symbols for g in gens if g.name == s.name}
        expr = item.xreplace(sub)
        extra = expr.free_symbols - set(gens)
        if extra:
            raise FlowAlgebraError(f"expression uses symbols that are not parameters: {sorted(s.name for s in extra)}")
        try:
            poly = sp.Poly(expr, *gens, domain="QQ")
        except sp.PolynomialError:
            raise FlowAlgebraError(f"not a polynomial in the parameters: {item}") from None
        return ctx.from_dict({tuple(m): flint.fmpq(int(c.p), int(c.q)) for m, c in poly.terms()})
    raise FlowAlgebraError(f"phi entries must be strings or sympy expressions, got {type(item).__name__}")


def parity_mask(exps) -> int:
    """Bit mask of the odd exponents of a monomial."""
    mask = 0
    for v, e in enumerate(exps):
        if int(e) & 1:
            mask |= 1 << v
    return mask
