"""What routes depend on: the live archive (503 until the index is open) and the caller's key.

A key comes as ``Authorization: Bearer KEY`` or ``X-API-Key: KEY``. No key where one is needed is 401,
a key that is not good enough (unknown, or a reader key for a write) is 403.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from api.keys import ApiKey, Keyring
from index.interface import Archive
from service.live import LiveArchive, NotReady

ANONYMOUS = ApiKey("anonymous", "reader", "")


def live(request: Request) -> LiveArchive:
    return request.app.state.live


def keyring(request: Request) -> Keyring:
    return request.app.state.keys


def presented_key(request: Request) -> str:
    """The key the request carries ('' if none)."""
    auth = request.headers.get("authorization", "")
    scheme, _, token = auth.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return request.headers.get("x-api-key", "").strip()


def _unauthorised(message: str) -> HTTPException:
    return HTTPException(401, message, headers={"WWW-Authenticate": "Bearer"})


def reader(request: Request, keys: Annotated[Keyring, Depends(keyring)]) -> ApiKey:
    """The caller, allowed to read: anyone when reading is open, else a reader or editor key."""
    token = presented_key(request)
    if not keys.read_restricted and not token:
        return ANONYMOUS
    if not token:
        raise _unauthorised("this archive needs a key to read: send 'Authorization: Bearer KEY'")
    key = keys.identify(token)
    if key is None:
        if not keys.read_restricted:
            return ANONYMOUS
        raise HTTPException(403, "this key is not valid here")
    return key


def editor(request: Request, keys: Annotated[Keyring, Depends(keyring)]) -> ApiKey:
    """The caller, allowed to write: an editor key."""
    token = presented_key(request)
    if not token:
        raise _unauthorised("adding bulletins needs an editor key: send 'Authorization: Bearer KEY'")
    key = keys.identify(token)
    if key is None or key.role != "editor":
        raise HTTPException(403, "this key may not add bulletins (an editor key is needed)")
    return key


def archive(index: Annotated[LiveArchive, Depends(live)]) -> Archive:
    """The serving build; 503 while the index is not open."""
    try:
        return index.archive()
    except NotReady as exc:
        raise HTTPException(503, f"the index is not ready: {exc}", headers={"Retry-After": "5"}) from exc


Reader = Annotated[ApiKey, Depends(reader)]
Editor = Annotated[ApiKey, Depends(editor)]
Live = Annotated[LiveArchive, Depends(live)]
ArchiveDep = Annotated[Archive, Depends(archive)]
