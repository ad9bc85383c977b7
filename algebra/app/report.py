"""The report: curated results from every area, as Markdown, LaTeX and (when a
TeX engine is present) PDF, with figures.

Each area is a module listed in :data:`AREAS` (imported here by name) with a
``TITLE`` and ``report_steps(quick)``: a list of ``(label, thunk)``, each thunk
returning derivations. An area with a long version of a step (the CoGO training) also takes
``report_steps(quick, full=True)``, which ``--full`` asks for. The report runs the steps one by one under a progress
bar; the area's ``TITLE`` heads its section. Derivations may carry matplotlib figures
(:meth:`~algebra.present.Derivation.figure`); they are written to
``figures/`` as PDF (for LaTeX) and PNG (for Markdown). This module only
assembles and writes; after pdflatex it removes the auxiliary files (``.aux``, ``.toc``,
``.out``) and keeps the PDF and pdflatex's log.

>>> [label for _, label, _ in report_plan(quick=True)][:1]
['laws: linear [2, 3, 2]']
"""
from __future__ import annotations

import argparse
import inspect
import os
import sys
import time
from typing import TYPE_CHECKING, Callable

from algebra.commandline import output_folder
from algebra.lazy import lazy_module
from algebra.present import Derivation, compile_latex, latex_report, markdown_report, save_figures

if TYPE_CHECKING:
    import groups.report
    import laws.report
    from algebra.cogo import report as cogo_report

__all__ = ["AREAS", "AUXILIARY", "report_plan", "collect_parts", "collect_sections", "write_report", "register",
           "clean_auxiliary"]

#: what pdflatex leaves next to the PDF and the report removes (the log stays: it records the build)
AUXILIARY = (".aux", ".toc", ".out")

#: the areas of the report, in order: modules with ``TITLE`` and ``report_steps(quick)`` (each imported when the
#: report first asks it for something: registering ``flowalgebra report`` imports none of them)
AREAS = [lazy_module("laws.report"), lazy_module("algebra.cogo.report"), lazy_module("groups.report")]

Step = Callable[[], list[Derivation]]


def _steps(area, quick: bool, full: bool):
    """The area's steps; ``full`` only for areas whose ``report_steps`` takes it."""
    if full and "full" in inspect.signature(area.report_steps).parameters:
        return area.report_steps(quick, full=True)
    return area.report_steps(quick)


def report_plan(quick: bool = False, full: bool = False) -> list[tuple[str, str, Step]]:
    """``(area title, step label, thunk)`` for every step of every provider, in order (nothing run yet)."""
    return [(area.TITLE, label, thunk) for area in AREAS for label, thunk in _steps(area, quick, full)]


def collect_parts(quick: bool = False, progress: bool = True,
                  full: bool = False) -> tuple[list[tuple[str, list[Derivation]]], dict]:
    """Run every step (progress bar over steps); return ``[(area title, derivations)]`` and seconds per area."""
    parts: dict[str, list[Derivation]] = {}
    seconds: dict[str, float] = {}
    from tqdm import tqdm  # not a project module: loaded when the report runs

    plan = report_plan(quick, full)
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


def write_report(out: str = "report", quick: bool = False, progress: bool = True, full: bool = False) -> list[str]:
    """Write ``report.md``, ``report.tex``, ``figures/`` and, if pdflatex exists, ``report.pdf``; return the paths.
    ``full``: the long versions of the steps that have one (the CoGO training in Tian 2024's setting)."""
    os.makedirs(out, exist_ok=True)
    start = time.perf_counter()
    parts, seconds = collect_parts(quick=quick, progress=progress, full=full)
    elapsed = time.perf_counter() - start
    derivations = [d for _, ds in parts for d in ds]
    figures = save_figures(derivations, os.path.join(out, "figures"), out)
    title = "flowalgebra report" + (" (full)" if full else " (quick)" if quick else "")
    intro = (f"Curated results of flowalgebra {'(quick instances) ' if quick else ''}in {len(parts)} areas, "
             f"{len(derivations)} derivations and {len(figures)} figures, computed in {elapsed:.1f} s ("
             + "; ".join(f"{t}: {s:.1f} s" for t, s in seconds.items())
             + "). Exact results are proofs over $\\mathbb{Q}$, $\\mathbb{Q}(\\zeta_m)$ or modulo a recorded prime; results marked numeric "
               "come from the floating-point backends."
             + ("" if full or quick else " The CoGO training is a small run, to keep the report under a minute; "
                "$\\texttt{flowalgebra report --full}$ trains the setting of the paper [@tian2024]."))
    md_path = os.path.join(out, "report.md")
    with open(md_path, "w", encoding="utf-8") as fh:
        fh.write(markdown_report(parts, title, intro))
    tex_path = os.path.join(out, "report.tex")
    with open(tex_path, "w", encoding="utf-8") as fh:
        fh.write(latex_report(parts, title, intro))
    written = [md_path, tex_path, os.path.join(out, "figures")]
    pdf = compile_latex(tex_path)
    if pdf:
        clean_auxiliary(tex_path)
        written.append(pdf)
    else:
        print("flowalgebra: report.pdf skipped: no pdflatex here (bash .ci/install-tex installs TeX Live's "
              "latex-base and latex-recommended where apt-get can)", file=sys.stderr)
    return written


def clean_auxiliary(tex_path: str) -> list[str]:
    """Remove pdflatex's auxiliary files of ``tex_path`` (:data:`AUXILIARY`); return those removed.

    >>> clean_auxiliary("/nonexistent/report.tex")
    []
    """
    base = os.path.splitext(tex_path)[0]
    removed = []
    for ext in AUXILIARY:
        if os.path.exists(base + ext):
            os.remove(base + ext)
            removed.append(base + ext)
    return removed


def register(sub: argparse._SubParsersAction) -> None:
    """``flowalgebra report``: the main job, on defaults that need no input."""
    p = sub.add_parser("report", help="run the curated results of every area and write a report folder",
                       description="Run the curated results of every area and write report.md, report.tex, "
                                   "figures/ and (with pdflatex) report.pdf. By default the CoGO training is a small "
                                   "run (width 128, 3000 epochs, a few seconds) and the whole report takes under a "
                                   "minute on two cores; --full trains Tian 2024's setting (width 512, weight decay "
                                   "5e-5, 10000 epochs, 30 to 60 s more) and adds the symmetry experiments at full size (the "
                                   "low-dimensional target at d = 20, local rates by number of students, the threshold "
                                   "of the local regime: about a minute more).")
    p.add_argument("--out", default="report", type=output_folder, help="output folder (default: ./report)")
    size = p.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="smaller instances, for a fast look")
    size.add_argument("--full", action="store_true",
                      help="the long versions: the CoGO network trained in Tian 2024's setting (width 512, weight "
                           "decay 5e-5, 10000 epochs) instead of the small default run, and the symmetry "
                           "experiments at full size")
    p.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> None:
    written = write_report(args.out, quick=args.quick, full=args.full)
    print("report written:")
    for path in written:
        print(path)
