r"""The named partial solutions and global constructions of CoGO, as ring expressions.

Single-frequency blocks (:class:`~algebra.cogo.ring.Block`, node lists (a, b, c)):

* ``nu()``: z_nu = {(1,1,1), (nu, -nu, -nu^{-2})}, nu a free point of the unit circle;
* ``nu_i()``: z_{nu=i} = {(1,1,1), (i, -i, 1)};
* ``xi()``: z_xi = {(1,1,1), (xi, s i conj(xi), -s i)}, s = +-1, xi free (unit circle by default);
* ``syn()``: z_syn = 1 + u + u^2, u = (w3, w3, w3), w3 = exp(2 pi i/3);
* ``syn_ab()``: z_{syn,ab}: c = (1, w3, conj w3), |a_j| = |b_j| = 1, a_j b_j c_j = 1
  (nodes (1,1,1), (alpha w3, w3/alpha, w3), (beta w3^2, w3^2/beta, w3^2));

and whole networks over a group (:class:`~algebra.cogo.ring.Network`):

* ``Z_F6(G)`` = sum over pairs {k,-k} of (1/6) z_{nu_k} * z_syn placed at k (3(|G|-1) nodes);
* ``z_F4_6(G)``: (1/6) z_nu * z_syn at the first pair, (1/4) z_{nu=i} * z_{xi_k} at the others (2|G| nodes);
* ``z_M(G)`` = (1/|G|^2) z_1 * z_2, perfect memorisation (|G|^2 nodes).

:func:`catalog` lists them all as a result value (``flowalgebra cogo list``; its JSON maps each
name to a one-line description).

>>> z = nu() * syn()
>>> z.num_nodes, sorted(z.potentials().remaining())
(6, ['r_{k,k,k}'])
>>> catalog().to_json()["nu_i"]
'z_{nu=i} = {(1,1,1), (i,-i,1)}'
"""
from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Callable

from algebra.cogo.notation import NOTATION, command_name, construction_symbol
from algebra.cogo.ring import MAX_BLOCK_NODES, Block, Network
from algebra.errors import FlowAlgebraError
from algebra.exact.cyclotomic import CyclotomicField
from algebra.exact.parametric import Param, ParamKind, PVal
from algebra.lazy import lazy_module
from algebra.present import Derivation, Result, inline, subscript, superscript, table

if TYPE_CHECKING:  # the Notation symbols, imported (with sympy) when a label is first built
    from algebra.present.symbols import Notation

sp = lazy_module("sympy")  # imported when a block or a label is first built, not when a name is checked
_symbols = lazy_module("algebra.present.symbols")

__all__ = ["one", "zero", "scalar", "nu", "nu_i", "xi", "syn", "syn_ab", "parse_block_expression", "Z_F6", "z_F4_6",
           "z_F4_6_naive", "z_1", "z_2", "z_M", "uniform", "construct", "catalog", "Catalog", "BLOCKS", "NETWORKS",
           "DESCRIPTIONS", "DEFINITIONS", "BLOCK_SIZES", "MAX_MEMORISATION_ORDER", "F12", "I", "W3", "MASS", "block_terms", "block_expression_size",
           "shorten", "MAX_EXPRESSION_LENGTH", "MAX_NETWORK_NODES"]

F12 = CyclotomicField(12)
I = F12.root_of_unity(4)
W3 = F12.root_of_unity(3)


@functools.cache
def _mass() -> Notation:
    """The mass of a block, sum over its nodes of |a_j|^2 + |b_j|^2 (notation; :data:`MASS`)."""
    return _symbols.Notation(r"\sum_j |a_j|^2+|b_j|^2")


def __getattr__(name: str):
    """``MASS`` (a sympy symbol), built on first use so that importing this module does not import sympy."""
    if name == "MASS":
        return _mass()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _unit_value(value, name: str) -> PVal:
    if value is None:
        return PVal.param(Param(name, ParamKind.UNIT))
    v = PVal.const(value) if not isinstance(value, PVal) else value
    if not (v * v.conj() == 1):
        raise FlowAlgebraError(f"{name} must lie on the unit circle, got {v}")
    return v


def one() -> Block:
    """The ring's one: a single node (1, 1, 1)."""
    return Block.one()


def zero() -> Block:
    """The ring's zero: no node."""
    return Block.zero()


