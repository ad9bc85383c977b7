"""The conservation-law section of ``flowalgebra report``.

:func:`report_steps` lists labelled, lazy steps (the report shows a progress bar
over them); :func:`report_sections` runs them.

>>> [label for label, _ in report_steps(quick=True)][:2]
['laws: linear [2, 3, 2]', 'laws: relu [2, 3, 2, 2] + bias']
"""
from __future__ import annotations

from typing import Callable

from algebra.present import Derivation, notation_paragraph, table
from algebra.present.bibliography import cite

__all__ = ["TITLE", "ZOO", "report_steps", "report_sections"]

#: the areas' heading in the report
TITLE = "Conservation laws of gradient flows"

#: (family spec, flow, tau) of the zoo table; quick mode keeps the first rows
ZOO = [("attention:3,2", "gradient", "0"), ("attention:3,2", "momentum", "0"), ("softmax:2,3,3", "gradient", "0"),
       ("conv:5,2,1,2,2", "gradient", "0"), ("residual:2,3,2", "gradient", "0"), ("icnn:2,3,2", "gradient", "0"),
       ("nmf:3,2,3", "gradient", "0"), ("nmf:3,2,3", "mirror", "0"), ("linear:2,3,2", "momentum", "0"),
       ("linear:2,2,2", "momentum", "1/2"), ("relu:2,3,2", "momentum", "0"), ("softmax:2,2", "sign", "0")]


def report_steps(quick: bool = False) -> list[tuple[str, Callable[[], list[Derivation]]]]:
    """Counts (with the bracket graph), polynomial laws in matrix form, one verified law with its drift."""
    from laws.models.model import linear, relu

    models = [(linear([2, 3, 2]), "linear [2, 3, 2]"), (relu([2, 3, 2, 2], bias=True), "relu [2, 3, 2, 2] + bias"),
              (linear([3, 4, 3, 2]), "linear [3, 4, 3, 2]")]
    steps = [(f"laws: {label}", lambda m=model, first=(i == 0): _model_sections(m, quick, graph=first))
             for i, (model, label) in enumerate(models)]
    steps.append(("laws: verify a ReLU law", lambda: [_verified(quick)]))
    steps.append(("laws: models and flows", lambda: _zoo(quick)))
    return steps


def report_sections(quick: bool = False) -> list[Derivation]:
    """Counts, polynomial laws in matrix form, and one verified law."""
    return [d for _, step in report_steps(quick) for d in step()]


def _model_sections(model, quick: bool, graph: bool) -> list[Derivation]:
    from laws.closure import count_laws
    from laws.polynomial import find_polynomial_laws

    counted = count_laws(model)
    out = [counted.derivation()]
    if graph:
        from laws.figures import bracket_graph

        out[0].figure(bracket_graph(counted), f"laws_brackets_{model.name}",
                      f"Lie closure of {counted.description}: generators and the brackets kept, by level.")
    if not quick or model.D <= 12:
        out.append(find_polynomial_laws(model, degree=2, expected_laws=counted.laws).derivation())
    return out


def _verified(quick: bool) -> Derivation:
    from laws.figures import conserved_drift
    from laws.models.model import relu
    from laws.verify import verify_law

    relu2 = relu([2, 3, 2])
    law = "u1_1**2 + u1_2**2 - v1_1**2 - v1_2**2"
    d = verify_law(relu2, law, numeric=not quick).derivation()
    d.figure(conserved_drift(relu2, law, "u1_1**2"), "laws_drift_relu",
             "Along a simulated gradient flow the law stays constant to integrator accuracy; the control drifts.")
    return d


def _zoo(quick: bool) -> list[Derivation]:
    """Counts and the degree <= 3 polynomial laws for the model zoo under several flows, as one table."""
    import sympy as sp

    from laws.closure import count_laws
    from laws.flows.extended import flow_system
    from laws.models.specs import parse_model
    from laws.polynomial import find_polynomial_laws
    from laws.system import PolynomialSystem

    tau_ = sp.Symbol("tau")
    rows = []
    for spec, flow, tau in ZOO[:6] if quick else ZOO:
        system = flow_system(parse_model(spec), flow, tau)
        laws = count_laws(system).laws
        if not isinstance(system, PolynomialSystem):
            poly = laws  # the sign flow: its laws are linear, listed by the count
        else:
            degree = 3 if flow == "momentum" and tau != "0" else 2
            poly = find_polynomial_laws(system, degree=degree, homogeneous=False, expected_laws=laws).independent
        family, _, dims = spec.partition(":")
        model = f"$\\mathrm{{{family}}}({dims.replace(',', ', ')})$"
        name = flow + (f" (${sp.latex(sp.Eq(tau_, sp.Rational(tau)))}$)" if flow == "momentum" else "")
        rows.append([model, name, system.D, laws, poly])
    d = Derivation("Beyond plain gradient flow: the model zoo under several flows", notation=notation_paragraph([
        "A model $\\mathrm{family}(n_1, \\dots)$ is the family's network with the sizes of "
        "$\\texttt{flowalgebra laws models}$ (e.g. $\\mathrm{relu}(2, 3, 2)$ is the ReLU network $2 \\to 3 \\to 2$)",
        ("D", "is the dimension of the flow's state: the parameters $\\theta$ for a first-order flow, "
              "$(t, \\theta, \\dot\\theta)$ for momentum, with the clock $s = e^{\\tau t}$ in place of $t$ when "
              "the friction $\\tau$ is positive"),
        ("K", "is the dimension of the Lie algebra generated by the flow's fields at a generic state")]))
    d.add("Each flow is a set of generator fields on its state, counted by the same Lie-closure engine "
          f"{cite('marcotte2023', 'marcotte2024', 'marcotte2025')}; the last column gives the functionally "
          "independent polynomial laws of degree at most $2$ ($3$ with friction, where the laws carry the factor $s$).",
          table(["model", "flow", "state dimension $D$", "laws $D - K$", "polynomial laws"], rows))
    d.conclusion = ("Where the two last columns agree the count is certified from both sides: exact minors bound $K$ "
                    "from below, proved laws bound it from above.")
    return [d]
