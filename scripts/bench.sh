#!/usr/bin/env bash
# Benchmarks (figures, not tests): search latency, main-thread tasks in Chromium, requests per second
# for a profile page against axum returning a fixed body in the same run, server memory, and the
# compressed size of the release client.
set -euo pipefail
cd "$(dirname "$0")/.."
# BENCH_ONLY=rps,browser (comma-separated: search, rps, browser, kiosk, lighthouse, backends, import) runs only those parts.
want() { [ -z "${BENCH_ONLY:-}" ] || [[ ",$BENCH_ONLY," == *",$1,"* ]]; }
scripts/setup.sh
export PATH="$PWD/end2end/node_modules/.bin:$PATH"
command -v wrk >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
# BENCH_BUILD=0 measures the release build already there (e.g. the one scripts/test.sh made).
if [ "${BENCH_BUILD:-1}" != 0 ]; then
  scripts/build.sh
  cargo build --release -p server --bin bench_search --bin fixed_body
fi

if want search; then
echo "== server-side search"
target/release/bench_search
fi

echo "== release client size (brotli)"
client_size() {   # $1: label, then the files
  local label=$1 total=0 size; shift
  for f in "$@"; do
    size=$(stat -c %s "$f"); total=$((total + size)); printf '  %-44s %7d bytes\n' "$f" "$size"
  done
  echo "  $label: $((total / 1024)) KiB"
}
client_size "public pages' client, total (target ≤ 250 KB)" \
  target/site/pkg/labor-plaza.wasm.br target/site/pkg/labor-plaza.js.br target/site/pkg/labor-plaza.css.br
client_size "kiosk's client, total (loaded only on kiosk pages)" \
  target/site/pkg/labor-plaza-kiosk.wasm.br target/site/pkg/labor-plaza-kiosk.js.br target/site/pkg/labor-plaza.css.br

tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
export LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_OUTPUT_NAME=labor-plaza RUST_LOG=warn
export DATABASE_URL="sqlite:$tmp/bench.db"
target/release/server demo-data >/dev/null   # a normal start: the data is already there
LEPTOS_SITE_ADDR=127.0.0.1:3200 target/release/server serve &
server_pid=$!
for _ in $(seq 1 120); do curl -fs http://127.0.0.1:3200/api/v1/stats >/dev/null && break; sleep 0.5; done
curl -fs http://127.0.0.1:3200/ >/dev/null; curl -fs http://127.0.0.1:3200/api/v1/wall >/dev/null
curl -fs http://127.0.0.1:3200/api/v1/search-index >/dev/null
echo "== server memory with the full wall loaded (after /, /api/v1/wall, /api/v1/search-index)"
grep -E 'VmRSS' /proc/$server_pid/status | sed 's/^/  /'

if want rps; then
echo "== requests per second: profile page vs axum with a fixed body (same size); 3 rounds, median [range]"
curl -fs http://127.0.0.1:3200/laureates/600 > "$tmp/profile.html"
target/release/fixed_body "$tmp/profile.html" 127.0.0.1:3201 &
sleep 0.5
rps() { wrk -t2 -c32 -d5s "$@" | awk '/Requests\/sec/{print $2}'; }
# Every request a different profile: what a crawler or a busy day looks like before the cache is
# warm (the cache holds fewer pages than there are profiles, and the order cycles, so none hits).
cat > "$tmp/spread.lua" <<'LUA'
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "/laureates/" .. ((counter * 7919) % 13058 + 1))
end
LUA
fixed=(); cached=(); cold=()
for round in 1 2 3; do
  fixed+=("$(rps http://127.0.0.1:3201/laureates/600)")
  cached+=("$(rps http://127.0.0.1:3200/laureates/600)")
  cold+=("$(rps -s "$tmp/spread.lua" http://127.0.0.1:3200/)")
done
python3 - "${fixed[*]}" "${cached[*]}" "${cold[*]}" <<'PY'
import statistics, sys
fixed, cached, cold = ([float(x) for x in a.split()] for a in sys.argv[1:4])
def line(name, runs, target):
    ratios = [r / f for r, f in zip(runs, fixed)]
    print(f"  {name}: {statistics.median(runs):,.0f} req/s [{min(runs):,.0f}–{max(runs):,.0f}]"
          + (f" = {statistics.median(ratios):.0%} of fixed [{min(ratios):.0%}–{max(ratios):.0%}] (target {target})" if target else ""))
line("axum, fixed body                 ", fixed, None)
line("profile page (cached after first)", cached, "≥ 50%")
line("13,058 different profiles (cold) ", cold, "≥ 20%")
PY
echo "  body size: $(stat -c %s "$tmp/profile.html") bytes"
fi

echo "== server memory after the load tests"
grep -E 'VmRSS|VmHWM' /proc/$server_pid/status | sed 's/^/  /'

if want browser; then
echo "== browser (Chromium)"
(cd end2end && node bench/wall-bench.mjs http://127.0.0.1:3200)
fi

if want kiosk; then
echo "== kiosk (Chromium, portrait 1080×1920, touch)"
target/release/server kiosk add bench-kiosk --name 基准亭 --monument plaza-municipal >/dev/null
for enc in identity gzip br; do
  size=$(curl -fs -H "Accept-Encoding: $enc" http://127.0.0.1:3200/api/v1/kiosk-snapshot | wc -c)
  echo "  kiosk snapshot as sent ($enc): $((size / 1024)) KiB"
done
total=0
for path in /kiosk/bench-kiosk /islands.js /kiosk.js /pkg/labor-plaza-kiosk.js /pkg/labor-plaza-kiosk.wasm /pkg/labor-plaza.css /api/v1/kiosk-snapshot; do
  size=$(curl -fs -H "Accept-Encoding: br" "http://127.0.0.1:3200$path" | wc -c); total=$((total + size))
done
echo "  a kiosk's first load, brotli: $((total / 1024)) KiB (page, scripts, WebAssembly, CSS, snapshot)"
(cd end2end && node bench/kiosk-bench.mjs http://127.0.0.1:3200 bench-kiosk)
fi

if want lighthouse; then
echo "== Lighthouse, mobile settings (emulated phone, CPU slowed 4×, simulated slow 4G); 3 runs a page"
if [ ! -x end2end/node_modules/.bin/lighthouse ]; then
  (cd end2end && npm install --no-save --no-audit --no-fund lighthouse@12 >/dev/null)
fi
for path in / /wall/plaza-municipal/1 /laureates/600 /stats /notices; do
  files=()
  for run in 1 2 3; do
    out="$tmp/lighthouse-$run.json"
    CHROME_PATH=/usr/bin/chromium lighthouse "http://127.0.0.1:3200$path" --quiet --output=json --output-path="$out" \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking --disable-component-update --disable-sync --no-first-run --disable-quic" \
      || echo "  lighthouse run $run of $path failed"
    files+=("$out")
  done
  node end2end/bench/lighthouse-summary.mjs "$path" "${files[@]}"
done
fi

echo "== the wall page as a phone first receives it"
curl -fs -H 'Accept-Encoding: br' -o "$tmp/wall.br" http://127.0.0.1:3200/
echo "  / : $(curl -fs http://127.0.0.1:3200/ | wc -c) bytes of HTML, $(stat -c %s "$tmp/wall.br") bytes brotli (target < 50 KB)"

if want backends; then
echo "== the two backends (scripts/bench-backends.sh)"
kill $server_pid 2>/dev/null || true
scripts/bench-backends.sh
fi

if want import; then
echo "== importing a whole list (scripts/bench-import.sh)"
scripts/bench-import.sh
fi
