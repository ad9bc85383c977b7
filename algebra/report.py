"""The report: curated results from every area, as Markdown, LaTeX and (when a
TeX engine is present) PDF.

Each area contributes a ``report_sections(quick)`` function listed in
:data:`SECTION_PROVIDERS`, returning :class:`~algebra.derivation.Derivation`
values; this module only assembles and writes them.
"""
from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import time
from typing import Callable

from tqdm import tqdm

from algebra.derivation import Derivation, latex_document

#: "module:function" names of the per-area section providers
SECTION_PROVIDERS = ["laws.report:report_sections", "algebra.cogo_report:report_sections", "groups.report:report_sections"]


def collect_sections(quick: bool = False, progress: bool = True) -> list[Derivation]:
    """Run every provider and return their derivations in order."""
    sections: list[Derivation] = []
    for name in tqdm(SECTION_PROVIDERS, desc="report", disable=not progress, unit="area"):
        module_name, func_name = name.split(":")
        provider: Callable[[bool], list[Derivation]] = getattr(importlib.import_module(module_name), func_name)
        sections.extend(provider(quick))
    return sections


def write_report(out: str = "report", quick: bool = False, progress: bool = True) -> list[str]:
    """Write ``report.md``, ``report.tex`` and, if pdflatex exists, ``report.pdf``; return the paths."""
    os.makedirs(out, exist_ok=True)
    start = time.perf_counter()
    sections = collect_sections(quick=quick, progress=progress)
    elapsed = time.perf_counter() - start
    title = "flowalgebra report"
    md_path = os.path.join(out, "report.md")
    with open(md_path, "w", encoding="utf-8") as fh:
        fh.write(f"# {title}\n\nComputed in {elapsed:.1f} s.\n\n")
        fh.write("\n".join(d.to_markdown() for d in sections))
    tex_path = os.path.join(out, "report.tex")
    with open(tex_path, "w", encoding="utf-8") as fh:
        fh.write(latex_document(sections, title=title))
    written = [md_path, tex_path]
    pdf = compile_latex(tex_path)
    if pdf:
        written.append(pdf)
    return written


def compile_latex(tex_path: str) -> str | None:
    """Compile with pdflatex (twice, quietly) if it is installed; return the PDF path or None."""
    engine = shutil.which("pdflatex")
    if engine is None:
        return None
    folder, name = os.path.split(os.path.abspath(tex_path))
    for _ in range(2):
        proc = subprocess.run(
            [engine, "-interaction=nonstopmode", "-halt-on-error", name],
            cwd=folder, capture_output=True, text=True, timeout=300,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"pdflatex failed on {tex_path}:\n{proc.stdout[-2000:]}")
    return os.path.join(folder, name[:-4] + ".pdf")
