"""Several processes: data-parallel training and scoring through accelerate, tested on 2 CPU processes.

The launches are real: `ACCELERATE=1 NUM_PROCESSES=2 bash dpo_train.sh` (accelerate's multi-process
launcher, torchrun, with configs/accelerate/ddp.yaml; the processes talk over gloo), two "machines"
on this one through configs/accelerate/multinode.yaml, and `accelerate launch` of this file as a
worker that runs evaluate.py's and grade.py's main(). Each result is compared with one process with
the same global batch, run here. A tiny random Llama, float32, OMP_NUM_THREADS=1.

Tolerances. Losses agree within 1e-5 relative: the processes' gradients are averaged in another
order than one process sums them, and a packed batch of two students is padded differently from
two batches of one, so float32 rounding (2^-24 relative per operation) differs; measured about 2e-7.
LoRA weights agree within 1e-4 (grouped) and 1e-3 (stock) relative per tensor: Adam divides each
coordinate by its own gradient's running RMS, so coordinates whose gradient is near rounding noise
get update differences far above 2^-24; measured about 1e-6 and 4e-5. A step that normalized each
process by its own pairs, or a student trained twice, moves the loss by 1e-2 here and the weights
by order one.

`python -m accelerate.commands.launch ... tests/test_distributed.py score EVALUATE_ARGS -- GRADE_ARGS`
runs the scoring worker.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import torch
import yaml

from fixtures import LORA_DPO, REPO, SHORT_SYSTEM_PROMPT, SINGLE_THREAD_ENV, lora_b_tensors, run_folders, save_run_folder, write_lab

LAUNCH = [sys.executable, "-m", "accelerate.commands.launch"]
ACCELERATE_CONFIGS = REPO / "configs" / "accelerate"
# A few steps that see both kinds of student (3 pairs and 1 pair), with gradient accumulation.
STEPS = [*LORA_DPO, "--max_steps", "3", "--gradient_accumulation_steps", "2", "--learning_rate", "1e-2", "--warmup_steps", "0",
         "--logging_steps", "1", "--disable_tqdm", "True", "--save_steps", "2"]
LOSS_RTOL = 1e-5
pytestmark = pytest.mark.usefixtures("one_thread")


# ------------------------------------------------------------------------------ helpers


def free_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return str(s.getsockname()[1])


def run(command: list[str], env: dict | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=timeout,
                          env={**SINGLE_THREAD_ENV, **(env or {})})


def train_two_processes(*flags, env: dict | None = None) -> subprocess.CompletedProcess:
    """`ACCELERATE=1 NUM_PROCESSES=2 bash dpo_train.sh ...`, as a user runs it."""
    result = run(["bash", str(REPO / "dpo_train.sh"), *flags],
                 {"ACCELERATE": "1", "NUM_PROCESSES": "2", "MAIN_PROCESS_PORT": free_port(), **(env or {})})
    return result


def output(result: subprocess.CompletedProcess) -> str:
    return result.stdout[-3000:] + result.stderr[-6000:]


def losses(run_dir: Path, keys=("loss", "eval_loss", "num_tokens")) -> list[tuple[str, float]]:
    history = json.loads((run_dir / "trainer_state.json").read_text())["log_history"]
    return [(key, entry[key]) for entry in history for key in keys if key in entry]


def assert_same_losses(got, expected, rtol=LOSS_RTOL):
    assert [k for k, _ in got] == [k for k, _ in expected]
    assert [v for _, v in got] == pytest.approx([v for _, v in expected], rel=rtol)


def assert_same_adapter(got_dir: Path, expected_dir: Path, rtol: float):
    from safetensors.torch import load_file

    got = load_file(str(got_dir / "adapter_model.safetensors"))
    expected = load_file(str(expected_dir / "adapter_model.safetensors"))
    assert got.keys() == expected.keys()
    for name, value in expected.items():
        assert ((got[name] - value).norm() / value.norm()).item() <= rtol, name
    assert all(w.abs().sum() > 0 for w in lora_b_tensors(got_dir).values())  # trained (LoRA B starts at 0)


def data_flags(data: Path, out: Path, model: Path, eval_data: bool = True) -> list[str]:
    return ["--model", str(model), "--train_dataset_path", str(data / "train.jsonl"),
            "--eval_dataset_path", str(data / "test.jsonl") if eval_data else "none", "--output_dir", str(out)]


# ------------------------------------------------------------------------------ data


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Path:
    """Two labs whose students hold 3 pairs (lab1) or 1 pair (lab2): 13 train students, 27 pairs, so
    processes hold different numbers of pairs, and an odd number of groups pads the last batch."""
    from Utils import create_dataset

    root = tmp_path_factory.mktemp("mixed")
    (root / "labs").mkdir()
    write_lab(root / "labs", "lab1")
    one = [{"id": 3, "title": "Output", "description": "Is the output right?",
            "Ratings": [{"id": 31, "title": "A", "description": "Right", "marks": 1},
                        {"id": 32, "title": "B", "description": "Wrong", "marks": 0}]}]
    write_lab(root / "labs", "lab2", rubric=one, grades={f"t{i:02d}@uni.edu": {"Output": "AB"[i % 2]} for i in range(8)})
    (root / "system.txt").write_text(SHORT_SYSTEM_PROMPT)
    assert create_dataset.main(["--parent_dir", str(root / "labs"), "--train_split", "0.75", "--workers", "1",
                                "--system_prompt_path", str(root / "system.txt"),
                                "--train_dataset_path", str(root / "data" / "train.jsonl"),
                                "--test_dataset_path", str(root / "data" / "test.jsonl")]) == 0
    return root


@pytest.fixture(scope="module")
def two_process_run(mixed, tiny_model_dir, tmp_path_factory):
    """The grouped trainer on 2 processes: 1 student per process, 2 accumulated, 3 steps, eval, checkpoints."""
    out = tmp_path_factory.mktemp("ddp")
    result = train_two_processes(*data_flags(mixed / "data", out, tiny_model_dir), *STEPS,
                                 "--per_device_train_batch_size", "1", "--per_device_eval_batch_size", "2")
    assert result.returncode == 0, output(result)
    return out, result


@pytest.fixture(scope="module")
def one_process_run(mixed, tiny_model_dir, tmp_path_factory):
    """The same global batch on one process: 2 students per batch, 2 accumulated."""
    import dpo_train

    out = tmp_path_factory.mktemp("one")
    trainer = dpo_train.train([*data_flags(mixed / "data", out, tiny_model_dir), *STEPS,
                              "--per_device_train_batch_size", "2", "--per_device_eval_batch_size", "4"])
    return Path(trainer.args.output_dir)


# ------------------------------------------------------------------------------ training: 2 processes = 1


@pytest.mark.distributed
def test_grouped_trainer_on_two_processes_equals_one_process(two_process_run, one_process_run):
    out, result = two_process_run
    [run] = run_folders(out)
    assert_same_losses(losses(run), losses(one_process_run))
    assert [k for k, _ in losses(run)].count("eval_loss") == 2
    assert_same_adapter(run / "final_checkpoint", one_process_run / "final_checkpoint", rtol=1e-4)
    assert "2 processes (MULTI_CPU, data parallel); 4 groups per optimizer step" in result.stdout


@pytest.mark.distributed
def test_two_processes_write_one_run_folder_from_the_main_process(two_process_run):
    out, result = two_process_run
    [run] = run_folders(out)  # one run folder, not one per process
    assert result.stdout.count("run folder ") == 1 and result.stdout.count("final checkpoint: ") == 1
    assert [p.relative_to(run) for p in run.rglob("time.txt")] == [Path("final_checkpoint/time.txt")]
    assert len(list(run.rglob("events.out.tfevents.*"))) == 1  # TensorBoard: the main process logs
    assert sorted(p.name for p in run.glob("checkpoint-*")) == ["checkpoint-2", "checkpoint-3"]
    checkpoint = run / "checkpoint-2"
    # One adapter, optimizer and state (the main process's); each process keeps its own RNG state, as
    # transformers saves it for an exact resume.
    assert sorted(p.name for p in checkpoint.glob("*.pt*")) == ["optimizer.pt", "rng_state_0.pth", "rng_state_1.pth",
                                                                "scheduler.pt"]
    assert json.loads((checkpoint / "trainer_state.json").read_text())["global_step"] == 2
    assert yaml.safe_load((run / "arguments.yaml").read_text())["per_device_train_batch_size"] == 1


@pytest.mark.distributed
def test_resume_from_a_two_process_checkpoint(two_process_run, tmp_path):
    """A run stopped after its step-2 checkpoint, resumed on 2 processes, ends where it would have."""
    out, _ = two_process_run
    [run] = run_folders(out)
    stopped = tmp_path / run.name
    shutil.copytree(run, stopped)
    for later in ("checkpoint-3", "final_checkpoint"):  # what steps after the checkpoint wrote
        shutil.rmtree(stopped / later)
    for later in ("adapter_model.safetensors", "trainer_state.json"):
        (stopped / later).unlink()
    result = train_two_processes("--resume_from_checkpoint", str(stopped / "checkpoint-2"))
    assert result.returncode == 0, output(result)
    assert f"resuming from {stopped / 'checkpoint-2'}" in result.stdout
    assert run_folders(tmp_path) == [stopped]
    # (TRL's num_tokens counts from the start of the process, so it restarts on resume)
    assert_same_losses(losses(stopped, ("loss", "eval_loss")), losses(run, ("loss", "eval_loss")), rtol=1e-6)
    assert_same_adapter(stopped / "final_checkpoint", run / "final_checkpoint", rtol=1e-6)


@pytest.mark.distributed
def test_stock_trainer_on_two_machines_equals_one_process(mixed, tiny_model_dir, tmp_path):
    """TRL's DPOTrainer, 1 pair per process on two 'machines' (configs/accelerate/multinode.yaml, rank,
    address and port) against 2 pairs per batch on one process. Equal because every process holds
    the same number of pairs: TRL averages over each process's pairs and DDP over the processes."""
    import dpo_train

    def flags(out: Path, batch: str) -> list[str]:
        return [*data_flags(mixed / "data", out, tiny_model_dir, eval_data=False), "--trainer", "stock",
                *LORA_DPO,  # the stock trainer has no choice term and no frozen-layer cache (the CPU default's)
                "--per_device_train_batch_size", batch, "--max_steps", "3", "--learning_rate", "1e-2",
                "--warmup_steps", "0", "--logging_steps", "1", "--disable_tqdm", "True", "--save_strategy", "no",
                "--report_to", "none"]

    env = {**SINGLE_THREAD_ENV, "ACCELERATE": "1", "ACCELERATE_CONFIG": str(ACCELERATE_CONFIGS / "multinode.yaml"),
           "NUM_MACHINES": "2", "NUM_PROCESSES": "2", "MAIN_PROCESS_IP": "127.0.0.1", "MAIN_PROCESS_PORT": free_port()}
    machines = [subprocess.Popen(["bash", str(REPO / "dpo_train.sh"), *flags(tmp_path / "two", "1")], cwd=REPO,
                                 env={**env, "MACHINE_RANK": str(rank)}, text=True, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE) for rank in (0, 1)]
    outputs = [machine.communicate(timeout=600) for machine in machines]
    for machine, (stdout, stderr) in zip(machines, outputs):
        assert machine.returncode == 0, stdout[-2000:] + stderr[-4000:]
    assert "2 processes (MULTI_CPU, data parallel); 2 pairs per optimizer step" in outputs[0][0]
    assert "run folder" not in outputs[1][0]  # the other machine's process writes nothing
    [two] = run_folders(tmp_path / "two")
    one = Path(dpo_train.train(flags(tmp_path / "one", "2")).args.output_dir)
    assert_same_losses(losses(two), losses(one))
    assert_same_adapter(two / "final_checkpoint", one / "final_checkpoint", rtol=1e-3)