def scalar(lam) -> Block:
    """The node (1, 1, lam): multiplying by it scales the output layer."""
    return Block.scalar(lam)


def nu(value=None, name: str = "nu") -> Block:
    """z_nu = {(1,1,1), (nu, -nu, -nu^-2)}; nu symbolic on the unit circle unless a value is given."""
    v = _unit_value(value, name)
    label = _param_label(r"\nu", name) if value is None else subscript(sp.Symbol("z"), sp.Eq(sp.Symbol("nu"), v.to_sympy()))
    return Block.from_nodes([(1, 1, 1), (v, -v, -(v ** -2))], label)


@functools.cache  # one shared block, built on first use
def nu_i() -> Block:
    """z_{nu=i} = {(1,1,1), (i, -i, 1)}."""
    return Block.from_nodes([(1, 1, 1), (I, -I, 1)], r"z_{\nu=i}")


def xi(value=None, sign: int = 1, name: str = "xi", unit: bool = True) -> Block:
    """z_xi = {(1,1,1), (xi, sign*i*conj(xi), -sign*i)}.

    ``unit=False`` makes xi an arbitrary complex number (conj(xi) independent), to see
    which potentials need |xi| = 1."""
    if sign not in (1, -1):
        raise FlowAlgebraError(f"sign must be +1 or -1, got {sign}")
    if value is None:
        x = PVal.param(Param(name, ParamKind.UNIT if unit else ParamKind.COMPLEX))
    else:
        x = PVal.const(value)
    label = _param_label(r"\xi", name) if value is None else subscript(sp.Symbol("z"), sp.Eq(sp.Symbol("xi"), x.to_sympy()))
    return Block.from_nodes([(1, 1, 1), (x, I * sign * x.conj(), -sign * I)], label)


def _param_label(greek: str, name: str) -> sp.Symbol:
    """z_{\nu}, or z_{\nu_{3}} for the parameter nu_3."""
    base, _, index = name.partition("_")
    return sp.Symbol(rf"z_{{{greek}_{{{index}}}}}" if index else rf"z_{{{greek}}}")


@functools.cache  # one shared block, built on first use
def syn() -> Block:
    """z_syn = 1 + u + u^2 with u = (w3, w3, w3)."""
    u = Block.from_nodes([(W3, W3, W3)], "u")
    return (Block.one() + u + u * u).named(r"z_{syn}")


def syn_ab(alpha=None, beta=None) -> Block:
    """z_{syn,ab}: nodes (1,1,1), (alpha w3, w3/alpha, w3), (beta w3^2, w3^2/beta, w3^2); alpha, beta on the unit circle."""
    al = _unit_value(alpha, "alpha")
    be = _unit_value(beta, "beta")
    w2 = W3 * W3
    return Block.from_nodes([(1, 1, 1), (al * W3, al ** -1 * W3, W3), (be * w2, be ** -1 * w2, w2)], r"z_{syn,\alpha\beta}")


#: named blocks, by CLI name
BLOCKS: dict[str, Callable[[], Block]] = {
    "one": one,
    "nu": nu,
    "nu_i": nu_i,
    "xi": xi,
    "syn": syn,
    "syn_ab": syn_ab,
}
#: node count of each named block, written out so that checking an expression builds nothing (a test checks
#: it against the blocks: tests/integration/test_cold_start.py)
BLOCK_SIZES = {"one": 1, "nu": 2, "nu_i": 2, "xi": 2, "syn": 3, "syn_ab": 3}


#: longest block expression accepted (characters)
MAX_EXPRESSION_LENGTH = 200
#: largest network :func:`uniform` builds (the block's nodes times the frequency pairs; about 4 KB and
#: 0.2 ms per node: 200 000 nodes take about a gigabyte and a minute to check)
MAX_NETWORK_NODES = 200_000

_NAME_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")
_EXPRESSION_CHARS = _NAME_CHARS | frozenset("*+ ")


def shorten(text: str, limit: int = 80) -> str:
    """``repr(text)``, cut to about ``limit`` characters (error lines echo a user's text, not all of it)."""
    text = str(text)
    return repr(text) if len(text) <= limit else repr(text[:limit]) + f"... ({len(text)} characters)"


