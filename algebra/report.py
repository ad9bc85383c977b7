"""The report: curated results from every area, as Markdown, LaTeX and (when a
TeX engine is present) PDF, with figures.

Each area contributes a provider listed in :data:`SECTION_PROVIDERS`
(``report_sections(quick) -> list[Derivation]``). If the provider's module also
has ``report_steps(quick)`` (a list of ``(label, thunk)``, each thunk returning
derivations), the report runs those steps one by one under a progress bar; its
``TITLE`` heads the area's section. Derivations may carry matplotlib figures
(:meth:`~algebra.derivation.Derivation.figure`); they are written to
``figures/`` as PDF (for LaTeX) and PNG (for Markdown). This module only
assembles and writes.

>>> [label for _, label, _ in report_plan(quick=True)][:1]
['laws: linear [2, 3, 2]']
"""
from __future__ import annotations

import importlib
import os
import re
import shutil
import subprocess
import time
import zlib
from typing import Callable

from tqdm import tqdm

from algebra.derivation import Derivation, latex_report, markdown_report, save_figures

#: "module:function" names of the per-area section providers
SECTION_PROVIDERS = ["laws.report:report_sections", "algebra.cogo_report:report_sections", "groups.report:report_sections"]

Step = Callable[[], list[Derivation]]


def report_plan(quick: bool = False) -> list[tuple[str, str, Step]]:
    """``(area title, step label, thunk)`` for every step of every provider, in order (nothing run yet)."""
    plan = []
    for name in SECTION_PROVIDERS:
        module_name, func_name = name.split(":")
        module = importlib.import_module(module_name)
        title = getattr(module, "TITLE", module_name)
        steps = getattr(module, "report_steps", None)
        if steps is not None:
            plan += [(title, label, thunk) for label, thunk in steps(quick)]
        else:  # a plain provider: one step
            provider = getattr(module, func_name)
            plan.append((title, module_name, lambda p=provider: p(quick)))
    return plan


def collect_parts(quick: bool = False, progress: bool = True) -> tuple[list[tuple[str, list[Derivation]]], dict]:
    """Run every step (progress bar over steps); return ``[(area title, derivations)]`` and seconds per area."""
    parts: dict[str, list[Derivation]] = {}
    seconds: dict[str, float] = {}
    plan = report_plan(quick)
    bar = tqdm(plan, desc="report", disable=not progress, unit="step")
    for title, label, thunk in bar:
        bar.set_postfix_str(label)
        start = time.perf_counter()
        parts.setdefault(title, []).extend(thunk())
        seconds[title] = seconds.get(title, 0.0) + time.perf_counter() - start
    return list(parts.items()), seconds


def collect_sections(quick: bool = False, progress: bool = True) -> list[Derivation]:
    """Run every provider and return their derivations in order."""
    return [d for _, ds in collect_parts(quick, progress)[0] for d in ds]


def write_report(out: str = "report", quick: bool = False, progress: bool = True) -> list[str]:
    """Write ``report.md``, ``report.tex``, ``figures/`` and, if pdflatex exists, ``report.pdf``; return the paths."""
    os.makedirs(out, exist_ok=True)
    start = time.perf_counter()
    parts, seconds = collect_parts(quick=quick, progress=progress)
    elapsed = time.perf_counter() - start
    derivations = [d for _, ds in parts for d in ds]
    figures = save_figures(derivations, os.path.join(out, "figures"), out)
    title = "flowalgebra report" + (" (quick)" if quick else "")
    intro = (f"Curated results of flowalgebra {'(quick instances) ' if quick else ''}in {len(parts)} areas, "
             f"{len(derivations)} derivations and {len(figures)} figures, computed in {elapsed:.1f} s ("
             + "; ".join(f"{t}: {s:.1f} s" for t, s in seconds.items())
             + "). Exact results are proofs over Q, Q(zeta_n) or mod a recorded prime; results marked numeric "
               "come from the floating-point backends.")
    md_path = os.path.join(out, "report.md")
    with open(md_path, "w", encoding="utf-8") as fh:
        fh.write(markdown_report(parts, title, intro))
    tex_path = os.path.join(out, "report.tex")
    with open(tex_path, "w", encoding="utf-8") as fh:
        fh.write(latex_report(parts, title, intro))
    written = [md_path, tex_path, os.path.join(out, "figures")]
    pdf = compile_latex(tex_path)
    if pdf:
        written.append(pdf)
    return written


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
