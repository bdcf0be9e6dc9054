import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.dirname(__file__))

import pytest

from helpers import BASE, run


@pytest.fixture(scope="session")
def base_model(tmp_path_factory):
    """A base model trained once for the session (80 steps of 8 x 64 tokens)."""
    directory = str(tmp_path_factory.mktemp("base"))
    run("base", directory, BASE)
    return directory
