"""``flowalgebra report``: every area, figures, Markdown, LaTeX and (with pdflatex) a PDF."""
import os
import shutil
import types

import pytest

from algebra.app import report
from algebra.app.main import main
from algebra.present import Derivation, logged_page_count, pdf_page_count

AREAS = ["Conservation laws of gradient flows", "CoGO: composing global optimizers",
         "Symmetry and teacher-student landscapes"]


@pytest.fixture(scope="module")
def quick_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    return out, report.write_report(str(out), quick=True, progress=False)


def test_plan_covers_every_area_with_labelled_steps():
    plan = report.report_plan(quick=True)
    assert [t for t in AREAS] == list(dict.fromkeys(title for title, _, _ in plan))
    labels = [label for _, label, _ in plan]
    assert len(labels) == len(set(labels)) >= 9


def test_report_files_areas_and_figures(quick_report):
    out, written = quick_report
    for name in ("report.md", "report.tex"):
        assert str(out / name) in written
    md = (out / "report.md").read_text()
    tex = (out / "report.tex").read_text()
    for area in AREAS:
        assert f"## {area}" in md
        assert f"\\section{{{area}}}" in tex
    pngs = sorted(f for f in os.listdir(out / "figures") if f.endswith(".png"))
    pdfs = sorted(f for f in os.listdir(out / "figures") if f.endswith(".pdf"))
    assert len(pngs) == len(pdfs) >= 5
    # every figure is referenced from both documents; each area has at least one
    for png in pngs:
        assert f"(figures/{png})" in md and f"{{figures/{png[:-4]}.pdf}}" in tex
    for prefix in ("laws_", "cogo_", "groups_"):
        assert any(p.startswith(prefix) for p in pngs), prefix


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="no pdflatex on PATH: install texlive-latex-base")
def test_report_pdf_opens_with_every_area(quick_report):
    out, written = quick_report
    pdf = str(out / "report.pdf")
    assert pdf in written
    pages = pdf_page_count(pdf)
    assert pages == logged_page_count(str(out / "report.tex"))
    assert pages >= 1 + len(AREAS)  # title and contents, then each area on its own pages
    toc = (out / "report.toc").read_text()
    assert all(area in toc for area in AREAS)


def test_an_area_is_a_title_and_its_steps(monkeypatch):
    module = types.ModuleType("fake_area")
    module.TITLE = "Fake"
    module.report_steps = lambda quick: [("one", lambda: [Derivation(f"fake, quick={quick}")])]
    monkeypatch.setattr(report, "AREAS", [module])
    parts, seconds = report.collect_parts(quick=True, progress=False)
    assert [(t, [d.title for d in ds]) for t, ds in parts] == [("Fake", ["fake, quick=True"])]
    assert set(seconds) == {"Fake"}


def test_cli_prints_where_it_wrote(tmp_path, capsys, monkeypatch):
    module = types.ModuleType("tiny_area")
    module.TITLE = "Tiny"
    module.report_steps = lambda quick: [("tiny", lambda: [Derivation("T").add("x")])]
    monkeypatch.setattr(report, "AREAS", [module])
    assert main(["report", "--out", str(tmp_path / "r"), "--quick"]) == 0
    printed = capsys.readouterr().out.split()
    assert str(tmp_path / "r" / "report.md") in printed and str(tmp_path / "r" / "report.tex") in printed
