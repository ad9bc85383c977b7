"""Figures in the documents' fonts, saved without noise on the terminal."""
import logging

from matplotlib.figure import Figure

from algebra.present.style import paper_style


def test_a_pdf_figure_in_the_paper_fonts_saves_without_font_warnings(tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    with paper_style():
        fig = Figure(figsize=(2, 2))
        ax = fig.add_subplot()
        ax.plot([0, 1], [0, -1])
        ax.set_xlabel(r"$\chi_1$")
        fig.savefig(tmp_path / "f.pdf")
    assert (tmp_path / "f.pdf").stat().st_size > 1000
    assert not [r for r in caplog.records if r.name.startswith("fontTools")]
    assert logging.getLogger("fontTools").level == logging.NOTSET   # restored after the figure
