"""Every module and package of the exact core and of CoGO declares ``__all__``; each name resolves, none is private."""
import importlib
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
#: algebra.exact.modular belongs to another area (it is checked there)
SKIP = {"algebra.exact.modular"}


def modules():
    names = ["algebra.errors"]
    for package in ("algebra/cogo", "algebra/exact"):
        for path in sorted((ROOT / package).glob("*.py")):
            dotted = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            names.append(dotted[: -len(".__init__")] if dotted.endswith(".__init__") else dotted)
    return [n for n in names if n not in SKIP]


@pytest.mark.parametrize("name", modules())
def test_module_declares_its_public_names(name):
    module = importlib.import_module(name)
    assert isinstance(getattr(module, "__all__", None), list), f"{name} has no __all__"
    names = module.__all__
    assert len(names) == len(set(names)), f"{name}: duplicate names in __all__"
    assert not [n for n in names if n.startswith("_")], f"{name}: private names in __all__"
    missing = [n for n in names if not hasattr(module, n)]
    assert missing == [], f"{name}: __all__ names that do not resolve: {missing}"


def test_the_list_covers_both_packages():
    found = modules()
    assert {"algebra.cogo", "algebra.cogo.ring", "algebra.cogo.cli", "algebra.exact", "algebra.exact.encoding"} <= set(found)
