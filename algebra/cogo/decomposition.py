r"""The exact loss decomposition of the CoGO network (MATH.md section 2).

Network: h_j = W_a[j, g1] + W_b[j, g2], o[l] = sum_j W_c[l, j] h_j^2, loss
L = (1/|G|^2) sum_{g1, g2} || P o - P e_{g1+g2} ||^2 with P = I - 11^T/|G|.
Fourier coordinates (see :meth:`algebra.cogo.ring.Network.to_weights`):
W_a[j, g] = sum_k a_kj chi_k(g) (same for b) and
W_c[l, j] = (1/(2|G|)) sum_k c_kj conj(chi_k(l)). Then, exactly,

.. math::

   L = \frac{1}{|G|}\sum_{k\neq 0}\Big[\sum_{k_1,k_2\neq 0}|r_{k_1k_2k}-\delta_{k_1k}\delta_{k_2k}|^2
       + \tfrac14\sum_{m\neq 0}\big(|2r_{m0k}+S^a_{mk}|^2 + |2r_{0mk}+S^b_{mk}|^2\big)
       + \tfrac14|2r_{00k}+S^a_{0k}+S^b_{0k}|^2\Big],

with S^p_{mk} = sum_{k'} r^p_{k', m-k', k}. Without DC components (a_0 = b_0 = 0)
the r_{m0k}, r_{0mk}, r_{00k} terms vanish and this is the paper's form
ell_k = -2 Re r_kkk + sum |r_{k1k2k}|^2 + 1/4 sum_{m!=0} sum_p |S^p_{mk}|^2 + 1/4 |S^a_{0k}+S^b_{0k}|^2 + 1.

:func:`loss` evaluates it from the potentials (exact), :func:`direct_loss`
from the weights on all |G|^2 pairs (exact), :func:`prove_decomposition`
checks the identity as polynomials in symbolic real weights, and the
``*_numeric`` functions do both in floats for random weights.

Exact values: :func:`loss` returns an ``int`` or ``Fraction`` when the loss is rational (a
:class:`~algebra.exact.parametric.PVal` otherwise); in ``to_json()`` a term's value and weight follow
:mod:`algebra.exact.encoding` (an integer, ``{"p": .., "q": ..}`` for another rational, else the
string of the exact sympy form).

>>> from groups import Zd
>>> from algebra.cogo.ring import Network
>>> G = Zd(5)
>>> print(loss(Network.zero(G)))      # every target term r_kkk = 1 is missed: (|G|-1)/|G|
4/5
>>> loss_terms(Network.zero(G))[0].to_json()
{'constraint': 'target', 'k': 1, 'term': 'r_{1,1,1} - 1', 'value': -1, 'weight': 1}
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Callable, Sequence

import numpy as np

from algebra.cogo.potentials import block_potentials, local_potential
from algebra.cogo.ring import Block, Network, PlacedNetwork, SumNetwork
from algebra.errors import FlowAlgebraError
from algebra.exact.encoding import exact_json
from algebra.exact.parametric import Param, ParamKind, PVal, exact_number, pval
from algebra.cogo.notation import NOTATION, PROOF_NOTATION, group_symbol
from algebra.lazy import lazy_module
from algebra.present import Derivation, Result, inline

if TYPE_CHECKING:  # sympy symbols, imported (with sympy) when the first one is made
    from algebra.present.symbols import Notation

sp = lazy_module("sympy")  # imported on first use (labels, printed values), not when the command line starts
_symbols = lazy_module("algebra.present.symbols")

__all__ = ["LossTerm", "loss", "loss_terms", "total_loss", "FactorLoss", "PairBracket", "factor_loss", "placed_blocks",
           "degree2_sums", "DEGREE2_SUMS", "METHODS", "block_loss_terms", "direct_loss", "direct_loss_numeric",
           "fourier_loss_numeric", "DecompositionProof", "prove_decomposition", "decomposition_derivation",
           "proof_cost", "MAX_PROOF_COST", "MAX_PROOF_ORDER", "MAX_PROOF_WIDTH", "MAX_DIRECT_SIZE"]

#: largest symbolic proof, in units of :func:`proof_cost` (about 30 microseconds each: a minute)
MAX_PROOF_COST = 2_000_000
#: largest group order of a symbolic proof (5^9 is the cost of |G| = 5 at width 1)
MAX_PROOF_ORDER = 5
#: largest width of a symbolic proof (|G| = 3 at width 10 is 1.97 million)
MAX_PROOF_WIDTH = 10
#: largest exact direct loss, |G|^3 x width (a sum over all |G|^2 input pairs of |G| outputs)
MAX_DIRECT_SIZE = 2_000_000


def proof_cost(order: int, width: int) -> int:
    """The cost of :func:`prove_decomposition`, estimated before it starts: the potential side squares
    |G|^3 polynomials of about width x |G|^3 terms each, so width^2 |G|^9 products of exact coefficients
    (the direct side, 9 width^2 |G|^5, is smaller).

    >>> proof_cost(3, 1), proof_cost(5, 1), proof_cost(4, 3) > MAX_PROOF_COST
    (19683, 1953125, True)
    """
    return int(width) ** 2 * int(order) ** 9


@dataclass(frozen=True)
class LossTerm:
    """One squared modulus in the decomposition: weight * |value|^2 / |G| (or per block: weight * |value|^2)."""

    constraint: str  # "target", "R_c", "R_*", "R_n" (paper's names)
    k: int | None  # output frequency (None for a single-frequency block)
    expression: str  # what is inside |.|^2, in words/indices
    value: PVal
    weight: Fraction

    def contribution(self, order: int = 1) -> PVal:
        return self.value.abs2() * PVal.const(self.weight / order)

    def to_json(self) -> dict:
        return {"constraint": self.constraint, "k": self.k, "term": self.expression,
                "value": exact_json(self.value), "weight": exact_json(self.weight)}


# ---------------------------------------------------------------------------
# whole networks
# ---------------------------------------------------------------------------
class _Sums:
    """The sums S that several potentials feed (keyed (p, m, k): p = ``a``, ``b`` or ``0`` for the
    input-independent part), collected before they become loss terms."""

    def __init__(self) -> None:
        self.values: dict[tuple, PVal] = {}

    def add(self, key: tuple, v: PVal) -> None:
        s = self.values.get(key)
        self.values[key] = v if s is None else s + v


class _CrossPotentials:
    """r_{k1 k2 k} (table kind ``ab``): its own R_c term when k1, k2 != 0 (the target when k1 = k2 = k);
    with a DC index it feeds the sum of its other input (2 r_{m0k} joins S^a_{mk}, 2 r_{0mk} joins S^b_{mk})."""

    def feed(self, G, k1: int, k2: int, k: int, v: PVal, terms: list, sums: _Sums) -> None:
        if k1 and k2:
            if not (k1 == k2 == k):
                terms.append(LossTerm("R_c", k, f"r_{{{k1},{k2},{k}}}", v, Fraction(1)))
        elif k1:
            sums.add(("a", k1, k), 2 * v)
        elif k2:
            sums.add(("b", k2, k), 2 * v)
        else:
            sums.add(("0", 0, k), 2 * v)


class _SquarePotentials:
    """r^p_{k1 k2 k} (table kinds ``aa``, ``bb``): joins S^p_{mk}, m = k1 + k2 (the input-independent sum when m = 0)."""

    def __init__(self, p: str):
        self.p = p

    def feed(self, G, k1: int, k2: int, k: int, v: PVal, terms: list, sums: _Sums) -> None:
        m = G.add(k1, k2)
        sums.add((self.p, m, k) if m else ("0", 0, k), v)


class _InputSum:
    """|2 r_{m0k} + S^a_{mk}|^2 / 4 (or its b twin with 2 r_{0mk}): an R_* term."""

    def __init__(self, p: str, dc: str):
        self.p, self.dc = p, dc

    def term(self, m: int, k: int, v: PVal) -> LossTerm:
        return LossTerm("R_*", k, f"{self.dc.format(m=m, k=k)} + S^{self.p}_{{{m},{k}}}", v, Fraction(1, 4))


class _ConstantSum:
    """|2 r_{00k} + S^a_{0k} + S^b_{0k}|^2 / 4, the input-independent part of output k: the R_n term."""

    def term(self, m: int, k: int, v: PVal) -> LossTerm:
        return LossTerm("R_n", k, f"2 r_{{0,0,{k}}} + S^a_{{0,{k}}} + S^b_{{0,{k}}}", v, Fraction(1, 4))


#: what each kind of the potential table (see :meth:`Network.potential_table`) contributes
_FAMILIES = {"ab": _CrossPotentials(), "aa": _SquarePotentials("a"), "bb": _SquarePotentials("b")}
#: how each collected sum becomes a loss term
_SUM_TERMS = {"a": _InputSum("a", "2 r_{{{m},0,{k}}}"), "b": _InputSum("b", "2 r_{{0,{m},{k}}}"), "0": _ConstantSum()}


#: how :func:`loss_terms` evaluates: ``auto`` (the factor-level evaluation when it applies, else direct),
#: ``factor`` (refuse when it does not apply), ``direct`` (the potential table of the whole network)
METHODS = ("auto", "factor", "direct")


def loss_terms(z: Network, method: str = "auto") -> list[LossTerm]:
    """The non-zero terms of the decomposition of ``z``'s loss, exactly.

    ``direct`` builds the potential table of the whole network (from its nodes, through the
    homomorphisms of its recorded sums and products); ``factor`` evaluates a sum of placed blocks
    over a group of odd order from each block's own potentials (:func:`factor_loss`); ``auto`` takes
    the factor-level route when it applies. Both give the same terms in the same order.

    >>> from groups import Zd
    >>> from algebra.cogo import constructions as C
    >>> z = C.construct("F4_6_naive", Zd(9))
    >>> loss_terms(z, "factor") == loss_terms(z, "direct")
    True
    """
    if method not in METHODS:
        raise FlowAlgebraError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    if method != "direct":
        fl = factor_loss(z)
        if fl is not None:
            return fl.terms
        if method == "factor":
            raise FlowAlgebraError(f"the factor-level evaluation needs a sum of blocks placed at distinct frequency "
                                   f"pairs of a group of odd order; {z.label if z.num_nodes < 50 else 'this network'} "
                                   f"over {z.group.name} is not one")
    return _direct_loss_terms(z)


def _direct_loss_terms(z: Network) -> list[LossTerm]:
    G = z.group
    T = z.potential_table()
    terms: list[LossTerm] = []
    for k in range(1, G.order):
        v = T.get(("ab", k, k, k), PVal.const(0)) - 1
        if v:
            terms.append(LossTerm("target", k, f"r_{{{k},{k},{k}}} - 1", v, Fraction(1)))
    sums = _Sums()
    for (kind, k1, k2, k), v in sorted(T.items(), key=lambda kv: kv[0]):
        _FAMILIES[kind].feed(G, k1, k2, k, v, terms, sums)
    for (p, m, k), v in sorted(sums.values.items()):
        if v:
            terms.append(_SUM_TERMS[p].term(m, k, v))
    return terms


def loss(z: Network | Block, method: str = "auto"):
    """The exact loss. For a :class:`Network`: the loss L of MATH.md section 2 (``method`` as in
    :func:`loss_terms`). For a :class:`Block`: ell_k, the bracket of one output frequency k when the
    block is the only thing at frequencies +-k (so L = (2/|G|) sum over pairs)."""
    if isinstance(z, Block):
        return total_loss(block_loss_terms(z))
    if method != "direct":
        fl = factor_loss(z)
        if fl is not None:
            return fl.loss
    return total_loss(loss_terms(z, method), z.group.order)


def total_loss(terms: Sequence[LossTerm], order: int = 1):
    """The sum of the terms' contributions (divided by ``order`` = |G| for a whole network), exactly:
    an ``int`` or ``Fraction`` when rational, else a :class:`~algebra.exact.parametric.PVal`."""
    return exact_number(sum((t.contribution(order) for t in terms), PVal.const(0)))


# ---------------------------------------------------------------------------
# sums of placed blocks: the loss from each block's own potentials
# ---------------------------------------------------------------------------
#: the degree-2 sums sum_j x_j y_j of a block, x, y in {a, conj a, b, conj b}: exponents (a, conj a, b, conj b)
DEGREE2_SUMS = {"aa": (2, 0, 0, 0), "a_a": (0, 2, 0, 0), "a|a|": (1, 1, 0, 0), "bb": (0, 0, 2, 0), "b_b": (0, 0, 0, 2),
                "b|b|": (0, 0, 1, 1), "ab": (1, 0, 1, 0), "a_b": (0, 1, 1, 0), "ab_": (1, 0, 0, 1), "a_b_": (0, 1, 0, 1)}


def degree2_sums(block: Block) -> dict[str, PVal]:
    """The degree-2 sums of ``block`` (:data:`DEGREE2_SUMS`; ``_`` marks a conjugate, ``|a|`` is
    sum_j |a_j|^2). They are the monomial potentials without the factor c, so they too are
    multiplicative: the sums of a product are the products of its factors' sums.

    >>> from algebra.cogo import constructions as C
    >>> s = degree2_sums(C.nu() * C.syn())
    >>> sorted(n for n, v in s.items() if v), s["a|a|"]
    (['a|a|', 'b|b|'], PVal(6))
    """
    out = {}
    for name, (ea, eac, eb, ebc) in DEGREE2_SUMS.items():
        total = PVal.const(0, block.field)
        for a, b, _ in block.nodes:
            term = PVal.const(1, block.field)
            for x, e in ((a, ea), (a.conj(), eac), (b, eb), (b.conj(), ebc)):
                if e:
                    term = term * x ** e
            total = total + term
        out[name] = total
    return out


def placed_blocks(z: Network) -> list[PlacedNetwork] | None:
    """The placed blocks ``z`` sums, when it is such a sum over a group of odd order with one block per
    frequency pair (else ``None``: :func:`factor_loss` does not apply)."""
    G = z.group
    if G.order % 2 == 0:
        return None
    if isinstance(z, PlacedNetwork):
        parts = [z]
    elif isinstance(z, SumNetwork):
        found = z.multiplicities()
        if any(m != 1 or not isinstance(n, PlacedNetwork) for n, m in found):
            return None
        parts = [n for n, _ in found]
    else:
        return None
    seen = set()
    for p in parts:
        pair = min(p.k, G.neg(p.k))
        if pair in seen:
            return None
        seen.add(pair)
    return parts


@dataclass
class PairBracket:
    """The bracket ell of the outputs at one kind of frequency pair (the same value at k and -k): the
    label of the block placed there (``None``: no block), whether that block carries extra output
    weights, whether another block's output weights reach the pair, the value and how many pairs."""

    label: sp.Expr | None
    extended: bool
    receives: bool
    value: PVal
    count: int

    @property
    def description(self) -> str:
        """The kind of pair in words, the block's label as text."""
        return self.describe(str)

    def describe(self, show_label) -> str:
        """The kind of pair in words, the block's label written by ``show_label`` (``str``, or ``inline`` for
        math in a table cell)."""
        text = show_label(self.label) if self.label is not None else "no block"
        if self.extended:
            text += " with output weights"
        if self.receives:
            text += ", output weights of another block"
        return text


