#!/usr/bin/env bash
# Test SolrCloud cluster on loopback: embedded ZooKeeper + N Solr nodes, each node its own JVM.
# Built from Maven artifacts (solr/pom.xml). See solr/README.md.
#
#   cluster.sh start [DIR]         build if needed, start in the background, wait until all nodes
#                                  are live, print the node base URLs (one per line) on stdout
#   cluster.sh stop [DIR]          stop everything started for DIR, free the ports
#   cluster.sh status [DIR]        print DIR/status.json (exit 0 up, 3 not running, 4 starting)
#   cluster.sh urls [DIR]          base URLs of the running nodes
#   cluster.sh kill-node N [DIR]   kill -9 node N (1-based)
#   cluster.sh stop-node N [DIR]   stop node N cleanly (SIGTERM)
#   cluster.sh start-node N [DIR]  start node N again (same port, same data); waits until live
#   cluster.sh build               (re)build the launcher only
#
# DIR defaults to $SOLR_CLUSTER_DIR, else solr/.cluster. Environment (all optional):
#   SOLR_CLUSTER_NODES=3  SOLR_CLUSTER_TIMEOUT=180 (s)  SOLR_NODE_HEAP=512m  SOLR_NODE_JAVA_OPTS=
#   SOLR_CLUSTER_ZK_PORT  SOLR_CLUSTER_PORTS=p1,p2,p3  SOLR_CLUSTER_CONTROL_PORT  (fixed ports;
#   otherwise free ports in 20000-31999 are picked, and reused on the next start of the same DIR)
#   SOLR_ZK_CLIENT_TIMEOUT=15000 (ms)  SOLR_LOG_LEVEL=WARN  JAVA_HOME (Java 17+)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TIMEOUT=${SOLR_CLUSTER_TIMEOUT:-180}
export SOLR_CLUSTER_TIMEOUT=$TIMEOUT

die() { echo "cluster.sh: $*" >&2; exit 1; }
say() { echo "cluster.sh: $*" >&2; }

find_java() {
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
        JAVA="$JAVA_HOME/bin/java"
    elif command -v java >/dev/null 2>&1; then
        JAVA=$(command -v java)
    else
        die "Java not found: install a JDK 17+ (Debian: apt-get install openjdk-17-jdk-headless) or set JAVA_HOME"
    fi
    local v major
    v=$("$JAVA" -version 2>&1 | head -1 | sed -E 's/.*version "([^"]+)".*/\1/')
    major=${v%%.*}
    [ "$major" = 1 ] && major=$(echo "$v" | cut -d. -f2)
    if ! [ "$major" -ge 17 ] 2>/dev/null; then
        die "Java $v at $JAVA is too old: Solr 9.10 here needs Java 17+ (set JAVA_HOME)"
    fi
}

# Build target/classes and target/classpath.txt unless they are newer than pom.xml and src/.
build() {
    local stamp="$HERE/target/.built"
    if [ -f "$stamp" ] && [ -f "$HERE/target/classpath.txt" ] \
        && [ -z "$(find "$HERE/pom.xml" "$HERE/src" -newer "$stamp" -print -quit)" ]; then
        return 0
    fi
    command -v mvn >/dev/null 2>&1 || die "Maven (mvn) not found: install Maven 3.6+ (Debian: apt-get install maven)"
    mkdir -p "$HERE/target"
    local log="$HERE/target/build.log" t0=$SECONDS
    say "building the launcher (mvn compile; first time downloads ~115 MB into ~/.m2)..."
    # Offline first (fast, no network) when the jars are already in ~/.m2; else online.
    if ! (cd "$HERE" && mvn -B -q -o -Dstyle.color=never compile) >"$log" 2>&1; then
        if ! (cd "$HERE" && mvn -B -q -Dstyle.color=never compile) >"$log" 2>&1; then
            tail -40 "$log" >&2
            die "Maven build failed (full log: $log)"
        fi
    fi
    touch "$stamp"
    say "built in $((SECONDS - t0)) s"
}

