#!/usr/bin/env python3
"""Routing quality benchmark: junkai and its peers, side by side, same instances, same time
limits, same independent checker.

    python3 benches/quality.py --set solomon --time-limits 1 10 --seeds 1 \
        --solvers junkai pyvrp vroom vrp-cli --write-docs

Sets: `solomon` (56 VRPTW instances, data/bench/solomon, unrounded distances; reference
data/bench/solomon_ref_double.csv), `x` (43 CVRPLIB X instances, rounded distances;
reference data/bench/cvrp_x_bks.csv) and `pvrp` (28 periodic VRP instances in Cordeau's
format, ../shared/data/bench/pvrp, reference pvrp_bks.csv there; junkai only: none of the peers plans periodic visits). Every solution is checked:
Solomon solutions by ../shared/tools/check_vrptw.py (the workplace's independent checker),
PVRP solutions by ../shared/tools/check_pvrp.py, X solutions by the CVRP check in this
file; an infeasible or missing solution counts as a failure.

Peers are installed on demand into benches/.peers (git-ignored): PyVRP and pyvroom from
PyPI into a virtual environment, vrp-cli with `cargo install`. Each solver runs with one
thread. VROOM has no time limit: it runs once per seed at exploration level 5 and its own
run time is reported. vrp-cli minimises vehicles first (its default objective).

Writes benches/results/<set>.csv (one row per run) and, with --write-docs, the summary
table into docs/BENCHMARKS.md between the markers `<!-- quality:<set> -->`.
"""
import argparse, csv, datetime, json, math, os, subprocess, sys, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEERS = ROOT / "benches" / ".peers"
RESULTS = ROOT / "benches" / "results"
CHECKER = ROOT.parent / "shared" / "tools" / "check_vrptw.py"
SETS = {
    "solomon": (ROOT / "data/bench/solomon", ".txt", ROOT / "data/bench/solomon_ref_double.csv"),
    "x": (ROOT / "data/bench/cvrp_x", ".vrp", ROOT / "data/bench/cvrp_x_bks.csv"),
    "pvrp": (ROOT.parent / "shared/data/bench/pvrp", ".txt",
             ROOT.parent / "shared/data/bench/pvrp/pvrp_bks.csv"),
    "gh": (ROOT.parent / "shared/data/bench/gh/instances", ".txt",
           ROOT.parent / "shared/data/bench/gh/gh_bks_hierarchical.csv"),
}
# Gehring-Homberger time limits by number of customers (the large-instance issue's protocol).
GH_LIMITS = {200: 20.0, 400: 30.0, 1000: 60.0}
PVRP_CHECKER = ROOT.parent / "shared" / "tools" / "check_pvrp.py"
PYVRP_VERSION = "pyvrp==0.14.1"
PYVROOM_VERSION = "pyvroom==1.15.2"
VRP_CLI_VERSION = "1.25.0"

sys.path.insert(0, str(ROOT / "benches"))
import peers  # noqa: E402  (instance parsing shared with the peer runner)


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def ensure_peers(solvers):
    py = PEERS / "venv" / "bin" / "python"
    if {"pyvrp", "vroom"} & set(solvers) and not py.exists():
        sh([sys.executable, "-m", "venv", str(PEERS / "venv")])
        sh([str(py), "-m", "pip", "install", "-q", PYVRP_VERSION, PYVROOM_VERSION])
    cli = PEERS / "vrp-cli" / "bin" / "vrp-cli"
    if "vrp-cli" in solvers and not cli.exists():
        sh(["cargo", "install", "vrp-cli", "--version", VRP_CLI_VERSION, "--locked", "--root", str(PEERS / "vrp-cli")])
    return py, cli


