"""Every bad input gets a clear error and a documented exit code, and no build leaves damage.

Each case runs the real CLI in-process and records (case, first line of the message, exit code);
with ``SDKGEN_FAILURE_TABLE=path`` set, the session writes them as a Markdown table.
"""

from __future__ import annotations

import errno
import json
import os
import pickle
import re
import textwrap
from pathlib import Path

import pytest
import torch
import yaml
from click.testing import CliRunner

from sdkgen.cli import cli
from sdkgen.errors import OutputError
from sdkgen.examples import example_path

CASES: list[tuple[str, str, int]] = []

LINEAR = """
import torch

def build():
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
"""


def _project(tmp_path: Path, source: str = LINEAR, **overrides: object) -> Path:
    (tmp_path / "user_model.py").write_text(textwrap.dedent(source))
    document: dict = {
        "schema_version": 1, "name": "User Model",
        "model": {"callable": "user_model:build"},
        "inputs": [{"name": "x", "tensor": {"shape": [1, 4]}}],
        "outputs": [{"name": "y", "tensor": {}}],
        "platforms": {"android": {"package": "com.example.user"}},
    }
    document.update(overrides)
    path = tmp_path / "sdkgen.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True))
    return path


def _run(case: str, *args: str, cwd: Path | None = None) -> tuple[int, dict, str]:
    runner = CliRunner()
    if cwd is not None:
        previous = Path.cwd()
        os.chdir(cwd)
    try:
        result = runner.invoke(cli, [*args, "--json"])
    finally:
        if cwd is not None:
            os.chdir(previous)
    document = json.loads(result.stdout)
    message = document.get("error", {}).get("message", "")
    if document["status"] == "ok":
        warnings = [w for p in document.get("report", {}).get("platforms", []) for w in p.get("warnings", [])]
        message = f"(built) warning: {warnings[0]}" if warnings else "(built)"
    shown = " ⏎ ".join(line.strip() for line in message.splitlines())
    shown = re.sub(r"/tmp/pytest-of-[^/]+/pytest-\d+/[^/]+", "<tmp>", shown)
    CASES.append((case, shown[:260] + ("…" if len(shown) > 260 else ""), result.exit_code))
    return result.exit_code, document, result.stderr


def _build(case: str, spec: Path, tmp_path: Path, *extra: str) -> tuple[int, dict, str]:
    return _run(case, "build", str(spec), "--out", str(tmp_path / "out"), *extra)


def _assert_no_damage(tmp_path: Path) -> None:
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


# --- the definition --------------------------------------------------------------------------


def test_malformed_yaml(tmp_path: Path) -> None:
    spec = tmp_path / "sdkgen.yaml"
    spec.write_text("schema_version: 1\ninputs: [\n")
    code, document, _ = _build("malformed YAML", spec, tmp_path)
    assert code == 3
    assert "not valid YAML at line 3, column 1" in document["error"]["message"]


def test_unknown_key_with_suggestion(tmp_path: Path) -> None:
    spec = _project(tmp_path, platfroms={"android": {"package": "com.example.user"}})
    code, document, _ = _build("unknown key", spec, tmp_path)
    assert code == 3
    assert "platfroms: unknown field (did you mean 'platforms'?)" in document["error"]["message"]


def test_wrong_type(tmp_path: Path) -> None:
    spec = _project(tmp_path, inputs=[{"name": "x", "image": {"width": "eight", "height": 8}}])
    code, document, _ = _build("wrong type", spec, tmp_path)
    assert code == 3
    assert "inputs[0].image.width: Input should be a valid integer" in document["error"]["message"]


def test_missing_required_field(tmp_path: Path) -> None:
    spec = _project(tmp_path)
    document = yaml.safe_load(spec.read_text())
    del document["outputs"]
    spec.write_text(yaml.safe_dump(document))
    code, result, _ = _build("missing required field", spec, tmp_path)
    assert code == 3 and "outputs: required field is missing" in result["error"]["message"]


def test_image_size_differs_from_model_input(tmp_path: Path) -> None:
    source = """
    import torch

    def build():
        return torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(3 * 32 * 32, 3))
    """
    spec = _project(tmp_path, source, inputs=[{"name": "img", "image": {"width": 16, "height": 16}}])
    code, document, _ = _build("image size vs model input", spec, tmp_path)
    assert code == 4
    message = document["error"]["message"]
    assert "inputs: the model rejected inputs of the declared shapes ([1, 3, 16, 16] float32)" in message
    assert "mat1 and mat2 shapes cannot be multiplied" in message
    assert "site-packages" not in message  # points at user code or nowhere, never into torch
    _assert_no_damage(tmp_path)