resolve_dir() {
    local d=${1:-${SOLR_CLUSTER_DIR:-$HERE/.cluster}}
    mkdir -p "$d"
    (cd "$d" && pwd)
}

# pid of the supervisor of DIR if it is running, else empty
supervisor_pid() {
    local dir=$1 pid
    [ -f "$dir/supervisor.pid" ] || return 0
    pid=$(tr -dc '0-9' <"$dir/supervisor.pid")
    [ -n "$pid" ] || return 0
    if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "archive.solrcluster.SolrCluster --dir $dir "; then
        echo "$pid"
    fi
}

control_url() {
    local dir=$1
    [ -f "$dir/control.url" ] || die "no control channel for $dir (is the cluster running?)"
    command -v curl >/dev/null 2>&1 || die "curl not found"
    tr -d '\n' <"$dir/control.url"
}

# node pids listed in DIR/status.json (left behind only if the supervisor was killed hard)
status_pids() {
    [ -f "$1/status.json" ] || return 0
    grep -o '"pid":[0-9]*' "$1/status.json" | cut -d: -f2 || true
}

port_listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

print_urls() { grep -o '"base_url":"[^"]*"' "$1/status.json" | cut -d'"' -f4; }

cmd_start() {
    local dir pid t0=$SECONDS
    dir=$(resolve_dir "${1:-}")
    if [ -n "$(supervisor_pid "$dir")" ]; then
        if [ -f "$dir/status.json" ]; then
            say "already running in $dir"
            print_urls "$dir"
            return 0
        fi
        die "a cluster is still starting or stopping in $dir; run: $0 stop $dir"
    fi
    find_java
    build
    mkdir -p "$dir/logs"
    rm -f "$dir/status.json" "$dir/control.url" "$dir/supervisor.pid"
    say "starting ${SOLR_CLUSTER_NODES:-3} Solr nodes + ZooKeeper in $dir (timeout ${TIMEOUT}s)"
    # setsid: the cluster outlives this shell and its process group; ZooKeeper runs in this JVM.
    setsid nohup "$JAVA" -Xms32m -Xmx${SOLR_SUPERVISOR_HEAP:-192m} -XX:+UseSerialGC \
        -Djava.net.preferIPv4Stack=true \
        -Dlog4j2.configurationFile="$HERE/target/classes/log4j2.xml" \
        -cp "$HERE/target/classes:$(cat "$HERE/target/classpath.txt")" \
        archive.solrcluster.SolrCluster --dir "$dir" \
        >>"$dir/logs/cluster.log" 2>&1 </dev/null &
    pid=$!
    local deadline=$((SECONDS + TIMEOUT + 30))
    while [ ! -f "$dir/status.json" ]; do
        if ! kill -0 "$pid" 2>/dev/null; then
            say "the cluster failed to start; last lines of $dir/logs/cluster.log:"
            tail -25 "$dir/logs/cluster.log" >&2
            for f in "$dir"/logs/node*.log; do
                [ -f "$f" ] || continue
                echo "--- $f" >&2
                tail -15 "$f" >&2
            done
            exit 1
        fi
        if [ $SECONDS -ge $deadline ]; then
            say "timed out after $((SECONDS - t0)) s; stopping"
            tail -25 "$dir/logs/cluster.log" >&2
            cmd_stop "$dir" >/dev/null 2>&1 || true
            exit 1
        fi
        sleep 0.5
    done
    say "up in $((SECONDS - t0)) s; status: $dir/status.json; zk: $(grep -o '"zk_host":"[^"]*"' "$dir/status.json" | cut -d'"' -f4)"
    print_urls "$dir"
}

cmd_stop() {
    local dir pid pids p i
    dir=$(resolve_dir "${1:-}")
    pid=$(supervisor_pid "$dir")
    pids=$(status_pids "$dir")
    if [ -n "$pid" ]; then
        kill -TERM "$pid" 2>/dev/null || true
        for i in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        if kill -0 "$pid" 2>/dev/null; then
            say "supervisor $pid did not stop in 75 s, kill -9"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    # Nodes halt by themselves once their supervisor is gone; make sure of it.
    for p in $pids; do
        for i in $(seq 1 20); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
        if [ -r "/proc/$p/cmdline" ] && tr '\0' ' ' <"/proc/$p/cmdline" | grep -qF -- "--home $dir/node"; then
            say "node pid $p still there, kill -9"
            kill -KILL "$p" 2>/dev/null || true
        fi
    done
    rm -f "$dir/status.json" "$dir/status.json.tmp" "$dir/control.url" "$dir/supervisor.pid"
    if [ -f "$dir/ports.properties" ]; then
        for p in $(grep -v '^#' "$dir/ports.properties" | cut -d= -f2); do
            for i in $(seq 1 20); do port_listening "$p" || break; sleep 0.25; done
            port_listening "$p" && say "warning: port $p is still in use"
        done
    fi
    if [ -n "$pid" ]; then say "stopped ($dir)"; else say "not running ($dir)"; fi
}

cmd_status() {
    local dir
    dir=$(resolve_dir "${1:-}")
    if [ -z "$(supervisor_pid "$dir")" ]; then say "not running ($dir)"; exit 3; fi
    if [ ! -f "$dir/status.json" ]; then say "starting ($dir)"; exit 4; fi
    cat "$dir/status.json"
}

cmd_urls() {
    local dir
    dir=$(resolve_dir "${1:-}")
    [ -n "$(supervisor_pid "$dir")" ] || die "not running ($dir)"
    curl -sf "$(control_url "$dir")/urls"
}

check_n() { [[ "${1:-}" =~ ^[0-9]+$ ]] || die "usage: $0 $2 N [DIR]   (N = node number, from 1)"; }

cmd_kill_node() {
    local n=${1:-} dir pid i
    check_n "$n" kill-node
    dir=$(resolve_dir "${2:-}")
    [ -n "$(supervisor_pid "$dir")" ] || die "not running ($dir)"
    pid=$(curl -sf "$(control_url "$dir")/nodes/$n/pid" | tr -dc '0-9') || die "no node $n"
    [ -n "$pid" ] || die "node $n is not running"
    kill -KILL "$pid"
    for i in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    say "node $n (pid $pid) killed with SIGKILL"
}

cmd_node_op() { # start-node / stop-node
    local op=$1 n=${2:-} dir out
    check_n "$n" "$op-node"
    dir=$(resolve_dir "${3:-}")
    [ -n "$(supervisor_pid "$dir")" ] || die "not running ($dir)"
    if ! out=$(curl -sS -X POST --max-time $((TIMEOUT + 60)) -w '\n%{http_code}' "$(control_url "$dir")/nodes/$n/$op"); then
        die "$op-node $n: control channel did not answer"
    fi
    if [ "$(echo "$out" | tail -1)" != 200 ]; then
        echo "$out" | sed '$d' >&2
        die "$op-node $n failed (node log: $dir/logs/node$n.log)"
    fi
    say "node $n: $([ "$op" = start ] && echo started || echo stopped)"
    [ "$op" = start ] && grep -o '"base_url":"[^"]*"' "$dir/status.json" | sed -n "${n}p" | cut -d'"' -f4
    return 0
}

case "${1:-}" in
    start) cmd_start "${2:-}" ;;
    stop) cmd_stop "${2:-}" ;;
    status) cmd_status "${2:-}" ;;
    urls) cmd_urls "${2:-}" ;;
    kill-node) cmd_kill_node "${2:-}" "${3:-}" ;;
    start-node) cmd_node_op start "${2:-}" "${3:-}" ;;
    stop-node) cmd_node_op stop "${2:-}" "${3:-}" ;;
    build) find_java; build ;;
    *)
        sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2
        exit 2
        ;;
esac
