#!/usr/bin/env python3
"""Hostile-user probe of `junkai serve`: re-checks the fixes of the security issue.

Run:
    python3 security_probe.py --bin PATH_TO_junkai [--data DIR] [--keep] [--verbose]

Standard library only. The script starts its own servers (`junkai serve`) on free
loopback ports, each with a fresh temporary SQLite database and accounts made with
`junkai users add` / `junkai users token`, JUNKAI_TODAY=2026-12-07. Servers:

  S1  lock_minutes=1, lock_after_failures=5 (address_failures default 20)   probe 1
  S2  lock_minutes=1, lock_after_failures=5, address_failures=100           probes 2,3,4,6,7a,7b
  S3  trusted_proxies=["127.0.0.1"]                                         probe 5
  S4  lock_minutes=1, address_failures=5 (its minimum), no trusted proxy                  probe 7c

Probes (each a fixed finding that must stay fixed):
  1. Dropped sign-ins: 20 wrong-password POST /login for an existing admin, each on a raw
     socket reset (SO_LINGER 0) ~2 ms after sending (10 one after another, 10 at once).
     Then: the database (read-only) has locked_until set whenever failed_logins reached
     the limit, an `account-locked` audit row for every lock, no lock without expiry; the
     right password signs in, or gets 429 and signs in after lock_minutes (waits ~65 s,
     while the other probes run).
  2. Non-object JSON bodies ("x", 1, true, null, [null], [], {}, a 1 MB string, a
     10,000-deep array, and a 2 MiB string) to every POST/PUT/PATCH/DELETE route of
     /api/openapi.json with a planner token: a complete HTTP answer every time, never
     5xx, and every 4xx in the error shape {code, message, hint} with a stable code.
  3. Cross-port login CSRF: the attacker's own login-CSRF cookie+token pair posted to
     /login with the right password and Origin of another port / another host, and/or
     Sec-Fetch-Site same-site / cross-site: 403 A4031 and no session cookie. The
     same-origin sign-in still works. Also a cookie-authenticated write from another port.
  4. Name enumeration: 6 wrong passwords for an existing name vs an unknown one give the
     same status sequence.
  5. Resident status check (POST /status, number + last 4 phone digits): 10 wrong guesses
     for one request number from 10 addresses (X-Forwarded-For via a trusted proxy) do not
     make the right answer from an 11th address fail with 429 (a delay is fine); and one
     address is paused after 10 wrong checks while another is not.
  6. Length limits: a stop name of 100,000 chars, a stop id of 10,000 chars, a resident
     name of 300,000 chars: 4xx with a coded error whose problems name the field.
  7. a) a bearer token cannot POST /account/tokens or /account/password (403 A4032);
     b) POST /planner/plans/99999/publish with a planner session + CSRF is 404;
     c) X-Forwarded-For from a peer that is not a trusted proxy is ignored: the
        per-address sign-in pause still hits the real address.

Prints a summary table (checks run, requests, dropped connections, 5xx, failures per
probe) and exits 1 on any failure (2 when the servers cannot be started).
"""

import argparse
import json
import os
import re
import select
import shutil
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

TODAY = "2026-12-07"
PASSWORD = "Probe-Passw0rd-Kiwi-2026"
LOCK_MINUTES = 1
LOCK_AFTER = 5
VERBOSE = False


# ----------------------------------------------------------------------------- HTTP


class Dropped(Exception):
    """The connection ended without a complete HTTP answer."""


class Resp:
    def __init__(self, status, headers, body, elapsed):
        self.status = status
        self.headers = headers  # list of (lower-case name, value)
        self.body = body
        self.elapsed = elapsed

    def header(self, name):
        return [v for k, v in self.headers if k == name.lower()]

    def json(self):
        try:
            return json.loads(self.body.decode("utf-8"))
        except Exception:
            return None

    def text(self):
        return self.body.decode("utf-8", "replace")

    def cookies(self):
        """Set-Cookie name -> value."""
        out = {}
        for v in self.header("set-cookie"):
            nv = v.split(";", 1)[0]
            if "=" in nv:
                n, val = nv.split("=", 1)
                out[n.strip()] = val.strip()
        return out

    def brief(self, n=300):
        return f"{self.status} {self.text()[:n]!r}"


def _read_answer(sock, deadline):
    """Reads one HTTP/1.1 answer (Content-Length, chunked or until close)."""
    buf = b""

    def more():
        nonlocal buf
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise Dropped("timeout")
        sock.settimeout(remaining)
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            raise Dropped("timeout")
        except OSError as e:
            raise Dropped(f"recv: {e}")
        if not chunk:
            return False
        buf += chunk
        return True

    while b"\r\n\r\n" not in buf:
        if not more():
            raise Dropped(f"closed before the headers ({len(buf)} bytes)")
    head, rest = buf.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    m = re.match(r"HTTP/1\.[01] (\d{3})", lines[0])
    if not m:
        raise Dropped(f"bad status line {lines[0]!r}")
    status = int(m.group(1))
    headers = []
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers.append((k.strip().lower(), v.strip()))
    hd = dict(headers)
    buf = rest
    if status in (204, 304) or 100 <= status < 200:
        return status, headers, b""
    if "content-length" in hd:
        n = int(hd["content-length"])
        while len(buf) < n:
            if not more():
                raise Dropped(f"closed in the body ({len(buf)}/{n})")
        return status, headers, buf[:n]
    if "chunked" in hd.get("transfer-encoding", "").lower():
        body = b""
        while True:
            while b"\r\n" not in buf:
                if not more():
                    raise Dropped("closed in a chunk size")
            size_line, buf = buf.split(b"\r\n", 1)
            size = int(size_line.split(b";")[0], 16)
            while len(buf) < size + 2:
                if not more():
                    raise Dropped("closed in a chunk")
            body += buf[:size]
            buf = buf[size + 2:]
            if size == 0:
                return status, headers, body
    while more():
        pass
    return status, headers, buf


