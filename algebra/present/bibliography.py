"""The papers the toolkit's results come from, and citations in prose.

Prose cites with a marker ``[@key]`` (several: ``[@key1; @key2]``), as in pandoc. In LaTeX a marker becomes
``\\cite{key1,key2}`` and a document that cites gets a ``thebibliography`` of what it cites; in Markdown
and in Jupyter it becomes the author-year text, and the Markdown report lists the references at its end.

>>> render_citations("Counted as in [@marcotte2023].", "text")
'Counted as in (Marcotte, Gribonval and Peyré 2023).'
>>> render_citations("See [@tian2024; @marcotte2023].", "latex")
'See \\\\cite{tian2024,marcotte2023}.'
>>> cited_keys(["[@tian2024]", "again [@tian2024; @zhou2021]"])
['tian2024', 'zhou2021']
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

__all__ = ["Reference", "REFERENCES", "CITATION", "cite", "render_citations", "cited_keys", "reference_text"]


@dataclass(frozen=True)
class Reference:
    """One paper: authors as printed (with their accents), title, where and when it appeared."""

    key: str
    authors: tuple[str, ...]
    title: str
    venue: str
    year: int

    def short(self) -> str:
        """Author-year text: ``Marcotte, Gribonval and Peyré 2023``, or ``Marcotte et al. 2025``."""
        last = [a.split()[-1] for a in self.authors]
        if self.authors[-1].endswith("et al."):
            names = f"{self.authors[0].split()[-1]} et al."
        elif len(last) == 1:
            names = last[0]
        else:
            names = ", ".join(last[:-1]) + " and " + last[-1]
        return f"{names} {self.year}"


def _ref(key, authors, title, venue, year):
    return key, Reference(key, tuple(authors), title, venue, year)


#: every paper cited by a derivation or the report
REFERENCES: dict[str, Reference] = dict([
    _ref("marcotte2023", ["Sibylle Marcotte", "Rémi Gribonval", "Gabriel Peyré"],
         "Abide by the law and follow the flow: conservation laws for gradient flows",
         "Advances in Neural Information Processing Systems (NeurIPS)", 2023),
    _ref("marcotte2024", ["Sibylle Marcotte", "Rémi Gribonval", "Gabriel Peyré"],
         "Keep the momentum: conservation laws beyond Euclidean gradient flows",
         "International Conference on Machine Learning (ICML)", 2024),
    _ref("marcotte2025", ["Sibylle Marcotte", "et al."],
         "Transformative or conservative? Conservation laws for ResNets and Transformers", "preprint", 2025),
    _ref("tian2024", ["Yuandong Tian"],
         "Composing global optimizers to reasoning tasks via algebraic objects in neural nets", "preprint", 2024),
    _ref("arjevani2020", ["Yossi Arjevani", "Michael Field"],
         "Analytic characterization of the Hessian in shallow ReLU models: a tale of symmetry",
         "Advances in Neural Information Processing Systems (NeurIPS)", 2020),
    _ref("arjevani2020symmetry", ["Yossi Arjevani", "Michael Field"],
         "Symmetry & critical points for a model shallow neural network", "preprint", 2020),
    _ref("arjevani2021", ["Yossi Arjevani", "Michael Field"],
         "Analytic study of families of spurious minima in two-layer ReLU neural networks: a tale of symmetry II",
         "Advances in Neural Information Processing Systems (NeurIPS)", 2021),
    _ref("arjevani2024hidden", ["Yossi Arjevani"], "Hidden minima in two-layer ReLU networks", "preprint", 2024),
    _ref("safran2018", ["Itay Safran", "Ohad Shamir"],
         "Spurious local minima are common in two-layer ReLU neural networks",
         "International Conference on Machine Learning (ICML)", 2018),
    _ref("zhou2021", ["Mo Zhou", "Rong Ge", "Chi Jin"],
         "A local convergence theory for mildly over-parameterized two-layer neural network",
         "Conference on Learning Theory (COLT)", 2021),
    _ref("xu2023", ["Weihang Xu", "Simon S. Du"],
         "Over-parameterization exponentially slows down gradient descent for learning a single neuron",
         "Conference on Learning Theory (COLT)", 2023),
    _ref("cho2009", ["Youngmin Cho", "Lawrence K. Saul"], "Kernel methods for deep learning",
         "Advances in Neural Information Processing Systems (NeurIPS)", 2009),
    _ref("hajjar2022", ["Karl Hajjar", "Lénaïc Chizat"],
         "On the symmetries in the dynamics of wide two-layer neural networks", "preprint", 2022),
])

#: a citation marker in prose: ``[@key]`` or ``[@key1; @key2]``
CITATION = re.compile(r"\[@([A-Za-z][\w-]*(?:\s*;\s*@[A-Za-z][\w-]*)*)\]")


def cite(*keys: str) -> str:
    """The marker that cites ``keys`` (each must be in :data:`REFERENCES`).

    >>> cite("marcotte2023", "tian2024")
    '[@marcotte2023; @tian2024]'
    """
    unknown = [k for k in keys if k not in REFERENCES]
    if unknown or not keys:
        raise KeyError(f"unknown reference(s) {unknown or keys}: known are {', '.join(REFERENCES)}")
    return "[" + "; ".join(f"@{k}" for k in keys) + "]"


def _keys(match: re.Match) -> list[str]:
    keys = [k.strip().lstrip("@") for k in match.group(1).split(";")]
    unknown = [k for k in keys if k not in REFERENCES]
    if unknown:
        raise KeyError(f"unknown reference(s) {unknown} in {match.group(0)!r}")
    return keys


def render_citations(text: str, mode: str) -> str:
    """Replace the markers: ``mode="latex"`` gives ``\\cite{...}``, ``"text"`` the author-year text in parentheses."""
    if mode == "latex":
        return CITATION.sub(lambda m: "\\cite{" + ",".join(_keys(m)) + "}", text)
    if mode == "text":
        return CITATION.sub(lambda m: "(" + "; ".join(REFERENCES[k].short() for k in _keys(m)) + ")", text)
    raise ValueError(f"mode is 'latex' or 'text', got {mode!r}")


def cited_keys(texts: Iterable[str]) -> list[str]:
    """The keys cited in ``texts``, in order of first citation."""
    out: dict[str, None] = {}
    for text in texts:
        for match in CITATION.finditer(text or ""):
            out.update(dict.fromkeys(_keys(match)))
    return list(out)


def reference_text(ref: Reference) -> str:
    """One reference as plain text: ``S. Marcotte, R. Gribonval and G. Peyré. Title. Venue, 2023.``"""
    def initials(name: str) -> str:
        parts = name.split()
        return name if name == "et al." else " ".join([p[0] + "." for p in parts[:-1]] + [parts[-1]])
    names = [initials(a) for a in ref.authors]
    if names[-1] == "et al.":
        who = names[0] + " et al."
    else:
        who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    venue = "" if ref.venue == "preprint" else f" {ref.venue},"
    return f"{who}. {ref.title}.{venue} {ref.year}."
