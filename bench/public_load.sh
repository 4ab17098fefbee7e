#!/usr/bin/env bash
# Load bench of the public side, on loopback only and bounded in time (about 2 minutes).
#
# wrk with 256 connections against the incident page, the service page and banner.json:
#   1. production: nginx with the shipped micro-cache (deploy/nginx/*.conf), gunicorn with
#      deploy/gunicorn.conf.py, Redis (cache) and PostgreSQL, all started in a temporary folder;
#      while the page is under load an update is published and the time until nginx serves it
#      is measured (target: 2 s);
#   2. the embedded default (`manage.py run_embedded`: SQLite, file cache, gunicorn alone);
#   3. the reference: the same bytes served by the same nginx as static files.
# Prints requests/s, p50, p99, errors and each ratio to the reference.
#
# Needs: wrk (apt-get install wrk), nginx, redis-server, PostgreSQL (initdb, pg_ctl), curl.
# BENCH_DURATION (seconds per wrk run, default 10), BENCH_CONNECTIONS (default 256).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="$ROOT/.venv/bin/python"
DURATION="${BENCH_DURATION:-10}"
CONNECTIONS="${BENCH_CONNECTIONS:-256}"
THREADS="$(nproc)"; [ "$THREADS" -gt 4 ] && THREADS=4
PAGE_PATH="/en/incidents/whatsapp-bench/"
SERVICE_PATH="/en/services/whatsapp/"
BANNER_PATH="/embed/banner.json?service=whatsapp&lang=fr"

die() { echo "public_load: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "$1 not found: $2"; }
need wrk "apt-get install -y wrk"
need nginx "apt-get install -y nginx"
need redis-server "apt-get install -y redis-server"
need curl "apt-get install -y curl"
PGBIN="$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1)")"
[ -x "$PGBIN/initdb" ] || die "PostgreSQL not found: apt-get install -y postgresql"
[ -x "$PY" ] || die "no .venv: run scripts/test or scripts/run once"

