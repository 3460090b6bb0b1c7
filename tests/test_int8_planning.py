"""Static int8 details on tiny models: ReLU6 observed after the clamp, and the mixed-precision plan."""

from __future__ import annotations

import torch
from torch import nn


class _Tiny(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        torch.manual_seed(0)
        self.body = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU6(inplace=True),
                                  nn.Conv2d(8, 8, 3, padding=1, groups=8), nn.ReLU6(inplace=True),
                                  nn.Conv2d(8, 16, 1))
        self.head = nn.Linear(16, 5)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.body(x)
        return self.head(y.mean(dim=(2, 3)))


def _fragile() -> _Tiny:
    """Classes 0 and 1 near-tied and on top: int8 noise flips top-1 answers, something to fix."""
    model = _Tiny().eval()
    with torch.no_grad():
        # logit 1 - logit 0 = delta . (features - their mean): a margin far below the output's
        # int8 step, whose sign varies between samples
        features = torch.cat([model.body(*c).mean(dim=(2, 3)) for c in _calibration()])
        delta = torch.randn(16, generator=torch.Generator().manual_seed(2)) * 1e-2
        model.head.weight[1] = model.head.weight[0] + delta
        model.head.bias.copy_(torch.tensor([20.0, 20.0, 0.0, 0.0, 0.0]))
        model.head.bias[1] -= float(delta @ features.mean(dim=0))
    return model


def _calibration(count: int = 16) -> list[tuple[torch.Tensor]]:
    generator = torch.Generator().manual_seed(1)
    return [(torch.randn(1, 3, 12, 12, generator=generator) * 2,) for _ in range(count)]


def test_relu6_after_conv_is_quantized_after_the_clamp() -> None:
    from sdkgen.compression.executorch import quantize_module

    model = _Tiny().eval()
    converted = quantize_module(model, (torch.zeros(1, 3, 12, 12),), _calibration(), mode="int8")
    clamps = [n for n in converted.graph.nodes if "hardtanh" in str(n.target)]
    assert len(clamps) == 2
    for clamp in clamps:
        # the conv feeds the clamp directly (no quantize/dequantize pair in between) ...
        assert "conv" in str(clamp.args[0].target)
        # ... and the clamp's output is what gets quantized, with a range inside [0, 6]
        (quantize,) = clamp.users
        assert "quantize_per_tensor" in str(quantize.target)
        scale, zero_point = float(quantize.args[1]), int(quantize.args[2])
        assert scale * (127 - zero_point) <= 6.0 + scale


def test_mixed_precision_plan_is_measured_on_calibration_and_stops_at_the_target() -> None:
    from sdkgen.compression.executorch import quantizer_factory
    from sdkgen.compression.sensitivity import plan_mixed_precision

    model = _Tiny().eval()
    factory = quantizer_factory("int8", per_channel=True)
    example = (torch.zeros(1, 3, 12, 12),)
    nothing = plan_mixed_precision(model, example, _calibration(), quantizer_factory=factory,
                                   target_agreement=0.0, batch=8)
    assert nothing.float_nodes == () and nothing.points >= 4
    assert nothing.sensitivities == ()  # all int8 meets a zero target: nothing measured
    fragile = _fragile()
    everything = plan_mixed_precision(fragile, example, _calibration(), quantizer_factory=factory,
                                      target_agreement=1.0, batch=8, max_float_points=3)
    assert everything.all_int8_agreement < 1.0
    assert len(everything.sensitivities) == everything.points
    kls = [s.kl_when_float for s in everything.sensitivities]
    assert kls == sorted(kls)  # most sensitive (lowest KL when left float) first
    assert 1 <= len(everything.float_points) <= 3
    assert everything.calibration_agreement >= everything.all_int8_agreement - 1e-9
    assert everything.float_nodes  # producers/consumers of the float tensors, by node name
    again = plan_mixed_precision(fragile, example, _calibration(), quantizer_factory=factory,
                                 target_agreement=1.0, batch=8, max_float_points=3)
    assert again.float_nodes == everything.float_nodes  # deterministic


def test_float_nodes_stay_out_of_quantization() -> None:
    from sdkgen.compression.executorch import quantize_module

    model = _Tiny().eval()
    example = (torch.zeros(1, 3, 12, 12),)
    all_int8 = quantize_module(model, example, _calibration(), mode="int8")
    linear = next(n.name for n in all_int8.graph.nodes if "linear" in str(n.target))
    partly = quantize_module(model, example, _calibration(), mode="int8", float_nodes=[linear])
    node = next(n for n in partly.graph.nodes if n.name == linear)
    weight = node.args[1]
    assert "dequantize" not in str(getattr(weight, "target", ""))  # float weights
    assert not any("quantize" in str(u.target) for u in node.users)


