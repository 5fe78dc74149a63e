"""Solr over plain HTTP JSON (httpx): every failure becomes an IndexProblem in plain words that names the fix."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import httpx

from index.errors import IndexMissing, IndexProblem

Params = Mapping[str, object] | Sequence[tuple[str, object]]


class SolrClient:
    """One Solr cluster's HTTP API, reached through one of its nodes.

    Args:
        base: The Solr base URL, e.g. ``http://127.0.0.1:8983/solr``.
        timeout: Seconds a request may take.
    """

    def __init__(self, base: str, timeout: float = 60.0) -> None:
        self.base = base.rstrip("/")
        self._http = httpx.Client(base_url=self.base, timeout=timeout)

    def close(self) -> None:
        self._http.close()

    def get(self, path: str, params: Params = ()) -> dict:
        return self._send("GET", path, params=_params(params))

    def post(self, path: str, body: object, params: Params = ()) -> dict:
        """POST ``body`` as JSON (or as it is when bytes, for a configset zip)."""
        if isinstance(body, bytes):
            return self._send("POST", path, params=_params(params), content=body,
                              headers={"Content-Type": "application/octet-stream"})
        return self._send("POST", path, params=_params(params), content=json.dumps(body, ensure_ascii=False),
                          headers={"Content-Type": "application/json"})

    def _send(self, method: str, path: str, **request: object) -> dict:
        try:
            response = self._http.request(method, path, **request)  # type: ignore[arg-type]
        except httpx.TransportError as exc:
            raise IndexProblem(f"Solr at {self.base} does not answer ({exc}); is it running?") from exc
        try:
            data = response.json()
        except ValueError:
            data = {}
        if response.status_code == 404 and "/admin/" not in path:
            raise IndexMissing(f"Solr at {self.base}: no collection behind {path.split('/')[1]!r}; "
                               f"build one with 'bulletins build --index solr://…'")
        if response.status_code >= 400 or data.get("responseHeader", {}).get("status", 0) != 0:
            raise IndexProblem(f"Solr at {self.base} refused {method} {path}: {_message(data, response)}")
        return data


def _params(params: Params) -> list[tuple[str, str]]:
    items = params.items() if isinstance(params, Mapping) else params
    return [(k, str(v).lower() if isinstance(v, bool) else str(v)) for k, v in [*items, ("wt", "json")]]


def _message(data: dict, response: httpx.Response) -> str:
    error = data.get("error", {})
    return str(error.get("msg") or data.get("exception", {}).get("msg") or response.text[:300] or response.status_code)
