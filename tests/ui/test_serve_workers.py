"""`yingji serve --workers N`: each worker process builds its app by name, over the data dir
the parent passes in the environment."""
from ui.api.app import app_from_env
from ui.cli import build_parser


def test_each_worker_builds_its_app_over_the_parent_s_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("YINGJI_DATA_DIR", str(tmp_path))
    app = app_from_env()
    assert app.state.settings.data_dir.resolve() == tmp_path.resolve()
    assert "/ask" in app.openapi()["paths"]


def test_serve_takes_a_worker_count():
    args = build_parser().parse_args(["serve", "--workers", "2"])
    assert args.workers == 2
    assert build_parser().parse_args(["serve"]).workers == 1
