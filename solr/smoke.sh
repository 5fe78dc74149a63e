#!/usr/bin/env bash
# Smoke test of the loopback SolrCloud test cluster (solr/cluster.sh), end to end:
# start 3 nodes in a temp dir, upload configsets/minimal (Configsets API, zip over HTTP), create a
# 2 shards x 2 replicas collection, index 3 documents, query them on every node, kill -9 the node
# holding shard1's leader, query again (the other replicas answer), restart that node, wait until
# 3 live nodes and 4 active replicas, check every replica holds its shard's documents, stop.
# Exit 0 only if every step passed. Needs bash, curl, python3 (JSON checks), Java 17+, Maven.
# KEEP=1 keeps the temp dir (logs) afterwards.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CLUSTER="$HERE/cluster.sh"
DIR=$(mktemp -d "${TMPDIR:-/tmp}/solr-smoke.XXXXXX")
COLL=smoke
passed=0
failed=0
T0=$SECONDS

ok() { passed=$((passed + 1)); echo "PASS $*"; }
bad() { failed=$((failed + 1)); echo "FAIL $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }

# json EXPR: evaluates a Python expression over the JSON document `d` read from stdin
json() { python3 -c 'import json,sys; d=json.load(sys.stdin); v=eval(sys.argv[1]); print(v if not isinstance(v,(dict,list)) else json.dumps(v))' "$1"; }

all_pids=""
cleanup() {
    local rc=$?
    bash "$CLUSTER" stop "$DIR" >/dev/null 2>&1
    # nothing of ours may be left: processes or listening ports
    local left="" p
    for p in $all_pids; do kill -0 "$p" 2>/dev/null && left="$left $p"; done
    if [ -n "$left" ]; then bad "processes left behind:$left"; fi
    if [ -f "$DIR/ports.properties" ]; then
        for p in $(grep -v '^#' "$DIR/ports.properties" | cut -d= -f2); do
            if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then bad "port $p still listening"; left=1; fi
        done
    fi
    [ -z "$left" ] && ok "stopped: no process or port left behind"
    if [ "${KEEP:-0}" = 1 ] || [ "$failed" -gt 0 ]; then echo "logs kept in $DIR/logs"; else rm -rf "$DIR"; fi
    echo "smoke total $((SECONDS - T0)) s"
    echo "smoke: $passed passed, $failed failed"
    [ "$failed" -eq 0 ] && [ "$rc" -eq 0 ] && exit 0
    exit 1
}
trap cleanup EXIT
abort() { bad "$*"; exit 1; }

# --- 1. start ---------------------------------------------------------------------------------
t=$SECONDS
mapfile -t URLS < <(bash "$CLUSTER" start "$DIR") || abort "cluster start"
[ "${#URLS[@]}" -eq 3 ] || abort "cluster start: expected 3 base URLs, got ${#URLS[@]}"
ok "cluster started in $((SECONDS - t)) s: ${URLS[*]}"
STATUS="$DIR/status.json"
CTRL=$(json 'd["control_url"]' <"$STATUS")
all_pids="$(json '" ".join(str(n["pid"]) for n in d["nodes"])' <"$STATUS") $(json 'd["supervisor_pid"]' <"$STATUS")"
B=${URLS[0]}

live=$(curl -sf "$B/admin/collections?action=CLUSTERSTATUS&wt=json" | json 'len(d["cluster"]["live_nodes"])')
check "CLUSTERSTATUS lists 3 live nodes (got $live)" [ "$live" = 3 ]

# --- 2. configset upload (zip over HTTP) + 2x2 collection --------------------------------------
ZIP="$DIR/minimal.zip"
python3 - "$HERE/configsets/minimal/conf" "$ZIP" <<'EOF'
import os, sys, zipfile
src, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for root, _, files in os.walk(src):
        for f in files:
            p = os.path.join(root, f)
            z.write(p, os.path.relpath(p, src))  # solrconfig.xml at the zip's top level
EOF
r=$(curl -s -X POST -H 'Content-Type: application/octet-stream' --data-binary @"$ZIP" \
    "$B/admin/configs?action=UPLOAD&name=smoke_minimal&wt=json")
check "configset uploaded (Configsets API UPLOAD)" [ "$(echo "$r" | json 'd["responseHeader"]["status"]')" = 0 ]

t=$SECONDS
r=$(curl -s "$B/admin/collections?action=CREATE&name=$COLL&numShards=2&replicationFactor=2&collection.configName=smoke_minimal&waitForFinalState=true&wt=json")
check "collection $COLL created, 2 shards x 2 replicas ($((SECONDS - t)) s)" \
    [ "$(echo "$r" | json 'd["responseHeader"]["status"] == 0 and len(d.get("success", {})) >= 1')" = True ]

# active replica count, live node count of the collection
replicas_active() {
    curl -s "$B/admin/collections?action=CLUSTERSTATUS&collection=$COLL&wt=json" | json '
sum(1 for s in d["cluster"]["collections"]["'$COLL'"]["shards"].values()
      for r in s["replicas"].values()
      if r["state"] == "active" and r["node_name"] in d["cluster"]["live_nodes"])'
}
check "4 active replicas" [ "$(replicas_active)" = 4 ]

# --- 3. index 3 docs, query on each node ---------------------------------------------------------
# (ids chosen so that both shards get documents: doc1, doc5 -> shard1, doc4 -> shard2)
r=$(curl -s -X POST -H 'Content-Type: application/json' "$B/$COLL/update?commit=true&wt=json" --data-binary \
    '[{"id":"doc1","title_t":"first bulletin"},{"id":"doc4","title_t":"second bulletin"},{"id":"doc5","title_t":"third notice"}]')
check "3 documents indexed" [ "$(echo "$r" | json 'd["responseHeader"]["status"]')" = 0 ]

numfound() { curl -s --max-time 20 "$1/$COLL/select?q=$2&rows=0&wt=json" | json 'd["response"]["numFound"]' 2>/dev/null; }
for u in "${URLS[@]}"; do
    check "query *:* on $u finds 3" [ "$(numfound "$u" '*:*')" = 3 ]
done
check "query title_t:bulletin finds 2" [ "$(numfound "$B" 'title_t:bulletin')" = 2 ]

# --- 4. kill -9 the node holding shard1's leader ---------------------------------------------------
leader=$(curl -s "$B/admin/collections?action=CLUSTERSTATUS&collection=$COLL&wt=json" | json '
[r["node_name"] for r in d["cluster"]["collections"]["'$COLL'"]["shards"]["shard1"]["replicas"].values() if r.get("leader") == "true"][0]')
VICTIM=$(json '[n["index"] for n in d["nodes"] if n["node_name"] == "'"$leader"'"][0]' <"$STATUS")
vpid=$(json 'd["nodes"]['"$VICTIM"'-1]["pid"]' <"$STATUS")
bash "$CLUSTER" kill-node "$VICTIM" "$DIR" || abort "kill-node $VICTIM"
check "node $VICTIM (shard1 leader, pid $vpid) killed with kill -9" bash -c "! kill -0 $vpid 2>/dev/null"

# queries on the surviving nodes, right away and for ~10 s (the dead node is still listed live
# in ZooKeeper until its session expires; Solr retries the other replica)
survivors=()
for i in 1 2 3; do [ "$i" != "$VICTIM" ] && survivors+=("${URLS[$((i - 1))]}"); done
qok=0; qbad=0
for round in $(seq 1 10); do
    for u in "${survivors[@]}"; do
        if [ "$(numfound "$u" '*:*')" = 3 ]; then qok=$((qok + 1)); else qbad=$((qbad + 1)); fi
    done
    sleep 1
done
check "queries with node $VICTIM down: $qok of $((qok + qbad)) found all 3 docs" [ "$qbad" = 0 ]

# --- 5. restart it, wait for the cluster to be whole -------------------------------------------------
t=$SECONDS
bash "$CLUSTER" start-node "$VICTIM" "$DIR" >/dev/null || abort "start-node $VICTIM"
ok "node $VICTIM restarted and live again ($((SECONDS - t)) s)"
all_pids="$all_pids $(json 'd["nodes"]['"$VICTIM"'-1]["pid"]' <"$STATUS")"
active=0
for i in $(seq 1 120); do
    active=$(replicas_active 2>/dev/null || echo 0)
    [ "$active" = 4 ] && break
    sleep 1
done
live=$(curl -sf "$B/admin/collections?action=CLUSTERSTATUS&wt=json" | json 'len(d["cluster"]["live_nodes"])')
check "cluster whole again: $live live nodes, $active active replicas ($((SECONDS - t)) s after restart)" \
    [ "$live" = 3 -a "$active" = 4 ]

# every replica, asked alone (distrib=false), holds its shard's documents; the shards add up to 3
per_replica=$(curl -s "$B/admin/collections?action=CLUSTERSTATUS&collection=$COLL&wt=json" | json '
[[s, r["base_url"] + "/" + r["core"]] for s, sh in sorted(d["cluster"]["collections"]["'$COLL'"]["shards"].items())
                                      for r in sh["replicas"].values()]' | python3 -c '
import json, sys, urllib.request
counts = {}
for shard, core in json.load(sys.stdin):
    n = json.load(urllib.request.urlopen(core + "/select?q=*:*&rows=0&distrib=false&wt=json"))["response"]["numFound"]
    counts.setdefault(shard, []).append(n)
same = all(len(set(v)) == 1 for v in counts.values())
print("ok" if same and sum(v[0] for v in counts.values()) == 3 else "bad", counts)')
check "replicas in sync: $per_replica" [ "${per_replica%% *}" = ok ]
for u in "${URLS[@]}"; do
    check "query *:* on $u finds 3 after restart" [ "$(numfound "$u" '*:*')" = 3 ]
done
# cleanup (trap) stops the cluster and checks nothing is left
