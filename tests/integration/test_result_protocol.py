"""Every result type honours the one protocol (algebra.present.Result): derivation, JSON, summary, LaTeX
for papers and for sympy's printer, Jupyter display, and a short one-line repr.

One small instance of every concrete Result subclass in the toolkit is built below; a test checks that
the table covers them all, so a new result type cannot skip the protocol unnoticed."""
from __future__ import annotations

import importlib
import inspect
import json
import pkgutil

import pytest
import sympy

import algebra
import groups
import laws
from algebra.present import Derivation, Result
from algebra.present.result import REPR_LIMIT


def _all_result_types() -> set[type]:
    for package in (algebra, laws, groups):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(info.name)

    def below(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from below(sub)

    return {c for c in below(Result) if not inspect.isabstract(c) and c.__module__.split(".")[0] in
            ("algebra", "laws", "groups")}


def _sweep_result():
    from laws.sweep import SweepResult, SweepTask, run_task
    rows = [run_task(SweepTask("relu:2,2,1", "gradient", "0"))]
    return SweepResult("sweep", rows, executed=1, skipped=0, seconds=0.1)


def _train_run():
    from algebra.cogo import train
    return train(d=5, width=8, epochs=5, progress=False)


def _classification():
    from algebra.cogo import classify_runs
    return classify_runs([_train_run()], progress=False)


FACTORIES = {
    "laws.closure.LieLawCount": lambda: laws.count_laws(laws.relu([2, 3, 2])),
    "laws.flows.sign.SignLawCount": lambda: laws.count_laws(laws.flow_system(laws.linear([2, 2]), "sign")),
    "laws.polynomial.PolynomialLaws": lambda: laws.find_polynomial_laws(laws.linear([2, 2, 2])),
    "laws.verify.GeneratorLawVerification": lambda: laws.verify_law(laws.relu([2, 2, 1]), "u1_1**2 + u1_2**2 - v1_1**2",
                                                                    numeric=False),
    "laws.flows.sign.SignLawVerification": lambda: laws.verify_law(laws.flow_system(laws.linear([2, 2]), "sign"),
                                                                  "U1_1_1 - U1_2_1", numeric=False),
    "laws.catalogue.Catalogue": lambda: __import__("laws.catalogue", fromlist=["Catalogue"]).Catalogue(),
    "laws.sweep.SweepResult": _sweep_result,
    "algebra.cogo.verification.Verification": lambda: algebra.cogo.verify(algebra.cogo.construct("F6", groups.Zd(7)), "F6"),
    "algebra.cogo.verification.BlockVerification": lambda: algebra.cogo.verify_block(algebra.cogo.nu_i() * algebra.cogo.xi()),
    "algebra.cogo.potentials.BlockPotentials": lambda: (algebra.cogo.nu_i() * algebra.cogo.xi()).potentials(),
    "algebra.cogo.decomposition.DecompositionProof": lambda: algebra.cogo.prove_decomposition(groups.Zd(3)),
    "algebra.cogo.constructions.Catalog": lambda: __import__("algebra.cogo.constructions", fromlist=["catalog"]).catalog(),
    "algebra.cogo.training.TrainRun": _train_run,
    "algebra.cogo.classify.RunClassification": _classification,
    "algebra.cogo.table2.Table2": lambda: __import__("algebra.cogo.table2", fromlist=["table2"]).table2(
        5, seeds=2, width=8, epochs=5, progress=False),
    "groups.symmetric.fixed_space.FixDimResult": lambda: groups.fixdim(5, "3,2"),
    "groups.landscape.critical_points.CriticalPointSet": lambda: groups.find_critical_points(4, "4", starts=6),
    "groups.landscape.critical_points.CriticalPoint": lambda: groups.find_critical_points(4, "4", starts=6).points[0],
    "groups.landscape.asymptotics.AsymptoticsResult": lambda: __import__("groups.landscape.asymptotics", fromlist=["x"]).asymptotics(
        8, ks=[6, 7, 8], starts=20),
    "groups.symmetric.isotypic.HessianDecomposition": lambda: groups.hessian_at(4, "identity"),
    "groups.landscape.tangency.ArcsResult": lambda: groups.trace_arcs(5, "4,1", "3,1,1", max_radius=0.2, starts=8),
    "groups.landscape.arc_types.ArcTypesResult": lambda: __import__("groups.landscape.arc_types", fromlist=["x"]).arc_types(
        5, "5", max_radius=0.1, step=0.05, starts=20),
    "groups.landscape.arc_types.ArcFamiliesResult": lambda: __import__("groups.landscape.arc_types", fromlist=["x"]).arc_families(
        "6", max_radius=0.1, step=0.05, starts=20),
    "groups.landscape.reduced.ReducedLoss": lambda: groups.reduced_loss("k-1,1"),
    "groups.landscape.symbolic.ClosedForms": lambda: groups.closed_forms(2, points=1),
    "groups.dynamics.local_convergence.ConvergenceResult": lambda: groups.converge(4, 2, 3, steps=50),
    "groups.dynamics.convergence_rates.RatesResult": lambda: groups.rates_by_students(4, 1, [1, 2], steps=100),
    "groups.dynamics.convergence_rates.ThresholdResult": lambda: groups.threshold_experiment(4, 1, [1], [0.01], seeds=1,
                                                                                             steps=50),
    "groups.dynamics.mean_field.SymmetryResult": lambda: groups.symmetry_check(2, steps=5),
    "groups.dynamics.mean_field.OddTargetResult": lambda: groups.odd_target(4, 20, steps=4),
    "groups.dynamics.low_dimensional.LowDimResult": lambda: groups.low_dim(4, 2, width=10, t_max=1.0, steps=4),
}


def test_the_table_covers_every_result_type():
    found = {f"{c.__module__}.{c.__qualname__}" for c in _all_result_types()}
    assert found == set(FACTORIES), {"missing": sorted(found - set(FACTORIES)), "stale": sorted(set(FACTORIES) - found)}


@pytest.fixture(scope="module")
def results():
    return {name: make() for name, make in FACTORIES.items()}


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_result_honours_the_protocol(results, name):
    r = results[name]
    assert f"{type(r).__module__}.{type(r).__qualname__}" == name and isinstance(r, Result)
    assert isinstance(r.derivation(), Derivation) and r.derivation().title
    json.dumps(r.to_json())  # JSON-ready
    assert isinstance(r.to_json(), dict)
    assert isinstance(r.summary(), str) and r.summary().strip()
    text = repr(r)
    assert len(text) <= REPR_LIMIT and "\n" not in text and text.startswith(f"<{type(r).__name__}: ")
    latex = sympy.latex(r)  # sympy's printer goes through _latex, not the Python repr
    assert latex.startswith("\\displaystyle \\begin{aligned}") and latex.endswith("\\end{aligned}")
    assert "object at 0x" not in latex and "<" + type(r).__name__ not in latex
    assert r._repr_latex_() == f"${latex}$"
    assert r.to_latex().startswith("\\subsection*{")
