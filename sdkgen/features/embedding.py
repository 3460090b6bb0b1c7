"""The ``embedding`` output kind: hidden states pooled into one vector, optionally L2-normalised.

The reference below is the recipe the generated Kotlin and Swift mirror (docs/golden-format.md),
the one sentence-transformers uses:

- ``mean``: the output is ``[1, tokens, width]``; ``sum(mask[t] * h[t]) / max(sum(mask), 1e-9)``
  over the tokens, with ``mask`` the model input named by ``mask`` (the attention mask);
- ``cls``: the first token's vector, ``h[0]``;
- ``none``: the output already is the vector (``[1, width]`` or ``[width]``);

then, with ``normalize``, ``v / max(‖v‖₂, 1e-12)``. Sums run token by token, then dimension by
dimension, in float64; the result is stored as float32.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from pydantic import Field

from sdkgen.codegen.context import EmbeddingContext
from sdkgen.errors import SpecError
from sdkgen.features.base import OutputKind, register_output_kind
from sdkgen.features.classification import shortest_float32
from sdkgen.features.schema import Strict

if TYPE_CHECKING:
    from sdkgen.codegen.context import OutputContext

MEAN_DENOMINATOR_MIN = 1e-9  # sentence-transformers' clamp of the token count
NORM_MIN = 1e-12  # torch.nn.functional.normalize's eps


class EmbeddingOutput(Strict):
    """A vector that represents the input (sentence embeddings), compared by cosine similarity."""

    pooling: Literal["mean", "cls", "none"] = Field(
        "mean", description="mean: average the token vectors where the attention mask is 1; "
        "cls: the first token's vector; none: the output already is one vector."
    )
    normalize: bool = Field(True, description="Divide by the L2 norm (unit-length embeddings).")
    mask: str = Field(
        "attention_mask", description="mean pooling: the model input (feature name) holding the "
        "attention mask, usually attention_mask fed by a text input."
    )


def pool(hidden: np.ndarray, mask: np.ndarray | None, pooling: str, normalize: bool) -> np.ndarray:
    """The reference embedding of one output tensor (batch 1), float32 ``[width]``."""
    values = np.asarray(hidden, dtype=np.float64)
    if pooling == "none":
        vector = values.reshape(-1)
    else:
        tokens = values.reshape(values.shape[-2], values.shape[-1])
        if pooling == "cls":
            vector = tokens[0].copy()
        else:
            if mask is None:
                raise ValueError("mean pooling needs the attention mask")
            weights = np.asarray(mask, dtype=np.float64).reshape(-1)
            if weights.size != tokens.shape[0]:
                raise ValueError(f"a mask of {weights.size} values for {tokens.shape[0]} tokens")
            total = np.zeros(tokens.shape[1], dtype=np.float64)
            for index in range(tokens.shape[0]):  # token by token, like Kotlin and Swift
                if weights[index] != 0:
                    total += tokens[index] * weights[index]
            count = 0.0
            for weight in weights:
                count += float(weight)
            vector = total / max(count, MEAN_DENOMINATOR_MIN)
    if normalize:
        squares = 0.0
        for value in vector:
            squares += float(value) * float(value)
        vector = vector / max(float(np.sqrt(squares)), NORM_MIN)
    return vector.astype(np.float32)


def cosine_similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine similarity of two embeddings, in float64 (0 when either is all zeros)."""
    a64, b64 = np.asarray(a, np.float64).ravel(), np.asarray(b, np.float64).ravel()
    norms = float(np.linalg.norm(a64) * np.linalg.norm(b64))
    return 0.0 if norms == 0 else float(np.dot(a64, b64) / norms)


def similarity_ranking(embeddings: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """For each case, the other cases by cosine similarity of their embeddings, most similar
    first (ties in case order): what semantic search over the golden cases returns."""
    names = list(embeddings)
    vectors = {name: np.asarray(embeddings[name], dtype=np.float32) for name in names}
    ranking = {}
    for query in names:
        scored = [(cosine_similarity(vectors[query], vectors[other]), index, other)
                  for index, other in enumerate(names) if other != query]
        scored.sort(key=lambda entry: (-entry[0], entry[1]))
        ranking[query] = [{"case": other, "cosine": shortest_float32(score)}
                          for score, _, other in scored]
    return ranking


class EmbeddingKind(OutputKind):
    name = "embedding"
    description = "hidden states, pooled into an embedding"
    decoded_cosine = True

    def context(self, declared: EmbeddingOutput, labels: tuple[str, ...] | None) -> EmbeddingContext:
        return EmbeddingContext(pooling=declared.pooling, normalize=declared.normalize,
                                mask=declared.mask if declared.pooling == "mean" else None)

    def check_inputs(self, declared: EmbeddingOutput, input_features: tuple[str, ...],
                     field: str) -> None:
        if declared.pooling == "mean" and declared.mask not in input_features:
            raise SpecError(
                f"mean pooling reads the attention mask from the input {declared.mask!r}, which "
                f"the model does not take (inputs: {', '.join(input_features)})",
                field=f"{field}.embedding.mask",
                hint="feed attention_mask from the text input (inputs[].text.feeds), or use "
                "pooling: cls / none",
            )

    def check_eager(self, value: np.ndarray, declared: EmbeddingOutput,
                    labels: tuple[str, ...] | None, field: str) -> None:
        if declared.pooling != "none" and (value.ndim != 3 or value.shape[0] != 1):
            raise SpecError(
                f"{declared.pooling} pooling needs hidden states [1, tokens, width], the model "
                f"returns {list(value.shape)}", field=f"{field}.embedding.pooling",
                hint="return last_hidden_state, or declare pooling: none for a pooled output",
            )

    def decode(self, tensor: np.ndarray, item: OutputContext,
               inputs: Mapping[str, np.ndarray] | None = None) -> list[float]:
        spec = item.embedding
        assert spec is not None
        mask = inputs[spec.mask] if spec.mask is not None and inputs is not None else None
        return [float(v) for v in pool(tensor, mask, spec.pooling, spec.normalize)]

    def decoded_entry(self, decoded: list[float]) -> list[float]:
        return [shortest_float32(value) for value in decoded]

    def cases_entry(self, item: OutputContext, decoded: Mapping[str, Any]) -> dict[str, Any]:
        return {"similarity": similarity_ranking(decoded)}

    def manifest_entry(self, item: OutputContext) -> dict[str, Any]:
        spec = item.embedding
        assert spec is not None
        return {"embedding": {"pooling": spec.pooling, "normalize": spec.normalize,
                              "mask": spec.mask}}

    def artifact_metadata(self, declared: EmbeddingOutput,
                          labels: tuple[str, ...] | None) -> str | None:
        return None


EMBEDDING = register_output_kind(EmbeddingKind())
