"""Plans and golden vectors of the two tiny text models (tests/architectures/text_embedding), for the
platform checks: the real plan and eager outputs, without the export (the trees get a stand-in
artifact), so the Android and iOS sessions render text trees in seconds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sdkgen.codegen.context import SdkContext

FOLDER = Path(__file__).parent / "architectures" / "text_embedding"
TEXT_DEFINITIONS = {"text_encoder": FOLDER / "sdkgen.yaml", "text_classifier": FOLDER / "classifier.yaml"}


@dataclass(frozen=True)
class TextGolden:
    sdk: SdkContext
    golden: Path  # the golden folder (manifest, tensors, text/)


def text_golden(name: str, out: Path) -> TextGolden:
    """The plan of the text definition ``name`` with its golden vectors written into ``out``."""
    import torch

    from sdkgen import golden, loading
    from sdkgen.examples_source import raw_cases
    from sdkgen.plan import make_plan, with_cases, with_output_shapes
    from sdkgen.spec import load_spec

    loaded = load_spec(TEXT_DEFINITIONS[name])
    plan = make_plan(loaded)
    model = loading.load_model(loaded)
    probe = loading.run_eager(model, model.example_inputs)
    raw = raw_cases(loaded, plan)
    plan = with_cases(with_output_shapes(plan, [tuple(o.shape) for o in probe]),
                      tuple(c.name for c in raw))
    cases = []
    for case in raw:
        tensors = golden.preprocess(plan, case)
        outputs = loading.run_eager(model, tuple(torch.from_numpy(tensors[f])
                                                 for f in plan.feature_names[0]))
        cases.append(golden.GoldenCase(case.name, case.source, case.raw_inputs, tensors,
                                       {o.feature_name: v for o, v in zip(plan.outputs, outputs,
                                                                          strict=True)}))
    golden.write_golden(out, plan, cases)
    return TextGolden(sdk=plan, golden=out)