@dataclass
class FactorLoss:
    """The loss of a sum of placed blocks, from the blocks' own potentials.

    ``terms``: the non-zero loss terms (the same list, in the same order, as the direct evaluation);
    ``table_size``: how many potentials of the whole network are non-zero; ``brackets``: the distinct
    brackets ell of the frequency pairs with how many pairs have each, so that
    L = (2/|G|) sum over brackets of count * ell."""

    terms: list[LossTerm]
    table_size: int
    brackets: list[PairBracket]
    order: int

    @property
    def loss(self):
        return exact_number(sum((b.value * (2 * b.count) for b in self.brackets), PVal.const(0)) / self.order)


class _PairOutput:
    """The potentials of the whole network at output frequency f (and, conjugated, at -f): the entries
    r_{k1,k2,f} with k1, k2 != 0 and the sums S^p_{m,f} (``("0", 0)``: the input-independent sum)."""

    def __init__(self, G, f: int):
        self.G, self.f = G, f
        self.rc: dict[tuple[int, int], PVal] = {}
        self.sums: dict[tuple[str, int], PVal] = {}
        self.table_size = 0

    def add_rc(self, k1: int, k2: int, v: PVal) -> None:
        if v:
            self.rc[(k1, k2)] = v
            self.table_size += 1

    def add_sum(self, p: str, m: int, v: PVal, entries: int) -> None:
        if v:
            key = (p, m) if m else ("0", 0)
            s = self.sums.get(key)
            self.sums[key] = v if s is None else s + v
            self.table_size += entries

    def terms(self) -> list[tuple[tuple, LossTerm]]:
        """The non-zero loss terms at f and at -f, each with the sort key of the direct evaluation."""
        G, f = self.G, self.f
        out = []
        for sign in (1, -1):
            k = f if sign == 1 else G.neg(f)
            tr = (lambda x: x) if sign == 1 else G.neg
            cj = (lambda v: v) if sign == 1 else (lambda v: v.conj())
            target = cj(self.rc.get((f, f), PVal.const(0))) - 1
            if target:
                out.append(((0, k), LossTerm("target", k, f"r_{{{k},{k},{k}}} - 1", target, Fraction(1))))
            for (k1, k2), v in self.rc.items():
                if (k1, k2) != (f, f):
                    a, b = tr(k1), tr(k2)
                    out.append(((1, a, b, k), LossTerm("R_c", k, f"r_{{{a},{b},{k}}}", cj(v), Fraction(1))))
            for (p, m), v in self.sums.items():
                if v:
                    mm = tr(m) if m else 0
                    out.append(((2, p, mm, k), _SUM_TERMS[p].term(mm, k, cj(v))))
        return out


