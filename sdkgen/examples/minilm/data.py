"""Golden examples of the MiniLM example: real sentences, a few on the same topics, so their
similarity ranking means something (also in the report and the generated tests)."""

from __future__ import annotations

import numpy as np

from sdkgen.golden import RawCase

SENTENCES: tuple[str, ...] = (
    "The dentist appointment moved to Thursday at 3 pm.",
    "When is my next visit to the dentist?",
    "Buy milk, eggs and bread on the way home.",
    "We are out of groceries, pick some up after work.",
    "The night train to Vienna leaves at 22:40 from platform 4.",
    "A cat sleeps on the warm windowsill in the afternoon sun.",
    "Café au lait, crème brûlée and a croissant — naïve délices!",
    "人工智能正在改变世界。",
)


def golden_examples() -> list[RawCase]:
    return [RawCase(name=f"sentence_{index}", source="hand-written sentence",
                    raw_inputs={"text": np.asarray(text)})
            for index, text in enumerate(SENTENCES)]