# ------------------------------------------------------------------------------ the pieces, in this process


def test_groups_are_dealt_out_whole_and_once():
    """accelerate's own sharding (prepare_data_loader, as Trainer prepares a loader) of the grouped
    trainer's order: every process gets whole groups, no group twice, none left out, in the steps
    one process with the whole global batch sees; plain accelerate goes back to the epoch's start."""
    from accelerate.data_loader import prepare_data_loader
    from torch.utils.data import DataLoader

    from Utils.distributed import padded_order
    from Utils.grouped_dpo import GroupSampler

    n, batch = 13, 2
    rows = list(range(n + (-n) % (2 * batch)))  # 13 groups + 3 padding rows
    shares = []
    for rank in (0, 1):
        loader = DataLoader(rows, batch_size=batch, sampler=GroupSampler(n, 2 * batch, seed=42, shuffle=True),
                            collate_fn=list)
        sharded = prepare_data_loader(loader, num_processes=2, process_index=rank, put_on_device=False)
        sharded.set_epoch(1)
        shares.append([group for step in sharded for group in step])
    order = padded_order(n, 2 * batch, seed=42, epoch=1)
    batches = [order[i:i + batch] for i in range(0, len(order), batch)]  # batch i to process i mod 2
    assert shares == [[group for b in batches[p::2] for group in b] for p in (0, 1)]
    real = [[g for g in share if g < n] for share in shares]
    assert not set(real[0]) & set(real[1]) and sorted(real[0] + real[1]) == list(range(n))
    assert len(shares[0]) == len(shares[1]) == 8  # 4 steps of 2 groups each
    # Step k of process p is what one process with batch 2 x 2 trains at step k.
    one = [order[i:i + 2 * batch] for i in range(0, len(order), 2 * batch)]
    assert [sorted(shares[0][2 * k:2 * k + 2] + shares[1][2 * k:2 * k + 2]) for k in range(4)] == [sorted(s) for s in one]
    assert order != padded_order(n, 2 * batch, seed=42, epoch=2)  # a new order each epoch
    plain = [prepare_data_loader(DataLoader(list(range(n)), batch_size=batch, collate_fn=list), num_processes=2,
                                 process_index=r, put_on_device=False) for r in (0, 1)]
    seen = [g for loader in plain for step in loader for g in step]
    assert len(seen) > len(set(seen))  # accelerate alone repeats students to fill the last step


