r"""CoGO sections of ``flowalgebra report``, each a derivation (statement, steps, conclusion): the loss
decomposition (proved), the named partial solutions' potentials, the global constructions verified
exactly (one worked example and a table), the sweep over odd :math:`d` (a table), and a trained
network's blocks, classified (tables and a histogram).

The training step is the only long one. By default it is a small run (:data:`TRAINING`
``"default"``: width 128, weight decay :math:`2 \cdot 10^{-4}`, step :math:`10^{-2}`, 3000 epochs,
a few seconds) whose blocks already factor into the named partial solutions; ``full=True``
(``flowalgebra report --full``) trains the setting of Tian 2024 (width 512, weight decay
:math:`5 \cdot 10^{-5}`, step :math:`10^{-2}`, 10 000 epochs, 30 to 60 s on one core) and counts its blocks in
the columns of the paper's Table 2 (one seed; ``flowalgebra cogo table2`` runs many).

>>> sections = report_sections(quick=True)
>>> [s.title for s in sections][:2]
['Loss decomposition into monomial potentials', 'Named partial solutions: which local potentials vanish']
>>> [label for label, _ in report_steps(quick=True)][-1]
'CoGO: train and classify d = 11'
>>> TRAINING["full"].width, TRAINING["default"].width
(512, 128)
"""
from __future__ import annotations

import time
from typing import NamedTuple

import sympy as sp

from algebra.cogo.notation import TRAINING_EXTRA, command_name, construction_symbol, group_symbol
from algebra.present import Derivation, Notation, Step, inline, inline_list, table

__all__ = ["report_steps", "report_sections", "TITLE", "TRAINING", "Training", "training_setting"]

#: the area's heading in the report
TITLE = "CoGO: composing global optimizers"


class Training(NamedTuple):
    """One training setting of the report (full-batch Adam, seed 1)."""

    d: int
    width: int
    wd: float
    lr: float
    epochs: int


#: the report's training runs: ``quick`` (--quick), ``default``, and ``full`` (--full: Tian 2024's setting)
TRAINING = {"quick": Training(11, 128, 5e-4, 3e-3, 5000),
            "default": Training(23, 128, 2e-4, 1e-2, 3000),
            "full": Training(23, 512, 5e-5, 1e-2, 10_000)}   # the step of the paper's released sweep.log


def training_setting(quick: bool = False, full: bool = False) -> Training:
    """The training the report runs: ``full`` wins over ``quick``.

    >>> training_setting(quick=True, full=True).epochs
    10000
    """
    return TRAINING["full" if full else "quick" if quick else "default"]


def report_steps(quick: bool = False, full: bool = False):
    """Labelled lazy steps: decomposition, named blocks (with the potential map), constructions,
    the sweep over odd d, and a trained network's block orders (histogram). The notation paragraph
    opens the first section only (the report is one document)."""
    setting = training_setting(quick, full)
    return [("CoGO: loss decomposition", lambda: [_decomposition(quick)]),
            ("CoGO: named partial solutions", lambda: [_named_blocks()]),
            ("CoGO: constructions", lambda: _constructions(quick)),
            ("CoGO: sweep over odd d", lambda: [_sweep(quick)]),
            (f"CoGO: train and classify d = {setting.d}", lambda: _trained(setting, full))]


def report_sections(quick: bool = False, full: bool = False) -> list[Derivation]:
    """Every section, computed now."""
    return [d for _, step in report_steps(quick, full) for d in step()]


def _count(n: int) -> str:
    r"""An integer for prose, thousands separated by a thin space: ``$10\,000$``.

    >>> _count(10000), _count(512)
    ('$10\\,000$', '$512$')
    """
    return "$" + f"{n:,}".replace(",", "\\,") + "$"


def _decomposition(quick: bool) -> Derivation:
    from algebra.cogo.decomposition import decomposition_derivation, prove_decomposition
    from groups.abelian import Zd

    d = decomposition_derivation()
    cases = [(Zd(3), 1)] if quick else [(Zd(3), 1), (Zd(4), 1), (Zd(3), 2)]
    proofs = [prove_decomposition(G, w) for G, w in cases]
    d.add("Symbolic check of the identity: the direct loss over all $d^2$ input pairs and the potential form, both "
          "expanded as polynomials in independent real weights, compared exactly:",
          table(["group", "hidden nodes $N$", "real weights", "monomials", "result"],
                [[inline(group_symbol(p.group_name)), p.width, p.num_variables, p.direct_terms,
                  "identical" if p.identical else "different"] for p in proofs]))
    ok = all(p.identical for p in proofs)
    d.conclusion += (" The symbolic check agrees in every case." if ok else " The symbolic check FAILED in a case above.")
    return d


