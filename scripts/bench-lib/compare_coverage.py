#!/usr/bin/env python3
"""Compares one bbplan run with the geopandas reference (scripts/reference/coverage_reference.py).

    python3 compare_coverage.py --label NAME --bbplan-out DIR --reference RESULT.json \
        [--reference-premises PREMISES.csv] [--header] [--max-examples N]

Used by scripts/crosscheck-coverage (with the premises layer) and scripts/bench-coverage
(summary only). Standard library only. Prints one table row (with --header, the header first)
and, below it, one indented line per mismatch. Exit status 0 when everything agrees, 1 on any
mismatch, 2 when an input is missing or unreadable.

What is compared, per planned authority (matched by code; the same set is required, a
different order is only noted: docs/SCENARIO.md does not fix it):
  premises                      exact
  households                    exact (integer sums; 5e-5 allowed when fractional, for
                                summary.json's 4-decimal rounding)
  before.households_by_tier     every tier: |a - b| <= 1e-6 * max(|a|, |b|)  (integer sums)
  before.nga_households         white/grey/black: same
  area_km2                      |a - b| <= 1e-6 relative, or 5e-7 km2 (summary.json has 6
                                decimals: 1 m2; half a unit of the last digit is rounding)
  before.gap_area_km2           per tier the reference built: same tolerance
  before.coverage_area_km2      same
and, when bbplan wrote coverage.gpkg, the full-precision `area_km2` of its gaps_<tier> and
coverage_<tier> layers against the reference within 1e-6 relative (1e-9 km2 absolute).
Totals: premises, households, unassigned_* and excluded_* exact.
Per premises (--reference-premises and bbplan's `premises` layer, matched by the layer's
fid, the input row + 1): the layer holds exactly the reference's assigned premises (those
in a planned authority; unassigned and excluded ones are not written); premises_id (the id
column, or row + 1 without one), authority code, tier (bbplan's `below_<slowest tier>` is
the reference's none), nga_operators, nga_class exact, best_mbps within 1e-9.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import sqlite3
import sys

REL = 1e-6          # relative tolerance for sums and areas
AREA_ROUND = 5e-7   # km2: half the last digit of summary.json's 6-decimal areas
MBPS_TOL = 1e-9     # Mbit/s, per premises


class Report:
    def __init__(self, label: str, max_examples: int) -> None:
        self.label = label
        self.max_examples = max_examples
        self.problems: list[str] = []
        self.notes: list[str] = []
        self.counts: dict[str, int] = {}
        self.max_rel: dict[str, float] = {}

    def bad(self, kind: str, message: str) -> None:
        n = self.counts.get(kind, 0) + 1
        self.counts[kind] = n
        if n <= self.max_examples:
            self.problems.append(f"{kind}: {message}")
        elif n == self.max_examples + 1:
            self.problems.append(f"{kind}: ... (more; total at the end)")

    def rel(self, kind: str, a: float, b: float) -> float:
        d = abs(a - b)
        scale = max(abs(a), abs(b))
        r = 0.0 if d == 0 else (d / scale if scale > 0 else math.inf)
        self.max_rel[kind] = max(self.max_rel.get(kind, 0.0), r)
        return r


def num(x) -> float:
    return float("nan") if x is None else float(x)


def close(a: float, b: float, rel: float, absolute: float = 0.0) -> bool:
    if math.isnan(a) or math.isnan(b):
        return False
    return abs(a - b) <= max(rel * max(abs(a), abs(b)), absolute)


def compare_summary(rep: Report, bb: dict, ref: dict) -> None:
    bauth = bb.get("authorities", [])
    rauth = ref.get("authorities", [])
    bcodes = [a["code"] for a in bauth]
    rcodes = [a["code"] for a in rauth]
    if set(bcodes) != set(rcodes) or len(bcodes) != len(rcodes):
        only_b = sorted(set(bcodes) - set(rcodes))
        only_r = sorted(set(rcodes) - set(bcodes))
        rep.bad("authorities", f"bbplan {len(bcodes)}, reference {len(rcodes)}; only bbplan {only_b[:5]}, "
                               f"only reference {only_r[:5]}")
    elif bcodes != rcodes:
        # docs/SCENARIO.md does not fix the report order; bbplan lists `only` codes in the
        # order written, the reference in source order. Matched by code, so only a note.
        rep.notes.append("authorities listed in a different order (bbplan: " + " ".join(bcodes[:4])
                         + "; reference: " + " ".join(rcodes[:4]) + "); matched by code")
    rmap = {a["code"]: a for a in rauth}
    rep.counts.setdefault("authorities_compared", 0)
    for a in bauth:
        r = rmap.get(a["code"])
        if r is None:
            continue
        rep.counts["authorities_compared"] += 1
        code = a["code"]
        if a["premises"] != r["premises"]:
            rep.bad("premises", f"{code}: bbplan {a['premises']}, reference {r['premises']}")
        hb, hr = num(a["households"]), num(r["households"])
        if not (hb == hr or (not (hb.is_integer() and hr.is_integer()) and abs(hb - hr) <= 5e-5)):
            rep.bad("households", f"{code}: bbplan {hb}, reference {hr}")
        rep.rel("area_km2", num(a["area_km2"]), num(r["area_km2"]))
        if not close(num(a["area_km2"]), num(r["area_km2"]), REL, AREA_ROUND):
            rep.bad("area_km2", f"{code}: bbplan {a['area_km2']}, reference {r['area_km2']}")
        bs, rs = a["before"], r["before"]
        for tier, rv in rs["households_by_tier"].items():
            bv = bs["households_by_tier"].get(tier)
            if bv is None:
                rep.bad("households_by_tier", f"{code}: tier {tier} missing in bbplan")
                continue
            rep.rel("households_by_tier", num(bv), num(rv))
            if not close(num(bv), num(rv), REL):
                rep.bad("households_by_tier", f"{code} {tier}: bbplan {bv}, reference {rv} ({num(bv) - num(rv):+g})")
        extra = sorted(set(bs["households_by_tier"]) - set(rs["households_by_tier"]))
        if extra:
            rep.bad("households_by_tier", f"{code}: tiers only in bbplan: {extra}")
        for cls in ("white", "grey", "black"):
            bv, rv = bs["nga_households"].get(cls), rs["nga_households"].get(cls)
            rep.rel("nga_households", num(bv), num(rv))
            if not close(num(bv), num(rv), REL):
                rep.bad("nga_households", f"{code} {cls}: bbplan {bv}, reference {rv}")
        for key in ("gap_area_km2", "coverage_area_km2"):
            for tier, rv in rs[key].items():
                bv = bs[key].get(tier)
                if bv is None:
                    rep.bad(key, f"{code}: tier {tier} missing in bbplan")
                    continue
                rep.rel(key, num(bv), num(rv))
                if not close(num(bv), num(rv), REL, AREA_ROUND):
                    rep.bad(key, f"{code} {tier}: bbplan {bv}, reference {rv} "
                                 f"({num(bv) - num(rv):+.6f} km2, {(num(bv) - num(rv)) / max(abs(num(rv)), 1e-300):+.2e} rel)")
            extra = sorted(set(bs[key]) - set(rs[key]))
            if extra:
                rep.notes.append(f"{key}: bbplan also built tiers {extra} for {code} (not compared)")
    bt, rt = bb.get("totals", {}), ref.get("totals", {})
    for key in ("premises", "households", "unassigned_premises", "unassigned_households",
                "excluded_premises", "excluded_households"):
        if num(bt.get(key)) != num(rt.get(key)):
            rep.bad("totals", f"{key}: bbplan {bt.get(key)}, reference {rt.get(key)}")
    # informational
    brep = bb.get("repairs", {}).get("count")
    rrep = sum(ref.get("repaired_polygons", {}).values())
    if brep is not None and brep != rrep:
        rep.notes.append(f"repaired polygons: bbplan {brep}, reference {rrep} (not a result; informational)")
    bgrid = bb.get("crs", {}).get("ostn15_grid")
    rgrid = ref.get("crs", {}).get("ostn15_grid")
    if bgrid is not None and bgrid != rgrid:
        rep.notes.append(f"OSTN15 grid used: bbplan {bgrid}, reference {rgrid}")


def compare_layers(rep: Report, gpkg: str, ref: dict) -> None:
    """Full-precision areas from bbplan's gaps_<tier> / coverage_<tier> layers."""
    con = sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in con.execute("select table_name from gpkg_contents")}
        rmap = {a["code"]: a for a in ref.get("authorities", [])}
        for prefix, key in (("gaps", "gap_area_km2"), ("coverage", "coverage_area_km2")):
            for tier in ref.get("coverage_tiers", []):
                table = f"{prefix}_{tier}"
                if table not in tables:
                    rep.bad("gpkg_layers", f"layer {table} missing from coverage.gpkg")
                    continue
                for code, km2 in con.execute(f'select code, area_km2 from "{table}"'):
                    r = rmap.get(code)
                    if r is None:
                        continue
                    rv = num(r["before"][key][tier])
                    rep.rel("gpkg_area", num(km2), rv)
                    if not close(num(km2), rv, REL, 1e-9):
                        rep.bad("gpkg_area", f"{table} {code}: bbplan {km2!r}, reference {rv!r} "
                                             f"({(num(km2) - rv) / max(abs(rv), 1e-300):+.2e} rel)")
    finally:
        con.close()


