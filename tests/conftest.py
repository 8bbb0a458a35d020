"""Session fixtures with real components: an ArcadeDB server and the real embedding model."""
pytest_plugins = ["tests.fixtures_kg", "tests.fixtures_retrieval", "tests.fixtures_e2e"]
