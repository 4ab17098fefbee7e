#!/usr/bin/env bash
# Crisis load bench, on loopback only, bounded in time (about 2 minutes, killed after 8).
#
# The production setup, started in a temporary folder: PostgreSQL, Redis (cache + broker),
# gunicorn with deploy/gunicorn.conf.py behind nginx with the shipped config (deploy/nginx/*.conf,
# micro-cache included), a Celery worker on every queue and beat. Then, for CRISIS_DURATION
# seconds (60):
#   - 256 concurrent readers (wrk) on the incident page and banner.json, half each;
#   - 20 comment posts per second from 300 reader addresses (127.10.x.y: nginx passes the
#     address it sees, and the app trusts X-Forwarded-For behind it);
#   - a third of the way in, a burst of 1,500 reader reports ("it's down for me") from 1,350
#     addresses, 150 of them sent twice (the second must be refused: one per reader per hour);
#   - half way, an editor's update is published (and the time until nginx shows it measured).
# It prints requests/s, p50/p99, 5xx counts (target 0, p99 < 50 ms), how many posts were
# rate-limited (429), the share of comments accepted into the queue (target >= 95%), the posts'
# p99 (target < 200 ms), accepted vs stored counts (every accepted comment and report must be in
# the database), and how the worker's automatic checks of the comments ended.
#
# The two load generators (wrk and bench/crisis_load.py) run at `nice 5`: on the two cores they
# share with the server they would otherwise take CPU from it that real readers' machines
# never take (wrk alone uses about two thirds of a core). CRISIS_CLIENT_NICE=0 runs them at the
# server's priority, as before; the posts' p99 then moves between 140 and 260 ms from run to run.
#
# Needs: wrk (apt-get install -y wrk), nginx, redis-server, PostgreSQL (initdb, pg_ctl), curl.
# CRISIS_DURATION, CRISIS_COMMENT_RATE, CRISIS_REPORTS, BENCH_CONNECTIONS override the figures;
# CRISIS_LOG_DIR, if set, keeps the logs (nginx's timing of each post, gunicorn, worker) there.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="$ROOT/.venv/bin/python"
export CRISIS_DURATION="${CRISIS_DURATION:-60}"
CONNECTIONS="${BENCH_CONNECTIONS:-256}"
CLIENT_NICE="${CRISIS_CLIENT_NICE:-5}"
THREADS="$(nproc)"; [ "$THREADS" -gt 4 ] && THREADS=4
SLUG="whatsapp-bench"
PAGE_PATH="/en/incidents/$SLUG/"
BANNER_PATH="/embed/banner.json?service=whatsapp&lang=fr"

die() { echo "crisis: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "$1 not found: $2"; }
need wrk "apt-get install -y wrk"
need nginx "apt-get install -y nginx"
need redis-server "apt-get install -y redis-server"
need curl "apt-get install -y curl"
PGBIN="$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1)")"
[ -x "$PGBIN/initdb" ] || die "PostgreSQL not found: apt-get install -y postgresql"
[ -x "$PY" ] || die "no .venv: run scripts/test or scripts/run once"

