"""The derivation model: a titled list of steps (statement, equation, justification) with figures.

A :class:`Derivation` is a titled list of :class:`Step` values. Each step has a prose ``statement``
(inline math between ``$...$`` is kept, other TeX special characters are escaped), an optional
``equation`` (any sympy object, or a list of them, one line each) and an optional ``justification``.
It renders to a LaTeX fragment (amsmath ``align*``, matrices as ``bmatrix``), to Markdown and, in
Jupyter, through ``_repr_latex_``; standalone documents are in :mod:`algebra.present.documents`.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> d = Derivation("A square", [Step("Expand the square.", sp.Eq((x + 1)**2, sp.expand((x + 1)**2)), "binomial formula")])
>>> print(d.to_markdown().splitlines()[0])
### A square
>>> "\\\\begin{align*}" in d.to_latex()
True

A derivation may carry a ``notation`` paragraph (what the symbols mean, in ``$...$`` math), shown right
after the title as a paragraph opening with a bold "Notation." (build it with
:func:`algebra.present.notation.notation_paragraph`):

>>> d = Derivation("A law", [Step("It holds.")], notation="$x$ is the weight.")
>>> print(d.to_latex().splitlines()[1])
\\noindent\\textbf{Notation.} $x$ is the weight.
>>> d.to_markdown().splitlines()[2]
'**Notation.** $x$ is the weight.'
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

from algebra.present.bibliography import render_citations
from algebra.present.latex import LONG_ROW, _align_row, _mathjax_prose, escape_text, latex_of, standalone
from algebra.present.style import paper_style
from algebra.present.table import Table

__all__ = ['Figure', 'Step', 'Derivation']


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
        with paper_style():
            self.figure.savefig(base + ".pdf", bbox_inches="tight")
            self.figure.savefig(base + ".png", dpi=150, bbox_inches="tight")
        rel = relative_to if relative_to is not None else folder
        self.pdf = os.path.relpath(base + ".pdf", rel).replace(os.sep, "/")
        self.png = os.path.relpath(base + ".png", rel).replace(os.sep, "/")
        return self


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
    #: a short paragraph defining the symbols (prose, math in ``$...$``), shown right after the title
    notation: str = ""

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
        """A LaTeX fragment (needs amsmath and booktabs): heading, prose, ``align*`` blocks, tables."""
        lines = [f"\\{level}*{{{escape_text(self.title)}}}"]
        if self.notation:
            lines += [f"\\noindent\\textbf{{Notation.}} {escape_text(self.notation)}", ""]
        for step in self.steps:
            if step.statement:
                lines.append(escape_text(step.statement))
            eqs = step.equations()
            for kind, group in _runs(eqs):
                if kind == "table":
                    lines += [t.to_latex() for t in group]
                    continue
                lines.append("\\begin{align*}")
                rows = []
                for i, eq in enumerate(group):
                    row = _align_row(eq)
                    if step.justification and eq is eqs[-1]:
                        gap = " \\\\\n" if len(row) > LONG_ROW else " "
                        # amsmath's \text keeps inline math: a justification may name symbols ($T$)
                        row += f"{gap}&& \\text{{{escape_text(step.justification)}}}"
                    rows.append(row)
                lines.append(" \\\\\n".join(rows))
                lines.append("\\end{align*}")
            if step.justification and (not eqs or isinstance(eqs[-1], Table)):
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
        """Markdown with ``$$...$$`` display math and pipe tables (renders on GitHub and in Jupyter)."""
        text = lambda t: render_citations(t, "text")
        lines = [f"### {text(self.title)}", ""]
        if self.notation:
            lines += [f"**Notation.** {text(self.notation)}", ""]
        for step in self.steps:
            if step.statement:
                lines.append(text(step.statement))
                lines.append("")
            for eq in step.equations():
                lines.append(eq.to_markdown() if isinstance(eq, Table) else f"$$ {latex_of(eq)} $$")
                lines.append("")
            if step.justification:
                lines.append(f"*{text(step.justification)}*")
                lines.append("")
        if self.conclusion:
            lines.append(f"**Conclusion.** {text(self.conclusion)}")
            lines.append("")
        for fig in self.figures:
            if fig.png:
                lines += [f"![{text(fig.caption or fig.name)}]({fig.png})", ""]
        return "\n".join(lines).rstrip() + "\n"

    def to_document(self) -> str:
        """A standalone, compilable LaTeX document holding this derivation."""
        return standalone(self.to_latex(level="section").partition("\n")[2], self.title)  # one title

    def _repr_latex_(self) -> str:
        rows = [_mathjax_prose(self.title, bold=True)]
        if self.notation:
            rows.append("\\textbf{Notation. }" + _mathjax_prose(self.notation))
        for step in self.steps:
            if step.statement:
                rows.append(_mathjax_prose(step.statement))
            for eq in step.equations():
                rows.append(f"\\quad {eq.to_mathjax() if isinstance(eq, Table) else latex_of(eq)}")
            if step.justification:
                rows.append(f"\\qquad {_mathjax_prose('(' + step.justification + ')')}")
        if self.conclusion:
            rows.append(_mathjax_prose(self.conclusion))
        return "$\\displaystyle \\begin{aligned}" + " \\\\ ".join(f"&{r}" for r in rows) + "\\end{aligned}$"


def _runs(equations: list) -> list[tuple[str, list]]:
    """Consecutive equations grouped into ``("align", [...])`` and ``("table", [...])`` runs."""
    runs: list[tuple[str, list]] = []
    for eq in equations:
        kind = "table" if isinstance(eq, Table) else "align"
        if runs and runs[-1][0] == kind:
            runs[-1][1].append(eq)
        else:
            runs.append((kind, [eq]))
    return runs