def test_label_count_differs_from_output_size(tmp_path: Path) -> None:
    (tmp_path / "labels.txt").write_text("a\nb\n")
    spec = _project(tmp_path, outputs=[{"name": "y", "classification": {"labels": "labels.txt"}}])
    code, document, _ = _build("label count vs output size", spec, tmp_path)
    assert code == 3
    assert "outputs[0].classification.labels: 2 labels for an output of 3 values" in document["error"]["message"]


@pytest.mark.parametrize(
    ("case", "content", "message"),
    [
        ("labels file missing", None, "labels file"),
        ("labels file empty", b"\n", "is empty"),
        ("labels file with duplicates", b"a\nb\na\n", "repeats ['a']"),
        ("labels file not UTF-8", b"a\nb\n\xff\n", "is not UTF-8"),
    ],
)
def test_labels_file(case: str, content: bytes | None, message: str, tmp_path: Path) -> None:
    if content is not None:
        (tmp_path / "labels.txt").write_bytes(content)
    spec = _project(tmp_path, outputs=[{"name": "y", "classification": {"labels": "labels.txt"}}])
    code, document, _ = _build(case, spec, tmp_path)
    assert code == 3 and message in document["error"]["message"]
    assert document["error"]["message"].startswith(str(tmp_path)) or "outputs[0]" in document["error"]["message"]


def test_relative_paths_resolve_against_the_definition(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "labels.txt").write_text("a\nb\nc\n")
    spec = _project(project, outputs=[{"name": "y", "classification": {"labels": "labels.txt"}}])
    code, _, stderr = _run("relative paths (run from another folder)", "validate", str(spec),
                                  cwd=tmp_path)
    assert code == 0, stderr


def test_output_escaping_the_folder_is_refused(tmp_path: Path) -> None:
    spec = _project(tmp_path)
    code, document, _ = _run("output path escaping the folder", "build", str(spec), "--out",
                             "../../etc/sdkgen", cwd=tmp_path)
    assert code == 2 and "--out ../../etc/sdkgen leaves the current folder" in document["error"]["message"]


def test_identifier_collision(tmp_path: Path) -> None:
    spec = _project(tmp_path, outputs=[{"name": "my-output", "tensor": {}},
                                       {"name": "my_output", "tensor": {}}])
    code, document, _ = _build("names colliding after sanitizing", spec, tmp_path)
    assert code == 3
    assert "'my_output' and 'my-output' both become the feature name 'my_output'" in document["error"]["message"]


# --- the model -------------------------------------------------------------------------------


def test_callable_module_not_found(tmp_path: Path) -> None:
    spec = _project(tmp_path, model={"callable": "no_such_module:build"})
    code, document, _ = _build("callable module not found", spec, tmp_path)
    assert code == 4
    assert "cannot import module 'no_such_module': ModuleNotFoundError" in document["error"]["message"]


def test_callable_import_error_shows_original(tmp_path: Path) -> None:
    spec = _project(tmp_path, "import torch\nimport not_installed_dependency\n")
    code, document, _ = _build("import error inside the module", spec, tmp_path)
    assert code == 4
    assert "No module named 'not_installed_dependency'" in document["error"]["message"]
    assert "user_model.py:2" in document["error"]["message"]


def test_callable_attribute_missing(tmp_path: Path) -> None:
    spec = _project(tmp_path, model={"callable": "user_model:bild"})
    code, document, _ = _build("callable not found in module", spec, tmp_path)
    assert code == 4 and "module 'user_model' has no attribute 'bild'" in document["error"]["message"]


def test_callable_raises(tmp_path: Path) -> None:
    spec = _project(tmp_path, "def build():\n    raise RuntimeError('no GPU here')\n")
    code, document, _ = _build("callable raises", spec, tmp_path)
    assert code == 4
    assert "user_model:build() raised RuntimeError: no GPU here (at " in document["error"]["message"]


def test_weights_missing(tmp_path: Path) -> None:
    spec = _project(tmp_path, model={"callable": "user_model:build", "weights": "w.pt"})
    code, document, _ = _build("weights file missing", spec, tmp_path)
    assert code == 3 and "model.weights: file" in document["error"]["message"]


def test_weights_not_a_state_dict(tmp_path: Path) -> None:
    torch.save(torch.zeros(3), tmp_path / "w.pt")
    spec = _project(tmp_path, model={"callable": "user_model:build", "weights": "w.pt"})
    code, document, _ = _build("weights not a state_dict", spec, tmp_path)
    assert code == 4 and "holds a Tensor, not a state_dict" in document["error"]["message"]


