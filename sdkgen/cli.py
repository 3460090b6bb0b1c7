"""The command line: a thin layer over the Python API. Logs go to stderr; ``--json`` to stdout."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from sdkgen.errors import PartialBuildError, SdkgenError, UsageError
from sdkgen.examples import EXAMPLES
from sdkgen.interrupts import delivered

_EXAMPLE_LIST = f"{', '.join(EXAMPLES[:-1])} or {EXAMPLES[-1]}"
JSON_SCHEMA_VERSION = 1
INTERNAL_ERROR = 70  # EX_SOFTWARE
PLATFORM_CHOICES = {"android": ("android",), "ios": ("ios",), "all": ("android", "ios")}


def _emit_json(document: dict[str, Any]) -> None:
    click.echo(json.dumps({"schema_version": JSON_SCHEMA_VERSION, **document}, indent=2,
                          sort_keys=True, ensure_ascii=False))


def _progress(message: str) -> None:
    click.echo(f"sdkgen: {message}", err=True)


def _quiet_torch() -> None:
    """torch configures its own loggers on import; lower them after it is loaded."""
    import logging

    import torch._logging

    torch._logging.set_logs(all=logging.ERROR)


def _forget_interrupt() -> None:
    """Exit with 130 after a handled Ctrl-C, not by re-raising SIGINT.

    CPython marks an interrupt as unhandled when it escapes code an extension runs through
    ``PyRun_*`` (Cython module initialisers do), leaves the mark set even when Python code catches
    the ``KeyboardInterrupt`` further up, and then ends the process with SIGINT instead of the
    exit code. Running an empty statement through ``PyRun_SimpleString`` clears the mark.
    """
    import ctypes

    ctypes.pythonapi.PyRun_SimpleString(b"pass")


def _run(as_json: bool, traceback: bool, action: Callable[[], dict[str, Any]]) -> None:
    """Run a command; map SdkgenError to its exit code (the only place that does)."""
    try:
        document = action()
    except SdkgenError as error:
        if traceback:
            raise
        if as_json:
            _emit_json({"status": "partial" if isinstance(error, PartialBuildError) else "error",
                        "error": {"kind": error.kind, "message": error.message,
                                  "hint": error.hint, "exit_code": error.exit_code}})
        click.echo(f"error: {error}", err=True)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        delivered()
        click.echo("interrupted: nothing was written to the output folder", err=True)
        _forget_interrupt()
        sys.exit(130)
    except Exception as error:
        if traceback:
            raise
        if as_json:
            _emit_json({"status": "error", "error": {"kind": "internal", "message": repr(error),
                                                     "hint": None, "exit_code": INTERNAL_ERROR}})
        click.echo(f"internal error: {type(error).__name__}: {error}\n"
                   "  hint: rerun with --traceback and report it", err=True)
        sys.exit(INTERNAL_ERROR)
    if as_json:
        _emit_json({"status": "ok", **document})


json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
traceback_option = click.option("--traceback", is_flag=True, help="Show Python tracebacks of errors.")
verbose_option = click.option(
    "-v", "--verbose", is_flag=True,
    help="Also show, as it is written, the build log: what libraries and native code print.")
quiet_option = click.option("-q", "--quiet", is_flag=True, help="Print only errors.")


def _check_verbosity(verbose: bool, quiet: bool) -> None:
    if verbose and quiet:
        raise UsageError("--verbose and --quiet exclude each other")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sdkgen")
def cli() -> None:
    """Turn one PyTorch model into verified Android (ExecuTorch) and iOS (Core ML) SDKs."""


def _spec_path(spec: Path | None, example: str | None) -> Path:
    if example is not None:
        if spec is not None:
            raise UsageError("give a definition file or --example, not both")
        from sdkgen.examples import example_path

        try:
            return example_path(example) / "sdkgen.yaml"
        except ValueError as error:
            raise UsageError(f"--example: {error}") from None
    return spec or Path("sdkgen.yaml")


@cli.command()
@click.argument("spec", type=click.Path(path_type=Path), required=False)
@click.option("--example", help=f"Build a bundled example instead: {_EXAMPLE_LIST}.")
@click.option("--platform", "platform_choice", type=click.Choice(sorted(PLATFORM_CHOICES)),
              default="all", show_default=True, help="Which SDKs to build.")
@click.option("--out", type=click.Path(path_type=Path), help="Output folder [default: build/<name>].")
@click.option("--force", is_flag=True, help="Replace an existing output folder (atomically).")
@click.option("--compress", is_flag=True,
              help="Also build and measure the definition's compressed variants (compression:).")
@click.option("--no-cache", is_flag=True,
              help="Export everything again instead of reusing the build cache "
              "($SDKGEN_BUILD_CACHE, default ~/.cache/sdkgen/build-cache).")
@verbose_option
@quiet_option
@json_option
@traceback_option
def build(spec: Path | None, example: str | None, platform_choice: str, out: Path | None,
          force: bool, compress: bool, no_cache: bool, verbose: bool, quiet: bool, as_json: bool,
          traceback: bool) -> None:
    """Export, verify and generate the SDKs of a definition (default ./sdkgen.yaml).

    On a terminal, a live display shows each platform's stage; elsewhere one line per step. What
    libraries and native code print goes to <out>.build.log (beside <out>.timings.json).

    Exit codes: 0 built; 2 usage; 3 definition; 4 model loading; 5 export; 6 parity; 7 code
    generation; 8 output folder; 9 some platforms built, others failed.
    """
    def action() -> dict[str, Any]:
        from sdkgen.build_cache import BuildCache
        from sdkgen.pipeline import build as run_build
        from sdkgen.pipeline import build_log_path
        from sdkgen.terminal import build_display

        _check_verbosity(verbose, quiet)
        if out is not None and not out.is_absolute() and not out.resolve().is_relative_to(Path.cwd()):
            raise UsageError(
                f"--out {out} leaves the current folder",
                hint="give an absolute path if you really mean to write there",
            )

        with build_display(verbose=verbose, quiet=quiet) as reporter:
            result = run_build(_spec_path(spec, example), out_dir=out,
                               platforms=PLATFORM_CHOICES[platform_choice], force=force,
                               progress=reporter, compress=compress,
                               cache=None if no_cache else BuildCache())
        return {"out_dir": str(result.out_dir), "report": result.report,
                "timings_seconds": result.timings, "build_log": str(build_log_path(result.out_dir))}

    _run(as_json, traceback, action)


@cli.command()
@click.argument("spec", type=click.Path(path_type=Path), required=False)
@json_option
@traceback_option
def validate(spec: Path | None, as_json: bool, traceback: bool) -> None:
    """Check a definition without loading the model."""
    def action() -> dict[str, Any]:
        from sdkgen.plan import check_plan
        from sdkgen.spec import load_spec
        from sdkgen.tasks import task_for_definition

        loaded = load_spec(spec or Path("sdkgen.yaml"))
        own = task_for_definition(loaded)
        if own is not None and own.check is not None:
            warnings = own.check(loaded)
            for warning in warnings:
                _progress(f"warning: {warning}")
            _progress(f"{loaded.path}: valid (task {loaded.spec.task})")
            return {"spec": str(loaded.path), "spec_sha256": loaded.sha256, "warnings": warnings}
        check_plan(loaded)
        _progress(f"{loaded.path}: valid ({len(loaded.spec.inputs)} inputs, "
                  f"{len(loaded.spec.outputs)} outputs)")
        return {"spec": str(loaded.path), "spec_sha256": loaded.sha256}

    _run(as_json, traceback, action)


@cli.command()
@click.argument("artifact", type=click.Path(path_type=Path))
@json_option
@traceback_option
def inspect(artifact: Path, as_json: bool, traceback: bool) -> None:
    """Show the inputs, outputs, delegates, size and metadata of a .pte, .tflite or .mlpackage."""
    def action() -> dict[str, Any]:
        from sdkgen.inspection import inspect_artifact
        from sdkgen.output_capture import quiet_output

        with quiet_output():
            details = inspect_artifact(artifact)
        if not as_json:
            from rich.console import Console

            from sdkgen.inspect_view import print_inspection

            print_inspection(details, Console(file=sys.stdout, highlight=False))
        return {"artifact": details}

    _run(as_json, traceback, action)


@cli.command()
@click.option("--model", help="package.module:function returning an nn.Module.")
@click.option("--hf", "hf_dir", type=click.Path(path_type=Path, file_okay=False),
              help="A local Hugging Face model folder (config.json, weights, tokenizer.json) "
              "instead of --model: the task comes from its config.")
@click.option("--gguf", "gguf_file", type=click.Path(path_type=Path, dir_okay=False),
              help="A GGUF language model file (dequantised to float32 when built): task "
              "text-generation.")
@click.option("--weights", help="state_dict file (relative to the definition).")
@click.option("--input", "inputs", multiple=True,
              help="image:CxHxW, tensor:DIMS[:DTYPE] or text:TOKENS; repeat for several inputs.")
@click.option("--tokenizer", help="tokenizer.json of a text input (relative to the definition).")
@click.option("--max-length", type=click.IntRange(2, 8192), default=128, show_default=True,
              help="--hf: tokens per text.")
@click.option("--labels", help="Labels file: makes the output a classification.")
@click.option("--name", help="Display name [default: from the class name of the model].")
@click.option("--out", type=click.Path(path_type=Path), default=Path("sdkgen.yaml"),
              show_default=True)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.option("--dry", is_flag=True,
              help="Do not load or run the model (no torch needed); outputs are then a guess.")
@json_option
@traceback_option
def init(model: str | None, hf_dir: Path | None, gguf_file: Path | None, weights: str | None,
         inputs: tuple[str, ...], tokenizer: str | None, max_length: int, labels: str | None,
         name: str | None, out: Path, force: bool, dry: bool, as_json: bool,
         traceback: bool) -> None:
    """Write a complete, commented sdkgen.yaml (runs the model once to read its outputs).

    With --hf or --gguf the definition is written from the model's own files instead.
    """
    def action() -> dict[str, Any]:
        import yaml

        from sdkgen.init_spec import parse_input, render_init
        from sdkgen.spec import validate_spec

        if sum(x is not None for x in (model, hf_dir, gguf_file)) != 1:
            raise UsageError("give exactly one of --model, --hf or --gguf")
        if out.exists() and not force:
            raise UsageError(f"{out} exists", hint="pass --force to overwrite it")
        if hf_dir is not None:
            return _init_hf(hf_dir, out, name=name, max_length=max_length, force=force,
                            extra=[flag for flag, given in (("--weights", weights), ("--input", inputs),
                                   ("--tokenizer", tokenizer), ("--labels", labels), ("--dry", dry))
                                   if given])
        if gguf_file is not None:
            from sdkgen.llm.init import render_gguf

            _quiet_torch()
            out.write_text(render_gguf(gguf_file.resolve(), out.resolve(), name), encoding="utf-8")
            _progress(f"wrote {out}; next: sdkgen validate {out} && sdkgen build {out}")
            return {"written": str(out), "family": "text_generation", "model_run": False}
        assert model is not None
        arguments = [parse_input(i) for i in inputs]
        text = render_init(model=model, weights=weights, inputs=arguments, labels=labels,
                           name=name, tokenizer=tokenizer)
        validate_spec(yaml.safe_load(text), source=str(out))
        probe = None
        if not dry:
            from sdkgen.init_probe import probe_model
            from sdkgen.output_capture import quiet_output

            _progress(f"running {model} once on inputs of the declared shapes")
            with quiet_output():
                _quiet_torch()
                probe = probe_model(text, out.resolve(), labels=labels is not None)
            text = render_init(model=model, weights=weights, inputs=arguments, labels=labels,
                               name=name, probe=probe, tokenizer=tokenizer)
            validate_spec(yaml.safe_load(text), source=str(out))
        out.write_text(text, encoding="utf-8")
        _progress(f"wrote {out}; next: sdkgen validate {out} && sdkgen build {out}")
        document: dict[str, Any] = {"written": str(out), "model_run": probe is not None}
        if probe is not None:
            document["outputs"] = [{"name": o.name, "shape": list(o.shape), "dtype": o.dtype}
                                   for o in probe.outputs]
        return document

    _run(as_json, traceback, action)


def _init_hf(folder: Path, out: Path, *, name: str | None, max_length: int, force: bool,
             extra: list[str]) -> dict[str, Any]:
    """``init --hf``: the family the folder's config picks writes the definition and its files."""
    from sdkgen.hf_init import InitRequest, family_for, read_folder
    from sdkgen.spec import load_spec

    if extra:
        raise UsageError(f"{', '.join(extra)} do not apply to --hf: the folder says it all")
    hf = read_folder(folder)
    family = family_for(hf)
    written = family.write(InitRequest(folder=hf, out=out.resolve(), name=name, max_length=max_length))
    targets = {out.parent / relative: text for relative, text in written.files.items()}
    existing = [str(path) for path in targets if path.exists()]
    if existing and not force:
        raise UsageError(f"{', '.join(existing)} exist", hint="pass --force to overwrite them")
    for path, text in targets.items():
        path.write_text(text, encoding="utf-8")
    out.write_text(written.definition, encoding="utf-8")
    load_spec(out)  # the definition and the files it names are valid as written
    _progress(f"wrote {out} ({family.name}) and {', '.join(sorted(written.files))}; next: "
              f"sdkgen build {out}")
    return {"written": str(out), "family": family.name, "files": sorted(written.files),
            **written.summary}


