"""The "Notation." paragraph of a derivation: right after the title, in every renderer and in reports."""
from __future__ import annotations

import shutil

import pytest
import sympy as sp

from algebra.present import (Derivation, Step, compile_latex, latex_document, latex_report, markdown_report,
                             notation_paragraph)
from algebra.present.audit import audit

needs_tex = pytest.mark.skipif(shutil.which("pdflatex") is None, reason="no pdflatex on PATH (.ci/install-tex)")

TEXT = notation_paragraph([(sp.Symbol("U_1"), "holds the weights of layer $1$"), ("V", "those of layer $2$")],
                          tail="Entry $(i, j)$ is row $i$, column $j$ [@marcotte2023].")


def _derivation() -> Derivation:
    return Derivation("A law", [Step("It is conserved.", sp.Eq(sp.Symbol("h"), 0))], "Done.", notation=TEXT)


def test_paragraph_joins_definitions_in_math():
    assert TEXT.startswith("$U_{1}$ holds the weights of layer $1$; $V$ those of layer $2$. Entry")
    assert notation_paragraph([]) == "" and notation_paragraph(["a clause"]) == "a clause."


def test_notation_comes_right_after_the_title_in_every_renderer():
    d = _derivation()
    latex = d.to_latex().splitlines()
    assert latex[0] == "\\subsection*{A law}" and latex[1].startswith("\\noindent\\textbf{Notation.} $U_{1}$ holds")
    assert "\\cite{marcotte2023}" in latex[1]
    md = d.to_markdown().splitlines()
    assert md[2].startswith("**Notation.** $U_{1}$") and md[2].endswith("(Marcotte, Gribonval and Peyré 2023).")
    assert "\\textbf{Notation. }U_{1}" in d._repr_latex_()
    assert "Notation" not in Derivation("Plain").to_latex() + Derivation("Plain").to_markdown()


def test_reports_carry_the_paragraph_and_its_citations():
    report = latex_report([("Laws", [_derivation()])], "R")
    assert report.count("\\textbf{Notation.}") == 1 and "\\bibitem{marcotte2023}" in report
    md = markdown_report([("Laws", [_derivation()])], "R")
    assert md.count("**Notation.**") == 1 and "## References" in md
    doc = _derivation().to_document()
    assert doc.index("\\maketitle") < doc.index("\\textbf{Notation.}") < doc.index("It is conserved")


@needs_tex
def test_the_paragraph_compiles_and_reads_clean(tmp_path):
    tex = tmp_path / "n.tex"
    tex.write_text(latex_document([_derivation()], title="A law"))
    assert compile_latex(str(tex))
    assert audit(tex.read_text(), tex.with_suffix(".log").read_text(errors="replace")) == []


def test_a_report_does_not_repeat_the_same_notation_in_a_row():
    same = [_derivation(), Derivation("Next", [Step("More.")], notation=TEXT), Derivation("Other", notation="$y$.")]
    report = latex_report([("Laws", same), ("Again", [_derivation()])], "R")
    assert report.count("\\textbf{Notation.}") == 3   # once per part and once for the new notation
    assert markdown_report([("Laws", same)], "R").count("**Notation.**") == 2
    assert same[1].notation == TEXT                   # the derivations themselves are not changed