def test_plan_json_names_the_points() -> None:
    from sdkgen.compression.executorch import quantizer_factory
    from sdkgen.compression.sensitivity import plan_mixed_precision

    plan = plan_mixed_precision(_fragile(), (torch.zeros(1, 3, 12, 12),), _calibration(),
                                quantizer_factory=quantizer_factory("int8", per_channel=True),
                                target_agreement=1.0, batch=8, max_float_points=2)
    document = plan.to_json()
    assert document["target_top1_agreement"] == 1.0
    assert len(document["most_sensitive"]) == min(10, plan.points)


def _conv_bn() -> nn.Module:
    """Conv + BatchNorm (folded by PT2E) + ReLU6, then a conv without bias: what bias correction
    meets in MobileNetV2, with a skewed input so quantization shifts channel means."""
    torch.manual_seed(3)
    model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8),
                          nn.ReLU6(), nn.Conv2d(8, 4, 1, bias=False)).eval()
    with torch.no_grad():
        model[1].running_mean.uniform_(-0.5, 0.5)
        model[1].running_var.uniform_(0.5, 2.0)
    return model


def test_bias_correction_removes_the_channel_shift_measured_on_calibration() -> None:
    from sdkgen.compression.executorch import quantize_module

    model, example = _conv_bn(), (torch.zeros(1, 3, 12, 12),)
    plain = quantize_module(model, example, _calibration(), mode="int8")
    measured: dict = {}
    corrected = quantize_module(model, example, _calibration(), mode="int8", bias_correction=True,
                                measured=measured)
    correction = measured["bias_correction"]
    assert correction.layers == 2  # the folded conv and the conv that had no bias at all
    assert correction.mean_abs_shift_after < 0.5 * correction.mean_abs_shift_before
    # the corrected graph's output mean is closer to float's than the uncorrected one's
    with torch.no_grad():
        want = torch.cat([model(*c) for c in _calibration()]).mean(dim=(0, 2, 3))
        before = torch.cat([plain(*c) for c in _calibration()]).mean(dim=(0, 2, 3))
        after = torch.cat([corrected(*c) for c in _calibration()]).mean(dim=(0, 2, 3))
    assert float((after - want).abs().mean()) < float((before - want).abs().mean())
    assert correction.to_json()["layers"] == 2


def test_bias_corrected_pte_is_byte_identical_when_repeated(tmp_path) -> None:
    from sdkgen.compression.executorch import export_quantized

    model, example = _conv_bn(), (torch.zeros(1, 3, 12, 12),)
    first, second = (export_quantized(model, example, _calibration(4), tmp_path / f"{n}.pte",
                                      mode="int8", bias_correction=True) for n in ("a", "b"))
    assert first.delegate_calls >= 1
    assert first.path.read_bytes() == second.path.read_bytes()


def test_dynamic_nodes_get_dynamic_activations_and_the_rest_stays_static() -> None:
    from sdkgen.compression.executorch import quantize_module

    model, example = _Tiny().eval(), (torch.zeros(1, 3, 12, 12),)
    converted = quantize_module(model, example, _calibration(), mode="int8",
                                dynamic_nodes=["conv2d_2", "linear"], float_nodes=["mean"])
    nodes = {n.name: n for n in converted.graph.nodes}
    for name in ("conv2d_2", "linear"):  # input quantized on the fly, weights int8 per channel
        source = nodes[name].args[0]
        assert "dequantize_per_tensor.tensor" in str(source.target)
        assert "dequantize_per_channel" in str(nodes[name].args[1].target)
        assert not any("quantize" in str(u.target) for u in nodes[name].users)  # float output
    # the first conv keeps its static (calibrated, constant) input range
    assert "dequantize_per_tensor.default" in str(nodes["conv2d"].args[0].target)


def test_every_quantize_mode_of_the_definition_has_a_recipe() -> None:
    import typing

    from sdkgen.compression.recipes import RECIPES
    from sdkgen.spec import AndroidCompression

    (modes,) = typing.get_args(AndroidCompression.model_fields["quantize"].annotation)
    assert sorted(typing.get_args(modes)) == sorted(RECIPES)
    assert {m for m, r in RECIPES.items() if r.needs_calibration} == {
        "int8", "int8_corrected", "int8_mixed", "int8_mixed_dynamic", "int8_gptq",
        "int8_weight_only_gptq"}


def test_mixed_plan_splits_its_nodes_into_float_and_dynamic() -> None:
    from sdkgen.compression.executorch import quantizer_factory
    from sdkgen.compression.sensitivity import plan_mixed_precision

    plan = plan_mixed_precision(_fragile(), (torch.zeros(1, 3, 12, 12),), _calibration(),
                                quantizer_factory=quantizer_factory("int8", per_channel=True),
                                target_agreement=1.0, batch=8, max_float_points=3)
    assert plan.split("float") == (plan.float_nodes, ())
    kept, dynamic = plan.split("dynamic")
    assert sorted(kept + dynamic) == sorted(plan.float_nodes)
    assert set(dynamic) == set(plan.dynamic_capable)
    assert not any(name.startswith(("hardtanh", "mean")) for name in dynamic)
    assert "conv2d_1" not in dynamic  # the depthwise conv: XNNPACK has no dynamic depthwise
