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
from matplotlib.figure import Figure

from laws.closure import LieLawCount
from laws.numeric import simulate_flow
from laws.system import PolynomialSystem

__all__ = ["bracket_graph", "conserved_drift"]


def bracket_graph(count: LieLawCount) -> Figure:
    """Draw ``count.tree``: column = bracket length, kept brackets filled, operands hollow."""
    tree = count.tree
    columns: dict[int, list] = defaultdict(list)
    for node in tree.nodes:
        columns[len(node)].append(node)
    pos = {}
    for level, nodes in columns.items():
        nodes.sort()
        for i, node in enumerate(nodes):
            pos[node] = (level, (len(nodes) - 1) / 2 - i)
    height = max((len(v) for v in columns.values()), default=1)
    fig = Figure(figsize=(7, max(2.5, min(9, 0.35 * height + 1.5))))
    ax = fig.add_subplot()
    for a, b in tree.edges:
        (x0, y0), (x1, y1) = pos[a], pos[b]
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                    arrowprops=dict(arrowstyle="->", color="0.55", lw=0.8, shrinkA=6, shrinkB=6))
    kept = [n for n in tree.nodes if tree.nodes[n].get("kind") == "bracket"]
    other = [n for n in tree.nodes if n not in set(kept)]
    for nodes, style in ((kept, dict(color="tab:blue")), (other, dict(facecolors="none", edgecolors="tab:blue"))):
        if nodes:
            ax.scatter([pos[n][0] for n in nodes], [pos[n][1] for n in nodes], s=40, zorder=3, **style)
    if len(tree) <= 40:
        for node in tree.nodes:
            ax.annotate(tree.nodes[node].get("label", str(node)), pos[node], xytext=(6, 3),
                        textcoords="offset points", fontsize=7)
    ranks = ", ".join(f"{lv.rank}" for lv in count.levels)
    ax.set_title(f"Lie closure of {count.description}: rank by level {ranks}; {count.laws} laws", fontsize=9)
    ax.set_xlabel("bracket length (level)")
    ax.set_xticks(sorted(columns))
    ax.set_yticks([])
    ax.set_xlim(min(columns) - 0.3, max(columns) + 0.9)
    return fig


def conserved_drift(model: PolynomialSystem, law: str, control: str, seed: int = 0, t_end: float = 2.0) -> Figure:
    """|q(t) - q(0)| of ``law`` and of ``control`` along one gradient flow (log scale), and the loss.

    Both are parsed safely by the model; the flow is the numeric backend's
    (:func:`laws.numeric.simulate_flow`).
    """
    run = simulate_flow(model, [model.parse(law), model.parse(control)], seed=seed, t_end=t_end)
    fig = Figure(figsize=(7, 3.2))
    ax, ax_loss = fig.subplots(1, 2, gridspec_kw=dict(width_ratios=[2, 1]))
    floor = 1e-17
    for values, name, style in ((run.values[0], f"law h = {law}", "-"), (run.values[1], f"control {control}", "--")):
        ax.semilogy(run.times, np.maximum(np.abs(values - values[0]), floor), style, label=name)
    ax.set_xlabel("t")
    ax.set_ylabel("|q(t) - q(0)|")
    ax.legend(fontsize=7, loc="lower right")
    ax.set_title(f"{model.name}: conserved vs control", fontsize=9)
    ax_loss.semilogy(run.times, run.loss, color="tab:gray")
    ax_loss.set_xlabel("t")
    ax_loss.set_title("loss", fontsize=9)
    fig.tight_layout()
    return fig
