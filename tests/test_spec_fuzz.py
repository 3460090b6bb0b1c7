"""Property tests over the definition loader: any document either validates or raises a SpecError
that names a field; nothing else escapes."""

from __future__ import annotations

import copy
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sdkgen.errors import SpecError
from sdkgen.spec import ModelSpec, load_spec, validate_spec
from tests.test_spec import MINIMAL

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
    st.text(max_size=20),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(max_size=10), children, max_size=4),
    ),
    max_leaves=12,
)


def _paths(node: object, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(node, dict):
        for key, child in node.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found += _paths(child, (*prefix, index))
    return found


@st.composite
def mutated_definitions(draw: st.DrawFn) -> object:
    """A valid definition with one subtree replaced, removed or given an extra key."""
    document = copy.deepcopy(MINIMAL)
    paths = [p for p in _paths(document) if p]
    path = draw(st.sampled_from(paths))
    parent = document
    for part in path[:-1]:
        parent = parent[part]
    action = draw(st.sampled_from(["replace", "delete", "extra"]))
    if action == "replace":
        parent[path[-1]] = draw(values)
    elif action == "delete" and isinstance(parent, dict):
        del parent[path[-1]]
    elif isinstance(parent, dict):
        parent[draw(st.text(min_size=1, max_size=12))] = draw(values)
    return document


def _check(document: object) -> None:
    try:
        result = validate_spec(document)
    except SpecError as error:
        assert str(error)
        if isinstance(document, dict):
            assert error.field is not None, str(error)
        return
    assert isinstance(result, ModelSpec)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_definitions())
def test_mutated_definitions_fail_only_with_field_paths(document: object) -> None:
    _check(document)


@settings(max_examples=500, deadline=None)
@given(values)
def test_arbitrary_documents_fail_only_with_spec_errors(document: object) -> None:
    _check(document)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=200))
def test_arbitrary_yaml_text_fails_only_with_spec_errors(tmp_path: Path, text: str) -> None:
    path = tmp_path / "sdkgen.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_spec(path)
    except SpecError as error:
        assert str(error)


def test_valid_definition_round_trips_through_yaml(tmp_path: Path) -> None:
    path = tmp_path / "sdkgen.yaml"
    path.write_text(yaml.safe_dump(MINIMAL))
    assert load_spec(path).spec.name == "Tiny"