def factor_loss(z: Network) -> FactorLoss | None:
    """The exact loss of a sum of blocks placed at distinct frequency pairs of a group G of odd order
    (``None`` for any other network), from each block's ten local potentials and degree-2 sums,
    computed once per block (not per pair, and not from the nodes of the whole network).

    Why this is the loss. A block placed at {k, -k} has weights only at +-k (and its extra output
    weights c_f at other pairs): so r_{k1,k2,f} and r^p_{k1,k2,f} get a contribution from it only
    when k1, k2 are in {k, -k}, where they are its local potentials (f = +-k) or gamma_f times a
    degree-2 sum (f elsewhere). Because |G| is odd, 2k is not 0 or -2k and 2k != +-2k' for another
    pair, so each S^p_{m,f} is a single local potential (m = +-2k) or the mass sum (m = 0): the
    bracket of output f reads only the blocks at its own pair and the output weights placed at
    it. Real weights give the bracket at -f the conjugate values: L = (2/|G|) sum over pairs.

    >>> from groups import Zd
    >>> from algebra.cogo import constructions as C
    >>> fl = factor_loss(C.construct("F4_6_naive", Zd(11)))
    >>> fl.loss, [(str(b.value), b.count) for b in fl.brackets]
    (Fraction(16, 11), [('0', 1), ('2', 4)])
    >>> factor_loss(C.construct("F6", Zd(11)) + C.construct("F6", Zd(11))) is None
    True
    """
    parts = placed_blocks(z)
    if parts is None:
        return None
    G = z.group
    local: dict[int, dict] = {}
    second: dict[int, dict] = {}
    outputs: dict[int, _PairOutput] = {}
    own: dict[int, PlacedNetwork] = {}
    for p in parts:
        block = p.block
        if id(block) not in local:
            local[id(block)] = block_potentials(block).values
        f = p.k
        out = outputs.setdefault(min(f, G.neg(f)), _PairOutput(G, f))
        if out.f != f:  # an extra output weight reached this pair first, at the other orientation
            out = outputs[min(f, G.neg(f))] = _reorient(out, f)
        own[min(f, G.neg(f))] = p
        P = {n: p.value(v) for n, v in local[id(block)].items()}
        mf = G.neg(f)
        out.add_rc(f, f, P["r_{k,k,k}"])
        out.add_rc(mf, f, P["r_{-k,k,k}"])
        out.add_rc(f, mf, P["r_{k,-k,k}"])
        out.add_rc(mf, mf, P["r_{-k,-k,k}"])
        for q in ("a", "b"):
            out.add_sum(q, G.add(f, f), P[f"r^{q}_{{k,k,k}}"], 1)
            out.add_sum(q, G.add(mf, mf), P[f"r^{q}_{{-k,-k,k}}"], 1)
            out.add_sum(q, 0, 2 * P[f"r^{q}_{{k,-k,k}}"], 2)
    for p in parts:
        if not p.outputs:
            continue
        block = p.block
        if id(block) not in second:
            second[id(block)] = degree2_sums(block)
        D = {n: p.value(v) for n, v in second[id(block)].items()}
        e, me = p.k, G.neg(p.k)
        for f0, gamma in p.outputs.items():
            pair = min(f0, G.neg(f0))
            out = outputs.get(pair)
            if out is None:
                out = outputs[pair] = _PairOutput(G, f0)
            c = gamma if out.f == f0 else gamma.conj()  # the output weight at out.f
            out.add_rc(e, e, c * D["ab"])
            out.add_rc(me, e, c * D["a_b"])
            out.add_rc(e, me, c * D["ab_"])
            out.add_rc(me, me, c * D["a_b_"])
            for q in ("a", "b"):
                out.add_sum(q, G.add(e, e), c * D[q + q], 1)
                out.add_sum(q, G.add(me, me), c * D[f"{q}_{q}"], 1)
                out.add_sum(q, 0, 2 * c * D[f"{q}|{q}|"], 2)
    keyed: list[tuple[tuple, LossTerm]] = []
    brackets: dict[tuple, PairBracket] = {}
    extended = [q for q in parts if q.outputs]
    table_size = 0
    for pair in G.conjugate_pairs():
        out = outputs.get(pair) or _PairOutput(G, pair)
        table_size += 2 * out.table_size
        terms = out.terms()
        keyed.extend(terms)
        ell = sum((t.contribution() for key, t in terms if key[-1] == out.f), PVal.const(0))
        p = own.get(pair)
        receives = any(pair in q.outputs or G.neg(pair) in q.outputs for q in extended)
        key = (id(p.block) if p else None, bool(p and p.outputs), receives, ell.key())
        b = brackets.get(key)
        if b is None:
            brackets[key] = PairBracket(p.block.label if p else None, bool(p and p.outputs), receives, ell, 1)
        else:
            b.count += 1
    keyed.sort(key=lambda kt: kt[0])
    return FactorLoss([t for _, t in keyed], table_size, list(brackets.values()), G.order)


