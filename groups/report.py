"""Report sections for symmetry and teacher-student landscapes (curated, fast): derivations with a statement,
steps with booktabs tables, and a conclusion, like the conservation-law sections.

The first landscape section carries the full Notation paragraph; later ones only add what they define.

>>> sections = report_sections(quick=True)
>>> sections[0].title.startswith("Fixed-point subspace of $"), sections[1].title.split(",")[0]
(True, 'Symmetric critical points for $k = d = 6$')
>>> [s.title for s in sections if s.figures][:1]
['Symmetric critical points for $k = d = 6$']
>>> bool(sections[0].notation), sections[1].notation.startswith("As in")
(True, True)
"""
from __future__ import annotations

from collections import Counter

from algebra.present import Derivation, cite, inline
from groups.dynamics.convergence_rates import rates_by_students, threshold_experiment
from groups.dynamics.local_convergence import converge
from groups.dynamics.low_dimensional import low_dim
from groups.dynamics.mean_field import odd_target, symmetry_check
from groups.figures import critical_point_map, isotypic_spectrum
from groups.landscape.arc_types import ARC_NOTATION, arc_families
from groups.landscape.asymptotics import asymptotics
from groups.landscape.critical_points import (CRITICAL_TABLE_CAPTION, MP_DPS, CriticalPoint, critical_point_table,
                                              find_critical_points, merge_orbits)
from groups.landscape.hessian import critical_point_hessian, hessian_at
from groups.limits import single_blas
from groups.symmetric.fixed_space import fixdim
from groups.symmetric.isotypic import HessianDecomposition
from groups.symmetric.notation import fix_tex, group_tex, partition_tex

__all__ = ["TITLE", "SEE_ABOVE", "critical_table", "report_steps", "report_sections"]

#: the area's heading in the report
TITLE = "Symmetry and teacher-student landscapes"

#: the Notation paragraph of every landscape section after the first
SEE_ABOVE = "As in the first section of this part ($W$, $V = I_k$, $F$, $\\mathrm{Fix}(H)$ and the isotropy types)."


def _k_range(ks: range) -> str:
    """``$k = d = 6$`` or ``$k = d = 6, \\dots, 8$``."""
    return f"$k = d = {ks[0]}$" if len(ks) == 1 else f"$k = d = {ks[0]}, \\dots, {ks[-1]}$"


def critical_table(ks: range, starts: int) -> Derivation:
    """The non-global symmetric critical points for each ``k`` in ``ks``, of isotropy types
    :math:`\\Delta(S_{k-1}\\times S_1)` and :math:`\\Delta S_k`: one table, a figure, and the spurious minima."""
    points: list[CriticalPoint] = []
    for k in ks:
        found = []
        for parts in ((k - 1, 1), (k,)):
            found += [cp for cp in find_critical_points(k, parts, starts=starts, seed=k).points if cp.loss_float > 1e-12]
        points += merge_orbits(found)
    points.sort(key=lambda cp: (cp.k, cp.loss_float))
    k = group_tex(("k",))
    d = Derivation(f"Symmetric critical points for {_k_range(ks)}", notation=SEE_ABOVE + (
        " The isotropy type of a point is that of the largest diagonal Young group fixing it."))
    d.add(f"For each $k$ the critical points of $F$ in {inline(fix_tex(('k - 1', 1)))} and {inline(fix_tex(('k',)))} "
          f"(the matrices fixed by {inline(group_tex(('k - 1', 1)))} and by {inline(k)}) are the zeros of the exact "
          f"gradient of the reduced loss $F_H$, by the principle of symmetric criticality {cite('arjevani2020symmetry')}. "
          f"They are found by damped Newton from {starts} starts, polished in mpmath at {MP_DPS} digits and classified "
          "by the full Hessian of $F$; points in one $S_k \\times S_k$ orbit are merged, and the global minimum "
          "$W = V$ (loss $0$) is left out.")
    d.add(CRITICAL_TABLE_CAPTION + " (numeric; ordered by $k$, then by loss):", critical_point_table(points))
    spurious = [cp for cp in points if cp.spurious]
    types = Counter(tuple(cp.isotropy) for cp in spurious)
    d.figure(critical_point_map(points), "groups_critical_points",
             f"The critical points of the table, loss against index, for {_k_range(ks)}; stars are spurious minima.")
    found = ", ".join(f"{n} of isotropy {inline(partition_tex(t))}" for t, n in sorted(types.items()))
    d.conclusion = (f"Among the {len(points)} critical points of positive loss, {len(spurious)} "
                    f"{'is a spurious minimum' if len(spurious) == 1 else 'are spurious minima'}"
                    f"{' (' + found + ')' if spurious else ''}: local minima of index $0$ with $F > 0$. Spurious minima "
                    f"of this model were found by Safran and Shamir {cite('safran2018')} and described by their "
                    f"symmetry by Arjevani and Field {cite('arjevani2021')} (numeric backend; the eigenvalue "
                    "multiplicities are degrees of irreducibles, see the Hessian sections).")
    return d


