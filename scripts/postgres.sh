#!/usr/bin/env bash
# A private PostgreSQL server for tests and development, idempotently: installs Debian's
# `postgresql` package if its programs are missing, creates a data directory if there is none,
# starts the server with pg_ctl (no system service) on 127.0.0.1 only, waits until it answers and
# prints its base URL on standard output (everything else goes to standard error).
#
#   scripts/postgres.sh [start]   start (a no-op when it already runs); prints the URL
#   scripts/postgres.sh url       prints the URL
#   scripts/postgres.sh status    exit status 0 when it runs
#   scripts/postgres.sh stop      stops it (the data directory stays)
#   scripts/postgres.sh clean     drops the tests' databases (lp_test_*) nobody is connected to
#
# LABOR_PLAZA_PG_DIR (default target/postgres) holds data/, the socket and the log;
# LABOR_PLAZA_PG_PORT (default 55432) is the port. Trust authentication, loopback and the private
# socket only; durability is off (fsync): it is a server for tests, not for data worth keeping.
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${LABOR_PLAZA_PG_PORT:-55432}
DIR=${LABOR_PLAZA_PG_DIR:-$PWD/target/postgres}
log() { printf '[postgres] %s\n' "$*" >&2; }
url() { echo "postgres://postgres@127.0.0.1:$PORT/postgres"; }

# The newest installed server programs (Debian keeps them off PATH, per major version).
bindir() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$found" ] && [ -x "$found/pg_ctl" ]; then
    echo "$found"
  elif command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"
  fi
}

install_postgres() {
  log "installing Debian's postgresql package"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if sudo -n true 2>/dev/null; then sudo=(sudo -n); else
      log "PostgreSQL is not installed and this user cannot install it: apt-get install postgresql"
      exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq postgresql >/dev/null
}

# As root, the server's files belong to `postgres` and its programs run as that user.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

BIN=$(bindir)
if [ "${1:-start}" = start ] && [ -z "$BIN" ]; then
  install_postgres
  BIN=$(bindir)
  [ -n "$BIN" ] || { log "no pg_ctl after installing postgresql"; exit 1; }
fi

running() {
  [ -n "$BIN" ] && [ -f "$DIR/data/PG_VERSION" ] && as_owner "$BIN/pg_ctl" status -D "$DIR/data" >/dev/null 2>&1
}

start() {
  if running; then
    log "already running on 127.0.0.1:$PORT ($DIR)"
    url
    return
  fi
  mkdir -p "$DIR/run" "$DIR/log"
  if [ "$(id -u)" -eq 0 ]; then
    chown -R postgres: "$DIR"
    if ! runuser -u postgres -- test -w "$DIR"; then
      log "the postgres user cannot reach $DIR: set LABOR_PLAZA_PG_DIR to a directory it can write"
      exit 1
    fi
  fi
  if [ ! -f "$DIR/data/PG_VERSION" ]; then
    log "creating the data directory $DIR/data"
    as_owner "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust --encoding=UTF8 --no-locale >/dev/null
    # Loopback and the private socket only, without passwords.
    cat >"$DIR/data/pg_hba.conf" <<'EOF'
local all all              trust
host  all all 127.0.0.1/32 trust
EOF
    [ "$(id -u)" -ne 0 ] || chown postgres: "$DIR/data/pg_hba.conf"
  fi
  log "starting on 127.0.0.1:$PORT"
  as_owner "$BIN/pg_ctl" start -D "$DIR/data" -l "$DIR/log/postgres.log" -w -t 60 -o \
    "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$DIR/run -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    >/dev/null || { log "did not start; the log:"; tail -n 20 "$DIR/log/postgres.log" >&2; exit 1; }
  for _ in $(seq 60); do
    if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
      url
      return
    fi
    sleep 1
  done
  log "not ready after 60 s; the log:"
  tail -n 20 "$DIR/log/postgres.log" >&2
  exit 1
}

case "${1:-start}" in
  start) start ;;
  url) url ;;
  status) running ;;
  stop)
    if running; then
      as_owner "$BIN/pg_ctl" stop -D "$DIR/data" -m fast -w >/dev/null
      log "stopped"
    else
      log "not running"
    fi
    ;;
  clean)
    if running; then
      psql=("$BIN/psql" -X -q -At -h 127.0.0.1 -p "$PORT" -U postgres -d postgres)
      for db in $("${psql[@]}" -c "SELECT datname FROM pg_database WHERE datname LIKE 'lp\_test\_%' AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = pg_database.datname)"); do
        "${psql[@]}" -c "DROP DATABASE IF EXISTS \"$db\"" || true
      done
    fi
    ;;
  *) log "usage: $0 [start|url|status|stop|clean]"; exit 2 ;;
esac