def _reorient(out: _PairOutput, f: int) -> _PairOutput:
    """The same potentials seen from output f = -out.f (indices negated, values conjugated)."""
    G = out.G
    new = _PairOutput(G, f)
    new.rc = {(G.neg(a), G.neg(b)): v.conj() for (a, b), v in out.rc.items()}
    new.sums = {(p, G.neg(m) if m else 0): v.conj() for (p, m), v in out.sums.items()}
    new.table_size = out.table_size
    return new


# ---------------------------------------------------------------------------
# single-frequency blocks
# ---------------------------------------------------------------------------
def block_loss_terms(block: Block) -> list[LossTerm]:
    """Non-zero terms of ell_k for a block alone at +-k (k != -k, no DC)."""
    r = {p: local_potential(p)(block) for p in (
        "r_{k,k,k}", "r_{-k,k,k}", "r_{k,-k,k}", "r_{-k,-k,k}", "r^a_{k,k,k}", "r^a_{-k,-k,k}",
        "r^b_{k,k,k}", "r^b_{-k,-k,k}", "r^a_{k,-k,k}", "r^b_{k,-k,k}")}
    candidates = [
        LossTerm("target", None, "r_{k,k,k} - 1", r["r_{k,k,k}"] - 1, Fraction(1)),
        LossTerm("R_c", None, "r_{-k,k,k}", r["r_{-k,k,k}"], Fraction(1)),
        LossTerm("R_c", None, "r_{k,-k,k}", r["r_{k,-k,k}"], Fraction(1)),
        LossTerm("R_c", None, "r_{-k,-k,k}", r["r_{-k,-k,k}"], Fraction(1)),
        LossTerm("R_*", None, "S^a_{2k,k} = r^a_{k,k,k}", r["r^a_{k,k,k}"], Fraction(1, 4)),
        LossTerm("R_*", None, "S^a_{-2k,k} = r^a_{-k,-k,k}", r["r^a_{-k,-k,k}"], Fraction(1, 4)),
        LossTerm("R_*", None, "S^b_{2k,k} = r^b_{k,k,k}", r["r^b_{k,k,k}"], Fraction(1, 4)),
        LossTerm("R_*", None, "S^b_{-2k,k} = r^b_{-k,-k,k}", r["r^b_{-k,-k,k}"], Fraction(1, 4)),
        LossTerm("R_n", None, "S^a_{0,k} + S^b_{0,k} = 2 r^a_{k,-k,k} + 2 r^b_{k,-k,k}",
                 2 * r["r^a_{k,-k,k}"] + 2 * r["r^b_{k,-k,k}"], Fraction(1, 4)),
    ]
    return [t for t in candidates if t.value]