#: a block's potentials that do not vanish are listed with their values when there are at most this many
SHOWN_LEFT = 3


def _named_blocks() -> Derivation:
    from algebra.cogo import constructions as C
    from algebra.cogo.figures import DEFAULT_BLOCKS, potential_map
    from algebra.cogo.potentials import LOCAL_POTENTIALS

    t = Derivation("Named partial solutions: which local potentials vanish")
    t.add("The local potentials of a single-frequency block (weights at $-k$ are the conjugates of those at $k$) are "
          "computed exactly; free parameters stay symbolic, so a potential that vanishes does so for every value.")
    rows, complete, left_rn = [], [], []
    target = "r_{k,k,k}"
    for name in DEFAULT_BLOCKS:
        b = C.parse_block_expression(name)
        pots = b.potentials()
        left = pots.remaining()
        shown = [sp.Eq(sp.Symbol(n), v.to_sympy()) for n, v in left.items()]
        rows.append([inline(b.label), b.num_nodes, len(pots.vanishing()),
                     inline_list(shown, "none") if len(shown) <= SHOWN_LEFT else f"{len(shown)} (see the figure)"])
        if set(left) == {target}:
            complete.append(b.label)
        elif set(left) == {target, "r^a_{k,-k,k}", "r^b_{k,-k,k}"}:
            left_rn.append(b.label)
    t.add(f"Each named block and its products, with the potentials that do not vanish (of the {len(LOCAL_POTENTIALS)}):",
          table(["block", "nodes", "zeroed", "potentials left (values)"], rows))
    t.add("Each potential is a ring homomorphism, so a product zeroes the union of what its factors zero "
          "[@tian2024]: the table's products inherit the zeros of their factors.")
    t.conclusion = (f"{inline_list(complete, 'no block')} zero every potential except the target ${target}$"
                    + (f"; {inline_list(left_rn)} also leaves the pair $r^a_{{k,-k,k}}$, $r^b_{{k,-k,k}}$ (the $R_n$ term), "
                       "which a whole network must cancel elsewhere" if left_rn else "") + ".")
    t.figure(potential_map(DEFAULT_BLOCKS), "cogo_potentials",
             "Which of the ten local potentials each named block zeroes, exactly (dark: vanishes for every "
             "value of the free parameters).")
    return t


def _constructions(quick: bool) -> list[Derivation]:
    from algebra.cogo import constructions as C
    from algebra.cogo.verification import verify
    from groups.abelian import Zd

    worked = verify(C.construct("F4_6", Zd(7)), "F4_6").derivation()
    worked.title = f"Worked example: {worked.title}"
    worked.notation = ""  # defined once, at the start of the section
    cases = [("F6", d) for d in ((5, 23) if quick else (5, 7, 23))] + \
            [("F4_6", d) for d in ((5, 23) if quick else (5, 7, 23))] + [("F4_6_naive", 7), ("M", 5)]
    checks = [(name, dd, verify(C.construct(name, Zd(dd)), name)) for name, dd in cases]
    rows = [[inline(construction_symbol(name)), inline(group_symbol(dd)), v.num_nodes, len(v.free_parameters),
             _exact(v.loss), "yes" if v.global_optimizer else "no"] for name, dd, v in checks]
    t = Derivation("Global constructions, verified exactly")
    t.add("Each construction is built as a ring expression over the group, with its free parameters symbolic; "
          "its loss is evaluated term by term from the decomposition, exactly:",
          table(["construction", "group", "hidden nodes", "free parameters", "loss $L$", "global optimizer"], rows))
    failed = [f"{inline(construction_symbol(n))} over {inline(group_symbol(dd))}" for n, dd, v in checks
              if not v.global_optimizer]
    if not failed:
        t.conclusion = "Every construction reaches loss $0$ exactly."
    else:
        t.conclusion = "Every construction reaches loss $0$ exactly except " + ", ".join(failed) + "."
        if all(n == "F4_6_naive" for n, _, v in checks if not v.global_optimizer):
            t.conclusion += (" Without its output extension, $z_{F4/6}$ keeps the $R_n$ terms of its order-4 blocks "
                             "(the worked example shows how the extension cancels them).")
    return [worked, t]


