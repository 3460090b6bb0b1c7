"""Held-out accuracy of the digit classifier in eager PyTorch and, optionally, in a built ``.pte``.

Run ``python -m sdkgen.examples.digits.evaluate [--pte build/digit_classifier/artifacts/...pte]``.
Prints one JSON document: accuracy per runtime, and how often the ``.pte`` agrees with eager.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch

from sdkgen.examples.digits import data
from sdkgen.examples.digits.model import build_model
from sdkgen.examples.digits.train import HERE, image_context, model_inputs
from sdkgen.verify import run_pte


def eager_predictions(inputs: torch.Tensor) -> np.ndarray:
    """Top-1 class of each input with the committed weights."""
    model = build_model()
    model.load_state_dict(torch.load(HERE / "weights.pt", map_location="cpu", weights_only=True))
    model.eval()
    with torch.no_grad():
        return model(inputs).argmax(dim=1).numpy()


def pte_predictions(pte: Path, inputs: torch.Tensor) -> np.ndarray:
    """Top-1 class of each input from the ``.pte`` (batch 1, as exported)."""
    outputs = run_pte(pte, [(x[None].numpy(),) for x in inputs])
    return np.asarray([int(np.argmax(o[0])) for o in outputs])


def evaluate(pte: Path | None) -> dict[str, object]:
    pixels, labels = data.heldout_set()
    inputs = model_inputs(pixels, image_context())
    eager = eager_predictions(inputs)
    result: dict[str, object] = {
        "split": data.SPLIT_DESCRIPTION,
        "samples": int(labels.size),
        "eager_accuracy": float(np.mean(eager == labels)),
    }
    if pte is not None:
        exported = pte_predictions(pte, inputs)
        result["pte"] = pte.name
        result["pte_accuracy"] = float(np.mean(exported == labels))
        result["pte_eager_top1_agreement"] = float(np.mean(exported == eager))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pte", type=Path, help="a .pte built from this example")
    arguments = parser.parse_args()
    torch.set_num_threads(1)
    print(json.dumps(evaluate(arguments.pte), indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
