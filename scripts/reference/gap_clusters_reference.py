#!/usr/bin/env python3
"""Independent shapely check of bbplan's gap clusters (docs/MODEL.md, "Shared gaps").

    py=$(scripts/pyenv)
    "$py" scripts/reference/gap_clusters_reference.py RUN_DIR [RUN_DIR...]

RUN_DIR is a bbplan output folder written with the GeoPackage and the premises layer
(`outputs: {premises_layer: true}`). From the folder's own inputs to the clusters (the
`gaps_<tier>` layers: one gap polygon per planned authority; the `premises` layer: each point's
authority, households and best speed; summary.json: the planned authorities and the tiers'
thresholds) it recomputes, the way an analyst would with shapely 2 / geopandas:

* clusters = the polygons of `shapely.union_all` of every planned authority's gap parts;
* each cluster's id from its bounds: "<floor(min x)>_<floor(min y)>", "-2", "-3" ... for a repeat,
  clusters ordered by (min x, min y, larger area first);
* per cluster and authority: the area of the authority's gap parts whose representative point
  lies in the cluster, and the households of its premises below the tier inside the cluster
  (`sjoin`, predicate "intersects", i.e. boundary included);
* per authority: gap households (premises below the tier) and the part in clusters spanning
  two or more authorities;

and compares them with the `gap_clusters_<tier>` layer and summary.json's `gap_clusters`
(areas to 1e-6 km², households to 1e-6). It shares no code with bbplan. Prints one line per
mismatch and a summary line; exit 0 when everything agrees, 1 otherwise, 2 on a bad folder.
"""
import json
import math
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

AREA_TOL = 1e-6   # km²
HH_TOL = 1e-6


def clusters_for(gaps, premises, planned, mbps):
    """Reference clusters of one tier: list of dicts in bbplan's order."""
    parts = gaps.explode(index_parts=False)
    parts = parts[~parts.geometry.is_empty & (parts.geometry.geom_type == "Polygon")]
    if len(parts) == 0:
        return [], {}
    union = shapely.union_all(parts.geometry.values)
    pieces = [g for g in shapely.get_parts(union) if g.geom_type == "Polygon" and not g.is_empty]
    pieces.sort(key=lambda g: (g.bounds[0], g.bounds[1], -g.area))
    clusters = gpd.GeoDataFrame({"k": range(len(pieces))}, geometry=pieces, crs=gaps.crs)

    ids, last, repeats = [], None, 0
    for g in pieces:
        corner = f"{math.floor(g.bounds[0])}_{math.floor(g.bounds[1])}"
        repeats = repeats + 1 if corner == last else 1
        last = corner
        ids.append(corner if repeats == 1 else f"{corner}-{repeats}")

    shares = {}   # (k, code) -> [area_km2, households]
    reps = gpd.GeoDataFrame({"code": parts["code"].values}, geometry=parts.geometry.representative_point().values, crs=gaps.crs)
    reps["area"] = parts.geometry.area.values / 1e6
    located = gpd.sjoin(reps, clusters, predicate="intersects", how="inner")
    for code, k, area in zip(located["code"], located["k"], located["area"]):
        shares.setdefault((k, code), [0.0, 0.0])[0] += area

    below = premises[premises["authority"].isin(planned) & (premises["best_mbps"] < mbps)]
    inside = gpd.sjoin(below, clusters, predicate="intersects", how="inner")
    # A point on the boundary of two clusters counts once, in the first (bbplan's "first covering").
    inside = inside.sort_values("k").loc[lambda d: ~d.index.duplicated(keep="first")]
    for code, k, hh in zip(inside["authority"], inside["k"], inside["households"]):
        shares.setdefault((k, code), [0.0, 0.0])[1] += hh

    out = []
    for k, g in enumerate(pieces):
        mine = sorted((code, v) for (kk, code), v in shares.items() if kk == k)
        out.append({"id": ids[k], "area_km2": g.area / 1e6, "authorities": [c for c, _ in mine],
                    "parts": {c: v for c, v in mine}, "households": sum(v[1] for _, v in mine)})
    gap_hh = below.groupby("authority")["households"].sum().to_dict()
    cross = {}
    for c in out:
        if len(c["authorities"]) > 1:
            for code, (_, hh) in c["parts"].items():
                cross[code] = cross.get(code, 0.0) + hh
    outside = below.loc[~below.index.isin(inside.index), "households"].sum()
    return out, {"gap": gap_hh, "cross": cross, "outside": float(outside), "outside_count": int((~below.index.isin(inside.index)).sum())}


