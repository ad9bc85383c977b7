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

from algebra.present import paper_style
from groups.symmetric.isotypic import HessianDecomposition

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["isotypic_spectrum", "critical_point_map"]


def _irrep_mathtext(irrep) -> str:
    """An irreducible as a matplotlib mathtext label, e.g. ``$\\chi_{(3,1)}\\times\\chi_{(1)}$``."""
    return "$" + r"\times".join("\\chi_{(" + ",".join(map(str, lam)) + ")}" for lam in irrep) + "$"


def isotypic_spectrum(decomposition: HessianDecomposition) -> Figure:
    """One column per irreducible: its eigenvalues (each of multiplicity = the irreducible's degree, written
    above the column); no title (the caption says what is shown)."""
    from matplotlib.figure import Figure  # heavy: loaded on first use

    blocks = decomposition.blocks
    with paper_style():
        fig = Figure(figsize=(max(5, 0.55 * len(blocks) + 2), 3.0))
        ax = fig.add_subplot()
        for x, b in enumerate(blocks):
            ev = np.asarray(b.eigenvalues, dtype=float)
            ax.scatter(np.full(ev.shape, x), ev, s=14, color="tab:blue", zorder=3)
            ax.annotate(f"$\\times {b.dim}$", (x, ev.max() if ev.size else 0), xytext=(0, 5),
                        textcoords="offset points", ha="center", fontsize=7)
        ax.axhline(0, color="0.6", lw=0.8)
        crowded = len(blocks) > 5
        ax.set_xticks(range(len(blocks)), [_irrep_mathtext(b.irrep) for b in blocks], rotation=40 if crowded else 0,
                      ha="right" if crowded else "center", fontsize=8)
        ax.set_xlabel(r"irreducible $\chi$ (isotypic component)")
        ax.set_ylabel("Hessian eigenvalue")
        ax.margins(y=0.15)
        fig.tight_layout()
    return fig


def critical_point_map(points: Sequence) -> Figure:
    """Loss (log scale) against the Hessian index, one marker per critical point: a colour per $k$ (its column
    shifted a little so that points of equal index do not hide each other), stars for spurious minima."""
    from matplotlib.figure import Figure  # heavy: loaded on first use

    ks = sorted({cp.k for cp in points})
    with paper_style():
        fig = Figure(figsize=(5.5, 3.0))
        ax = fig.add_subplot()
        for n, k in enumerate(ks):
            shift = 0.15 * (n - (len(ks) - 1) / 2)
            color = f"C{n}"
            for spurious, marker, size in ((False, "o", 16), (True, "*", 80)):
                sel = [cp for cp in points if cp.k == k and bool(cp.spurious) == spurious]
                if sel:
                    ax.scatter([cp.index + shift for cp in sel], [cp.loss_float for cp in sel], marker=marker, s=size,
                               color=color, zorder=3, label=f"$k = {k}$" + (", spurious minimum" if spurious else ""))
        ax.set_yscale("log")
        indices = sorted({cp.index for cp in points})
        ax.set_xticks(indices)
        ax.set_xlabel("index (number of negative Hessian eigenvalues)")
        ax.set_ylabel("loss $F$")
        ax.legend(fontsize=7, loc="best")
        fig.tight_layout()
    return fig
