#!/usr/bin/env bash
# The office set-up on this machine: nginx (the Debian package, with its own configuration and prefix, not
# the system service) in front of Streamlit replicas of the app, at http://127.0.0.1:8600.
#
#   deploy/local.sh start              replicas, then the static files, then nginx (each if not running yet)
#   deploy/local.sh stop               everything started here (by the pids in the run folder)
#   deploy/local.sh status             what is running
#   deploy/local.sh restart-replica N  stop and start replica N (1, 2, …) and wait until it answers
#   deploy/local.sh site               print deploy/nginx.conf filled in (for a server's nginx)
#
# Settings, from the environment:
#   PLANMAP_PORT        nginx's port (8600)
#   PLANMAP_PORTS       the replicas' ports, one replica each ("8501 8502")
#   PLANMAP_UPSTREAMS   for `site`: the replicas as HOST:PORT (127.0.0.1 and PLANMAP_PORTS)
#   PLANMAP_LISTEN      for `site`: what nginx listens on (80)
#   PLANMAP_ACCESS_LOG  for `site`: the access log (/var/log/nginx/planmap.access.log)
#   PLANMAP_RUN_DIR     pids, logs, nginx's prefix (deploy/run)
#   PLANMAP_PYTHON      the Python with the requirements (the active venv's, else .venv's, else python3)
#   PLANMAP_NGINX       the nginx binary (nginx on PATH, else /usr/sbin/nginx)
#   PLANMAP_HEALTH_TIMEOUT  seconds a replica may take to answer /_stcore/health (90)
set -euo pipefail

DEPLOY=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$DEPLOY")
PORT=${PLANMAP_PORT:-8600}
read -r -a PORTS <<<"${PLANMAP_PORTS:-8501 8502}"
RUN=${PLANMAP_RUN_DIR:-$DEPLOY/run}
NGINX=${PLANMAP_NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
HEALTH_TIMEOUT=${PLANMAP_HEALTH_TIMEOUT:-90}

python_bin() {
    if [[ -n ${PLANMAP_PYTHON:-} ]]; then
        echo "$PLANMAP_PYTHON"
    elif [[ -n ${VIRTUAL_ENV:-} ]]; then
        echo "$VIRTUAL_ENV/bin/python"
    elif [[ -x $ROOT/.venv/bin/python ]]; then
        echo "$ROOT/.venv/bin/python"
    else
        command -v python3
    fi
}
PYTHON=$(python_bin)

say() { echo "local.sh: $*" >&2; }
die() {
    say "$*"
    exit 1
}

alive() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

port_free() {
    "$PYTHON" - "$1" <<'EOF'
import socket, sys
with socket.socket() as s:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(("127.0.0.1", int(sys.argv[1])))
    except OSError:
        sys.exit(1)
EOF
}

wait_healthy() { # port pidfile log
    "$PYTHON" - "$@" "$HEALTH_TIMEOUT" <<'EOF' || die "replica on port $1 did not answer; its log: $3"
import os, sys, time, urllib.request
port, pidfile, log, timeout = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
pid = int(open(pidfile).read())
deadline = time.monotonic() + timeout
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
            if response.status == 200:
                sys.exit(0)
    except OSError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        break  # it died: no point waiting
    time.sleep(0.3)
sys.stderr.write(open(log).read()[-3000:])
sys.exit(1)
EOF
}

start_replica() { # port; returns at once (wait_healthy waits)
    local port=$1 pidfile=$RUN/replica-$1.pid log=$RUN/replica-$1.log
    if alive "$pidfile"; then
        say "replica on port $port already running (pid $(cat "$pidfile"))"
        return
    fi
    port_free "$port" || die "port $port is taken by another program; set PLANMAP_PORTS"
    cd "$ROOT"
    # setsid: its own process group, so stop also ends the upload readers it spawned.
    setsid "$PYTHON" -m streamlit run app.py \
        --server.port "$port" --server.address 127.0.0.1 --server.headless true \
        --browser.gatherUsageStats false --server.fileWatcherType none \
        >"$log" 2>&1 </dev/null &
    echo $! >"$pidfile"
    say "replica on port $port starting (pid $!, log $log)"
}

stop_pid() { # pidfile what
    local pidfile=$1 pid
    alive "$pidfile" || {
        rm -f "$pidfile"
        return
    }
    pid=$(cat "$pidfile")
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
    for _ in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid"
    fi
    rm -f "$pidfile"
    say "stopped $2 (pid $pid)"
}

render_site() { # listen access_log servers...
    local listen=$1 access_log=$2 servers=""
    shift 2
    for upstream in "$@"; do
        servers+="server $upstream max_fails=3 fail_timeout=10s; "  # a replica that is down fails every request at once
    done
    sed -e "s|@LISTEN@|$listen|" -e "s|@SERVERS@|$servers|" -e "s|@STATIC@|$ROOT/static|g" \
        -e "s|@ACCESS_LOG@|$access_log|" "$DEPLOY/nginx.conf"
}

write_nginx_conf() {
    local prefix=$RUN/nginx upstreams=()
    mkdir -p "$prefix/logs" "$prefix/temp"
    for port in "${PORTS[@]}"; do upstreams+=("127.0.0.1:$port"); done
    render_site "127.0.0.1:$PORT" "$prefix/logs/access.log" "${upstreams[@]}" >"$prefix/site.conf"
    # Everything nginx writes stays in the run folder; no root needed beyond what binding the port needs.
    cat >"$prefix/nginx.conf" <<EOF
worker_processes 1;
pid $prefix/nginx.pid;
error_log $prefix/logs/error.log warn;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path $prefix/temp/body;
    proxy_temp_path $prefix/temp/proxy;
    fastcgi_temp_path $prefix/temp/fastcgi;
    uwsgi_temp_path $prefix/temp/uwsgi;
    scgi_temp_path $prefix/temp/scgi;
    include $prefix/site.conf;
}
EOF
}

