"""Tables typeset as tables, citations that resolve to a bibliography, one title per document."""
from __future__ import annotations

import shutil
from fractions import Fraction

import pytest
import sympy as sp

from algebra.present import Derivation, compile_latex, latex_document, markdown_report
from algebra.present.bibliography import REFERENCES, cite, cited_keys, reference_text, render_citations
from algebra.present.table import Table

needs_tex = pytest.mark.skipif(shutil.which("pdflatex") is None, reason="no pdflatex on PATH (.ci/install-tex)")


def test_table_renders_as_booktabs_markdown_and_mathjax():
    t = Table(["model", "$D$", "laws"], [["ReLU $2,3,2$", 12, 3], ["linear", 12, Fraction(7, 2)]], note="exact")
    latex = t.to_latex()
    assert "\\begin{tabular}{lrr}" in latex and latex.count("\\toprule") == 1 and "\\bmatrix" not in latex
    assert "$\\frac{7}{2}$" in latex and "ReLU $2,3,2$" in latex and "exact" in latex
    md = t.to_markdown().splitlines()
    assert md[0] == "| model | $D$ | laws |" and md[1] == "| --- | ---: | ---: |" and len(md) == 6
    assert t.to_mathjax().startswith("\\begin{array}{lrr}")


def test_rows_must_fit_the_header_and_truncation_says_so():
    with pytest.raises(ValueError):
        Table(["a", "b"], [[1]])
    t = Table(["i"], [[i] for i in range(48)]).truncated(8, "orbit vectors")
    assert len(t.rows) == 8 and "First 8 of 48 orbit vectors shown." in t.note
    assert Table(["i"], [[1]]).truncated(8).note == ""


def test_a_table_in_a_derivation_is_not_a_matrix():
    d = Derivation("T").add("The zoo:", Table(["flow", "laws"], [["gradient", 3]]), "counted [@marcotte2023]")
    latex = d.to_latex()
    assert "\\begin{tabular}" in latex and "bmatrix" not in latex and "align*" not in latex
    assert "(counted \\cite{marcotte2023})" in latex
    assert "(Marcotte, Gribonval and Peyré 2023)" in d.to_markdown()
    assert "Marcotte" in d._repr_latex_()


def test_citations_resolve_and_unknown_keys_are_refused():
    assert cite("tian2024") == "[@tian2024]"
    with pytest.raises(KeyError):
        cite("nobody2099")
    with pytest.raises(KeyError):
        render_citations("see [@nobody2099]", "latex")
    assert cited_keys(["a [@zhou2021; @tian2024]", "b [@zhou2021]"]) == ["zhou2021", "tian2024"]
    assert "Peyré" in reference_text(REFERENCES["marcotte2023"]) and "Chizat" in reference_text(REFERENCES["hajjar2022"])


def test_documents_have_one_title_and_a_bibliography_of_what_they_cite():
    d = Derivation("Counting laws").add("As in [@marcotte2023].", sp.Eq(sp.Symbol("K"), 9))
    doc = d.to_document()
    assert doc.count("Counting laws") == 1 and "\\section*" not in doc
    assert "\\begin{thebibliography}" in doc and "\\bibitem{marcotte2023}" in doc and "\\bibitem{tian2024}" not in doc
    assert latex_document([d], title="Counting laws") == doc
    two = latex_document([d, Derivation("Other")], title="Both")
    assert two.count("\\section*{") == 2
    assert "\\begin{thebibliography}" not in Derivation("Plain").add("No citation.").to_document()
    md = markdown_report([("Laws", [d])], "R")
    assert "## References" in md and "- S. Marcotte, R. Gribonval and G. Peyré." in md


@needs_tex
def test_a_document_with_a_table_and_citations_compiles_without_undefined_references(tmp_path):
    d = Derivation("Zoo").add("Counts [@marcotte2023; @marcotte2024]:",
                              Table(["model", "laws"], [["$\\mathrm{relu}$", 3], ["attention", 12]]))
    tex = tmp_path / "zoo.tex"
    tex.write_text(d.to_document())
    compile_latex(str(tex))
    log = (tmp_path / "zoo.log").read_text(encoding="latin-1")
    assert "undefined" not in log.lower() and "Overfull" not in log
