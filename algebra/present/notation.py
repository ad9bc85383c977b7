r"""Notation atoms for prose and equations: inline math, pairings, brackets, products of groups, tables.

>>> import sympy as sp
>>> inline(lie_bracket(sp.Symbol("chi_1"), sp.Symbol("chi_2")))
'$[\\chi_{1}, \\chi_{2}]$'
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Sequence

from algebra.lazy import lazy_exports, lazy_module
from algebra.present.latex import _tex
from algebra.present.table import Table

if TYPE_CHECKING:  # sympy symbols: defined in algebra.present.symbols, imported (with sympy) on first use
    from algebra.present.symbols import Notation, Text

__all__ = ['Notation', 'inline', 'inline_list', 'inner', 'lie_bracket', 'times', 'product_symbol', 'subscript', 'element_of', 'superscript', 'Text', 'table',
           'notation_paragraph', 'scientific']

sp = lazy_module("sympy")
_symbols = lazy_module("algebra.present.symbols")  # the atoms made below are Notation symbols


def inline(obj: Any) -> str:
    r"""Inline math for prose: ``$...$`` around the LaTeX of a sympy object (a str is a notation atom).

    >>> inline(sp.Symbol("nu") ** 2), inline("r_{k,k,k}")
    ('$\\nu^{2}$', '$r_{k,k,k}$')
    """
    return f"${_tex(obj)}$"


def inline_list(items: Iterable[Any], empty: str = "nothing") -> str:
    """Comma-separated inline math, or ``empty`` when there is nothing.

    >>> inline_list(["a_1", sp.Symbol("b")]), inline_list([])
    ('$a_1$, $b$', 'nothing')
    """
    out = [inline(x) for x in items]
    return ", ".join(out) if out else empty


def inner(a: Any, b: Any) -> Notation:
    r"""The pairing ``<a, b>`` as a notation atom.

    >>> from algebra.present.symbols import Notation
    >>> sp.latex(inner(Notation(r"\nabla h"), sp.Symbol("chi_3")))
    '\\langle \\nabla h, \\chi_{3} \\rangle'
    """
    return _symbols.Notation(f"\\langle {_tex(a)}, {_tex(b)} \\rangle")


def lie_bracket(a: Any, b: Any) -> Notation:
    r"""The Lie bracket ``[a, b]`` as a notation atom.

    >>> sp.latex(lie_bracket(sp.Symbol("chi_1"), sp.Symbol("chi_2")))
    '[\\chi_{1}, \\chi_{2}]'
    """
    return _symbols.Notation(f"[{_tex(a)}, {_tex(b)}]")


def times(*factors: Any, wrap: Any = None) -> Notation:
    r"""``f1 x f2 x ...`` (e.g. a product of groups), optionally as the argument of ``wrap``.

    >>> from algebra.present.symbols import Notation
    >>> sp.latex(times(sp.Symbol("S_6"), sp.Symbol("S_1"), wrap=Notation(r"\Delta")))
    '\\Delta(S_{6} \\times S_{1})'
    """
    body = " \\times ".join(_tex(f) for f in factors)
    return _symbols.Notation(body if wrap is None else f"{_tex(wrap)}({body})")


def product_symbol(name: str, sep: str = " x ") -> Notation:
    r"""A product written as text (``"Z_3 x Z_5"``) as notation: factors as sympy symbols joined by ``\times``.

    >>> print(sp.latex(product_symbol("Z_3 x Z_5")), sp.latex(product_symbol("Z_23")))
    Z_{3} \times Z_{5} Z_{23}
    """
    return times(*[sp.Symbol(part.strip()) for part in name.split(sep)])


def subscript(base: Any, sub: Any) -> Notation:
    r"""``base_{sub}``: e.g. a decoration of a composed label.

    >>> from algebra.present.symbols import Notation
    >>> print(sp.latex(subscript(superscript(sp.Symbol("z"), 1), Notation(r"+\gamma"))))
    (z)^{(1)}_{+\gamma}
    """
    return _symbols.Notation(f"{_tex(base)}_{{{_tex(sub)}}}")


def element_of(element: Any, space: Any) -> Notation:
    r"""``element \in space``; e.g. a matrix in a real matrix space built with :func:`superscript`.

    >>> print(inline(element_of(sp.Symbol("W"), superscript(sp.Reals, times(3, 4), parens=False))))
    $W \in \mathbb{R}^{3 \times 4}$
    """
    return _symbols.Notation(f"{_tex(element)} \\in {_tex(space)}")


def superscript(base: Any, sup: Any, parens: bool = True) -> Notation:
    r"""``(base)^{(sup)}``: e.g. a block placed at frequency ``sup``.

    >>> sp.latex(superscript(sp.Symbol("z_syn"), 3))
    '(z_{syn})^{(3)}'
    """
    return _symbols.Notation(f"({_tex(base)})^{{({_tex(sup)})}}" if parens else f"{_tex(base)}^{{{_tex(sup)}}}")


def table(header: Sequence[str], rows: Iterable[Sequence[Any]], note: str = "") -> Table:
    """A table for a derivation step (a booktabs tabular in LaTeX): column heads, then rows; str cells are
    prose (``$...$`` math kept), other cells are math.

    >>> table(["model", "laws"], [["relu:2,3,2", 3]]).shape
    (2, 2)
    """
    return Table(header, rows, note)


def notation_paragraph(definitions: Iterable[Any], lead: str = "", tail: str = "") -> str:
    r"""The text of a derivation's "Notation." paragraph (pass it as ``Derivation(..., notation=...)``).

    Each definition is a pair ``(symbol, meaning)`` (the symbol a sympy object or a LaTeX atom, set in
    math; the meaning prose, math in ``$...$``) or a clause of prose; they are joined by semicolons into
    one sentence, between an optional ``lead`` and ``tail`` sentence.

    >>> notation_paragraph([("U_l", "is the weight matrix of layer $l$"), (sp.Symbol("tau"), "the time")],
    ...                    lead="All indices start at $1$.")
    'All indices start at $1$. $U_l$ is the weight matrix of layer $l$; $\\tau$ the time.'
    """
    clauses = [f"{inline(d[0])} {d[1]}" if isinstance(d, tuple) else str(d) for d in definitions]
    body = "; ".join(c.strip() for c in clauses if c)
    if body and not body.endswith("."):
        body += "."
    return " ".join(part.strip() for part in (lead, body, tail) if part and part.strip())


def scientific(x: float, digits: int = 2) -> str:
    r"""A float in scientific notation as a LaTeX atom (for :func:`inline`): ``1.23 \times 10^{-8}``.

    >>> inline(scientific(1.234e-8)), inline(scientific(0.0)), inline(scientific(12.5, 1)), inline(scientific(1.05))
    ('$1.23 \\times 10^{-8}$', '$0$', '$1.2 \\times 10^{1}$', '$1.05$')
    """
    if x == 0:
        return "0"
    mantissa, _, exponent = f"{x:.{digits}e}".partition("e")
    return mantissa if int(exponent) == 0 else f"{mantissa} \\times 10^{{{int(exponent)}}}"


__getattr__, __dir__ = lazy_exports(__name__, __file__)
