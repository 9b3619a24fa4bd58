#!/usr/bin/env python3
"""Checks two instances behind nginx (see scripts/cluster.sh), as users and operators would:

1. both ready, listening for changes, exactly one holding the scheduler lease;
2. signed in through instance A, the same session works on instance B; a form refused on A is
   shown again, with what was typed, by B; an account created through B can sign in on A;
   the whole nomination procedure with each step on either instance (the servers' clock moved
   through the notice periods, a test-clock build): the approval published on A is on B's search
   and profile pages within a second;
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
import re
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


CLOCK_OFFSET_FILE = os.path.join(DIR, "clock-offset")
clock_offset = 0
clock_moved_at = 0.0


def move_clock(days):
    """Moves both instances' clock (they read the offset file on every call)."""
    global clock_offset, clock_moved_at
    clock_offset += days * 86400
    clock_moved_at = time.monotonic()
    with open(CLOCK_OFFSET_FILE, "w") as f:
        f.write(str(clock_offset))


def totp(secret):
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    step = int(time.time() + clock_offset) // 30
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
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


def psql(sql, user="postgres", database="postgres"):
    """Runs SQL on the cluster's PostgreSQL (as the superuser by default)."""
    url = urllib.parse.urlparse(DATABASE_URL)
    binary = sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"))[-1]
    return subprocess.run([binary, "-X", "-q", "-At", "-h", url.hostname, "-p", str(url.port),
                           "-U", user, "-d", database, "-v", "ON_ERROR_STOP=1", "-c", sql],
                          capture_output=True, text=True)


def sign_in(port, username, secret):
    form = urllib.parse.urlencode({"username": username, "password": PASSWORD, "code": totp(secret)})
    status, headers, _ = request(port, "/admin/login", data=form.encode())
    cookie = headers.get("set-cookie", "").split(";")[0]
    check(status == 303 and cookie.startswith("session="), f"{username} signed in through :{port}")
    return cookie


def create_account(port, admin_cookie, username, role, unit=""):
    form = urllib.parse.urlencode({"username": username, "display_name": "集群" + role, "role": role,
                                   "unit_name": unit, "password": PASSWORD,
                                   "password_again": PASSWORD}).encode()
    status, _, page = request(port, "/admin/users", data=form, cookie=admin_cookie)
    check(status == 200 and 'data-testid="totp-secret">' in page, f"account {username} ({role}) created")
    return page.split('data-testid="totp-secret">')[1].split("<")[0]


def act(port, cookie, nomination, action, **extra):
    """One step of the procedure on the nomination's page at `port`; True when it was taken."""
    _, _, page = request(port, f"/admin/nominations/{nomination}", cookie=cookie)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    form = urllib.parse.urlencode({"action": action, "version": version, **extra}).encode()
    status, headers, _ = request(port, f"/admin/nominations/{nomination}/actions", data=form, cookie=cookie)
    return status == 303 and "done=action" in headers.get("location", "")


def account_form(username, password):
    return urllib.parse.urlencode({"username": username, "display_name": "集群测试", "role": "reviewer",
                                   "password": password, "password_again": password}).encode()


def lease_holder():
    """The instance that holds the scheduler lease (exactly one must), and the other one."""
    for _ in range(40):
        holders = [port for port in (PORT_A, PORT_B) if readyz(port)[1]["scheduler"] == "holder"]
        if len(holders) == 1:
            break
        time.sleep(0.5)
    check(len(holders) == 1, f"exactly one instance holds the scheduler lease (:{holders})")
    return holders[0], PORT_B if holders[0] == PORT_A else PORT_A


def pid(name):
    return int(open(os.path.join(DIR, f"{name}.pid")).read())


# 1. Ready, listening, one scheduler.
states = {port: readyz(port) for port in (PORT_A, PORT_B)}
check(all(s == 200 and r["ready"] for s, r in states.values()), "both instances ready")
check(all(r["changes"] == "listening" for _, r in states.values()), "both listen for changes")
holder, other = lease_holder()

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

