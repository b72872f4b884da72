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
    if cmd == "best":
        print(min(args, key=wall_seconds))
        return 0
    print(f"unknown command {cmd}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