# ---------------------------------------------------------------------------
# the loss computed directly from the weights
# ---------------------------------------------------------------------------
def direct_loss(group, W_a: Sequence, W_b: Sequence, W_c: Sequence):
    """Exact L = (1/|G|^2) sum_{g1,g2} ||P o - P e_{g1+g2}||^2 from weight matrices (exact entries)."""
    n = group.order
    N = len(W_a)
    if n ** 2 * N * n > MAX_DIRECT_SIZE:
        raise FlowAlgebraError(f"exact direct loss over {group.name} with {N} nodes is too large; use direct_loss_numeric")
    W_a = [[pval(x) for x in r] for r in W_a]
    W_b = [[pval(x) for x in r] for r in W_b]
    W_c = [[pval(x) for x in r] for r in W_c]
    total = PVal.const(0)
    for g1 in range(n):
        for g2 in range(n):
            sq = [(W_a[j][g1] + W_b[j][g2]) ** 2 for j in range(N)]
            o = [sum((W_c[l][j] * sq[j] for j in range(N)), PVal.const(0)) for l in range(n)]
            mean = sum(o, PVal.const(0)) / n
            target = group.add(g1, g2)
            for l in range(n):
                e = Fraction(1 if l == target else 0) - Fraction(1, n)
                total = total + (o[l] - mean - PVal.const(e)).abs2()
    return exact_number(total / (n * n))