@pytest.mark.slow
def test_loss_shares_of_micro_batches_add_up_to_the_whole_step(smollm_tokenizer):
    """Micro-batches (or processes) holding 3, 1 and 3+1 pairs (DPO, SFT and choice terms): each normalized
    by the step's counts,
    their losses and gradients add up to the whole step's in one batch; the mean of their own means
    (what TRL's per-batch mean and DDP's averaging would give) does not."""
    from datasets import Dataset
    from peft import LoraConfig

    from fixtures import tiny_llama
    from test_grouped_dpo import CRITERIA, config, item_rows
    from Utils.grouped_dpo import GroupedDPOTrainer

    rows = (item_rows("s1", CRITERIA[4], "B") + item_rows("s2", CRITERIA[2], "A") + item_rows("s3", CRITERIA[3], "C")
            + item_rows("s3", CRITERIA[2], "B"))
    model = tiny_llama(len(smollm_tokenizer), tokenizer=smollm_tokenizer, max_position_embeddings=1024).train()
    trainer = GroupedDPOTrainer(model=model, args=config(loss_type=["sigmoid", "sft", "choice"],
                                                         loss_weights=[1.0, 0.5, 2.0]),
                                train_dataset=Dataset.from_list(rows), processing_class=smollm_tokenizer,
                                peft_config=LoraConfig(r=4, target_modules=["q_proj", "v_proj"], task_type="CAUSAL_LM",
                                                       init_lora_weights=False))
    groups = [trainer.train_dataset[i] for i in range(len(trainer.train_dataset))]
    assert [g["n_pairs"] for g in groups] == [3, 1, 3]
    trainer.model.train()

    def loss_and_grads(batches, counts=None):
        trainer.model.zero_grad()
        total = 0.0
        for batch in batches:
            loss = trainer.compute_loss(trainer.model, batch, num_items_in_batch=counts)
            loss.backward()
            total += loss.item()
        return total, [p.grad.clone() for p in trainer.model.parameters() if p.requires_grad]

    whole, whole_grads = loss_and_grads([trainer.data_collator(groups)])
    parts = [trainer.data_collator(groups[:1]), trainer.data_collator(groups[1:2]), trainer.data_collator(groups[2:])]
    counts = trainer._get_num_items_in_batch(parts, torch.device("cpu"))
    # 7 pairs, their chosen answers' tokens, 4 items (the choice term is a mean over items)
    assert counts.tolist() == [7, trainer._batch_counts(trainer.data_collator(groups))[1].item(), 4]
    summed, summed_grads = loss_and_grads(parts, counts)
    assert summed == pytest.approx(whole, rel=1e-6)
    for got, expected in zip(summed_grads, whole_grads):
        assert ((got - expected).norm() / expected.norm()).item() < 1e-5
    mean_of_means = loss_and_grads(parts)[0] / len(parts)
    assert abs(mean_of_means - whole) > 1e-3  # so the test tells the two apart


