#!/usr/bin/env bash
# Two instances of the release server on one PostgreSQL database, behind nginx, all on loopback:
# what several application servers behind a load balancer look like, on one machine.
#
#   scripts/cluster.sh start   PostgreSQL (scripts/postgres.sh), a fresh database lp_cluster,
#                              instance A on :3411, B on :3412, nginx on :3410; prints the URL
#   scripts/cluster.sh stop    stops the instances and nginx (PostgreSQL stays)
#   scripts/cluster.sh test    start, run scripts/cluster_check.py against it, stop
#
# Needs the release build with the test clock (`scripts/build.sh --bin-features
# test-clock`, which the test command makes: the check moves the servers' clock through notice
# periods) and
# installs Debian's nginx if it is missing. Files go to target/cluster/.
set -euo pipefail
cd "$(dirname "$0")/.."

DIR=$PWD/target/cluster
PROXY_PORT=3410
PORTS=(3411 3412)
NAMES=(a b)
log() { printf '[cluster] %s\n' "$*" >&2; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

start_instance() {
  local name=$1 port=$2 url=$3
  DATABASE_URL=$url LEPTOS_SITE_ADDR=127.0.0.1:$port LEPTOS_SITE_ROOT=target/site \
    LEPTOS_SITE_PKG_DIR=pkg LEPTOS_OUTPUT_NAME=labor-plaza UPLOADS_DIR=$DIR/uploads \
    TRUSTED_PROXIES=127.0.0.1 RUST_LOG=info,sqlx=warn LABOR_PLAZA_CLOCK_OFFSET_FILE=$DIR/clock-offset \
    nohup target/release/server serve >"$DIR/$name.log" 2>&1 &
  echo $! >"$DIR/$name.pid"
  for _ in $(seq 240); do
    if curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then return; fi
    if ! kill -0 "$(cat "$DIR/$name.pid")" 2>/dev/null; then
      log "instance $name ended; its log:"; tail -n 20 "$DIR/$name.log" >&2; exit 1
    fi
    sleep 0.5
  done
  log "instance $name not ready after 120 s"; exit 1
}

start() {
  [ -x target/release/server ] || { log "no release build: run scripts/build.sh --bin-features test-clock"; exit 1; }
  if ! command -v nginx >/dev/null 2>&1; then
    log "installing Debian's nginx"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq nginx >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq nginx >/dev/null; }
  fi
  stop 2>/dev/null || true
  mkdir -p "$DIR/uploads" "$DIR/nginx"
  local base
  base=$(scripts/postgres.sh start)
  local psql=("$(pg_bin)/psql" -X -q -At -h 127.0.0.1 -p "${LABOR_PLAZA_PG_PORT:-55432}" -U postgres -d postgres)
  "${psql[@]}" -c "DROP DATABASE IF EXISTS lp_cluster WITH (FORCE)" -c "CREATE DATABASE lp_cluster"
  # As in production: the owner migrates, the servers connect as a role that may only read and
  # write the records and append to the audit log.
  "${psql[@]}" -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lp_cluster_app') THEN CREATE ROLE lp_cluster_app LOGIN; END IF; END \$\$"
  local owner_url=${base%/postgres}/lp_cluster
  DATABASE_URL=$owner_url RUST_LOG=warn target/release/server migrate >&2
  DATABASE_URL=$owner_url RUST_LOG=warn target/release/server grant-app-role lp_cluster_app >&2
  local url=${owner_url/postgres:\/\/postgres@/postgres://lp_cluster_app@}
  [ "$url" != "$owner_url" ] || { log "cannot make the app role's URL from $owner_url"; exit 1; }
  echo "$url" >"$DIR/database-url"
  echo 0 >"$DIR/clock-offset"
  # A first, alone: it creates the schema and loads the demo data; then B.
  for i in 0 1; do start_instance "${NAMES[$i]}" "${PORTS[$i]}" "$url"; done
  cat >"$DIR/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon on;
pid $DIR/nginx/nginx.pid;
error_log $DIR/nginx/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $DIR/nginx/body;
  proxy_temp_path $DIR/nginx/proxy;
  fastcgi_temp_path $DIR/nginx/fastcgi;
  uwsgi_temp_path $DIR/nginx/uwsgi;
  scgi_temp_path $DIR/nginx/scgi;
  upstream plaza {
    server 127.0.0.1:${PORTS[0]} max_fails=1 fail_timeout=5s;
    server 127.0.0.1:${PORTS[1]} max_fails=1 fail_timeout=5s;
    keepalive 16;
  }
  server {
    listen 127.0.0.1:$PROXY_PORT;
    client_max_body_size 12m;
    location / {
      proxy_pass http://plaza;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host:\$server_port;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      # A GET whose instance died is asked of the other one; a POST is never sent twice.
      proxy_next_upstream error timeout http_502 http_503;
      proxy_connect_timeout 2s;
    }
  }
}
CONF
  nginx -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf"
  log "A on :${PORTS[0]}, B on :${PORTS[1]}, nginx on :$PROXY_PORT, database $url"
  echo "http://127.0.0.1:$PROXY_PORT"
}

stop() {
  if [ -f "$DIR/nginx/nginx.pid" ]; then
    nginx -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" -s quit 2>/dev/null || true
    rm -f "$DIR/nginx/nginx.pid"
  fi
  for name in "${NAMES[@]}"; do
    if [ -f "$DIR/$name.pid" ]; then
      kill "$(cat "$DIR/$name.pid")" 2>/dev/null || true
      rm -f "$DIR/$name.pid"
    fi
  done
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  test)
    start >/dev/null
    trap stop EXIT
    python3 scripts/cluster_check.py "$DIR" "$PROXY_PORT" "${PORTS[@]}"
    ;;
  *) log "usage: $0 [start|stop|test]"; exit 2 ;;
esac