def block_terms(text: str) -> list[list[str]]:
    """The sum of products a block expression names, checked but not built: one list of block names per
    summand. Every mistake is one :class:`FlowAlgebraError` line; so is a product whose node count (the
    product of its factors' sizes, summed over the terms) exceeds :data:`~algebra.cogo.ring.MAX_BLOCK_NODES`.

    >>> block_terms("nu_i*xi + one")
    [['nu_i', 'xi'], ['one']]
    >>> block_terms("2*nu")
    Traceback (most recent call last):
    ...
    algebra.errors.FlowAlgebraError: block expressions multiply named blocks, not numbers: got '2' in '2*nu'
    """
    if not isinstance(text, str):
        raise FlowAlgebraError(f"a block expression is text, got {type(text).__name__}")
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise FlowAlgebraError(f"block expression of {len(text)} characters is too long (limit {MAX_EXPRESSION_LENGTH})")
    for i, ch in enumerate(text):
        if ch not in _EXPRESSION_CHARS:
            what = "parentheses are not supported" if ch in "()" else f"character {ch!r} at position {i}"
            raise FlowAlgebraError(f"block expressions use names, '*' and '+' only ({what}), got {shorten(text)}")
    if not text.strip():
        raise FlowAlgebraError(f"empty block expression; known blocks: {', '.join(BLOCKS)} (e.g. nu_i*xi)")
    terms = []
    for summand in text.split("+"):
        if not summand.strip():
            raise FlowAlgebraError(f"empty term (a '+' without a block on one side) in {shorten(text)}")
        factors = []
        for factor in summand.split("*"):
            name = factor.strip()
            if not name:
                hint = "; powers are not supported, write nu*nu" if "**" in text else ""
                raise FlowAlgebraError(f"empty factor (a '*' without a block on one side) in {shorten(text)}{hint}")
            if " " in name:
                raise FlowAlgebraError(f"missing '*' or '+' between the names in {shorten(name)}")
            if name not in BLOCKS:
                if name[0].isdigit():
                    raise FlowAlgebraError(f"block expressions multiply named blocks, not numbers: got {shorten(name)} "
                                           f"in {shorten(text)}")
                raise FlowAlgebraError(f"unknown block {shorten(name)}; known: {', '.join(BLOCKS)}")
            factors.append(name)
        terms.append(factors)
    size = block_expression_size(terms)
    if size > MAX_BLOCK_NODES:
        raise FlowAlgebraError(f"the block expression would have {_count(size)} nodes (the product of its factors' "
                               f"sizes); the exact check is limited to {MAX_BLOCK_NODES}")
    return terms


def block_expression_size(terms: list[list[str]]) -> int:
    """Number of nodes of the block ``terms`` names (see :func:`block_terms`), without building it.

    >>> block_expression_size([["nu_i", "xi", "syn"], ["one"]])
    13
    """
    return sum(math.prod(BLOCK_SIZES[name] for name in term) for term in terms)


def _count(n: int) -> str:
    return str(n) if n < 10 ** 15 else f"about 10^{len(str(n)) - 1}"


def parse_block_expression(text: str) -> Block:
    """A sum of products of named blocks, e.g. ``"nu_i*xi"`` or ``"nu*syn + one"`` (names only, no eval;
    checked by :func:`block_terms` before anything is built).

    >>> parse_block_expression("nu_i*xi").num_nodes
    4
    """
    total = None
    for term in block_terms(text):
        prod = None
        for name in term:
            b = BLOCKS[name]()
            prod = b if prod is None else prod * b
        total = prod if total is None else total + prod
    return total


# ---------------------------------------------------------------------------
# whole networks
# ---------------------------------------------------------------------------
def _pairs(G, what: str) -> list[int]:
    selfconj = [k for k in range(1, G.order) if G.is_self_conjugate(k)]
    if selfconj:
        raise FlowAlgebraError(
            f"{what} needs every non-zero frequency k to have -k != k (a group of odd order); "
            f"{G.name} has self-conjugate frequencies {selfconj[:4]}")
    pairs = G.conjugate_pairs()
    if not pairs:
        raise FlowAlgebraError(f"{what} needs a group of order >= 3, got {G.name}")
    return pairs


