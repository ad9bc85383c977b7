"""The CoGO report sections."""
from algebra.cogo.report import report_sections
from algebra.present import Derivation


def test_quick_sections():
    sections = report_sections(quick=True)
    assert all(isinstance(s, Derivation) for s in sections)
    titles = [s.title for s in sections]
    assert titles[0] == "Loss decomposition into monomial potentials"
    text = "\n".join(s.to_markdown() for s in sections)
    assert "identical" in text and "global optimizer over Z_23" in text
    assert "is not a global optimizer" in text  # the naive z_F4/6
    for s in sections:
        assert s.to_latex().count("\\begin{align*}") == s.to_latex().count("\\end{align*}")
