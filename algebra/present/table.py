r"""Tables for derivations: column heads, rows of cells, an optional note; typeset as a booktabs
``tabular`` in LaTeX, a pipe table in Markdown and an ``array`` in Jupyter.

A cell that is a ``str`` is prose (``$...$`` math kept, citations allowed); any other cell (an int, a
Fraction, a sympy object) is math. A long list is either shown whole or cut with :meth:`Table.truncated`,
which says so in the note.

>>> t = Table(["model", "laws"], [["$\\mathrm{relu}(2,3,2)$", 3], ["linear", 4]])
>>> t.shape
(3, 2)
>>> print(t.to_markdown().splitlines()[0])
| model | laws |
>>> "\\toprule" in t.to_latex()
True
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Iterable, Sequence

from algebra.lazy import lazy_module
from algebra.present.bibliography import render_citations
from algebra.present.latex import _mathjax_prose, escape_text, latex_of

__all__ = ["Table"]

sp = lazy_module("sympy")


def _is_number(cell: Any) -> bool:
    return isinstance(cell, (int, float, Fraction, sp.Basic)) and not isinstance(cell, bool)


@dataclass(frozen=True)
class Table:
    """A table: ``header`` (prose), ``rows`` (cells), ``note`` (printed under it, e.g. what was cut)."""

    header: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    note: str = ""
    align: str = field(default="")

    def __init__(self, header: Sequence[str], rows: Iterable[Sequence[Any]], note: str = "", align: str = ""):
        header = tuple(str(h) for h in header)
        rows = tuple(tuple(r) for r in rows)
        bad = [i for i, r in enumerate(rows) if len(r) != len(header)]
        if bad:
            raise ValueError(f"row {bad[0]} has {len(rows[bad[0]])} cells, the header {len(header)}")
        if not align:  # numbers right, words left
            align = "".join("r" if rows and all(_is_number(r[j]) for r in rows) else "l" for j in range(len(header)))
        if len(align) != len(header) or set(align) - set("lcr"):
            raise ValueError(f"align is one of l, c, r per column, got {align!r}")
        object.__setattr__(self, "header", header)
        object.__setattr__(self, "rows", rows)
        object.__setattr__(self, "note", note)
        object.__setattr__(self, "align", align)

    @property
    def shape(self) -> tuple[int, int]:
        """(rows including the header, columns)."""
        return len(self.rows) + 1, len(self.header)

    def truncated(self, limit: int, what: str = "rows") -> "Table":
        """The first ``limit`` rows, with a note saying how many of how many are shown (the whole table if it fits)."""
        if len(self.rows) <= limit:
            return self
        note = f"First {limit} of {len(self.rows)} {what} shown." + (f" {self.note}" if self.note else "")
        return Table(self.header, self.rows[:limit], note, self.align)

    # -- renderers ---------------------------------------------------------
    def _cell_latex(self, cell: Any) -> str:
        return escape_text(cell) if isinstance(cell, str) else f"${latex_of(cell)}$"

    def to_latex(self) -> str:
        """A centred booktabs ``tabular`` (needs the booktabs package), the note below it in small type."""
        lines = ["\\begin{center}", f"\\begin{{tabular}}{{{self.align}}}", "\\toprule",
                 " & ".join(escape_text(h) for h in self.header) + " \\\\", "\\midrule"]
        lines += [" & ".join(self._cell_latex(c) for c in row) + " \\\\" for row in self.rows]
        lines += ["\\bottomrule", "\\end{tabular}"]
        if self.note:
            lines.append(f"\\\\[2pt]{{\\small {escape_text(self.note)}}}")
        lines.append("\\end{center}")
        return "\n".join(lines)

    def _cell_markdown(self, cell: Any) -> str:
        text = render_citations(cell, "text") if isinstance(cell, str) else f"${latex_of(cell)}$"
        return text.replace("|", "\\|")

    def to_markdown(self) -> str:
        """A pipe table (GitHub, Jupyter), the note in italics below it."""
        rule = {"l": "---", "c": ":---:", "r": "---:"}
        lines = ["| " + " | ".join(self._cell_markdown(h) for h in self.header) + " |",
                 "| " + " | ".join(rule[a] for a in self.align) + " |"]
        lines += ["| " + " | ".join(self._cell_markdown(c) for c in row) + " |" for row in self.rows]
        if self.note:
            lines += ["", f"*{render_citations(self.note, 'text')}*"]
        return "\n".join(lines)

    def to_mathjax(self) -> str:
        """An ``array`` for MathJax (Jupyter's ``_repr_latex_``)."""
        cell = lambda c: _mathjax_prose(c) if isinstance(c, str) else latex_of(c)
        body = [" & ".join(_mathjax_prose(h, bold=True) for h in self.header)]
        body += [" & ".join(cell(c) for c in row) for row in self.rows]
        out = f"\\begin{{array}}{{{self.align}}}" + " \\\\ \\hline ".join(body[:1]) + " \\\\ \\hline " \
            + " \\\\ ".join(body[1:]) + "\\end{array}"
        return out + (f" \\\\ {_mathjax_prose(self.note)}" if self.note else "")