def Z_F6(G, symbolic: bool = True) -> Network:
    """sum_k (1/6) z_{nu_k} * z_syn at every pair {k, -k}; nu_k independent symbols (or nu_k = 1).

    The block is built once, with the parameter nu; at pair k it is renamed nu_k (a
    :class:`~algebra.cogo.ring.PlacedNetwork`), so its potentials are computed once for every k."""
    pairs = _pairs(G, "Z_F6")
    block = nu(None if symbolic else 1, name="nu") * syn() * scalar(Fraction(1, 6))
    pieces = [block.at(G, k, rename=_renamed("nu", k) if symbolic else None) for k in pairs]
    label = _pair_sum(G, sp.Mul(sp.Rational(1, 6), sp.Symbol(r"z_{\nu_k}"), sp.Symbol(r"z_{syn}"), evaluate=False))
    return Network.sum_of(G, pieces, label)


def _renamed(name: str, k: int) -> dict:
    """The renaming of a block's unit-circle parameter ``name`` to ``name_k`` at pair k."""
    return {name: Param(f"{name}_{k}", ParamKind.UNIT)}


def z_F4_6(G, symbolic: bool = True, cancel_rn: bool = True) -> Network:
    """z_F4/6: (1/6) z_nu * z_syn at the first pair, (1/4) z_{nu=i} * z_{xi_k} at every other pair.

    An order-4 block z_{nu=i} * z_xi zeroes every local potential except the R_n pair
    r^a_{k,-k,k}, r^b_{k,-k,k} (the input-independent part of output k), so a plain sum of blocks
    is not a global optimizer (``cancel_rn=False`` builds that sum). The order-6 block cancels
    them: give each of its nodes the output weight c_k = gamma_k at every order-4 frequency k.
    Because z_syn zeroes sum_j a_j b_j, sum_j a_j^2, ... (every degree-2 sum except |a|^2 and
    |b|^2), the only new term is 2 gamma_k sum_j (|a_j|^2 + |b_j|^2), which cancels R_n(k) for
    gamma_k = -R_n(k) / (2 sum_j (|a_j|^2 + |b_j|^2))."""
    pairs = _pairs(G, "z_F4/6")
    k0 = pairs[0]
    six = nu(None if symbolic else 1, name="nu") * syn() * scalar(Fraction(1, 6))
    four = nu_i() * xi(None if symbolic else 1, name="xi") * scalar(Fraction(1, 4))  # built once, renamed xi_k at k
    rename = {k: _renamed("xi", k) if symbolic else None for k in pairs[1:]}
    notes, gammas = [], {}
    if cancel_rn and pairs[1:]:
        mass = sum((a.abs2() + b.abs2() for a, b, _ in six.nodes), PVal.const(0))
        if not mass.is_constant():
            raise FlowAlgebraError("the order-6 block needs a constant sum of |a|^2 + |b|^2 to cancel R_n")
        inv = PVal.const(mass.constant().inverse())
        pot = four.potentials().values
        sample = -(2 * (pot["r^a_{k,-k,k}"] + pot["r^b_{k,-k,k}"])) * inv / 2  # gamma of the block with parameter xi
        for k in pairs[1:]:
            gammas[k] = sample if sample.is_constant() or not symbolic else sample.subs(
                {"xi": PVal.param(rename[k]["xi"])})
        notes.append("Output extension: every node of the order-6 block also has $c_k = \\gamma_k$ at each order-4 "
                     f"frequency $k$, with {inline(sp.Eq(sp.Symbol('gamma_k'), sample.to_sympy()))} (here "
                     f"{inline(sp.Eq(_mass(), mass.to_sympy()))}); it cancels the $R_n$ term of the order-4 block at $k$ and "
                     "adds nothing else, because $z_{syn}$ zeroes every other degree-2 sum over the block's nodes.")
    six_label = sp.Mul(sp.Rational(1, 6), sp.Symbol(r"z_{\nu}"), sp.Symbol(r"z_{syn}"), evaluate=False)
    label6 = superscript(six_label, k0)
    if gammas:
        label6 = subscript(label6, _symbols.Notation(r"+\gamma"))
    first = six.at(G, k0, rename=_renamed("nu", k0) if symbolic else None, outputs=gammas)
    first.label, first.notes = label6, notes
    pieces = [first] + [four.at(G, k, rename=rename[k]) for k in pairs[1:]]
    rest = sp.Mul(sp.Rational(1, 4), sp.Symbol(r"z_{\nu=i}"), sp.Symbol(r"z_{\xi_k}"), evaluate=False)
    label = sp.Add(label6, _pair_sum(G, rest, skip_first=True), evaluate=False) if pairs[1:] else label6
    return Network.sum_of(G, pieces, label)


