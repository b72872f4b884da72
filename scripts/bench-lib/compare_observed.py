#!/usr/bin/env python3
"""Compares bbplan's summary.json with scripts/reference/observed_reference.py's result
(scripts/bench-observed). Standard library only.

    python3 compare_observed.py BBPLAN_SUMMARY.json REFERENCE.json

Per authority (matched by code; bbplan lists the planned authorities, the reference every
authority of the source, so authorities only in the reference must have 0 premises): premises,
households and before.households_by_tier for every tier of the reference, exactly (whole
households: one household per address point). Totals: premises exact, unassigned premises
exact. Prints AGREE or DISAGREE with the first 20 differences; exit 0 / 1 (2: unreadable input).
"""

from __future__ import annotations

import json
import sys


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        bb = json.load(open(sys.argv[1]))
        ref = json.load(open(sys.argv[2]))
    except (OSError, ValueError) as e:
        print(f"compare_observed: {e}", file=sys.stderr)
        return 2
    bad: list[str] = []
    bmap = {a["code"]: a for a in bb.get("authorities", [])}
    compared = 0
    values = 0
    for r in ref["authorities"]:
        a = bmap.pop(r["code"], None)
        if a is None:
            if r["premises"] != 0:
                bad.append(f"{r['code']}: not in bbplan's summary, reference has {r['premises']} premises")
            continue
        compared += 1
        for key in ("premises", "households"):
            values += 1
            if float(a[key]) != float(r[key]):
                bad.append(f"{r['code']} {key}: bbplan {a[key]}, reference {r[key]}")
        for tier, rv in r["households_by_tier"].items():
            values += 1
            bv = a["before"]["households_by_tier"].get(tier)
            if bv is None or float(bv) != float(rv):
                bad.append(f"{r['code']} {tier}: bbplan {bv}, reference {rv}")
    for code in bmap:
        bad.append(f"{code}: only in bbplan's summary")
    bt, rt = bb.get("totals", {}), ref["totals"]
    for bkey, rkey in (("premises", "premises"), ("unassigned_premises", "unassigned_premises")):
        values += 1
        if float(bt.get(bkey, -1)) != float(rt[rkey]):
            bad.append(f"totals {bkey}: bbplan {bt.get(bkey)}, reference {rt[rkey]}")
    if bad:
        print(f"DISAGREE: {len(bad)} differences over {compared} authorities")
        for line in bad[:20]:
            print(f"  {line}")
        return 1
    print(f"AGREE: {compared} authorities, {values} values exact "
          f"(premises, households, households at or above {', '.join(ref['authorities'][0]['households_by_tier'])}; totals)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
