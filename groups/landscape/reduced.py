"""The teacher-student loss on a fixed-point subspace Fix(Delta(S_p1 x ... x S_pr)), exactly, for block
sizes that may be symbols (``k - 1``): the result then holds for every ``k``.

With teacher :math:`V = I_k`, :math:`k = \\sum_a p_a`, a matrix of the subspace has, in the Young
coordinates (:class:`~groups.symmetric.young.YoungCoordinates`), diagonal entries :math:`x_a`, entries
:math:`y_a` off the diagonal of block ``a`` and :math:`z_{ab}` in the rows of block ``a`` and the columns
of block ``b``. Norms and inner products of its rows depend only on the block sizes, so
:math:`F_H = F|_{\\mathrm{Fix}}` is a closed expression; by symmetric criticality its critical points are
critical points of :math:`F` (Arjevani & Field, *Analytic study of families of spurious minima in
two-layer ReLU networks*, 2021). :func:`compiled_young` compiles it (and its gradient) once per
block pattern for float and mpmath, with the sizes as arguments.

>>> k = sp.Symbol("k", positive=True, integer=True)
>>> expr, coords = reduced_young_loss((k,))
>>> coords.names
('x_1', 'y_1')
>>> sp.simplify(expr.subs({coords.symbols[0]: 1, coords.symbols[1]: 0}))
0
>>> reduced_loss("k-1,1").to_json()["shape"]
['k - 1', 1]
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Sequence

import mpmath
import sympy as sp

from algebra.commandline import MAX_INTEGER_DIGITS
from algebra.errors import FlowAlgebraError
from algebra.present import Derivation, Result, cite, inline, inline_list
from algebra.exact.encoding import exact_json
from groups.landscape.symbolic import symbolic_kernel
from groups.limits import MAX_BLOCKS, MAX_LIST_TEXT, PROGRESS_SECONDS, progress, shorten
from groups.symmetric.notation import fix_tex, group_tex, landscape_notation
from groups.symmetric.young import YoungCoordinates

__all__ = ["K_SYMBOL", "RowProducts", "row_products", "assemble_young_loss", "reduced_young_loss", "reduced_young_derivatives", "ReducedFunctions", "compiled_young",
           "check_blocks", "parse_symbolic_shape", "ReducedLoss", "reduced_loss"]

#: the number of neurons, as a symbol, in symbolic block sizes
K_SYMBOL = sp.Symbol("k", positive=True, integer=True)

_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class RowProducts:
    """Squared norms and inner products of the rows of a matrix in Fix(Delta(S_p1 x ... x S_pr)), by block:
    ``norm2[a]`` of a row of block ``a``, ``same[a]`` of two rows of block ``a``, ``cross[a][b]`` of a row of
    block ``a`` and one of block ``b``; with the Young coordinates they come from."""

    coordinates: YoungCoordinates
    norm2: tuple
    same: tuple
    cross: tuple


def row_products(sizes: Sequence) -> RowProducts:
    """The row products of :class:`RowProducts`, exactly, for block sizes that may be symbols.

    >>> k = sp.Symbol("k")
    >>> row_products((k,)).norm2[0]
    x_1**2 + y_1**2*(k - 1)
    """
    coords = YoungCoordinates(sizes)
    p = coords.sizes
    r = len(p)
    X = [coords.symbol("x", a) for a in range(r)]
    Y = [coords.symbol("y", a) for a in range(r)]
    Z = [[coords.symbol("z", a, b) if a != b else None for b in range(r)] for a in range(r)]

    def others(a, expr_of_c):
        return sum((expr_of_c(c) for c in range(r) if c != a), sp.Integer(0))

    norm2 = [X[a] ** 2 + (p[a] - 1) * Y[a] ** 2 + others(a, lambda c, a=a: p[c] * Z[a][c] ** 2) for a in range(r)]
    same = [2 * X[a] * Y[a] + (p[a] - 2) * Y[a] ** 2 + others(a, lambda c, a=a: p[c] * Z[a][c] ** 2) for a in range(r)]

    def cross(a, b):
        inner = Z[b][a] * (X[a] + (p[a] - 1) * Y[a]) + Z[a][b] * (X[b] + (p[b] - 1) * Y[b])
        inner += sum((p[c] * Z[a][c] * Z[b][c] for c in range(r) if c not in (a, b)), sp.Integer(0))
        return inner

    return RowProducts(coords, tuple(norm2), tuple(same),
                       tuple(tuple(cross(a, b) if a != b else None for b in range(r)) for a in range(r)))


def assemble_young_loss(rows: RowProducts, kernel: Callable) -> sp.Expr:
    """F on the fixed-point subspace from its row products and a ``kernel(norm2_u, norm2_v, inner)`` (the
    arc-cosine kernel :func:`~groups.landscape.symbolic.symbolic_kernel`, or an undefined function to show
    the structure of the loss); the teacher rows are the unit vectors :math:`e_j`."""
    coords = rows.coordinates
    p, r = coords.sizes, len(coords.sizes)
    X = [coords.symbol("x", a) for a in range(r)]
    Y = [coords.symbol("y", a) for a in range(r)]
    one = sp.Integer(1)
    student = sum(p[a] * kernel(rows.norm2[a], rows.norm2[a], rows.norm2[a]) for a in range(r))  # f(w, w) = |w|^2/2
    student += sum(p[a] * (p[a] - 1) * kernel(rows.norm2[a], rows.norm2[a], rows.same[a]) for a in range(r))
    student += sum(p[a] * p[b] * kernel(rows.norm2[a], rows.norm2[b], rows.cross[a][b])
                   for a in range(r) for b in range(r) if a != b)
    teacher = sum(
        p[a] * (kernel(rows.norm2[a], one, X[a]) + (p[a] - 1) * kernel(rows.norm2[a], one, Y[a])
                + sum((p[c] * kernel(rows.norm2[a], one, coords.symbol("z", a, c)) for c in range(r) if c != a),
                      sp.Integer(0)))
        for a in range(r)
    )
    k = sum(p)
    constant = k / 2 + k * (k - 1) / (2 * sp.pi)
    return sp.Rational(1, 2) * student - teacher + constant / 2


def reduced_young_loss(sizes: Sequence) -> tuple[sp.Expr, YoungCoordinates]:
    """Exact F restricted to Fix(Delta(S_p1 x ... x S_pr)) with teacher :math:`V = I_k`, :math:`k = \\sum p_a`,
    and its Young coordinates.

    Sizes may be symbols (e.g. ``(k - 1, 1)`` with ``k`` a symbol): the result
    then holds for every ``k``. Rows of block ``a`` have squared norm
    :math:`x_a^2 + (p_a-1)y_a^2 + \\sum_{c\\ne a} p_c z_{ac}^2`; inner products
    and correlations with the teacher rows :math:`e_j` follow from the block
    pattern (:func:`row_products`).
    """
    check_blocks(len(sizes))
    rows = row_products(sizes)
    return assemble_young_loss(rows, symbolic_kernel), rows.coordinates


def reduced_young_derivatives(sizes: Sequence) -> tuple[sp.Expr, list[sp.Expr], sp.Matrix, YoungCoordinates]:
    """Exact loss, gradient and Hessian on Fix(Delta(S_p1 x ... x S_pr)) as sympy expressions.

    The Hessian is expensive to build beyond two blocks; the solvers use the
    compiled gradient and differentiate it numerically instead.

    >>> k = sp.Symbol("k", positive=True, integer=True)
    >>> F, grad, hess, coords = reduced_young_derivatives((k,))
    >>> hess.shape
    (2, 2)
    """
    expr, coords = reduced_young_loss(sizes)
    params = list(coords.symbols)
    grad = [sp.diff(expr, s) for s in params]
    return expr, grad, sp.Matrix([[sp.diff(g, s) for s in params] for g in grad]), coords


# --------------------------------------------------------------------------- compiled reduced functions

def _safe_functions(module: str) -> dict:
    """acos/sqrt that tolerate rounding just outside their domain (float or mpmath)."""
    if module == "mpmath":
        def acos(x):
            return mpmath.acos(max(min(x, 1), -1))

        def sqrt(x):
            return mpmath.sqrt(max(x, 0))

        return {"acos": acos, "sqrt": sqrt}

    def acos(x):
        return math.acos(max(min(x, 1.0), -1.0))

    def sqrt(x):
        return math.sqrt(max(x, 0.0))

    return {"acos": acos, "sqrt": sqrt}


@dataclass
class ReducedFunctions:
    """Loss and gradient of the reduced loss, compiled for float and mpmath (block sizes are arguments)."""

    coordinates: YoungCoordinates
    expr: sp.Expr
    float_fns: tuple
    mp_fns: tuple

    def bind(self, parts: Sequence[int], module: str = "float") -> tuple[Callable, Callable]:
        """``(loss(p), grad(p))`` callables for concrete block sizes."""
        sizes = [int(s) for s in parts]
        if module == "float":  # plain floats: math raises ZeroDivisionError instead of numpy's silent inf
            return tuple((lambda p, fn=fn: fn(*sizes, *(float(x) for x in p))) for fn in self.float_fns)
        return tuple((lambda p, fn=fn: fn(*sizes, *p)) for fn in self.mp_fns)


@lru_cache(maxsize=None)
def compiled_young(pattern: tuple[bool, ...]) -> ReducedFunctions:
    """Compile the reduced loss and gradient for blocks of symbolic sizes; ``pattern[a]`` says whether block
    ``a`` has size 1 (no ``y_a``). Cached: one compilation serves every ``k``.
    """
    sizes = tuple(sp.Integer(1) if single else sp.Symbol(f"p_{a + 1}", positive=True, integer=True)
                  for a, single in enumerate(pattern))
    all_sizes = [sp.Symbol(f"p_{a + 1}", positive=True, integer=True) for a in range(len(pattern))]
    expr, coords = reduced_young_loss(sizes)
    grad = [sp.diff(expr, s) for s in coords.symbols]
    args = all_sizes + list(coords.symbols)
    fns = {}
    for module in ("float", "mpmath"):
        mods = [_safe_functions(module), "mpmath" if module == "mpmath" else "math"]
        fns[module] = (sp.lambdify(args, expr, modules=mods, cse=True), sp.lambdify(args, grad, modules=mods, cse=True))
    return ReducedFunctions(coords, expr, fns["float"], fns["mpmath"])


# --------------------------------------------------------------------------- the reduced loss as a result value

def check_blocks(count: int) -> None:
    """Refuse a Young type of more than :data:`~groups.limits.MAX_BLOCKS` blocks before its reduced loss is
    built: the expression has about ``blocks^3`` kernel terms and sympy's time grows faster still."""
    if count > MAX_BLOCKS:
        raise FlowAlgebraError(f"{count} blocks: the exact reduced loss is built for at most {MAX_BLOCKS} blocks "
                               f"(MAX_BLOCKS; its size grows like blocks^3)")