def test_precomputed_reference_is_shared_by_whole_batches(smollm_tokenizer, monkeypatch):
    """--precompute_ref_log_probs on 2 processes: each runs every other batch of the one-process plan, as
    many passes each (a sharded model needs every process in every pass), and the gathered column
    equals one process's exactly. The two processes run here one after the other; the gather is faked."""
    from datasets import Dataset
    from peft import LoraConfig

    from fixtures import tiny_llama
    from test_grouped_dpo import CRITERIA, config, item_rows
    from Utils import distributed
    from Utils.grouped_dpo import GroupedDPOTrainer

    rows = [r for s, (k, c) in enumerate([(2, "A"), (3, "B"), (4, "C"), (3, "A"), (2, "B")])
            for r in item_rows(f"s{s}", CRITERIA[k], c)]
    model = tiny_llama(len(smollm_tokenizer), tokenizer=smollm_tokenizer, max_position_embeddings=1024)
    trainer = GroupedDPOTrainer(model=model, args=config(), train_dataset=Dataset.from_list(rows),
                                processing_class=smollm_tokenizer,
                                peft_config=LoraConfig(r=4, target_modules=["q_proj"], task_type="CAUSAL_LM",
                                                       init_lora_weights=False))
    groups = trainer.train_dataset
    one = trainer._precompute_ref_logps(groups, "train", 2)["ref_answer_logps"]
    shares, passes = {}, []

    class Pending(Exception):
        pass

    def fake_gather(local, processes):
        shares[processes.index] = list(local)
        if len(shares) < processes.count:
            raise Pending
        return [x for index in sorted(shares) for x in shares[index]]

    monkeypatch.setattr(distributed, "gather_objects", fake_gather)
    forward = trainer.compute_ref_log_probs
    monkeypatch.setattr(trainer, "compute_ref_log_probs", lambda *a: passes.append(1) or forward(*a))
    monkeypatch.setenv("WORLD_SIZE", "2")
    monkeypatch.setenv("RANK", "0")
    with pytest.raises(Pending):
        trainer._precompute_ref_logps(groups, "train", 2)
    monkeypatch.setenv("RANK", "1")
    two = trainer._precompute_ref_logps(groups, "train", 2)["ref_answer_logps"]
    assert two == one and len(one) == 5
    assert [b for b, _ in shares[0]] == [0, 2] and [b for b, _ in shares[1]] == [1]
    assert len(passes) == 4  # 2 + 2: the process with one batch runs it twice


