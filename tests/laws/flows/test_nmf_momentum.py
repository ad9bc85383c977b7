"""The NMF momentum flow of Marcotte, Gribonval, Peyré 2024, "Keep the momentum" (Section 4.2.1):
theta'' + tau theta' = -(tau theta + theta') * grad L on the state (t or s = e^{tau t}, theta, v), next to the
toolkit's momentum-mirror variant (theta'' + tau theta' = -theta * grad L), which is a different flow.

The paper's claim for NMF under momentum is that no conservation law persists; its code (repository
sibyllema/Conservation_laws_ICML, ``main_ICML.ipynb`` part B, momentum case) checks
``D - dim Lie W = 0`` on 20 sizes drawn with numpy seed 0, with ``tau_value = np.random.randint(0, 1)``, i.e.
always tau = 0. The tests reproduce those draws, and show that the 0 is computed: the same engine finds laws for
momentum-mirror and for the paper's flow wherever a coordinate is left free.
"""
import json

import numpy as np
import pytest

from algebra.app.main import main
from laws.closure import LieLawCount, count_laws
from laws.flows.extended import (EUCLIDEAN, FLOWS, POSITION, REGISTRY, SHIFTED_VELOCITY, Momentum, MomentumSystem,
                                 NmfMomentum, flow_system, parse_flow)
from laws.models.architectures import nmf
from laws.models.model import Model, linear
from laws.system import PolynomialSystem
from laws.verify import verify_law


def _notebook_sizes():
    """The NMF sizes of ``main_ICML.ipynb`` (momentum case): seed 0, per draw three ``randint(1, 6)`` then the
    friction ``randint(0, 1)``, which is always 0."""
    rng = np.random.RandomState(0)
    sizes = []
    for _ in range(20):
        dims = tuple(int(rng.randint(1, 6)) for _ in range(3))
        tau = int(rng.randint(0, 1))
        sizes.append((dims, tau))
    return sizes


def test_nmf_3_2_3_has_no_law_under_the_papers_momentum_flow_and_four_under_momentum_mirror(certified):
    """The issue's instance: the paper's flow has 0 laws at tau = 0 and tau = 1/2; momentum-mirror has 4 (two per
    hidden unit k: the velocity balance sum_i dot_w_ik - sum_j dot_h_kj and its time integral), certified by
    proved polynomial laws of degree 2."""
    for tau in ("0", "1/2"):
        result = count_laws(flow_system(nmf(3, 2, 3), "nmf-momentum", tau))
        assert (result.D, result.laws, result.trace_dim) == (25, 0, 25)
    assert certified(flow_system(nmf(3, 2, 3), "momentum-mirror")) == 4


def test_no_law_on_every_size_the_authors_code_checks():
    sizes = _notebook_sizes()
    assert len(set(sizes)) > 10 and {tau for _, tau in sizes} == {0}
    assert sizes[0] == ((5, 1, 4), 0)   # numpy's legacy generator, as the notebook uses it
    for dims, tau in sizes:
        assert count_laws(flow_system(nmf(*dims), "nmf-momentum", tau)).laws == 0, dims


@pytest.mark.parametrize("dims", [(2, 2, 2), (2, 3, 2), (1, 1, 1)])
def test_no_law_with_friction_either(dims):
    """The paper states the result for a constant friction; its code runs tau = 0 only."""
    assert count_laws(flow_system(nmf(*dims), "nmf-momentum", "1/3")).laws == 0


def test_the_zero_is_computed_the_brackets_fill_the_state():
    """The generators alone span 9 < 25 directions at nmf:3,2,3 (the Jacobian of W H has rank r(n + m) - r^2 = 8,
    plus the drift); brackets of length 2 and 3 raise the rank to the whole state. Momentum-mirror stops at 21."""
    paper = count_laws(flow_system(nmf(3, 2, 3), "nmf-momentum"))
    variant = count_laws(flow_system(nmf(3, 2, 3), "momentum-mirror"))
    assert type(paper) is LieLawCount and paper.closed
    assert paper.ranks[0] == 2 * 3 + 2 * 3 - 2 * 2 + 1 < paper.ranks[-1] == paper.D
    assert variant.ranks[:2] == paper.ranks[:2] and variant.trace_dim == variant.D - 4 == 21


def test_the_papers_flow_keeps_the_laws_of_a_free_coordinate(certified):
    """phi = a b leaves c free: c'' + tau c' = 0 whatever the loss, so dot_c and c - t dot_c are conserved
    (tau = 0): the count finds 2 laws, proved exactly and checked along a simulated flow."""
    system = flow_system(Model.from_polynomials(["a*b"], params=["a", "b", "c"]), "nmf-momentum")
    assert certified(system) == 2
    result = verify_law(system, "c - t*dot_c", seed=3)
    assert result.conserved and result.numeric["drift"][0] < 1e-8


