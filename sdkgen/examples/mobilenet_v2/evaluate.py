"""Top-5 of MobileNetV2 on the bundled photos, in eager PyTorch and, optionally, a built ``.pte``.

Run ``python -m sdkgen.examples.mobilenet_v2.evaluate [--pte build/mobilenet_v2/artifacts/...pte]``.
Prints one JSON document: per photo, the top-5 labels and probabilities of each runtime, whether
the top-1 is one of the expected classes (null when none is expected), and whether the ``.pte``
gives the same top-5 labels.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch

from sdkgen.codegen.context import ImageContext
from sdkgen.examples import example_image_context
from sdkgen.examples.mobilenet_v2.data import EvaluationImage, evaluation_images
from sdkgen.examples.mobilenet_v2.model import build_model
from sdkgen.features.classification import Classification, classify
from sdkgen.features.image import preprocess_image
from sdkgen.verify import run_pte

HERE = Path(__file__).resolve().parent
TOP_K = 5


def image_context() -> ImageContext:
    """The image pre-processing declared in this example's ``sdkgen.yaml`` (the only source)."""
    return example_image_context("mobilenet_v2")


def _top5(logits: np.ndarray, labels: tuple[str, ...]) -> list[Classification]:
    return classify(logits, labels, apply_softmax=True, k=TOP_K)


def _entry(results: list[Classification]) -> list[dict[str, object]]:
    return [{"label": c.label, "probability": round(c.probability, 4)} for c in results]


def evaluate(pte: Path | None) -> list[dict[str, object]]:
    labels = tuple((HERE / "labels.txt").read_text(encoding="utf-8").splitlines())
    context = image_context()
    images: list[EvaluationImage] = evaluation_images()
    inputs = [preprocess_image(image.rgba, context) for image in images]
    model = build_model()
    with torch.no_grad():
        eager = [model(torch.from_numpy(x)).numpy() for x in inputs]
    exported = run_pte(pte, [(x,) for x in inputs]) if pte is not None else None
    report: list[dict[str, object]] = []
    for position, image in enumerate(images):
        eager_top = _top5(eager[position], labels)
        entry: dict[str, object] = {
            "photo": image.name,
            "source": image.source,
            "expected_top1": [labels[i] for i in image.expected],
            # None when ImageNet has no class for the photo (nothing to be right about)
            "eager_top1_expected": eager_top[0].index in image.expected if image.expected else None,
            "eager_top5": _entry(eager_top),
        }
        if exported is not None:
            pte_top = _top5(exported[position][0], labels)
            entry["pte_top5"] = _entry(pte_top)
            entry["pte_same_top5_labels"] = [c.index for c in pte_top] == [c.index for c in eager_top]
        report.append(entry)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pte", type=Path, help="a .pte built from this example")
    arguments = parser.parse_args()
    torch.set_num_threads(1)
    print(json.dumps(evaluate(arguments.pte), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
