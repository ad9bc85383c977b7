"""Figures made for print: the documents' serif (Computer Modern) fonts for text and math.

Every figure module draws inside :func:`paper_style`, and :class:`~algebra.present.derivation.Figure`
saves inside it too, so labels, ticks and legends match the LaTeX around them.

>>> from matplotlib.figure import Figure
>>> with paper_style():
...     fig = Figure(figsize=(2, 2))
...     ax = fig.add_subplot()
...     _ = ax.set_xlabel("$t$")
>>> ax.xaxis.label.get_fontfamily()
['serif']
"""
from __future__ import annotations

import contextlib
from typing import Iterator

__all__ = ["PAPER_RC", "paper_style"]

#: matplotlib settings for figures beside Computer Modern text (matplotlib ships the cm fonts)
PAPER_RC = {
    "font.family": "serif",
    "font.serif": ["cmr10", "DejaVu Serif"],
    "mathtext.fontset": "cm",
    "axes.formatter.use_mathtext": True,   # cmr10 has no minus glyph of its own: ticks go through mathtext
    "axes.unicode_minus": False,
    "font.size": 9,
    "axes.titlesize": 9,
    "legend.fontsize": 8,
    "pdf.fonttype": 42,                    # embed TrueType: text stays text in the PDF
}


@contextlib.contextmanager
def paper_style() -> Iterator[None]:
    """Draw (and save) with :data:`PAPER_RC`."""
    import logging

    import matplotlib  # heavy: loaded only where figures are made

    # embedding the cm fonts (pdf.fonttype 42), fontTools logs a warning about their 1990s timestamps on
    # every save: noise on the user's terminal, not a problem with the figure
    fonttools = logging.getLogger("fontTools")
    level = fonttools.level
    fonttools.setLevel(logging.ERROR)
    try:
        with matplotlib.rc_context(PAPER_RC):
            yield
    finally:
        fonttools.setLevel(level)
