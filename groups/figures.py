"""Figures for symmetric landscapes: Hessian spectra by isotypic component, and the
critical points found (loss against Hessian index).

>>> from groups.landscape.hessian import hessian_at
>>> fig = isotypic_spectrum(hessian_at(4, "identity"))
>>> len(fig.axes)
1
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import numpy as np

from groups.symmetric.isotypic import HessianDecomposition, irrep_label

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["isotypic_spectrum", "critical_point_map"]


def isotypic_spectrum(decomposition: HessianDecomposition) -> Figure:
    """One column per irreducible: its eigenvalues (each of multiplicity = the irreducible's degree)."""
    from matplotlib.figure import Figure  # heavy: loaded on first use

    blocks = decomposition.blocks
    fig = Figure(figsize=(max(5, 0.7 * len(blocks) + 2), 3.4))
    ax = fig.add_subplot()
    for x, b in enumerate(blocks):
        ev = np.asarray(b.eigenvalues, dtype=float)
        ax.scatter(np.full(ev.shape, x), ev, s=12 + 6 * np.sqrt(b.dim), alpha=0.8, zorder=3)
        ax.annotate(f"x{b.dim}", (x, ev.max() if ev.size else 0), xytext=(0, 6), textcoords="offset points",
                    ha="center", fontsize=6)
    ax.axhline(0, color="0.6", lw=0.8)
    ax.set_xticks(range(len(blocks)), [irrep_label(b.irrep) for b in blocks], rotation=60, fontsize=7)
    ax.set_ylabel("Hessian eigenvalue")
    ax.set_title(f"Hessian at {decomposition.point} (k = {decomposition.k}) by isotypic component\n"
                 "label: multiplicity of each eigenvalue (degree of the irreducible)", fontsize=8)
    ax.margins(y=0.15)
    fig.tight_layout()
    return fig


def critical_point_map(points: Sequence) -> Figure:
    """Loss (log) against the number of negative Hessian eigenvalues, one marker per critical point."""
    from matplotlib.figure import Figure  # heavy: loaded on first use

    fig = Figure(figsize=(5.5, 3.2))
    ax = fig.add_subplot()
    for spurious, style in ((False, dict(marker="o", color="tab:blue", label="saddle")),
                            (True, dict(marker="*", color="tab:red", s=90, label="spurious minimum"))):
        sel = [cp for cp in points if bool(cp.spurious) == spurious]
        if sel:
            ax.scatter([cp.index for cp in sel], [cp.loss_float for cp in sel], **style)
    ax.set_yscale("log")
    ax.set_xlabel("index (negative Hessian eigenvalues)")
    ax.set_ylabel("loss")
    ax.legend(fontsize=7)
    ax.set_title("symmetric critical points", fontsize=9)
    fig.tight_layout()
    return fig
