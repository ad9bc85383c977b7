"""One derivation model for every area: statements, equations, justifications.

A :class:`Derivation` is a titled list of :class:`Step` values. Each step has a
prose ``statement`` (inline math between ``$...$`` is kept, other TeX special
characters are escaped), an optional ``equation`` (any sympy object: an
expression, ``Eq``, a matrix, a matrix expression; or a list of them, one line
each) and an optional ``justification``. The module renders it to LaTeX
(amsmath ``align*``, matrices as ``bmatrix``), to Markdown, and to a
standalone document; ``_repr_latex_`` makes it display in Jupyter.

No other module writes LaTeX by hand: areas build sympy objects and steps, embed
sympy objects in prose with :func:`inline`, compose notation with the small
constructors below (:func:`inner`, :func:`lie_bracket`, :func:`times`,
:func:`superscript`), and attach matplotlib figures with
:meth:`Derivation.figure`; documents (:func:`latex_document`,
:func:`latex_report`) are assembled here too.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> d = Derivation("A square", [Step("Expand the square.", sp.Eq((x + 1)**2, sp.expand((x + 1)**2)), "binomial formula")])
>>> print(d.to_markdown().splitlines()[0])
### A square
>>> "\\\\begin{align*}" in d.to_latex()
True
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import sympy as sp

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
    """Escape TeX specials in prose, keeping ``$...$`` math untouched.

    >>> escape_text("u_1 costs 5% in $u_1^2$")
    'u\\\\_1 costs 5\\\\% in $u_1^2$'
    """
    parts = re.split(r"(\$[^$]*\$)", text)
    out = []
    for part in parts:
        if part.startswith("$") and part.endswith("$") and len(part) >= 2:
            out.append(part)
        else:
            out.append("".join(_TEX_SPECIAL.get(ch, ch) for ch in part))
    return "".join(out)


def latex_of(obj: Any) -> str:
    """LaTeX of a sympy object (matrices as ``bmatrix``), or of a plain number/str.

    >>> latex_of(sp.Matrix([[1, 2], [3, 4]]))
    '\\\\begin{bmatrix}1 & 2\\\\\\\\3 & 4\\\\end{bmatrix}'
    """
    if isinstance(obj, str):
        return escape_text(obj)
    # long numerators are written as a product with 1/denominator, not as a page-wide fraction
    return sp.latex(obj, mat_delim="", mat_str="bmatrix", long_frac_ratio=3)


class Notation(sp.Symbol):
    """A symbol shown with verbatim LaTeX, for notation sympy cannot build.

    >>> print(sp.latex(sp.Eq(Notation(r"\\langle \\nabla h, \\chi_i \\rangle"), 0)))
    \\langle \\nabla h, \\chi_i \\rangle = 0
    """

    def _latex(self, printer) -> str:
        return self.name


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


def _tex(obj: Any) -> str:
    """LaTeX of a sympy object or number; a str is taken as a verbatim notation atom."""
    return obj if isinstance(obj, str) else latex_of(sp.sympify(obj) if isinstance(obj, int) else obj)


def inner(a: Any, b: Any) -> Notation:
    r"""The pairing ``<a, b>`` as a notation atom.

    >>> sp.latex(inner(Notation(r"\nabla h"), sp.Symbol("chi_3")))
    '\\langle \\nabla h, \\chi_{3} \\rangle'
    """
    return Notation(f"\\langle {_tex(a)}, {_tex(b)} \\rangle")


def lie_bracket(a: Any, b: Any) -> Notation:
    r"""The Lie bracket ``[a, b]`` as a notation atom.

    >>> sp.latex(lie_bracket(sp.Symbol("chi_1"), sp.Symbol("chi_2")))
    '[\\chi_{1}, \\chi_{2}]'
    """
    return Notation(f"[{_tex(a)}, {_tex(b)}]")


def times(*factors: Any, wrap: Any = None) -> Notation:
    r"""``f1 x f2 x ...`` (e.g. a product of groups), optionally as the argument of ``wrap``.

    >>> sp.latex(times(sp.Symbol("S_6"), sp.Symbol("S_1"), wrap=Notation(r"\Delta")))
    '\\Delta(S_{6} \\times S_{1})'
    """
    body = " \\times ".join(_tex(f) for f in factors)
    return Notation(body if wrap is None else f"{_tex(wrap)}({body})")


def product_symbol(name: str, sep: str = " x ") -> Notation:
    r"""A product written as text (``"Z_3 x Z_5"``) as notation: factors as sympy symbols joined by ``\times``.

    >>> print(sp.latex(product_symbol("Z_3 x Z_5")), sp.latex(product_symbol("Z_23")))
    Z_{3} \times Z_{5} Z_{23}
    """
    return times(*[sp.Symbol(part.strip()) for part in name.split(sep)])


def subscript(base: Any, sub: Any) -> Notation:
    r"""``base_{sub}``: e.g. a decoration of a composed label.

    >>> print(sp.latex(subscript(superscript(sp.Symbol("z"), 1), Notation(r"+\gamma"))))
    (z)^{(1)}_{+\gamma}
    """
    return Notation(f"{_tex(base)}_{{{_tex(sub)}}}")


def element_of(element: Any, space: Any) -> Notation:
    r"""``element \in space``; e.g. a matrix in a real matrix space built with :func:`superscript`.

    >>> print(inline(element_of(sp.Symbol("W"), superscript(sp.Reals, times(3, 4), parens=False))))
    $W \in \mathbb{R}^{3 \times 4}$
    """
    return Notation(f"{_tex(element)} \\in {_tex(space)}")


def superscript(base: Any, sup: Any, parens: bool = True) -> Notation:
    r"""``(base)^{(sup)}``: e.g. a block placed at frequency ``sup``.

    >>> sp.latex(superscript(sp.Symbol("z_syn"), 3))
    '(z_{syn})^{(3)}'
    """
    return Notation(f"({_tex(base)})^{{({_tex(sup)})}}" if parens else f"{_tex(base)}^{{{_tex(sup)}}}")


@dataclass
class Figure:
    """A matplotlib figure attached to a derivation; written by :meth:`save` (PDF for LaTeX, PNG for Markdown)."""

    name: str
    figure: Any
    caption: str = ""
    pdf: str | None = None   # relative paths, set by save()
    png: str | None = None

    def save(self, folder: str, relative_to: str | None = None) -> "Figure":
        """Write ``folder/name.pdf`` and ``.png``; remember their paths relative to ``relative_to``."""
        os.makedirs(folder, exist_ok=True)
        base = os.path.join(folder, re.sub(r"[^A-Za-z0-9_.-]", "_", self.name))
        self.figure.savefig(base + ".pdf", bbox_inches="tight")
        self.figure.savefig(base + ".png", dpi=110, bbox_inches="tight")
        rel = relative_to if relative_to is not None else folder
        self.pdf = os.path.relpath(base + ".pdf", rel).replace(os.sep, "/")
        self.png = os.path.relpath(base + ".png", rel).replace(os.sep, "/")
        return self


class Text(sp.Symbol):
    """A word or label inside math (a table cell, a header), shown upright as text.

    >>> print(sp.latex(Text("momentum (tau = 1/2)")))
    \\text{momentum (tau = 1/2)}
    """

    def _latex(self, printer) -> str:
        return f"\\text{{{_text_arg(self.name)}}}"


def table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> sp.Matrix:
    """A table for a derivation step: a header of words, then rows (str cells become :class:`Text`).

    >>> table(["model", "laws"], [["relu:2,3,2", 3]]).shape
    (2, 2)
    """
    cell = lambda v: Text(v) if isinstance(v, str) else v
    return sp.Matrix([[Text(h) for h in header]] + [[cell(v) for v in row] for row in rows])


@dataclass(frozen=True)
class Step:
    """One step: what is claimed, the equation (sympy, optional), why it holds."""

    statement: str
    equation: Any = None
    justification: str = ""

    def equations(self) -> list:
        if self.equation is None:
            return []
        if isinstance(self.equation, (list, tuple)):
            return list(self.equation)
        return [self.equation]


@dataclass
class Derivation:
    """A titled derivation: steps, and a conclusion sentence."""

    title: str
    steps: list[Step] = field(default_factory=list)
    conclusion: str = ""
    figures: list[Figure] = field(default_factory=list)

    def add(self, statement: str, equation: Any = None, justification: str = "") -> "Derivation":
        """Append a step and return self (for chaining)."""
        self.steps.append(Step(statement, equation, justification))
        return self

    def figure(self, fig: Any, name: str, caption: str = "") -> "Derivation":
        """Attach a matplotlib figure (shown in documents once saved, see :func:`save_figures`)."""
        self.figures.append(Figure(name, fig, caption))
        return self

    # -- LaTeX -------------------------------------------------------------
    def to_latex(self, level: str = "subsection") -> str:
        """A LaTeX fragment (needs amsmath): heading, prose, ``align*`` blocks."""
        lines = [f"\\{level}*{{{escape_text(self.title)}}}"]
        for step in self.steps:
            if step.statement:
                lines.append(escape_text(step.statement))
            eqs = step.equations()
            if eqs:
                lines.append("\\begin{align*}")
                rows = []
                for i, eq in enumerate(eqs):
                    row = _align_row(eq)
                    if step.justification and i == len(eqs) - 1:
                        gap = " \\\\\n" if len(row) > LONG_ROW else " "
                        row += f"{gap}&& \\text{{{_text_arg(step.justification)}}}"
                    rows.append(row)
                lines.append(" \\\\\n".join(rows))
                lines.append("\\end{align*}")
            elif step.justification:
                lines.append(f"({escape_text(step.justification)})")
            lines.append("")
        if self.conclusion:
            lines.append(f"\\noindent\\textbf{{Conclusion.}} {escape_text(self.conclusion)}")
            lines.append("")
        for fig in self.figures:
            if fig.pdf:
                lines += ["\\begin{figure}[htbp]", "\\centering",
                          f"\\includegraphics[width=0.85\\linewidth]{{{fig.pdf}}}",
                          f"\\caption{{{escape_text(fig.caption or fig.name)}}}", "\\end{figure}", ""]
        return "\n".join(lines).rstrip() + "\n"

    def to_markdown(self) -> str:
        """Markdown with ``$$...$$`` display math (renders on GitHub and in Jupyter)."""
        lines = [f"### {self.title}", ""]
        for step in self.steps:
            if step.statement:
                lines.append(step.statement)
                lines.append("")
            for eq in step.equations():
                lines.append(f"$$ {latex_of(eq)} $$")
                lines.append("")
            if step.justification:
                lines.append(f"*{step.justification}*")
                lines.append("")
        if self.conclusion:
            lines.append(f"**Conclusion.** {self.conclusion}")
            lines.append("")
        for fig in self.figures:
            if fig.png:
                lines += [f"![{fig.caption or fig.name}]({fig.png})", ""]
        return "\n".join(lines).rstrip() + "\n"

    def to_document(self) -> str:
        """A standalone, compilable LaTeX document holding this derivation."""
        return latex_document([self], title=self.title)

    def _repr_latex_(self) -> str:
        rows = [_mathjax_prose(self.title, bold=True)]
        for step in self.steps:
            if step.statement:
                rows.append(_mathjax_prose(step.statement))
            for eq in step.equations():
                rows.append(f"\\quad {latex_of(eq)}")
            if step.justification:
                rows.append(f"\\qquad {_mathjax_prose('(' + step.justification + ')')}")
        if self.conclusion:
            rows.append(_mathjax_prose(self.conclusion))
        return "$\\displaystyle \\begin{aligned}" + " \\\\ ".join(f"&{r}" for r in rows) + "\\end{aligned}$"


def _mathjax_prose(text: str, bold: bool = False) -> str:
    """Prose for MathJax (notebooks): text runs in ``\\text{}`` (where MathJax shows characters as they
    are), ``$...$`` runs as math.

    >>> _mathjax_prose("rank of $J_k$ is 3")
    '\\\\text{rank of }J_k\\\\text{ is 3}'
    """
    out = []
    for part in re.split(r"(\$[^$]*\$)", text):
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
    """Escape a string for use inside ``\\text{...}`` (no math allowed there)."""
    return "".join(_TEX_SPECIAL.get(ch, ch) for ch in text.replace("$", ""))


_PREAMBLE = (
    "\\documentclass[11pt]{article}\n"
    "\\usepackage[margin=2cm]{geometry}\n"
    "\\usepackage{amsmath,amssymb}\n"
    "\\usepackage{graphicx}\n"
    "\\allowdisplaybreaks\n"
)


def latex_document(derivations: Iterable[Derivation], title: str = "flowalgebra", preamble_extra: str = "") -> str:
    """A standalone amsmath document with one section per derivation.

    >>> doc = latex_document([Derivation("Empty")], title="T")
    >>> doc.startswith("\\\\documentclass") and doc.rstrip().endswith("\\\\end{document}")
    True
    """
    body = "\n".join(d.to_latex(level="section") for d in derivations)
    return _wrap(body, title, preamble_extra)


def latex_report(parts: Sequence[tuple[str, Sequence[Derivation]]], title: str, intro: str = "") -> str:
    """A standalone document with a table of contents, one numbered section per part
    (e.g. an area of the toolkit), its derivations as unnumbered subsections, each part on a new page.

    >>> doc = latex_report([("Laws", [Derivation("A")]), ("Groups", [Derivation("B")])], "R", intro="Two parts.")
    >>> doc.count("\\\\section{"), doc.count("\\\\subsection*{"), "\\\\tableofcontents" in doc
    (2, 2, True)
    """
    chunks = [escape_text(intro), "\\tableofcontents"] if intro else ["\\tableofcontents"]
    for name, derivations in parts:
        chunks.append(f"\\clearpage\n\\section{{{escape_text(name)}}}")
        for d in derivations:
            heading, _, rest = d.to_latex(level="subsection").partition("\n")
            chunks.append(f"{heading}\n\\addcontentsline{{toc}}{{subsection}}{{{escape_text(d.title)}}}\n{rest}")
    return _wrap("\n".join(chunks), title, "")


def markdown_report(parts: Sequence[tuple[str, Sequence[Derivation]]], title: str, intro: str = "") -> str:
    """The Markdown counterpart of :func:`latex_report`.

    >>> print(markdown_report([("Laws", [Derivation("A")])], "R").splitlines()[0])
    # R
    """
    lines = [f"# {title}", ""]
    if intro:
        lines += [intro, ""]
    for name, derivations in parts:
        lines += [f"## {name}", ""]
        lines += [d.to_markdown() for d in derivations]
    return "\n".join(lines).rstrip() + "\n"


def _wrap(body: str, title: str, preamble_extra: str) -> str:
    return (
        f"{_PREAMBLE}{preamble_extra}"
        f"\\title{{{escape_text(title)}}}\n"
        "\\date{}\n"
        "\\begin{document}\n"
        "\\maketitle\n"
        f"{body}\n"
        "\\end{document}\n"
    )


def save_figures(derivations: Iterable[Derivation], folder: str, relative_to: str) -> list[str]:
    """Save every attached figure into ``folder`` (paths recorded relative to ``relative_to``); return the PDFs."""
    written = []
    for d in derivations:
        for fig in d.figures:
            fig.save(folder, relative_to)
            written.append(os.path.join(relative_to, fig.pdf))
    return written


def write_document(path: str, derivations: Sequence[Derivation], title: str = "flowalgebra") -> str:
    """Write :func:`latex_document` to ``path`` (figures into ``figures/`` beside it) and return the path."""
    here = os.path.dirname(os.path.abspath(path))
    save_figures(derivations, os.path.join(here, "figures"), here)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(latex_document(derivations, title=title))
    return path


class Explained:
    """Mixin for result values: ``to_latex`` and ``_repr_latex_`` from ``derivation()``.

    >>> class Answer(Explained):
    ...     def derivation(self):
    ...         return Derivation("Answer", [Step("It is 42.")])
    >>> Answer().to_latex().splitlines()[0]
    '\\\\subsection*{Answer}'
    """

    def derivation(self) -> Derivation:  # pragma: no cover - overridden
        raise NotImplementedError

    def to_latex(self) -> str:
        """The derivation as a LaTeX fragment (amsmath)."""
        return self.derivation().to_latex()

    def to_markdown(self) -> str:
        """The derivation as Markdown."""
        return self.derivation().to_markdown()

    def _repr_latex_(self) -> str:
        return self.derivation()._repr_latex_()