def direct_loss_numeric(group, W_a: np.ndarray, W_b: np.ndarray, W_c: np.ndarray) -> float:
    """Float version of :func:`direct_loss` (numpy)."""
    n = group.order
    H = W_a.T[:, None, :] + W_b.T[None, :, :]  # (g1, g2, N)
    O = (H ** 2) @ W_c.T  # (g1, g2, n)
    O = O - O.mean(axis=2, keepdims=True)
    E = np.zeros_like(O)
    idx = group._add_table
    E[np.arange(n)[:, None], np.arange(n)[None, :], idx] = 1.0
    E -= 1.0 / n
    return float(np.sum(np.abs(O - E) ** 2) / n ** 2)


def fourier_loss_numeric(group, A: np.ndarray, B: np.ndarray, C: np.ndarray) -> float:
    """Float evaluation of the decomposition from Fourier arrays A, B, C (N x |G|)."""
    n = group.order
    add = group._add_table
    r = np.einsum("ja,jb,jk->abk", A, B, C)
    ra = np.einsum("ja,jb,jk->abk", A, A, C)
    rb = np.einsum("ja,jb,jk->abk", B, B, C)
    total = 0.0
    for k in range(1, n):
        core = r[1:, 1:, k].copy()
        core[k - 1, k - 1] -= 1.0
        total += np.sum(np.abs(core) ** 2)
        Sa = np.zeros(n, dtype=complex)
        Sb = np.zeros(n, dtype=complex)
        np.add.at(Sa, add, ra[:, :, k])
        np.add.at(Sb, add, rb[:, :, k])
        ca = 2 * r[:, 0, k] + Sa
        cb = 2 * r[0, :, k] + Sb
        total += 0.25 * (np.sum(np.abs(ca[1:]) ** 2) + np.sum(np.abs(cb[1:]) ** 2))
        total += 0.25 * abs(2 * r[0, 0, k] + Sa[0] + Sb[0]) ** 2
    return float(total / n)


