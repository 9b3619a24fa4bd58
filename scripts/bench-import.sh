#!/usr/bin/env bash
# The import of a whole list with the release server (SQLite): 13,058 rows each way, 3 runs a case,
# median [range], each on a fresh copy of the same database. The baseline, in the same run, is
# `demo-data --replace`, which writes as many people straight from memory (no file, no checks).
#   add       a list of 13,058 new people (every demo person again, honoured in a year to come)
#   unchanged the administrators' export imported back (every row matched by id, nothing to write)
#   update    the same export with every work unit changed (13,058 rows, every person updated)
#   undo      undoing the update import
set -euo pipefail
cd "$(dirname "$0")/.."
server=${SERVER:-target/release/server}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export RUST_LOG=warn
DATABASE_URL="sqlite:$tmp/base.db" $server demo-data >/dev/null
DATABASE_URL="sqlite:$tmp/base.db" $server export "$tmp/all.csv" >/dev/null
python3 - "$tmp" <<'PY'
import csv, sys
tmp = sys.argv[1]
rows = list(csv.reader(open(f"{tmp}/all.csv", encoding="utf-8-sig")))
head, body = rows[0], rows[1:]
unit, year, ident = head.index("work_unit"), head.index("year"), head.index("id")
with open(f"{tmp}/update.csv", "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(head)
    for r in body:
        r = list(r); r[unit] = r[unit] + "（新）"; w.writerow(r)
# Each person once (their first honour's row), honoured in a year to come; a namesake in the year
# after, so that every row is a new person.
people, times = set(), {}
with open(f"{tmp}/add.csv", "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow([h for h in head if h != "id"])
    for r in body:
        if r[ident] in people: continue
        people.add(r[ident])
        name = r[head.index("name")]
        times[name] = times.get(name, -1) + 1
        r = list(r); r[year] = str(2030 + times[name]); r[head.index("honour")] = "beijing_model"
        w.writerow([c for i, c in enumerate(r) if i != ident])
print(f"  lists: {len(body)} rows exported (a row per honour); {len(people)} new people in add.csv")
PY
# One timed command on a fresh copy of the demo database; prints seconds.
timed() {
  rm -f "$tmp"/run.db*; cp "$tmp/base.db" "$tmp/run.db"
  local start end
  start=$(date +%s.%N)
  DATABASE_URL="sqlite:$tmp/run.db" "$@" >"$tmp/out.txt"
  end=$(date +%s.%N)
  python3 -c "print(f'{$end - $start:.3f}')"
}
declare -A runs
for run in 1 2 3; do
  runs[baseline]+=" $(timed $server demo-data --replace)"
  runs[add]+=" $(timed $server import "$tmp/add.csv")"
  runs[unchanged]+=" $(timed $server import "$tmp/all.csv")"
  grep -q "更新 0 · 不变" "$tmp/out.txt" || { echo "the export did not import back unchanged" >&2; cat "$tmp/out.txt" >&2; exit 1; }
  runs[update]+=" $(timed $server import "$tmp/update.csv")"
  # Undo the update just made (the copy is kept from the last run).
  start=$(date +%s.%N)
  DATABASE_URL="sqlite:$tmp/run.db" $server undo-import 1 >/dev/null
  end=$(date +%s.%N)
  runs[undo]+=" $(python3 -c "print(f'{$end - $start:.3f}')")"
done
python3 - "${runs[baseline]}" "${runs[add]}" "${runs[unchanged]}" "${runs[update]}" "${runs[undo]}" <<'PY'
import statistics, sys
names = ["demo-data --replace (baseline)", "import: add 13k new people", "import: 13k rows unchanged",
         "import: 13k people updated", "undo of that update"]
base = statistics.median(float(x) for x in sys.argv[1].split())
for name, arg in zip(names, sys.argv[1:]):
    runs = [float(x) for x in arg.split()]
    m = statistics.median(runs)
    print(f"  {name:32s} {m:6.2f} s [{min(runs):.2f}–{max(runs):.2f}] = {m / base:.2f}× baseline")
PY
