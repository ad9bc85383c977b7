"""The catalogue printed by ``flowalgebra laws models``: model families and flows.

>>> print(Catalogue().summary().splitlines()[0])
linear:n0,n1,...,nq    q-layer linear network, phi = U_q ... U_1; e.g. linear:2,3,2
"""
from __future__ import annotations

from dataclasses import dataclass

from algebra.present import Derivation, Result
from laws.flows import FLOWS
from laws.models.specs import FAMILIES

__all__ = ["Catalogue"]


@dataclass(repr=False)
class Catalogue(Result):
    """The list printed by ``flowalgebra laws models``."""

    def derivation(self) -> Derivation:
        d = Derivation("Model families and flows")
        for name, f in FAMILIES.items():
            d.add(f"{name}:{f.dims} -- {f.summary} (e.g. {f.example}).")
        d.add("Flows: " + ", ".join(FLOWS) + "; momentum flows take an exact friction tau.")
        return d

    def to_json(self) -> dict:
        return {name: {"dims": f.dims, "summary": f.summary, "example": f.example, "bias": f.bias}
                for name, f in FAMILIES.items()}

    def summary(self) -> str:
        width = max(len(f"{n}:{f.dims}") for n, f in FAMILIES.items())
        lines = [f"{(n + ':' + f.dims):{width}s}  {f.summary}{'' if f.bias else ' (no --bias)'}; e.g. {f.example}"
                 for n, f in FAMILIES.items()]
        return "\n".join(lines + ["or a model file (.json/.toml) with phi = [...] and optional params"])