def _exact(value):
    from algebra.exact.parametric import PVal

    if isinstance(value, PVal):
        return sp.nsimplify(value.to_sympy()) if value.is_constant() else value.to_sympy()
    return sp.nsimplify(value)


#: the sweep's rows hold this many consecutive odd d
SWEEP_ROW = 12


def _sweep(quick: bool) -> Derivation:
    from algebra.cogo import constructions as C
    from algebra.cogo.decomposition import loss
    from groups.abelian import Zd

    top = 31 if quick else 101
    sweep = Derivation(f"{inline(construction_symbol('F6'))} and {inline(construction_symbol('F4_6'))} over every odd "
                       f"$d \\le {top}$")
    values = list(range(3, top + 1, 2))
    rows, failed = [], []
    for i in range(0, len(values), SWEEP_ROW):
        chunk = values[i:i + SWEEP_ROW]
        start = time.perf_counter()
        zero6 = [dd for dd in chunk if loss(C.construct("F6", Zd(dd))) == 0]
        zero46 = [dd for dd in chunk if loss(C.construct("F4_6", Zd(dd))) == 0]
        failed += [dd for dd in chunk if dd not in zero6 or dd not in zero46]
        rows.append([f"${chunk[0]}, {chunk[1]}, \\dots, {chunk[-1]}$" if len(chunk) > 2 else inline_list(chunk),
                     len(chunk), len(zero6), len(zero46), Notation(f"{time.perf_counter() - start:.1f}")])
    sweep.add("For every odd $d$, both constructions over $\\mathbb{Z}_d$ with their free parameters symbolic, and "
              "their exact loss (every odd $d$ in the range is checked; each row is a run of consecutive values):",
              table(["odd $d$", "values", f"{inline(construction_symbol('F6'))}: $L = 0$",
                     f"{inline(construction_symbol('F4_6'))}: $L = 0$", "time (s)"], rows))
    sweep.conclusion = (f"Both are global optimizers for all {len(values)} odd $d$ from $3$ to ${top}$."
                        if not failed else f"They fail for $d \\in \\{{{', '.join(map(str, failed))}\\}}$.")
    return sweep


def _trained(setting: Training, full: bool) -> list[Derivation]:
    """Train the real network (numeric) and classify its per-frequency blocks; the histogram of orders; with
    ``full``, the same run's blocks in the columns of the paper's Table 2 (:func:`algebra.cogo.table2.table2_from_runs`;
    more seeds: ``flowalgebra cogo table2``)."""
    from algebra.cogo.classify import classify_runs
    from algebra.cogo.table2 import table2_from_runs
    from algebra.cogo.figures import order_histogram
    from algebra.cogo.training import scientific, train

    run = train(d=setting.d, width=setting.width, wd=setting.wd, lr=setting.lr, seed=1, epochs=setting.epochs,
                progress=False)
    classified = classify_runs([run], progress=False)
    out = classified.derivation()
    out.notation = TRAINING_EXTRA  # the section's first derivation defines the rest
    out.title = f"A trained network over {inline(group_symbol(setting.d))}: its blocks, classified (numeric)"
    if full:
        note = ("This is the setting of the paper [@tian2024] (width $512$, weight decay $5 \\cdot 10^{-5}$), trained for "
                f"{_count(setting.epochs)} epochs at step {inline(scientific(setting.lr))} in {run.seconds:.1f} s.")
    else:
        full_setting = TRAINING["full"]
        note = (f"A small run, so that the report stays fast: width ${setting.width}$, weight decay "
                f"{inline(scientific(setting.wd))}, step {inline(scientific(setting.lr))}, {_count(setting.epochs)} epochs "
                f"({run.seconds:.1f} s). The setting of the paper [@tian2024] (width ${full_setting.width}$, weight decay "
                f"{inline(scientific(full_setting.wd))}, {_count(full_setting.epochs)} epochs, 30 to 60 s) is "
                f"trained by {inline(command_name('flowalgebra report --full'))}.")
    out.steps.insert(0, Step(note))
    out.figure(order_histogram(classified), "cogo_orders",
               "Orders of the learned per-frequency blocks (left) and their factorisations (right). With weight "
               "decay the blocks have order 4 or 6 and factor into the named partial solutions [@tian2024].")
    return [out, table2_from_runs([run]).derivation()] if full else [out]

