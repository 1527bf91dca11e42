#!/usr/bin/env python3
"""Peer solvers for the quality benchmark, run one instance at a time in their own process.

    python peers.py SOLVER INSTANCE TIME_LIMIT SEED

SOLVER is `pyvrp` or `vroom`. Prints one JSON line: {"routes": [[customer numbers]],
"distance": <claimed, recomputed here>, "runtime_s": ...}. Every peer gets the same
integer data as junkai: unrounded Euclidean distances scaled by 10^4 and rounded up for
instances with time windows (Solomon), nearest-integer distances for CVRPLIB X. Distances
are reported recomputed in double precision (or rounded, for X) from the routes, and the
benchmark re-checks every solution with an independent checker anyway.
"""
import json, math, sys, time

SCALE = 10_000


def parse(path):
    """Returns dict(name, coords, demand, windows|None, service, capacity, vehicles|None, exact)."""
    text = open(path, encoding="utf-8").read()
    if "NODE_COORD_SECTION" in text:
        return _parse_vrplib(text)
    return _parse_solomon(text)


def _parse_solomon(text):
    lines = [l.split() for l in text.splitlines()]
    name = next(" ".join(l) for l in lines if l)
    for i, l in enumerate(lines):
        if [x.upper() for x in l] == ["NUMBER", "CAPACITY"]:
            fleet, cap = next(x for x in lines[i + 1:] if x)
            break
    rows = [list(map(float, l)) for l in lines if len(l) == 7 and all(_isnum(x) for x in l)]
    return dict(name=name, numbers=[int(r[0]) for r in rows], coords=[(r[1], r[2]) for r in rows],
                demand=[int(r[3]) for r in rows], windows=[(r[4], r[5]) for r in rows],
                service=[r[6] for r in rows], capacity=int(float(cap)), vehicles=int(fleet), exact=True)


def _parse_vrplib(text):
    info, section, coords, demand = {}, None, {}, {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line == "EOF":
            continue
        if ":" in line:
            k, v = line.split(":", 1)
            info[k.strip().upper()] = v.strip()
            continue
        if line.endswith("SECTION"):
            section = line
            continue
        parts = line.split()
        if section == "NODE_COORD_SECTION":
            coords[int(parts[0])] = (float(parts[1]), float(parts[2]))
        elif section == "DEMAND_SECTION":
            demand[int(parts[0])] = int(parts[1])
    n = int(info["DIMENSION"])
    return dict(name=info.get("NAME", "instance"), numbers=list(range(n)), coords=[coords[i + 1] for i in range(n)],
                demand=[demand.get(i + 1, 0) for i in range(n)], windows=None, service=[0.0] * n,
                capacity=int(info["CAPACITY"]), vehicles=None, exact=False)


def _isnum(s):
    try:
        float(s)
        return True
    except ValueError:
        return False


def euclid(inst, a, b):
    (x1, y1), (x2, y2) = inst["coords"][a], inst["coords"][b]
    return math.hypot(x1 - x2, y1 - y2)


def int_matrix(inst):
    n = len(inst["coords"])
    if inst["exact"]:
        return [[math.ceil(euclid(inst, a, b) * SCALE) if a != b else 0 for b in range(n)] for a in range(n)]
    return [[round(euclid(inst, a, b)) for b in range(n)] for a in range(n)]


def route_distance(inst, routes):
    total = 0.0
    for r in routes:
        nodes = [0] + r + [0]
        for a, b in zip(nodes, nodes[1:]):
            d = euclid(inst, a, b)
            total += d if inst["exact"] else round(d)
    return total


def fleet(inst):
    if inst["vehicles"]:
        return inst["vehicles"]
    return min(len(inst["coords"]) - 1, math.ceil(sum(inst["demand"]) / inst["capacity"] * 1.3) + 3)


def solve_pyvrp(inst, time_limit, seed):
    from pyvrp import Model
    from pyvrp.stop import MaxRuntime
    s = SCALE if inst["exact"] else 1
    m = Model()
    n = len(inst["coords"])
    horizon = int(inst["windows"][0][1] * s) if inst["windows"] else 2**40
    locs = [m.add_location(x=x, y=y) for x, y in inst["coords"]]
    depot = m.add_depot(locs[0], tw_early=0, tw_late=horizon)
    m.add_vehicle_type(num_available=fleet(inst), capacity=inst["capacity"], start_depot=depot, end_depot=depot,
                       tw_early=0, tw_late=horizon)
    for i in range(1, n):
        tw = inst["windows"][i] if inst["windows"] else (0, horizon / s)
        m.add_client(locs[i], delivery=inst["demand"][i], service_duration=round(inst["service"][i] * s),
                     tw_early=math.ceil(tw[0] * s), tw_late=math.floor(tw[1] * s))
    mat = int_matrix(inst)
    for a in range(n):
        for b in range(n):
            if a != b:
                m.add_edge(locs[a], locs[b], distance=mat[a][b], duration=mat[a][b])
    t0 = time.perf_counter()
    res = m.solve(stop=MaxRuntime(time_limit), seed=seed, display=False)
    runtime = time.perf_counter() - t0
    # Client activity `idx` counts clients from 0; client i is location i + 1 (one depot).
    routes = [[inst["numbers"][a.idx + 1] for a in r.schedule() if a.is_client()] for r in res.best.routes()]
    if not res.best.is_feasible():
        routes = []
    index = {num: i for i, num in enumerate(inst["numbers"])}
    return routes, route_distance(inst, [[index[c] for c in r] for r in routes]), runtime


def solve_vroom(inst, time_limit, seed):
    import vroom
    s = SCALE if inst["exact"] else 1
    n = len(inst["coords"])
    mat = int_matrix(inst)
    problem = vroom.Input()
    problem.set_durations_matrix("car", mat)
    problem.set_costs_matrix("car", mat)
    horizon = int(inst["windows"][0][1] * s) if inst["windows"] else 2**31 - 1
    for v in range(fleet(inst)):
        problem.add_vehicle(vroom.Vehicle(v + 1, start=0, end=0, capacity=[inst["capacity"]],
                                          time_window=vroom.TimeWindow(0, horizon)))
    for i in range(1, n):
        tw = inst["windows"][i] if inst["windows"] else (0, horizon / s)
        problem.add_job(vroom.Job(i, location=i, delivery=[inst["demand"][i]], default_service=round(inst["service"][i] * s),
                                  time_windows=[vroom.TimeWindow(math.ceil(tw[0] * s), math.floor(tw[1] * s))]))
    t0 = time.perf_counter()
    sol = problem.solve(exploration_level=5, nb_threads=1)
    runtime = time.perf_counter() - t0
    if len(sol.unassigned) > 0:
        return [], float("nan"), runtime
    routes = []
    for _, steps in sol.routes.groupby("vehicle_id", sort=True):
        jobs = [int(j) for j in steps[steps["type"] == "job"]["id"]]
        routes.append([inst["numbers"][j] for j in jobs])
    index = {num: i for i, num in enumerate(inst["numbers"])}
    return routes, route_distance(inst, [[index[c] for c in r] for r in routes]), runtime


if __name__ == "__main__":
    solver, path, limit, seed = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
    inst = parse(path)
    routes, dist, runtime = {"pyvrp": solve_pyvrp, "vroom": solve_vroom}[solver](inst, limit, seed)
    print(json.dumps({"instance": inst["name"], "vehicles": len(routes), "distance": dist, "runtime_s": runtime, "routes": routes}))