def test_a_momentum_mirror_law_is_refuted_under_the_papers_flow():
    """The balance of hidden unit 1 of nmf:2,2,2 under momentum-mirror (tau = 0); under the paper's flow the
    force on v is scaled by v, not theta, and the same polynomial is not conserved (exact counterexample)."""
    law = ("w1_1 + w2_1 - h1_1 - h1_2 - t*(dot_w1_1 + dot_w2_1 - dot_h1_1 - dot_h1_2)")
    assert verify_law(flow_system(nmf(2, 2, 2), "momentum-mirror"), law, numeric=False).conserved
    refuted = verify_law(flow_system(nmf(2, 2, 2), "nmf-momentum"), law, seed=1)
    assert not refuted.conserved
    assert refuted.numeric["drift"][0] > 1e-4


@pytest.mark.parametrize("tau", ["0", "1/2"])
def test_the_exact_forces_are_scaled_by_tau_theta_plus_v(tau):
    """Force i, component on dot_c: (tau theta_c + v_c) d_c phi_i, against momentum-mirror's theta_c d_c phi_i and
    the Euclidean d_c phi_i, on the same state; the drift is the heavy ball's in all three."""
    model = linear([2, 2, 1])
    paper, variant, euclid = (flow_system(model, name, tau) for name in ("nmf-momentum", "momentum-mirror", "momentum"))
    assert paper.params == variant.params == euclid.params
    friction, Dm = parse_flow("nmf-momentum", tau).tau, model.D
    gens = paper.ctx.gens()
    for i, base in enumerate(model.generator_fields()):
        force, mirror, plain = (s.generator_fields()[1 + i] for s in (paper, variant, euclid))
        assert set(force) == set(mirror) == set(plain) == {1 + Dm + c for c in base}
        for c in base:
            scale = gens[1 + c] * int(friction.numerator) / int(friction.denominator) + gens[1 + Dm + c]
            assert force[1 + Dm + c] == plain[1 + Dm + c] * scale
            assert mirror[1 + Dm + c] == plain[1 + Dm + c] * gens[1 + c]
    assert paper.generator_fields()[0] == variant.generator_fields()[0] == euclid.generator_fields()[0]


def test_the_flow_value_and_its_system():
    flow = parse_flow("nmf-momentum", "0.5")
    assert flow == NmfMomentum(flow.tau) and flow.name == "nmf-momentum(tau=1/2)" and flow.scaling == SHIFTED_VELOCITY
    assert (Momentum().scaling, Momentum(metric=True).scaling) == (EUCLIDEAN, POSITION)
    assert flow != Momentum(flow.tau, metric=True) and "nmf-momentum" in FLOWS
    system = flow_system(nmf(3, 2, 3), flow)
    assert type(system) is MomentumSystem and isinstance(system, PolynomialSystem)
    assert (system.D, system.N, system.params[0]) == (25, 10, "s")
    assert system.name == "nmf:3,2,3 [nmf-momentum(tau=1/2)]"


def test_modes_agree_on_the_papers_flow():
    system = flow_system(nmf(2, 2, 2), "nmf-momentum", "1/2")
    assert count_laws(system, mode="basis").laws == count_laws(system, mode="random").laws == 0


def test_each_flow_is_listed_with_its_source():
    """The paper's flows cite it (Section 4.2.1 for the NMF flows); momentum-mirror says it is not the paper's."""
    assert REGISTRY["nmf-momentum"].reference == "marcotte2024" and REGISTRY["nmf-momentum"].friction
    assert "Section 4.2.1" in REGISTRY["nmf-momentum"].citation()
    assert REGISTRY["momentum-mirror"].reference is None and "not the NMF momentum flow" in REGISTRY["momentum-mirror"].summary


# -- the command line ---------------------------------------------------------------------------------------

def test_cli_counts_the_papers_flow_in_json_and_latex(tmp_path, capsys):
    assert main(["laws", "count", "nmf:3,2,3", "--flow", "nmf-momentum", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["laws"], data["D"], data["model"]) == (0, 25, "nmf:3,2,3 [nmf-momentum(tau=0)]")
    assert main(["laws", "count", "nmf:3,2,3", "--flow", "nmf-momentum", "--tau", "1/2", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["laws"] == 0
    out = tmp_path / "count.tex"
    assert main(["laws", "count", "nmf:3,2,3", "--flow", "nmf-momentum", "--latex", str(out)]) == 0
    capsys.readouterr()
    assert "\\begin{document}" in out.read_text()


def test_cli_lists_the_flow_with_its_citation(capsys):
    assert main(["laws", "models"]) == 0
    line = next(l for l in capsys.readouterr().out.splitlines() if l.startswith("nmf-momentum"))
    assert "Keep the momentum" in line and "Section 4.2.1" in line and "--tau" in line
    assert main(["laws", "models", "--json"]) == 0
    flows = json.loads(capsys.readouterr().out)["flows"]
    assert list(flows) == list(FLOWS) and "Keep the momentum" in flows["nmf-momentum"]["reference"]
