r"""Low-dimensional targets: the mean-field flow reduced by the symmetry of the orthogonal complement
(Hajjar & Chizat 2022), numerically, against the finite-width flow in :math:`\mathbb{R}^d`.

**What the paper states** (Hajjar & Chizat, "On the symmetries in the dynamics of wide two-layer neural
networks", 2022; bibliography key ``hajjar2022``): for gradient flow on the population risk of infinitely
wide two-layer ReLU networks without bias, if the target depends only on a subspace,
:math:`f^*(x) = g(Px)`, the gradient-flow PDE reduces to a lower-dimensional PDE; the paper adds informal
and numerical arguments that the input neurons align with that subspace.

**The reduction used here.** Inputs :math:`x \sim N(0, I_d)`, network
:math:`f(x) = \frac1m\sum_j a_j\,\mathrm{relu}(b_j\cdot x)`, :math:`P` the orthogonal projection on the
first :math:`r` coordinates and the target the ReLU teacher on :math:`\mathbb{R}^r`

.. math:: f^*(x) = g(Px), \qquad g(z) = \sum_{l=1}^r \mathrm{relu}(z_l),

(teacher neurons :math:`e_1, \dots, e_r`). Both the target and the input law are invariant under
:math:`O(d-r)` acting on :math:`\ker P`, so an :math:`O(d-r)`-invariant initial measure stays invariant
(the paper's symmetry theorem; :func:`~groups.dynamics.mean_field.symmetry_check` checks it for finite
groups). Write :math:`b = (u, \rho\,\sigma)` with :math:`u = Pb \in \mathbb{R}^r`,
:math:`\rho = |b - Pb| \ge 0` and :math:`\sigma` a unit vector of :math:`\ker P`. An invariant measure is the law
of :math:`(a, u, \rho\sigma)` with :math:`\sigma` uniform on the sphere :math:`S^{d-r-1}` and independent of
:math:`\nu`, the law of :math:`(a, u, \rho)`. The pair kernel (:mod:`groups.landscape.loss`)
:math:`k(b, b') = E[\mathrm{relu}(b\cdot x)\mathrm{relu}(b'\cdot x)]
= \frac{|b||b'|}{2\pi}(\sin\theta + (\pi-\theta)\cos\theta)` depends on :math:`b\cdot b' = u\cdot u' + \rho\rho' s` only through
:math:`s = \sigma\cdot\sigma'`, which for independent uniform :math:`\sigma, \sigma'` has the density
:math:`\propto (1 - s^2)^{(d-r-3)/2}` on :math:`[-1, 1]` (two atoms :math:`\pm 1` when :math:`d - r = 1`).
The risk of the invariant measure is therefore a functional of :math:`\nu` alone,

.. math:: R(\nu) = \tfrac12\iint a a' \bar k\,d\nu\,d\nu' - \int a\,T\,d\nu + \tfrac12 E[f^{*2}], \qquad
          \bar k(u, \rho; u', \rho') = E_s\,k\big((u, \rho, 0), (u', \rho' s, \rho'\sqrt{1 - s^2})\big),

with :math:`T(u, \rho) = \sum_l k((u, \rho), (e_l, 0))` (the teacher lies in the subspace, so no average is
needed). Under an invariant measure the potential :math:`\Phi(b) = \int a' k(b, b')\,d\mu' - T(b)` is
:math:`O(d-r)`-invariant, :math:`\Phi(b) = \varphi(u, |b - Pb|)` with :math:`\varphi = \int a'\bar k\,d\nu' - T`,
so the component of :math:`\nabla_b\Phi` in :math:`\ker P` is :math:`\partial_\rho\varphi\,\sigma` and
:math:`\dot\rho = \sigma\cdot\dot b_\perp`; as :math:`b \mapsto (u, |b - Pb|)` is a Riemannian submersion away
from :math:`\rho = 0`, the flow of :math:`\nu` is the Wasserstein gradient flow of :math:`R` on
:math:`\mathbb{R} \times \mathbb{R}^r \times \mathbb{R}`:

.. math:: \dot a = -\Big(\int a'\bar k\,d\nu' - T\Big), \qquad
          (\dot u, \dot\rho) = -a\,\nabla_{(u,\rho)}\Big(\int a'\bar k\,d\nu' - T\Big),

where, with :math:`\nabla_b k(b, b') = \frac1{2\pi}(|b'|\sin\theta\,\hat b + (\pi-\theta) b')` at the
embedded pair, :math:`\nabla_{(u,\rho)}\bar k = \frac1{2\pi}E_s[|b'|\sin\theta_s\,(u, \rho)/|b| +
(\pi-\theta_s)(u', \rho' s)]`. The law of :math:`s` is symmetric, so :math:`\dot\rho = 0` where
:math:`\rho = 0`: the subspace itself is invariant, and for :math:`r = d` the reduced flow is the full
one. The :math:`s`-average is a Gauss--Jacobi rule of :data:`NODES` nodes (exact for :math:`d - r \le 1`);
:func:`low_dim` reports its error against twice the nodes.

**What the command shows.** :func:`low_dim` draws :math:`m` particles :math:`a_j \sim N(0,1)`,
:math:`b_j \sim N(0, I_d/d)` (seeded), runs the finite-width flow in :math:`\mathbb{R}^d`
(:func:`~groups.dynamics.mean_field.velocity`, exact expectations, RK4) and the reduced flow of
:math:`\nu_0 = \frac1m\sum_j \delta_{(a_j, Pb_j, |b_j - Pb_j|)}` (the same particles, their orthogonal
directions spread over the sphere), and compares the risks and the alignment
:math:`A = \sum_j |a_j|\,|Pb_j|/|b_j| \,/\, \sum_j |a_j|` over time. The two differ by finite-width
fluctuations only; the result says whether the largest risk gap is within :data:`RISK_TOLERANCE` of
the initial risk. Measured (seed 0, 40 RK4 steps to :math:`t = 20`): for :math:`d = 20`, :math:`r = 2`,
:math:`m = 400` the largest risk gap is :math:`1.6\times 10^{-3}\,R(0)` while the risk falls from 0.676 to
0.0041, and the alignment rises from 0.30 (random directions: 0.28) to 0.70; for :math:`d = 50`,
:math:`r = 5`, :math:`m = 300` the gap is :math:`2.6\times 10^{-3}\,R(0)` and the alignment rises from 0.30
to 0.86 (0.83 at finite width). The gap shrinks as :math:`m` grows (about :math:`1.5\times 10^{-2}` at
:math:`m = 50`, :math:`4\times 10^{-3}` at :math:`m = 200` for :math:`d = 20`).

>>> res = low_dim(6, 2, width=40, t_max=2.0, steps=8, seed=0)
>>> res.max_risk_gap <= RISK_TOLERANCE, res.alignment_reduced[-1] > res.alignment_reduced[0]
(True, True)
>>> res
<LowDimResult: low-dimensional target, d = 6, r = 2, width 40, RK4 to t = 2 (8 steps, seed 0): ...>
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import sympy as sp
from scipy.special import betaln, roots_jacobi

from algebra.errors import FlowAlgebraError
from algebra.exact.random import generator
from algebra.present import Derivation, Result, Table, cite, inline, paper_style
from algebra.present.notation import scientific
from groups.dynamics.mean_field import TeacherTarget, _check_flow, _finite_flow, flow_cost, risk, rk4, velocity
from groups.landscape.loss import TWO_PI, angles, pairs_cost
from groups.limits import MAX_DYNAMICS_D, MAX_QUADRATURE_NODES, MAX_TIME, MAX_WIDTH, check_cost, check_k
from groups.symmetric.notation import dynamics_notation

__all__ = ["NODES", "RISK_TOLERANCE", "ReducedState", "sphere_cosine_rule", "subspace_teacher", "reduced_interaction",
           "reduced_velocity", "reduced_risk", "alignment", "random_alignment", "reduce", "reduced_cost",
           "LowDimResult", "low_dim", "low_dim_figure"]

#: Gauss--Jacobi nodes of the average over s = sigma . sigma' (d - r >= 2)
NODES = 4
#: the finite-width and reduced risk curves agree when their largest gap is at most this fraction of R(0)
RISK_TOLERANCE = 0.02
#: snapshots recorded along each flow (at most)
_RECORD = 40
#: rows of the table (times, as fractions of the integration time)
_TABLE_FRACTIONS = (0.0, 0.125, 0.25, 0.5, 0.75, 1.0)


# --------------------------------------------------------------------------- the reduced state and kernel

@dataclass
class ReducedState:
    """Atoms of the reduced measure :math:`\\nu`: output weights ``a`` (n,), subspace components ``U`` (n, r),
    orthogonal norms ``rho`` (n,)."""

    a: np.ndarray
    U: np.ndarray
    rho: np.ndarray

    def as_tuple(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return self.a, self.U, self.rho


def sphere_cosine_rule(k: int, nodes: int = NODES) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights (summing to 1) for :math:`E[h(s)]`, :math:`s = \\sigma\\cdot\\sigma'` for independent
    uniform unit vectors of :math:`\\mathbb{R}^k`: density :math:`\\propto (1-s^2)^{(k-3)/2}`, Gauss--Jacobi with
    :math:`\\alpha = \\beta = (k-3)/2`; the atoms :math:`\\pm 1` for :math:`k = 1`; one node for :math:`k = 0`
    (no orthogonal part).

    >>> s, w = sphere_cosine_rule(3, 4)            # k = 3: s is uniform on [-1, 1] (Archimedes)
    >>> round(float(w @ s**2), 12)                 # E[s^2] = 1/3
    0.333333333333
    >>> sphere_cosine_rule(1)[0].tolist()
    [-1.0, 1.0]
    """
    if k == 0:
        return np.zeros(1), np.ones(1)
    if k == 1:
        return np.array([-1.0, 1.0]), np.array([0.5, 0.5])
    alpha = (k - 3) / 2
    s, w = roots_jacobi(nodes, alpha, alpha)
    return s, w / w.sum()