def run_solver(set_name, solver, inst_path, limit, seed, py, cli, out_path):
    """Runs one solver; writes its solution JSON to out_path; returns the wall time."""
    env = dict(os.environ, RAYON_NUM_THREADS="1", OMP_NUM_THREADS="1")
    t0 = time.perf_counter()
    if solver == "junkai":
        command = "pvrp" if set_name == "pvrp" else "vrptw"
        cmd = [str(ROOT / "target/release/junkai"), command, str(inst_path), "--time-limit", str(limit), "--seed", str(seed)]
        res = subprocess.run(cmd, capture_output=True, text=True, env=env)
        out = res.stdout.strip()
    elif solver in ("pyvrp", "vroom"):
        cmd = [str(py), str(ROOT / "benches/peers.py"), solver, str(inst_path), str(limit), str(seed)]
        res = subprocess.run(cmd, capture_output=True, text=True, env=env)
        out = res.stdout.strip()
    elif solver == "vrp-cli":
        txt = out_path.with_suffix(".txt")
        cmd = [str(cli), "solve", "solomon", str(inst_path), "--max-time", str(max(1, round(limit))), "-p", "1,1", "-o", str(txt)]
        subprocess.run(cmd, capture_output=True, text=True, env=env)
        routes = []
        if txt.exists():
            routes = [[int(c) for c in l.split(":", 1)[1].split()] for l in txt.read_text().splitlines() if l.startswith("Route")]
        inst = peers.parse(inst_path)
        index = {num: i for i, num in enumerate(inst["numbers"])}
        dist = peers.route_distance(inst, [[index[c] for c in r] for r in routes]) if routes else float("nan")
        out = json.dumps({"instance": inst["name"], "vehicles": len(routes), "distance": dist, "routes": routes})
    else:
        raise ValueError(solver)
    wall = time.perf_counter() - t0
    out_path.write_text(out or "{}")
    return wall


def check_cvrp(inst_path, sol_path):
    """Independent CVRP check: every customer once, capacity, rounded distance recomputed."""
    inst = peers.parse(inst_path)
    try:
        sol = json.loads(sol_path.read_text())
    except json.JSONDecodeError:
        return None, "no solution"
    routes = [r for r in sol.get("routes", []) if r]
    seen = set()
    for r in routes:
        if sum(inst["demand"][c] for c in r) > inst["capacity"]:
            return None, "capacity exceeded"
        for c in r:
            if c in seen or not (1 <= c < len(inst["coords"])):
                return None, f"customer {c} repeated or unknown"
            seen.add(c)
    if len(seen) != len(inst["coords"]) - 1:
        return None, "customers missing"
    dist = peers.route_distance(inst, routes)
    if not math.isclose(dist, float(sol.get("distance", "nan")), rel_tol=1e-9, abs_tol=1e-6):
        return None, "claimed distance differs"
    return (len(routes), dist), ""


