"""RMSNorm and Hugging Face rotary embeddings written with operators XNNPACK takes into its delegate.

ExecuTorch's llama Transformer computes RMSNorm's mean square with ``mean(-1)`` and rotates half
of each head with slices and a concatenation along the last dimension. With a dynamic token count
XNNPACK's partitioner declines all three (its mean takes only the last two dimensions of a 4-D
tensor; its slice only static shapes), so every norm and every rotary embedding leaves the
delegate: each decoder layer is cut into several delegate calls with portable operators between
them, and at one token per call the fixed cost of each call and each operator is a large part of
the step (docs/text-generation.md, "Delegate calls").

The same functions, written with what the delegate does take:

- the mean square is a float linear of ``x·x`` with one output row of ``1/dim``;
- ``rotate_half(x)`` is ``x @ R`` with ``R`` the fixed ±1 permutation of the two halves (each output
  is one input times ±1 plus zeros: exact in float32); a partial rotary dimension becomes a
  rotation that is zero on the passed-through channels, and cos/sin are widened to the head's
  width by a linear with bias (1 for cos, 0 for sin on those channels).

Only the rounding of the mean square changes (a dot product instead of a sum divided by ``dim``).
"""

from __future__ import annotations

from typing import Any

from sdkgen.export.module_tree import child_slots


def rotate_half_matrix(rotary_dim: int, head_dim: int) -> Any:
    """``[head_dim, head_dim]`` float32: ``x @ R`` is Hugging Face's ``rotate_half`` on the first
    ``rotary_dim`` channels (``cat(−x2, x1)``) and zero on the rest."""
    import torch

    half = rotary_dim // 2
    rotation = torch.zeros(head_dim, head_dim, dtype=torch.float32)
    for column in range(half):
        rotation[column + half, column] = -1.0
        rotation[column, column + half] = 1.0
    return rotation


def _delegable_classes() -> tuple[type, type]:
    import torch
    from torch import nn

    class DelegableRMSNorm(nn.Module):
        """ExecuTorch's ``RMSNorm`` (same weight, epsilon and unit offset) with the mean square
        as a linear."""

        def __init__(self, norm: nn.Module) -> None:
            super().__init__()
            self.eps = float(norm.eps)
            self.add_unit_offset = bool(getattr(norm, "add_unit_offset", False))
            self.weight = norm.weight
            self.mean_square = nn.Linear(norm.dim, 1, bias=False)
            self.mean_square.weight = nn.Parameter(
                torch.full((1, norm.dim), 1.0 / norm.dim, dtype=torch.float32),
                requires_grad=False)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            x = x.float()
            normed = x * torch.rsqrt(self.mean_square(x * x) + self.eps)
            scale = 1.0 + self.weight.float() if self.add_unit_offset else self.weight.float()
            return normed * scale

    class DelegableRotary(nn.Module):
        """Hugging Face's ``apply_rotary_emb`` (q and k as ``[batch, tokens, heads, head_dim]``,
        cos/sin as ``[tokens, rotary_dim]``) with the rotation as a product."""

        def __init__(self, rotary_dim: int, head_dim: int) -> None:
            super().__init__()
            self.rotate = nn.Linear(head_dim, head_dim, bias=False)
            self.rotate.weight = nn.Parameter(rotate_half_matrix(rotary_dim, head_dim).T.contiguous(),
                                              requires_grad=False)
            self.widen: nn.ModuleDict | None = None
            if rotary_dim < head_dim:
                embed = torch.zeros(head_dim, rotary_dim, dtype=torch.float32)
                embed[torch.arange(rotary_dim), torch.arange(rotary_dim)] = 1.0
                self.widen = nn.ModuleDict({"cos": nn.Linear(rotary_dim, head_dim),
                                            "sin": nn.Linear(rotary_dim, head_dim)})
                for name, passed in (("cos", 1.0), ("sin", 0.0)):
                    layer = self.widen[name]
                    layer.weight = nn.Parameter(embed.clone(), requires_grad=False)
                    bias = torch.full((head_dim,), passed, dtype=torch.float32)
                    bias[:rotary_dim] = 0.0
                    layer.bias = nn.Parameter(bias, requires_grad=False)

        def forward(self, q: torch.Tensor, k: torch.Tensor, cos: torch.Tensor,
                    sin: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
            if self.widen is not None:
                cos, sin = self.widen["cos"](cos), self.widen["sin"](sin)
            cos, sin = cos.unsqueeze(1), sin.unsqueeze(1)
            return (q * cos + self.rotate(q) * sin, k * cos + self.rotate(k) * sin)

    return DelegableRMSNorm, DelegableRotary


def make_delegable(model: Any) -> dict[str, int]:
    """Swap ExecuTorch's ``RMSNorm`` modules and Hugging Face rotary embeddings of ``model`` for
    the delegable forms, in place. Returns how many of each were swapped."""
    from executorch.examples.models.llama.norm import RMSNorm
    from executorch.examples.models.llama.rope import Rope, hf_apply_rotary_emb

    delegable_norm, delegable_rotary = _delegable_classes()
    counts = {"norms": 0, "rotary": 0}
    for parent, name, _, child in child_slots(model):
        if type(child) is RMSNorm:
            setattr(parent, name, delegable_norm(child))
            counts["norms"] += 1
    for module in model.modules():
        if isinstance(module, Rope) and module.apply_rotary_emb is hf_apply_rotary_emb:
            head_dim = int(module.params.head_dim)
            rotary_dim = int(module.freqs_cos.shape[-1])
            module.apply_rotary_emb = delegable_rotary(rotary_dim, head_dim)
            counts["rotary"] += 1
    return counts