start_nginx() {
    local prefix=$RUN/nginx
    if alive "$prefix/nginx.pid"; then
        say "nginx already running (pid $(cat "$prefix/nginx.pid"))"
        return
    fi
    [[ -x $NGINX ]] || die "nginx not found (Debian: apt-get install nginx; or set PLANMAP_NGINX)"
    port_free "$PORT" || die "port $PORT is taken by another program; set PLANMAP_PORT"
    write_nginx_conf
    "$NGINX" -p "$prefix" -c "$prefix/nginx.conf" -t -q
    "$NGINX" -p "$prefix" -c "$prefix/nginx.conf"
    say "nginx on http://127.0.0.1:$PORT (pid $(cat "$prefix/nginx.pid"), logs $prefix/logs)"
}

replica_port() { # N (1-based)
    [[ $1 =~ ^[0-9]+$ ]] && (($1 >= 1 && $1 <= ${#PORTS[@]})) || die "no replica $1 (there are ${#PORTS[@]})"
    echo "${PORTS[$1 - 1]}"
}

case ${1:-} in
start)
    mkdir -p "$RUN"
    for port in "${PORTS[@]}"; do start_replica "$port"; done
    for port in "${PORTS[@]}"; do wait_healthy "$port" "$RUN/replica-$port.pid" "$RUN/replica-$port.log"; done
    # The static files nginx serves itself must exist before it does (the app also writes them as it runs).
    (cd "$ROOT" && "$PYTHON" -m geo.web.offline >/dev/null)
    start_nginx
    ;;
stop)
    stop_pid "$RUN/nginx/nginx.pid" nginx
    for pidfile in "$RUN"/replica-*.pid; do
        if [[ -e $pidfile ]]; then stop_pid "$pidfile" "$(basename "$pidfile" .pid)"; fi
    done
    ;;
status)
    for pidfile in "$RUN/nginx/nginx.pid" "$RUN"/replica-*.pid; do
        [[ -e $pidfile ]] || continue
        if alive "$pidfile"; then state="running (pid $(cat "$pidfile"))"; else state="not running"; fi
        echo "$(basename "$pidfile" .pid): $state"
    done
    ;;
restart-replica)
    port=$(replica_port "${2:-}")
    stop_pid "$RUN/replica-$port.pid" "replica on port $port"
    start_replica "$port"
    wait_healthy "$port" "$RUN/replica-$port.pid" "$RUN/replica-$port.log"
    ;;
site)
    read -r -a upstreams <<<"${PLANMAP_UPSTREAMS:-$(printf '127.0.0.1:%s ' "${PORTS[@]}")}"
    render_site "${PLANMAP_LISTEN:-80}" "${PLANMAP_ACCESS_LOG:-/var/log/nginx/planmap.access.log}" "${upstreams[@]}"
    ;;
*)
    sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
