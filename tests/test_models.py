"""The model registry and loading: names resolve, target modules exist, bad models are refused."""

import pytest
import torch
from peft import get_peft_model
from transformers import AutoModelForCausalLM, AutoTokenizer, Gemma3TextConfig, LlamaConfig, MistralConfig, Qwen2Config

from Utils import models as M
from Utils.train_args import RecipeArguments
from Utils.train_model import lora_config, missing_target_modules

TINY = dict(vocab_size=128, hidden_size=32, intermediate_size=64, num_hidden_layers=1, num_attention_heads=4,
            num_key_value_heads=2, max_position_embeddings=64)
FAMILY_CONFIGS = {"llama": LlamaConfig, "mistral": MistralConfig, "qwen2": Qwen2Config,
                  "gemma3_text": Gemma3TextConfig}


@pytest.mark.parametrize("name", sorted(M.registry()))
def test_registry_target_modules_exist_in_each_familys_architecture(name):
    spec = M.registry()[name]
    model = AutoModelForCausalLM.from_config(FAMILY_CONFIGS[spec.family](**TINY))
    assert missing_target_modules(model, spec.lora_target_modules) == []
    # Every attention and MLP projection of every layer gets an adapter (not only q/v).
    peft_model = get_peft_model(model, lora_config(RecipeArguments(), spec, model))
    adapted = {n.split(".")[-1] for n, m in peft_model.named_modules() if hasattr(m, "lora_A")}
    assert adapted == set(spec.lora_target_modules) == {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj",
                                                        "up_proj", "down_proj"}


def test_target_modules_a_model_lacks_are_named_in_the_error():
    from transformers import GPT2Config

    model = AutoModelForCausalLM.from_config(GPT2Config(n_embd=32, n_layer=1, n_head=2, vocab_size=64))
    with pytest.raises(ValueError, match=r"no modules named \['q_proj', 'k_proj'.*--lora_target_modules"):
        lora_config(RecipeArguments(), M.ModelSpec(name="gpt2-like"), model)
    # Naming modules it has works.
    assert lora_config(RecipeArguments(lora_target_modules=["c_attn"]), M.ModelSpec(name="g"), model)


def test_resolve_model_names_sizes_and_folders(tmp_path):
    assert M.resolve_model(None).name == "smollm2-135m"
    assert M.resolve_model(model_size="7b").hub_id == "codellama/CodeLlama-7b-Instruct-hf"
    assert M.resolve_model(model_size="22b").name == "codestral-22b"
    assert M.resolve_model("qwen2.5-coder-7b", model_size="7b").name == "qwen2.5-coder-7b"  # --model wins
    assert not M.resolve_model("codestral-22b").supports_system_message
    folder = M.resolve_model(str(tmp_path))
    assert folder.hub_id == str(tmp_path) and folder.lora_target_modules == M.DEFAULT_TARGET_MODULES
    with pytest.raises(ValueError, match="--model_size must be one of"):
        M.resolve_model(model_size="13b")


def test_quantization_and_device_resolution():
    assert M.resolve_quantization("auto", "cuda") == "4bit"
    assert M.resolve_quantization("auto", "cpu") == "none"
    assert M.resolve_quantization("8bit", "cpu") == "8bit"
    with pytest.raises(ValueError, match="--quantization must be one of"):
        M.resolve_quantization("3bit", "cpu")
    assert M.compute_dtype("cpu") == torch.float32 and M.compute_dtype("cuda:1") == torch.bfloat16
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="CUDA is not available"):
            M.resolve_device("cuda")


@pytest.mark.slow
def test_tokenizer_without_chat_template_is_refused_and_system_support_is_probed(tmp_path, smollm_tokenizer):
    smollm_tokenizer.save_pretrained(tmp_path / "chatml")
    spec = M.resolve_model(str(tmp_path / "chatml"))
    assert M.supports_system(spec, M.load_tokenizer(spec))
    assert spec.supports_system_message is None  # probed, not written into the spec
    # A Mistral-like template that raises on a system message: the system prompt will be folded.
    mistral = AutoTokenizer.from_pretrained(tmp_path / "chatml")
    mistral.chat_template = ("{% for m in messages %}{% if m['role'] == 'system' %}"
                             "{{ raise_exception('no system role') }}{% endif %}{{ m['content'] }}{% endfor %}")
    mistral.save_pretrained(tmp_path / "mistral")
    spec = M.resolve_model(str(tmp_path / "mistral"))
    assert not M.supports_system(spec, M.load_tokenizer(spec))
    bare = AutoTokenizer.from_pretrained(tmp_path / "chatml")
    bare.chat_template = None
    bare.save_pretrained(tmp_path / "bare")
    (tmp_path / "bare" / "chat_template.jinja").unlink(missing_ok=True)
    with pytest.raises(ValueError, match="has no chat template"):
        M.load_tokenizer(M.resolve_model(str(tmp_path / "bare")))
    # A base model's preset gives the template (Gemma 3 270M's GGUF has none).
    template = "{% for m in messages %}<{{ m['role'] }}>{{ m['content'] }}{% endfor %}"
    spec = M.ModelSpec(name="base", hub_id=str(tmp_path / "bare"), chat_template=template)
    assert M.load_tokenizer(spec).chat_template == template


def test_gemma3_preset_renders_gemma_turns_with_the_system_prompt_folded():
    spec = M.registry()["gemma3-270m"]
    assert spec.gguf_assemble == "assemble" and not spec.supports_system_message
    from jinja2 import Environment

    text = Environment().from_string(spec.chat_template).render(
        bos_token="<bos>", add_generation_prompt=True,
        messages=[{"role": "user", "content": "SYS\n\nHello "}, {"role": "assistant", "content": "{}"}])
    assert text == "<bos><start_of_turn>user\nSYS\n\nHello<end_of_turn>\n<start_of_turn>model\n{}<end_of_turn>\n" \
                   "<start_of_turn>model\n"


def test_embedded_model_loads_from_cache_in_float32():
    spec = M.resolve_model("smollm2-135m")
    model = M.load_model(spec, "auto", "cpu")
    assert model.dtype == torch.float32 and model.device.type == "cpu"
    assert type(model).__name__ == "LlamaForCausalLM"
    assert missing_target_modules(model, spec.lora_target_modules) == []



def test_chunked_gguf_package_is_assembled_into_the_given_folder(tmp_path, monkeypatch):
    package = tmp_path / "site" / "chunked_gguf"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        "from pathlib import Path\n"
        "def assemble(output_path):\n"
        "    Path(output_path).parent.mkdir(parents=True, exist_ok=True)\n"
        "    Path(output_path).write_bytes(b'GGUF' + b'part1' + b'part2')\n"
        "    return Path(output_path)\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    spec = M.ModelSpec(name="chunked", gguf_package="chunked_gguf", gguf_file="m.gguf", gguf_assemble="assemble")
    path = M.gguf_path(spec, assemble_dir=tmp_path / "out")
    assert path == tmp_path / "out" / "m.gguf" and path.read_bytes() == b"GGUFpart1part2"
    with pytest.raises(ValueError, match="assemble_dir"):
        M.gguf_path(spec)
    missing = M.ModelSpec(name="x", gguf_package="no_such_gguf_pkg", gguf_file="m.gguf",
                          install="pip install no-such-gguf-pkg==1")
    with pytest.raises(FileNotFoundError, match="pip install no-such-gguf-pkg==1"):
        M.gguf_path(missing)
