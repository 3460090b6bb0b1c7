"""sdkgen's Core ML op translations, each checked against torch on random inputs.

Core ML cannot run on Linux, but coremltools folds operations on constants with its own numpy
value inference: a module whose op reads only registered buffers converts to a MIL program whose
output is the folded value. That checks the whole path (torch.export → coremltools' frontend →
the adapter → the MIL builder) numerically.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from sdkgen.export.coreml_ops import TRANSLATIONS, registered_translations

pytest.importorskip("coremltools")


class _OnBuffers(torch.nn.Module):
    """``op(*buffers)`` as a second output; the first output keeps a real input in the graph."""

    def __init__(self, op, *buffers: torch.Tensor) -> None:
        super().__init__()
        self.op = op
        for index, buffer in enumerate(buffers):
            self.register_buffer(f"b{index}", buffer)
        self.count = len(buffers)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return x + 1, self.op(*(getattr(self, f"b{i}") for i in range(self.count)))


def _convert_folded(module: _OnBuffers, *, decompositions: bool = False) -> tuple[np.ndarray, set[str]]:
    import coremltools as ct

    program = torch.export.export(module, (torch.zeros(1),))
    program = program.run_decompositions() if decompositions else program.run_decompositions({})
    with registered_translations() as used:
        mil = ct.convert(program, convert_to="milinternal",
                         inputs=[ct.TensorType(name="x", shape=(1,))])
    folded = mil.functions["main"].outputs[1]
    assert folded.val is not None, "the translated op did not fold to a constant"
    return np.asarray(folded.val), used


def _expect(module: _OnBuffers, op: str, **kwargs: bool) -> None:
    got, used = _convert_folded(module, **kwargs)
    with torch.no_grad():
        want = module(torch.zeros(1))[1].numpy()
    assert op in used
    assert got.shape == want.shape
    if want.dtype == np.bool_:
        assert np.array_equal(got.astype(bool), want)
    else:
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)


RNG = torch.Generator().manual_seed(0)


@pytest.mark.parametrize(("shape", "n", "dim", "extras"), [
    ((7,), 1, -1, ()), ((3, 6), 2, 1, ()), ((4, 5, 3), 1, 0, ()),
    ((2, 6), 1, -1, ("prepend",)), ((2, 6), 2, 1, ("prepend", "append")),
])
def test_diff_matches_torch_on_floats(shape, n, dim, extras) -> None:
    x = torch.randn(shape, generator=RNG)
    sizes = list(shape)
    sizes[dim] = 2
    pre = torch.randn(sizes, generator=RNG) if "prepend" in extras else None
    post = torch.randn(sizes, generator=RNG) if "append" in extras else None
    buffers = [t for t in (x, pre, post) if t is not None]

    def op(*tensors: torch.Tensor) -> torch.Tensor:
        values = iter(tensors)
        base = next(values)
        return torch.diff(base, n=n, dim=dim, prepend=next(values) if pre is not None else None,
                          append=next(values) if post is not None else None)

    _expect(_OnBuffers(op, *buffers), "diff")


def test_diff_matches_torch_on_integer_positions_like_transformers() -> None:
    positions = torch.randint(0, 50, (1, 16), generator=RNG)
    first = positions[:, :1] - 1
    _expect(_OnBuffers(lambda p, f: torch.diff(p, dim=-1, prepend=f), positions, first), "diff")


def test_alias_is_the_same_values() -> None:
    x = torch.randn(2, 3, 4, generator=RNG)
    _expect(_OnBuffers(lambda t: torch.ops.aten.alias.default(t) * 2, x), "alias")


@pytest.mark.parametrize("op", ["__and__", "__or__"])
def test_boolean_and_or_match_torch(op: str) -> None:
    """torch.export keeps ``aten.__and__`` only in some graphs (transformers' masks; a small
    module gets ``bitwise_and``), so the MIL builder is checked directly on constants."""
    from coremltools.converters.mil import Builder as mb

    from sdkgen.export.coreml_ops import build_logical

    a = torch.rand(1, 1, 6, 6, generator=RNG) > 0.5
    b = torch.rand(1, 1, 6, 6, generator=RNG) > 0.5
    folded = {}

    @mb.program(input_specs=[mb.TensorSpec(shape=(1,))])
    def program(x):
        folded["value"] = build_logical(mb.const(val=a.numpy()), mb.const(val=b.numpy()), op=op).val
        return x

    want = getattr(torch.ops.aten, op).Tensor(a, b).numpy()
    assert np.array_equal(np.asarray(folded["value"]).astype(bool), want)


def test_logical_translation_names_the_dtypes_it_cannot_handle() -> None:
    from coremltools.converters.mil import Builder as mb

    from sdkgen.export.coreml_ops import build_logical

    @mb.program(input_specs=[mb.TensorSpec(shape=(1,))])
    def program(x):
        with pytest.raises(NotImplementedError, match="boolean tensors only, got int32"):
            build_logical(mb.const(val=np.ones(3, np.int32)), mb.const(val=np.ones(3, np.int32)),
                          op="__and__")
        return x


@pytest.mark.parametrize("dtype", [torch.float32, torch.int64])
@pytest.mark.parametrize("size", [[3, 4], []])  # [] is a scalar, as in GPT-2's masks
def test_new_ones_matches_torch(dtype: torch.dtype, size: list[int]) -> None:
    x = torch.randn(2, 3, generator=RNG).to(dtype)
    _expect(_OnBuffers(lambda t: torch.ops.aten.new_ones.default(t, size) + t.sum(), x),
            "new_ones")


def test_translations_are_registered_only_inside_the_block() -> None:
    from coremltools.converters.mil.frontend.torch.torch_op_registry import _TORCH_OPS_REGISTRY

    mapping = _TORCH_OPS_REGISTRY.name_to_func_mapping
    before = dict(mapping)
    ours = [t.op for t in TRANSLATIONS if t.op not in before]
    assert ours, "every translation is now built into coremltools: drop them"
    with registered_translations():
        assert all(op in mapping for op in ours)
    assert mapping == before


def test_registry_is_restored_when_the_conversion_fails() -> None:
    from coremltools.converters.mil.frontend.torch.torch_op_registry import _TORCH_OPS_REGISTRY

    before = dict(_TORCH_OPS_REGISTRY.name_to_func_mapping)
    with pytest.raises(RuntimeError), registered_translations():
        raise RuntimeError("conversion failed")
    assert _TORCH_OPS_REGISTRY.name_to_func_mapping == before


def test_an_op_coremltools_converts_is_never_overridden(monkeypatch: pytest.MonkeyPatch) -> None:
    from coremltools.converters.mil.frontend.torch.torch_op_registry import _TORCH_OPS_REGISTRY

    mapping = _TORCH_OPS_REGISTRY.name_to_func_mapping

    def builtin(context, node) -> None:
        raise AssertionError("not called")

    monkeypatch.setitem(mapping, "diff", builtin)
    with registered_translations():
        assert mapping["diff"] is builtin
    assert mapping["diff"] is builtin
