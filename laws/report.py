"""The conservation-law section of ``flowalgebra report``."""
from __future__ import annotations

from algebra.derivation import Derivation


def report_sections(quick: bool = False) -> list[Derivation]:
    """Counts, polynomial laws in matrix form, and one verified law."""
    from laws.closure import count_laws
    from laws.model import linear, relu
    from laws.polynomial_laws import find_polynomial_laws
    from laws.verify import verify_law

    sections = []
    for model in (linear([2, 3, 2]), relu([2, 3, 2, 2], bias=True), linear([3, 4, 3, 2])):
        counted = count_laws(model)
        sections.append(counted.derivation())
        if not quick or model.D <= 12:
            poly = find_polynomial_laws(model, degree=2, expected_laws=counted.laws)
            sections.append(poly.derivation())
    relu2 = relu([2, 3, 2])
    sections.append(verify_law(relu2, "u1_1**2 + u1_2**2 - v1_1**2 - v1_2**2", numeric=not quick).derivation())
    return sections
