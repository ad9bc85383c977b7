"""The CoGO report sections: derivations with one notation paragraph, tables for classifications and sweeps."""
from algebra.cogo.notation import NOTATION, TRAINING_EXTRA
from algebra.cogo.report import TRAINING, report_sections, report_steps, training_setting
from algebra.present import Derivation, Table


def _tables(derivation):
    return [eq for step in derivation.steps for eq in step.equations() if isinstance(eq, Table)]


def test_quick_sections():
    sections = report_sections(quick=True)
    assert all(isinstance(s, Derivation) for s in sections)
    titles = [s.title for s in sections]
    assert titles[0] == "Loss decomposition into monomial potentials"
    # the notation is defined once, where the section starts; the trained network adds its own sentence
    assert sections[0].notation == NOTATION
    assert [s.notation for s in sections[1:]] == [""] * (len(sections) - 2) + [TRAINING_EXTRA]
    for s in sections:
        assert s.to_latex().count("\\begin{align*}") == s.to_latex().count("\\end{align*}")
    # the symbolic check is a table whose every row says identical
    proof = _tables(sections[0])[0]
    assert proof.header[-1] == "result" and {row[-1] for row in proof.rows} == {"identical"}
    # the trained network: its run, the orders and the types of its blocks, each a table
    assert [t.header[0] for t in _tables(sections[-1])] == ["group", "order", "type"]


def test_constructions_table_marks_only_the_naive_sum():
    constructions = next(s for s in report_sections(quick=True) if s.title == "Global constructions, verified exactly")
    (table,) = _tables(constructions)
    verdict = {(row[0], row[1]): row[-1] for row in table.rows}
    assert verdict[("$z^{\\mathrm{naive}}_{F4/6}$", "$\\mathbb{Z}_{7}$")] == "no"
    assert ("$Z_{F6}$", "$\\mathbb{Z}_{23}$") in verdict
    assert [k for k, v in verdict.items() if v != "yes"] == [("$z^{\\mathrm{naive}}_{F4/6}$", "$\\mathbb{Z}_{7}$")]
    assert "except" in constructions.conclusion


def test_the_sweep_accounts_for_every_odd_d():
    (sweep,) = [step() for label, step in report_steps(quick=True) if label == "CoGO: sweep over odd d"][0]
    (table,) = _tables(sweep)
    assert sum(row[1] for row in table.rows) == len(range(3, 32, 2))
    assert all(row[1] == row[2] == row[3] for row in table.rows)  # both constructions: loss 0 at every d


def test_training_settings():
    assert training_setting() == TRAINING["default"]
    assert training_setting(quick=True) == TRAINING["quick"]
    assert training_setting(full=True) == TRAINING["full"] == (23, 512, 5e-5, 1e-2, 10_000)
    assert TRAINING["default"].width * TRAINING["default"].epochs < TRAINING["full"].width * TRAINING["full"].epochs
    labels = [label for label, _ in report_steps(full=True)]
    assert labels[-1] == "CoGO: train and classify d = 23"