def test_engines_that_would_not_shard_are_refused():
    from Utils.distributed import check_engine

    check_engine("MULTI_GPU", "cuda:0", {})  # plain DDP
    check_engine("FSDP", "cuda:0", {"ACCELERATE_USE_FSDP": "true"})
    check_engine("DEEPSPEED", "cuda:0", {"ACCELERATE_USE_DEEPSPEED": "true"})
    for kind in ("MULTI_CPU", "NO"):
        with pytest.raises(ValueError, match="asks for FSDP.*only over several GPU processes"):
            check_engine(kind, "cpu", {"ACCELERATE_USE_FSDP": "true"})
    with pytest.raises(ValueError, match="asks for DeepSpeed"):
        check_engine("MULTI_CPU", "cpu", {"ACCELERATE_USE_DEEPSPEED": "true"})
    from Utils.train_args import sharding_engine

    assert sharding_engine({}) is None and sharding_engine({"ACCELERATE_USE_FSDP": "true"}) == "FSDP"
    assert sharding_engine({"ACCELERATE_USE_DEEPSPEED": "TRUE"}) == "DeepSpeed"


# ------------------------------------------------------------------------------ the accelerate configs


def launch_settings(config: Path) -> tuple[object, dict]:
    """What `accelerate launch --config_file config` makes of a config: its settings and, for the
    multi-process launcher, the environment it gives the processes."""
    from accelerate.commands.launch import _validate_launch_command, launch_command_parser
    from accelerate.utils.launch import prepare_multi_gpu_env

    args = launch_command_parser().parse_args(["--config_file", str(config), "--num_processes", "2", "dpo_train.py"])
    args, defaults, _ = _validate_launch_command(args)
    env = prepare_multi_gpu_env(args) if args.multi_gpu or args.use_fsdp else {}
    return defaults, env


