#!/usr/bin/env python3
"""Small readers of bbplan's summary.json and the reference's RESULT.json for
scripts/bench-coverage (standard library only).

    bench_report.py steps FILE [INDENT]        per-step timings ("timings_s"), one per line
    bench_report.py sum FILE STEP...           sum of the named steps' seconds (missing: 0)
    bench_report.py has FILE STEP...           exit 0 when every named step is present
    bench_report.py get FILE KEY.PATH          one value (dotted path; list indices allowed)
    bench_report.py same A B                   exit 0 when two bbplan summaries have identical
                                               results (authorities and totals; timings and
                                               dates ignored)
    bench_report.py best FILE...               the file among /usr/bin/time -v reports with the
                                               lowest wall time
    bench_report.py where BB_SUMMARY BB_WALL PEER_JSON PEER_WALL
                                               where the time goes on each side of the writing
                                               benchmark: both runs' steps in common groups
"""

import json
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def wall_seconds(report_path):
    with open(report_path, encoding="utf-8") as f:
        for line in f:
            if "Elapsed (wall clock) time" in line:
                value = line.rsplit(": ", 1)[1].strip()
                seconds = 0.0
                for part in value.split(":"):
                    seconds = seconds * 60 + float(part)
                return seconds
    return float("inf")


# Step groups of the writing benchmark: (group, bbplan's timings_s steps, the peer's steps);
# a step name ending in ':' or ' ' is a prefix. Steps in no group count as "other steps".
GROUPS = [
    ("reading inputs", ["reading ", "checking authority overlaps"],
     ["read_", "ostn15_check"]),
    ("classifying premises, statistics", ["classifying premises"],
     ["assign_authorities", "speed:", "classify", "stats"]),
    ("coverage and gap polygons", ["building coverage and gap polygons"],
     ["coverage_parts:", "coverage_clip:"]),
    ("gap clusters", ["dissolving gaps into clusters"], ["gap_clusters:"]),
    ("writing coverage.gpkg", ["writing coverage.gpkg"], ["write_gpkg"]),
    ("writing GeoJSON layers", ["writing GeoJSON layers"], ["write_geojson"]),
    ("writing CSV tables", ["writing CSV tables"], ["write_csv"]),
]


def grouped(timings):
    """{group: seconds} for one run's timings_s (the peer's "total" left out)."""
    out = {g: 0.0 for g, _, _ in GROUPS}
    out["other steps"] = 0.0
    for step, seconds in timings.items():
        if step == "total":
            continue
        for group, bb, peer in GROUPS:
            if any(step == p or (p[-1] in ": _" and step.startswith(p)) for p in bb + peer):
                out[group] += float(seconds)
                break
        else:
            out["other steps"] += float(seconds)
    return out


def where(bb_summary, bb_wall, peer_json, peer_wall):
    bb = grouped(load(bb_summary).get("timings_s", {}))
    peer = grouped(load(peer_json).get("timings_s", {}))
    bb["rest of the wall time"] = float(bb_wall) - sum(bb.values())
    peer["rest of the wall time"] = float(peer_wall) - sum(peer.values())
    print(f"    {'':<36} {'bbplan':>9} {'peer':>9} {'peer/bbplan':>12}")
    for g in bb:
        ratio = f"{peer[g] / bb[g]:.1f}x" if bb[g] >= 0.005 else "-"
        print(f"    {g:<36} {bb[g]:8.2f}s {peer[g]:8.2f}s {ratio:>12}")
    print(f"    {'wall':<36} {float(bb_wall):8.2f}s {float(peer_wall):8.2f}s "
          f"{float(peer_wall) / float(bb_wall):11.1f}x")


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, args = argv[0], argv[1:]
    if cmd == "steps":
        indent = " " * int(args[1]) if len(args) > 1 else "  "
        timings = load(args[0]).get("timings_s", {})
        width = max((len(k) for k in timings), default=10)
        for step, seconds in timings.items():
            print(f"{indent}{step:<{width}}  {float(seconds):8.3f} s")
        return 0
    if cmd == "sum":
        timings = load(args[0]).get("timings_s", {})
        print(f"{sum(float(timings.get(s, 0)) for s in args[1:]):.3f}")
        return 0
    if cmd == "has":
        timings = load(args[0]).get("timings_s", {})
        missing = [s for s in args[1:] if s not in timings]
        if missing:
            print("missing steps: " + ", ".join(missing))
            return 1
        return 0
    if cmd == "get":
        value = load(args[0])
        for key in args[1].split("."):
            value = value[int(key)] if isinstance(value, list) else value[key]
        print(value if not isinstance(value, (dict, list)) else json.dumps(value))
        return 0
    if cmd == "same":
        a, b = load(args[0]), load(args[1])
        keep = lambda s: {"authorities": s.get("authorities"), "totals": s.get("totals")}  # noqa: E731
        return 0 if keep(a) == keep(b) else 1
    if cmd == "where":
        where(*args[:4])
        return 0
    if cmd == "best":
        print(min(args, key=wall_seconds))
        return 0
    print(f"unknown command {cmd}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