def compare_premises(rep: Report, gpkg: str, ref_csv: str, planned: set[str]) -> int:
    con = sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in con.execute("select table_name from gpkg_contents")}
        if "premises" not in tables:
            rep.bad("premises_layer", "coverage.gpkg has no premises layer (outputs.premises_layer?)")
            return 0
        rows = con.execute("select fid, premises_id, authority, best_mbps, tier, nga_operators, nga_class "
                           "from premises order by fid").fetchall()
    finally:
        con.close()
    with open(ref_csv, newline="", encoding="utf-8") as f:
        ref_rows = [r for r in csv.DictReader(f) if r["status"] == "assigned"]
    if len(rows) != len(ref_rows):
        rep.bad("premises_rows", f"bbplan layer {len(rows)} rows, reference {len(ref_rows)} premises in planned authorities")
    kinds = ("premises_id", "status", "authority", "tier", "nga_operators", "nga_class", "best_mbps")
    for k in kinds:
        rep.counts.setdefault("p_" + k, 0)
    compared = 0
    max_mbps = 0.0
    for (fid, pid, auth, mbps, tier, ops, ngac), r in zip(rows, ref_rows):
        i = int(r["index"])
        compared += 1
        if fid != i + 1:
            rep.bad("p_row", f"fid {fid} against reference row {i}")
        want_id = r["id"] if r["id"] != "" else str(i + 1)
        if str(pid) != want_id:
            rep.bad("p_premises_id", f"row {i}: bbplan {pid!r}, reference {want_id!r}")
        where = f"row {i} ({want_id})"
        if auth not in planned:
            rep.bad("p_status", f"{where}: bbplan wrote a premises of {auth}, not a planned authority")
        elif auth != r["authority"]:
            rep.bad("p_authority", f"{where}: bbplan {auth}, reference {r['authority']}")
        bb_tier = "" if (tier or "").startswith("below_") else (tier or "")
        if tier is None or bb_tier != r["tier"]:
            rep.bad("p_tier", f"{where}: bbplan {tier}, reference {r['tier']} (best {mbps!r} / {r['best_mbps']})")
        if int(ops) != int(r["nga_operators"]):
            rep.bad("p_nga_operators", f"{where}: bbplan {ops}, reference {r['nga_operators']}")
        if ngac != r["nga_class"]:
            rep.bad("p_nga_class", f"{where}: bbplan {ngac}, reference {r['nga_class']}")
        d = abs(float(mbps) - float(r["best_mbps"]))
        max_mbps = max(max_mbps, d)
        if not d <= MBPS_TOL:
            rep.bad("p_best_mbps", f"{where}: bbplan {mbps!r}, reference {r['best_mbps']} ({float(mbps) - float(r['best_mbps']):+g})")
    rep.max_rel["best_mbps_abs"] = max_mbps
    return compared


