#!/usr/bin/env python3
"""Checks two instances behind nginx (see scripts/cluster.sh), as users and operators would:

1. both ready, listening for changes, exactly one holding the scheduler lease;
2. signed in through instance A, the same session works on instance B; a form refused on A is
   shown again, with what was typed, by B; an account created through B can sign in on A;
3. a record added by another process (`server import`) reaches both instances' search within a
   second or two (PostgreSQL LISTEN/NOTIFY);
4. the instance holding the scheduler lease is killed (SIGKILL) while public pages are asked for
   through the proxy: every request is answered (the proxy retries on the other instance);
5. the other instance takes the scheduler lease over once the dead one's runs out;
6. the database goes away (connections refused and cut): public pages and search still answer
   from memory, the instance says it is not ready, an administrator's post says "unavailable"
   (not "signed out"); when the database is back, the instance is ready and writes work again.

Standard library only. Usage: cluster_check.py DIR PROXY_PORT PORT_A PORT_B
"""
import base64
import glob
import hashlib
import hmac
import json
import os
import signal
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

DIR, PROXY, PORT_A, PORT_B = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
DATABASE_URL = open(os.path.join(DIR, "database-url")).read().strip()
PASSWORD = "granite-lantern-47-cluster"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


opener = urllib.request.build_opener(NoRedirect)


def request(port, path, data=None, cookie=None, timeout=10):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data)
    if cookie:
        req.add_header("Cookie", cookie)
    try:
        with opener.open(req, timeout=timeout) as res:
            return res.status, {k.lower(): v for k, v in res.headers.items()}, res.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read().decode(errors="replace")


def readyz(port):
    status, _, body = request(port, "/readyz")
    return status, json.loads(body)


def totp(secret):
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


def server(*args, stdin=None):
    env = dict(os.environ, DATABASE_URL=DATABASE_URL, RUST_LOG="warn")
    return subprocess.run(["target/release/server", *args], input=stdin, env=env,
                          capture_output=True, text=True, check=True).stdout


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what, flush=True)
    if not condition:
        sys.exit(1)


def psql(sql):
    """Runs SQL as the superuser on the cluster's PostgreSQL (database `postgres`)."""
    url = urllib.parse.urlparse(DATABASE_URL)
    binary = sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"))[-1]
    subprocess.run([binary, "-X", "-q", "-At", "-h", url.hostname, "-p", str(url.port),
                    "-U", url.username or "postgres", "-d", "postgres", "-c", sql],
                   check=True, capture_output=True, text=True)


def account_form(username, password):
    return urllib.parse.urlencode({"username": username, "display_name": "集群测试", "role": "reviewer",
                                   "password": password, "password_again": password}).encode()


def pid(name):
    return int(open(os.path.join(DIR, f"{name}.pid")).read())


# 1. Ready, listening, one scheduler.
states = {port: readyz(port) for port in (PORT_A, PORT_B)}
check(all(s == 200 and r["ready"] for s, r in states.values()), "both instances ready")
check(all(r["changes"] == "listening" for _, r in states.values()), "both listen for changes")
for _ in range(40):
    holders = [port for port in (PORT_A, PORT_B) if readyz(port)[1]["scheduler"] == "holder"]
    if len(holders) == 1:
        break
    time.sleep(0.5)
check(len(holders) == 1, f"exactly one instance holds the scheduler lease (:{holders})")
holder = holders[0]
other = PORT_B if holder == PORT_A else PORT_A

# 2. One session, both instances.
out = server("create-admin", "--username", "cluster-admin", stdin=PASSWORD + "\n")
secret = next(line.split("secret:")[1].strip() for line in out.splitlines() if "secret:" in line)
form = urllib.parse.urlencode({"username": "cluster-admin", "password": PASSWORD, "code": totp(secret)})
status, headers, _ = request(PORT_A, "/admin/login", data=form.encode())
cookie = headers.get("set-cookie", "").split(";")[0]
check(status == 303 and cookie.startswith("session="), "signed in through instance A")
status, _, page = request(PORT_B, "/admin", cookie=cookie)
check(status == 200 and 'action="/admin/logout"' in page, "the same session is signed in on instance B")

# Input kept after a refused post lives in the database: the page after the redirect may come
# from the other instance.
status, headers, _ = request(PORT_A, "/admin/users", data=account_form("Bad Name", "short"), cookie=cookie)
kept = headers.get("location", "")
check(status == 303 and "flash=" in kept, "a refused account form on A redirects back with a key")
status, _, page = request(PORT_B, kept, cookie=cookie)
check(status == 200 and 'value="Bad Name"' in page and 'value="short"' not in page,
      "B shows the form again with what was typed on A (the password not kept)")