TMP="$(mktemp -d -t outagedesk-bench-XXXXXX)"
chmod 755 "$TMP"
PIDS=()
PG_STARTED=""
HAD_CONTROL_DIR="$([ -e "$ROOT/control" ] && echo 1 || true)"
WATCHDOG=""
cleanup() {
  set +e
  [ -n "$WATCHDOG" ] && pkill -TERM -P "$WATCHDOG" 2>/dev/null  # its sleep
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null
  done
  # Celery's filesystem transport leaves its control folder in the working directory.
  [ -z "$HAD_CONTROL_DIR" ] && rm -rf "$ROOT/control"
  [ -n "$PG_STARTED" ] && as_pg "$PGBIN/pg_ctl" -D "$TMP/pg/data" -m fast -w stop >/dev/null 2>&1
  rm -rf "$TMP"
}
trap cleanup EXIT
# Bounded: whatever happens, stop after 10 minutes.
( sleep 600; echo "public_load: time limit reached" >&2; kill -TERM $$ ) 2>/dev/null &
WATCHDOG=$!
PIDS+=("$WATCHDOG")

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_url() {
  for _ in $(seq 150); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.2; done
  tail -n 20 "$TMP"/*.log >&2 || true
  die "nothing answers at $1"
}
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# --- services: PostgreSQL and Redis ------------------------------------------------------------
PG_PORT="$(free_port)"; REDIS_PORT="$(free_port)"; NGINX_PORT="$(free_port)"
STATIC_PORT="$(free_port)"; EMBED_PORT="$(free_port)"; REPLAY_PORT="$(free_port)"
echo "== starting PostgreSQL, Redis (in $TMP)"
mkdir -p "$TMP/pg"
[ "$(id -u)" = 0 ] && chown postgres "$TMP/pg"
as_pg "$PGBIN/initdb" -D "$TMP/pg/data" -U outagedesk --auth=trust -E UTF8 >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$TMP/pg/data" -w -l "$TMP/pg/log" \
  -o "-p $PG_PORT -k $TMP/pg -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
PG_STARTED=1
"$PGBIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U outagedesk -d postgres -qc "CREATE DATABASE outagedesk" >/dev/null
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$TMP" \
  >"$TMP/redis.log" 2>&1 &
PIDS+=($!)

# --- production: gunicorn behind nginx ---------------------------------------------------------
PROD_ENV=(
  "DATABASE_URL=postgresql://outagedesk@127.0.0.1:$PG_PORT/outagedesk"
  "REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
  "SECRET_KEY=bench-secret-key-$(date +%s%N)-not-for-production-use-0123456789"
  "DEBUG=0" "HTTPS=0" "TRUST_X_FORWARDED_FOR=1"
  "ALLOWED_HOSTS=127.0.0.1,localhost"
  "SITE_URL=http://127.0.0.1:$NGINX_PORT"
  "OUTAGEDESK_VAR_DIR=$TMP/var-prod"
  "GUNICORN_BIND=unix:$TMP/gunicorn.sock"
)
prod() { env "${PROD_ENV[@]}" "$@"; }
echo "== production setup: migrate, collectstatic, data"
cd "$ROOT"
prod "$PY" manage.py migrate --noinput -v0
prod "$PY" manage.py compilemessages --ignore=.venv -v0
prod "$PY" manage.py collectstatic --noinput -v0
prod "$PY" bench/public_load_data.py create
env "${PROD_ENV[@]}" "$PY" -m gunicorn -c deploy/gunicorn.conf.py outagedesk.wsgi:application \
  >"$TMP/gunicorn.log" 2>&1 &
PIDS+=($!)

mkdir -p "$TMP/nginx/cache" "$TMP/nginx/temp" "$TMP/static-ref"
ln -s "$ROOT/deploy/nginx" "$TMP/nginx/outagedesk"
NGINX_USER=""; [ "$(id -u)" = 0 ] && NGINX_USER="user root;"
# The http{} settings of deploy/nginx.conf with loopback ports and temporary paths; the
# caching itself is the shipped snippets, included unchanged.
cat >"$TMP/nginx/nginx.conf" <<EOF
$NGINX_USER
worker_processes auto;
worker_rlimit_nofile 65536;
daemon off;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 16384; multi_accept on; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on; tcp_nopush on; tcp_nodelay on;
    keepalive_timeout 30s; keepalive_requests 100000;
    server_tokens off;
    access_log $TMP/nginx/access.log combined buffer=64k flush=5s;
    client_body_temp_path $TMP/nginx/temp/body;
    proxy_temp_path $TMP/nginx/temp/proxy;
    fastcgi_temp_path $TMP/nginx/temp/fastcgi;
    uwsgi_temp_path $TMP/nginx/temp/uwsgi;
    scgi_temp_path $TMP/nginx/temp/scgi;
    proxy_cache_path $TMP/nginx/cache levels=1:2 keys_zone=outagedesk:32m
                     max_size=1g inactive=30m use_temp_path=off;
    upstream outagedesk_app {
        server unix:$TMP/gunicorn.sock fail_timeout=0;
    }
    include outagedesk/outagedesk-http.conf;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location /static/ { alias $TMP/var-prod/static/; }
        include outagedesk/outagedesk-locations.conf;
    }
    # The reference: the same bytes, as static files, from the same nginx.
    server {
        listen 127.0.0.1:$STATIC_PORT;
        root $TMP/static-ref;
        location / { types { text/html html; application/json json; } }
    }
}
EOF
nginx -t -q -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf"
nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" &
PIDS+=($!)
PROD="http://127.0.0.1:$NGINX_PORT"
wait_url "$PROD$PAGE_PATH"
curl -fsS -o "$TMP/static-ref/incident.html" "$PROD$PAGE_PATH"
curl -fsS -o "$TMP/static-ref/banner.json" "$PROD$BANNER_PATH"
curl -fsS -o "$TMP/static-ref/service.html" "$PROD$SERVICE_PATH"
REF="http://127.0.0.1:$STATIC_PORT"
wait_url "$REF/incident.html"
echo "   incident page: $(wc -c <"$TMP/static-ref/incident.html") bytes; service page: $(wc -c <"$TMP/static-ref/service.html") bytes; banner.json: $(wc -c <"$TMP/static-ref/banner.json") bytes"
curl -fsS -o /dev/null "$PROD$PAGE_PATH"
echo "   nginx cache on the page: $(curl -fsS -D - -o /dev/null "$PROD$PAGE_PATH" | tr -d '\r' | sed -n 's/^X-Cache-Status: //p')"

# --- measuring -----------------------------------------------------------------------------------
RESULTS="$TMP/results.txt"
: >"$RESULTS"
# run_wrk LABEL SETUP URL: one wrk run, one line "label|setup|req/s|p50|p99|errors" in RESULTS.
run_wrk() {
  local out="$TMP/wrk-$RANDOM.txt"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 5s --latency "$3" >"$out" 2>&1 || true
  "$PY" - "$1" "$2" "$out" >>"$RESULTS" <<'PYEOF'
import re, sys
label, setup, path = sys.argv[1:4]
text = open(path).read()
def ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
dist = dict((p, ms(v, u)) for p, v, u in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s)\s*$", text, re.M))
sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
errors = (sum(map(int, sock.groups())) if sock else 0) + (int(non2xx.group(1)) if non2xx else 0)
if not rps:
    print(f"{label}|{setup}|0|0|0|wrk failed: {text.strip()[-200:]!r}")
else:
    print(f"{label}|{setup}|{float(rps.group(1)):.0f}|{dist.get('50', 0):.2f}|{dist.get('99', 0):.2f}|{errors}")
PYEOF
}

echo "== production (nginx micro-cache + gunicorn + Redis + PostgreSQL), ${DURATION}s per run"
run_wrk "incident page" production "$PROD$PAGE_PATH" &
WRK_PID=$!
sleep 3
VISIBLE="$(prod "$PY" bench/public_load_data.py publish "$PROD$PAGE_PATH")"
wait "$WRK_PID"
echo "   update published under load, visible through nginx after: ${VISIBLE} s"
run_wrk "service page" production "$PROD$SERVICE_PATH"
run_wrk "banner.json" production "$PROD$BANNER_PATH"

echo "== embedded default (manage.py run_embedded: SQLite, file cache, gunicorn, Celery)"
# The filesystem broker's folders must exist before the Celery worker starts.
mkdir -p "$TMP/var-embedded/broker/queue" "$TMP/var-embedded/broker/processed"
# run_embedded writes var/secret_key, but settings need a key before any command runs.
EMBED_KEY="embedded-bench-secret-key-$(date +%s%N)-0123456789abcdefghij"
env -u DATABASE_URL -u REDIS_URL OUTAGEDESK_VAR_DIR="$TMP/var-embedded" SECRET_KEY="$EMBED_KEY" \
  "$PY" manage.py run_embedded --port "$EMBED_PORT" --replay-port "$REPLAY_PORT" \
  >"$TMP/embedded.log" 2>&1 &
EMBED_PID=$!
PIDS+=("$EMBED_PID")
EMBED="http://127.0.0.1:$EMBED_PORT"
wait_url "$EMBED/"
env -u DATABASE_URL -u REDIS_URL OUTAGEDESK_VAR_DIR="$TMP/var-embedded" \
  SECRET_KEY="$EMBED_KEY" SITE_URL="$EMBED" \
  "$PY" bench/public_load_data.py create
wait_url "$EMBED$PAGE_PATH"
run_wrk "incident page" embedded "$EMBED$PAGE_PATH"
run_wrk "service page" embedded "$EMBED$SERVICE_PATH"
run_wrk "banner.json" embedded "$EMBED$BANNER_PATH"
# Stop it (web, worker, beat) so it takes no CPU from the reference runs.
kill -TERM "$EMBED_PID"
for _ in $(seq 100); do kill -0 "$EMBED_PID" 2>/dev/null || break; sleep 0.2; done

echo "== reference (nginx, same bytes as static files)"
run_wrk "incident page" reference "$REF/incident.html"
run_wrk "service page" reference "$REF/service.html"
run_wrk "banner.json" reference "$REF/banner.json"

# --- report ----------------------------------------------------------------------------------------
echo
"$PY" - "$RESULTS" "$VISIBLE" "$CONNECTIONS" <<'PYEOF'
import sys
rows = [line.rstrip("\n").split("|") for line in open(sys.argv[1]) if line.strip()]
visible, connections = sys.argv[2], sys.argv[3]
reference = {r[0]: float(r[2]) for r in rows if r[1] == "reference"}
print(f"wrk, {connections} connections, loopback")
print(f"{'target':<15}{'setup':<12}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'ratio':>8}")
failures = []
for label in ("incident page", "service page", "banner.json"):
    for setup in ("production", "embedded", "reference"):
        for row in rows:
            if row[0] != label or row[1] != setup:
                continue
            rps, p50, p99 = float(row[2]), float(row[3]), float(row[4])
            errors = row[5]
            ratio = rps / reference[label] if reference.get(label) else 0.0
            print(f"{label:<15}{setup:<12}{rps:>10.0f}{p50:>9.2f}{p99:>9.2f}{errors:>8}{ratio:>8.2f}")
            if setup == "production":
                if ratio < 0.5:
                    failures.append(f"{label}: {ratio:.2f} of the static reference (target 0.50)")
                if p99 >= 50:
                    failures.append(f"{label}: p99 {p99:.1f} ms (target < 50 ms)")
                if errors != "0":
                    failures.append(f"{label}: {errors} errors (target 0)")
try:
    seconds = float(visible)
except ValueError:
    seconds = float("inf")
print(f"update published under load visible through nginx after {visible} s (target <= 2 s)")
if seconds > 2:
    failures.append(f"update visible after {visible} s (target 2 s)")
print("production targets: " + ("all met" if not failures else "MISSED: " + "; ".join(failures)))
PYEOF
