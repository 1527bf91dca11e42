#!/usr/bin/env python3
"""Regenerate data/invalid/ from the tiny fixture: one file per error code, each breaking
exactly one rule (plus one file with several errors at once). Run from the repository root:
    python3 data/invalid/make_invalid.py
Every code named in a file name must be reported by `junkai check` (tests/cli_invalid.rs)."""
import copy, json, os

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "..", "fixtures", "tiny", "problem.json"), encoding="utf-8") as f:
    BASE = json.load(f)


def write(name, doc):
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=2)
        f.write("\n")


def mutate(name, change):
    doc = copy.deepcopy(BASE)
    change(doc)
    write(name, doc)


def setter(*path_and_value):
    *path, value = path_and_value
    def change(doc):
        node = doc
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return change


# E1000: not JSON at all (cut in the middle).
text = json.dumps(BASE, ensure_ascii=False, indent=2)
with open(os.path.join(HERE, "E1000-truncated.json"), "w", encoding="utf-8") as f:
    f.write(text[: len(text) // 2])

mutate("E1001-unknown-field.json", lambda d: d["stops"][0].update({"nmae": d["stops"][0].pop("name")}))
mutate("E1002-missing-hosts.json", lambda d: d["stops"][1].pop("hosts"))
mutate("E1003-window-reversed.json", setter("stops", 0, "windows", "weekdays", 0, ["11:30", "09:30"]))
mutate("E1004-wrong-type.json", setter("vehicles", 0, "max_work_minutes", "465"))
mutate("E1005-bad-time.json", setter("vehicles", 1, "shifts", "mon", ["08:30", "25:00"]))
mutate("E1006-duplicate-id.json", setter("stops", 1, "id", "konaka"))
mutate("E1007-unknown-stop.json", setter("requests", 0, "stop", "kounaka"))
mutate("E1008-swapped-coordinates.json", lambda d: d["stops"][2].update({"lon": 36.54022, "lat": 139.351934}))
mutate("E1009-rule-min-over-max.json", setter("stops", 0, "visit_rule", "min_per_week", 3))
mutate("E1010-overlapping-windows.json", setter("stops", 1, "windows", "weekdays", [["09:30", "12:00"], ["11:30", "15:30"]]))
mutate("E1011-bad-weekday.json", setter("stops", 0, "visit_rule", "weekdays", ["monday"]))
mutate("E1012-lunch-outside-shift.json", setter("vehicles", 0, "lunch", "window", ["17:00", "18:00"]))
mutate("E1013-dates-reversed.json", lambda d: d["requests"][0].update({"earliest": "2026-12-11", "latest": "2026-12-07"}))
mutate("E1014-kind-not-hosted.json", lambda d: d["requests"][2].update({"stop": "zama"}))
mutate("E1015-priority-out-of-range.json", setter("requests", 1, "priority", 9))
mutate("E1016-unsupported-version.json", setter("version", 2))
mutate("E1017-bad-date.json", setter("requests", 4, "earliest", "2026-13-01"))
mutate("E1018-no-vehicles.json", setter("vehicles", []))
mutate("E1019-stop-and-home.json", lambda d: d["requests"][5].update({"stop": "konaka"}))
mutate("E1020-empty-name.json", setter("stops", 3, "name", ""))
mutate("E3001-year-unsupported.json", setter("calendar", "week", "2101-01-03"))
mutate("E3002-too-many-weeks.json", setter("calendar", "weeks", 12))


def many(d):
    d["stops"][0]["windows"]["weekdays"][0] = ["11:30", "09:30"]
    d["vehicles"][0]["shifts"]["weekdays"] = ["8:30", "17:75"]
    d["requests"][0]["stop"] = "nowhere"
    d["requests"][1]["priority"] = 0
    d["depots"][0]["lat"] = 95


mutate("many-E1003-E1005-E1007-E1015.json", many)

# E1021: a data folder without problem.json.
folder = os.path.join(HERE, "E1021-folder-without-problem")
os.makedirs(folder, exist_ok=True)
write(os.path.join("E1021-folder-without-problem", "requests.json"),
      {"format": "junkai-requests", "version": 1, "requests": []})
print("written", len(os.listdir(HERE)) - 1, "entries")
