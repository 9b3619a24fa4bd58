#!/usr/bin/env bash
# Benchmarks of the two backends in the same run (figures, not tests): a 13,058-row CSV import
# and the demo data into a new database, cold start to ready, and requests per second for a
# profile page and an API search with one instance (SQLite, PostgreSQL) and two instances behind
# nginx (PostgreSQL, scripts/cluster.sh). Each figure is the median of 3 runs with the range.
# Needs the release build (scripts/bench.sh or the test command makes it) and wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { export DEBIAN_FRONTEND=noninteractive; apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }; }
# Waits (at most a minute) until a server on PORT answers /readyz.
ready() { for _ in $(seq 3000); do curl -fs "http://127.0.0.1:$1/readyz" >/dev/null 2>&1 && return; sleep 0.02; done; echo "no server on :$1 after a minute" >&2; exit 1; }
export LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_OUTPUT_NAME=labor-plaza RUST_LOG=warn
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; scripts/cluster.sh stop >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
PG_BASE=$(scripts/postgres.sh start 2>/dev/null)
PSQL=("$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/psql" -X -q -At -h 127.0.0.1 -p "${LABOR_PLAZA_PG_PORT:-55432}" -U postgres -d postgres)

# 13,058 rows like the real lists: common surnames, two-character given names, the two honours of
# the wall, the years of its batches.
python3 - "$tmp/names.csv" <<'PY'
import random, sys
random.seed(7)
surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
given = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国志民春梅海波宁"
years = [1952, 1956, 1959, 1977, 1979, 1982, 1986, 1989, 1995, 2000, 2005, 2010, 2015]
with open(sys.argv[1], "w") as f:
    f.write("name,honour,year,work_unit\n")
    seen = set()
    while len(seen) < 13058:
        name = random.choice(surnames) + random.choice(given) + random.choice(given)
        year = random.choice(years)
        if (name, year) in seen:
            continue  # the import refuses a name twice in one batch
        seen.add((name, year))
        f.write(f"{name},beijing_model,{year},北京市第{len(seen) % 400 + 1}工厂\n")
PY

seconds() { python3 -c 'import sys,time; s=time.monotonic(); import subprocess; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); print(f"{time.monotonic()-s:.2f}")' "$@"; }
summary() { python3 -c 'import statistics,sys; v=[float(x) for x in sys.argv[2:]]; print(f"  {sys.argv[1]}: {statistics.median(v):.2f} s [{min(v):.2f}–{max(v):.2f}]")' "$@"; }
fresh_pg() { "${PSQL[@]}" -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1"; echo "${PG_BASE%/postgres}/$1"; }

echo "== writing 13,058 records into a new database (3 runs each)"
for backend in sqlite postgres; do
  import=(); demo=()
  for run in 1 2 3; do
    if [ $backend = sqlite ]; then url="sqlite:$tmp/import-$run.db"; else url=$(fresh_pg lp_bench_import); fi
    DATABASE_URL=$url target/release/server migrate >/dev/null
    import+=("$(DATABASE_URL=$url seconds target/release/server import "$tmp/names.csv")")
    if [ $backend = sqlite ]; then url="sqlite:$tmp/demo-$run.db"; else url=$(fresh_pg lp_bench_demo); fi
    DATABASE_URL=$url target/release/server migrate >/dev/null
    demo+=("$(DATABASE_URL=$url seconds target/release/server demo-data)")
  done
  summary "$backend: import of a 13,058-row CSV" "${import[@]}"
  summary "$backend: demo data (13,058 people, honours, wall slots)" "${demo[@]}"
done

echo "== cold start to ready (/readyz 200) on a database holding the demo data (3 runs each)"
sqlite_url="sqlite:$tmp/demo-1.db"
pg_url="${PG_BASE%/postgres}/lp_bench_demo"
for backend in sqlite postgres; do
  if [ $backend = sqlite ]; then url=$sqlite_url; else url=$pg_url; fi
  starts=()
  for run in 1 2 3; do
    started=$(date +%s.%N)
    DATABASE_URL=$url LEPTOS_SITE_ADDR=127.0.0.1:3220 target/release/server serve &
    pid=$!
    ready 3220
    starts+=("$(python3 -c "import time; print(f'{time.time() - $started:.2f}')")")
    kill $pid; wait $pid 2>/dev/null || true
  done
  summary "$backend" "${starts[@]}"
done

rps() { wrk -t2 -c32 -d5s "$@" | awk '/Requests\/sec/{printf "%d", $2}'; }
cat > "$tmp/spread.lua" <<'LUA'
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "/laureates/" .. ((counter * 7919) % 13058 + 1))
end
LUA
SEARCH="/api/v1/laureates?q=%E7%8E%8B&per_page=20"
measure() {  # name, base URL
  local cached=() cold=() api=()
  for round in 1 2 3; do
    cached+=("$(rps "$2/laureates/600")")
    cold+=("$(rps -s "$tmp/spread.lua" "$2/")")
    api+=("$(rps "$2$SEARCH")")
  done
  python3 - "$1" "${cached[*]}" "${cold[*]}" "${api[*]}" <<'PY'
import statistics, sys
name = sys.argv[1]
for label, runs in zip(["profile, cached", "profiles, cold  ", "API search      "], sys.argv[2:]):
    v = [float(x) for x in runs.split()]
    print(f"  {name}: {label} {statistics.median(v):>8,.0f} req/s [{min(v):,.0f}–{max(v):,.0f}]")
PY
}

echo "== requests per second (wrk, 2 threads, 32 connections, 5 s; 3 rounds, median [range])"
DATABASE_URL=$sqlite_url LEPTOS_SITE_ADDR=127.0.0.1:3221 target/release/server serve &
sqlite_pid=$!
ready 3221
measure "SQLite, one instance          " http://127.0.0.1:3221
kill $sqlite_pid; wait $sqlite_pid 2>/dev/null || true
scripts/cluster.sh start >/dev/null 2>&1
measure "PostgreSQL, one instance      " http://127.0.0.1:3411
measure "PostgreSQL, two behind nginx  " http://127.0.0.1:3410
echo "  (load generator, both instances, nginx and PostgreSQL share this machine's $(nproc) cores)"
"${PSQL[@]}" -c "DROP DATABASE IF EXISTS lp_bench_import WITH (FORCE)" -c "DROP DATABASE IF EXISTS lp_bench_demo WITH (FORCE)"
