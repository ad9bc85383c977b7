"""Figures for conservation laws (matplotlib, object-oriented: no global pyplot state).

* :func:`bracket_graph`: the Lie-closure derivation tree of :func:`~laws.closure.count_laws`
  (generators, and each kept bracket with edges from its two operands), by level;
* :func:`conserved_drift`: a conserved quantity and a control along one simulated gradient flow.

>>> from laws.closure import count_laws
>>> from laws.models.model import linear
>>> fig = bracket_graph(count_laws(linear([2, 2, 1])))
>>> len(fig.axes)
1
"""
from __future__ import annotations

from collections import defaultdict

import numpy as np
import sympy as sp
from matplotlib.figure import Figure

from algebra.present.style import paper_style

from laws.closure import LieLawCount
from laws.numeric import simulate_flow
from laws.system import PolynomialSystem

__all__ = ["bracket_graph", "conserved_drift"]


def bracket_graph(count: LieLawCount) -> Figure:
    """Draw ``count.tree`` by level: generators chi_i in the first column, each kept bracket in the column of
    its length with arrows from its two operands; a level that raises nothing closes the distribution and is
    marked as such. Labels are math (chi_i, [chi_a, chi_b]); the caption, not a title, says what is drawn."""
    tree = count.tree
    columns: dict[int, list] = defaultdict(list)
    for node in tree.nodes:
        if isinstance(node, tuple):
            columns[len(node)].append(node)
    with paper_style():
        pos = {}
        for level, nodes in columns.items():
            nodes.sort()
            for i, node in enumerate(nodes):
                pos[node] = (level, (len(nodes) - 1) / 2 - i)
        height = max((len(v) for v in columns.values()), default=1)
        fig = Figure(figsize=(6, max(2.4, min(8.5, 0.32 * height + 1.4))))
        ax = fig.add_subplot()
        for a, b in tree.edges:
            if a in pos and b in pos:
                (x0, y0), (x1, y1) = pos[a], pos[b]
                ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                            arrowprops=dict(arrowstyle="->", color="0.6", lw=0.7, shrinkA=5, shrinkB=5))
        kept = [n for n in pos if tree.nodes[n].get("kind") == "bracket"]
        other = [n for n in pos if n not in set(kept)]
        for nodes, style, name in ((kept, dict(color="tab:blue"), "kept: raises the rank"),
                                   (other, dict(facecolors="none", edgecolors="tab:blue"), "operand")):
            if nodes:
                ax.scatter([pos[n][0] for n in nodes], [pos[n][1] for n in nodes], s=30, zorder=3, label=name, **style)
        if len(pos) <= 40:
            for node in pos:
                latex = tree.nodes[node].get("latex")
                ax.annotate(f"${latex}$" if latex else str(node), pos[node], xytext=(6, 2), textcoords="offset points")
        last = max(columns, default=1)
        closing = count.levels[-1] if count.levels else None
        if count.closed and closing is not None and closing.kept == 0:
            # the level that raised nothing: drawn as a column of its own, with what was tried
            ax.axvline(closing.level, color="0.8", lw=0.8, ls=":")
            ax.annotate(f"level {closing.level}: {closing.tried} brackets tried,\nnone raises the rank $K = {closing.rank}$",
                        (closing.level, 0), xytext=(4, 0), textcoords="offset points", va="center")
            last = max(last, closing.level)
        ax.set_xlabel("bracket length (level)")
        ax.set_xticks(range(1, last + 1))
        ax.set_yticks([])
        for side in ("left", "right", "top"):
            ax.spines[side].set_visible(False)
        ax.set_xlim(0.7, last + 1.2)
        ax.legend(loc="upper right", frameon=False)
    return fig


def conserved_drift(model: PolynomialSystem, law: str, control: str, seed: int = 0, t_end: float = 2.0) -> Figure:
    """|q(t) - q(0)| of the law h (``law``) and of a control q (``control``) along one gradient flow (log
    scale), and the loss; the legend writes both in the model's notation.

    Both are parsed safely by the model; the flow is the numeric backend's
    (:func:`laws.numeric.simulate_flow`).
    """
    h, q = model.parse(law), model.parse(control)
    run = simulate_flow(model, [h, q], seed=seed, t_end=t_end)
    with paper_style():
        fig = Figure(figsize=(6, 2.6))
        ax, ax_loss = fig.subplots(1, 2, gridspec_kw=dict(width_ratios=[2, 1]))
        floor = 1e-17
        for values, name, style in ((run.values[0], f"law $h = {sp.latex(model.to_sympy(h))}$", "-"),
                                    (run.values[1], f"control $q = {sp.latex(model.to_sympy(q))}$", "--")):
            ax.semilogy(run.times, np.maximum(np.abs(values - values[0]), floor), style, label=name)
        ax.set_xlabel("$t$")
        ax.set_ylabel("$|f(t) - f(0)|$ for $f = h, q$")
        ax.legend(loc="lower right", frameon=False)
        ax_loss.plot(run.times, run.loss, color="tab:gray")  # decays by a small factor: a linear axis reads best
        ax_loss.set_xlabel("$t$")
        ax_loss.set_ylabel("loss $L(\\theta(t))$")
        fig.tight_layout()
    return fig