@cli.command()
@click.argument("spec", type=click.Path(path_type=Path), required=False)
@click.option("--example", help=f"Benchmark a bundled example instead: {_EXAMPLE_LIST}.")
@click.option("--build", "build_dir", type=click.Path(path_type=Path),
              help="Build folder to measure [default: build/<name>]; built (with --compress) if missing.")
@click.option("--platform", "platform_choice", type=click.Choice(sorted(PLATFORM_CHOICES)),
              default="all", show_default=True, help="Which artifacts to measure.")
@click.option("--runs", type=click.IntRange(1),
              help="Timed runs per artifact [default: 30; a language model: 3 generations].")
@click.option("--warmup", type=click.IntRange(0),
              help="Untimed runs before timing [default: 5; a language model: 1].")
@click.option("--threads", type=click.IntRange(1), multiple=True,
              help="Thread count of ExecuTorch, LiteRT, llama.cpp and PyTorch; repeat (--threads 1 "
              "--threads 2) for latencies at several counts, each measured in a fresh process "
              "[default: 1; a language model: 1 and 2].")
@click.option("--prefill", type=click.IntRange(8), default=128, show_default=True,
              help="Language models: prompt tokens (a chat prompt rendered with the chat template).")
@click.option("--decode-tokens", type=click.IntRange(1), default=64, show_default=True,
              help="Language models: greedy tokens decoded after the first one, in every row.")
