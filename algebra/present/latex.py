r"""LaTeX of sympy objects and of prose: escaping, ``align*`` rows, long sums broken over lines.

The one place that turns sympy objects and prose into LaTeX strings; :mod:`algebra.present.derivation`
and :mod:`algebra.present.documents` build on it.

>>> import sympy as sp
>>> latex_of(sp.Symbol("x") ** 2), escape_text("5% of $x$")
('x^{2}', '5\\% of $x$')
"""
from __future__ import annotations

import re
from fractions import Fraction
from typing import Any, Sequence

from algebra.lazy import lazy_module
from algebra.present.bibliography import CITATION, REFERENCES, reference_text, render_citations

sp = lazy_module("sympy")

__all__ = ['LONG_ROW', 'escape_text', 'latex_of', 'LINE_CHARS', 'standalone', 'bibliography', 'cited_in_latex']


_TEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}


#: an align row longer than this (characters of LaTeX) puts its justification on a line of its own
LONG_ROW = 160


def escape_text(text: str) -> str:
    """Escape TeX specials in prose, keeping ``$...$`` math untouched; citation markers become ``\\cite``.

    >>> escape_text("u_1 costs 5% in $u_1^2$")
    'u\\\\_1 costs 5\\\\% in $u_1^2$'
    >>> escape_text("as shown [@tian2024]")
    'as shown \\\\cite{tian2024}'
    """
    parts = re.split(r"(\$[^$]*\$)", text)
    out = []
    for part in parts:
        if part.startswith("$") and part.endswith("$") and len(part) >= 2:
            out.append(part)
        else:
            for i, piece in enumerate(CITATION.split(part)):
                # split() with one group alternates text and the group's content
                out.append(render_citations(f"[{piece}]" if piece.startswith("@") else f"[@{piece}]", "latex")
                           if i % 2 else "".join(_TEX_SPECIAL.get(ch, ch) for ch in piece))
    return "".join(out)


def latex_of(obj: Any) -> str:
    """LaTeX of a sympy object (matrices as ``bmatrix``), or of a plain number/str.

    >>> latex_of(sp.Matrix([[1, 2], [3, 4]]))
    '\\\\begin{bmatrix}1 & 2\\\\\\\\3 & 4\\\\end{bmatrix}'
    """
    if isinstance(obj, str):
        return escape_text(obj)
    if isinstance(obj, Fraction):
        obj = sp.Rational(obj.numerator, obj.denominator)
    # long numerators are written as a product with 1/denominator, not as a page-wide fraction
    return sp.latex(obj, mat_delim="", mat_str="bmatrix", long_frac_ratio=3)


def _tex(obj: Any) -> str:
    """LaTeX of a sympy object or number; a str is taken as a verbatim notation atom."""
    return obj if isinstance(obj, str) else latex_of(sp.sympify(obj) if isinstance(obj, int) else obj)


def _mathjax_prose(text: str, bold: bool = False) -> str:
    """Prose for MathJax (notebooks): text runs in ``\\text{}`` (where MathJax shows characters as they
    are), ``$...$`` runs as math.

    >>> _mathjax_prose("rank of $J_k$ is 3")
    '\\\\text{rank of }J_k\\\\text{ is 3}'
    """
    out = []
    for part in re.split(r"(\$[^$]*\$)", render_citations(text, "text")):
        if part.startswith("$") and part.endswith("$") and len(part) >= 2:
            out.append(part[1:-1])
        elif part:
            plain = part.replace("\\", "").replace("{", "(").replace("}", ")")
            out.append(f"\\textbf{{{plain}}}" if bold else f"\\text{{{plain}}}")
    return "".join(out)


#: break a long sum after about this many characters of LaTeX per line
LINE_CHARS = 110


def _align_row(eq: Any) -> str:
    """One ``align*`` row, aligned at the relation sign when there is one; long sums are broken over lines."""
    if isinstance(eq, sp.Equality):
        return f"{latex_of(eq.lhs)} &= {_broken(eq.rhs)}"
    if isinstance(eq, sp.core.relational.Relational):
        return f"{latex_of(eq.lhs)} &{_rel_symbol(eq)} {latex_of(eq.rhs)}"
    return f"& {latex_of(eq)}"


