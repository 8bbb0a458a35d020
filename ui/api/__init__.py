"""The HTTP API (`yingji serve`): FastAPI over the same library functions as the CLI and the
Streamlit pages. `create_app(settings)` builds an app; nothing is opened at import time."""
from ui.api.app import create_app

__all__ = ["create_app"]