def z_F4_6_naive(G, symbolic: bool = True) -> Network:
    """The plain sum of blocks (no output extension): not a global optimizer, see :func:`z_F4_6`."""
    return z_F4_6(G, symbolic, cancel_rn=False)


def _pair_sum(G, term: sp.Expr, skip_first: bool = False) -> sp.Expr:
    """sum over frequency pairs {k,-k} of term placed at k (display only)."""
    k = sp.Symbol("k")
    placed = superscript(term, k)
    # for Z_d the pairs are k = 1..(d-1)/2; for a product group, k runs over the pair representatives
    return sp.Sum(placed, (k, 2 if skip_first else 1, len(G.conjugate_pairs())))


def z_1(G) -> Network:
    """Memorisation factor: node g has a_k = conj(chi_k(g)), b_k = 1, c_k = chi_k(g) (all k)."""
    return _memorisation_factor(G, first=True).named("z_1")


def z_2(G) -> Network:
    """Memorisation factor: node g has a_k = 1, b_k = conj(chi_k(g)), c_k = chi_k(g) (all k)."""
    return _memorisation_factor(G, first=False).named("z_2")


def _memorisation_factor(G, first: bool) -> Network:
    F = G.field
    nodes = []
    for g in range(G.order):
        chi = {k: G.character(k, g, F) for k in range(G.order)}
        conj = {k: v.conj() for k, v in chi.items()}
        ones = {k: F.one() for k in range(G.order)}
        nodes.append((conj, ones, chi) if first else (ones, conj, chi))
    return Network.from_nodes(G, nodes)


#: largest group order for which z_M is built (its factors have |G| nodes with |G| frequencies each)
MAX_MEMORISATION_ORDER = 31


def z_M(G) -> Network:
    """Perfect memorisation (1/|G|^2) z_1 * z_2: |G|^2 nodes, one per input pair."""
    if G.order > MAX_MEMORISATION_ORDER:
        raise FlowAlgebraError(f"z_M over {G.name} has {G.order ** 2} nodes; the exact check is limited to |G| <= {MAX_MEMORISATION_ORDER}")
    return (z_1(G) * z_2(G) * Fraction(1, G.order ** 2)).named("z_M")


#: whole-network constructions, by CLI name
NETWORKS: dict[str, Callable] = {"F6": Z_F6, "F4_6": z_F4_6, "F4_6_naive": z_F4_6_naive, "M": z_M}

DESCRIPTIONS = {
    "F6": "Z_F6: (1/6) z_nu * z_syn at every frequency pair (order 3(|G|-1))",
    "F4_6": "z_F4/6: one (1/6) z_nu * z_syn block whose output weights cancel R_n, (1/4) z_{nu=i} * z_xi elsewhere (order 2|G|)",
    "F4_6_naive": "the same blocks summed without the output extension (not a global optimizer)",
    "M": "z_M = (1/|G|^2) z_1 * z_2: perfect memorisation (order |G|^2)",
    "one": "1 = {(1,1,1)}",
    "nu": "z_nu = {(1,1,1), (nu,-nu,-nu^-2)}",
    "nu_i": "z_{nu=i} = {(1,1,1), (i,-i,1)}",
    "xi": "z_xi = {(1,1,1), (xi, i conj(xi), -i)}",
    "syn": "z_syn = 1 + u + u^2, u = (w3,w3,w3)",
    "syn_ab": "z_{syn,ab}: c = (1,w3,conj w3), |a|=|b|=1, abc = 1",
}


