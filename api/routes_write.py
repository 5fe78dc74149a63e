"""``POST /bulletins``: add a bulletin file, with the admin page's checks (size, type, safe name, already
present), through the service's uploads (:mod:`service.building`: preview, then commit). Every attempt is in the audit log."""

from __future__ import annotations

import contextlib
import logging
from collections import Counter
from typing import Annotated

from fastapi import APIRouter, File, HTTPException, UploadFile
from fastapi.responses import JSONResponse

import archive
from api.deps import Editor, Live
from api.models import IngestOut, errors
from archive.readers.sidecar import SIDECAR_SUFFIX
from index.interface import IndexProblem, ModelError
from service.building import ingest
from service.live import LiveArchive, NotReady
from service.opening import QueryMemo, shared_encoder

log = logging.getLogger(__name__)
router = APIRouter(tags=["write"])

# Preview status -> HTTP status of the refusal.
_REFUSED = {"unchanged": 409, "failed": 422, "rejected": 400}
_ANSWERS = errors(400, 401, 403, 409, 413, 415, 422, 503)
_FILE = f"a bulletin ({' '.join(archive.SUPPORTED_SUFFIXES)}) or its {SIDECAR_SUFFIX} sidecar"


def _refusal(preview: ingest.Preview) -> JSONResponse:
    status = _REFUSED.get(preview.status, 400)
    if preview.status == "rejected" and "larger than" in preview.reason:
        status = 413
    elif preview.status == "rejected" and preview.reason.startswith("unsupported"):
        status = 415
    return JSONResponse({"detail": preview.reason, "file": preview.name, "status": preview.status}, status)


def _encoder(live: LiveArchive) -> QueryMemo | None:
    """The model the server already holds (the builder loads the index's own otherwise)."""
    try:
        return shared_encoder(live.archive().info().model)
    except NotReady:
        return None


def _read(file: UploadFile) -> ingest.Upload:
    data = file.file.read(ingest.MAX_UPLOAD_BYTES + 1)  # enough to refuse a larger file, never more
    return ingest.Upload(file.filename or "", data)


@router.post("/bulletins", status_code=201, response_model=IngestOut, responses=_ANSWERS,
             summary="Add a bulletin file (editor key)")
def add_bulletin(live: Live, key: Editor,
                 file: Annotated[UploadFile, File(description=_FILE)]) -> object:
    """Check the file as the admin page does, parse it, add it to the archive and update the index.

    Two uploads at once are added one after the other; searches go on meanwhile and switch to the new
    build when it is complete.
    """
    upload = _read(file)
    with live.write_lock:
        try:
            previews = ingest.preview([upload], live.data_dir, live.root)
            report = ingest.commit([upload], previews, live.data_dir, live.root, encoder=_encoder(live),
                                   actor=key.name)
        except (IndexProblem, ModelError, OSError) as exc:
            log.exception("adding %s failed", upload.name)
            raise HTTPException(503, f"the file could not be indexed: {exc}") from exc
    preview = previews[0]
    if not preview.writable:
        return _refusal(preview)
    with contextlib.suppress(NotReady):
        live.archive()  # switch to the new build now
    return {"file": preview.name, "status": preview.status,
            "bulletin": preview.bulletin.id if preview.bulletin else "", "items": len(preview.items),
            "by_kind": dict(Counter(i.kind for i in preview.items)), "build": report.mode if report else ""}
