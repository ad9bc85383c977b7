"""``flowalgebra report``: every area, figures, Markdown, LaTeX and (with pdflatex) a PDF."""
import os
import shutil
import subprocess
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
    # built completely (the second pass resolved the contents and the citations), then tidied
    log = (out / "report.log").read_text(errors="replace")
    assert "Label(s) may have changed" not in log and "undefined" not in log
    assert not [f for f in os.listdir(out) if f.endswith(report.AUXILIARY)]
    if shutil.which("pdftotext"):
        contents = subprocess.run(["pdftotext", "-f", "1", "-l", "2", pdf, "-"], capture_output=True, text=True).stdout
        assert "Contents" in contents and all(area in contents for area in AREAS)


def test_full_reaches_only_the_areas_that_have_a_long_version(monkeypatch):
    calls = []
    long_area = types.ModuleType("long_area")
    long_area.TITLE = "Long"
    long_area.report_steps = lambda quick, full=False: calls.append(("long", quick, full)) or []
    short_area = types.ModuleType("short_area")
    short_area.TITLE = "Short"
    short_area.report_steps = lambda quick: calls.append(("short", quick)) or []
    monkeypatch.setattr(report, "AREAS", [long_area, short_area])
    report.report_plan(full=True)
    report.report_plan(quick=True)
    assert calls == [("long", False, True), ("short", False), ("long", True, False), ("short", True)]


def test_full_and_quick_exclude_each_other(capsys):
    assert main(["report", "--quick", "--full"]) == 2
    assert "not allowed with" in capsys.readouterr().err


def test_clean_auxiliary_keeps_the_pdf_and_the_log(tmp_path):
    for ext in (".tex", ".pdf", ".log") + report.AUXILIARY:
        (tmp_path / f"r{ext}").write_text("x")
    removed = report.clean_auxiliary(str(tmp_path / "r.tex"))
    assert sorted(removed) == sorted(str(tmp_path / f"r{ext}") for ext in report.AUXILIARY)
    assert sorted(os.listdir(tmp_path)) == ["r.log", "r.pdf", "r.tex"]


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


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="no pdflatex on PATH: install texlive-latex-base")
def test_report_reads_clean_to_a_referee(quick_report):
    """The compiled report: no notation leaked out of math, no table set as a matrix, no overfull box over
    2 pt, no undefined reference (:func:`algebra.present.audit.audit`)."""
    from algebra.present.audit import audit

    out, _ = quick_report
    findings = audit((out / "report.tex").read_text(), (out / "report.log").read_text(errors="replace"))
    assert findings == [], "; ".join(map(str, findings))
