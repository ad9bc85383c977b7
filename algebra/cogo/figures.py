r"""Figures for CoGO: which local potentials named blocks zero (exact), and the orders
of the per-frequency blocks learned by a trained network (numeric).

>>> fig = potential_map(["nu", "xi", "nu_i*xi"])
>>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
['$z_{\\nu}$', '$z_{\\xi}$', '$z_{\\nu=i} z_{\\xi}$']
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
from matplotlib.figure import Figure

from algebra.cogo.classify import RunClassification
from algebra.cogo.constructions import parse_block_expression
from algebra.cogo.notation import BLOCK_SYMBOLS, construction_symbol
from algebra.present import paper_style
from algebra.cogo.potentials import LOCAL_POTENTIALS

__all__ = ["potential_map", "order_histogram", "DEFAULT_BLOCKS"]

#: named partial solutions shown by default (see :mod:`algebra.cogo.constructions`)
DEFAULT_BLOCKS = ["nu", "nu_i", "xi", "syn", "syn_ab", "nu*syn", "nu_i*syn_ab", "nu_i*xi", "nu_i*syn"]


def potential_map(names: Sequence[str] = DEFAULT_BLOCKS) -> Figure:
    """Grid: rows are named blocks, columns the ten local potentials; dark = vanishes identically."""
    cols = [p.name for p in LOCAL_POTENTIALS]
    grid = np.zeros((len(names), len(cols)))
    for i, name in enumerate(names):
        vanishing = set(parse_block_expression(name).potentials().vanishing())
        grid[i] = [c in vanishing for c in cols]
    with paper_style():
        fig = Figure(figsize=(5.0, 0.3 * len(names) + 1.3))
        ax = fig.add_subplot()
        ax.imshow(grid, cmap="Blues", vmin=0, vmax=1.3, aspect="auto")
        ax.set_xticks(range(len(cols)), [f"${c}$" for c in cols], rotation=60)
        ax.set_yticks(range(len(names)), [_label(n) for n in names])
        ax.set_xticks(np.arange(-0.5, len(cols)), minor=True)
        ax.set_yticks(np.arange(-0.5, len(names)), minor=True)
        ax.grid(which="minor", color="white", linewidth=1)
        ax.tick_params(which="minor", length=0)
        fig.tight_layout()
    return fig


def _label(name: str) -> str:
    """A block type as a mathtext label (its symbol), or the word itself (e.g. "unfactored")."""
    if all(f in BLOCK_SYMBOLS for t in name.split("+") for f in t.strip().split("*")):
        return f"${construction_symbol(name).name}$"
    return name


def order_histogram(classification: RunClassification) -> Figure:
    """Block orders (nodes per frequency block) and block types of a
    :class:`~algebra.cogo.classify.RunClassification`."""
    sizes = {int(k): v for k, v in classification.size_fractions().items()}
    types = classification.fractions()
    with paper_style():
        return _histogram(sizes, types)


def _histogram(sizes: dict, types: dict) -> Figure:
    fig = Figure(figsize=(6.0, 2.6))
    ax_size, ax_type = fig.subplots(1, 2, gridspec_kw=dict(width_ratios=[1, 1.4]))
    ax_size.bar([str(k) for k in sorted(sizes)], [100 * sizes[k] for k in sorted(sizes)], color="tab:blue")
    ax_size.set_xlabel("order of the block (hidden nodes)")
    ax_size.set_ylabel("blocks (%)")
    ax_type.barh([_label(t) for t in types][::-1], [100 * v for v in types.values()][::-1], color="tab:orange")
    ax_type.set_xlabel("blocks (%)")
    fig.tight_layout()
    return fig
