"""An exported grader folder: the adapter merged in, loadable by plain transformers, and carrying its
system prompt, max_length and calibration into scoring."""

import json

import pytest
import torch
from transformers import AutoModelForCausalLM

from fixtures import save_run_folder, save_tiny_model
from Utils.cli import UsageError
from Utils.export import export_grader
from Utils.grader import load_for_scoring, resolve_max_length

pytestmark = pytest.mark.usefixtures("one_thread")


@pytest.mark.slow
def test_exported_grader_equals_the_run_and_needs_no_peft(tmp_path):
    model_dir = save_tiny_model(tmp_path / "tiny")
    run = save_run_folder(tmp_path / "runs" / "model_1", model_dir, max_length=700)
    (run / "system_prompt.txt").write_text("Grade it.\n")  # the run keeps the prompt it was trained with
    (run / "calibration.json").write_text(json.dumps({"temperature": 2.5, "n_items": 40, "auto_accept": []}))
    folder = export_grader(run, tmp_path / "grader")
    assert {"config.json", "model.safetensors", "system_prompt.txt", "calibration.json", "grader.json"} <= {
        p.name for p in folder.iterdir()}
    assert not (folder / "adapter_config.json").exists()
    ids = torch.tensor([[5, 6, 7, 8, 9]])
    with torch.no_grad():
        plain = AutoModelForCausalLM.from_pretrained(folder)(input_ids=ids).logits
        tuned = load_for_scoring(adapter_path=str(run)).model(input_ids=ids).logits
    torch.testing.assert_close(plain, tuned, rtol=1e-4, atol=1e-4)
    loaded = load_for_scoring(model=str(folder))
    assert loaded.system_prompt == "Grade it."
    assert loaded.calibrations == [{"temperature": 2.5, "n_items": 40, "auto_accept": []}]  # carried into the folder
    assert resolve_max_length(loaded, None)[0] == 700 and not loaded.fine_tuned
    with pytest.raises(UsageError, match="holds an earlier export: pass --overwrite"):
        export_grader(run, folder)


def test_export_takes_the_run_folder_as_adapter_path_too():
    """--adapter_path names the run folder in evaluate.py and grade.py; export_grader.py takes it as --run."""
    import export_grader
    from Utils.cli import parse

    for flag in ("--run", "--adapter_path"):
        (args,) = parse(export_grader.ExportArguments, [flag, "runs/model_1", "--output_dir", "graders/x"])
        assert args.run == "runs/model_1"