def parse_symbolic_shape(text: str) -> tuple[sp.Expr, ...]:
    """Block sizes in terms of a symbolic ``k``: ``"k-1,1"`` -> ``(k - 1, 1)`` (parsed by hand: ``k``, ``k-<n>``
    or a positive integer ``<n>``, ASCII digits; exactly one block in ``k``, summing to k; at most
    :data:`~groups.limits.MAX_BLOCKS` blocks).

    >>> parse_symbolic_shape("k-2,1,1")
    (k - 2, 1, 1)
    >>> parse_symbolic_shape("k-1,2")
    Traceback (most recent call last):
    ...
    algebra.errors.FlowAlgebraError: block sizes 'k-1,2' must add up to k (they add up to k + 1)
    """
    if not isinstance(text, str):
        raise FlowAlgebraError(f"a shape is text like k-1,1, got {shorten(repr(text))}")
    if len(text) > MAX_LIST_TEXT:
        raise FlowAlgebraError(f"the shape is {len(text)} characters long, more than the limit {MAX_LIST_TEXT}")
    tokens = [t.strip().replace(" ", "") for t in text.split(",")]
    check_blocks(len(tokens))
    sizes = []
    for n, tok in enumerate(tokens, start=1):
        number = tok[2:] if tok.startswith("k-") else tok
        if tok == "k":
            sizes.append(K_SYMBOL)
        elif _DIGITS.fullmatch(number) and len(number) <= MAX_INTEGER_DIGITS and (tok.startswith("k-") or int(number) > 0):
            sizes.append(K_SYMBOL - int(number) if tok.startswith("k-") else sp.Integer(int(number)))
        elif not tok:
            raise FlowAlgebraError(f"block sizes are k, k-<integer> or positive integers, got {shorten(text)!r} "
                                   f"(block {n} is empty)")
        else:
            raise FlowAlgebraError(f"block sizes are k, k-<integer> or positive integers (at most {MAX_INTEGER_DIGITS} "
                                   f"digits), got {shorten(tok, 30)!r}")
    total = sp.expand(sum(sizes))
    if total != K_SYMBOL:
        raise FlowAlgebraError(f"block sizes {shorten(text)!r} must add up to k (they add up to {total})")
    return tuple(sizes)


