"""The FastAPI application: routes, the live index, the keys, and errors as JSON in plain words."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api import routes_items, routes_search, routes_write
from api.deps import Live
from api.keys import Keyring
from api.models import ErrorOut, HealthOut, ReadyOut
from index.interface import IndexProblem
from service import paths
from service.live import LiveArchive, NotReady

log = logging.getLogger(__name__)

DESCRIPTION = """Search the bulletin archive (keyword, semantic, hybrid), browse bulletins and quotes, export
results, and add bulletins with an editor key. Hits have the shape of `bulletins search --json`."""


def create_app(index_root: Path, keys: Keyring | None = None, data_dir: Path | None = None,
               build_if_missing: bool = True, watch: bool = False) -> FastAPI:
    """The API over the index at ``index_root``.

    Args:
        index_root: The index folder (opened in the background when the app starts).
        keys: Reader and editor keys (default: none, so reading is open and writing refused).
        data_dir: The bulletins folder uploads are written into (default: data/bulletins or $BULLETINS_DATA).
        build_if_missing: Build the index from ``data_dir`` when there is none yet.
        watch: Index files dropped into ``data_dir`` as they arrive (a thread of the server).
    """
    live = LiveArchive(index_root, data_dir or paths.default_data_dir(), build_if_missing)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        live.start()
        watcher = live.watch() if watch else None
        yield
        if watcher is not None:
            watcher.stop.set()  # a build under way finishes (crash-safe either way); the thread is a daemon

    app = FastAPI(title="Bulletin Archive", version="1", description=DESCRIPTION, lifespan=lifespan)
    app.state.live, app.state.keys = live, keys or Keyring()
    for module in (routes_search, routes_items, routes_write):
        app.include_router(module.router)
    app.add_api_route("/health", health, methods=["GET"], response_model=HealthOut, tags=["status"],
                      summary="The server is alive")
    app.add_api_route("/ready", ready, methods=["GET"], response_model=ReadyOut, tags=["status"],
                      responses={503: {"model": ErrorOut, "description": "index not open yet"}},
                      summary="The index is open and serving")
    _errors(app)
    return app


def health() -> dict:
    """Always ``ok`` while the process answers."""
    return {"status": "ok"}


def ready(live: Live) -> object:
    """``ready`` with the serving build once the index is open (``degraded``, still answering, when part of the
    engine is down); 503 until then, and while the engine does not answer."""
    try:
        archive = live.archive()
        degraded = archive.health()
    except (NotReady, IndexProblem) as exc:
        return JSONResponse({"detail": f"the index is not ready: {exc}"}, 503, headers={"Retry-After": "5"})
    info = archive.info()
    return {"status": "degraded" if degraded else "ready", "build": info.build, "items": info.items,
            "model": info.model, "degraded": degraded}


def _errors(app: FastAPI) -> None:
    """Every error as JSON ``{"detail": ...}``; never an HTML page, never a traceback."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"detail": str(exc.detail)}, exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def bad_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": _validation_message(exc)}, 422)

    @app.exception_handler(IndexProblem)
    async def index_problem(request: Request, exc: IndexProblem) -> JSONResponse:
        log.warning("%s: the index is not available: %s", request.url.path, exc)
        return JSONResponse({"detail": f"the index is not available: {exc}"}, 503, headers={"Retry-After": "5"})

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return JSONResponse({"detail": "internal error; the server log has the details"}, 500)


def _validation_message(exc: RequestValidationError) -> str:
    """'k: Input should be greater than or equal to 1; mode: …' (where, then what)."""
    parts = []
    for error in exc.errors():
        where = ".".join(str(x) for x in error.get("loc", ()) if x not in ("query", "path", "body"))
        parts.append(f"{where or 'request'}: {error.get('msg', 'invalid')}")
    return "; ".join(parts)
