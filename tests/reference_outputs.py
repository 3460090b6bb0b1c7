"""Print the digest of an example's reference outputs on its golden cases (run in a subprocess).

``python tests/reference_outputs.py EXAMPLE`` prints one JSON line: the reference mode, the
SHA-256 of the float32 bytes of every golden case's outputs, and the same for plain float32 eager.
Torch reads ``ATEN_CPU_CAPABILITY`` and MKL reads ``MKL_CBWR`` once, at start-up: each setting
needs its own process.
"""

from __future__ import annotations

import hashlib
import json
import sys


def main(example: str) -> None:
    import torch

    from sdkgen import golden, loading
    from sdkgen.examples import example_path
    from sdkgen.examples_source import raw_cases
    from sdkgen.plan import make_plan, with_cases, with_output_shapes
    from sdkgen.reference import choose_reference
    from sdkgen.spec import load_spec
    from sdkgen.version import tool_versions

    loaded = load_spec(example_path(example) / "sdkgen.yaml")
    plan = make_plan(loaded, versions=tool_versions())
    model = loading.load_model(loaded)
    probe = loading.run_eager(model, model.example_inputs)
    reference = choose_reference(model, probe)
    raw = raw_cases(loaded, plan)
    sdk = with_cases(with_output_shapes(plan, [tuple(o.shape) for o in probe]),
                     tuple(c.name for c in raw))
    features = sdk.feature_names[0]
    ours, plain = hashlib.sha256(), hashlib.sha256()
    for case in raw:
        tensors = golden.preprocess(sdk, case)
        inputs = tuple(torch.from_numpy(tensors[f]) for f in features)
        for output in reference.run(inputs):
            ours.update(output.tobytes())
        for output in loading.run_eager(model, inputs):
            plain.update(output.tobytes())
    print(json.dumps({"mode": reference.mode, "reference": ours.hexdigest(),
                      "float32_eager": plain.hexdigest(), "threads": torch.get_num_threads(),
                      "capability": torch.backends.cpu.get_cpu_capability()}))


if __name__ == "__main__":
    main(sys.argv[1])
