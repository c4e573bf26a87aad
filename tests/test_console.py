"""Progress lines: counts, rates and time left, printed sparingly; training lines carry the key numbers."""

import io
from types import SimpleNamespace

from Utils.console import Progress, TrainingProgress, duration


def test_duration_and_progress_lines():
    assert (duration(5), duration(125), duration(7260)) == ("5 s", "2 min 05 s", "2 h 01 min")
    out = io.StringIO()
    show = Progress("base", every=3600, stream=out)
    for done in range(1, 11):
        show(done, 10)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2  # the first call, then only the end (not one line per item)
    assert lines[0].startswith("  base: 1/10 items (10%)") and "left" in lines[0]
    assert lines[1].startswith("  base: 10/10 items (100%)") and "left" not in lines[1]


def test_training_progress_shows_the_numbers_that_matter():
    out = io.StringIO()
    callback = TrainingProgress(stream=out)
    state = SimpleNamespace(max_steps=20, global_step=0, is_world_process_zero=True)
    callback.on_train_begin(None, state, None)
    state.global_step = 5
    callback.on_log(None, state, None, logs={"loss": 0.0834, "logps/accuracies": 0.75, "learning_rate": 4.3e-5,
                                             "grad_norm": 1.2, "entropy": 0.1})
    state.global_step = 10
    callback.on_log(None, state, None, logs={"eval_loss": 0.5, "eval_logps/accuracies": 0.6})
    callback.on_log(None, state, None, logs={"train_runtime": 125.0, "train_loss": 0.2})
    lines = out.getvalue().splitlines()
    assert lines[0] == "training: 20 optimizer steps"
    assert lines[1].startswith("  step 5/20 (25%): loss 0.0834, TA's answer first 75%, lr 4.3e-05, ")
    assert "s/step" in lines[1] and "left" in lines[1] and "grad_norm" not in lines[1]
    assert lines[2] == "  evaluation at step 10/20 (50%): loss 0.5, TA's answer first 60%"
    assert lines[3] == "training done: 10 steps in 2 min 05 s, mean loss 0.2"


def test_training_progress_shows_the_classifiers_accuracy_for_the_choice_loss():
    out = io.StringIO()
    TrainingProgress(stream=out).on_log(None, SimpleNamespace(max_steps=10, global_step=2, is_world_process_zero=True),
                                        None, logs={"loss": 0.91, "choice/accuracy": 0.5, "learning_rate": 5e-4})
    assert out.getvalue() == ""  # nothing before training began
    callback = TrainingProgress(stream=out)
    callback.on_train_begin(None, SimpleNamespace(max_steps=10, is_world_process_zero=True), None)
    callback.on_log(None, SimpleNamespace(max_steps=10, global_step=2, is_world_process_zero=True), None,
                    logs={"loss": 0.91, "choice/accuracy": 0.5, "learning_rate": 5e-4})
    assert out.getvalue().splitlines()[1].startswith("  step 2/10 (20%): loss 0.91, TA's letter first 50%, lr 0.0005")