def _spectrum(decomposition: HessianDecomposition, name: str) -> Derivation:
    """The decomposition's derivation with its figure (eigenvalues by isotypic component)."""
    d = decomposition.derivation()
    d.notation = SEE_ABOVE + " $\\chi_\\lambda$ is the irreducible character of the partition $\\lambda$."
    return d.figure(isotypic_spectrum(decomposition), name,
                    f"Hessian eigenvalues at {decomposition.point_latex or decomposition.point} "
                    f"($k = {decomposition.k}$) by isotypic component; the label $\\times n$ above a column is the "
                    "multiplicity of each of its eigenvalues, the degree of the irreducible.")


def _saddle_hessian(k: int, parts: tuple[int, ...], starts: int, seed: int) -> HessianDecomposition:
    """The Hessian at the saddle of lowest positive loss in Fix(Delta(parts))."""
    found = find_critical_points(k, parts, starts=starts, seed=seed)
    saddles = [cp for cp in found.points if cp.kind == "saddle" and cp.loss_float > 1e-12]
    return critical_point_hessian(min(saddles, key=lambda cp: cp.loss_float))


def _spurious_hessian() -> HessianDecomposition:
    """The Hessian at the spurious minimum for k = 12 in Fix(Delta(S_11 x S_1)), by characters."""
    cp = find_critical_points(12, (11, 1), starts=40, seed=12).spurious_minima()[0]
    return critical_point_hessian(cp, method="characters")


def _arc_types(full: bool) -> Derivation:
    """The tangency-arc types at the two families of spurious minima, k = 6 (about 20 s, most of it compiling the
    reduced losses of three and four blocks), or k = 6..10 (the note's table, a few minutes)."""
    d = arc_families(range(6, 11) if full else range(6, 7)).derivation()
    d.notation = SEE_ABOVE + " " + "; ".join(ARC_NOTATION) + "."
    return d


def _asymptotics(full: bool) -> Derivation:
    """The type-A and Delta S_k families followed to k = 100 (about 1.5 s), or to k = 1000 (about 10 s), fitted
    in powers of k^(-1/2) against the published leading terms."""
    d = asymptotics(1000 if full else 100).derivation()
    d.notation = SEE_ABOVE + (" $\\lambda_{\\min}$ is the smallest Hessian eigenvalue at the point; $c_0, c_1, \\dots$ "
                              "are the coefficients of the fit $c_0 + c_1 k^{-1/2} + c_2 k^{-1} + \\dots$.")
    return d


def _fixed_space(quick: bool) -> Derivation:
    return fixdim(4 if quick else 7, "3,1" if quick else "6,1").derivation()


def report_steps(quick: bool = False, full: bool = False):
    """Labelled lazy steps: Fix(H), the critical point table (with its map), isotypic spectra (with figures),
    dynamics checks; ``full`` adds the low-dimensional target at the size of the note (d = 20, width 400) and
    the local rates by number of students with the threshold experiment (about a minute more)."""
    steps = [("symmetry: Fix(H)", lambda: [_fixed_space(quick)]),
             ("symmetry: critical points", lambda: [critical_table(range(6, 7) if quick else range(6, 9),
                                                                   starts=20 if quick else 40)]),
             ("symmetry: Hessian at the global minimum",
              lambda: [_spectrum(hessian_at(4 if quick else 6, "identity"), "groups_hessian_identity")])]
    if not quick:
        steps.append(("symmetry: Hessian at a saddle",
                      lambda: [_spectrum(_saddle_hessian(7, (6, 1), starts=40, seed=7), "groups_hessian_saddle")]))
        steps.append(("symmetry: spurious minimum, k = 12", lambda: [_spectrum(_spurious_hessian(), "groups_hessian_spurious")]))
        steps.append(("symmetry: the two families in k", lambda: [_asymptotics(full)]))
        steps.append(("symmetry: tangency-arc types", lambda: [_arc_types(full)]))
    steps.append(("symmetry: dynamics preserve symmetry",
                  lambda: [symmetry_check(2 if quick else 3, "hyperoctahedral", particles=2, t_max=2.0,
                                          steps=20 if quick else 40).derivation()]))
    if not quick:
        steps.append(("symmetry: odd target", lambda: [odd_target(20, 400, steps=24).derivation()]))
        steps.append(("symmetry: local convergence", lambda: [converge(10, 3, 6, steps=3000).derivation()]))
        steps.append(("symmetry: low-dimensional target",
                      lambda: [(low_dim(20, 2, width=400, t_max=20.0, steps=40) if full else
                                low_dim(8, 2, width=40, t_max=10.0, steps=10)).derivation()]))
    if full:
        steps.append(("symmetry: local rates by number of students",
                      lambda: [rates_by_students(10, 3, [3, 6, 12]).derivation()]))
        steps.append(("symmetry: the threshold of the local regime",
                      lambda: [threshold_experiment(10, 10, [10, 12], [1, 10, 50, 500], seeds=4,
                                                    steps=3000).derivation()]))
    # the numeric backend runs with single-threaded BLAS, as its cost estimates assume (groups.limits)
    return [(label, single_blas(step)) for label, step in steps]


def report_sections(quick: bool, full: bool = False) -> list[Derivation]:
    """Fix(H), the critical point table, isotypic spectra, dynamics checks."""
    return [d for _, step in report_steps(quick, full) for d in step()]