#: the definition of each name, as prose for a document (math in ``$...$``)
DEFINITIONS = {
    "F6": r"$\sum_{k} (\tfrac{1}{6} z_{\nu_k} z_{syn})^{(k)}$ over the pairs $\{k, -k\}$",
    "F4_6": r"$(\tfrac{1}{6} z_{\nu} z_{syn})^{(k_0)}_{+\gamma} + \sum_{k \neq k_0} (\tfrac{1}{4} z_{\nu=i} z_{\xi_k})^{(k)}$",
    "F4_6_naive": r"$z_{F4/6}$ without the output extension $\gamma$",
    "M": r"$\tfrac{1}{|G|^2} z_1 z_2$ (perfect memorisation)",
    "one": r"$\{(1, 1, 1)\}$, the unit of the ring",
    "nu": r"$\{(1,1,1), (\nu, -\nu, -\nu^{-2})\}$",
    "nu_i": r"$\{(1,1,1), (i, -i, 1)\}$",
    "xi": r"$\{(1,1,1), (\xi, i \bar\xi, -i)\}$",
    "syn": r"$1 + u + u^2$, $u = (\omega_3, \omega_3, \omega_3)$",
    "syn_ab": r"$c = (1, \omega_3, \bar\omega_3)$, $|a_j| = |b_j| = 1$, $a_j b_j c_j = 1$",
}
#: hidden nodes of each whole network (prose, math in ``$...$``)
_NETWORK_NODES = {"F6": "$3(|G|-1)$", "F4_6": "$2|G|$", "F4_6_naive": "$2|G|$", "M": "$|G|^2$"}


def uniform(G, block: Block) -> Network:
    """The block placed at every frequency pair, scaled so r_kkk = 1 when r_kkk is a non-zero constant."""
    label = str(block.label)
    pairs = _pairs(G, label if len(label) <= 60 else label[:60] + "...")
    if block.num_nodes * len(pairs) > MAX_NETWORK_NODES:
        raise FlowAlgebraError(f"the block ({block.num_nodes} nodes) at each of the {len(pairs)} frequency pairs of "
                               f"{G.name} makes {block.num_nodes * len(pairs)} nodes; the exact check is limited to "
                               f"{MAX_NETWORK_NODES}")
    rkkk = block.potentials().values["r_{k,k,k}"]
    scaled = block
    if rkkk.is_constant() and rkkk:
        scaled = block * Block.scalar(PVal.const(rkkk.constant().inverse()))
    return Network.sum_of(G, [scaled.at(G, k) for k in pairs], _pair_sum(G, scaled.label))


def construct(name: str, G, symbolic: bool = True) -> Network:
    """A whole-network construction by name (``F6``, ``F4_6``, ``M``) or a block expression
    placed at every frequency pair (e.g. ``"nu_i*xi"``)."""
    if name in NETWORKS:
        if name == "M":
            return z_M(G)
        return NETWORKS[name](G, symbolic=symbolic)
    if isinstance(name, str) and re.fullmatch(r"[A-Za-z0-9_]+", name) and name not in BLOCKS:
        raise FlowAlgebraError(f"unknown construction {shorten(name)}; whole networks: {', '.join(NETWORKS)}; "
                               f"or a product/sum of blocks: {', '.join(BLOCKS)} (e.g. nu_i*xi)")
    return uniform(G, parse_block_expression(name))


@dataclass(repr=False)
class Catalog(Result):
    """The named partial solutions and whole-network constructions, one line each."""

    entries: dict[str, str]

    def to_json(self) -> dict:
        return dict(self.entries)

    def summary(self) -> str:
        return "\n".join(f"{k:12s} {v}" for k, v in self.entries.items())

    def derivation(self) -> Derivation:
        d = Derivation("CoGO constructions", notation=NOTATION)
        nets = [k for k in self.entries if k in NETWORKS]
        blocks = [k for k in self.entries if k not in NETWORKS]
        d.add(f"Whole networks over a group $G$ (the names that {inline(command_name('cogo check'))} takes):",
              table(["name", "symbol", "hidden nodes", "definition"],
                    [[inline(command_name(k)), inline(construction_symbol(k)), _NETWORK_NODES.get(k, ""),
                      DEFINITIONS.get(k, "")] for k in nets],
                    r"Here $(z)^{(k)}$: the block $z$ placed at the pair $\{k, -k\}$; the subscript $+\gamma$: its nodes also "
                    r"carry output weights $\gamma_k$ at the other pairs, which cancel the $R_n$ terms of the order-4 "
                    f"blocks (see {inline(command_name('cogo check F4_6'))})."))
        d.add("Single-frequency blocks (nodes $(a_j, b_j, c_j)$; products and sums of them are block expressions):",
              table(["name", "symbol", "nodes", "definition"],
                    [[inline(command_name(k)), inline(construction_symbol(k)), BLOCK_SIZES.get(k, ""), DEFINITIONS.get(k, "")]
                     for k in blocks]))
        return d


def catalog() -> Catalog:
    """Every name :func:`construct` and :func:`parse_block_expression` know, with what it is."""
    return Catalog(dict(DESCRIPTIONS))
