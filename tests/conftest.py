"""Session fixtures with real components: an ArcadeDB server and the real embedding model."""
pytest_plugins = ["tests.fixtures_kg", "tests.fixtures_retrieval", "tests.fixtures_e2e"]

import os

import pytest


@pytest.fixture(autouse=True, scope="session")
def _no_background_warm_up():
    """Each app the tests start would load the model in the background; the tests ask (or not)
    themselves, and `Assistant.warm` is tested on its own."""
    before = os.environ.get("YINGJI_WARM_UP")
    os.environ["YINGJI_WARM_UP"] = "0"
    yield
    if before is None:
        os.environ.pop("YINGJI_WARM_UP", None)
    else:
        os.environ["YINGJI_WARM_UP"] = before