@dataclass(repr=False)
class ReducedLoss(Result):
    """F on Fix(Delta(S_p1 x ... x S_pr)) with V = I, block sizes possibly symbolic in k (exact)."""

    shape: tuple
    expr: sp.Expr
    coordinates: YoungCoordinates
    gradient: list

    def to_json(self) -> dict:
        return {"shape": [exact_json(s) for s in self.shape], "parameters": list(self.coordinates.names),
                "loss": str(self.expr), "gradient": [str(g) for g in self.gradient], "exact": True}

    def summary(self) -> str:
        return (f"F restricted to Fix(Delta({' x '.join(f'S_({s})' for s in self.shape)})), V = I_k, parameters "
                f"{', '.join(self.coordinates.names)}:\nF = {sp.sstr(self.expr)}")

    def derivation(self) -> Derivation:
        symbols = self.coordinates.symbols
        r = len(self.shape)
        group = group_tex(self.shape)
        blocks = ", ".join(str(a) for a in range(1, r + 1)) if r <= 3 else f"1, \\dots, {r}"
        d = Derivation(f"The loss on {inline(fix_tex(self.shape))}, for every $k$",
                       notation=landscape_notation(extra=[
                           f"the blocks of {inline(group)} are numbered $a = {blocks}$, block $a$ of size $p_a$",
                           "a matrix of the subspace has diagonal entries $x_a$ in block $a$, entries $y_a$ off the "
                           "diagonal inside block $a$ and $z_{ab}$ in the rows of block $a$ and the columns of block $b$"]))
        rows = row_products(self.shape)
        N = [sp.Symbol(f"N_{a + 1}") for a in range(r)]
        S = [sp.Symbol(f"S_{a + 1}") for a in range(r)]
        C = [[sp.Symbol(f"C_{{{a + 1}{b + 1}}}") if a != b else None for b in range(r)] for a in range(r)]
        alpha, beta, gamma = sp.symbols("alpha beta gamma")
        kernel = sp.Function("f")
        d.add("With $V = I_k$ the squared norms and inner products of the rows depend only on the blocks: a row of "
              "block $a$ has squared norm $N_a$, two different rows of block $a$ have inner product $S_a$ and rows of "
              "blocks $a \\neq b$ have inner product $C_{ab}$, where",
              [sp.Eq(N[a], rows.norm2[a]) for a in range(r)]
              + [sp.Eq(S[a], rows.same[a]) for a in range(r) if self.shape[a] != 1]
              + [sp.Eq(C[a][b], rows.cross[a][b]) for a in range(r) for b in range(r) if a < b])
        names = {rows.norm2[a]: N[a] for a in range(r)}
        names.update({rows.same[a]: S[a] for a in range(r)})
        names.update({rows.cross[a][b]: C[min(a, b)][max(a, b)] for a in range(r) for b in range(r) if a != b})
        d.add(f"In terms of the arc-cosine kernel of two vectors of squared norms $\\alpha, \\beta$ and inner "
              "product $\\gamma$ (the teacher rows $e_j$ have $\\alpha = 1$ and inner products $x_a$, $y_a$, "
              "$z_{ab}$ with the student rows, and a row with itself gives $f(N, N, N) = N/2$), the loss on the subspace, "
              f"a function of {inline_list(symbols)}, is",
              [sp.Eq(kernel(alpha, beta, gamma), symbolic_kernel(alpha, beta, gamma), evaluate=False),
               sp.Eq(sp.Symbol("F_H"), _by_term(assemble_young_loss(
                   rows, lambda u, v, c: _named_kernel(kernel, names, u, v, c)), kernel, N), evaluate=False)])
        d.add(f"Its gradient $\\nabla F_H$ ({len(self.gradient)} components, exact, in the JSON output) vanishes "
              "exactly at the critical points of $F$ in the subspace, by the principle of symmetric criticality "
              f"{cite('arjevani2021')}.")
        d.conclusion = ("The reduced loss is exact for every $k$ (the block sizes are symbols); the tests check it "
                        "against the full loss.")
        return d


