"""The eager reference: float64 rounded to float32, the same bytes under every CPU code path."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from sdkgen.loading import LoadedModel, run_eager
from sdkgen.reference import FLOAT32, FLOAT64, choose_reference, float64_module

TESTS = Path(__file__).resolve().parent


class _Small(torch.nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.linear = torch.nn.Linear(4, 3)
        self.norm = torch.nn.BatchNorm1d(3)
        self.register_buffer("half_scale", torch.full((3,), 0.3, dtype=torch.float16))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.norm(self.linear(x)) * self.half_scale.to(x.dtype)


class _CastsToFloat32(torch.nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.linear = torch.nn.Linear(4, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear(x.to(torch.float32))  # float32 input, float64 weights: a dtype error


def _model(module: torch.nn.Module) -> LoadedModel:
    torch.manual_seed(0)
    for parameter in module.parameters():
        torch.nn.init.normal_(parameter)
    return LoadedModel(module=module.eval(), example_inputs=(torch.randn(2, 4),), source="test")


def test_float64_module_restores_every_tensor_bit_for_bit() -> None:
    model = _model(_Small())
    before = {k: v.clone() for k, v in model.module.state_dict().items()}
    with float64_module(model.module):
        assert model.module.linear.weight.dtype == torch.float64
        assert model.module.half_scale.dtype == torch.float64
        assert model.module.norm.num_batches_tracked.dtype == torch.int64  # integers untouched
        assert torch.get_default_dtype() == torch.float64
    after = model.module.state_dict()
    assert torch.get_default_dtype() == torch.float32
    for name, tensor in before.items():
        assert after[name].dtype == tensor.dtype, name
        assert torch.equal(after[name], tensor), name


def test_float64_reference_is_the_rounded_float64_result() -> None:
    model = _model(_Small())
    float32 = run_eager(model, model.example_inputs)
    reference = choose_reference(model, float32)
    assert reference.mode == FLOAT64
    (got,) = reference.run(model.example_inputs)
    module64 = _Small()
    module64.load_state_dict(model.module.state_dict())
    module64 = module64.eval().to(torch.float64)
    with torch.no_grad():
        want = module64(model.example_inputs[0].to(torch.float64)).to(torch.float32).numpy()
    assert got.dtype == np.float32
    assert got.tobytes() == want.tobytes()


def test_a_model_that_cannot_run_in_float64_falls_back_with_the_reason() -> None:
    model = _model(_CastsToFloat32())
    float32 = run_eager(model, model.example_inputs)
    reference = choose_reference(model, float32)
    assert reference.mode == FLOAT32
    assert "does not run in float64" in reference.reason and "RuntimeError" in reference.reason
    (got,) = reference.run(model.example_inputs)
    assert got.tobytes() == float32[0].tobytes()
    assert model.module.linear.weight.dtype == torch.float32


# CPU code paths this machine can take: ATen's kernels (default = no SIMD dispatch, avx2), MKL's
# (MKL_CBWR=COMPATIBLE vs the automatic path) and the thread count. Another CPU (AVX-512) takes
# others; float64 rounding absorbs all of these alike.
_SETTINGS = (
    {"ATEN_CPU_CAPABILITY": "default", "OMP_NUM_THREADS": "1"},
    {"ATEN_CPU_CAPABILITY": "avx2", "OMP_NUM_THREADS": "2"},
    {"MKL_CBWR": "COMPATIBLE", "OMP_NUM_THREADS": "2"},
)


@pytest.mark.slow
def test_mobilenet_reference_outputs_are_the_same_bytes_under_every_cpu_code_path() -> None:
    runs = []
    for setting in _SETTINGS:
        env = {k: v for k, v in os.environ.items()
               if k not in ("ATEN_CPU_CAPABILITY", "MKL_CBWR", "OMP_NUM_THREADS")}
        env.update(setting, PYTHONPATH=str(TESTS.parent))
        done = subprocess.run(
            [sys.executable, str(TESTS / "reference_outputs.py"), "mobilenet_v2"],
            env=env, capture_output=True, text=True, check=False,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        runs.append({**setting, **json.loads(done.stdout.strip().splitlines()[-1])})
    assert {r["mode"] for r in runs} == {FLOAT64}, runs
    assert len({(r["capability"], r["threads"]) for r in runs[:2]}) == 2, runs
    assert len({r["reference"] for r in runs}) == 1, json.dumps(runs, indent=1)
