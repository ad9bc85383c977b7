"""The CoGO facade (``from algebra import cogo``): the names a user types, nothing internal, all resolving."""
import importlib
import json
import pathlib
import re
import types

from algebra import cogo
from groups import Zd

ROOT = pathlib.Path(__file__).resolve().parents[3]
RC = ["r_{-k,k,k}", "r_{k,-k,k}", "r_{-k,-k,k}"]
RSTAR = ["r^a_{k,k,k}", "r^a_{-k,-k,k}", "r^b_{k,k,k}", "r^b_{-k,-k,k}"]

#: importable from their modules only (algebra.cogo.decomposition, .training, .potentials)
INTERNAL = {"block_loss_terms", "decomposition_derivation", "direct_loss", "direct_loss_numeric", "fourier_loss_numeric",
            "loss_terms", "fourier_arrays", "loss_and_grads", "block_potentials", "local_potential", "table_value"}


def test_facade_example():
    z = cogo.construct("F6", Zd(23))
    assert z.num_nodes == 66 and cogo.loss(z) == 0
    assert (cogo.nu_i() * cogo.xi()).potentials().vanishing() == RC + RSTAR


def test_every_name_resolves_and_none_is_private_or_internal():
    names = cogo.__all__
    assert len(names) == len(set(names))
    assert not [n for n in names if n.startswith("_")]
    assert not INTERNAL & set(names)
    for name in names:
        obj = getattr(cogo, name)
        assert not isinstance(obj, types.ModuleType), name
        if hasattr(obj, "__module__") and callable(obj):
            assert obj.__module__.startswith(("algebra.cogo.", "algebra.exact.")), (name, obj.__module__)


def test_the_facade_holds_nothing_beyond_its_names():
    public = {n for n, v in vars(cogo).items() if not n.startswith("_") and not isinstance(v, types.ModuleType)}
    assert public == set(cogo.__all__)


def test_internal_names_stay_importable_from_their_modules():
    # the modules are named for their ideas (decomposition, verification), so no facade function hides a module
    loss, potentials, training = (importlib.import_module(f"algebra.cogo.{m}") for m in ("decomposition", "potentials", "training"))
    assert isinstance(loss, types.ModuleType) and cogo.loss is loss.loss
    from algebra.cogo import decomposition, verification
    assert isinstance(decomposition, types.ModuleType) and isinstance(verification, types.ModuleType)
    for module, names in ((loss, ["block_loss_terms", "decomposition_derivation", "direct_loss", "direct_loss_numeric",
                                  "fourier_loss_numeric", "loss_terms"]),
                          (training, ["fourier_arrays", "loss_and_grads"]),
                          (potentials, ["block_potentials", "local_potential", "table_value"])):
        for name in names:
            assert name in module.__all__ and callable(getattr(module, name))


def test_the_readme_and_the_notebook_use_facade_names_only():
    texts = [(ROOT / "README.md").read_text(encoding="utf-8")]
    notebook = json.loads((ROOT / "notebooks" / "02_cogo.ipynb").read_text(encoding="utf-8"))
    texts += ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code"]
    used = {m for text in texts for m in re.findall(r"(?<![\w.])cogo\.([A-Za-z_]\w*)", text)}
    assert used and used <= set(cogo.__all__), sorted(used - set(cogo.__all__))
