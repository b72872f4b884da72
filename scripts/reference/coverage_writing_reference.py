#!/usr/bin/env python3
"""The geopandas peer of a national `bbplan coverage` run *including writing* (issue 12).

    py=$(scripts/pyenv)
    "$py" scripts/reference/coverage_writing_reference.py SCENARIO.yaml --write DIR \
        [--out RESULT.json] [--clip-per-authority] [--quiet]

It does the job of `bbplan coverage` with `outputs: {formats: [gpkg, geojson, csv]}`, the way a
GIS analyst would with geopandas / shapely 2 / pyogrio:

1. the baseline: coverage_reference.run() (imported, unchanged: reading, assigning
   authorities, speeds, classes, coverage and gap polygons per tier, statistics), keeping the
   coverage and gap polygons instead of only their areas;
2. the gap clusters of docs/MODEL.md, "Shared gaps", as scripts/reference/gap_clusters_reference.py
   computes them: `shapely.union_all` of every planned authority's gap parts, its polygons are
   the clusters; ids from the south-west envelope corner ("<floor(min x)>_<floor(min y)>",
   "-2", "-3" ... for a repeat), ordered by (min x, min y, larger area first); each gap part's
   area counts for its authority in the cluster holding its representative point; premises
   below the tier (in a planned authority) are located in the clusters (`sjoin`, "intersects":
   boundary included; the first cluster when on a boundary between two) and count for their
   own authority;
3. writing, in DIR, the layers bbplan writes (docs/MODEL.md, docs/FIELDS.md):
   * coverage.gpkg (working CRS): `authorities` (the per-authority statistics), then
     `coverage_<tier>` and `gaps_<tier>` per tier (code, name, area_km2), then
     `gap_clusters_<tier>` per tier (cluster_id, area_km2, premises, households,
     authority_count, cross_border, authorities, households_by_authority); each with
     `gdf.to_file(gpkg, layer=..., driver="GPKG", engine="pyogrio")` (GDAL's defaults: an
     R-tree spatial index per layer, as bbplan writes);
   * one GeoJSON file per layer: `gdf.to_crs(4326).to_file(..., driver="GeoJSON",
     engine="pyogrio", layer_options={"RFC7946": "YES", "COORDINATE_PRECISION": 7})` (the
     OSTN15 grid is registered with pyproj by coverage_reference, as bbplan uses it);
   * authorities.csv (the authorities layer without geometry) and gap_clusters.csv (one row per
     cluster and authority it spans), with pandas `to_csv`.
   Empty polygons (a tier covering nothing or everything) are written as null geometries, as
   bbplan writes them.

Not written (bbplan writes them too, but they are not GIS work an analyst would redo):
summary.json's full tree (RESULT.json holds the statistics instead), project.qgz, report
files. `snapped_premises` / `snapped_households` are written as 0: the reference rejects
`authorities.snap_m`, so nothing is ever snapped.

Per-step timings and peak memory go to stderr (unless --quiet) and into RESULT.json (by
default DIR/reference.json, written last), whose
`written` block counts the features of every layer written and `gap_clusters` gives per tier
the number of clusters, their total area and households (scripts/bench-lib/compare_writing.py
compares these with bbplan's outputs). Exit status 0 on success, 2 for a scenario or data
error. It shares no code with bbplan.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import coverage_reference as ref  # noqa: E402  (registers the OSTN15 grid with pyproj first)

import geopandas as gpd  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import shapely  # noqa: E402

GEOJSON_OPTIONS = {"RFC7946": "YES", "COORDINATE_PRECISION": 7}


def fmt_number(x: float) -> str:
    """A households value in `households_by_authority`: whole numbers without a decimal point."""
    x = float(x)
    return str(int(x)) if x.is_integer() else repr(round(x, 6))


def gap_clusters(gaps: gpd.GeoDataFrame, below: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """One tier's clusters (a layer) and their per-authority shares (gap_clusters.csv rows).

    gaps: the planned authorities' gap polygons (code, geometry); below: the premises below
    the tier in planned authorities (code, households, geometry)."""
    parts = gaps.explode(index_parts=False)
    parts = parts[~parts.geometry.is_empty & (parts.geometry.geom_type == "Polygon")]
    parts = parts.reset_index(drop=True)
    columns = ["cluster_id", "area_km2", "premises", "households", "authority_count",
               "cross_border", "authorities", "households_by_authority"]
    if len(parts) == 0:
        empty = gpd.GeoDataFrame({c: [] for c in columns}, geometry=[], crs=gaps.crs)
        return empty, pd.DataFrame()
    union = shapely.union_all(parts.geometry.values)
    pieces = shapely.get_parts(union)
    pieces = pieces[(shapely.get_type_id(pieces) == 3) & ~shapely.is_empty(pieces)]
    bounds = shapely.bounds(pieces)
    area = shapely.area(pieces)
    order = np.lexsort((-area, bounds[:, 1], bounds[:, 0]))
    pieces, bounds, area = pieces[order], bounds[order], area[order]

    ids, last, repeats = [], None, 0
    for minx, miny in bounds[:, :2]:
        corner = f"{math.floor(minx)}_{math.floor(miny)}"
        repeats = repeats + 1 if corner == last else 1
        last = corner
        ids.append(corner if repeats == 1 else f"{corner}-{repeats}")
    clusters = gpd.GeoDataFrame({"k": np.arange(len(pieces))}, geometry=pieces, crs=gaps.crs)

    # each gap part's area, for its authority, in the cluster holding its representative point
    reps = gpd.GeoDataFrame({"code": parts["code"].to_numpy(), "area": parts.geometry.area.to_numpy() / 1e6},
                            geometry=parts.geometry.representative_point().to_numpy(), crs=gaps.crs)
    located = gpd.sjoin(clusters, reps, how="inner", predicate="intersects")
    areas = located.groupby(["k", "code"])["area"].sum()

    # premises below the tier: polygons on the left, so GEOS tests prepared cluster polygons
    # against a tree of the points (the points on the left would test each against the raw
    # polygon: national clusters have millions of vertices)
    inside = gpd.sjoin(clusters, below, how="inner", predicate="intersects")
    inside = inside.sort_values("k", kind="stable")
    inside = inside[~inside["index_right"].duplicated(keep="first")]  # first cluster on a boundary
    counts = inside.groupby(["k", "code"]).agg(premises=("households", "size"),
                                               households=("households", "sum"))

    shares = pd.concat([areas.rename("area_km2"), counts], axis=1).fillna(0).reset_index()
    shares["premises"] = shares["premises"].astype(np.int64)
    shares = shares.sort_values(["k", "code"], kind="stable")
    per = shares.groupby("k")
    cl = pd.DataFrame({
        "premises": per["premises"].sum(),
        "households": per["households"].sum(),
        "authority_count": per.size(),
        "authorities": per["code"].agg(",".join),
        "households_by_authority": per.apply(lambda g: ",".join(
            f"{c}={fmt_number(h)}" for c, h in zip(g["code"], g["households"])), include_groups=False),
    }).reindex(np.arange(len(pieces)))
    cl["premises"] = cl["premises"].fillna(0).astype(np.int64)
    cl["households"] = cl["households"].fillna(0.0)
    cl["authority_count"] = cl["authority_count"].fillna(0).astype(np.int64)
    cl["authorities"] = cl["authorities"].fillna("")
    cl["households_by_authority"] = cl["households_by_authority"].fillna("")
    cl["cross_border"] = (cl["authority_count"] > 1).astype(np.int64)
    layer = gpd.GeoDataFrame({
        "cluster_id": ids, "area_km2": area / 1e6, "premises": cl["premises"].to_numpy(),
        "households": cl["households"].to_numpy(), "authority_count": cl["authority_count"].to_numpy(),
        "cross_border": cl["cross_border"].to_numpy(), "authorities": cl["authorities"].to_numpy(),
        "households_by_authority": cl["households_by_authority"].to_numpy()},
        geometry=pieces, crs=gaps.crs)

    rows = shares.merge(layer[["cluster_id", "area_km2", "households", "cross_border"]]
                        .rename(columns={"area_km2": "cluster_area_km2", "households": "cluster_households"}),
                        left_on="k", right_index=True)
    rows = rows.rename(columns={"code": "authority"})[
        ["cluster_id", "cluster_area_km2", "cluster_households", "cross_border", "authority",
         "area_km2", "premises", "households"]]
    return layer, rows


def authorities_layer(keep: dict, result: dict) -> gpd.GeoDataFrame:
    """The planned authorities with their statistics (the fields of bbplan's layer)."""
    sc, planned = keep["sc"], keep["planned"]
    cols: dict[str, list] = {}
    for a in result["authorities"]:
        b = a["before"]
        row = {"code": a["code"], "name": a["name"], "premises": a["premises"],
               "households": float(a["households"]), "area_km2": a["area_km2"]}
        for t in sc["tiers"]:
            row[f"households_{t}"] = float(b["households_by_tier"][t])
        for t in sc["tiers"]:
            hh = float(a["households"])
            row[f"share_{t}"] = float(b["households_by_tier"][t]) / hh if hh > 0 else 0.0
        for c in ("white", "grey", "black"):
            row[f"{c}_households"] = float(b["nga_households"][c])
        for t in sc["coverage_tiers"]:
            row[f"gap_km2_{t}"] = b["gap_area_km2"][t]
        row["snapped_premises"] = 0     # nothing is snapped (module docstring)
        row["snapped_households"] = 0.0
        for k, v in row.items():
            cols.setdefault(k, []).append(v)
    return gpd.GeoDataFrame(cols, geometry=planned.geometry.to_numpy(), crs=planned.crs)


def nulls_for_empty(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Empty polygons become null geometries (bbplan writes a tier covering nothing as null)."""
    empty = gdf.geometry.is_empty
    if empty.any():
        gdf = gdf.copy()
        gdf.loc[empty, "geometry"] = None
    return gdf


def run(args: argparse.Namespace) -> dict:
    keep: dict = {}
    result = ref.run(args, keep)
    steps, sc = keep["steps"], keep["sc"]
    planned, premises, cls = keep["planned"], keep["premises"], keep["classes"]
    codes = keep["authorities"]["code"].to_numpy(dtype=object)

    # premises in planned authorities, with their authority's code, for the clusters
    sel = keep["in_selected"]
    in_planned = gpd.GeoDataFrame({"code": codes[keep["auth_idx"][sel]],
                                   "households": premises["households"].to_numpy()[sel],
                                   "best": cls["best_mbps"].to_numpy()[sel]},
                                  geometry=premises.geometry.to_numpy()[sel], crs=premises.crs)
    layers: dict[str, gpd.GeoDataFrame] = {}
    csv_rows = []
    cluster_stats = {}
    for tier in sc["coverage_tiers"]:
        def clusters_of(tier=tier):
            gaps = gpd.GeoDataFrame({"code": planned["code"].to_numpy()},
                                    geometry=keep["gaps"][tier].to_numpy(), crs=planned.crs)
            below = in_planned[in_planned["best"] < sc["tiers"][tier]][["code", "households", "geometry"]]
            return gap_clusters(gaps, below)
        layer, rows = steps.run(f"gap_clusters:{tier}", clusters_of)
        layers[f"gap_clusters_{tier}"] = layer
        if len(rows):
            rows.insert(0, "tier", tier)
            csv_rows.append(rows)
        cluster_stats[tier] = {"clusters": int(len(layer)),
                               "cross_border_clusters": int(layer["cross_border"].sum()),
                               "area_km2": float(layer["area_km2"].sum()),
                               "households": ref.num(layer["households"].sum())}

    def prepare():
        out = {"authorities": authorities_layer(keep, result)}
        for tier in sc["coverage_tiers"]:
            for kind, key in (("coverage", "coverage"), ("gaps", "gaps")):
                g = keep[key][tier]
                out[f"{kind}_{tier}"] = nulls_for_empty(gpd.GeoDataFrame(
                    {"code": planned["code"].to_numpy(), "name": planned["name"].to_numpy(),
                     "area_km2": g.area.to_numpy() / 1e6}, geometry=g.to_numpy(), crs=planned.crs))
        for tier in sc["coverage_tiers"]:
            out[f"gap_clusters_{tier}"] = layers[f"gap_clusters_{tier}"]
        return out
    layers = steps.run("prepare_layers", prepare)

    out_dir = Path(args.write)
    out_dir.mkdir(parents=True, exist_ok=True)
    gpkg = out_dir / "coverage.gpkg"
    if gpkg.exists():
        gpkg.unlink()

    def write_gpkg():
        for name, gdf in layers.items():
            gdf.to_file(gpkg, layer=name, driver="GPKG", engine="pyogrio")
    steps.run("write_gpkg", write_gpkg)

    def write_geojson():
        for name, gdf in layers.items():
            gdf.to_crs(4326).to_file(out_dir / f"{name}.geojson", driver="GeoJSON", engine="pyogrio",
                                     layer_options=GEOJSON_OPTIONS)
    steps.run("write_geojson", write_geojson)

    def write_csv():
        pd.DataFrame(layers["authorities"].drop(columns="geometry")).to_csv(
            out_dir / "authorities.csv", index=False)
        table = pd.concat(csv_rows, ignore_index=True) if csv_rows else pd.DataFrame()
        table.to_csv(out_dir / "gap_clusters.csv", index=False)
    steps.run("write_csv", write_csv)

    result["reference"] = ("scripts/reference/coverage_writing_reference.py (geopandas, with "
                           "gap clusters and writing), model: docs/MODEL.md")
    result["gap_clusters"] = cluster_stats
    result["written"] = {name: int(len(gdf)) for name, gdf in layers.items()}
    result["timings_s"] = steps.timings
    result["peak_rss_mb"] = steps.peak_rss_mb
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scenario", help="scenario YAML (docs/SCENARIO.md)")
    ap.add_argument("--write", required=True, metavar="DIR",
                    help="folder for coverage.gpkg, the GeoJSON layers and the CSV tables")
    ap.add_argument("--out", help="result JSON to write (default DIR/reference.json)")
    ap.add_argument("--clip-per-authority", action="store_true",
                    help="as coverage_reference.py: union and clip authority by authority")
    ap.add_argument("--quiet", action="store_true", help="no per-step timings on stderr")
    args = ap.parse_args(argv)
    if args.out is None:
        args.out = str(Path(args.write) / "reference.json")
    # what coverage_reference.run reads from args
    args.tiers_all, args.premises_csv = False, None
    t0 = time.perf_counter()
    try:
        result = run(args)
    except ref.ScenarioError as e:
        print(f"coverage_writing_reference: {args.scenario}: {e}", file=sys.stderr)
        return 2
    ref.write_result(result, args.out, t0)
    if not args.quiet:
        c = ", ".join(f"{t} {v['clusters']} clusters" for t, v in result["gap_clusters"].items())
        print(f"{result['scenario']}: {result['totals']['premises']} premises; {c}; "
              f"{len(result['written'])} layers written to {args.write}; "
              f"{result['timings_s']['total']:.1f} s -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
