"""Model specs and files: families by name, dims, JSON and TOML files, and one clear error for bad input."""
import json

import pytest

from algebra.errors import FlowAlgebraError
from laws.models.specs import FAMILIES, load_model_file, parse_dims, parse_model


@pytest.mark.parametrize("spec, message", [
    ("linear:0,2", "positive integers"),
    ("linear:2", "at least an input and an output"),
    ("relu:2,a,2", "comma-separated integers"),
    ("mlp:2,2", "unknown model family"),
    ("conv:2,2", "conv takes 5 sizes"),
    ("nonexistent-file.json", "unknown model"),
    ("linear:200,200,200", "too many parameters"),
])
def test_bad_specs_raise_one_clear_error(spec, message):
    with pytest.raises(FlowAlgebraError, match=message):
        parse_model(spec)


def test_model_files_json_and_toml(tmp_path):
    j = tmp_path / "m.json"
    j.write_text(json.dumps({"name": "toy", "params": ["a", "b", "c"], "phi": ["a*b", "a*c"]}))
    assert load_model_file(str(j)).N == 2
    t = tmp_path / "m.toml"
    t.write_text('model = "relu:2,3,2"\nbias = true\n')
    assert load_model_file(str(t)).name == "relu:2,3,2+bias"


@pytest.mark.parametrize("content, message", [
    ("{not json", "malformed model file"),
    ('{"phi": "a*b"}', "must be a list"),
    ('{"phi": ["a*b"], "extra": 1}', "unknown keys"),
    ('{"phi": ["open(1)"]}', "unsupported syntax"),
    ('{"phi": ["a*b"], "params": ["a"]}', "unknown parameter 'b'"),
    ('[1, 2]', "top level"),
])
def test_malformed_model_files(tmp_path, content, message):
    f = tmp_path / "bad.json"
    f.write_text(content)
    with pytest.raises(FlowAlgebraError, match=message):
        load_model_file(str(f))


def test_every_family_builds_its_example():
    for name, family in FAMILIES.items():
        model = parse_model(family.example)
        assert model.name.startswith(name) and model.D > 0 and model.N > 0


def test_dims_are_parsed_with_spaces():
    assert parse_dims(" 2, 3 ,2") == [2, 3, 2]
