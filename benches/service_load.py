#!/usr/bin/env python3
"""Load benchmark of `junkai serve` on loopback with wrk (Debian package `wrk`).

Starts the release server on the default Midori data with a fresh SQLite file, makes and
publishes a plan, then measures the residents' endpoints with wrk (one load-generator
thread, on the same 2-core machine as the server): requests per second and latency
percentiles; then the same while a 4-week solve runs in the background; and the server's
memory (VmRSS and peak VmHWM from /proc). Prints a Markdown table; --write-docs replaces
the `<!-- service:load -->` block of docs/BENCHMARKS.md.

    python3 benches/service_load.py [--seconds 10] [--connections 32] [--write-docs]
"""
import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOKEN = ""  # issued by `junkai users token` in main()
ENDPOINTS = [
    ("stops and next visits", "/api/public/stops"),
    ("one stop's visits", "/api/public/stops/F006/visits?from=2026-12-07&to=2026-12-31"),
    ("search (kana)", "/api/public/search?q=%E3%81%93%E3%81%AA%E3%81%8B"),
    ("calendar file", "/api/public/stops/F006/calendar.ics"),
    ("resident page", "/?q=%E6%9D%B1%E7%94%BA"),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api(port, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method)
    req.add_header("Authorization", f"Bearer {TOKEN}")
    req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read() or b"null")


def wait_plan(port, plan_id):
    while True:
        s = api(port, "GET", f"/api/plans/{plan_id}")
        if s["status"] not in ("queued", "running"):
            return s
        time.sleep(0.1)


def memory_mb(pid):
    status = open(f"/proc/{pid}/status").read()
    get = lambda k: int(re.search(rf"{k}:\s+(\d+) kB", status).group(1)) / 1024
    return get("VmRSS"), get("VmHWM")


def to_ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(port, path, seconds, connections):
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    pct = {p: to_ms(v, u) for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, pct.get("50"), pct.get("99"), int(errors.group(1)) if errors else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--write-docs", action="store_true")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    work = tempfile.mkdtemp(prefix="junkai-load-")
    port = free_port()
    global TOKEN
    junkai = os.path.join(ROOT, "target/release/junkai")
    db = os.path.join(work, "junkai.sqlite")
    # A planner account and its API token (accounts live in the database).
    subprocess.run([junkai, "users", "add", "bench", "--role", "planner", "--db", db],
                   input="a-long-benchmark-password\n", text=True, check=True, capture_output=True)
    TOKEN = subprocess.run([junkai, "users", "token", "bench", "--db", db],
                           text=True, check=True, capture_output=True).stdout.strip()
    # The plan is for the week of 2026-12-07: the server's clock is set a week before it.
    env = dict(os.environ, JUNKAI_LOG="warn", JUNKAI_TODAY="2026-11-30")
    server = subprocess.Popen([junkai, "serve", "--bind", f"127.0.0.1:{port}", "--db", db], env=env, cwd=work)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        plan = api(port, "POST", "/api/plans", {"week": "2026-12-07"})
        wait_plan(port, plan["id"])
        api(port, "POST", f"/api/plans/{plan['id']}/publish")
        rows = []
        for label, path in ENDPOINTS:
            rows.append((label, path, "idle") + wrk(port, path, args.seconds, args.connections))
        # The same endpoints while a 4-week plan is being solved (about 3 s): a 2 s window
        # that starts just after the solve; the row counts only if the solve is still
        # running when the window closes.
        for label, path in ENDPOINTS[:2]:
            busy = api(port, "POST", "/api/plans", {"week": "2026-12-07", "weeks": 4})
            time.sleep(0.2)
            measured = wrk(port, path, 2, args.connections)
            inside = api(port, "GET", f"/api/plans/{busy['id']}")["status"] == "running"
            rows.append((label, path, "during a 4-week solve" if inside else "after a 4-week solve (too short)")
                        + measured)
            solved = wait_plan(port, busy["id"])
        rss, hwm = memory_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)

    lines = [
        f"Command: `python3 benches/service_load.py --seconds {args.seconds} --connections {args.connections}` "
        f"({time.strftime('%Y-%m-%d')}; wrk 1 thread, {args.connections} connections, {args.seconds} s per row, "
        "server and load generator on the same 2 cores).",
        "",
        "| endpoint | path | while | requests/s | p50 | p99 | non-2xx |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, path, when, rps, p50, p99, errors in rows:
        lines.append(f"| {label} | `{path}` | {when} | {rps:,.0f} | {p50:.2f} ms | {p99:.2f} ms | {errors} |")
    lines += ["", f"Server memory after the run: {rss:.0f} MB resident, peak {hwm:.0f} MB "
              f"(the 4-week solve finished as `{solved['status']}`)."]
    table = "\n".join(lines)
    print(table)
    if args.write_docs:
        path = os.path.join(ROOT, "docs/BENCHMARKS.md")
        doc = open(path, encoding="utf-8").read()
        block = f"<!-- service:load -->\n{table}\n<!-- /service:load -->"
        if "<!-- service:load -->" in doc:
            doc = re.sub(r"<!-- service:load -->.*?<!-- /service:load -->", lambda _: block, doc, flags=re.S)
        else:
            doc += "\n## Service load (`benches/service_load.py`)\n\n" + block + "\n"
        open(path, "w", encoding="utf-8").write(doc)


if __name__ == "__main__":
    main()
