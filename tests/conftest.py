"""The tests' pytest fixtures. Helper functions live in tests/fixtures.py (`from fixtures import ...`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
# pytest puts the repository on its own sys.path (pyproject.toml: pythonpath); the processes a test starts
# (accelerate launch, the shell wrappers; fixtures.SINGLE_THREAD_ENV copies
# os.environ when it is imported, below) import the top-level scripts and Utils/ from it too.
REPO = str(Path(__file__).resolve().parent.parent)
os.environ["PYTHONPATH"] = os.pathsep.join([REPO, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))])

from fixtures import SHORT_SYSTEM_PROMPT, message_texts, small_bpe_tokenizer, smollm2_tokenizer, tiny_llama, write_lab  # noqa: E402


@pytest.fixture
def labs_dir(tmp_path):
    parent = tmp_path / "labs"
    parent.mkdir()
    return parent


@pytest.fixture(scope="module")
def one_thread():
    """Tiny models' ops are too small to split: a second thread only adds synchronisation, which
    costs a lot when the machine is shared. Use with pytestmark = pytest.mark.usefixtures("one_thread")."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="session")
def smollm_tokenizer():
    return smollm2_tokenizer()


@pytest.fixture(scope="session")
def pairs_dir(tmp_path_factory) -> Path:
    """train.jsonl (18 pairs), test.jsonl (12 pairs) and dataset_report.json, from one fixture lab."""
    from Utils import create_dataset

    root = tmp_path_factory.mktemp("pairs")
    (root / "labs").mkdir()
    write_lab(root / "labs", "lab1")
    (root / "system.txt").write_text(SHORT_SYSTEM_PROMPT)
    code = create_dataset.main(["--parent_dir", str(root / "labs"), "--train_split", "0.6", "--workers", "1",
                                "--system_prompt_path", str(root / "system.txt"),
                                "--train_dataset_path", str(root / "data" / "train.jsonl"),
                                "--test_dataset_path", str(root / "data" / "test.jsonl")])
    assert code == 0
    return root / "data"


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory, pairs_dir, smollm_tokenizer) -> Path:
    """A random 2-layer Llama and a small ChatML tokenizer (512 tokens, so the LM head is cheap: on
    CPU TRL scores every position through it), saved like a hub model."""
    tokenizer = small_bpe_tokenizer(message_texts(pairs_dir / "train.jsonl"), smollm_tokenizer.chat_template)
    path = tmp_path_factory.mktemp("tiny-llama")
    tiny_llama(len(tokenizer), tokenizer=tokenizer, tie_word_embeddings=True).save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


def pytest_collection_modifyitems(items):
    """A test that takes the `browser` fixture (Chromium through Selenium) is marked `browser`, so
    `-m "not browser"` leaves out exactly the tests that drive the review page in a browser."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