def build(method, host, path, headers=None, body=b""):
    h = {"Host": host, "Connection": "close", "User-Agent": "junkai-security-probe"}
    h.update(headers or {})
    if body or method in ("POST", "PUT", "PATCH", "DELETE"):
        h["Content-Length"] = str(len(body))
    head = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in h.items() if v is not None)
    return head.encode("utf-8") + b"\r\n", body


def request(port, method, path, headers=None, body=b"", timeout=60, host=None):
    """One request on its own connection. Raises Dropped when no complete answer comes.

    The body is sent in pieces while watching for an early answer (a 413 sent before the
    body is read), so an early answer is read rather than mistaken for a dropped connection."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    head, body = build(method, host or f"127.0.0.1:{port}", path, headers, body)
    t0 = time.monotonic()
    deadline = t0 + timeout
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        data = head + body
        sent = 0
        sock.setblocking(False)
        while sent < len(data):
            r, w, _ = select.select([sock], [sock], [], max(0.0, deadline - time.monotonic()))
            if r:
                break  # an answer (or a close) before the whole body: read it
            if not w:
                raise Dropped("timeout while sending")
            try:
                sent += sock.send(data[sent:sent + 65536])
            except (BlockingIOError, InterruptedError):
                continue
            except OSError as e:
                break  # read what the server said, if anything
        sock.setblocking(True)
        status, hdrs, rbody = _read_answer(sock, deadline)
        return Resp(status, hdrs, rbody, time.monotonic() - t0)
    finally:
        sock.close()


def form(d):
    return urllib.parse.urlencode(d)


# ----------------------------------------------------------------------------- servers


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


class Server:
    def __init__(self, name, binary, data, root, settings, accounts):
        self.name = name
        self.binary = binary
        self.data = data
        self.dir = os.path.join(root, name)
        os.makedirs(self.dir)
        self.db = os.path.join(self.dir, "junkai.sqlite")
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.settings = dict(settings)
        self.settings.setdefault("public_url", self.origin + "/")
        self.accounts = accounts  # name -> role
        self.tokens = {}
        self.proc = None
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("JUNKAI_")}
        self.env["JUNKAI_TODAY"] = TODAY
        self.env["JUNKAI_LOG"] = "warn"

    def cli(self, *args, stdin=None):
        r = subprocess.run([self.binary, *args, "--db", self.db], input=stdin, capture_output=True, text=True,
                           env=self.env, timeout=120)
        if r.returncode != 0:
            raise RuntimeError(f"{self.name}: junkai {' '.join(args)}: exit {r.returncode}: {r.stderr.strip()}")
        return r.stdout

    def start(self):
        for name, role in self.accounts.items():
            self.cli("users", "add", name, "--role", role, stdin=PASSWORD + "\n")
            if role in ("planner", "admin"):
                out = self.cli("users", "token", name)
                m = re.search(r"jk_[0-9A-Za-z_\-]+", out)
                if not m:
                    raise RuntimeError(f"{self.name}: no token in {out!r}")
                self.tokens[name] = m.group(0)
        conf = os.path.join(self.dir, "junkai.toml")
        with open(conf, "w") as f:
            for k, v in self.settings.items():
                f.write(f"{k} = {json.dumps(v)}\n")
        self.log = open(os.path.join(self.dir, "serve.log"), "w")
        self.proc = subprocess.Popen(
            [self.binary, "serve", "--data", self.data, "--db", self.db, "--bind", f"127.0.0.1:{self.port}",
             "--config", conf], stdout=self.log, stderr=subprocess.STDOUT, env=self.env)

    def wait_ready(self, timeout=90):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited {self.proc.returncode}: {self.log_tail()}")
            try:
                if request(self.port, "GET", "/api/health", timeout=5).status == 200:
                    return
            except (OSError, Dropped):
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{self.name} not ready in {timeout}s: {self.log_tail()}")

    def log_tail(self, n=2000):
        try:
            with open(os.path.join(self.dir, "serve.log"), errors="replace") as f:
                return f.read()[-n:]
        except OSError:
            return ""

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def db_ro(self):
        return sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=10)

    # --- helpers

    def bearer(self, account):
        return {"Authorization": f"Bearer {self.tokens[account]}"}

    def login_pair(self, headers=None):
        """A fresh login-CSRF pair: (cookie value, form token)."""
        r = request(self.port, "GET", "/login", headers=headers)
        cookie = r.cookies().get("junkai_login_csrf")
        m = re.search(r'name="csrf" value="([^"]+)"', r.text())
        if not cookie or not m:
            raise RuntimeError(f"{self.name}: no login CSRF pair: {r.brief()}")
        return cookie, m.group(1)

    def login(self, name, password, pair=None, extra=None, same_origin=True):
        cookie, token = pair or self.login_pair()
        h = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"junkai_login_csrf={cookie}"}
        if same_origin:
            h["Origin"] = self.origin
            h["Sec-Fetch-Site"] = "same-origin"
        h.update(extra or {})
        return request(self.port, "POST", "/login", headers=h,
                       body=form({"csrf": token, "name": name, "password": password}))


# ----------------------------------------------------------------------------- tallies


class Tally:
    def __init__(self, title):
        self.title = title
        self.checks = 0
        self.requests = 0
        self.dropped = 0  # dropped connections that should not have been
        self.deliberate_drops = 0
        self.server_errors = 0
        self.failures = []
        self.notes = []
        self.skipped = None

    def check(self, ok, what):
        self.checks += 1
        if not ok:
            self.failures.append(what)
            print(f"  FAIL [{self.title}] {what}", flush=True)
        elif VERBOSE:
            print(f"  ok   [{self.title}] {what[:200]}", flush=True)
        return ok

    def note(self, text):
        self.notes.append(text)
        print(f"  note [{self.title}] {text}", flush=True)

    def send(self, port, method, path, **kw):
        """A request counted here: None (and a failure) when the connection drops."""
        self.requests += 1
        try:
            r = request(port, method, path, **kw)
        except (Dropped, OSError) as e:
            self.dropped += 1
            self.check(False, f"dropped connection: {method} {path}: {e}")
            return None
        if r.status >= 500:
            self.server_errors += 1
        return r


def is_error_shape(r):
    j = r.json()
    ctype = ",".join(r.header("content-type"))
    return (isinstance(j, dict) and isinstance(j.get("code"), str) and re.fullmatch(r"[AE]\d{3,4}", j["code"])
            and isinstance(j.get("message"), str) and isinstance(j.get("hint"), str)
            and ctype.startswith("application/json"))


# ----------------------------------------------------------------------------- probe 1


class Probe1:
    """Dropped sign-ins: phase A (drops and database) now, phase B (sign-in) after lock_minutes."""

    N_SEQ = 10
    N_PAR = 10
    NAME = "chief"

    def __init__(self, srv, tally):
        self.s = srv
        self.t = tally

    def _drop_one(self, cookie, token):
        body = form({"csrf": token, "name": self.NAME, "password": "wrong-password-guess-1"}).encode()
        head, body = build("POST", f"127.0.0.1:{self.s.port}", "/login",
                           {"Content-Type": "application/x-www-form-urlencoded",
                            "Cookie": f"junkai_login_csrf={cookie}", "Origin": self.s.origin,
                            "Sec-Fetch-Site": "same-origin"}, body)
        sock = socket.create_connection(("127.0.0.1", self.s.port), timeout=5)
        sock.sendall(head + body)
        time.sleep(0.002)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()  # RST
        with self.lock:
            self.t.deliberate_drops += 1
            self.t.requests += 1

    def phase_a(self):
        t, s = self.t, self.s
        self.lock = threading.Lock()
        cookie, token = s.login_pair()
        t.requests += 1
        for _ in range(self.N_SEQ):
            self._drop_one(cookie, token)
        threads = [threading.Thread(target=self._drop_one, args=(cookie, token)) for _ in range(self.N_PAR)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        self.dropped_at = time.monotonic()
        # Let the bookkeeping of the abandoned attempts finish (it must, without a client).
        last, stable = None, 0
        for _ in range(40):
            time.sleep(0.25)
            snap = self.snapshot()
            stable = stable + 1 if snap == last else 0
            last = snap
            if stable >= 4:
                break
        failed, locked_until, audit = last
        limit_reached = failed >= LOCK_AFTER
        t.note(f"after {t.deliberate_drops} reset connections: users.failed_logins={failed}, "
               f"locked_until={locked_until}, audit={audit}")
        self.lock_without_expiry = 1 if (limit_reached and locked_until is None) else 0
        locks = audit.get("account-locked", 0)
        self.unaudited_locks = 1 if (locked_until is not None and locks == 0) else 0
        t.check(self.lock_without_expiry == 0,
                f"failed_logins={failed} >= {LOCK_AFTER} but locked_until is NULL (lock without expiry)")
        t.check(self.unaudited_locks == 0, f"locked_until={locked_until} set but no account-locked audit row")
        t.check(audit.get("sign-in-failed", 0) + locks <= LOCK_AFTER,
                f"at most {LOCK_AFTER} passwords checked before the lock (audit {audit})")
        # The lock must end after lock_minutes: compare with the server's clock (audit time).
        if locked_until is not None:
            with s.db_ro() as db:
                at = db.execute("SELECT at FROM audit_log WHERE action='account-locked' AND target=? "
                                "ORDER BY id DESC LIMIT 1", (f"users/{self.NAME}",)).fetchone()
            lock_at = parse_time(at[0]) if at else None
            if lock_at is not None:
                span = locked_until - lock_at
                t.note(f"lock expiry {span:.0f} s after the account-locked audit time")
                t.check(0 < span <= LOCK_MINUTES * 60 + 5,
                        f"lock expiry {span:.0f} s after the lock (lock_minutes={LOCK_MINUTES})")
            else:
                t.note(f"could not read the lock's audit time ({at})")
        self.limit_reached = limit_reached
        self.first = s.login(self.NAME, PASSWORD)
        t.requests += 2  # GET /login (pair) + POST /login
        t.check(self.first.status in (303, 429),
                f"right password after the drops: 303 or 429, got {self.first.brief(200)}")
        if self.first.status == 429:
            t.check(is_error_shape(self.first) and self.first.json()["code"] == "A4290",
                    f"429 is A4290 in the error shape: {self.first.brief(200)}")
        t.note(f"right password right after the drops: {self.first.status}")

    def snapshot(self):
        with self.s.db_ro() as db:
            row = db.execute("SELECT failed_logins, locked_until FROM users WHERE name=?", (self.NAME,)).fetchone()
            audit = dict(db.execute("SELECT action, count(*) FROM audit_log WHERE target=? GROUP BY action",
                                    (f"users/{self.NAME}",)).fetchall())
        return row[0], row[1], audit

    def phase_b(self):
        t, s = self.t, self.s
        if self.first.status != 429:
            if self.first.status == 303:
                t.check(not self.limit_reached,
                        "signed in at once although failed_logins had reached the limit (lock not enforced)")
            return
        wait = self.dropped_at + LOCK_MINUTES * 60 + 5 - time.monotonic()
        if wait > 0:
            print(f"  probe 1: waiting {wait:.0f} s for lock_minutes to pass", flush=True)
            time.sleep(wait)
        r = s.login(self.NAME, PASSWORD)
        t.requests += 2
        t.check(r.status == 303 and bool(r.cookies().get("junkai_session")),
                f"right password after lock_minutes signs in (303 + session): {r.brief(200)}")
        failed, locked_until, audit = self.snapshot()
        t.note(f"after the sign-in: failed_logins={failed}, locked_until={locked_until}, audit={audit}")


def parse_time(text):
    """An audit time (RFC 3339 or 'YYYY-MM-DD HH:MM:SS', UTC unless an offset is given) -> Unix seconds."""
    from datetime import datetime, timezone
    text = text.strip().replace("Z", "+00:00")
    for fmt in (None, "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f"):
        try:
            d = datetime.fromisoformat(text) if fmt is None else datetime.strptime(text, fmt)
        except ValueError:
            continue
        if d.tzinfo is None:
            d = d.replace(tzinfo=timezone.utc)
        return d.timestamp()
    return None


# ----------------------------------------------------------------------------- probe 2


def probe2(s, t, planner):
    doc = request(s.port, "GET", "/api/openapi.json").json()
    t.requests += 1
    auth = s.bearer(planner)
    reqs = request(s.port, "GET", "/api/requests", headers=auth).json()
    t.requests += 1
    items = reqs if isinstance(reqs, list) else (reqs or {}).get("requests", [])
    request_id = items[0]["id"] if items else "R001"
    fill = {
        ("put", "/api/stops/{id}"): {"id": "F001"},
        ("put", "/api/units/{id}"): {"id": "gyosei-1"},
        ("put", "/api/requests/{id}"): {"id": request_id},
        ("delete", "/api/stops/{id}"): {"id": "PROBE-NO-SUCH-STOP"},
        ("delete", "/api/units/{id}"): {"id": "PROBE-NO-SUCH-UNIT"},
        ("delete", "/api/requests/{id}"): {"id": "PROBE-NO-SUCH-REQUEST"},
    }
    ops = []
    for path, item in doc["paths"].items():
        for method in item:
            if method in ("post", "put", "patch", "delete"):
                params = dict(fill.get((method, path), {}))
                params.setdefault("id", "99999")
                params.setdefault("request", request_id)
                params.setdefault("date", TODAY)
                concrete = re.sub(r"\{(\w+)\}", lambda m: urllib.parse.quote(params[m.group(1)]), path)
                has_body = "requestBody" in item[method]
                ops.append((method.upper(), path, concrete, has_body))
    # A solve started by `{}` on POST /api/plans is the heaviest answer: keep it last.
    ops.sort(key=lambda o: (o[1] == "/api/plans" and o[0] == "POST", o[1], o[0]))
    bodies = [
        ("\"x\"", b'"x"'), ("1", b"1"), ("true", b"true"), ("null", b"null"), ("[null]", b"[null]"),
        ("[]", b"[]"), ("{}", b"{}"),
        ("1MB string", b'"' + b"a" * 1_000_000 + b'"'),
        ("10000-deep array", b"[" * 10_000 + b"]" * 10_000),
        ("2MiB string", b'"' + b"a" * (2 << 20) + b'"'),
    ]
    t.note(f"{len(ops)} write operations in the OpenAPI document "
           f"({sum(o[3] for o in ops)} with a requestBody): {', '.join(o[0] + ' ' + o[1] for o in ops)}")
    statuses = {}
    for method, path, concrete, _ in ops:
        for label, body in bodies:
            h = dict(auth)
            h["Content-Type"] = "application/json"
            r = t.send(s.port, method, concrete, headers=h, body=body)
            if r is None:
                t.note(f"REPRO dropped: {method} {concrete} body={label}")
                continue
            statuses[r.status] = statuses.get(r.status, 0) + 1
            what = f"{method} {concrete} body={label}"
            t.check(r.status < 500, f"{what}: not 5xx, got {r.brief(200)}")
            if 400 <= r.status < 600:
                t.check(is_error_shape(r), f"{what}: {r.status} in the error shape {{code,message,hint}}: {r.brief(200)}")
            elif VERBOSE:
                print(f"    {what}: {r.status}")
    t.note(f"answers by status: {dict(sorted(statuses.items()))}")


# ----------------------------------------------------------------------------- probe 3


def probe3(s, t, account, other_port):
    # The attacker fetches their own pair from the service (cookies are shared across ports).
    attacker_pair = s.login_pair()
    t.requests += 1
    self_host = f"127.0.0.1:{s.port}"
    variants = [
        ("Origin other port", {"Origin": f"http://127.0.0.1:{other_port}"}),
        ("Origin other port + SFS same-site", {"Origin": f"http://127.0.0.1:{other_port}", "Sec-Fetch-Site": "same-site"}),
        ("Origin other port + SFS cross-site", {"Origin": f"http://127.0.0.1:{other_port}", "Sec-Fetch-Site": "cross-site"}),
        ("SFS same-site only", {"Sec-Fetch-Site": "same-site"}),
        ("SFS cross-site only", {"Sec-Fetch-Site": "cross-site"}),
        ("Origin self + SFS same-site", {"Origin": s.origin, "Sec-Fetch-Site": "same-site"}),
        ("Origin null", {"Origin": "null"}),
        ("Origin scheme only", {"Origin": "http:"}),
        ("Origin scheme and slashes", {"Origin": "http://"}),
        ("Origin localhost same port", {"Origin": f"http://localhost:{s.port}"}),
        ("Origin https same host:port", {"Origin": f"https://{self_host}"}),
        ("Origin host without port", {"Origin": "http://127.0.0.1"}),
        ("Origin suffix trick", {"Origin": f"http://{self_host}.evil.example"}),
        ("Origin port prefix trick", {"Origin": f"http://127.0.0.1:{str(s.port)[:-1]}"}),
        ("Origin default public_url port 8080", {"Origin": "http://127.0.0.1:8080"}),
        ("Origin other port, Referer self", {"Origin": f"http://127.0.0.1:{other_port}", "Referer": s.origin + "/login"}),
    ]
    bad = 0
    for label, extra in variants:
        h = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"junkai_login_csrf={attacker_pair[0]}"}
        h.update(extra)
        r = t.send(s.port, "POST", "/login", headers=h,
                   body=form({"csrf": attacker_pair[1], "name": account, "password": PASSWORD}))
        if r is None:
            continue
        session = r.cookies().get("junkai_session")
        ok = r.status == 403 and is_error_shape(r) and r.json()["code"] == "A4031" and not session
        if not ok:
            bad += 1
            t.note(f"REPRO cross-origin sign-in accepted/wrong: POST /login {extra} -> {r.brief(150)} "
                   f"set-cookie={r.header('set-cookie')}")
        t.check(ok, f"cross-origin sign-in ({label}) refused 403 A4031 without a session: {r.brief(150)}")
    t.note(f"cross-origin sign-in attempts: {len(variants)}, answered otherwise than 403 A4031: {bad}")
    # Not a browser origin (informational only): same_origin() takes any Origin that is a
    # prefix of public_url followed by '/', e.g. "http:".
    q = request(s.port, "POST", "/login", headers={"Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"junkai_login_csrf={attacker_pair[0]}", "Origin": "http:"},
                body=form({"csrf": attacker_pair[1], "name": account, "password": PASSWORD}))
    t.requests += 1
    t.note(f"informational: 'Origin: http:' (no browser sends it) -> {q.status}")
    # Same origin still works, with the same kind of pair.
    r = s.login(account, PASSWORD, pair=s.login_pair())
    t.requests += 2
    t.check(r.status == 303 and bool(r.cookies().get("junkai_session")),
            f"same-origin sign-in (Origin {s.origin}, SFS same-origin): 303 + session: {r.brief(150)}")
    # No headers at all (a non-browser client) also signs in.
    r2 = s.login(account, PASSWORD, same_origin=False)
    t.requests += 2
    t.check(r2.status == 303, f"sign-in without Origin/Sec-Fetch-Site: 303: {r2.brief(150)}")
    # A cookie-authenticated write sent from another port (sign-out) is refused too.
    session = r.cookies().get("junkai_session")
    if session:
        page = request(s.port, "GET", "/logout", headers={"Cookie": f"junkai_session={session}"})
        t.requests += 1
        m = re.search(r'name="csrf" value="([^"]+)"', page.text())
        csrf = m.group(1) if m else ""
        t.check(bool(csrf), f"session CSRF token on /logout: {page.brief(100)}")
        for label, extra in [("Origin other port", {"Origin": f"http://127.0.0.1:{other_port}"}),
                             ("SFS same-site", {"Sec-Fetch-Site": "same-site"})]:
            h = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"junkai_session={session}"}
            h.update(extra)
            w = t.send(s.port, "POST", "/logout", headers=h, body=form({"csrf": csrf}))
            if w is not None:
                t.check(w.status == 403 and is_error_shape(w) and w.json()["code"] == "A4031",
                        f"cookie write POST /logout ({label}) refused 403 A4031: {w.brief(150)}")
        still = request(s.port, "GET", "/account", headers={"Cookie": f"junkai_session={session}"})
        t.requests += 1
        t.check(still.status == 200, f"session still open after the refused cross-origin sign-outs: {still.status}")


# ----------------------------------------------------------------------------- probe 4


def probe4(s, t, existing, unknown):
    seqs = {}
    for name in (existing, unknown):
        seq = []
        for i in range(6):
            pair = s.login_pair()
            t.requests += 1
            h = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"junkai_login_csrf={pair[0]}",
                 "Origin": s.origin, "Sec-Fetch-Site": "same-origin"}
            r = t.send(s.port, "POST", "/login", headers=h,
                       body=form({"csrf": pair[1], "name": name, "password": f"wrong-password-{i}-xyz"}))
            seq.append(r.status if r else "dropped")
            if r is not None and r.status == 429:
                t.check(is_error_shape(r) and r.json()["code"] == "A4290", f"{name}: 429 is A4290: {r.brief(120)}")
        seqs[name] = seq
    t.note(f"existing {existing}: {seqs[existing]}; unknown {unknown}: {seqs[unknown]}")
    t.check(seqs[existing] == seqs[unknown], f"same status sequence for an existing and an unknown name: {seqs}")
    t.check(seqs[existing][-1] == 429, f"the 6th wrong password is refused with 429: {seqs[existing]}")


# ----------------------------------------------------------------------------- probe 5


def probe5(s, t, planner):
    auth = dict(s.bearer(planner))
    auth["Content-Type"] = "application/json"
    rid = "PROBE5-R1"
    body = {"id": rid, "kind": "admin", "stop": "F001", "earliest": "2026-12-08", "latest": "2026-12-18",
            "resident": {"name": "試験 太郎", "phone": "0277-76-4321"}}
    r = t.send(s.port, "POST", "/api/requests", headers=auth, body=json.dumps(body))
    if r is None or r.status != 201:
        t.skipped = f"could not create a request: {r.brief(300) if r else 'dropped'}"
        t.check(False, t.skipped)
        return

    def status(number, digits, addr):
        h = {"Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": addr}
        return t.send(s.port, "POST", "/status", headers=h, body=form({"number": number, "digits": digits}))

    # 10 wrong guesses for one number, from 10 addresses, sent at once (an attacker's way).
    results = [None] * 10

    def guess(i):
        results[i] = status(rid, f"{i:04d}", f"198.51.100.{i + 1}")

    t0 = time.monotonic()
    threads = [threading.Thread(target=guess, args=(i,)) for i in range(10)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    took = time.monotonic() - t0
    codes = [x.status if x else "dropped" for x in results]
    t.note(f"10 wrong guesses from 10 addresses: {codes} in {took:.1f} s")
    t.check(all(c == 404 for c in codes), f"each wrong guess answered 404 (not found): {codes}")
    right = status(rid, "4321", "198.51.100.77")
    if right is not None:
        t.note(f"right answer from an 11th address: {right.status} after {right.elapsed:.1f} s")
        t.check(right.status == 200 and ("受付中" in right.text() or "Received" in right.text()),
                f"right answer from an 11th address is 200 受付中 (not 429): {right.brief(120)}")
        t.check(right.elapsed <= 6.0, f"its delay is at most ~5 s: {right.elapsed:.1f} s")
    # One address: 10 wrong checks (different unknown numbers), the 11th is 429; another
    # address is not affected, and the X-Forwarded-For from the trusted proxy is honoured.
    codes = []
    for i in range(10):
        x = status(f"W-0000-{i:04d}", "1234", "203.0.113.5")
        codes.append(x.status if x else "dropped")
    eleventh = status(rid, "4321", "203.0.113.5")
    other = status(rid, "4321", "203.0.113.6")
    t.note(f"one address: 10 wrong -> {codes}, 11th (right digits) -> {eleventh.status if eleventh else None}, "
           f"another address -> {other.status if other else None}")
    t.check(all(c == 404 for c in codes), f"10 wrong checks from one address answered 404: {codes}")
    t.check(eleventh is not None and eleventh.status == 429, "the 11th check from that address is 429")
    t.check(other is not None and other.status == 200, "another address still gets its answer (200)")


# ----------------------------------------------------------------------------- probe 6


def problem_field_named(r, field):
    j = r.json() or {}
    probs = j.get("problems") or []
    for p in probs:
        path = str(p.get("path", ""))
        if re.search(r"(^|[.\]])" + re.escape(field) + r"$", path) or path.endswith(field):
            return True, p.get("code")
    return False, None


def probe6(s, t, planner):
    auth = dict(s.bearer(planner))
    auth["Content-Type"] = "application/json"
    stop = request(s.port, "GET", "/api/stops/F001", headers=auth).json()
    t.requests += 1
    cases = []
    a = dict(stop, id="PROBE6-A", name="名" * 100_000)
    cases.append(("POST", "/api/stops", a, "name", "stop name 100,000 chars"))
    b = dict(stop, id="I" * 10_000)
    cases.append(("POST", "/api/stops", b, "id", "stop id 10,000 chars"))
    c = dict(stop, name="x" * 100_000)
    cases.append(("PUT", "/api/stops/F001", c, "name", "PUT stop name 100,000 chars"))
    req = {"id": "PROBE6-R", "kind": "admin", "stop": "F001", "earliest": "2026-12-08", "latest": "2026-12-18",
           "resident": {"name": "y" * 300_000, "phone": "0277-76-1111"}}
    cases.append(("POST", "/api/requests", req, "resident.name", "resident name 300,000 chars"))
    req2 = dict(req, id="R" * 10_000, resident={"name": "ok", "phone": "0277-76-1111"})
    cases.append(("POST", "/api/requests", req2, "id", "request id 10,000 chars"))
    for method, path, body, field, label in cases:
        r = t.send(s.port, method, path, headers=auth, body=json.dumps(body, ensure_ascii=False))
        if r is None:
            continue
        named, code = problem_field_named(r, field)
        ok = 400 <= r.status < 500 and is_error_shape(r) and named
        if not ok:
            t.note(f"REPRO {label}: {method} {path} ({len(json.dumps(body, ensure_ascii=False).encode())} bytes) "
                   f"-> {r.brief(400)}")
        else:
            t.note(f"{label}: {r.status} {r.json()['code']} problem {code} naming {field}")
        t.check(ok, f"{label}: 4xx coded error naming {field}: {r.brief(200)}")
    # Nothing stored.
    for path in ("/api/stops/PROBE6-A", "/api/requests/PROBE6-R"):
        g = t.send(s.port, "GET", path, headers=auth)
        if g is not None:
            t.check(g.status == 404, f"refused entry not stored: GET {path} -> {g.status}")
    g = t.send(s.port, "GET", "/api/stops/F001", headers=auth)
    if g is not None:
        t.check((g.json() or {}).get("name") == stop.get("name"), "F001 unchanged after the refused PUT")


# ----------------------------------------------------------------------------- probe 7


def probe7ab(s, t, planner):
    auth = s.bearer(planner)
    for path, body in (("/account/tokens", {"label": "from-a-token"}),
                       ("/account/password", {"current": PASSWORD, "new": "Another-Passw0rd-2027"})):
        h = dict(auth)
        h["Content-Type"] = "application/x-www-form-urlencoded"
        r = t.send(s.port, "POST", path, headers=h, body=form(body))
        if r is not None:
            t.check(r.status == 403 and is_error_shape(r) and r.json()["code"] == "A4032",
                    f"bearer POST {path}: 403 A4032: {r.brief(150)}")
    # A planner's session and its CSRF token.
    r = s.login(planner, PASSWORD)
    t.requests += 2
    session = r.cookies().get("junkai_session")
    if not t.check(r.status == 303 and bool(session), f"planner signs in: {r.brief(120)}"):
        return
    page = t.send(s.port, "GET", "/planner", headers={"Cookie": f"junkai_session={session}"})
    m = re.search(r'name="csrf" value="([^"]+)"', page.text() if page else "")
    if not t.check(bool(m), "session CSRF token on /planner"):
        return
    csrf = m.group(1)
    h = {"Cookie": f"junkai_session={session}", "Content-Type": "application/x-www-form-urlencoded",
         "Origin": s.origin, "Sec-Fetch-Site": "same-origin"}
    r = t.send(s.port, "POST", "/planner/plans/99999/publish", headers=h, body=form({"csrf": csrf}))
    if r is not None:
        if r.status != 404:
            t.note(f"REPRO POST /planner/plans/99999/publish (session+csrf) -> {r.brief(300)}")
        t.check(r.status == 404, f"POST /planner/plans/99999/publish (session + CSRF): 404: {r.brief(150)}")
    # The same without the CSRF token: 403 A4030; with a bearer token on the API: 404.
    r = t.send(s.port, "POST", "/planner/plans/99999/publish", headers=h, body="")
    if r is not None:
        t.check(r.status == 403 and is_error_shape(r) and r.json()["code"] == "A4030",
                f"... without the CSRF token: 403 A4030: {r.brief(150)}")
    r = t.send(s.port, "POST", "/api/plans/99999/publish", headers=dict(auth, **{"Content-Type": "application/json"}),
               body="{}")
    if r is not None:
        t.check(r.status == 404 and is_error_shape(r), f"POST /api/plans/99999/publish (token): 404: {r.brief(150)}")


def probe7c(s, t, address_failures):
    """No trusted proxy: a new X-Forwarded-For per attempt must not escape the address pause."""
    codes = []
    for i in range(address_failures + 2):
        pair = s.login_pair(headers={"X-Forwarded-For": f"192.0.2.{i + 1}"})
        t.requests += 1
        h = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"junkai_login_csrf={pair[0]}",
             "Origin": s.origin, "X-Forwarded-For": f"192.0.2.{i + 1}"}
        r = t.send(s.port, "POST", "/login", headers=h,
                   body=form({"csrf": pair[1], "name": f"nobody{i}", "password": "wrong-password-xyz"}))
        codes.append(r.status if r else "dropped")
    t.note(f"{len(codes)} wrong sign-ins (distinct unknown names, distinct X-Forwarded-For): {codes}")
    t.check(codes[:address_failures] == [403] * address_failures, f"the first {address_failures} are 403: {codes}")
    t.check(all(c == 429 for c in codes[address_failures:]),
            f"after address_failures={address_failures} the real address is paused (429) whatever XFF says: {codes}")
    with s.db_ro() as db:
        actors = sorted({a for (a,) in db.execute(
            "SELECT actor FROM audit_log WHERE action LIKE 'sign-in%' OR action='account-locked'")})
    t.note(f"audit actors of the sign-ins: {actors}")
    t.check(actors == ["address:127.0.0.1"], f"audited under the real address only: {actors}")


# ----------------------------------------------------------------------------- main


def main():
    global VERBOSE
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True, help="the junkai binary")
    ap.add_argument("--data", default=None, help="data folder (default: ../main/data/midori, else embedded)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (databases, logs)")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    VERBOSE = args.verbose
    binary = os.path.abspath(args.bin)
    data = args.data
    if data is None:
        for cand in ("/work/main/data/midori", os.path.join(os.path.dirname(binary), "..", "..", "data", "midori")):
            if os.path.isfile(os.path.join(cand, "problem.json")):
                data = os.path.abspath(cand)
                break
    if data is None:
        sys.exit("no data folder: pass --data DIR (data/midori)")
    root = tempfile.mkdtemp(prefix="junkai-probe-")
    started = time.monotonic()
    print(f"junkai security probe: {binary}\n  data {data}\n  temp {root}", flush=True)
    ADDR_FAIL_S4 = 5  # the service clamps address_failures to at least 5
    servers = {
        "S1": Server("S1", binary, data, root, {"lock_minutes": LOCK_MINUTES, "lock_after_failures": LOCK_AFTER},
                     {"chief": "admin"}),
        "S2": Server("S2", binary, data, root, {"lock_minutes": LOCK_MINUTES, "lock_after_failures": LOCK_AFTER,
                                                "address_failures": 100},
                     {"plan2": "planner", "mallory": "planner", "victim4": "admin", "plan7": "planner"}),
        "S3": Server("S3", binary, data, root, {"trusted_proxies": ["127.0.0.1"]}, {"plan3": "planner"}),
        "S4": Server("S4", binary, data, root, {"lock_minutes": LOCK_MINUTES, "address_failures": ADDR_FAIL_S4},
                     {"boss4": "admin"}),
    }
    tallies = {k: Tally(k) for k in ("1 dropped sign-ins", "2 non-object JSON", "3 cross-port CSRF",
                                     "4 name enumeration", "5 status check", "6 length limits", "7 smaller ones")}
    T = list(tallies.values())
    p1 = None
    try:
        try:
            for s in servers.values():
                s.start()
            for s in servers.values():
                s.wait_ready()
        except Exception as e:
            print(f"cannot start the servers: {e}", file=sys.stderr)
            return 2
        print(f"servers up in {time.monotonic() - started:.1f} s: " +
              ", ".join(f"{k}=:{s.port}" for k, s in servers.items()), flush=True)
        other_port = free_port()

        def run(tally, fn, *a):
            print(f"probe {tally.title} ...", flush=True)
            try:
                fn(*a)
            except Exception as e:  # a bug of the probe or an unexpected answer
                import traceback
                traceback.print_exc()
                tally.check(False, f"probe raised {type(e).__name__}: {e}")

        p1 = Probe1(servers["S1"], T[0])
        run(T[0], p1.phase_a)
        s2 = servers["S2"]
        run(T[2], probe3, s2, T[2], "mallory", other_port)
        run(T[3], probe4, s2, T[3], "victim4", "nobody-at-all")
        run(T[5], probe6, s2, T[5], "plan2")
        run(T[6], probe7ab, s2, T[6], "plan7")
        run(T[6], probe7c, servers["S4"], T[6], ADDR_FAIL_S4)
        run(T[4], probe5, servers["S3"], T[4], "plan3")
        run(T[1], probe2, s2, T[1], "plan2")
        run(T[0], p1.phase_b)
        for k, s in servers.items():
            T[1].check(s.alive(), f"server {k} still running at the end: {s.log_tail(500)}")
    finally:
        for s in servers.values():
            s.stop()
        if args.keep:
            print(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)

    print()
    print(f"{'probe':<22} {'checks':>6} {'requests':>8} {'drops(deliberate)':>17} {'dropped':>7} {'5xx':>4} {'failures':>8}")
    tot = [0, 0, 0, 0, 0, 0]
    for tl in T:
        row = [tl.checks, tl.requests, tl.deliberate_drops, tl.dropped, tl.server_errors, len(tl.failures)]
        tot = [a + b for a, b in zip(tot, row)]
        print(f"{tl.title:<22} {row[0]:>6} {row[1]:>8} {row[2]:>17} {row[3]:>7} {row[4]:>4} {row[5]:>8}"
              + (f"  (skipped: {tl.skipped})" if tl.skipped else ""))
    print(f"{'TOTAL':<22} {tot[0]:>6} {tot[1]:>8} {tot[2]:>17} {tot[3]:>7} {tot[4]:>4} {tot[5]:>8}")
    print(f"probe 1: connections reset={T[0].deliberate_drops}, locks without expiry="
          f"{getattr(p1, 'lock_without_expiry', '?')}, unaudited locks={getattr(p1, 'unaudited_locks', '?')}")
    print(f"elapsed {time.monotonic() - started:.0f} s")
    failures = [f"[{tl.title}] {f}" for tl in T for f in tl.failures]
    if failures:
        print("\nFAILURES:")
        for f in failures:
            print("  " + f[:600])
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
