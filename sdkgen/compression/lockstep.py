"""Run a graph module over many samples in lock-step, node by node, with hooks around each node.

Layer-wise calibration methods (bias correction, GPTQ weight rounding) need, at one conv/linear
node, that node's inputs (or outputs) for *every* sample, computed with every earlier layer
already adjusted, before later nodes run. Running the samples one after another through the
whole graph once per layer costs a forward pass per layer; here every sample advances one node
at a time, so one pass serves all layers. Values no later node reads are freed as soon as their
last reader ran.

Observers in a PT2E-prepared graph see each sample once, in sample order, exactly as in a plain
calibration loop over the samples.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

BeforeNode = Callable[[Any, list[dict[Any, Any]]], None]
AfterNode = Callable[[Any, list[Any]], list[Any]]


def run_in_lock_step(
    graph_module: Any, samples: Sequence[tuple[Any, ...]], *,
    before: BeforeNode | None = None, after: AfterNode | None = None,
) -> None:
    """Run every sample through ``graph_module`` together, one node at a time.

    ``before(node, environments)`` runs before ``node`` executes, with each sample's values so far
    (node → value); ``after(node, values)`` gets the node's value for every sample and returns the
    values later nodes see (the same list, or adjusted ones).
    """
    import torch
    from torch.fx import Interpreter

    interpreters = [Interpreter(graph_module) for _ in samples]
    for interpreter, sample in zip(interpreters, samples, strict=True):
        interpreter.args_iter = iter(sample)
        interpreter.env = {}
    nodes = list(graph_module.graph.nodes)
    last_use: dict[Any, Any] = {}
    for node in nodes:
        for source in node.all_input_nodes:
            last_use[source] = node
    with torch.no_grad():
        for node in nodes:
            if node.op == "output":
                break
            if before is not None:
                before(node, [interpreter.env for interpreter in interpreters])
            values = [interpreter.run_node(node) for interpreter in interpreters]
            if after is not None:
                values = after(node, values)
            for interpreter, value in zip(interpreters, values, strict=True):
                interpreter.env[node] = value
            for source in node.all_input_nodes:  # free what no later node reads
                if last_use.get(source) is node:
                    for interpreter in interpreters:
                        interpreter.env.pop(source, None)


def graph_attribute(graph_module: Any, target: str) -> Any:
    """The module attribute a ``get_attr``/``call_module`` node names (a dotted path)."""
    owner = graph_module
    *path, leaf = target.split(".")
    for part in path:
        owner = getattr(owner, part)
    return getattr(owner, leaf)