def test_weights_mismatched_keys(tmp_path: Path) -> None:
    torch.save({"0.weight": torch.zeros(8, 4), "extra.bias": torch.zeros(1)}, tmp_path / "w.pt")
    spec = _project(tmp_path, model={"callable": "user_model:build", "weights": "w.pt"})
    code, document, _ = _build("weights with mismatched keys", spec, tmp_path)
    message = document["error"]["message"]
    assert code == 4
    assert "missing from the file: 0.bias, 2.weight, 2.bias" in message
    assert "not in the model: extra.bias" in message


class _Unsafe:
    def __reduce__(self):
        return (print, ("this would run code",))


def test_weights_needing_unsafe_unpickling(tmp_path: Path) -> None:
    with (tmp_path / "w.pt").open("wb") as handle:
        pickle.dump({"0.weight": _Unsafe()}, handle)
    spec = _project(tmp_path, model={"callable": "user_model:build", "weights": "w.pt"})
    code, document, _ = _build("pickle needing unsafe loading", spec, tmp_path)
    assert code == 4
    assert "holds pickled objects that only unsafe loading can read, so sdkgen refuses it" in document["error"]["message"]
    assert "weights_only" in document["error"]["hint"]


def test_output_count_differs(tmp_path: Path) -> None:
    spec = _project(tmp_path, outputs=[{"name": "a", "tensor": {}}, {"name": "b", "tensor": {}}])
    code, document, _ = _build("output count differs", spec, tmp_path)
    assert code == 3
    assert "outputs: the model returns 1 tensors, the definition declares 2 (a, b)" in document["error"]["message"]


def test_output_shape_differs(tmp_path: Path) -> None:
    spec = _project(tmp_path, outputs=[{"name": "y", "tensor": {"shape": [1, 5]}}])
    code, document, _ = _build("output shape differs", spec, tmp_path)
    assert code == 3
    assert "outputs[0].tensor.shape: declared [1, 5], the model returns [1, 3]" in document["error"]["message"]


BRANCHY = """
import torch

class Branchy(torch.nn.Module):
    def forward(self, x):
        if x.sum() > 0:
            return x * 2
        return x - 1

def build():
    return Branchy()
"""


def test_data_dependent_control_flow(tmp_path: Path) -> None:
    spec = _project(tmp_path, BRANCHY, outputs=[{"name": "y", "tensor": {}}])
    code, document, _ = _build("data-dependent control flow", spec, tmp_path)
    assert code == 5
    assert "data-dependent control flow) at" in document["error"]["message"]
    assert "user_model.py:6" in document["error"]["message"]
    assert "torch.cond" in document["error"]["hint"]
    _assert_no_damage(tmp_path)


TRUNC = """
import torch

class Truncate(torch.nn.Module):
    def forward(self, x):
        return torch.trunc(x * 3)

def build():
    return Truncate()
"""


def test_op_left_outside_xnnpack_is_a_warning(tmp_path: Path) -> None:
    spec = _project(tmp_path, TRUNC, outputs=[{"name": "y", "tensor": {}}])
    code, document, _ = _build("op left on the portable path", spec, tmp_path, "--platform", "android")
    assert code == 0
    android = document["report"]["platforms"][0]
    assert android["artifact"]["ops_outside_delegate"] == {"aten.trunc.default": 1}
    assert "aten.trunc.default" in android["warnings"][0]


def test_op_core_ml_cannot_convert_gives_partial_build(tmp_path: Path) -> None:
    spec = _project(tmp_path, TRUNC, outputs=[{"name": "y", "tensor": {}}])
    code, document, _ = _build("op Core ML cannot convert (--platform all)", spec, tmp_path)
    assert code == 9 and document["status"] == "partial"
    assert "failed: ios: Core ML conversion failed on every route: unsupported op 'trunc'" in document["error"]["message"]
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert [(p["platform"], p["status"]) for p in report["platforms"]] == [("android", "built"), ("ios", "failed")]
    assert (tmp_path / "out" / "android" / "settings.gradle.kts").is_file()
    assert not (tmp_path / "out" / "ios").exists()


def test_op_core_ml_cannot_convert_alone(tmp_path: Path) -> None:
    spec = _project(tmp_path, TRUNC, outputs=[{"name": "y", "tensor": {}}])
    code, document, _ = _build("op Core ML cannot convert (--platform ios)", spec, tmp_path, "--platform", "ios")
    assert code == 5 and "unsupported op 'trunc'" in document["error"]["message"]
    _assert_no_damage(tmp_path)


