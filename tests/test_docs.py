"""The generated flag reference is current: it is the scripts' own dataclasses, written out."""

import sys

from fixtures import REPO


def test_flag_reference_is_current():
    sys.path.insert(0, str(REPO / "docs"))
    import flags

    assert (REPO / "docs" / "flags.md").read_text() == flags.page(), "run: .venv/bin/python docs/flags.py"