# Acting through B: the new account's secrets are the answer to the post itself.
status, _, page = request(PORT_B, "/admin/users", data=account_form("cluster-reviewer", PASSWORD), cookie=cookie)
new_secret = page.split('data-testid="totp-secret">')[1].split("<")[0] if "totp-secret" in page else ""
check(status == 200 and len(new_secret) >= 16, "an account created through B shows its secret once")
form = urllib.parse.urlencode({"username": "cluster-reviewer", "password": PASSWORD, "code": totp(new_secret)})
status, headers, _ = request(PORT_A, "/admin/login", data=form.encode())
check(status == 303 and headers.get("set-cookie", "").startswith("session="),
      "the account created through B signs in through A")

# 3. A change made elsewhere reaches both.
name = "郑跨新"
csv = os.path.join(DIR, "one.csv")
with open(csv, "w") as f:
    f.write(f"name,honour,year\n{name},beijing_model,2020\n")
query = "/api/v1/laureates?q=" + urllib.parse.quote(name)
before = {port: json.loads(request(port, query)[2])["total"] for port in (PORT_A, PORT_B)}
started = time.monotonic()
server("import", csv)
seen = {}
while len(seen) < 2 and time.monotonic() - started < 10:
    for port in (PORT_A, PORT_B):
        if port not in seen and json.loads(request(port, query)[2])["total"] > before[port]:
            seen[port] = time.monotonic() - started
    time.sleep(0.02)
check(len(seen) == 2 and max(seen.values()) < 2.0,
      "an import by another process reaches both instances: "
      + ", ".join(f":{p} after {t * 1000:.0f} ms" for p, t in sorted(seen.items())))

# 4. Kill the lease holder while public pages are being asked for through the proxy.
results = []
lock = threading.Lock()


def load(worker):
    for i in range(60):
        status, _, _ = request(PROXY, f"/laureates/{(worker * 997 + i * 7919) % 13058 + 1}")
        with lock:
            results.append(status)


threads = [threading.Thread(target=load, args=(w,)) for w in range(6)]
for t in threads:
    t.start()
while len(results) < 60:
    time.sleep(0.01)
dead = "a" if holder == PORT_A else "b"
os.kill(pid(dead), signal.SIGKILL)
killed_at = time.monotonic()
for t in threads:
    t.join()
failed = [s for s in results if s != 200]
check(not failed and len(results) == 360,
      f"instance {dead} killed mid-load: {len(results)} requests through the proxy, {len(failed)} failed")

# 5. The other instance takes the scheduled work over.
took_over = None
while time.monotonic() - killed_at < 60:
    if readyz(other)[1]["scheduler"] == "holder":
        took_over = time.monotonic() - killed_at
        break
    time.sleep(0.5)
check(took_over is not None, f"the other instance took the scheduler lease over after {took_over or 0:.0f} s "
      "(lease 30 s, renewed every 10 s)")
# 6. The database goes away while the surviving instance serves.
database = urllib.parse.urlparse(DATABASE_URL).path.lstrip("/")
psql(f"ALTER DATABASE {database} ALLOW_CONNECTIONS false")
psql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}'")
try:
    pages = [request(other, f"/laureates/{n}")[0] for n in (11, 4321, 12999)]
    check(pages == [200, 200, 200], f"database gone: profiles still answered from memory ({pages})")
    status, _, body = request(other, query)
    check(status == 200 and json.loads(body)["total"] >= 1, "database gone: search still answers")
    unready = None
    for _ in range(20):
        status, body = readyz(other)
        if status == 503:
            unready = body
            break
        time.sleep(0.5)
    check(unready is not None and unready["database"] != "ok",
          f"database gone: the instance says it is not ready (database: {unready and unready['database']})")
    status, _, body = request(other, "/admin/users", data=account_form("cluster-x", PASSWORD), cookie=cookie)
    check(status == 503, f"database gone: an administrator's post is answered 503 unavailable ({status})")
finally:
    psql(f"ALTER DATABASE {database} ALLOW_CONNECTIONS true")
back = None
started = time.monotonic()
while time.monotonic() - started < 60:
    status, body = readyz(other)
    if status == 200 and body["changes"] == "listening":
        back = time.monotonic() - started
        break
    time.sleep(0.5)
check(back is not None, f"database back: ready and listening again after {back or 0:.1f} s")
status, _, page = request(other, "/admin/users", data=account_form("cluster-after", PASSWORD), cookie=cookie)
check(status == 200 and "totp-secret" in page, "database back: the same session writes again")
print("cluster: all checks passed")
