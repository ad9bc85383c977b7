"""Presentation: the derivation model, notation atoms, LaTeX and Markdown renderers, documents and the
result protocol. The only producer of LaTeX in the toolkit.

>>> from algebra.present import Derivation, inline
>>> Derivation("T").add("A step with " + inline("x_1") + ".").steps[0].statement
'A step with $x_1$.'
"""
from typing import TYPE_CHECKING

from algebra.lazy import lazy_exports

if TYPE_CHECKING:  # the re-exports, each imported on first use (algebra.lazy)
    from algebra.present.derivation import Derivation, Figure, Step
    from algebra.present.documents import (compile_latex, latex_document, latex_report, logged_page_count, markdown_report,
                                           pdf_page_count, save_figures, write_document)
    from algebra.present.latex import escape_text, latex_of
    from algebra.present.notation import (Notation, Text, element_of, inline, inline_list, inner, lie_bracket,
                                          notation_paragraph, product_symbol, scientific,
                                          subscript, superscript, table, times)
    from algebra.present.result import Result
    from algebra.present.style import paper_style
    from algebra.present.table import Table
    from algebra.present.bibliography import cite

__all__ = ["Derivation", "Figure", "Step", "compile_latex", "latex_document", "latex_report", "logged_page_count",
           "markdown_report", "pdf_page_count", "save_figures", "write_document", "escape_text", "latex_of", "Notation",
           "Text", "element_of", "inline", "inline_list", "inner", "lie_bracket", "product_symbol", "subscript",
           "superscript", "table", "times", "notation_paragraph", "scientific", "Result", "paper_style", "Table", "cite"]

__getattr__, __dir__ = lazy_exports(__name__, __file__)
del TYPE_CHECKING, lazy_exports  # the namespace holds the exports only
