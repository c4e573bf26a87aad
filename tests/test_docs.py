"""The generated flag reference is current: it is the scripts' own dataclasses, written out."""

from fixtures import REPO


def test_flag_reference_is_current():
    from docs import flags

    assert (REPO / "docs" / "flags.md").read_text() == flags.page(), "run: .venv/bin/python -m docs.flags"