def fmt_rel(x: float | None) -> str:
    if x is None:
        return "-"
    return "0" if x == 0 else f"{x:.1e}"


HEADER = (f"{'case':<24} {'auth':>5} {'premises':>9} {'hh/tier':>8} {'nga':>8} {'area':>8} "
          f"{'gap/cov':>8} {'gpkg':>8} {'per-premises':>14} {'mbps':>8}  result")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--label", required=True)
    ap.add_argument("--bbplan-out", required=True, help="bbplan's output folder (summary.json, coverage.gpkg)")
    ap.add_argument("--reference", required=True, help="the reference's RESULT.json")
    ap.add_argument("--reference-premises", help="the reference's --premises-csv")
    ap.add_argument("--header", action="store_true", help="print the table header first")
    ap.add_argument("--max-examples", type=int, default=5)
    args = ap.parse_args()

    summary_path = os.path.join(args.bbplan_out, "summary.json")
    gpkg = os.path.join(args.bbplan_out, "coverage.gpkg")
    try:
        with open(summary_path, encoding="utf-8") as f:
            bb = json.load(f)
        with open(args.reference, encoding="utf-8") as f:
            ref = json.load(f)
    except (OSError, ValueError) as e:
        print(f"compare_coverage: {e}", file=sys.stderr)
        return 2

    rep = Report(args.label, args.max_examples)
    compare_summary(rep, bb, ref)
    if os.path.exists(gpkg):
        compare_layers(rep, gpkg, ref)
    per_premises = "-"
    if args.reference_premises:
        if not os.path.exists(gpkg):
            rep.bad("premises_layer", f"{gpkg} not written")
        else:
            planned = {a["code"] for a in ref.get("authorities", [])}
            n = compare_premises(rep, gpkg, args.reference_premises, planned)
            wrong = sum(v for k, v in rep.counts.items() if k.startswith("p_"))
            per_premises = f"{n - 0}:{'ok' if wrong == 0 else str(wrong) + ' bad'}"

    bad_kinds = {k: v for k, v in rep.counts.items() if v and k != "authorities_compared"}
    ok = not bad_kinds
    m = rep.max_rel
    area_rel = max(m.get("gap_area_km2", 0.0), m.get("coverage_area_km2", 0.0))
    if args.header:
        print(HEADER)
    print(f"{args.label:<24} {rep.counts.get('authorities_compared', 0):>5} "
          f"{bb.get('totals', {}).get('premises', '?'):>9} {fmt_rel(m.get('households_by_tier')):>8} "
          f"{fmt_rel(m.get('nga_households')):>8} {fmt_rel(m.get('area_km2')):>8} {fmt_rel(area_rel):>8} "
          f"{fmt_rel(m.get('gpkg_area')) if 'gpkg_area' in m else '-':>8} {per_premises:>14} "
          f"{fmt_rel(m.get('best_mbps_abs')) if 'best_mbps_abs' in m else '-':>8}  "
          f"{'AGREE' if ok else 'DISAGREE'}")
    for p in rep.problems:
        print(f"    ! {p}")
    if bad_kinds:
        print("    ! mismatch counts: " + ", ".join(f"{k} {v}" for k, v in sorted(bad_kinds.items())))
    for note in rep.notes[:args.max_examples]:
        print(f"    . {note}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