def check(run):
    problems = []
    summary = json.loads((run / "summary.json").read_text())
    gpkg = run / "coverage.gpkg"
    layers = {name for name, _ in pyogrio.list_layers(gpkg)}
    if "premises" not in layers:
        raise SystemExit(f"{run}: no premises layer; write the run with outputs.premises_layer: true")
    planned = [a["code"] for a in summary["authorities"]]
    premises = gpd.read_file(gpkg, layer="premises")
    checked = 0
    for tier, t in summary["gap_clusters"].items():
        mbps = summary["tiers_mbps"][tier]
        gaps = gpd.read_file(gpkg, layer=f"gaps_{tier}")
        gaps = gaps[gaps["code"].isin(planned)]
        ref, per = clusters_for(gaps, premises, planned, mbps)
        got = gpd.read_file(gpkg, layer=f"gap_clusters_{tier}")
        where = f"{run.name} {tier}"
        if list(got["cluster_id"]) != [c["id"] for c in ref]:
            problems.append(f"{where}: cluster ids differ: bbplan {len(got)} clusters {list(got['cluster_id'])[:5]}..., reference {len(ref)} {[c['id'] for c in ref][:5]}...")
            continue
        for (_, row), c in zip(got.iterrows(), ref):
            if abs(row["area_km2"] - c["area_km2"]) > AREA_TOL:
                problems.append(f"{where} {c['id']}: area {row['area_km2']} km², reference {c['area_km2']}")
            if abs(row["households"] - c["households"]) > HH_TOL:
                problems.append(f"{where} {c['id']}: households {row['households']}, reference {c['households']}")
            if row["authorities"].split(",") != c["authorities"]:
                problems.append(f"{where} {c['id']}: authorities {row['authorities']}, reference {','.join(c['authorities'])}")
            if bool(row["cross_border"]) != (len(c["authorities"]) > 1):
                problems.append(f"{where} {c['id']}: cross_border {row['cross_border']}")
            checked += 1
        # summary.json: the cross-border list (most households first) with each authority's part.
        cross_ref = sorted((c for c in ref if len(c["authorities"]) > 1), key=lambda c: (-c["households"], -c["area_km2"], c["id"]))
        if [c["id"] for c in t["cross_border"]] != [c["id"] for c in cross_ref]:
            problems.append(f"{where}: summary cross_border order {[c['id'] for c in t['cross_border']][:5]}, reference {[c['id'] for c in cross_ref][:5]}")
        else:
            for s, c in zip(t["cross_border"], cross_ref):
                for part in s["authorities"]:
                    area, hh = c["parts"][part["code"]]
                    if abs(part["area_km2"] - area) > AREA_TOL or abs(part["households"] - hh) > HH_TOL:
                        problems.append(f"{where} {c['id']} {part['code']}: {part['area_km2']} km² {part['households']} households, reference {area} {hh}")
        if t["clusters"] != len(ref) or t["cross_border_clusters"] != len(cross_ref):
            problems.append(f"{where}: counts {t['clusters']}/{t['cross_border_clusters']}, reference {len(ref)}/{len(cross_ref)}")
        if abs(t["households_outside_clusters"] - per["outside"]) > HH_TOL or t["premises_outside_clusters"] != per["outside_count"]:
            problems.append(f"{where}: outside clusters {t['premises_outside_clusters']} / {t['households_outside_clusters']}, reference {per['outside_count']} / {per['outside']}")
        for a in t["authorities"]:
            gap = per["gap"].get(a["code"], 0.0)
            cross = per["cross"].get(a["code"], 0.0)
            share = cross / gap if gap > 0 else 0.0
            if abs(a["gap_households"] - gap) > 1e-3 or abs(a["cross_border_households"] - cross) > 1e-3 or abs(a["cross_border_share"] - share) > 1e-6:
                problems.append(f"{where} {a['code']}: gap {a['gap_households']} cross {a['cross_border_households']} share {a['cross_border_share']}, reference {gap} {cross} {share:.6f}")
    return problems, checked


def main():
    if len(sys.argv) < 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    failed = 0
    for arg in sys.argv[1:]:
        run = Path(arg)
        if not (run / "summary.json").is_file() or not (run / "coverage.gpkg").is_file():
            print(f"gap_clusters_reference: {run}: not a bbplan run folder with coverage.gpkg", file=sys.stderr)
            return 2
        problems, checked = check(run)
        for p in problems:
            print(p)
        print(f"{run.name}: {checked} clusters checked, {len(problems)} mismatches")
        failed += len(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