# ---------------------------------------------------------------------------
# the decomposition, proved
# ---------------------------------------------------------------------------
@dataclass(repr=False)
class DecompositionProof(Result):
    """Symbolic check of the decomposition for one group and width (weights are real symbols)."""

    group_name: str
    width: int
    num_variables: int
    direct_terms: int
    identical: bool
    seconds: float = 0.0
    extra: dict = field(default_factory=dict)
    exponent: int = 0  # the coefficients lie in Q(zeta_exponent), the field of G's characters

    def to_json(self) -> dict:
        return {"group": self.group_name, "width": self.width, "variables": self.num_variables,
                "monomials": self.direct_terms, "identical": self.identical}

    def summary(self) -> str:
        verdict = "identical" if self.identical else "DIFFERENT"
        return (f"loss decomposition over {self.group_name}, width {self.width}: direct loss and potential form are "
                f"{verdict} as polynomials in {self.num_variables} real weights ({self.direct_terms} monomials)")

    def derivation(self) -> Derivation:
        d = decomposition_derivation(PROOF_NOTATION)
        group = inline(group_symbol(self.group_name))
        d.add(f"Check over {group} with $N = {self.width}$ hidden nodes: both sides expanded as polynomials in the "
              f"{self.num_variables} real weights with coefficients in "
              + (f"$\\mathbb{{Q}}(\\zeta_{{{self.exponent}}})$." if self.exponent else "a cyclotomic field."),
              sp.Eq(sp.Symbol("L_{direct}") - sp.Symbol("L_{potentials}"), 0 if self.identical else sp.Symbol(r"\neq 0")))
        verdict = "identical" if self.identical else "different"
        d.conclusion = (f"Over {group} with $N = {self.width}$, the direct loss and the potential form are {verdict} as "
                        f"polynomials in {self.num_variables} real weights ({self.direct_terms} monomials).")
        return d


def prove_decomposition(group, width: int = 1) -> DecompositionProof:
    """Expand the direct loss and the potential form with symbolic real weights; compare exactly.

    >>> from groups import Zd
    >>> prove_decomposition(Zd(3), 1).identical
    True
    """
    start = time.perf_counter()
    n = group.order
    if isinstance(width, bool) or not isinstance(width, int) or width < 1:
        raise FlowAlgebraError(f"the proof width must be a positive integer, got {width!r}")
    cost = proof_cost(n, width)
    if cost > MAX_PROOF_COST:
        raise FlowAlgebraError(f"the symbolic proof is meant for tiny instances: |G| = {n} at width {width} costs "
                               f"width^2 |G|^9 = {cost if cost < 10 ** 15 else 'more than 10^15'}, over the limit "
                               f"{MAX_PROOF_COST} (about a minute); |G| = 3 allows width <= 10, |G| = 4 width <= 2, "
                               "|G| = 5 width 1")
    sym: Callable[[str], PVal] = lambda name: PVal.param(Param(name, ParamKind.REAL))  # noqa: E731
    W_a = [[sym(f"A{j}_{g}") for g in range(n)] for j in range(width)]
    W_b = [[sym(f"B{j}_{g}") for g in range(n)] for j in range(width)]
    W_c = [[sym(f"C{l}_{j}") for j in range(width)] for l in range(n)]
    direct = direct_loss(group, W_a, W_b, W_c)
    z = Network.from_weights(group, W_a, W_b, W_c)
    via = loss(z)
    direct, via = pval(direct), pval(via)
    return DecompositionProof(group.name, width, 3 * n * width, len(direct.terms), direct == via,
                              time.perf_counter() - start, exponent=group.exponent)