def _broken(expr: Any) -> str:
    """LaTeX of an expression; a long sum (or a factor times a long sum) continues on aligned lines.

    >>> xs = sp.symbols("x0:40")
    >>> len(_broken(sp.Add(*xs)).splitlines())   # one sum of 40 terms, four aligned lines
    4
    """
    text = latex_of(expr)
    if len(text) <= LINE_CHARS or not isinstance(expr, sp.Basic):
        return text
    factor, total = sp.Integer(1), expr
    if isinstance(expr, sp.Mul):
        sums = [a for a in expr.args if isinstance(a, (sp.Add, sp.Sum))]
        if len(sums) == 1:
            total = sums[0]
            factor = sp.Mul(*[a for a in expr.args if a is not total])
    prefix = latex_of(factor) if factor != 1 else ""
    if isinstance(total, sp.Sum) and isinstance(total.function, sp.Add):
        marker = sp.Symbol("BODYMARKER")  # the summation sign, then the broken body in parentheses
        prefix = (prefix + " " + latex_of(sp.Sum(marker, *total.limits)).replace(latex_of(marker), "")).strip()
        total, factor = total.function, sp.Symbol("x")  # any factor != 1: parentheses are needed
    if not isinstance(total, sp.Add):
        return text
    lines, current = [], ""
    for i, term in enumerate(latex_of(t) for t in sp.Add.make_args(total)):
        sign, body = ("-", term[1:].lstrip()) if term.startswith("-") else ("+", term)
        if i == 0:
            current = term
        elif len(current) + len(body) + 3 > LINE_CHARS:
            lines.append(current)
            current = f"{sign} {body}"
        else:
            current += f" {sign} {body}"
    lines.append(current)
    if factor == 1:
        return " \\\\\n&\\quad ".join(lines)
    return (f"{prefix} \\left( " + " \\right. \\\\\n&\\quad \\left. ".join(lines) + " \\right)")


def _rel_symbol(eq: sp.core.relational.Relational) -> str:
    return {"==": "=", "!=": r"\neq", "<": "<", ">": ">", "<=": r"\leq", ">=": r"\geq"}[eq.rel_op]


def _text_arg(text: str) -> str:
    """Escape a string for use inside ``\\text{...}`` (no math allowed there; citations become ``\\cite``)."""
    return escape_text(text.replace("$", ""))


_PREAMBLE = (
    "\\documentclass[11pt]{article}\n"
    "\\usepackage[margin=2cm]{geometry}\n"
    "\\usepackage{amsmath,amssymb}\n"
    "\\usepackage{graphicx}\n"
    "\\usepackage{booktabs}\n"
    "\\usepackage[hidelinks]{hyperref}\n"
    "\\allowdisplaybreaks\n"
)


def standalone(body: str, title: str, preamble_extra: str = "") -> str:
    """A compilable amsmath document around a LaTeX ``body``, titled ``title``; what the body cites
    (``\\cite{...}``) is listed in a bibliography at its end.

    >>> doc = standalone("As in \\\\cite{zhou2021}.", "T")
    >>> "\\\\bibitem{zhou2021}" in doc and doc.count("\\\\title{") == 1
    True
    """
    references = bibliography(cited_in_latex(body))
    if references and "\\begin{figure}" in body:  # the figures are placed before the references, not among them
        references = "\\clearpage\n" + references
    return (
        f"{_PREAMBLE}{preamble_extra}"
        f"\\title{{{escape_text(title)}}}\n"
        "\\date{}\n"
        "\\begin{document}\n"
        "\\maketitle\n"
        f"{body}\n"
        f"{references}"
        "\\end{document}\n"
    )


_CITE = re.compile(r"\\cite\{([^}]*)\}")


def cited_in_latex(body: str) -> list[str]:
    """The keys of the ``\\cite`` commands in a LaTeX body, in order of first citation."""
    return list(dict.fromkeys(k.strip() for m in _CITE.finditer(body) for k in m.group(1).split(",")))


def bibliography(keys: Sequence[str]) -> str:
    """A ``thebibliography`` of ``keys`` (empty when nothing is cited)."""
    if not keys:
        return ""
    items = [f"\\bibitem{{{k}}} {escape_text(reference_text(REFERENCES[k]))}" for k in keys]
    return "\\begin{thebibliography}{99}\n" + "\n".join(items) + "\n\\end{thebibliography}\n"
