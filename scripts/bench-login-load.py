#!/usr/bin/env python3
"""How much parallel sign-ins slow everyone else: latency of GET /api/v1/stats alone, and while
32 sign-ins (each a full Argon2id check) run at once. Needs a running server started with
TRUSTED_PROXIES=127.0.0.1 (each sign-in then comes from its own forwarded address, so the limits
do not cut the load short). Usage: scripts/bench-login-load.py http://127.0.0.1:3000 [rounds]"""
import statistics
import sys
import threading
import time
import urllib.parse
import urllib.request

base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:3000"
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5


def get_ms(path):
    start = time.perf_counter()
    with urllib.request.urlopen(base + path) as r:
        r.read()
    return (time.perf_counter() - start) * 1000


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


opener = urllib.request.build_opener(NoRedirect)


def sign_in(i, r):
    data = urllib.parse.urlencode(
        {"username": f"bench-{r}-{i}", "password": "wrong-password-guess", "code": "000000"}
    ).encode()
    req = urllib.request.Request(base + "/admin/login", data=data)
    req.add_header("X-Forwarded-For", f"10.{r}.{i // 250}.{i % 250 + 1}")
    try:
        opener.open(req).read()
    except urllib.error.HTTPError:
        pass


def probe(samples, stop):
    while not stop.is_set():
        samples.append(get_ms("/api/v1/stats"))


for _ in range(20):
    get_ms("/api/v1/stats")
alone, loaded = [], []
for r in range(rounds):
    alone.append(statistics.median(get_ms("/api/v1/stats") for _ in range(50)))
    samples, stop = [], threading.Event()
    prober = threading.Thread(target=probe, args=(samples, stop))
    prober.start()
    logins = [threading.Thread(target=sign_in, args=(i, r)) for i in range(32)]
    for t in logins:
        t.start()
    for t in logins:
        t.join()
    stop.set()
    prober.join()
    loaded.append(statistics.median(samples))
print(f"GET /api/v1/stats alone:                 median of {rounds} rounds {statistics.median(alone):.2f} ms (range {min(alone):.2f}-{max(alone):.2f})")
print(f"the same during 32 parallel sign-ins:    median of {rounds} rounds {statistics.median(loaded):.2f} ms (range {min(loaded):.2f}-{max(loaded):.2f})")

# With the database's path as a third argument: 2,000 refused sign-ins from one address, 50 at a
# time, each with a 2.7 KB user name — what they add to the database and to the audit log.
if len(sys.argv) > 3:
    import os
    import sqlite3
    from concurrent.futures import ThreadPoolExecutor

    db = sys.argv[3]

    def size():
        return sum(os.path.getsize(p) for p in (db, db + "-wal") if os.path.exists(p))

    def audit_rows():
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as c:
            return c.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]

    def flood(i):
        data = urllib.parse.urlencode(
            {"username": "管" * 300, "password": "wrong-password-guess", "code": "000000"}
        ).encode()
        req = urllib.request.Request(base + "/admin/login", data=data)
        req.add_header("X-Forwarded-For", "192.0.2.200")
        try:
            opener.open(req).read()
        except urllib.error.HTTPError:
            pass

    before_size, before_rows = size(), audit_rows()
    start = time.perf_counter()
    with ThreadPoolExecutor(50) as pool:
        list(pool.map(flood, range(2000)))
    took = time.perf_counter() - start
    print(f"2,000 refused sign-ins from one address in {took:.1f} s: database +{(size() - before_size) / 1024:.0f} KiB, audit log +{audit_rows() - before_rows} rows")