def _by_term(expr: sp.Expr, kernel: sp.FunctionClass, norms: Sequence[sp.Symbol]) -> sp.Expr:
    """``expr`` as a sum of one term per kernel value and per squared norm, each with a factored coefficient
    (so a long loss breaks over lines term by term)."""
    atoms = sorted(expr.atoms(kernel), key=sp.default_sort_key) + list(norms)
    collected = sp.collect(sp.expand(expr), atoms, evaluate=False)
    return sp.Add(*[sp.factor(coefficient) * (atom if atom != 1 else 1) for atom, coefficient in collected.items()],
                  evaluate=False)


def _named_kernel(kernel: sp.FunctionClass, names: dict, u: sp.Expr, v: sp.Expr, c: sp.Expr) -> sp.Expr:
    """``kernel`` applied to the names of row products, its two norms in a fixed order (it is symmetric in
    them); a row with itself gives half its squared norm."""
    if u == v == c:
        return names.get(u, u) / 2
    first, second = sorted((names.get(u, u), names.get(v, v)), key=lambda e: (e.is_number, sp.default_sort_key(e)))
    return kernel(first, second, names.get(c, c))


def reduced_loss(shape: str) -> ReducedLoss:
    """The ``landscape reduced`` result: exact reduced loss and gradient for a symbolic shape such as ``"k-1,1"``.

    >>> reduced_loss("k").coordinates.names
    ('x_1', 'y_1')
    """
    sizes = parse_symbolic_shape(shape)
    expr, coords = reduced_young_loss(sizes)
    show = 0.5 * len(sizes) ** 2 > PROGRESS_SECONDS  # measured: 20 to 35 s at MAX_BLOCKS = 8
    gradient = [sp.diff(expr, s) for s in progress(coords.symbols, desc="gradient", show=show, unit="coordinate")]
    return ReducedLoss(sizes, expr, coords, gradient)
