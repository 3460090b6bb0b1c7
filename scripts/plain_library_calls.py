"""The anchor for build-time figures: what a build of the MobileNetV2 example costs in plain calls.

The same work `sdkgen build --platform all` does for the example, written as one sequential script
with the libraries alone: load the model, torch.export + XNNPACK lowering to a .pte, 8 verification
runs of the .pte against eager, Core ML conversion (fp16 ML Program) and save. Used side by side
with sdkgen in one `hyperfine` run (see README, "Build times").

    python scripts/plain_library_calls.py OUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(out_dir: Path) -> None:
    import coremltools as ct
    import numpy as np
    import torch
    from executorch.backends.xnnpack.partition.xnnpack_partitioner import XnnpackPartitioner
    from executorch.exir import to_edge_transform_and_lower
    from executorch.runtime import Runtime

    from sdkgen.examples.mobilenet_v2.model import build_model

    out_dir.mkdir(parents=True, exist_ok=True)
    module = build_model().eval()
    example = (torch.randn(1, 3, 224, 224),)
    program = torch.export.export(module, example, strict=False)
    edge = to_edge_transform_and_lower(program, partitioner=[XnnpackPartitioner()])
    pte = out_dir / "model.pte"
    pte.write_bytes(edge.to_executorch().buffer)
    method = Runtime.get().load_program(pte).load_method("forward")
    generator = torch.Generator().manual_seed(0)
    for _ in range(8):
        x = torch.randn(1, 3, 224, 224, generator=generator)
        with torch.no_grad():
            want = module(x).numpy()
        got = method.execute([x])[0].numpy()
        assert np.abs(got - want).max() < 1e-3
    mlmodel = ct.convert(
        torch.export.export(module, example, strict=False).run_decompositions({}),
        inputs=[ct.TensorType(name="image", shape=(1, 3, 224, 224), dtype=np.float32)],
        outputs=[ct.TensorType(name="logits", dtype=np.float32)],
        convert_to="mlprogram", compute_precision=ct.precision.FLOAT16,
        minimum_deployment_target=ct.target.iOS17,
    )
    mlmodel.save(str(out_dir / "model.mlpackage"))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