def subspace_teacher(d: int, r: int) -> TeacherTarget:
    """:math:`f^*(x) = \\sum_{l \\le r}\\mathrm{relu}(x_l)`: unit teacher neurons :math:`e_1, \\dots, e_r` of
    :math:`\\mathbb{R}^d` (``d = r + 1`` gives the teacher of the reduced coordinates :math:`(u, \\rho)`)."""
    return TeacherTarget(np.ones(r), np.eye(r, d))


def _embedded(state: ReducedState) -> np.ndarray:
    """Rows :math:`(u, \\rho)` in :math:`\\mathbb{R}^{r+1}`."""
    return np.column_stack([state.U, state.rho])


def reduced_interaction(state: ReducedState, rule: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """``(Kbar, G)``: :math:`\\bar K_{ij} = \\bar k(u_i, \\rho_i; u_j, \\rho_j)` and
    :math:`G_i = \\frac1n\\sum_j a_j \\nabla_{(u,\\rho)}\\bar k(u_i, \\rho_i; u_j, \\rho_j)` (rows in
    :math:`\\mathbb{R}^{r+1}`), the average over :math:`s` by ``rule`` (:func:`sphere_cosine_rule`); the angles
    of each embedded pair come from :func:`groups.landscape.loss.angles`."""
    n = len(state.a)
    B = np.column_stack([state.U, state.rho, np.zeros(n)])
    K = np.zeros((n, n))
    A = np.zeros((n, n))     # E_s sin(theta)
    C = np.zeros((n, n))     # E_s (pi - theta)
    D = np.zeros((n, n))     # E_s (pi - theta) s
    for s, w in zip(*rule):
        Bs = np.column_stack([state.U, state.rho * s, state.rho * math.sqrt(max(0.0, 1.0 - s * s))])
        ang = angles(B, Bs)
        rest = np.pi - ang.theta
        K += w * np.outer(ang.norm_a, ang.norm_b) * (ang.sin + rest * ang.cos) / TWO_PI
        A += w * ang.sin
        C += w * rest
        D += w * rest * s
    c = state.a / n
    norm = np.linalg.norm(B, axis=1)
    radial = (A * (c * norm)[None, :]).sum(axis=1) / np.where(norm > 0, norm, 1.0)
    G = radial[:, None] * _embedded(state)
    G[:, :-1] += C @ (c[:, None] * state.U)
    G[:, -1] += D @ (c * state.rho)
    return K, G / TWO_PI


def reduced_velocity(state: ReducedState, rule, target: TeacherTarget) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:math:`(\\dot a, \\dot u, \\dot\\rho)` of the reduced flow (``target``: :func:`subspace_teacher` with
    ``d = r + 1``)."""
    n = len(state.a)
    K, G = reduced_interaction(state, rule)
    Bred = _embedded(state)
    da = -(K @ state.a / n - target.relu_corr(Bred))
    dB = -state.a[:, None] * (G - target.step_corr(Bred))
    return da, dB[:, :-1], dB[:, -1]


def reduced_risk(state: ReducedState, rule, target: TeacherTarget) -> float:
    """:math:`R(\\nu)` (the diagonal :math:`\\bar k_{ii}` included: each atom is a whole sphere of neurons)."""
    n = len(state.a)
    K, _ = reduced_interaction(state, rule)
    a = state.a
    return float(0.5 * (a @ K @ a / n**2 - 2 * a @ target.relu_corr(_embedded(state)) / n + target.second_moment()))


def alignment(a: np.ndarray, U: np.ndarray, rho: np.ndarray) -> float:
    """:math:`A = \\sum_j |a_j|\\,|u_j|/|b_j| \\,/\\, \\sum_j |a_j|`: the fraction of each neuron's norm in the
    subspace, weighted by its output weight (1 when every neuron lies in the subspace).

    >>> alignment(np.array([1.0, -3.0]), np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([0.0, 1.0]))
    0.7803300858899106
    """
    norm = np.sqrt(np.sum(U * U, axis=1) + rho * rho)
    frac = np.linalg.norm(U, axis=1) / np.where(norm > 0, norm, 1.0)
    weight = np.abs(a)
    return float(weight @ frac / weight.sum()) if weight.sum() > 0 else 0.0


def random_alignment(d: int, r: int) -> float:
    """:math:`E[|Pb|/|b|]` for an isotropic :math:`b` of :math:`\\mathbb{R}^d`: :math:`|Pb|^2/|b|^2` is
    :math:`\\mathrm{Beta}(r/2, (d-r)/2)`, so the mean is :math:`B(\\frac{r+1}2, \\frac{d-r}2)/B(\\frac r2, \\frac{d-r}2)`.

    >>> round(random_alignment(3, 1), 12)          # E|cos| on S^2 = 1/2
    0.5
    """
    if r == d:
        return 1.0
    return float(math.exp(betaln((r + 1) / 2, (d - r) / 2) - betaln(r / 2, (d - r) / 2)))


def reduce(a: np.ndarray, B: np.ndarray, r: int) -> ReducedState:
    """The atoms :math:`(a_j, Pb_j, |b_j - Pb_j|)` of particles ``(a, B)`` of :math:`\\mathbb{R}^d`."""
    return ReducedState(np.array(a, dtype=float), np.array(B[:, :r], dtype=float), np.linalg.norm(B[:, r:], axis=1))


def reduced_cost(n: int, r: int, nodes: int, steps: int) -> tuple[float, float]:
    """Estimated ``(seconds, bytes)`` of ``steps`` RK4 steps of the reduced flow with ``n`` atoms: per velocity,
    ``nodes`` passes over the atom pairs in :math:`\\mathbb{R}^{r+2}` (:func:`~groups.landscape.loss.pairs_cost`)
    and a few ``n x n`` arrays more; one more per recorded risk, two for the quadrature check.

    >>> reduced_cost(500, 2, 8, 100)[0] > reduced_cost(500, 2, 2, 100)[0]
    True
    """
    seconds, nbytes = pairs_cost(n, n, r + 2)
    per_velocity = nodes * (seconds + 1e-8 * n * n) + 2 * pairs_cost(n, r, r + 1)[0]
    return (4 * steps + 2 + min(steps, _RECORD) + 1) * per_velocity, nbytes + 64.0 * n * n


# --------------------------------------------------------------------------- the result

@dataclass(repr=False)
class LowDimResult(Result):
    """The reduced flow next to the finite-width flow: risk curves, alignment, the quadrature check."""

    d: int
    r: int
    width: int
    t_max: float
    steps: int
    seed: int
    nodes: int
    times: list[float]
    risk_full: list[float]
    risk_reduced: list[float]
    alignment_full: list[float]
    alignment_reduced: list[float]
    random_alignment: float
    max_risk_gap: float          # max_t |R_full - R_reduced| / R(0)
    max_alignment_gap: float     # max_t |A_full - A_reduced|
    quadrature_error: float      # max relative change of the reduced velocity at t = 0 with twice the nodes
    tolerance: float = RISK_TOLERANCE
    agrees: bool = field(init=False)

    def __post_init__(self) -> None:
        self.agrees = bool(self.max_risk_gap <= self.tolerance)
        self._figure = None   # drawn once, on the first derivation

    def figure(self):
        """The figure of :func:`low_dim_figure` (drawn on first use, then kept)."""
        if self._figure is None:
            self._figure = low_dim_figure(self)
        return self._figure

    def rows(self) -> list[tuple[float, float, float, float, float]]:
        """``(t, R_full, R_reduced, A_full, A_reduced)`` at the table's times (the nearest recorded ones)."""
        out = []
        for frac in _TABLE_FRACTIONS:
            i = int(np.argmin([abs(t - frac * self.t_max) for t in self.times]))
            row = (self.times[i], self.risk_full[i], self.risk_reduced[i], self.alignment_full[i],
                   self.alignment_reduced[i])
            if not out or out[-1][0] != row[0]:
                out.append(row)
        return out

    def to_json(self) -> dict:
        return {"d": self.d, "r": self.r, "width": self.width, "t_max": self.t_max, "steps": self.steps,
                "seed": self.seed, "nodes": self.nodes, "numeric": True,
                "target": "sum_{l<=r} relu(x_l)", "init": "a ~ N(0,1), b ~ N(0, I_d/d)",
                "times": self.times, "risk_full": self.risk_full, "risk_reduced": self.risk_reduced,
                "alignment_full": self.alignment_full, "alignment_reduced": self.alignment_reduced,
                "random_alignment": self.random_alignment, "max_risk_gap": self.max_risk_gap,
                "max_alignment_gap": self.max_alignment_gap, "quadrature_error": self.quadrature_error,
                "tolerance": self.tolerance, "agrees": self.agrees}

    def summary(self) -> str:
        lines = [f"low-dimensional target, d = {self.d}, r = {self.r}, width {self.width}, RK4 to t = {self.t_max:g} "
                 f"({self.steps} steps, seed {self.seed}): f*(x) = sum_(l<=r) relu(x_l)",
                 f"  {'t':>8} {'risk (R^d)':>12} {'risk (reduced)':>15} {'align (R^d)':>12} {'align (reduced)':>16}"]
        lines += [f"  {t:8.3g} {rf:12.5g} {rr:15.5g} {af:12.4f} {ar:16.4f}" for t, rf, rr, af, ar in self.rows()]
        verdict = "within" if self.agrees else "NOT within"
        quadrature = ("the average over s is exact (d - r <= 1)" if self.d - self.r <= 1 else
                      f"quadrature error {self.quadrature_error:.1e} ({self.nodes} nodes against {2 * self.nodes})")
        lines.append(f"  max |R_full - R_reduced| / R(0) = {self.max_risk_gap:.2e} ({verdict} the tolerance "
                     f"{self.tolerance:g}); max alignment gap {self.max_alignment_gap:.2e}; {quadrature}")
        lines.append(f"  alignment {self.alignment_reduced[0]:.4f} -> {self.alignment_reduced[-1]:.4f} (random "
                     f"directions: E|Pb|/|b| = {self.random_alignment:.4f})")
        return "\n".join(lines)

    def derivation(self) -> Derivation:
        t, a, rho = sp.Symbol("t"), sp.Symbol("a"), sp.Symbol("rho")
        notation = dynamics_notation([
            "$P$ is the orthogonal projection on the first $r$ coordinates, $u = Pb$ and $\\rho = |b - Pb|$",
            "$\\nu$ is the law of $(a, u, \\rho)$ and $A = \\sum_j |a_j| \\, |u_j| / |b_j| \\, / \\sum_j |a_j|$ "
            "the alignment with the subspace"])
        d = Derivation(f"Low-dimensional target ($r = {self.r}$, $d = {self.d}$): the reduced flow against width "
                       f"$m = {self.width}$", notation=notation)
        d.add(f"When the target depends on an $r$-dimensional subspace only, the mean-field gradient-flow PDE "
              f"reduces to a lower-dimensional one, and the input neurons are argued (informally and numerically) to "
              f"align with the subspace {cite('hajjar2022')}. Here the target is the ReLU teacher on the subspace, "
              "$f^*(x) = \\sum_{l=1}^{r} \\mathrm{relu}(x_l)$, invariant under $O(d - r)$ acting on the kernel of $P$, "
              "as is $N(0, I_d)$; an invariant measure stays invariant and is the law of $(a, u, \\rho \\sigma)$ with "
              "$\\sigma$ uniform on the unit sphere of the kernel.")
        d.add("The pair kernel depends on $b \\cdot b' = u \\cdot u' + \\rho \\rho' s$, with $s = \\sigma \\cdot "
              "\\sigma'$ of density proportional to $(1 - s^2)^{(d - r - 3)/2}$; averaging over $s$ gives the reduced "
              "kernel, and the risk becomes a functional of $\\nu$:",
              [sp.Eq(sp.Symbol("\\bar{k}(u, \\rho; u', \\rho')"),
                     sp.Symbol("\\mathbb{E}_s \\, k\\big((u, \\rho, 0), (u', \\rho' s, \\rho' \\sqrt{1 - s^2})\\big)"),
                     evaluate=False),
               sp.Eq(sp.Symbol("R(\\nu)"), sp.Symbol("\\tfrac12 \\iint a a' \\bar{k} \\, d\\nu \\, d\\nu' - "
                                                      "\\int a \\, T \\, d\\nu + \\tfrac12 \\mathbb{E}[f^{*2}]"), evaluate=False)],
              "$T$ is the teacher correlation")
        d.add("The map $b \\mapsto (u, \\rho)$ is a Riemannian submersion off $\\rho = 0$ and the velocity of an "
              "invariant measure is invariant, so the flow of $\\nu$ is the gradient flow of $R$ on "
              "$\\mathbb{R} \\times \\mathbb{R}^r \\times \\mathbb{R}$:",
              [sp.Eq(sp.Derivative(a, t), sp.Symbol("-\\Big(\\int a' \\bar{k} \\, d\\nu' - T\\Big)"), evaluate=False),
               sp.Eq(sp.Symbol("(\\dot u, \\dot \\rho)"),
                     sp.Symbol("-a \\, \\nabla_{(u, \\rho)} \\Big(\\int a' \\bar{k} \\, d\\nu' - T\\Big)"), evaluate=False),
               sp.Eq(sp.Symbol("\\nabla_{(u, \\rho)} \\bar{k}"),
                     sp.Symbol("\\frac{1}{2\\pi} \\mathbb{E}_s\\big[|b'| \\sin\\theta_s \\, (u, \\rho)/|b| + (\\pi - \\theta_s)"
                               "(u', \\rho' s)\\big]"), evaluate=False)])
        if self.d == self.r:
            average = "Here $r = d$: there is no orthogonal part and no average."
        elif self.d - self.r == 1:
            average = "Here $d - r = 1$: $s = \\pm 1$, and the average over $s$ is exact."
        else:
            average = (f"The average over $s$ is a Gauss--Jacobi rule of {inline(self.nodes)} nodes; with twice as many "
                       f"the velocity at $t = 0$ changes by at most {inline(scientific(self.quadrature_error))} (relative).")
        d.add(f"The law of $s$ is symmetric, so {inline(sp.Eq(sp.Derivative(rho, t), 0))} on $\\rho = 0$: the "
              f"subspace is invariant, and for $r = d$ the reduced flow is the full one. {average}")
        d.add(f"Numerically: $m = {self.width}$ particles $a_j \\sim N(0, 1)$, "
              f"$b_j \\sim N(0, I_d / d)$ (seed {inline(self.seed)}), the finite-width flow in $\\mathbb{{R}}^d$ and the "
              "reduced flow of the same particles with their orthogonal directions spread over the sphere, RK4 to "
              f"{inline(sp.Eq(t, sp.Float(self.t_max, 4)))} in {inline(self.steps)} steps:",
              Table(["$t$", "risk in $\\mathbb{R}^d$", "risk, reduced", "$A$ in $\\mathbb{R}^d$", "$A$, reduced"],
                    [[sp.Float(x, 4), sp.Float(rf, 5), sp.Float(rr, 5), sp.Float(af, 4), sp.Float(ar, 4)]
                     for x, rf, rr, af, ar in self.rows()],
                    note="Numeric: exact Gaussian expectations, RK4 time steps."))
        verdict = "within" if self.agrees else "not within"
        d.conclusion = (f"the risk curves differ by at most {inline(scientific(self.max_risk_gap))} of the initial risk, "
                        f"{verdict} the tolerance {inline(scientific(self.tolerance))} (finite-width fluctuations); the "
                        f"alignment grows from {inline(sp.Float(self.alignment_reduced[0], 4))} to "
                        f"{inline(sp.Float(self.alignment_reduced[-1], 4))} (random directions: "
                        f"{inline(sp.Float(self.random_alignment, 4))}).")
        d.figure(self.figure(), f"low_dim_d{self.d}_r{self.r}",
                 f"Risk and alignment with the ${self.r}$-dimensional subspace over time: finite width "
                 f"$m = {self.width}$ in $\\mathbb{{R}}^{{{self.d}}}$ (dots) against the reduced flow (lines).")
        return d


def low_dim_figure(res: LowDimResult):
    """Two panels: the risk curves (log scale) and the alignment curves, finite width against reduced."""
    from matplotlib.figure import Figure  # heavy: loaded on first use

    with paper_style():
        fig = Figure(figsize=(6.2, 2.5))
        left, right = fig.subplots(1, 2)
        finite = f"width $m = {res.width}$ in $\\mathbb{{R}}^{{{res.d}}}$"
        left.semilogy(res.times, res.risk_full, "o", ms=3, label=finite)
        left.semilogy(res.times, res.risk_reduced, "-", lw=1.2, label="reduced flow of $\\nu$")
        left.set_xlabel("$t$")
        left.set_ylabel("$R(t)$")
        left.legend()
        right.plot(res.times, res.alignment_full, "o", ms=3, label=finite)
        right.plot(res.times, res.alignment_reduced, "-", lw=1.2, label="reduced flow of $\\nu$")
        right.axhline(res.random_alignment, color="0.5", ls="--", lw=0.8, label="random directions")
        right.set_ylim(0, 1.02)
        right.set_xlabel("$t$")
        right.set_ylabel("$A(t)$")
        right.legend(loc="center right")
        fig.tight_layout()
    return fig


# --------------------------------------------------------------------------- the run

def low_dim(d: int, r: int, width: int = 200, t_max: float = 20.0, steps: int = 40, seed: int = 0,
            nodes: int = NODES) -> LowDimResult:
    """The reduced flow next to the finite-width flow in :math:`\\mathbb{R}^d` for :math:`f^*(x) = \\sum_{l\\le r}
    \\mathrm{relu}(x_l)` (see the module docstring; Hajjar & Chizat 2022).

    Refused before any work: ``d`` outside ``[1, MAX_DYNAMICS_D]``, ``r`` outside ``[1, d]``, ``width`` outside
    ``[2, MAX_WIDTH]``, time outside ``(0, MAX_TIME]``, steps outside ``[1, MAX_STEPS]``, ``nodes`` outside
    ``[1, MAX_QUADRATURE_NODES]``, and a cost over the limits of :func:`groups.limits.check_cost`; long runs show
    progress bars on stderr."""
    d = check_k(d, "d", 1, MAX_DYNAMICS_D)
    r = check_k(r, "r", 1, d)
    width = check_k(width, "width", 2, MAX_WIDTH)
    _check_flow(t_max, steps)
    if t_max == 0:
        raise FlowAlgebraError(f"time must be in (0, {MAX_TIME:g}], got {t_max}")
    nodes = check_k(nodes, "nodes", 1, MAX_QUADRATURE_NODES)
    k = d - r
    used = 1 if k == 0 else 2 if k == 1 else nodes
    seconds, nbytes = flow_cost(width, d, steps, runs=1, teacher=r)
    red_seconds, red_bytes = reduced_cost(width, r, used, steps)
    show = check_cost(f"the low-dimensional run (width {width}, d = {d}, {steps} RK4 steps, full and reduced)",
                      seconds + red_seconds, max(nbytes, red_bytes), hint="lower --steps, --width or --d")
    rng = generator(seed)
    a0 = rng.standard_normal(width)
    B0 = rng.standard_normal((width, d)) / math.sqrt(d)
    full_target, red_target = subspace_teacher(d, r), subspace_teacher(r + 1, r)
    rule = sphere_cosine_rule(k, nodes)
    state0 = reduce(a0, B0, r)
    record = min(steps, _RECORD)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        _, full = rk4((a0, B0), lambda s: velocity(s[0], s[1], full_target), t_max, steps, record, show=show,
                      desc=f"RK4 in R^{d}")
        _, red = rk4(state0.as_tuple(), lambda s: reduced_velocity(ReducedState(*s), rule, red_target), t_max, steps,
                     record, show=show, desc="RK4, reduced")
        _finite_flow(t_max, steps, *full[-1][1], *red[-1][1])
        times = [float(t) for t, _ in full]
        risk_full = [risk(a, B, full_target) for _, (a, B) in full]
        risk_red = [reduced_risk(ReducedState(*s), rule, red_target) for _, s in red]
        align_full = [alignment(a, B[:, :r], np.linalg.norm(B[:, r:], axis=1)) for _, (a, B) in full]
        align_red = [alignment(*s) for _, s in red]
        quad = _quadrature_error(state0, k, nodes, red_target)
    _finite_flow(t_max, steps, risk_full, risk_red, align_full, align_red, quad)
    gap = max(abs(x - y) for x, y in zip(risk_full, risk_red)) / risk_full[0]
    agap = max(abs(x - y) for x, y in zip(align_full, align_red))
    return LowDimResult(d, r, width, float(t_max), steps, seed, used, times, risk_full, risk_red, align_full, align_red,
                        random_alignment(d, r), float(gap), float(agap), quad)


def _quadrature_error(state: ReducedState, k: int, nodes: int, target: TeacherTarget) -> float:
    """Largest change of the reduced velocity at ``state`` from ``nodes`` to ``2 nodes`` Gauss--Jacobi nodes,
    relative to its largest entry (0 where the rule is exact: ``d - r <= 1``)."""
    if k <= 1:
        return 0.0
    one = reduced_velocity(state, sphere_cosine_rule(k, nodes), target)
    two = reduced_velocity(state, sphere_cosine_rule(k, 2 * nodes), target)
    scale = max(float(np.max(np.abs(x))) for x in two) or 1.0
    return max(float(np.max(np.abs(x - y))) for x, y in zip(one, two)) / scale