def check(set_name, inst_path, sol_path):
    if set_name == "x":
        return check_cvrp(inst_path, sol_path)
    checker = PVRP_CHECKER if set_name == "pvrp" else CHECKER
    if not checker.exists():
        sys.exit(f"independent checker not found at {checker}")
    res = subprocess.run([sys.executable, str(checker), str(inst_path), str(sol_path)], capture_output=True, text=True)
    line = (res.stdout.strip().splitlines() or ["{}"])[-1]
    d = json.loads(line) if line.startswith("{") else {}
    if res.returncode != 0:
        return None, d.get("why", res.stderr.strip()[:200])
    if set_name == "pvrp":
        sol = json.loads(sol_path.read_text())
        return (sum(len([r for r in day["routes"] if r]) for day in sol["days"]), d["distance"]), ""
    return (d["vehicles"], d["distance"]), ""


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", choices=SETS, default="solomon")
    ap.add_argument("--time-limits", type=float, nargs="+", default=[1.0, 10.0],
                    help="seconds per run (gh: by size, 20 / 30 / 60 s)")
    ap.add_argument("--seeds", type=int, nargs="+", default=[1])
    ap.add_argument("--solvers", nargs="+", default=["junkai", "pyvrp", "vroom", "vrp-cli"])
    ap.add_argument("--instances", nargs="*", help="instance names (default: the whole set)")
    ap.add_argument("--per-class", type=int, help="gh: this many instances of each class and size, in numeric order")
    ap.add_argument("--skip", type=int, default=0, help="gh: skip this many of each class and size first")
    ap.add_argument("--sizes", type=int, nargs="+", default=sorted(GH_LIMITS), help="gh: customer counts to run")
    ap.add_argument("--jobs", type=int, default=2, help="runs in parallel (one thread each)")
    ap.add_argument("--write-docs", action="store_true")
    ap.add_argument("--from-csv", action="store_true", help="only summarise benches/results/<set>.csv")
    args = ap.parse_args()
    if args.from_csv:
        rows = list(csv.DictReader(open(RESULTS / f"{args.set}.csv")))
        for r in rows:
            r["feasible"] = r["feasible"] == "True"
            r["gap_pct"] = float(r["gap_pct"]) if r["gap_pct"] else ""
            r["vehicles"] = int(r["vehicles"]) if r["vehicles"] else ""
            r["runtime_s"] = float(r["runtime_s"])
            r["distance"] = float(r["distance"]) if r["distance"] else float("nan")
            if r["time_limit"] != "own":
                r["time_limit"] = float(r["time_limit"])
        args.time_limits = sorted({r["time_limit"] for r in rows if r["time_limit"] != "own"})
        args.seeds = sorted({int(r["seed"]) for r in rows})
        args.solvers = list(dict.fromkeys(r["solver"] for r in rows))
        args.jobs = args.jobs
        table = summary(rows, args)
        print(table)
        if args.write_docs:
            write_docs(args.set, table)
        return

    folder, ext, ref_path = SETS[args.set]
    refs = {r["instance"].upper(): float(r["distance"]) for r in csv.DictReader(open(ref_path))}
    names = args.instances or sorted(p.stem for p in folder.glob("*" + ext))
    unknown = [n for n in names if not (folder / (n + ext)).exists()]
    if unknown:
        sys.exit(f"--instances: no file for {', '.join(unknown)} in {folder}; name instances as listed there")
    if args.set == "gh":
        names = gh_sample(names, args)
    if "vrp-cli" in args.solvers and args.set != "solomon":
        args.solvers.remove("vrp-cli")
    if args.set == "pvrp":
        args.solvers = [s for s in args.solvers if s == "junkai"]
    sh(["cargo", "build", "--release", "--quiet"], cwd=ROOT)
    py, cli = ensure_peers(args.solvers)

    runs_dir = RESULTS / "runs" / args.set
    runs_dir.mkdir(parents=True, exist_ok=True)
    tasks = []
    for solver in args.solvers:
        limits = args.time_limits[:1] if solver == "vroom" else args.time_limits
        if args.set == "gh":
            limits = [None]  # by size, GH_LIMITS
        for limit in limits:
            for seed in args.seeds:
                for name in names:
                    tasks.append((solver, limit or GH_LIMITS[gh_size(name)], seed, name))

    def work(task):
        solver, limit, seed, name = task
        inst_path = folder / (name + ext)
        sol_path = runs_dir / f"{solver}-{limit:g}s-seed{seed}-{name}.json"
        wall = run_solver(args.set, solver, inst_path, limit, seed, py, cli, sol_path)
        checked, why = check(args.set, inst_path, sol_path)
        ref = refs.get(name.upper())
        row = dict(set=args.set, instance=name, solver=solver, time_limit=("own" if solver == "vroom" else limit),
                   seed=seed, feasible=checked is not None, vehicles=checked[0] if checked else "",
                   distance=round(checked[1], 4) if checked else "", reference=ref,
                   gap_pct=round(100 * (checked[1] - ref) / ref, 3) if checked and ref else "",
                   runtime_s=round(wall, 2), note=why)
        print(json.dumps(row), flush=True)
        return row

    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        rows = list(pool.map(work, tasks))
    RESULTS.mkdir(exist_ok=True)
    out_csv = RESULTS / f"{args.set}.csv"
    with open(out_csv, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    table = summary(rows, args)
    print(table)
    if args.write_docs:
        write_docs(args.set, table)


def gh_size(name):
    """Customers of a Gehring-Homberger instance from its name (`r2_4_7`: 400)."""
    return int(name.split("_")[1]) * 100


def gh_class(name):
    return name.split("_")[0].upper()


def gh_sample(names, args):
    """The instances of the chosen sizes; with --per-class, K of each (size, class) after --skip."""
    picked, groups = [], {}
    for n in sorted(names, key=lambda n: (gh_size(n), gh_class(n), int(n.split("_")[2]))):
        if gh_size(n) in args.sizes:
            groups.setdefault((gh_size(n), gh_class(n)), []).append(n)
    for members in groups.values():
        k = len(members) if args.per_class is None else args.per_class
        picked += members[args.skip:args.skip + k]
    return picked


def gh_summary(rows, args):
    """Per size and per class: each solver's mean gap, and junkai's lead (negative: ahead)."""
    solvers = list(dict.fromkeys(r["solver"] for r in rows))
    def mean_gap(rs):
        ok = [r["gap_pct"] for r in rs if r["feasible"]]
        return (sum(ok) / len(ok) if ok else float("nan")), len(ok), len(rs)
    head = "| customers | class | time limit (s) | " + " | ".join(f"{s} mean gap % (feasible/runs)" for s in solvers)
    lines = [head + " | junkai − pyvrp (pp) | distance junkai / pyvrp |", "|---" * (5 + len(solvers)) + "|"]
    for size in sorted({gh_size(r["instance"]) for r in rows}):
        of_size = [r for r in rows if gh_size(r["instance"]) == size]
        for cls in sorted({gh_class(r["instance"]) for r in of_size}) + ["all"]:
            rs = [r for r in of_size if cls == "all" or gh_class(r["instance"]) == cls]
            gaps = {s: mean_gap([r for r in rs if r["solver"] == s]) for s in solvers}
            cells = [f"{g:.3f} ({f}/{n})" for g, f, n in gaps.values()]
            lead = gaps.get("junkai", (float("nan"),))[0] - gaps.get("pyvrp", (float("nan"),))[0]
            label = f"**{cls}**" if cls == "all" else cls
            lines.append(f"| {size} | {label} | {GH_LIMITS[size]:g} | " + " | ".join(cells)
                         + f" | {lead:+.3f} | {distance_ratio(rs):.4f} |")
    cmd = "python3 benches/quality.py --set gh --sizes {}{} --skip {} --seeds {} --solvers {}".format(
        " ".join(map(str, args.sizes)), f" --per-class {args.per_class}" if args.per_class else "", args.skip,
        " ".join(map(str, args.seeds)), " ".join(solvers))
    return "\n".join([f"Command: `{cmd} --jobs {args.jobs}` ({datetime.date.today()}; gaps to the hierarchical "
                      f"best-known solutions, gh_bks_hierarchical.csv; {args.jobs} run(s) at a time, one thread each).",
                      ""] + lines)


def distance_ratio(rows):
    """Mean over instances of junkai's mean distance over PyVRP's (feasible runs only)."""
    def mean_distance(instance, solver):
        ds = [r["distance"] for r in rows if r["instance"] == instance and r["solver"] == solver and r["feasible"]]
        return sum(ds) / len(ds) if ds else float("nan")
    ratios = [mean_distance(i, "junkai") / mean_distance(i, "pyvrp") for i in sorted({r["instance"] for r in rows})]
    return sum(ratios) / len(ratios) if ratios else float("nan")


def summary(rows, args):
    if args.set == "gh":
        return gh_summary(rows, args)
    groups = {}
    for r in rows:
        groups.setdefault((r["solver"], str(r["time_limit"])), []).append(r)
    lines = ["| solver | time limit (s) | runs | feasible | mean gap % | worst gap % | mean vehicles | mean runtime (s) |",
             "|---|---|---|---|---|---|---|---|"]
    means = {}
    for (solver, limit), rs in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        ok = [r for r in rs if r["feasible"]]
        gaps = [r["gap_pct"] for r in ok]
        mean = sum(gaps) / len(gaps) if gaps else float("nan")
        means[(solver, limit)] = mean
        worst = max(gaps) if gaps else float("nan")
        veh = sum(r["vehicles"] for r in ok) / len(ok) if ok else float("nan")
        rt = sum(r["runtime_s"] for r in rs) / len(rs)
        lines.append(f"| {solver} | {limit} | {len(rs)} | {len(ok)} | {mean:.3f} | {worst:.3f} | {veh:.2f} | {rt:.2f} |")
    ratios = []
    for (solver, limit), mean in sorted(means.items()):
        if solver == "junkai" or math.isnan(mean):
            continue
        # VROOM runs on its own time: compare it with junkai at every time limit.
        against = [l for (s, l) in means if s == "junkai"] if limit == "own" else [limit]
        for l in against:
            base = means.get(("junkai", l))
            if base is not None and base > 0:
                ratios.append(f"{solver} ({limit} s) vs junkai ({l} s): {mean / base:.2f}×")
    cmd = "python3 benches/quality.py --set {} --time-limits {} --seeds {} --solvers {}".format(
        args.set, " ".join(f"{t:g}" for t in args.time_limits), " ".join(map(str, args.seeds)), " ".join(args.solvers))
    return "\n".join([f"Command: `{cmd} --jobs {args.jobs}` ({datetime.date.today()}; gaps to {SETS[args.set][2].name}; "
                      f"{args.jobs} run(s) at a time, one thread each).", ""] + lines + [""] +
                     (["Ratios of mean gaps: " + "; ".join(ratios) + "."] if ratios else []))


def write_docs(set_name, table):
    doc = ROOT / "docs" / "BENCHMARKS.md"
    text = doc.read_text()
    begin, end = f"<!-- quality:{set_name} -->", f"<!-- /quality:{set_name} -->"
    block = f"{begin}\n{table}\n{end}"
    if begin in text and end in text:
        text = text[: text.index(begin)] + block + text[text.index(end) + len(end):]
    else:
        text += f"\n{block}\n"
    doc.write_text(text)


if __name__ == "__main__":
    main()
