"""The configset and the collections of a Solr archive: each build is a collection of its own (``NAME_<time>``),
switched in by moving the alias ``NAME`` (``CREATEALIAS``), so readers never see a half-written build. The
collection it replaces is kept until the next build (searches running on it finish, as locally); older ones are
removed."""

from __future__ import annotations

import hashlib
import io
import time
import zipfile
from importlib import resources

from index.errors import IndexProblem
from index.solr.client import SolrClient

ADMIN = "/admin/collections"
CONFIGS = "/admin/configs"


def configset_name(dim: int) -> str:
    """The configset for vectors of ``dim`` dimensions (the schema names the dimension)."""
    return f"bulletin-archive-{_version()}-d{dim}"


def upload_configset(client: SolrClient, dim: int) -> str:
    """Upload the archive's configset for ``dim``-dimensional vectors (once; an existing one is kept)."""
    name = configset_name(dim)
    listed = client.get(CONFIGS, {"action": "LIST"}).get("configSets", [])
    if name not in listed:
        client.post(CONFIGS, _zip(dim), {"action": "UPLOAD", "name": name})
    return name


def create_collection(client: SolrClient, alias: str, configset: str, shards: int, replicas: int) -> str:
    """A new, empty collection for a build of ``alias``."""
    name = f"{alias}_{time.strftime('%Y%m%dT%H%M%S')}_{time.time_ns() % 1_000_000:06d}"
    client.get(ADMIN, {"action": "CREATE", "name": name, "collection.configName": configset,
                       "numShards": shards, "replicationFactor": replicas, "waitForFinalState": True,
                       "router.name": "compositeId", "router.field": "item_id"})  # an item's passages on its shard
    return name


def alias_target(client: SolrClient, alias: str) -> str | None:
    """The collection the alias points at now, None when there is none."""
    aliases = client.get(ADMIN, {"action": "LISTALIASES"}).get("aliases", {})
    target = aliases.get(alias)
    return target.split(",")[0] if target else None


def switch_alias(client: SolrClient, alias: str, collection: str) -> str | None:
    """Point ``alias`` at ``collection`` (atomic for readers); the collection it pointed at before, if any."""
    before = alias_target(client, alias)
    client.get(ADMIN, {"action": "CREATEALIAS", "name": alias, "collections": collection})
    return before


def delete_collection(client: SolrClient, name: str) -> None:
    client.get(ADMIN, {"action": "DELETE", "name": name})


def remove_old_builds(client: SolrClient, alias: str, keep: set[str]) -> list[str]:
    """Remove the alias's build collections except ``keep``; the names removed."""
    listed = client.get(ADMIN, {"action": "LIST"}).get("collections", [])
    old = [name for name in listed if name.startswith(f"{alias}_") and name not in keep]
    for name in old:
        delete_collection(client, name)
    return old


def cluster_health(client: SolrClient, collection: str) -> dict[str, object]:
    """Live nodes and, per shard, how many replicas are active and how many there are:
    ``{"live_nodes": n, "shards": {shard: active}, "replicas": {shard: all}}``."""
    status = client.get(ADMIN, {"action": "CLUSTERSTATUS", "collection": collection}).get("cluster", {})
    state = status.get("collections", {}).get(collection)
    if state is None:
        raise IndexProblem(f"Solr at {client.base}: no collection {collection!r}")
    live = set(status.get("live_nodes", []))
    shards = {name: sum(r.get("state") == "active" and r.get("node_name") in live
                        for r in shard.get("replicas", {}).values())
              for name, shard in state.get("shards", {}).items()}
    replicas = {name: len(shard.get("replicas", {})) for name, shard in state.get("shards", {}).items()}
    return {"live_nodes": len(live), "shards": shards, "replicas": replicas}


def layout(client: SolrClient, collection: str) -> tuple[int, int]:
    """(shards, replicas per shard) of a collection."""
    health = cluster_health(client, collection)
    replicas: dict[str, int] = health["replicas"]  # type: ignore[assignment]
    return len(replicas), max(replicas.values(), default=1)


def degraded(health: dict[str, object]) -> str:
    """'' when every replica serves; else which shards run on fewer replicas (or none), in plain words."""
    weak = [f"{shard} {active} of {health['replicas'][shard]} replicas"  # type: ignore[index]
            for shard, active in sorted(health["shards"].items())  # type: ignore[union-attr]
            if active < health["replicas"][shard]]  # type: ignore[index]
    if not weak:
        return ""
    lost = any(active == 0 for active in health["shards"].values())  # type: ignore[union-attr]
    return ("some items cannot be searched: " if lost else "serving from fewer copies: ") + ", ".join(weak)


def _zip(dim: int) -> bytes:
    """The configset folder as a zip, the schema's ``@DIM@`` replaced by the vector dimension."""
    folder = resources.files("index.solr") / "configset"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name in ("schema.xml", "solrconfig.xml"):
            text = (folder / name).read_text(encoding="utf-8").replace("@DIM@", str(dim))
            out.writestr(name, text)
    return buffer.getvalue()


def _version() -> str:
    """A short hash of the configset's files: a changed schema is uploaded under a new name."""
    folder = resources.files("index.solr") / "configset"
    digest = hashlib.sha256()
    for name in ("schema.xml", "solrconfig.xml"):
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()[:8]
