r"""The result protocol: every value a computation returns explains itself the same way.

A :class:`Result` knows its :meth:`~Result.derivation` (the steps that establish it), a JSON form
(:meth:`~Result.to_json`, numbers as numbers) and a short text (:meth:`~Result.summary`). From these
it gets the rest: a LaTeX fragment (:meth:`~Result.to_latex`), Markdown, Jupyter display
(``_repr_latex_``), sympy's printer (``sympy.latex(result)`` calls ``_latex``) and a ``repr`` of one
short line. The CLI prints results only through this protocol.

>>> from algebra.present.derivation import Derivation, Step
>>> class Answer(Result):
...     def derivation(self):
...         return Derivation("Answer", [Step("It is $42$.")])
...     def to_json(self):
...         return {"answer": 42}
...     def summary(self):
...         return "the answer is 42"
>>> Answer()
<Answer: the answer is 42>
>>> import sympy
>>> sympy.latex(Answer()).startswith("\\displaystyle")
True
"""
from __future__ import annotations

import abc

from algebra.present.derivation import Derivation

__all__ = ["Result", "REPR_LIMIT"]

#: ``repr`` of a result is one line of at most this many characters
REPR_LIMIT = 300


class Result(abc.ABC):
    """Abstract base of every result value (subclasses are dataclasses with ``repr=False``)."""

    @abc.abstractmethod
    def derivation(self) -> Derivation:
        """The steps that establish this result."""

    @abc.abstractmethod
    def to_json(self) -> dict:
        """A JSON-ready dict (numbers as numbers, nested values as dicts and lists)."""

    @abc.abstractmethod
    def summary(self) -> str:
        """A short plain-text report (what the CLI prints without ``--json``)."""

    def to_latex(self) -> str:
        """The derivation as a LaTeX fragment (amsmath)."""
        return self.derivation().to_latex()

    def to_markdown(self) -> str:
        """The derivation as Markdown."""
        return self.derivation().to_markdown()

    def _repr_latex_(self) -> str:
        return self.derivation()._repr_latex_()

    def _latex(self, printer=None) -> str:
        """Math-mode LaTeX of the derivation, for ``sympy.latex(result)``."""
        return self.derivation()._repr_latex_().strip("$")

    def __repr__(self) -> str:
        first = (self.summary().strip().splitlines() or [""])[0]
        head = f"<{type(self).__name__}: "
        room = REPR_LIMIT - len(head) - 1
        if len(first) > room:
            first = first[: room - 3] + "..."
        return f"{head}{first}>"
