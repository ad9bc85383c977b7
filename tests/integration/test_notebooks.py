"""The notebooks (one per theme) run top to bottom, show figures, and are stored without outputs.

Executed with nbclient in a fresh kernel of this interpreter, from the notebook's folder, so they never rot.
"""
import os
import sys
import time

import pytest

nbformat = pytest.importorskip("nbformat", reason="nbformat is a dev dependency (pip install -e '.[dev]')")
nbclient = pytest.importorskip("nbclient", reason="nbclient is a dev dependency (pip install -e '.[dev]')")

FOLDER = os.path.join(os.path.dirname(__file__), "..", "..", "notebooks")
NOTEBOOKS = sorted(f for f in os.listdir(FOLDER) if f.endswith(".ipynb"))
THEMES = ("conservation_laws", "cogo", "symmetry")


def test_one_notebook_per_theme():
    assert len(NOTEBOOKS) == 3
    for theme in THEMES:
        assert sum(theme in name for name in NOTEBOOKS) == 1, theme


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_stored_without_outputs(name):
    book = nbformat.read(os.path.join(FOLDER, name), as_version=4)
    code = [c for c in book.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)
    assert book.cells[0].cell_type == "markdown" and book.cells[0].source.startswith("# ")


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs(name):
    book = nbformat.read(os.path.join(FOLDER, name), as_version=4)
    from jupyter_client.kernelspec import NATIVE_KERNEL_NAME

    start = time.perf_counter()
    client = nbclient.NotebookClient(book, timeout=300, kernel_name=NATIVE_KERNEL_NAME,
                                     resources={"metadata": {"path": FOLDER}})
    client.execute()  # raises CellExecutionError on any failing cell (the notebooks assert their claims)
    outputs = [o for c in book.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    latex = [o for o in outputs if "text/latex" in o.get("data", {})]
    assert len(images) >= 2, "each notebook shows at least two figures"
    assert latex, "derivations render as LaTeX"
    print(f"{name}: {time.perf_counter() - start:.1f} s on {sys.executable}")
