"""Every ``--latex`` document, compiled and read as a referee would (:func:`algebra.present.audit.audit`):
no notation leaked out of math, no tables set as matrices, no overfull box over 2 pt, no undefined
reference. The report gets the same reading in ``test_report.py``.
"""
import shutil

import pytest

from algebra.app.main import main
from algebra.present import compile_latex
from algebra.present.audit import audit

needs_tex = pytest.mark.skipif(shutil.which("pdflatex") is None,
                               reason="no pdflatex on PATH: install texlive-latex-base (.ci/run does)")

#: one small instance of every sub-command that writes a document
DOCUMENTS = {
    "laws models": ["laws", "models"],
    "laws count": ["laws", "count", "relu:2,3,2"],
    "laws count sign": ["laws", "count", "linear:2,2,2", "--flow", "sign"],
    "laws poly": ["laws", "poly", "linear:2,2,2", "--degree", "2"],
    "laws verify": ["laws", "verify", "linear:2,2,2", "--law", "u1_1**2 + u1_2**2 - v1_1**2 - v2_1**2"],
    "cogo list": ["cogo", "list"],
    "cogo check": ["cogo", "check", "F6", "--d", "5"],
    "cogo potentials": ["cogo", "potentials", "nu_i*xi"],
    "cogo proof": ["cogo", "proof", "--d", "3"],
    "cogo table2": ["cogo", "table2", "--d", "7", "--seeds", "2", "--width", "24", "--epochs", "300", "--quiet"],
    "landscape critical": ["landscape", "critical", "--k", "4", "--isotropy", "3,1"],
    "landscape hessian": ["landscape", "hessian", "--k", "4", "--at", "identity"],
    "landscape fixdim": ["landscape", "fixdim", "--k", "4", "--isotropy", "3,1"],
    "landscape reduced": ["landscape", "reduced", "--shape", "k-1,1"],
    "landscape formulas": ["landscape", "formulas"],
    "landscape asymptotics": ["landscape", "asymptotics", "--k-max", "30", "--starts", "20"],
    "landscape arcs": ["landscape", "arcs", "--k", "4", "--at", "3,1", "--sub", "2,1,1", "--starts", "2"],
    "landscape arcs --all": ["landscape", "arcs", "--k", "5", "--at", "5", "--all", "--radius", "0.3", "--starts", "20"],
    "landscape arc-types": ["landscape", "arc-types", "--k", "6", "--radius", "0.3", "--starts", "20"],
    "dynamics converge": ["dynamics", "converge", "--d", "5", "--teachers", "2", "--students", "3", "--steps", "200"],
    "dynamics converge rates": ["dynamics", "converge", "--d", "5", "--teachers", "2", "--students", "2,3,4", "--steps",
                                "300"],
    "dynamics converge threshold": ["dynamics", "converge", "--d", "4", "--teachers", "2", "--students", "2,3",
                                    "--start-loss", "0.01,0.1", "--seeds", "2", "--steps", "100"],
    "dynamics odd-target": ["dynamics", "odd-target", "--d", "2", "--width", "50", "--steps", "50"],
    "dynamics symmetry": ["dynamics", "symmetry", "--d", "2", "--group", "hyperoctahedral"],
    "dynamics low-dim": ["dynamics", "low-dim", "--d", "5", "--r", "2", "--width", "20", "--steps", "6", "--time", "3"],
}


@needs_tex
@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_latex_document_reads_clean(name, tmp_path, capsys):
    out = tmp_path / "out.tex"
    assert main(DOCUMENTS[name] + ["--latex", str(out)]) == 0, capsys.readouterr().err
    capsys.readouterr()
    pdf = compile_latex(str(out))
    assert pdf, f"{name}: pdflatex failed"
    findings = audit(out.read_text(), out.with_suffix(".log").read_text(errors="replace"))
    assert findings == [], f"{name}: " + "; ".join(map(str, findings))