@pytest.mark.parametrize("name, kind", [("ddp", "MULTI_GPU"), ("multinode", "MULTI_GPU"), ("fsdp_lora", "FSDP"),
                                        ("fsdp_qlora", "FSDP"), ("deepspeed_zero2", "DEEPSPEED"),
                                        ("deepspeed_zero3", "DEEPSPEED")])
def test_every_accelerate_config_parses(name, kind, monkeypatch):
    defaults, env = launch_settings(ACCELERATE_CONFIGS / f"{name}.yaml")
    assert str(defaults.distributed_type.value) == kind and defaults.mixed_precision == "no"
    if kind == "FSDP":  # the plugin the processes would build from the launcher's environment
        from accelerate.utils import FullyShardedDataParallelPlugin

        for key, value in env.items():
            if key.startswith(("FSDP_", "ACCELERATE_USE_FSDP")):
                monkeypatch.setenv(key, value)
        plugin = FullyShardedDataParallelPlugin()
        assert plugin.fsdp_version == 2 and "FULL_STATE_DICT" in str(plugin.state_dict_type)
        assert plugin.cpu_ram_efficient_loading and plugin.reshard_after_forward
    if kind == "DEEPSPEED":  # launching needs the deepspeed package (GPU machines); its JSON is checked here
        path = REPO / defaults.deepspeed_config["deepspeed_config_file"]
        settings = json.loads(path.read_text())
        assert settings["zero_optimization"]["stage"] == int(name[-1])
        assert settings["gradient_accumulation_steps"] == settings["train_micro_batch_size_per_gpu"] == "auto"
    if name == "multinode":
        assert (defaults.num_machines, defaults.rdzv_backend) == (2, "static")


def test_fsdp_config_without_gpu_processes_is_refused_before_the_run_starts(mixed, tiny_model_dir, tmp_path,
                                                                           monkeypatch):
    """What the processes of `ACCELERATE_CONFIG=configs/accelerate/fsdp_lora.yaml` do on a machine without
    GPUs (accelerate 1.15 shards with FSDP only on GPUs): they refuse before a run folder is made. Here in
    one process with the launcher's FSDP environment; launched on 2 CPU processes the main process prints
    the same error once and the launch exits non-zero (docs/distributed.md)."""
    import dpo_train
    from Utils.cli import UsageError

    _, env = launch_settings(ACCELERATE_CONFIGS / "fsdp_lora.yaml")
    for key, value in env.items():
        if key.startswith(("FSDP_", "ACCELERATE_USE_FSDP")):
            monkeypatch.setenv(key, value)
    with pytest.raises(UsageError, match=r"asks for FSDP, but this launch runs one process \(NO\) on cpu"):
        dpo_train.train([*data_flags(mixed / "data", tmp_path, tiny_model_dir, eval_data=False), *LORA_DPO])
    assert run_folders(tmp_path) == []