TMP="$(mktemp -d -t outagedesk-crisis-XXXXXX)"
chmod 755 "$TMP"
PIDS=()
PG_STARTED=""
WATCHDOG=""
cleanup() {
  set +e
  [ -n "$WATCHDOG" ] && pkill -TERM -P "$WATCHDOG" 2>/dev/null  # its sleep
  # Last started, first stopped: the app before Redis, which it would keep reconnecting to.
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    pid="${PIDS[$i]}"
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null
  done
  if [ -n "${CRISIS_LOG_DIR:-}" ]; then
    mkdir -p "$CRISIS_LOG_DIR"
    cp "$TMP"/*.log "$TMP"/nginx/*.log "$TMP"/posts.json "$CRISIS_LOG_DIR"/ 2>/dev/null
  fi
  [ -n "$PG_STARTED" ] && as_pg "$PGBIN/pg_ctl" -D "$TMP/pg/data" -m fast -w stop >/dev/null 2>&1
  rm -rf "$TMP"
}
trap cleanup EXIT
# Bounded: whatever happens, stop after 8 minutes.
( sleep 480; echo "crisis: time limit reached" >&2; kill -TERM $$ ) 2>/dev/null &
WATCHDOG=$!
PIDS+=("$WATCHDOG")

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_url() {
  for _ in $(seq 150); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.2; done
  tail -n 20 "$TMP"/*.log >&2 || true
  die "nothing answers at $1"
}
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# --- services ------------------------------------------------------------------------------------
PG_PORT="$(free_port)"; REDIS_PORT="$(free_port)"; NGINX_PORT="$(free_port)"
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

PROD_ENV=(
  "DATABASE_URL=postgresql://outagedesk@127.0.0.1:$PG_PORT/outagedesk"
  "REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0"
  "SECRET_KEY=crisis-bench-secret-key-$(date +%s%N)-not-for-production-use-0123456789"
  "DEBUG=0" "HTTPS=0" "TRUST_X_FORWARDED_FOR=1"
  "ALLOWED_HOSTS=127.0.0.1,localhost"
  "SITE_URL=http://127.0.0.1:$NGINX_PORT"
  "OUTAGEDESK_VAR_DIR=$TMP/var"
  "GUNICORN_BIND=unix:$TMP/gunicorn.sock"
)
prod() { env "${PROD_ENV[@]}" "$@"; }
echo "== production setup: migrate, collectstatic, data"
cd "$ROOT"
prod "$PY" manage.py migrate --noinput -v0
prod "$PY" manage.py compilemessages --ignore=.venv -v0
prod "$PY" manage.py collectstatic --noinput -v0
prod "$PY" bench/public_load_data.py create
# Started with env, not the prod function: a function sent to the background runs in a
# subshell, and $! would be that subshell's pid instead of the server's.
env "${PROD_ENV[@]}" "$PY" -m gunicorn -c deploy/gunicorn.conf.py outagedesk.wsgi:application \
  >"$TMP/gunicorn.log" 2>&1 &
PIDS+=($!)
# The worker and beat at the lower priority the shipped systemd units give them (Nice=10).
env "${PROD_ENV[@]}" nice -n 10 "$PY" -m celery -A outagedesk worker --queues gather,notify,default \
  --concurrency 2 --loglevel WARNING --without-gossip --without-mingle --hostname "crisis@%h" \
  >"$TMP/worker.log" 2>&1 &
PIDS+=($!)
env "${PROD_ENV[@]}" nice -n 10 "$PY" -m celery -A outagedesk beat --loglevel WARNING \
  --schedule "$TMP/celerybeat-schedule" >"$TMP/beat.log" 2>&1 &
PIDS+=($!)

mkdir -p "$TMP/nginx/cache" "$TMP/nginx/temp"
ln -s "$ROOT/deploy/nginx" "$TMP/nginx/outagedesk"
NGINX_USER=""; [ "$(id -u)" = 0 ] && NGINX_USER="user root;"
# The http{} settings of deploy/nginx.conf with a loopback port and temporary paths; the
# caching and proxying are the shipped snippets, included unchanged.
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
    # The posts apart, unbuffered, with nginx's own timing: how long the server took, whatever
    # the load generator's threads (on the same two cores) add to what they measure.
    map \$request_method \$bench_is_post { POST 1; default 0; }
    log_format bench_posts '\$msec \$uri \$status \$request_time \$upstream_response_time';
    access_log $TMP/nginx/post-timings.log bench_posts if=\$bench_is_post;
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
        location /static/ { alias $TMP/var/static/; }
        include outagedesk/outagedesk-locations.conf;
    }
}
EOF
nginx -t -q -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf"
nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" &
PIDS+=($!)
BASE="http://127.0.0.1:$NGINX_PORT"
wait_url "$BASE$PAGE_PATH"
wait_url "$BASE$BANNER_PATH"
curl -fsS -o /dev/null "$BASE/en/incidents/$SLUG/comments/"

# --- the crisis ------------------------------------------------------------------------------------
# Readers: each wrk connection alternates between the page and the banner; 5xx counted apart.
cat >"$TMP/readers.lua" <<EOF
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) n = 0; server_errors = 0 end
function request()
  n = n + 1
  if n % 2 == 0 then return wrk.format("GET", "$PAGE_PATH") end
  return wrk.format("GET", "$BANNER_PATH")
end
function response(status, headers, body)
  if status >= 500 then server_errors = server_errors + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("server_errors") end
  io.write(string.format("server errors: %d\n", total))
end
EOF
echo "== crisis: ${CRISIS_DURATION}s of $CONNECTIONS readers (wrk), ${CRISIS_COMMENT_RATE:-20} comments/s, a burst of ${CRISIS_REPORTS:-1500} reports, one publish"
nice -n "$CLIENT_NICE" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${CRISIS_DURATION}s" --timeout 5s --latency \
  -s "$TMP/readers.lua" "$BASE" >"$TMP/wrk.txt" 2>&1 &
WRK_PID=$!
nice -n "$CLIENT_NICE" "$PY" bench/crisis_load.py load "$BASE" "$SLUG" "$TMP/posts.json" \
  >"$TMP/posts.log" 2>&1 &
POSTS_PID=$!
sleep "$(( CRISIS_DURATION / 2 ))"
VISIBLE="$(prod "$PY" bench/public_load_data.py publish "$BASE$PAGE_PATH")"
wait "$WRK_PID" || true
wait "$POSTS_PID" || { cat "$TMP/posts.log" >&2; die "the comment and report load failed"; }

# --- report ------------------------------------------------------------------------------------------
echo
echo "readers (wrk, $CONNECTIONS connections, incident page + banner.json through nginx):"
"$PY" - "$TMP/wrk.txt" <<'PYEOF'
import re, sys
text = open(sys.argv[1]).read()
def ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
total = re.search(r"(\d+) requests in", text)
dist = dict((p, ms(v, u)) for p, v, u in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s)\s*$", text, re.M))
sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
errors5 = re.search(r"server errors: (\d+)", text)
if not rps:
    sys.exit(f"wrk failed: {text.strip()[-300:]}")
print(f"  requests/s {float(rps.group(1)):.0f}   requests {total.group(1)}   "
      f"p50 {dist.get('50', 0):.2f} ms   p99 {dist.get('99', 0):.2f} ms   "
      f"5xx {errors5.group(1) if errors5 else '?'}   "
      "socket errors " + ("connect {}, read {}, write {}, timeout (5 s) {}".format(*sock.groups()) if sock else "0"))
fives = int(errors5.group(1)) if errors5 else -1
p99 = dist.get("99", 0)
print(f"  readers target (0 5xx, p99 < 50 ms): "
      f"{'met' if fives == 0 and p99 < 50 else 'MISSED'} (5xx {fives if fives >= 0 else '?'}, p99 {p99:.2f} ms)")
PYEOF
echo "update published under load, visible through nginx after: $VISIBLE s"
echo "posts (through nginx, from many addresses):"
prod "$PY" bench/crisis_load.py check "$TMP/posts.json" "$TMP/nginx/post-timings.log"
