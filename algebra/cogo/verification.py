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

from algebra.cogo.decomposition import LossTerm, block_loss_terms, loss, loss_terms, total_loss
from algebra.cogo.potentials import LOCAL_POTENTIALS, block_potentials
from algebra.cogo.ring import Block, Network
from algebra.exact.encoding import exact_json
from algebra.exact.parametric import PVal
from algebra.cogo.notation import NOTATION, construction_symbol, group_symbol
from algebra.present import Derivation, Result, inline, inline_list

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

    def to_json(self) -> dict:
        return {
            "construction": self.name,
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


def verify(z: Network, name: str | None = None) -> Verification:
    """Verify a network exactly: potential table, loss terms, homomorphism checks of its blocks."""
    start = time.perf_counter()
    terms = loss_terms(z)
    G = z.group
    loss_out = total_loss(terms, G.order)
    seen, blocks, notes = set(), [], []
    for leaf in z.leaves():
        notes.extend(leaf.notes)
        if leaf.source is not None:
            block = leaf.source.block
            key = re.sub(r"_\{\d+\}", "", str(block.label))  # one report per block shape
            if key not in seen:
                seen.add(key)
                blocks.append(check_block_factors(block))
    params = sorted(z.params())
    table = z.potential_table()
    return Verification(
        name=name or UNNAMED, group_name=G.name, order=G.order, num_nodes=z.num_nodes,
        expression=z.label, free_parameters=params, loss=loss_out, global_optimizer=not terms,
        remaining=terms, blocks=blocks, notes=notes, nonzero_potentials=len(table), real=z.is_real() if z.num_nodes <= 20000 else True,
        seconds=time.perf_counter() - start)


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
