#!/usr/bin/env python3
"""Cheap agreement check between bbplan's written outputs and those of the geopandas peer
(scripts/reference/coverage_writing_reference.py), for scripts/bench-coverage's `writing`
section. Standard library only.

    compare_writing.py OURS_DIR PEER_DIR

Both folders hold coverage.gpkg, one GeoJSON file per layer, authorities.csv and
gap_clusters.csv. Compared:

* the GeoPackage's feature layers: the same names; the same number of features in each, except
  the gap clusters (below);
* each layer's GeoJSON file: present on both sides, with as many features as that side's
  GeoPackage layer;
* per tier (every `gap_clusters_<tier>` layer): the total cluster area (`area_km2`) and
  households within 1e-6 relative; the number of clusters, of clusters crossing a border and
  the rows of gap_clusters.csv within 0.5% (CLUSTER_REL; for the clusters crossing a border, 0.5%
  of all the tier's clusters). Why not exact: the clusters are the
  polygons of a GEOS union, and where two gap pieces meet at a single point (or within 1e-10 m)
  bbplan's GEOS 3.11 and shapely's GEOS 3.14 do not always agree whether they are one polygon
  or two (docs/MODEL.md keeps pieces meeting at one point apart). On the GB baseline this
  splits or joins 3 of 3,126 superfast clusters and 1 of 1,543 gigabit ones, with the same
  total area (to 1e-15) and households; a missing or extra authority or tier would change
  those totals;
* authorities.csv: the same number of rows.

Prints one line per layer and per tier, then AGREE or DISAGREE; exit 0 when they agree, 1
when not, 2 when a folder is not readable.
"""

import csv
import json
import os
import sqlite3
import sys

REL = 1e-6
CLUSTER_REL = 0.005   # see the module docstring


def close(a, b, rel=REL):
    return a == b or abs(a - b) <= rel * max(abs(a), abs(b))


def layers(gpkg):
    con = sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True)
    try:
        names = [r[0] for r in con.execute(
            "select table_name from gpkg_contents where data_type = 'features' order by table_name")]
        out = {}
        for n in names:
            count = con.execute(f'select count(*) from "{n}"').fetchone()[0]
            clusters = None
            if n.startswith("gap_clusters_"):
                clusters = con.execute(
                    f'select count(*), coalesce(sum(cross_border), 0), coalesce(sum(area_km2), 0), '
                    f'coalesce(sum(households), 0) from "{n}"').fetchone()
            out[n] = (count, clusters)
        return out
    finally:
        con.close()


def count_close(a, b, of=None):
    """a and b within CLUSTER_REL of `of` (default the larger of the two)."""
    return a is not None and b is not None and abs(a - b) <= CLUSTER_REL * (of or max(a, b))


def geojson_features(path):
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as f:
        return len(json.load(f).get("features", []))


def csv_rows(path):
    if not os.path.isfile(path):
        return None
    with open(path, newline="", encoding="utf-8") as f:
        return sum(1 for _ in csv.reader(f)) - 1


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[4].strip(), file=sys.stderr)
        return 2
    bdir, pdir = argv
    try:
        bl = layers(os.path.join(bdir, "coverage.gpkg"))
        pl = layers(os.path.join(pdir, "coverage.gpkg"))
    except sqlite3.Error as e:
        print(f"compare_writing: {e}", file=sys.stderr)
        return 2
    problems = []
    if set(bl) != set(pl):
        problems.append(f"layers only in bbplan: {sorted(set(bl) - set(pl))}, "
                        f"only in the peer: {sorted(set(pl) - set(bl))}")
    print(f"{'layer':<28} {'bbplan gpkg':>11} {'peer gpkg':>10} {'bbplan json':>11} {'peer json':>10}")
    for name in sorted(set(bl) & set(pl)):
        bn, pn = bl[name][0], pl[name][0]
        bj = geojson_features(os.path.join(bdir, f"{name}.geojson"))
        pj = geojson_features(os.path.join(pdir, f"{name}.geojson"))
        clusters = name.startswith("gap_clusters_")
        ok = bn == bj and pn == pj and (bn == pn or (clusters and count_close(bn, pn)))
        note = " (within 0.5%: see below)" if ok and bn != pn else ""
        print(f"{name:<28} {bn:>11} {pn:>10} {str(bj):>11} {str(pj):>10}  {'ok' if ok else 'DIFFERENT'}{note}")
        if not ok:
            problems.append(f"{name}: features gpkg {bn} / {pn}, GeoJSON {bj} / {pj} (bbplan / peer)")
    for name in sorted(n for n in set(bl) & set(pl) if n.startswith("gap_clusters_")):
        tier = name[len("gap_clusters_"):]
        (bn, bx, ba, bh), (pn, px, pa, ph) = bl[name][1], pl[name][1]
        rel_a = abs(ba - pa) / max(abs(ba), abs(pa), 1e-300)
        rel_h = abs(bh - ph) / max(abs(bh), abs(ph), 1e-300)
        # clusters crossing a border: within the same allowance as the tier's clusters
        ok = count_close(bn, pn) and count_close(bx, px, max(bn, pn)) and close(ba, pa) and close(bh, ph)
        print(f"  {tier}: clusters {bn} / {pn} ({bn - pn:+d}), crossing a border {bx} / {px}, "
              f"area {ba:.6f} / {pa:.6f} km2 (rel {rel_a:.1e}), households {bh:.0f} / {ph:.0f} "
              f"(rel {rel_h:.1e})  {'ok' if ok else 'DIFFERENT'}")
        if not ok:
            problems.append(f"gap clusters {tier} differ (bbplan / peer above)")
    for table in ("authorities.csv", "gap_clusters.csv"):
        b, p = csv_rows(os.path.join(bdir, table)), csv_rows(os.path.join(pdir, table))
        ok = b == p and b is not None or (table == "gap_clusters.csv" and count_close(b, p))
        print(f"  {table}: {b} / {p} rows  {'ok' if ok else 'DIFFERENT'}")
        if not ok:
            problems.append(f"{table}: {b} / {p} rows (bbplan / peer)")
    for p in problems:
        print(f"  ! {p}")
    print("(bbplan / peer; areas in km2, rel = relative difference)")
    print("AGREE" if not problems else "DISAGREE")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