def _upper(base: str, upper: str):
    """``base^upper_{i,j,...}`` for display (sympy would print ``{base^upper}_{i,j}``, a staggered index)."""
    return lambda *index: _symbols.Notation(f"{base}^{{{upper}}}_{{{','.join(sp.latex(x) for x in index)}}}")


def decomposition_derivation(notation: str = NOTATION) -> Derivation:
    """The derivation of the decomposition (valid for every finite Abelian group; frequencies are
    indexed 0..d-1 with 0 the trivial character, d = |G|)."""
    n, N = sp.symbols("d N", positive=True, integer=True)  # n is the group order, written d
    g, g1, g2, l, k, k1, k2, j, m, kp = sp.symbols("g g_1 g_2 l k k_1 k_2 j m k'", integer=True)
    a, b, c, r, h = (sp.IndexedBase(s) for s in ("a", "b", "c", "r", "h"))
    W_a, W_c = sp.IndexedBase(_symbols.Notation("(W_a)")), sp.IndexedBase(_symbols.Notation("(W_c)"))
    ra, Sa, Sb = (_upper(base, p) for base, p in (("r", "a"), ("S", "a"), ("S", "b")))
    chi = sp.IndexedBase(r"\chi")
    O = sp.Function("O")
    d = Derivation("Loss decomposition into monomial potentials", notation=notation)
    d.add("Fourier coordinates of the weights ($\\chi_k$ the characters; real weights give $z_{-k} = \\bar z_k$):",
          [sp.Eq(W_a[j, g], sp.Sum(a[k, j] * chi[k, g], (k, 0, n - 1))),
           sp.Eq(W_c[l, j], sp.Sum(c[k, j] * sp.conjugate(chi[k, l]), (k, 0, n - 1)) / (2 * n))])
    d.add("The output at frequency $k$ (coefficient of $\\bar\\chi_k(l)$) and the squared hidden activation:",
          [sp.Eq(O(k, g1, g2), sp.Sum(c[k, j] * h[j] ** 2, (j, 1, N)) / (2 * n)),
           sp.Eq(h[j] ** 2, sp.Sum(2 * a[k1, j] * b[k2, j] * chi[k1, g1] * chi[k2, g2]
                                   + a[k1, j] * a[k2, j] * chi[k1 + k2, g1] + b[k1, j] * b[k2, j] * chi[k1 + k2, g2],
                                   (k1, 0, n - 1), (k2, 0, n - 1)))])
    d.add("The target $P e_{g_1+g_2}$ has coefficient $\\chi_k(g_1)\\chi_k(g_2)/d$ at every $k \\neq 0$ and $P$ removes "
          "$k = 0$. Parseval over the output $l$ and over the pair $(g_1, g_2)$ turns the loss into a sum of squared "
          "moduli of the coefficients of $\\chi_{k_1}(g_1)\\chi_{k_2}(g_2)$:",
          sp.Eq(sp.Symbol("L"), sp.Sum(
              sp.Sum(sp.Abs(r[k1, k2, k] - sp.KroneckerDelta(k1, k) * sp.KroneckerDelta(k2, k)) ** 2, (k1, 1, n - 1), (k2, 1, n - 1))
              + sp.Rational(1, 4) * sp.Sum(sp.Abs(2 * r[m, 0, k] + Sa(m, k)) ** 2 + sp.Abs(2 * r[0, m, k] + Sb(m, k)) ** 2, (m, 1, n - 1))
              + sp.Rational(1, 4) * sp.Abs(2 * r[0, 0, k] + Sa(0, k) + Sb(0, k)) ** 2, (k, 1, n - 1)) / n),
          "Parseval")
    d.add("with the monomial potentials",
          [sp.Eq(r[k1, k2, k], sp.Sum(a[k1, j] * b[k2, j] * c[k, j], (j, 1, N))),
           sp.Eq(ra(k1, k2, k), sp.Sum(a[k1, j] * a[k2, j] * c[k, j], (j, 1, N))),
           sp.Eq(Sa(m, k), sp.Sum(ra(kp, m - kp, k), (kp, 0, n - 1)))])
    d.conclusion = ("The loss is exactly $0$ if and only if $r_{k,k,k} = 1$ for every $k \\neq 0$ and every other term vanishes; "
                    "each $r$ is a ring homomorphism, so partial solutions compose.")
    return d
