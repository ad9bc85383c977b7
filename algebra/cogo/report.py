"""CoGO sections of ``flowalgebra report``: the loss decomposition (proved), the
named partial solutions' potentials, and the global constructions verified exactly.

>>> sections = report_sections(quick=True)
>>> [s.title for s in sections][:2]
['Loss decomposition into monomial potentials', 'Named partial solutions: which local potentials vanish']
>>> [label for label, _ in report_steps(quick=True)][-1]
'CoGO: train and classify d = 11'
"""
from __future__ import annotations

import time

import sympy as sp

from algebra.present import Derivation, inline

__all__ = ["report_steps", "report_sections", "TITLE"]

#: the area's heading in the report
TITLE = "CoGO: composing global optimizers"


def report_steps(quick: bool = False):
    """Labelled lazy steps: decomposition, named blocks (with the potential map), constructions,
    the sweep over odd d, and a trained network's block orders (histogram)."""
    return [("CoGO: loss decomposition", lambda: [_decomposition(quick)]),
            ("CoGO: named partial solutions", lambda: [_named_blocks()]),
            ("CoGO: constructions", lambda: _constructions(quick)),
            ("CoGO: sweep over odd d", lambda: [_sweep(quick)]),
            (f"CoGO: train and classify d = {11 if quick else 23}", lambda: [_trained(quick)])]


def report_sections(quick: bool = False) -> list[Derivation]:
    """Every section, computed now."""
    return [d for _, step in report_steps(quick) for d in step()]


def _decomposition(quick: bool) -> Derivation:
    from algebra.cogo.decomposition import decomposition_derivation, prove_decomposition
    from groups.abelian import Zd

    d = decomposition_derivation()
    cases = [(Zd(3), 1)] if quick else [(Zd(3), 1), (Zd(4), 1), (Zd(3), 2)]
    for G, w in cases:
        p = prove_decomposition(G, w)
        d.add(f"Symbolic check: {p.summary()}.")
    return d


def _named_blocks() -> Derivation:
    from algebra.cogo import constructions as C
    from algebra.cogo.figures import DEFAULT_BLOCKS, potential_map

    t = Derivation("Named partial solutions: which local potentials vanish")
    t.add("Local potentials of a single-frequency block (weights at -k are conjugates); free parameters on the "
          "unit circle stay symbolic, so 'vanishes' means for every value.")
    for name in DEFAULT_BLOCKS:
        b = C.parse_block_expression(name)
        pots = b.potentials()
        left = pots.remaining()
        t.add(f"{inline(b.label)} ({b.num_nodes} nodes) zeroes {len(pots.vanishing())} of 10; it leaves:",
              [sp.Eq(sp.Symbol(n), v.to_sympy()) for n, v in left.items()])
    t.conclusion = ("z_nu * z_syn, z_{nu=i} * z_{syn,ab} and z_{nu=i} * z_syn zero all nine non-target potentials; "
                    "z_{nu=i} * z_xi leaves the R_n pair r^a_{k,-k,k} = r^b_{k,-k,k} = 2 - 2i.")
    t.figure(potential_map(DEFAULT_BLOCKS), "cogo_potentials",
             "Which of the ten local potentials each named block zeroes, exactly (dark: vanishes for every "
             "value of the free parameters).")
    return t


def _constructions(quick: bool) -> list[Derivation]:
    from algebra.cogo import constructions as C
    from algebra.cogo.verification import verify
    from groups.abelian import Zd

    out = []
    for dd in ((5, 23) if quick else (5, 7, 23)):
        out.append(verify(C.construct("F6", Zd(dd)), "Z_F6").derivation())
        out.append(verify(C.construct("F4_6", Zd(dd)), "z_F4/6").derivation())
    out.append(verify(C.construct("F4_6_naive", Zd(7)), "z_F4/6 without the output extension").derivation())
    out.append(verify(C.construct("M", Zd(5)), "z_M").derivation())
    return out


def _sweep(quick: bool) -> Derivation:
    from algebra.cogo import constructions as C
    from algebra.cogo.decomposition import loss
    from groups.abelian import Zd

    sweep = Derivation("Z_F6 and z_F4/6 over every odd d")
    top = 31 if quick else 101
    start = time.perf_counter()
    zeros = []
    for dd in range(3, top + 1, 2):
        if loss(C.construct("F6", Zd(dd))) == 0 and loss(C.construct("F4_6", Zd(dd))) == 0:
            zeros.append(dd)
    sweep.add(f"Exact loss of both constructions, free parameters symbolic, for d = 3, 5, ..., {top}: "
              f"0 for d in {zeros[0]}..{zeros[-1]} ({len(zeros)} of {len(range(3, top + 1, 2))} values), "
              f"in {time.perf_counter() - start:.1f} s.")
    sweep.conclusion = "Both are global optimizers for every odd d checked." if len(zeros) == len(range(3, top + 1, 2)) \
        else "Some d failed: see the list above."
    return sweep


def _trained(quick: bool) -> Derivation:
    """Train the real network (numeric) and classify its per-frequency blocks; the histogram of orders."""
    from algebra.cogo.figures import order_histogram
    from algebra.cogo.training import train
    from algebra.cogo.classify import classify_runs

    d, width, epochs = (11, 128, 3000) if quick else (23, 512, 10_000)
    run = train(d=d, width=width, wd=5e-5, seed=1, epochs=epochs, progress=False)
    classified = classify_runs([run], progress=False)
    out = classified.derivation()
    out.title = f"Trained network, d = {d}, width {width}, wd 5e-5, {epochs} epochs: learned blocks (numeric)"
    out.figure(order_histogram(classified), "cogo_orders",
               "Orders of the learned per-frequency blocks and their types (Tian 2024: with weight decay the "
               "blocks have order 4 or 6 and factor into the named partial solutions).")
    return out
