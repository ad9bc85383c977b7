"""One derivation model for every area: statements, equations, justifications.

A :class:`Derivation` is a titled list of :class:`Step` values. Each step has a
prose ``statement`` (inline math between ``$...$`` is kept, other TeX special
characters are escaped), an optional ``equation`` (any sympy object: an
expression, ``Eq``, a matrix, a matrix expression; or a list of them, one line
each) and an optional ``justification``. The module renders it to LaTeX
(amsmath ``align*``, matrices as ``bmatrix``), to Markdown, and to a
standalone document; ``_repr_latex_`` makes it display in Jupyter.

No other module writes LaTeX by hand: areas build sympy objects and steps.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> d = Derivation("A square", [Step("Expand the square.", sp.Eq((x + 1)**2, sp.expand((x + 1)**2)), "binomial formula")])
>>> print(d.to_markdown().splitlines()[0])
### A square
>>> "\\\\begin{align*}" in d.to_latex()
True
"""
from __future__ import annotations

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
}


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
    return sp.latex(obj, mat_delim="", mat_str="bmatrix")


class Notation(sp.Symbol):
    """A symbol shown with verbatim LaTeX, for notation sympy cannot build.

    >>> print(sp.latex(sp.Eq(Notation(r"\\langle \\nabla h, \\chi_i \\rangle"), 0)))
    \\langle \\nabla h, \\chi_i \\rangle = 0
    """

    def _latex(self, printer) -> str:
        return self.name


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

    def add(self, statement: str, equation: Any = None, justification: str = "") -> "Derivation":
        """Append a step and return self (for chaining)."""
        self.steps.append(Step(statement, equation, justification))
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
                        row += f" && \\text{{{_text_arg(step.justification)}}}"
                    rows.append(row)
                lines.append(" \\\\\n".join(rows))
                lines.append("\\end{align*}")
            elif step.justification:
                lines.append(f"({escape_text(step.justification)})")
            lines.append("")
        if self.conclusion:
            lines.append(f"\\noindent\\textbf{{Conclusion.}} {escape_text(self.conclusion)}")
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
        return "\n".join(lines).rstrip() + "\n"

    def to_document(self) -> str:
        """A standalone, compilable LaTeX document holding this derivation."""
        return latex_document([self], title=self.title)

    def _repr_latex_(self) -> str:
        rows = [f"\\textbf{{{_text_arg(self.title)}}}"]
        for step in self.steps:
            if step.statement:
                rows.append(f"\\text{{{_text_arg(_strip_math(step.statement))}}}")
            for eq in step.equations():
                rows.append(f"\\quad {latex_of(eq)}")
            if step.justification:
                rows.append(f"\\qquad\\text{{({_text_arg(step.justification)})}}")
        if self.conclusion:
            rows.append(f"\\text{{{_text_arg(_strip_math(self.conclusion))}}}")
        return "$\\displaystyle \\begin{aligned}" + " \\\\ ".join(f"&{r}" for r in rows) + "\\end{aligned}$"


def _align_row(eq: Any) -> str:
    """One ``align*`` row, aligned at the relation sign when there is one."""
    if isinstance(eq, sp.Equality):
        return f"{latex_of(eq.lhs)} &= {latex_of(eq.rhs)}"
    if isinstance(eq, sp.core.relational.Relational):
        return f"{latex_of(eq.lhs)} &{_rel_symbol(eq)} {latex_of(eq.rhs)}"
    return f"& {latex_of(eq)}"


def _rel_symbol(eq: sp.core.relational.Relational) -> str:
    return {"==": "=", "!=": r"\neq", "<": "<", ">": ">", "<=": r"\leq", ">=": r"\geq"}[eq.rel_op]


def _text_arg(text: str) -> str:
    """Escape a string for use inside ``\\text{...}`` (no math allowed there)."""
    return "".join(_TEX_SPECIAL.get(ch, ch) for ch in text.replace("$", ""))


def _strip_math(text: str) -> str:
    return text.replace("$", "")


def latex_document(derivations: Iterable[Derivation], title: str = "flowalgebra", preamble_extra: str = "") -> str:
    """A standalone amsmath document with one section per derivation.

    >>> doc = latex_document([Derivation("Empty")], title="T")
    >>> doc.startswith("\\\\documentclass") and doc.rstrip().endswith("\\\\end{document}")
    True
    """
    body = "\n".join(d.to_latex(level="section") for d in derivations)
    return (
        "\\documentclass[11pt]{article}\n"
        "\\usepackage[margin=2cm]{geometry}\n"
        "\\usepackage{amsmath,amssymb}\n"
        "\\allowdisplaybreaks\n"
        f"{preamble_extra}"
        f"\\title{{{escape_text(title)}}}\n"
        "\\date{}\n"
        "\\begin{document}\n"
        "\\maketitle\n"
        f"{body}\n"
        "\\end{document}\n"
    )


def write_document(path: str, derivations: Sequence[Derivation], title: str = "flowalgebra") -> str:
    """Write :func:`latex_document` to ``path`` and return the path."""
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
