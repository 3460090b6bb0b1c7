"""Compression: the definition section, sample sources, metrics, and real int8 / Core ML variants
of the digits example (seconds). MobileNetV2-sized figures come from `sdkgen bench`, not tests."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml

from sdkgen.compression.metrics import measure
from sdkgen.compression.stage import VariantResult, _failed_variant, select_variant
from sdkgen.errors import SpecError
from sdkgen.examples import example_path
from sdkgen.spec import load_spec, validate_spec

DIGITS = example_path("digits")


def _digits_document() -> dict:
    return yaml.safe_load((DIGITS / "sdkgen.yaml").read_text())


def _spec_in(tmp_path: Path, document: dict) -> Path:
    """The digits definition, changed, written beside copies of the files it names."""
    for name in ("weights.pt", "labels.txt"):
        shutil.copy(DIGITS / name, tmp_path / name)
    path = tmp_path / "sdkgen.yaml"
    path.write_text(yaml.safe_dump(document))
    return path


def test_definition_without_compression_has_none() -> None:
    document = _digits_document()
    del document["compression"]
    assert validate_spec(document).compression is None


def test_modes_accept_one_value_a_list_or_none() -> None:
    document = _digits_document()
    document["compression"]["android"]["quantize"] = "int8_weight_only"
    document["compression"]["ios"]["compress"] = "none"
    compression = validate_spec(document).compression
    assert compression is not None
    assert compression.android.quantize == ["int8_weight_only"]
    assert compression.ios.compress == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda c: c.pop("calibration"), "compression.calibration"),
        (lambda c: (c.pop("calibration"), c["android"].update(quantize=["int8_weight_only_gptq"])),
         "compression.calibration"),
        (lambda c: c["android"].update(quantize=["int8", "int8"]), "compression.android.quantize"),
        (lambda c: c["ios"].update(compress=["int4"]), "compression.ios.compress"),
        (lambda c: c["evaluation"].update(npz="x.npz"), "compression.evaluation"),
        (lambda c: c["accuracy_budget"].update(max_accuracy_drop=2), "compression.accuracy_budget"),
        (lambda c: c["ios"].update(prune_sparsity=1.0), "compression.ios.prune_sparsity"),
        (lambda c: c["android"].update(dynamic_min_macs=-1), "compression.android.dynamic_min_macs"),
    ],
)
def test_bad_compression_sections_name_the_field(change, field: str) -> None:
    document = _digits_document()
    change(document["compression"])
    with pytest.raises(SpecError) as raised:
        validate_spec(document)
    assert field in str(raised.value)


def test_grouped_palettization_below_ios18_is_refused_before_export(tmp_path: Path) -> None:
    from sdkgen.compression.stage import check_compression_plan

    document = _digits_document()
    document["compression"]["ios"]["palettize_granularity"] = "per_grouped_channel"
    loaded = load_spec(_spec_in(tmp_path, document))
    with pytest.raises(SpecError, match="needs iOS 18"):
        check_compression_plan(loaded)


def _sdk(loaded):
    from sdkgen.plan import make_plan, with_cases

    return with_cases(make_plan(loaded, output_shapes=[(1, 10)]), ("case_0",))


def test_npz_and_image_folder_sources_give_the_same_inputs(tmp_path: Path) -> None:
    from PIL import Image

    from sdkgen.compression.data import load_samples
    from sdkgen.examples.digits.data import heldout_set

    pixels, _ = heldout_set()
    np.savez(tmp_path / "samples.npz", image=pixels[:3])
    folder = tmp_path / "images"
    folder.mkdir()
    for index, image in enumerate(pixels[:3]):
        Image.fromarray(image, mode="RGBA").save(folder / f"{index}.png")
    document = _digits_document()
    loaded = load_spec(_spec_in(tmp_path, document))
    sdk = _sdk(loaded)
    from sdkgen.spec import SampleSource

    from_npz = load_samples(loaded, sdk, SampleSource(npz="samples.npz"), field="f")
    from_images = load_samples(loaded, sdk, SampleSource(images="images", limit=2), field="f")
    assert len(from_npz) == 3 and len(from_images) == 2
    assert from_npz.inputs[0][0].shape == (1, 1, 8, 8)
    np.testing.assert_array_equal(from_npz.inputs[1][0], from_images.inputs[1][0])


def test_evaluation_callable_gives_labels(tmp_path: Path) -> None:
    from sdkgen.compression.data import load_samples

    loaded = load_spec(DIGITS / "sdkgen.yaml")
    assert loaded.spec.compression is not None
    samples = load_samples(loaded, _sdk(loaded), loaded.spec.compression.evaluation, field="e",
                           with_labels=True)
    assert len(samples) == 360 and samples.labels is not None and len(samples.labels) == 360


def test_npz_missing_array_is_a_spec_error(tmp_path: Path) -> None:
    from sdkgen.compression.data import load_samples
    from sdkgen.spec import SampleSource

    np.savez(tmp_path / "bad.npz", pixels=np.zeros((2, 8, 8, 4), np.uint8))
    loaded = load_spec(_spec_in(tmp_path, _digits_document()))
    with pytest.raises(SpecError, match="missing"):
        load_samples(loaded, _sdk(loaded), SampleSource(npz="bad.npz"), field="compression.calibration")


def test_metrics_count_agreement_and_accuracy() -> None:
    reference = [np.array([[0.0, 1.0, 0.5]]), np.array([[2.0, 0.0, 1.0]])]
    variant = [np.array([[0.0, 1.0, 0.4]]), np.array([[0.0, 2.0, 1.0]])]
    accuracy = measure(reference, variant, classification=True, labels=[1, 0])
    assert accuracy.top1_agreement == 0.5
    assert accuracy.top5_agreement == 1.0  # 3 classes: everything is in the top 5
    assert accuracy.accuracy == 0.5
    assert measure(reference, reference, classification=False, labels=None).top1_agreement is None


def test_metrics_say_how_close_to_a_tie_the_flipped_answers_were() -> None:
    # float margins (top-1 minus top-2): 0.5, 2.0, 0.1, 0.3; the 0.1 and 0.3 samples flip
    reference = [np.array([1.0, 0.5, 0.0]), np.array([3.0, 1.0, 0.0]),
                 np.array([0.2, 0.3, 0.0]), np.array([0.0, 0.0, 0.3])]
    variant = [np.array([1.0, 0.6, 0.0]), np.array([3.0, 1.5, 0.0]),
               np.array([0.4, 0.3, 0.0]), np.array([0.5, 0.0, 0.3])]
    accuracy = measure(reference, variant, classification=True, labels=None)
    assert (accuracy.top1_agreement, accuracy.flips) == (0.5, 2)
    assert accuracy.largest_flipped_margin == pytest.approx(0.3)
    assert accuracy.samples_within_flipped_margin == 2  # the 0.5 and 2.0 samples are outside
    unchanged = measure(reference, reference, classification=True, labels=None)
    assert (unchanged.flips, unchanged.largest_flipped_margin,
            unchanged.samples_within_flipped_margin) == (0, None, None)


def test_weight_rounding_puts_conv_and_linear_weights_on_the_int8_grid() -> None:
    import torch

    from sdkgen.compression.weight_rounding import round_weights_to_int8

    torch.manual_seed(0)
    module = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.ReLU(), torch.nn.Flatten(),
                                 torch.nn.Linear(4 * 6 * 6, 5))
    module[3].weight.data[2] = 0.0  # an all-zero channel stays zero (no division by zero)
    original = [p.detach().clone() for p in module.parameters()]
    rounded, count = round_weights_to_int8(module)
    assert count == 2
    for before, after in zip(original, module.parameters(), strict=True):
        assert torch.equal(before, after)  # the model itself is left alone
    for layer in (rounded[0], rounded[3]):
        weight = layer.weight.detach().flatten(1)
        scale = weight.abs().amax(dim=1, keepdim=True) / 127
        steps = torch.where(scale > 0, weight / torch.where(scale > 0, scale, 1), 0)
        assert torch.allclose(steps, steps.round(), atol=1e-3)
    assert torch.equal(rounded[3].weight[2], torch.zeros(4 * 6 * 6))
    assert torch.equal(rounded[3].bias, module[3].bias)  # biases stay float


def _variant(mode: str, budget: str, median_ms: float | None, platform: str = "android") -> VariantResult:
    suffix = ".pte" if platform == "android" else ".mlpackage"
    file = f"artifacts/m{suffix}" if budget == "reference" else f"artifacts/variants/m.{mode}{suffix}"
    return VariantResult(platform=platform, mode=mode, file=file,
                         size_bytes=1, float_size_bytes=4, accuracy=None, accuracy_note="",
                         latency=None if median_ms is None else {"median_ms": median_ms},
                         budget=budget)


def test_selection_picks_the_fastest_variant_within_budget() -> None:
    float_pte = _variant("float32", "reference", 4.0)
    variants = [_variant("int8", "exceeded", 1.0), _variant("int8_mixed", "within", 2.5),
                _variant("int8_weight_only", "within", 3.0)]
    chosen = select_variant("android", float_pte, variants)
    assert (chosen.mode, chosen.file) == ("int8_mixed", "artifacts/variants/m.int8_mixed.pte")
    assert "1.60x" in chosen.reason


def test_a_variant_that_fails_in_its_runtime_is_recorded_removed_and_never_selected(
    tmp_path: Path,
) -> None:
    broken = tmp_path / "artifacts" / "variants" / "m.int8_weight_only.pte"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"a program XNNPACK rejects")
    said: list[str] = []
    failed = _failed_variant("int8_weight_only", broken, tmp_path, 4, "ExecuTorch",
                             RuntimeError("method->execute() failed with error 0x1\nmore"), said.append)
    assert not broken.exists()  # no artifact that fails to run is left in the build
    assert failed.budget == "failed" and failed.accuracy is None and failed.latency is None
    assert failed.failures == ("ExecuTorch int8_weight_only: RuntimeError: method->execute() "
                               "failed with error 0x1 (the runtime's own message is in the build log)",)
    assert said == ["android: the int8_weight_only variant failed in ExecuTorch (RuntimeError: "
                    "method->execute() failed with error 0x1); it is left out"]
    float_pte = _variant("float32", "reference", 4.0)
    chosen = select_variant("android", float_pte, [failed, _variant("int8", "within", 2.0)])
    assert chosen.mode == "int8"
    assert select_variant("android", float_pte, [failed]).file == float_pte.file

    from sdkgen.compression.metrics import Accuracy
    from sdkgen.compression.stage import CompressionResult
    from sdkgen.report import _markdown_compression

    exact = Accuracy(2, 1.0, 1.0, 1.0, None, 1.0, 0, None, None)
    section = CompressionResult("2 samples", None, {"max_top1_agreement_drop": 0.05,
                                                    "max_accuracy_drop": 0.0},
                                exact, (float_pte,), (failed,)).to_json()
    markdown = "\n".join(_markdown_compression(section))
    assert "| `artifacts/variants/m.int8_weight_only.pte` | int8_weight_only | — | — | — |" in markdown
    assert "- **`artifacts/variants/m.int8_weight_only.pte` failed**: ExecuTorch" in markdown


def test_selection_only_considers_the_shipped_runtime() -> None:
    float_pte = _variant("float32", "reference", 4.0)
    litert = VariantResult(platform="android", mode="int8", file="artifacts/variants/m.int8.tflite",
                           size_bytes=1, float_size_bytes=4, accuracy=None, accuracy_note="",
                           latency={"median_ms": 0.5}, budget="within")
    assert select_variant("android", float_pte, [litert, _variant("int8", "within", 2.0)]).file == (
        "artifacts/variants/m.int8.pte")


def test_selection_keeps_float_when_nothing_fits_or_nothing_is_faster() -> None:
    float_pte = _variant("float32", "reference", 2.0)
    assert select_variant("android", float_pte, [_variant("int8", "exceeded", 1.0)]).mode == "float32"
    assert select_variant("android", float_pte, [_variant("int8", "within", 2.5)]).mode == "float32"


def test_selection_refuses_to_guess_unmeasured_core_ml_variants() -> None:
    package = _variant("float16", "reference", None, platform="ios")
    chosen = select_variant("ios", package, [_variant("int8", "unchecked", None, platform="ios")])
    assert chosen.file is None and "not measurable" in chosen.reason


def test_int8_digits_pte_keeps_heldout_accuracy(tmp_path: Path) -> None:
    """Static int8 (per-channel, calibrated on the training split) on the 360 held-out digits."""
    import torch

    from sdkgen.compression.data import as_torch, load_samples
    from sdkgen.compression.executorch import export_quantized
    from sdkgen.loading import load_model
    from sdkgen.verify import run_pte

    loaded = load_spec(DIGITS / "sdkgen.yaml")
    compression = loaded.spec.compression
    assert compression is not None and compression.calibration is not None
    sdk = _sdk(loaded)
    model = load_model(loaded)
    evaluation = load_samples(loaded, sdk, compression.evaluation, field="e", with_labels=True)
    calibration = load_samples(loaded, sdk, compression.calibration, field="c")
    program = export_quantized(model.module, model.example_inputs, as_torch(calibration.inputs),
                               tmp_path / "digits.int8.pte", mode="int8")
    with torch.no_grad():
        reference = [model.module(*x).numpy() for x in as_torch(evaluation.inputs)]
    outputs = [o[0] for o in run_pte(program.path, list(evaluation.inputs))]
    quantized = measure(reference, outputs, classification=True, labels=evaluation.labels)
    float_accuracy = measure(reference, reference, classification=True, labels=evaluation.labels)
    assert program.calibration_samples == 256 and program.delegate_calls >= 1
    assert quantized.top1_agreement is not None and quantized.top1_agreement >= 0.98
    assert quantized.accuracy is not None and float_accuracy.accuracy is not None
    assert float_accuracy.accuracy - quantized.accuracy <= 0.01
    assert program.size_bytes < 0.6 * (DIGITS / "weights.pt").stat().st_size


def test_int8_without_calibration_samples_is_refused(tmp_path: Path) -> None:
    from sdkgen.compression.executorch import quantize_module
    from sdkgen.errors import ExportError
    from sdkgen.loading import load_model

    model = load_model(load_spec(DIGITS / "sdkgen.yaml"))
    with pytest.raises(ExportError, match="calibration"):
        quantize_module(model.module, model.example_inputs, [], mode="int8")


@pytest.fixture(scope="module")
def compressed_build(tmp_path_factory: pytest.TempPathFactory):
    """``sdkgen build --compress`` of the digits example, both platforms (about 30 s), with the
    GPTQ-rounded static int8 variant too; the definition is ``out_dir.parent / sdkgen.yaml``."""
    from sdkgen.pipeline import build

    document = _digits_document()
    document["compression"]["android"]["quantize"] = ["int8", "int8_gptq", "int8_weight_only"]
    spec = _spec_in(tmp_path_factory.mktemp("digits-compressed"), document)
    return build(spec, out_dir=spec.parent / "digits", compress=True)


def test_compressed_build_writes_variants_and_report(compressed_build) -> None:
    out = compressed_build.out_dir
    variants = sorted(p.name for p in (out / "artifacts" / "variants").iterdir())
    assert variants == [
        "DigitClassifier.int8.mlpackage", "DigitClassifier.palettize4.mlpackage",
        "DigitClassifier.prune.mlpackage", "digit_classifier.int8.pte",
        "digit_classifier.int8_gptq.pte", "digit_classifier.int8_weight_only.pte",
    ]
    section = json.loads((out / "report.json").read_text())["compression"]
    assert section["eager_float"]["accuracy"] == pytest.approx(0.977778, abs=1e-6)
    by_mode = {(v["platform"], v["mode"]): v for v in section["variants"]}
    int8 = by_mode[("android", "int8")]
    assert int8["budget"] == "within" and int8["accuracy"]["top1_agreement"] >= 0.98
    assert int8["latency"] is None and int8["size_ratio"] < 0.6  # wall-clock stays out of the tree
    assert int8["accuracy"]["flips"] == round((1 - int8["accuracy"]["top1_agreement"]) * 360)
    examples = int8["details"]["examples"]  # the definition's example digits, through the .pte
    float_examples = section["float_artifacts"][0]["details"]["examples"]
    assert sorted(examples) == sorted(float_examples) and len(examples) >= 4
    assert [examples[c][0]["label"] for c in sorted(examples)] == [
        float_examples[c][0]["label"] for c in sorted(examples)]
    rounding = section["int8_weight_rounding"]  # the digits CNN: two convs and one linear
    assert rounding["tensors_rounded"] == 3 and rounding["accuracy"]["top1_agreement"] >= 0.98
    gptq = by_mode[("android", "int8_gptq")]
    assert gptq["details"]["gptq"]["layers"] == 3 and gptq["details"]["calibration_samples"] == 256
    assert gptq["details"]["gptq"]["layer_output_error_gptq"] < gptq["details"]["gptq"][
        "layer_output_error_nearest"]
    assert gptq["accuracy"]["top1_agreement"] >= 0.98 and gptq["size_bytes"] == int8["size_bytes"]
    timings = json.loads(out.with_name(out.name + ".timings.json").read_text())
    assert timings["pte_latency_ms"][int8["file"]]["median_ms"] > 0
    palettized = by_mode[("ios", "palettize4")]
    assert palettized["accuracy"] is None and palettized["budget"] == "unchecked"
    assert palettized["size_bytes"] < palettized["float_size_bytes"]
    assert 0 < palettized["details"]["weights"]["relative_l2_error"] < 0.5
    pruned = by_mode[("ios", "prune")]["details"]["weights"]
    assert pruned["sparsity"] == pytest.approx(0.5, abs=0.02)
    assert pruned["tensors_short_of_target_sparsity"] == []
    assert "## Compression" in (out / "report.md").read_text()


def test_default_build_has_no_compression_section(digits_build) -> None:
    assert "compression" not in digits_build.report
    assert not (digits_build.out_dir / "artifacts" / "variants").exists()


def test_compress_without_section_is_a_spec_error(tmp_path: Path) -> None:
    from sdkgen.pipeline import build

    document = _digits_document()
    del document["compression"]
    with pytest.raises(SpecError, match="--compress needs a compression section"):
        build(_spec_in(tmp_path, document), out_dir=tmp_path / "out", compress=True)
    assert not (tmp_path / "out").exists()


def test_compressed_build_is_byte_identical_when_repeated(compressed_build, tmp_path) -> None:
    """Variants and the report carry no wall-clock figures (those go to <out>.timings.json)."""
    from conftest import tree_digest

    from sdkgen.pipeline import build

    again = build(compressed_build.out_dir.parent / "sdkgen.yaml", out_dir=tmp_path / "digits",
                  compress=True)
    assert tree_digest(again.out_dir) == tree_digest(compressed_build.out_dir)


def test_prune_threshold_reaches_the_sparsity_on_large_float16_tensors() -> None:
    """coremltools' own percentile is NaN here (float16, > 65504 elements); ours is exact."""
    from sdkgen.compression.coreml import magnitude_threshold

    weights = np.random.default_rng(0).standard_normal(300_000).astype(np.float16)
    with np.errstate(invalid="ignore"):
        assert np.isnan(np.percentile(np.abs(weights), 50))  # the failure this replaces
    for sparsity in (0.25, 0.5, 0.9):
        threshold = magnitude_threshold(weights, sparsity)
        zeroed = np.mean(np.abs(weights) <= threshold)  # coremltools' comparison, in float16
        assert zeroed == pytest.approx(sparsity, abs=0.005)
    assert np.mean(np.abs(weights) <= magnitude_threshold(weights, 1e-9)) == 0
