"""The bundled examples' models and data, and the extra test architectures, on their own (eager).

The full build of each is covered by the pipeline tests; these check what the models and their
data must be before any export: accuracy, determinism, real-photo predictions, I/O shapes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from sdkgen.examples import example_path
from sdkgen.loading import load_model, run_eager
from sdkgen.spec import load_spec

ARCHITECTURES = Path(__file__).resolve().parent
ARCHITECTURE_SPECS = sorted(ARCHITECTURES.glob("*/sdkgen.yaml"))


def test_example_path_names_bundled_folders() -> None:
    assert (example_path("digits") / "sdkgen.yaml").is_file()
    assert (example_path("mobilenet_v2") / "sdkgen.yaml").is_file()
    with pytest.raises(ValueError, match="digits, mobilenet_v2"):
        example_path("resnet")


def test_digits_committed_weights_reach_recorded_accuracy() -> None:
    from sdkgen.examples.digits.evaluate import evaluate

    recorded = json.loads((example_path("digits") / "accuracy.json").read_text(encoding="utf-8"))
    result = evaluate(None)
    assert result["samples"] == recorded["heldout_samples"] == 360
    assert result["eager_accuracy"] == pytest.approx(recorded["heldout_accuracy"], abs=1e-6)
    assert result["eager_accuracy"] >= 0.97


@pytest.mark.slow
def test_digits_training_is_deterministic(tmp_path: Path) -> None:
    """Two trainings on one machine give the same bytes; against the committed weights (trained on
    another CPU, whose float32 kernels round differently) they stay close and as accurate."""
    runs = []
    for run in ("a", "b"):
        subprocess.run(
            [sys.executable, "-m", "sdkgen.examples.digits.train", "--out", str(tmp_path / run)],
            check=True, capture_output=True,
        )
        runs.append(tmp_path / run)
    for name in ("weights.pt", "labels.txt", "accuracy.json"):
        assert (runs[0] / name).read_bytes() == (runs[1] / name).read_bytes(), name
    folder = example_path("digits")
    assert (runs[0] / "labels.txt").read_bytes() == (folder / "labels.txt").read_bytes()
    trained = torch.load(runs[0] / "weights.pt", weights_only=True)
    committed = torch.load(folder / "weights.pt", weights_only=True)
    assert trained.keys() == committed.keys()
    for key, value in committed.items():  # 40 epochs amplify last-bit differences to ~1e-3
        relative = float((trained[key] - value).norm() / value.norm().clamp_min(1e-12))
        assert relative < 0.05, (key, relative)
    recorded = json.loads((folder / "accuracy.json").read_text(encoding="utf-8"))
    measured = json.loads((runs[0] / "accuracy.json").read_text(encoding="utf-8"))
    assert measured["heldout_accuracy"] == pytest.approx(recorded["heldout_accuracy"], abs=0.01)


def test_digits_golden_examples_are_heldout_gray_pixels() -> None:
    from sdkgen.examples.digits.data import golden_examples, heldout_set

    cases = golden_examples()
    assert [c.name for c in cases] == [f"case_{i}" for i in range(5)]
    heldout_pixels, _ = heldout_set()
    for case in cases:
        pixels = case.raw_inputs["image"]
        assert pixels.dtype == np.uint8
        assert pixels.shape == (8, 8, 4)
        assert (pixels[..., 3] == 255).all()
        assert (pixels[..., 0] == pixels[..., 1]).all() and (pixels[..., 1] == pixels[..., 2]).all()
        assert any(np.array_equal(pixels, candidate) for candidate in heldout_pixels)
    assert len({c.source for c in cases}) == len(cases)


def test_mobilenet_labels_are_torchvision_imagenet_categories() -> None:
    from torchvision.models import MobileNet_V2_Weights

    labels = (example_path("mobilenet_v2") / "labels.txt").read_text(encoding="utf-8").splitlines()
    assert labels == list(MobileNet_V2_Weights.IMAGENET1K_V1.meta["categories"])


@pytest.mark.slow
def test_mobilenet_recognises_the_cat_and_the_coffee() -> None:
    from sdkgen.examples.mobilenet_v2.evaluate import evaluate

    results = {entry["photo"]: entry for entry in evaluate(None)}
    assert results["chelsea"]["eager_top1_expected"] is True
    assert results["chelsea"]["eager_top5"][0]["label"] == "Egyptian cat"
    assert results["coffee"]["eager_top1_expected"] is True
    assert results["coffee"]["eager_top5"][0]["label"] == "espresso"


def test_mobilenet_golden_examples_are_full_size_rgba_photos() -> None:
    import skimage.data

    from sdkgen.examples.mobilenet_v2.data import PHOTOS, golden_examples

    cases = golden_examples()
    assert len(cases) >= 4
    for case, photo in zip(cases, PHOTOS, strict=True):
        pixels = case.raw_inputs["image"]
        assert pixels.dtype == np.uint8
        # the full photo: the resize to 224x224 is part of the golden contract
        assert pixels.shape == (*getattr(skimage.data, photo.loader)().shape[:2], 4)
        assert (pixels[..., 3] == 255).all()
        assert pixels[..., :3].std() > 10  # a photo, not a flat fill
    assert sum(c.raw_inputs["image"].shape[0] != c.raw_inputs["image"].shape[1] for c in cases) >= 3
    assert "chelsea" in cases[0].source


# torch.export warns about nn.GRU's internal weight list; the export itself is sound
@pytest.mark.filterwarnings("ignore:The tensor attributes:UserWarning")
@pytest.mark.parametrize("spec_path", ARCHITECTURE_SPECS, ids=lambda p: p.parent.name)
def test_architecture_matches_its_definition_and_exports(spec_path: Path) -> None:
    loaded = load_spec(spec_path)
    model = load_model(loaded)
    outputs = run_eager(model, model.example_inputs)
    assert len(outputs) == len(loaded.spec.outputs)
    for output_spec, value in zip(loaded.spec.outputs, outputs, strict=True):
        if output_spec.tensor is not None:
            assert list(value.shape) == output_spec.tensor.shape
        elif output_spec.classification is not None:
            assert value.size == len(loaded.labels[output_spec.name])
        # varies with the input: BatchNorm statistics of random-init models were re-estimated
        assert float(np.std(value)) > 1e-2
    torch.export.export(model.module, model.example_inputs)


def test_architectures_cover_distinct_cases() -> None:
    kinds = {p.parent.name: load_spec(p).spec for p in ARCHITECTURE_SPECS}
    assert len(kinds) >= 3
    assert any(len(s.outputs) > 1 for s in kinds.values())
    assert any(i.kind == "tensor" for s in kinds.values() for i in s.inputs)
    assert any(i.image is not None and i.image.layout == "nhwc" for s in kinds.values() for i in s.inputs)
