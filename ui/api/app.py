"""The app factory: settings in, FastAPI app out. The graph store, the assistant and the key
file are opened once per app lifespan (not at import); every request is audited."""
from __future__ import annotations

import contextlib
import threading
from collections.abc import AsyncIterator

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from kg.settings import Settings
from ui import services
from ui.api import errors
from ui.api.asking import Asking
from ui.api.audit import AuditLog, AuditMiddleware
from ui.api.guard import BodyGuard
from ui.api.health import HealthProbe
from ui.api.routes import router
from ui.roles import KeyFile

DESCRIPTION = """应急知识图谱助手 API：问答、值班卡、专家查询、预案库、文档管理、一致性检查、图谱邻域。

除 `/healthz` 与本文档外，所有接口须在请求头 `X-API-Key`（或 `Authorization: Bearer`）中提供密钥。
角色：viewer（查看，专家电话打码）、duty_officer（值班员，可见电话）、admin（管理员，可上传和删除文档）。
"""


def create_app(settings: Settings) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        with contextlib.ExitStack() as stack:
            # revive: a graph server that dies is restarted in the background; meanwhile
            # requests get a quick 503, and the store finds the new server's address itself.
            store = services.open_store(settings, revive=True)
            stack.callback(store.close)
            # an ingest killed before its index build left the index behind: repair it now
            await run_in_threadpool(services.repair_index, settings, store)
            app.state.store = store
            app.state.health = HealthProbe(store)
            stack.callback(app.state.health.close)
            app.state.assistant = stack.enter_context(services.assistant(settings, revive=True, warm=True))
            app.state.asking = Asking(app.state.assistant, services.data_generation(settings),
                                      settings.ask_concurrency)
            yield

    app = FastAPI(title="应急知识图谱助手 API", version="0.1.0", description=DESCRIPTION,
                  lifespan=lifespan)
    app.state.settings = settings
    app.state.keys = KeyFile(settings.api_keys_file)
    app.state.audit = AuditLog(settings.audit_log_file)
    app.state.manage_lock = threading.Lock()  # one ingest or delete at a time
    app.state.max_upload_bytes = int(settings.upload_max_mb * 1024 * 1024)
    errors.install(app)
    app.include_router(router)
    # The last added runs first: the audit sees every request, the guard's refusals included.
    app.add_middleware(BodyGuard, keys=app.state.keys, upload_limit=app.state.max_upload_bytes)
    app.add_middleware(AuditMiddleware, log=app.state.audit)

    return app


def app_from_env() -> FastAPI:
    """The app for each of several worker processes (`yingji serve --workers N`): uvicorn
    imports it by name in every worker, so the data dir comes from YINGJI_DATA_DIR, read when a
    worker starts."""
    import logging
    import os

    from kg.settings import load_settings
    from ui.api.audit import RefusedByServer

    app = create_app(load_settings(os.environ.get("YINGJI_DATA_DIR")))
    logging.getLogger("uvicorn.error").addHandler(RefusedByServer(app.state.audit))
    return app