@click.option("--text-tokens", type=click.IntRange(16),
              help="Language models: tokens of the evaluation text scored teacher-forced "
              "[default: the definition's evaluation.text_tokens].")
@click.option("--plot", "plot_path", type=click.Path(path_type=Path),
              help="Write a PNG of size vs accuracy vs latency.")
@json_option
@traceback_option
def bench(spec: Path | None, example: str | None, build_dir: Path | None, platform_choice: str,
          runs: int | None, warmup: int | None, threads: tuple[int, ...], prefill: int,
          decode_tokens: int, text_tokens: int | None, plot_path: Path | None, as_json: bool,
          traceback: bool) -> None:
    """Measure load time, latency, planned memory, size and accuracy of every built artifact.

    A text-generation build: time to first token, prefill and decode tokens per second, peak
    resident memory, teacher-forced agreement and perplexity of eager PyTorch, every .pte and
    llama.cpp on the source GGUF (when installed), each row in its own process.

    Prints a Markdown table (stdout), or one JSON document with --json. Figures, not tests.
    """
    def action() -> dict[str, Any]:
        from sdkgen.bench import markdown_table, plot, run_bench, set_threads
        from sdkgen.codegen import naming
        from sdkgen.output_capture import quiet_output
        from sdkgen.spec import load_spec
        from sdkgen.tasks.base import BenchOptions, task_for_definition
        from sdkgen.terminal import build_display

        spec_path = _spec_path(spec, example)
        loaded = load_spec(spec_path)
        folder = build_dir or Path("build") / naming.snake_name(loaded.spec.name)
        platforms = PLATFORM_CHOICES[platform_choice]
        task = task_for_definition(loaded)
        if task is not None and task.bench is not None:
            options = BenchOptions(threads=tuple(dict.fromkeys(threads or (1, 2))),
                                   runs=runs or 3, warmup=1 if warmup is None else warmup,
                                   prefill=prefill, decode_tokens=decode_tokens,
                                   text_tokens=text_tokens)
            with build_display() as reporter, quiet_output():
                document, table = task.bench(spec_path, folder, options=options,
                                             progress=reporter)
            if not as_json:
                click.echo(table, nl=False)
            return {"bench": document}
        timed_runs = runs or 30
        warmup_runs = 5 if warmup is None else warmup
        counts = tuple(dict.fromkeys(threads or (1,)))  # in order, without repeats
        with build_display() as reporter, quiet_output():
            _quiet_torch()
            set_threads(counts[0])  # before any .pte is loaded, including by a build below
            if not (folder / "artifacts").is_dir():
                from sdkgen.pipeline import build as run_build

                reporter(f"{folder} has no build: building it (with --compress) first")
                run_build(spec_path, out_dir=folder, platforms=platforms, progress=reporter,
                          compress=load_spec(spec_path).spec.compression is not None)
            document = run_bench(spec_path, folder.resolve(), platforms=platforms, runs=timed_runs,
                                 warmup=warmup_runs, threads=counts[0], extra_threads=counts[1:],
                                 progress=reporter)
            if plot_path is not None:
                plot(document, plot_path)
                reporter(f"wrote {plot_path}")
        if not as_json:
            click.echo(markdown_table(document), nl=False)
        return {"bench": document}

    _run(as_json, traceback, action)


@cli.command()
@click.option("--task", type=click.Choice(["text-generation"]),
              help="The schema of a task with its own definition.")
def schema(task: str | None) -> None:
    """Print the JSON Schema of sdkgen.yaml (for editor completion)."""
    from sdkgen.spec import json_schema

    click.echo(json_schema(task), nl=False)


def _quiet_libraries() -> None:
    """No progress bars from libraries: coremltools' conversion bars would fill the build log.

    Library log records and warnings are not silenced here: commands that run the libraries
    capture them (:mod:`sdkgen.output_capture`), into the build log for ``build``.
    """
    import os

    os.environ.setdefault("TQDM_DISABLE", "1")


def main() -> None:
    """The ``sdkgen`` command. Once a command that loaded torch is done, the process ends without
    the seconds of unloading it (:mod:`sdkgen.process_exit`)."""
    from sdkgen.process_exit import exit_code, exit_without_teardown, loaded_heavy_modules

    _quiet_libraries()
    try:
        cli()
    except SystemExit as request:
        code = exit_code(request)
        if code is None or not loaded_heavy_modules():
            raise
        exit_without_teardown(code)


if __name__ == "__main__":
    main()