# ------------------------------------------------------------------------------ scoring


def score_worker(argv: list[str]) -> int:
    """Under `accelerate launch`: evaluate.py's main with the arguments before `--`, grade.py's after."""
    import evaluate
    import grade

    split = argv.index("--")
    return evaluate.main(argv[:split]) or grade.main(argv[split + 1:])


TIMINGS = {"items_per_second", "seconds", "output_dir"}


def without_timings(value):
    if isinstance(value, dict):
        return {k: without_timings(v) for k, v in value.items() if k not in TIMINGS}
    if isinstance(value, list):
        return [without_timings(v) for v in value]
    return value


@pytest.mark.distributed
def test_scoring_on_two_processes_writes_what_one_process_writes(mixed, tiny_model_dir, tmp_path):
    import evaluate
    import grade

    run_dir = save_run_folder(tmp_path / "run", tiny_model_dir)

    def arguments(out: Path):
        return (["--adapter_path", str(run_dir), "--test_dataset_path", str(mixed / "data" / "test.jsonl"),
                 "--output_dir", str(out / "eval"), "--batch_size", "2", "--calibration", "none"],
                ["--adapter_path", str(run_dir), "--parent_dir", str(mixed / "labs"), "--output_dir", str(out / "grades"),
                 "--system_prompt_path", str(mixed / "system.txt"), "--batch_size", "2"])

    eval_two, grade_two = arguments(tmp_path / "two")
    result = run([*LAUNCH, "--config_file", str(ACCELERATE_CONFIGS / "ddp.yaml"), "--num_processes", "2",
                  "--main_process_port", free_port(), str(Path(__file__).resolve()), "score", *eval_two, "--", *grade_two])
    assert result.returncode == 0, output(result)
    assert "2 processes share the items" in result.stdout and "2 processes share each lab's students" in result.stdout
    assert result.stdout.count("wrote ") == 2  # each script's summary once: the main process writes
    eval_one, grade_one = arguments(tmp_path / "one")
    assert evaluate.main(eval_one) == 0 and grade.main(grade_one) == 0

    one, two = tmp_path / "one", tmp_path / "two"
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    assert {f.name for f in files} >= {"predictions.jsonl", "report.json", "report.md", "lab1_auto_accepted_ratings.csv",
                                       "lab2_suggestions.json", "lab1_gradebook_auto_accepted.csv", "grade_summary.json"}
    for name in files:
        if name.suffix == ".png":
            continue
        if name.name in ("report.json", "grade_summary.json"):
            assert without_timings(json.loads((two / name).read_text())) == \
                without_timings(json.loads((one / name).read_text())), name
        elif name.name == "report.md":  # its items/second line is a timing
            def lines(path):
                return [line for line in path.read_text().splitlines() if "items/s" not in line]
            assert lines(two / name) == lines(one / name)
        else:
            assert (two / name).read_bytes() == (one / name).read_bytes(), name


# ------------------------------------------------------------------------------ the GPU benchmark


def test_gpu_recipe_refuses_clearly_without_cuda(capsys, monkeypatch):
    import importlib.util

    spec = importlib.util.spec_from_file_location("gpu_recipe", REPO / "bench" / "gpu_recipe.py")
    gpu_recipe = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gpu_recipe)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)  # as on this project's machines
    assert gpu_recipe.main([]) == 2
    assert "error: bench/gpu_recipe.py needs a CUDA GPU: torch.cuda.is_available() is False" in capsys.readouterr().err


if __name__ == "__main__":
    if sys.argv[1:2] != ["score"]:
        sys.exit(f"usage: accelerate launch {sys.argv[0]} score EVALUATE_ARGS -- GRADE_ARGS")
    os.chdir(REPO)
    sys.exit(score_worker(sys.argv[2:]))
