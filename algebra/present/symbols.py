r"""The sympy symbols of the notation: :class:`Notation` (verbatim LaTeX) and :class:`Text` (a word in math).

They subclass ``sympy.Symbol``, so this module imports sympy; :mod:`algebra.present.notation` re-exports
them and imports this module only when a symbol is made, so writing prose or JSON never imports sympy.

>>> import sympy as sp
>>> sp.latex(Notation(r"\nabla h") + Text("loss"))
'\\nabla h + \\text{loss}'
"""
from __future__ import annotations

import sympy as sp

from algebra.present.latex import _text_arg

__all__ = ["Notation", "Text"]


class Notation(sp.Symbol):
    """A symbol shown with verbatim LaTeX, for notation sympy cannot build.

    >>> print(sp.latex(sp.Eq(Notation(r"\\langle \\nabla h, \\chi_i \\rangle"), 0)))
    \\langle \\nabla h, \\chi_i \\rangle = 0
    """

    def _latex(self, printer) -> str:
        return self.name


class Text(sp.Symbol):
    """A word or label inside math (a table cell, a header), shown upright as text.

    >>> print(sp.latex(Text("momentum (tau = 1/2)")))
    \\text{momentum (tau = 1/2)}
    """

    def _latex(self, printer) -> str:
        return f"\\text{{{_text_arg(self.name)}}}"