# The whole procedure, each actor's steps spread over both instances.
unit_secret = create_account(PORT_A, cookie, "cluster-unit", "nominating_unit", "北京公交集团")
manager_secret = create_account(PORT_B, cookie, "cluster-manager", "notice_manager")
reviewer_secret = create_account(PORT_A, cookie, "cluster-judge", "reviewer")
nominee = "钟集群"
unit = sign_in(PORT_A, "cluster-unit", unit_secret)
nomination_form = urllib.parse.urlencode({
    "version": "0", "category": "beijing_model", "year": "2025", "candidate_name": nominee, "sex": "F",
    "work_unit": "北京公交集团", "frontline": "1",
    "report": "本单位经民主推荐，一致推荐该同志为北京市劳动模范候选人。",
    "deeds_short": "三十年如一日坚守公交一线，安全行驶一百万公里。",
    "deeds_full": "该同志自参加工作以来，始终坚守在公交运营一线，安全行驶一百万公里，无一次责任事故。",
}).encode()
status, headers, _ = request(PORT_A, "/admin/nominations", data=nomination_form, cookie=unit)
nomination = int(re.match(r"/admin/nominations/(\d+)", headers.get("location", "")).group(1))
check(status == 303, f"the unit drafted nomination {nomination} on A")
check(act(PORT_B, unit, nomination, "submit"), "the unit submitted it on B with the same session")
manager = sign_in(PORT_B, "cluster-manager", manager_secret)
check(act(PORT_B, manager, nomination, "open_notice"), "unit notice opened on B")
move_clock(8)
manager = sign_in(PORT_A, "cluster-manager", manager_secret)
check(act(PORT_A, manager, nomination, "close_notice"), "8 days later, the unit notice closed on A")
reviewer = sign_in(PORT_B, "cluster-judge", reviewer_secret)
check(act(PORT_B, reviewer, nomination, "pass", confirm_quota="1"), "first review passed on B (city notice opens)")
move_clock(8)
manager = sign_in(PORT_B, "cluster-manager", manager_secret)
check(act(PORT_B, manager, nomination, "close_notice"), "the city notice closed on B")
reviewer = sign_in(PORT_A, "cluster-judge", reviewer_secret)
_, _, page = request(PORT_A, f"/admin/nominations/{nomination}", cookie=reviewer)
checks = sorted(set(re.findall(r'action="/admin/checks/(\d+)"', page)))
for i, c in enumerate(checks):
    form = urllib.parse.urlencode({"nomination": nomination, "verdict": "pass", "note": "无异常"}).encode()
    status, _, _ = request(PORT_A if i % 2 else PORT_B, f"/admin/checks/{c}", data=form, cookie=reviewer)
    check(status == 303, f"departmental check {c} decided on {'A' if i % 2 else 'B'}")
check(len(checks) == 2 and act(PORT_A, reviewer, nomination, "pass"), "second review passed on A")
move_clock(8)
reviewer = sign_in(PORT_B, "cluster-judge", reviewer_secret)
check(act(PORT_B, reviewer, nomination, "approve"), "approved on B after the public notice")
cookie = sign_in(PORT_A, "cluster-admin", secret)
_, _, page = request(PORT_A, "/admin/settings", cookie=cookie)
batch = re.search(r'action="/admin/batches/(\d+)/publish">\s*<input type="hidden" name="publish" value="1"', page)
check(batch is not None, "the new batch waits for publication")
nominee_query = "/api/v1/laureates?q=" + urllib.parse.quote(nominee)
check(json.loads(request(PORT_B, nominee_query)[2])["total"] == 0, "not public before publication")
form = urllib.parse.urlencode({"publish": "1"}).encode()
started = time.monotonic()
status, _, _ = request(PORT_A, f"/admin/batches/{batch.group(1)}/publish", data=form, cookie=cookie)
check(status == 303, "the batch published on A")
found = None
while time.monotonic() - started < 5:
    result = json.loads(request(PORT_B, nominee_query)[2])
    if result["total"] == 1:
        found = (time.monotonic() - started, result["items"][0]["id"])
        break
    time.sleep(0.02)
check(found is not None and found[0] < 1.0,
      f"the approval published on A is in B's search after {found and found[0] * 1000:.0f} ms")
status, _, page = request(PORT_B, f"/laureates/{found[1]}")
check(status == 200 and nominee in page, "and B shows the new laureate's profile")

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

# 4. Kill the lease holder while public pages are being asked for through the proxy. (Moving the
# clock may have let the lease pass between instances: once each has tried to renew since the
# last move, ask again who holds it.)
time.sleep(max(0.0, 11 - (time.monotonic() - clock_moved_at)))
holder, other = lease_holder()
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
app_role = urllib.parse.urlparse(DATABASE_URL).username
edit = psql("UPDATE audit_log SET action = 'nothing happened'", user=app_role, database=database)
check(edit.returncode != 0 and "permission denied" in edit.stderr,
      f"the servers' role ({app_role}) may not edit the audit log")
psql(f"ALTER DATABASE {database} ALLOW_CONNECTIONS false").check_returncode()
psql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}'").check_returncode()
try:
    pages = [request(other, f"/laureates/{n}")[0] for n in (11, 4321, 12999)]
    check(pages == [200, 200, 200], f"database gone: profiles still answered from memory ({pages})")
    status, _, body = request(other, query)
    check(status == 200 and json.loads(body)["total"] >= 1, "database gone: search still answers")
    unready = None
    for _ in range(20):
        status, body = readyz(other)
        if status == 503 and body["database"] != "ok":
            unready = body
            break
        time.sleep(0.5)
    check(unready is not None and unready["database"] != "ok",
          f"database gone: the instance says it is not ready (database: {unready and unready['database']})")
    status, _, body = request(other, "/admin/users", data=account_form("cluster-x", PASSWORD), cookie=cookie)
    check(status == 503, f"database gone: an administrator's post is answered 503 unavailable ({status})")
finally:
    psql(f"ALTER DATABASE {database} ALLOW_CONNECTIONS true").check_returncode()
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
