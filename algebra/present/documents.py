r"""Standalone documents: LaTeX (one section per derivation, or a report with parts and contents),
Markdown, figures written beside them, and compiling with pdflatex.

>>> from algebra.present.derivation import Derivation
>>> latex_document([Derivation("Empty")], title="T").startswith(r"\documentclass")
True
"""
from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import zlib
from typing import Iterable, Sequence

from algebra.present.bibliography import REFERENCES, cited_keys, reference_text
from algebra.present.derivation import Derivation
from algebra.present.latex import escape_text, standalone
from algebra.present.table import Table

__all__ = ['latex_document', 'latex_report', 'markdown_report', 'save_figures', 'write_document', 'compile_latex',
           'pdf_page_count', 'logged_page_count']


def latex_document(derivations: Iterable[Derivation], title: str = "flowalgebra", preamble_extra: str = "") -> str:
    """A standalone amsmath document with one section per derivation.

    >>> from algebra.present.derivation import Derivation
    >>> doc = latex_document([Derivation("Empty")], title="T")
    >>> doc.startswith("\\\\documentclass") and doc.rstrip().endswith("\\\\end{document}")
    True
    """
    derivations = list(derivations)
    if len(derivations) == 1 and derivations[0].title == title:  # one title: the document's, not a section too
        body = derivations[0].to_latex(level="section").partition("\n")[2]
    else:
        body = "\n".join(d.to_latex(level="section") for d in derivations)
    return standalone(body, title, preamble_extra)


def latex_report(parts: Sequence[tuple[str, Sequence[Derivation]]], title: str, intro: str = "") -> str:
    """A standalone document with a table of contents, one numbered section per part
    (e.g. an area of the toolkit), its derivations as unnumbered subsections, each part on a new page.

    >>> from algebra.present.derivation import Derivation
    >>> doc = latex_report([("Laws", [Derivation("A")]), ("Groups", [Derivation("B")])], "R", intro="Two parts.")
    >>> doc.count("\\\\section{"), doc.count("\\\\subsection*{"), "\\\\tableofcontents" in doc
    (2, 2, True)
    """
    chunks = [escape_text(intro), "\\tableofcontents"] if intro else ["\\tableofcontents"]
    for name, derivations in parts:
        chunks.append(f"\\clearpage\n\\section{{{escape_text(name)}}}")
        for d in _unrepeated(derivations):
            heading, _, rest = d.to_latex(level="subsection").partition("\n")
            chunks.append(f"{heading}\n\\addcontentsline{{toc}}{{subsection}}{{{escape_text(d.title)}}}\n{rest}")
    return standalone("\n".join(chunks), title, "")


def markdown_report(parts: Sequence[tuple[str, Sequence[Derivation]]], title: str, intro: str = "") -> str:
    """The Markdown counterpart of :func:`latex_report`.

    >>> from algebra.present.derivation import Derivation
    >>> print(markdown_report([("Laws", [Derivation("A")])], "R").splitlines()[0])
    # R
    """
    lines = [f"# {title}", ""]
    if intro:
        lines += [intro, ""]
    for name, derivations in parts:
        lines += [f"## {name}", ""]
        lines += [d.to_markdown() for d in _unrepeated(derivations)]
    keys = cited_keys([intro] + [s for _, ds in parts for d in ds for s in _texts(d)])
    if keys:
        lines += ["## References", ""] + [f"- {reference_text(REFERENCES[k])}" for k in keys]
    return "\n".join(lines).rstrip() + "\n"


def _unrepeated(derivations: Sequence[Derivation]) -> list[Derivation]:
    """The derivations of one part, a "Notation." paragraph left out where the one shown before already says
    all of it (the same text, or it and more).

    >>> a, b = Derivation("A", notation="$x$ is a weight. $p$ a prime."), Derivation("B", notation="$x$ is a weight.")
    >>> [d.notation for d in _unrepeated([a, b, Derivation("C", notation="$y$ too.")])]
    ['$x$ is a weight. $p$ a prime.', '', '$y$ too.']
    """
    out, shown = [], ""
    for d in derivations:
        repeated = bool(d.notation) and d.notation in shown
        shown = shown if repeated else (d.notation or shown)
        out.append(dataclasses.replace(d, notation="") if repeated else d)
    return out


def _texts(d: Derivation) -> list[str]:
    """Every piece of prose of a derivation (where citations can be)."""
    out = [d.title, d.notation, d.conclusion]
    for step in d.steps:
        out += [step.statement, step.justification]
        out += [c for eq in step.equations() if isinstance(eq, Table) for row in (eq.header,) + eq.rows
                for c in row if isinstance(c, str)] + [eq.note for eq in step.equations() if isinstance(eq, Table)]
    return [t for t in out if t]


def save_figures(derivations: Iterable[Derivation], folder: str, relative_to: str) -> list[str]:
    """Save every attached figure into ``folder`` (paths recorded relative to ``relative_to``); return the PDFs."""
    written = []
    for d in derivations:
        for fig in d.figures:
            fig.save(folder, relative_to)
            written.append(os.path.join(relative_to, fig.pdf))
    return written


def write_document(path: str, derivations: Sequence[Derivation], title: str = "flowalgebra") -> str:
    """Write :func:`latex_document` to ``path`` (figures into ``figures/`` beside it) and return the path."""
    here = os.path.dirname(os.path.abspath(path))
    save_figures(derivations, os.path.join(here, "figures"), here)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(latex_document(derivations, title=title))
    return path


def compile_latex(tex_path: str, runs: int = 2) -> str | None:
    """Compile with pdflatex (``runs`` passes, quietly) if it is installed; return the PDF path or None."""
    engine = shutil.which("pdflatex")
    if engine is None:
        return None
    folder, name = os.path.split(os.path.abspath(tex_path))
    for _ in range(runs):
        proc = subprocess.run(
            [engine, "-interaction=nonstopmode", "-halt-on-error", name],
            cwd=folder, capture_output=True, text=True, timeout=300,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"pdflatex failed on {tex_path}:\n{proc.stdout[-2000:]}")
    return os.path.join(folder, name[:-4] + ".pdf")


def pdf_page_count(pdf_path: str) -> int:
    """Pages of a PDF, read from the file itself (object streams inflated): counts ``/Type /Page`` objects.

    A tiny reader, enough for what pdflatex writes; the tests compare it with pdflatex's own log.
    """
    with open(pdf_path, "rb") as fh:
        data = fh.read()
    if not data.startswith(b"%PDF-"):
        raise ValueError(f"{pdf_path} is not a PDF")
    chunks = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return sum(len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", c)) for c in chunks)


def logged_page_count(tex_path: str) -> int | None:
    """Pages pdflatex reports in its log ("Output written on X (N pages, ...)"), or None."""
    log = os.path.splitext(tex_path)[0] + ".log"
    if not os.path.exists(log):
        return None
    with open(log, encoding="latin-1") as fh:
        match = re.search(r"Output written on .*?\((\d+) pages?", fh.read().replace("\n", ""))
    return int(match.group(1)) if match else None
