"""Verification of a CoGO construction: which potentials vanish, is the loss exactly 0,
and if not, which terms remain and their exact values -- with a derivation.

Exact values: :attr:`Verification.loss` and :attr:`BlockVerification.ell` are an ``int`` or a
``Fraction`` when rational (a :class:`~algebra.exact.parametric.PVal` otherwise). In ``to_json()``
counts and orders are integers and every exact value follows :mod:`algebra.exact.encoding`: an
integer, ``{"p": .., "q": ..}`` for another rational, else the string of its exact sympy form.
Labels of ring elements (``expression``, ``block``, ``factors``) are strings, also for a scalar
factor such as ``1/6``: they name elements, they are not values.

>>> from groups import Zd
>>> from algebra.cogo import constructions as C
>>> v = verify(C.construct("F6", Zd(7)), "F6")
>>> v.global_optimizer, v.num_nodes, v.loss
(True, 18, 0)
>>> verify(C.construct("F4_6_naive", Zd(7))).to_json()["loss"]
{'p': 8, 'q': 7}
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

import sympy as sp

from algebra.cogo.decomposition import (METHODS, FactorLoss, LossTerm, PairBracket, block_loss_terms, degree2_sums,
                                        factor_loss, loss, loss_terms, total_loss)
from algebra.cogo.potentials import LOCAL_POTENTIALS, block_potentials
from algebra.cogo.ring import Block, Network
from algebra.exact.encoding import exact_json
from algebra.exact.parametric import PVal
from algebra.cogo.notation import NOTATION, construction_symbol, group_symbol
from algebra.errors import FlowAlgebraError
from algebra.present import Derivation, Notation, Result, inline, inline_list, table

__all__ = ["Verification", "BlockVerification", "BlockFactorCheck", "verify", "verify_block", "check_block_factors",
           "block_potentials_derivation", "SHOW_TERMS", "UNNAMED"]

#: the name of a network verified without one
UNNAMED = "the network"
#: at most this many remaining terms are listed in JSON/text (all are counted)
SHOW_TERMS = 24


def _num(v: PVal) -> sp.Expr:
    return sp.nsimplify(v.to_sympy()) if v.is_constant() else v.to_sympy()


@dataclass
class BlockFactorCheck:
    """The homomorphism step for one block type: potentials of the factors and of their product."""

    label: sp.Expr
    factor_labels: list
    factor_vanishing: list  # list of lists of potential names
    product_vanishing: list
    homomorphism_holds: bool  # r(product) == prod r(factors) for all ten local potentials
    remaining: dict  # name -> PVal of the product

    def to_json(self) -> dict:
        return {"block": str(self.label), "factors": [str(f) for f in self.factor_labels],
                "factor_vanishing": self.factor_vanishing, "vanishing": self.product_vanishing,
                "homomorphism_checked": self.homomorphism_holds,
                "remaining": {n: exact_json(v) for n, v in self.remaining.items()}}


def check_block_factors(block: Block) -> BlockFactorCheck:
    """Potentials of each factor, of the product, and the check r(z1*z2) = r(z1) r(z2)."""
    factors = block.factors or (block,)
    tabs = [block_potentials(f) for f in factors]
    prod = block_potentials(block)
    holds = True
    for p in LOCAL_POTENTIALS:
        expected = PVal.const(1)
        for t in tabs:
            expected = expected * t.values[p.name]
        holds &= (expected == prod.values[p.name])
    return BlockFactorCheck(block.label, [f.label for f in factors], [t.vanishing() for t in tabs],
                            prod.vanishing(), holds, prod.remaining())


@dataclass(repr=False)
class Verification(Result):
    """Exact status of a whole-network construction."""

    name: str
    group_name: str
    order: int
    num_nodes: int
    expression: sp.Expr
    free_parameters: list[str]
    loss: object  # exact: int/Fraction or PVal
    global_optimizer: bool
    remaining: list[LossTerm] = field(default_factory=list)
    blocks: list[BlockFactorCheck] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    nonzero_potentials: int = 0
    real: bool = True
    seconds: float = 0.0
    method: str = "direct"  # "factor": from each block's own potentials (factor_loss); "direct": the whole table
    brackets: list[PairBracket] = field(default_factory=list)
    extended: list = field(default_factory=list)  # (block label, its degree-2 sums) of blocks with extra outputs

    def to_json(self) -> dict:
        return {
            "construction": self.name,
            "method": self.method,
            "group": self.group_name,
            "order": self.order,
            "nodes": self.num_nodes,
            "expression": str(self.expression),
            "free_parameters": self.free_parameters,
            "real_weights": self.real,
            "loss": exact_json(self.loss),
            "global_optimizer": self.global_optimizer,
            "nonzero_potentials": self.nonzero_potentials,
            "num_remaining_terms": len(self.remaining),
            "remaining_terms": [t.to_json() for t in self.remaining[:SHOW_TERMS]],
            "blocks": [b.to_json() for b in self.blocks],
            "notes": self.notes,
            "pair_brackets": [{"pairs": b.description, "count": b.count, "ell": exact_json(b.value)} for b in self.brackets],
            "seconds": round(self.seconds, 4),
        }

    def summary(self) -> str:
        head = (f"{self.name} over {self.group_name}: {self.num_nodes} hidden nodes, "
                f"loss = {self.loss if not isinstance(self.loss, PVal) else _num(self.loss)} exactly")
        lines = [head, "  global optimizer: " + ("yes (every term of the loss vanishes)" if self.global_optimizer
                                                 else f"no ({len(self.remaining)} terms remain)")]
        if self.free_parameters:
            lines.append(f"  for all values of: {', '.join(self.free_parameters[:8])}"
                         + (" ..." if len(self.free_parameters) > 8 else "") + " (unit circle)")
        for b in self.blocks:
            lines.append(f"  block {b.label}: factors {', '.join(str(f) for f in b.factor_labels)}; "
                         f"product zeroes {len(b.product_vanishing)}/10 local potentials; left: "
                         + ", ".join(f"{n} = {sp.sstr(v.to_sympy())}" for n, v in b.remaining.items()))
        for t in self.remaining[:6]:
            lines.append(f"  remaining [{t.constraint}] k={t.k}: {t.expression} = {sp.sstr(t.value.to_sympy())}")
        if len(self.remaining) > 6:
            lines.append(f"  ... {len(self.remaining) - 6} more")
        if self.method == "factor":
            kinds = "; ".join(f"{b.count} x ell = {sp.sstr(_num(b.value))}" for b in self.brackets[:4])
            lines.append(f"  evaluated at the factor level: each block's potentials once, then the "
                         f"{sum(b.count for b in self.brackets)} frequency pairs ({kinds}"
                         + ("; ..." if len(self.brackets) > 4 else "") + ")")
        return "\n".join(lines)

    def derivation(self) -> Derivation:
        what = inline(construction_symbol(self.name)) if self.name != UNNAMED else self.name.capitalize()
        group = inline(group_symbol(self.group_name))
        d = Derivation(f"{what} over {group}", notation=NOTATION)
        d.add(f"The construction is the ring expression ({self.num_nodes} hidden nodes):",
              sp.Eq(sp.Symbol("Z"), self.expression, evaluate=False))
        for b in self.blocks:
            r = sp.Function("r")
            d.add("Homomorphism step: every monomial potential is multiplicative, "
                  "so the product zeroes the union of what its factors zero.",
                  sp.Eq(r(sp.Mul(*b.factor_labels, evaluate=False)), sp.Mul(*[r(f) for f in b.factor_labels], evaluate=False),
                        evaluate=False),
                  "checked for all ten local potentials" if b.homomorphism_holds else "FAILED")
            for lab, van in zip(b.factor_labels, b.factor_vanishing):
                d.add(f"{inline(lab)} zeroes: {inline_list(van)}.")
            d.add(f"Potentials of {inline(b.label)} that do not vanish:",
                  [sp.Eq(sp.Symbol(n), v.to_sympy()) for n, v in b.remaining.items()] or None)
        for note in self.notes:
            d.add(note)
        if self.method == "factor":
            self._factor_steps(d)
        if self.global_optimizer:
            d.add("Summing the blocks (additivity), every output frequency $k \\neq 0$ has $r_{k,k,k} = 1$ and every "
                  "other term of the loss decomposition vanishes:", sp.Eq(sp.Symbol("L"), 0))
            d.conclusion = f"{what} is a global optimizer over {group}: the loss is exactly $0$."
        else:
            d.add("Terms of the loss decomposition that remain (value inside $|\\cdot|^2$):",
                  [sp.Eq(sp.Symbol(t.expression.replace(" ", "")), t.value.to_sympy()) for t in self.remaining[:SHOW_TERMS]])
            loss_expr = _num(self.loss) if isinstance(self.loss, PVal) else sp.nsimplify(self.loss)
            d.add("Hence the loss is", sp.Eq(sp.Symbol("L"), loss_expr))
            d.conclusion = f"{what} is not a global optimizer over {group}."
        return d

    def _factor_steps(self, d: Derivation) -> None:
        """The factor-level argument: what holds for every odd order, and the sums that depend on it."""
        for lab, sums in self.extended:
            van = [n for n, v in sums.items() if v.is_zero()]
            d.add(f"Degree-2 sums of {inline(lab)} (the potentials without $c$, multiplicative as well): "
                  f"{len(van)} of {len(sums)} vanish; the others are",
                  [sp.Eq(Notation(_SUM_SYMBOLS[n]), v.to_sympy()) for n, v in sums.items() if not v.is_zero()] or None)
        d.add("Everything above is a statement about the blocks alone, proved once for every group: a block placed at "
              "the pair $\\{k, -k\\}$ has weights only at $\\pm k$ (and its extra output weights), so it contributes "
              "to $r_{k_1,k_2,f}$ only for $k_1, k_2 \\in \\{k, -k\\}$. When $|G|$ is odd, $2k \\neq 0$, "
              "$2k \\neq -2k$ and $2k \\neq \\pm 2k'$ for another pair, so every sum $S^p_{m,f}$ is a single local "
              "potential ($m = \\pm 2k$) or the mass sum ($m = 0$): the bracket $\\ell_f$ of output $f$ reads only the "
              "block at its own pair and the output weights placed there, and real weights give "
              "$\\ell_{-f} = \\ell_f$. The ring homomorphisms (sum potentials are ring homomorphisms, Section 4 of [@tian2024]) give each block's potentials "
              "from its factors.")
        total = sum(b.count for b in self.brackets)
        d.add(f"What depends on $|G| = {self.order}$: the {total} frequency pairs and which block sits at each. "
              "The brackets, evaluated exactly once per kind of pair, and how many pairs have each:",
              table(["pairs", "count", r"$\ell$"],
                    [[b.describe(inline), b.count, inline(_num(b.value))] for b in self.brackets]))
        d.add("Summing over the pairs (both outputs $\\pm f$ of each):",
              sp.Eq(sp.Symbol("L"), sp.Mul(sp.Rational(2, self.order),
                                           sp.Add(*[sp.Mul(b.count, _num(b.value), evaluate=False) for b in self.brackets],
                                                  evaluate=False), evaluate=False), evaluate=False))


#: display symbols of the degree-2 sums
_SUM_SYMBOLS = {"aa": r"\sum_j a_j^2", "a_a": r"\sum_j \bar a_j^2", "a|a|": r"\sum_j |a_j|^2", "bb": r"\sum_j b_j^2",
                "b_b": r"\sum_j \bar b_j^2", "b|b|": r"\sum_j |b_j|^2", "ab": r"\sum_j a_j b_j",
                "a_b": r"\sum_j \bar a_j b_j", "ab_": r"\sum_j a_j \bar b_j", "a_b_": r"\sum_j \bar a_j \bar b_j"}


def verify(z: Network, name: str | None = None, method: str = "auto") -> Verification:
    """Verify a network exactly: potential table, loss terms, homomorphism checks of its blocks.

    ``method`` (see :func:`~algebra.cogo.decomposition.loss_terms`): ``auto`` evaluates a sum of
    placed blocks over a group of odd order at the factor level (each block's potentials once, then
    the sums over the frequency pairs), anything else through the potential table of the whole
    network; ``direct`` always takes the table, ``factor`` refuses a network it does not apply to.

    >>> from groups import Zd
    >>> from algebra.cogo import constructions as C
    >>> z = C.construct("F4_6", Zd(9))
    >>> a, b = verify(z, "F4_6"), verify(z, "F4_6", method="direct")
    >>> (a.method, b.method, a.loss == b.loss == 0, a.nonzero_potentials == b.nonzero_potentials)
    ('factor', 'direct', True, True)
    """
    if method not in METHODS:
        raise FlowAlgebraError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    start = time.perf_counter()
    G = z.group
    fl: FactorLoss | None = factor_loss(z) if method != "direct" else None
    if fl is None and method == "factor":
        loss_terms(z, "factor")  # refuses in one line
    if fl is not None:
        terms, loss_out, size = fl.terms, fl.loss, fl.table_size
    else:
        terms = loss_terms(z, "direct")
        loss_out, size = total_loss(terms, G.order), len(z.potential_table())
    seen, shapes, blocks, notes, extended = set(), set(), [], [], []
    for leaf in z.leaves():
        notes.extend(leaf.notes)
        if leaf.source is None or id(leaf.source.block) in seen:
            continue
        block = leaf.source.block
        seen.add(id(block))
        key = re.sub(r"_\{\d+\}", "", str(block.label))  # one report per block shape
        if key not in shapes:
            shapes.add(key)
            blocks.append(check_block_factors(block))
        if fl is not None and getattr(leaf, "outputs", None):
            extended.append((block.label, degree2_sums(block)))
    params = sorted(z.params())
    return Verification(
        name=name or UNNAMED, group_name=G.name, order=G.order, num_nodes=z.num_nodes,
        expression=z.label, free_parameters=params, loss=loss_out, global_optimizer=not terms,
        remaining=terms, blocks=blocks, notes=notes, nonzero_potentials=size,
        real=z.is_real() if fl is not None or z.num_nodes <= 20000 else True,
        seconds=time.perf_counter() - start, method="factor" if fl is not None else "direct",
        brackets=fl.brackets if fl is not None else [], extended=extended)


@dataclass(repr=False)
class BlockVerification(Result):
    """A single-frequency block alone at frequencies +-k: potentials and the bracket ell_k."""

    label: sp.Expr
    num_nodes: int
    check: BlockFactorCheck
    ell: object
    remaining: list[LossTerm]

    def to_json(self) -> dict:
        return {"block": str(self.label), "nodes": self.num_nodes, **self.check.to_json(),
                "ell_k": exact_json(self.ell),
                "zeroes_all_but_target": all(t.constraint == "target" for t in self.remaining)}

    def summary(self) -> str:
        return (f"{self.label}: {self.num_nodes} nodes; vanishing: {', '.join(self.check.product_vanishing) or 'none'}; "
                f"ell_k = {self.ell if not isinstance(self.ell, PVal) else sp.sstr(_num(self.ell))}")

    def derivation(self) -> Derivation:
        d = block_potentials_derivation(self.check)
        d.add("Bracket of one output frequency (block alone at $\\pm k$, no DC):",
              sp.Eq(sp.Symbol(r"\ell_k"), _num(self.ell) if isinstance(self.ell, PVal) else sp.nsimplify(self.ell)))
        return d


def block_potentials_derivation(check: BlockFactorCheck) -> Derivation:
    """The derivation of a block's potentials from those of its factors."""
    d = Derivation(f"Potentials of {inline(check.label)}", notation=NOTATION)
    for lab, van in zip(check.factor_labels, check.factor_vanishing):
        d.add(f"{inline(lab)} zeroes: {inline_list(van)}.")
    d.add("Non-vanishing potentials of the product:",
          [sp.Eq(sp.Symbol(n), v.to_sympy()) for n, v in check.remaining.items()] or None)
    d.conclusion = (f"{len(check.product_vanishing)} of the {len(LOCAL_POTENTIALS)} local potentials vanish for every "
                    "value of the free parameters.")
    return d


def verify_block(block: Block) -> BlockVerification:
    """Potentials of a single-frequency block and its bracket ell_k, exactly."""
    return BlockVerification(block.label, block.num_nodes, check_block_factors(block), loss(block), block_loss_terms(block))
