"""Generated LaTeX compiles with a real TeX engine (pdflatex; Debian's texlive-latex-base, installed by .ci/run).

Skipped, with the reason, only where no engine is installed.
"""
import os
import shutil

import pytest
import sympy as sp
from matplotlib.figure import Figure

from algebra.app.main import main
from algebra.present import Derivation, inline, latex_report, write_document
from algebra.present import compile_latex, logged_page_count, pdf_page_count

needs_tex = pytest.mark.skipif(shutil.which("pdflatex") is None,
                               reason="no pdflatex on PATH: install texlive-latex-base (.ci/run does)")


def _derivation() -> Derivation:
    x, y = sp.symbols("x y")
    U = sp.Matrix(2, 2, sp.symbols("u1:5"))
    d = Derivation("Everything the model renders: 5% of it & more_ # {braces}")
    d.add(f"Inline math {inline(sp.sqrt(x) / y)} in prose.", sp.Eq((x + y) ** 2, sp.expand((x + y) ** 2)), "binomial")
    d.add("A matrix and two lines:", [sp.Eq(sp.MatrixSymbol("M", 2, 2), U.T * U, evaluate=False), sp.Le(x, y)])
    d.add("A justification without an equation.", None, "by definition")
    d.conclusion = "Done, with $x$ math."
    fig = Figure(figsize=(3, 2))
    fig.add_subplot().plot([0, 1], [1, 0])
    return d.figure(fig, "line", "A line.")


@needs_tex
def test_document_with_align_bmatrix_and_figure_compiles(tmp_path):
    tex = write_document(str(tmp_path / "one.tex"), [_derivation()], title="One page")
    text = open(tex).read()
    assert "\\begin{bmatrix}" in text and "\\begin{align*}" in text and "\\includegraphics" in text
    assert os.path.exists(tmp_path / "figures" / "line.pdf")
    pdf = compile_latex(tex)
    assert pdf and os.path.getsize(pdf) > 1000
    assert pdf_page_count(pdf) == logged_page_count(tex) == 1


@needs_tex
def test_report_layout_has_the_expected_pages(tmp_path):
    """Title and contents on page 1, then each part on its own page: 3 pages for 2 short parts."""
    parts = [("First area", [_derivation()]), ("Second area", [Derivation("Short").add("One line.")])]
    for d in parts[0][1]:
        d.figures[0].save(str(tmp_path / "figures"), str(tmp_path))
    tex = tmp_path / "r.tex"
    tex.write_text(latex_report(parts, "Two parts", intro="Intro."))
    pdf = compile_latex(str(tex))
    assert pdf_page_count(pdf) == logged_page_count(str(tex)) == 3


@needs_tex
@pytest.mark.parametrize("argv", [
    ["laws", "count", "relu:2,3,2"],
    ["laws", "poly", "linear:2,2,2", "--degree", "2"],
    ["cogo", "check", "F6", "--d", "5"],
    ["landscape", "fixdim", "--k", "4", "--isotropy", "3,1"],
    ["landscape", "hessian", "--k", "4", "--at", "identity"],
    ["cogo", "potentials", "nu_i*xi"],
    ["dynamics", "symmetry", "--d", "2", "--group", "hyperoctahedral"],
])
def test_cli_latex_flag_writes_a_compilable_document(argv, tmp_path, capsys):
    out = tmp_path / "out.tex"
    assert main(argv + ["--latex", str(out)]) == 0
    capsys.readouterr()
    text = out.read_text()
    assert text.startswith("\\documentclass") and "\\end{document}" in text
    pdf = compile_latex(str(out))
    assert pdf_page_count(pdf) >= 1 and pdf_page_count(pdf) == logged_page_count(str(out))


def test_page_counter_rejects_non_pdf(tmp_path):
    path = tmp_path / "x.pdf"
    path.write_bytes(b"not a pdf")
    with pytest.raises(ValueError):
        pdf_page_count(str(path))
