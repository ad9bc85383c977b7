"""Report sections for symmetry and teacher-student landscapes (curated, fast).

>>> sections = report_sections(quick=True)
>>> sections[0].title.startswith("Fixed-point subspace of $"), sections[1].title.split(",")[0]
(True, 'Symmetric critical points for k = d = 6')
>>> [s.title for s in sections if s.figures][:1]
['Symmetric critical points for k = d = 6']
"""
from __future__ import annotations

import sympy as sp

from algebra.present import Derivation, inline, times
from groups.dynamics.local_convergence import converge
from groups.dynamics.mean_field import odd_target, symmetry_check
from groups.figures import critical_point_map, isotypic_spectrum
from groups.landscape.critical_points import critical_point_table, find_critical_points, merge_orbits
from groups.landscape.hessian import critical_point_hessian, hessian_at
from groups.symmetric.fixed_space import fixdim
from groups.symmetric.isotypic import HessianDecomposition
from groups.symmetric.young import DELTA

__all__ = ["TITLE", "critical_table", "report_steps", "report_sections"]

#: the area's heading in the report
TITLE = "Symmetry and teacher-student landscapes"


def critical_table(ks: range, starts: int) -> Derivation:
    """Non-global symmetric critical points for each k, isotropy types Delta(S_(k-1) x S_1) and Delta S_k."""
    points = []
    for k in ks:
        found = []
        for parts in ((k - 1, 1), (k,)):
            found += [cp for cp in find_critical_points(k, parts, starts=starts, seed=k).points if cp.loss_float > 1e-12]
        points += merge_orbits(found)
    label = f"k = d = {ks[0]}" if len(ks) == 1 else f"k = d = {ks[0]}..{ks[-1]}"
    d = Derivation(f"Symmetric critical points for {label}")
    d.add(f"Critical points of the teacher-student loss with {inline(sp.Eq(sp.Symbol('V'), sp.Symbol('I_k')))} in "
          f"Fix({inline(times(sp.Symbol('S_k-1'), sp.Symbol('S_1'), wrap=DELTA))}) and "
          f"Fix({inline(sp.Mul(DELTA, sp.Symbol('S_k'), evaluate=False))}): damped Newton on the exact reduced gradient from many starts, polished in mpmath "
          "(40 digits), classified by the full Hessian. Isotropy is the largest diagonal Young group fixing the point.",
          critical_point_table(points))
    spurious = [cp for cp in points if cp.spurious]
    d.figure(critical_point_map(points), "groups_critical_points",
             "Symmetric critical points: loss against index; stars are spurious minima.")
    d.conclusion = (f"{len(spurious)} spurious minima among {len(points)} critical points with loss > 0 "
                    "(numeric backend; eigenvalue multiplicities are degrees of irreducibles, see the next section).")
    return d


def report_steps(quick: bool = False):
    """Labelled lazy steps: Fix(H), the critical point table (with its map), isotypic spectra
    (with figures), dynamics checks."""
    def spectrum(decomposition: HessianDecomposition, name: str) -> Derivation:
        return decomposition.derivation().figure(
            isotypic_spectrum(decomposition), name,
            f"Hessian eigenvalues at {decomposition.point} (k = {decomposition.k}) by isotypic component; each "
            "eigenvalue has the degree of its irreducible as multiplicity.")

    steps = [("symmetry: Fix(H)", lambda: [fixdim(4 if quick else 7, "3,1" if quick else "6,1").derivation()]),
             ("symmetry: critical points", lambda: [critical_table(range(6, 7) if quick else range(6, 9),
                                                                   starts=20 if quick else 40)]),
             ("symmetry: Hessian at the global minimum",
              lambda: [spectrum(hessian_at(4 if quick else 6, "identity"), "groups_hessian_identity")])]
    if not quick:
        steps.append(("symmetry: Hessian at a saddle", lambda: [hessian_at(7, "6,1", starts=40, seed=7).derivation()]))
        steps.append(("symmetry: spurious minimum, k = 12", lambda: [spectrum(_spurious_hessian(), "groups_hessian_spurious")]))
    steps.append(("symmetry: dynamics preserve symmetry",
                  lambda: [symmetry_check(2 if quick else 3, "hyperoctahedral", particles=2, t_max=2.0,
                                          steps=20 if quick else 40).derivation()]))
    if not quick:
        steps.append(("symmetry: odd target", lambda: [odd_target(20, 400, steps=24).derivation()]))
        steps.append(("symmetry: local convergence", lambda: [converge(10, 3, 6, steps=3000).derivation()]))
    return steps


def _spurious_hessian() -> HessianDecomposition:
    """The Hessian at the type-A spurious minimum for k = 12 (Delta(S_11 x S_1)), by characters."""
    cp = find_critical_points(12, (11, 1), starts=40, seed=12).spurious_minima()[0]
    return critical_point_hessian(cp, point=f"the spurious minimum of loss {cp.loss_float:.8g}", method="characters")


def report_sections(quick: bool) -> list[Derivation]:
    """Fix(H), the critical point table, isotypic spectra, dynamics checks."""
    return [d for _, step in report_steps(quick) for d in step()]
