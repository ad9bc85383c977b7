r"""Read a compiled document as a referee would: notation that leaked out of math, tables set as matrices,
boxes past the margin, references that did not resolve.

:func:`audit` takes the LaTeX source and pdflatex's log and returns :class:`Finding` values; the tests
run it on the report and on every ``--latex`` document.

>>> [f.kind for f in audit("\\begin{document}Let u1\\_1 be $u_{11}$.\\end{document}", "")]
['ascii-subscript']
>>> audit("\\begin{document}Fine: $u_{11}$ and $\\chi_1$.\\end{document}", "")
[]
>>> [f.example for f in audit("\\begin{document}momentum(tau=1/2) flow\\end{document}", "")]   # a parameter in ASCII
['tau=1']
"""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Finding", "audit", "MAX_OVERFULL_PT", "LEAKS"]

#: an overfull box wider than this (pt) is a finding
MAX_OVERFULL_PT = 2.0

#: text-mode leaks: what a reader would see as code instead of mathematics, by kind
LEAKS = {
    "python-power": r"\*\*",
    "ascii-subscript": r"\b[A-Za-z]+[0-9]*\\_\{?[A-Za-z0-9]+",
    "ascii-group": r"\b(?:Delta|Sigma|Z)\s*\(|\bS_\d|\bZ\\_[A-Za-z0-9]",
    "ascii-field": r"\bzeta\\_|\bQ\(zeta",
    "ascii-greek": r"(?<![\\A-Za-z])(?:chi|nu|xi|zeta|tau|theta|lambda|gamma)(?:\d|\\_|\s*=\s*-?\d)",
    "python-tuple": r"\(\s*[^()\s,]+\s*,\s*\)",
    "python-list": r"\[\s*-?\d+(?:\s*,\s*-?\d+)+\s*\]",
    "ascii-call": r"\b(?:Lie|Fix|span|rank|Span)\((?![^)]*\$)",
    "ascii-equation": r"(?<![\\\w{])[A-Za-z] = -?\d",
    "unaccented-name": r"\bPeyre\b(?!\\')",
}

_MATH = [r"\\begin\{(align\*?|equation\*?|gather\*?|multline\*?|displaymath|array|tabular)\}.*?\\end\{\1\}",
         r"\\\[.*?\\\]", r"\$\$.*?\$\$", r"(?<!\\)\$.*?(?<!\\)\$", r"\\\(.*?\\\)"]


@dataclass(frozen=True)
class Finding:
    """One fault: its kind, how often, and an example."""

    kind: str
    count: int
    example: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.count} (e.g. {self.example!r})"


def _prose(tex: str) -> str:
    """The running text of a document: the title and body with math removed (but the ``\\text{...}`` inside
    math kept: it is text), tables' math cells removed, and commands' arguments removed."""
    title = re.findall(r"\\title\{((?:[^{}]|\{[^{}]*\})*)\}", tex)
    body = " ".join(title) + " " + tex.split("\\begin{document}", 1)[-1]
    body = re.sub(r"(?m)(?<!\\)%.*$", "", body)
    texts = lambda m: " " + " ".join(re.findall(r"\\text\{((?:[^{}]|\{[^{}]*\})*)\}", m.group(0))) + " "
    for pattern in _MATH[:1]:
        body = re.sub(pattern, lambda m: texts(m) if m.group(1) != "tabular" else _cells(m.group(0)), body, flags=re.S)
    for pattern in _MATH[1:]:
        body = re.sub(pattern, texts, body, flags=re.S)
    return re.sub(r"\\(?:includegraphics|label|ref|eqref|cite|url|href|bibitem)(?:\[[^\]]*\])?\{[^}]*\}", " ", body)


def _cells(tabular: str) -> str:
    """A tabular's text cells (its math cells removed): leaks hide in table cells too."""
    inner = re.sub(r"(?<!\\)\$.*?(?<!\\)\$", " ", tabular, flags=re.S)
    return re.sub(r"\\begin\{tabular\}\{[^}]*\}", " ", inner)


def audit(tex: str, log: str) -> list[Finding]:
    """Every finding in a LaTeX source ``tex`` and its pdflatex ``log`` (empty list: nothing to fix)."""
    findings = []
    prose = _prose(tex)
    for kind, pattern in LEAKS.items():
        hits = re.findall(pattern, prose)
        if hits:
            findings.append(Finding(kind, len(hits), hits[0]))
    body = tex.split("\\begin{document}", 1)[-1]
    matrices = re.findall(r"\\begin\{[bp]?matrix\}(?:(?!\\end\{[bp]?matrix\}).)*?\\text\{", body, flags=re.S)
    if matrices:
        findings.append(Finding("table-as-matrix", len(matrices), matrices[0][:60]))
    widths = [float(w) for w in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", log)]
    wide = [w for w in widths if w > MAX_OVERFULL_PT]
    if wide:
        findings.append(Finding("overfull-box", len(wide), f"{max(wide):.1f}pt"))
    undefined = re.findall(r"LaTeX Warning: (?:Reference|Citation) `([^']*)' .*undefined", log)
    if undefined:
        findings.append(Finding("undefined-reference", len(undefined), undefined[0]))
    return findings
