"""Accuracy of a compressed variant against eager float PyTorch on the same evaluation samples."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

TOP_K = 5


@dataclass(frozen=True)
class Accuracy:
    """Figures over ``samples`` evaluation inputs (the first classification output, if any).

    - ``top1_agreement``: share of samples whose top-1 class equals eager float's top-1.
    - ``top5_agreement``: share whose eager top-1 class is among the variant's top 5.
    - ``top5_overlap``: mean share of eager's top-5 classes found in the variant's top 5.
    - ``accuracy``: share of correct top-1 against the labels (None without labels).
    - ``min_cosine_similarity``: of the raw outputs, worst sample (every output kind).
    - ``flips``: samples whose top-1 class differs from eager float's.
    - ``largest_flipped_margin``: the largest eager float *margin* (its top-1 minus its top-2
      score, in the output's own units) among the flipped samples: how close to a tie every
      changed answer was in float (None without flips).
    - ``samples_within_flipped_margin``: evaluation samples whose float margin is at most that
      one: the ones a quantization error of that size can change. Agreement is exact outside
      them (None without flips).
    """

    samples: int
    top1_agreement: float | None
    top5_agreement: float | None
    top5_overlap: float | None
    accuracy: float | None
    min_cosine_similarity: float
    flips: int | None = None
    largest_flipped_margin: float | None = None
    samples_within_flipped_margin: int | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    a64, b64 = a.astype(np.float64).ravel(), b.astype(np.float64).ravel()
    norms = float(np.linalg.norm(a64) * np.linalg.norm(b64))
    return float(np.dot(a64, b64) / norms) if norms else float(np.array_equal(a64, b64))


def _top(values: np.ndarray, k: int) -> list[int]:
    flat = np.asarray(values, dtype=np.float64).ravel()
    return sorted(range(flat.size), key=lambda i: (-flat[i], i))[:k]


def _margin(values: np.ndarray, order: list[int]) -> float:
    """Top-1 minus top-2 score of ``values`` (``order``: its classes, best first)."""
    flat = np.asarray(values, dtype=np.float64).ravel()
    return float(flat[order[0]] - flat[order[1]]) if len(order) > 1 else float("inf")


def measure(
    reference: Sequence[np.ndarray], variant: Sequence[np.ndarray], *, classification: bool,
    labels: Sequence[int] | None,
) -> Accuracy:
    """Compare ``variant`` outputs with ``reference`` (eager float) outputs, sample by sample."""
    if len(reference) != len(variant):
        raise ValueError(f"{len(reference)} reference outputs but {len(variant)} variant outputs")
    cosine = min(_cosine(r, v) for r, v in zip(reference, variant, strict=True))
    if not classification:
        return Accuracy(len(reference), None, None, None, None, round(cosine, 6))
    top1 = top5 = overlap = correct = 0.0
    margins, flipped_margins = [], []
    for index, (want, got) in enumerate(zip(reference, variant, strict=True)):
        want_top, got_top = _top(want, TOP_K), _top(got, TOP_K)
        margin = _margin(want, want_top)
        margins.append(margin)
        top1 += want_top[0] == got_top[0]
        if want_top[0] != got_top[0]:
            flipped_margins.append(margin)
        top5 += want_top[0] in got_top
        overlap += len(set(want_top) & set(got_top)) / len(want_top)
        if labels is not None:
            correct += got_top[0] == labels[index]
    count = len(reference)
    return Accuracy(
        samples=count,
        top1_agreement=round(top1 / count, 6),
        top5_agreement=round(top5 / count, 6),
        top5_overlap=round(overlap / count, 6),
        accuracy=round(correct / count, 6) if labels is not None else None,
        min_cosine_similarity=round(cosine, 6),
        flips=len(flipped_margins),
        largest_flipped_margin=round(max(flipped_margins), 6) if flipped_margins else None,
        samples_within_flipped_margin=(sum(m <= max(flipped_margins) for m in margins)
                                       if flipped_margins else None),
    )


def flips_cell(accuracy: dict[str, Any]) -> str:
    """A table cell for an :class:`Accuracy` JSON: ``flips (≤ largest flipped margin, samples
    within it)``, ``0``, or ``—`` when top-1 does not apply."""
    flips = accuracy.get("flips")
    if flips is None:
        return "—"
    if not flips:
        return "0"
    return (f"{flips} (≤ {accuracy['largest_flipped_margin']:.3f}, "
            f"{accuracy['samples_within_flipped_margin']})")


def budget_failures(
    variant: Accuracy, float_accuracy: float | None, *, max_top1_agreement_drop: float,
    max_accuracy_drop: float,
) -> list[str]:
    """Why ``variant`` is over the accuracy budget (empty when within it)."""
    failures = []
    if variant.top1_agreement is not None and 1 - variant.top1_agreement > max_top1_agreement_drop + 1e-9:
        failures.append(
            f"top-1 agreement with eager float {variant.top1_agreement:.4f} over {variant.samples} "
            f"samples: drop {1 - variant.top1_agreement:.4f} > budget {max_top1_agreement_drop:.4f}"
        )
    if variant.accuracy is not None and float_accuracy is not None:
        drop = float_accuracy - variant.accuracy
        if drop > max_accuracy_drop + 1e-9:
            failures.append(
                f"accuracy {variant.accuracy:.4f} vs float {float_accuracy:.4f}: drop {drop:.4f} > "
                f"budget {max_accuracy_drop:.4f}"
            )
    return failures
