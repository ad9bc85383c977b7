"""Figures for CoGO: which local potentials named blocks zero (exact), and the orders
of the per-frequency blocks learned by a trained network (numeric).

>>> fig = potential_map(["nu", "xi", "nu_i*xi"])
>>> len(fig.axes)
2
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
from matplotlib.figure import Figure

from algebra.cogo.classify import RunClassification
from algebra.cogo.constructions import parse_block_expression
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
    fig = Figure(figsize=(7.5, 0.35 * len(names) + 1.8))
    ax = fig.add_subplot()
    image = ax.imshow(grid, cmap="Blues", vmin=0, vmax=1.3, aspect="auto")
    ax.set_xticks(range(len(cols)), [f"${c}$" for c in cols], rotation=60, fontsize=8)
    ax.set_yticks(range(len(names)), names, fontsize=8)
    ax.set_title("local potentials that vanish identically (dark)", fontsize=9)
    fig.colorbar(image, ax=ax, ticks=[0, 1], shrink=0.6).ax.set_yticklabels(["no", "yes"])
    fig.tight_layout()
    return fig


def order_histogram(classification: RunClassification) -> Figure:
    """Block orders (nodes per frequency block) and block types of a
    :class:`~algebra.cogo.classify.RunClassification`."""
    sizes = {int(k): v for k, v in classification.size_fractions().items()}
    types = classification.fractions()
    fig = Figure(figsize=(7.5, 3))
    ax_size, ax_type = fig.subplots(1, 2, gridspec_kw=dict(width_ratios=[1, 1.4]))
    ax_size.bar([str(k) for k in sorted(sizes)], [100 * sizes[k] for k in sorted(sizes)], color="tab:blue")
    ax_size.set_xlabel("order of the block (hidden nodes)")
    ax_size.set_ylabel("% of blocks")
    ax_type.barh(list(types)[::-1], [100 * v for v in types.values()][::-1], color="tab:orange")
    ax_type.set_xlabel("% of blocks")
    ax_type.tick_params(axis="y", labelsize=7)
    runs = classification.runs
    head = ", ".join(f"{r['group']} width {r['width']} wd {r['wd']:g}" for r in runs[:2])
    fig.suptitle(f"learned blocks ({head}, {len([b for b in classification.blocks if b['size']])} blocks)", fontsize=9)
    fig.tight_layout()
    return fig