# --- numerics --------------------------------------------------------------------------------


def test_parity_beyond_tolerance(tmp_path: Path) -> None:
    spec = _project(tmp_path, validation={"default": {"max_abs_error": 0.0, "max_relative_l2_error": 0.0}})
    code, document, _ = _build("parity beyond tolerance", spec, tmp_path, "--platform", "android")
    assert code == 6
    assert "disagrees with eager PyTorch over 6 inputs" in document["error"]["message"]
    assert "y: max abs error" in document["error"]["message"]
    _assert_no_damage(tmp_path)


NAN = """
import torch

class Sqrt(torch.nn.Module):
    def forward(self, x):
        return torch.sqrt(x - 10.0)

def build():
    return Sqrt()
"""


def test_nan_outputs_are_detected(tmp_path: Path) -> None:
    spec = _project(tmp_path, NAN, outputs=[{"name": "y", "tensor": {}}])
    code, document, _ = _build("NaN/Inf in outputs", spec, tmp_path, "--platform", "android")
    assert code == 6
    assert "y: 24 NaN/Inf values in the artifact's output" in document["error"]["message"]


HUGE = """
import torch

class Huge(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.scale = torch.nn.Linear(4, 4)
        torch.nn.init.constant_(self.scale.weight, 1e5)

    def forward(self, x):
        return self.scale(x) * 1e-4

def build():
    return Huge()
"""


def test_float16_overflow_warns(tmp_path: Path) -> None:
    spec = _project(tmp_path, HUGE, outputs=[{"name": "y", "tensor": {}}])
    code, document, _ = _build("float16 overflow on Core ML", spec, tmp_path, "--platform", "ios")
    assert code == 0
    (ios,) = document["report"]["platforms"]
    assert "beyond float16's largest value 65504" in ios["warnings"][-1]
    assert "in 'scale'" in ios["warnings"][-1]
    assert "precision: float32" in ios["warnings"][-1]


# --- the file system -------------------------------------------------------------------------


def test_existing_output_without_and_with_force(tmp_path: Path) -> None:
    spec = _project(tmp_path)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "old.txt").write_text("old")
    code, document, _ = _build("output folder exists", spec, tmp_path, "--platform", "android")
    assert code == 8 and "already exists" in document["error"]["message"]
    assert (tmp_path / "out" / "old.txt").exists()
    code, _, _ = _build("output folder exists, --force", spec, tmp_path, "--platform", "android", "--force")
    assert code == 0
    assert not (tmp_path / "out" / "old.txt").exists() and (tmp_path / "out" / "report.json").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def test_output_parent_not_writable(tmp_path: Path) -> None:
    spec = _project(tmp_path)
    (tmp_path / "a-file").write_text("")
    code, document, _ = _run("output folder not writable", "build", str(spec), "--out",
                             str(tmp_path / "a-file" / "out"))
    assert code == 8 and "a-file is a file, not a folder" in document["error"]["message"]


def test_disk_full_midway_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sdkgen import report

    def full(*_: object, **__: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "report.json")

    monkeypatch.setattr(report, "write_report", full)
    spec = _project(tmp_path)
    code, document, _ = _build("disk full midway", spec, tmp_path, "--platform", "android")
    assert code == 8
    assert "writing the build failed: No space left on device (report.json)" in document["error"]["message"]
    _assert_no_damage(tmp_path)


def test_concurrent_build_is_refused(tmp_path: Path) -> None:
    from filelock import FileLock

    spec = _project(tmp_path)
    with FileLock(str(tmp_path / ".out.lock")):
        code, document, _ = _build("another build writing the same folder", spec, tmp_path)
    assert code == 8 and "another sdkgen build is writing" in document["error"]["message"]


def test_failure_table_has_every_case() -> None:
    """Runs last (file order): every case above recorded one row."""
    assert len(CASES) >= 30
    assert all(code in {0, 2, 3, 4, 5, 6, 8, 9} for _, _, code in CASES)
    target = os.environ.get("SDKGEN_FAILURE_TABLE")
    if target:
        rows = ["| case | message (first line) | exit code |", "|---|---|---|"]
        rows += [f"| {case} | {message.replace('|', '/')} | {code} |" for case, message, code in CASES]
        Path(target).write_text("\n".join(rows) + "\n")


def test_example_path_unknown() -> None:
    with pytest.raises(ValueError, match="unknown example"):
        example_path("nope")
    assert OutputError.exit_code == 8
