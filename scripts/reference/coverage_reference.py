#!/usr/bin/env python3
"""Independent reference implementation of bbplan's baseline and coverage model.

    py=$(scripts/pyenv)
    "$py" scripts/reference/coverage_reference.py SCENARIO.yaml --out RESULT.json \
        [--premises-csv PREMISES.csv] [--tiers-all] [--clip-per-authority] [--quiet]

Exit status 0 on success, 2 for a scenario or data error (message on stderr). Per-step timings
and peak memory go to stderr (unless --quiet) and into RESULT.json.

What it computes (the model is specified in docs/MODEL.md; scenario keys in docs/SCENARIO.md):

* Baseline per premises (docs/MODEL.md, "Baseline"):
  1. authority = the first authority in source order whose polygon *covers* the point
     (boundary included); points in no authority are `unassigned`; with `authorities.only`,
     points whose first covering authority is not selected are `excluded`;
  2. FTTC: line length = distance to the network's nearest cabinet x route factor, speed by
     piecewise-linear interpolation of the speed curve (clamped at both ends);
  3. FWA: the network's speed within any mast's radius (distance <= radius);
  4. FTTP/cable: the network's speed inside any footprint polygon (boundary included);
  5. best speed = max over networks (0 with none), tier = highest tier with threshold <= best,
     NGA class from the number of distinct operators giving >= the NGA threshold
     (0 white, 1 grey, 2+ black).
* Coverage polygons per requested tier (docs/MODEL.md, "Coverage polygons and gaps"): the union
  of FTTC reach disks (radius = longest line length meeting the tier / route factor; none if the
  tier is above the curve's first speed; the whole authority if the tier is at or below its last
  speed), FWA mast disks of networks fast enough, and footprints fast enough. Disks are
  `buffer(r, quad_segs=quadrant_segments)` polygons (4 x quadrant_segments vertices, inscribed).
  Per authority: coverage = union ∩ authority, gap = authority − union, planar areas in km².
* Statistics per authority (docs/MODEL.md, "Statistics per authority") and region totals.

It is written the way a GIS analyst would write it with geopandas / shapely 2: `read_file`
(pyogrio) and `pandas.read_csv`, `to_crs` (pyproj), `sjoin` for point-in-polygon and FWA
reach, `sjoin_nearest` for nearest cabinets, `buffer` + `union_all` + `intersection` /
`difference` for the polygons, vectorised numpy for speeds and classes. It is deliberately not
hand-optimised (no custom grids or bespoke indexes): it is the "peer" that bbplan's national
benchmark is compared against, as well as a cross-check of bbplan's numbers. It was written
from docs/MODEL.md and docs/SCENARIO.md alone and shares no code with bbplan.

Implementation choices (documented because they affect speed, not results):

* Coverage polygons: the textbook way -- one `union_all` of all reach disks and footprints of
  the tier, then `authorities.intersection(union)` and `authorities.difference(union)`. It is
  not pathological at national scale, so it is the default: on the GB scenario
  (scripts/reference/gb-baseline.yaml, 85,058 cabinets + 226 masts, 350 districts) the
  superfast step took 28 s (union_all of 85,284 disks 8 s -> 538k vertices; intersection
  13.5 s; difference 12.5 s; `gpd.overlay` instead of the intersection: 18 s), of a 42 s run.
  `--clip-per-authority` instead `sjoin`s the parts to the authorities (intersects), unions
  each authority's candidates and clips authority by authority (6-12 s on the same data); the
  per-authority areas of the two agree to 1e-14 relative (checked on the GB scenario).
* Point-in-polygon joins put the polygons on the left (`polygons.sjoin(points,
  predicate="covers")`), so GEOS tests prepared polygons against an STRtree of the points.
  With the points on the left (`predicate="covered_by"`) the same join was 3x slower for the
  GB districts and 30x slower for the detailed Greater Manchester FTTP footprints. Both are
  boundary-inclusive, as docs/MODEL.md requires.
* Nearest cabinet: `sjoin_nearest` (STRtree nearest), ties dropped (equal distances).
* FWA reach: `sjoin(masts, premises, predicate="dwithin", distance=radii)`: GEOS
  distance-within is distance <= radius, exactly the model's rule (no polygon approximation).
* Invalid polygons (authorities, footprints) are repaired with `shapely.make_valid` (GEOS
  make-valid, "linework" method) keeping only the polygonal parts, as bbplan does; they are
  repaired after reprojection to the working CRS and counted in the output.
* PROJ: the folder of the OSTN15 NTv2 grid (GeoData/proj, or $BBPLAN_PROJ_GRIDS as for bbplan) is appended
  to pyproj's data directories before any transformation, so OSGB36 <-> WGS 84 uses OSTN15 as
  bbplan does. The output's `crs` block says whether the grid was used: when
  GeoData/reference/trafford-onspd-coordinates.csv exists, its 11,264 points are transformed
  WGS 84 -> BNG with geopandas `to_crs` and compared with ONSPD's OSTN15 and Helmert
  eastings/northings (with the grid: <= 0.07 m from OSTN15, i.e. ONSPD's 0.1 m rounding, and
  about 2 m from Helmert).

Resolutions of points docs/MODEL.md leaves open:

* `only` and overlapping authorities: the authority is decided among *all* authorities of the
  source (first in source order), then classified: selected -> assigned, otherwise excluded.
* Tiers with equal thresholds: the premises' tier is the one listed last in the merged tier
  order (defaults first, then the scenario's additions).
* Per-premises CSV: `authority` is the code for assigned premises and '' for unassigned and
  excluded ones; the extra `status` column says which.
* `households` totals are sums of float weights; values that are whole numbers are written as
  JSON integers.

Output JSON (RESULT.json):
  {"scenario", "crs": {...}, "authorities": [{"code", "name", "premises", "households",
   "area_km2", "before": {"households_by_tier": {tier: hh}, "nga_households": {"white",
   "grey", "black"}, "gap_area_km2": {tier: km2}, "coverage_area_km2": {tier: km2}}}],
   "totals": {"premises", "households", "unassigned_premises", "unassigned_households",
   "excluded_premises", "excluded_households"}, "repaired_polygons": {...},
   "timings_s": {step: s}, "peak_rss_mb": {step: MB (process high-water mark after the step)},
   "versions": {...}}
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import resource
import sys
import time
from pathlib import Path

import pyproj  # imported first so the OSTN15 grid directory is registered before any transform

REPO_ROOT = Path(__file__).resolve().parents[2]
GRID_NAME = "uk_os_OSTN15_NTv2_OSGBtoETRS.tif"


def register_ostn15_grid() -> str | None:
    """Append the folder holding the OSTN15 grid to pyproj's PROJ data search path.

    pyproj wheels ship their own proj.db; replacing PROJ_DATA would hide it, so the grid's folder
    is appended instead. Returns the folder used, or None if the grid file was not found.
    """
    candidates = [os.environ.get("BBPLAN_PROJ_GRIDS"), str(REPO_ROOT / "GeoData" / "proj")]
    for folder in candidates:
        if folder and (Path(folder) / GRID_NAME).is_file():
            pyproj.datadir.append_data_dir(folder)
            return folder
    return None


GRID_DIR = register_ostn15_grid()

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import geopandas as gpd  # noqa: E402
import shapely  # noqa: E402
import pyogrio  # noqa: E402
import yaml  # noqa: E402

DEFAULT_TIERS = {"decent": 10.0, "superfast": 30.0, "ultrafast": 300.0, "gigabit": 1000.0}
DEFAULT_CURVE = [[0, 80], [600, 51], [1200, 24.5], [1800, 18], [2400, 13.3], [3000, 8.7], [3600, 4]]
TOP_KEYS = {"name", "description", "extends", "crs", "authorities", "premises", "networks", "fttc",
            "tiers_mbps", "nga_threshold_mbps", "coverage",
            # read by bbplan but not part of the baseline: accepted and ignored here
            "rollout", "uncertainty", "outputs", "sweep"}
SOURCE_KEYS = {"source", "layer", "x", "y", "crs"}
AUTHORITY_KEYS = SOURCE_KEYS | {"code", "name", "only"}
PREMISES_KEYS = SOURCE_KEYS | {"households", "id", "kind"}  # kind: words only, ignored here
NETWORK_KEYS = SOURCE_KEYS | {"name", "operator", "technology", "down_mbps", "radius_m"}
TECHNOLOGIES = ("fttc", "fwa", "fttp", "cable")


class ScenarioError(Exception):
    """A problem with the scenario or its data; reported on stderr with exit status 2."""


# --------------------------------------------------------------------------------------------
# Timing
# --------------------------------------------------------------------------------------------

class Steps:
    """Records wall time and the process's peak RSS after each named step."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self.peak_rss_mb: dict[str, float] = {}
        self.verbose = True

    def run(self, name: str, fn, *args, **kwargs):
        t0 = time.perf_counter()
        result = fn(*args, **kwargs)
        dt = time.perf_counter() - t0
        self.timings[name] = round(self.timings.get(name, 0.0) + dt, 4)
        # ru_maxrss is in KiB on Linux
        self.peak_rss_mb[name] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        if self.verbose:
            print(f"  {name:<40s} {dt:9.2f} s  peak RSS {self.peak_rss_mb[name]:8.1f} MB",
                  file=sys.stderr)
        return result


# --------------------------------------------------------------------------------------------
# Scenario
# --------------------------------------------------------------------------------------------

def check_keys(block: dict, allowed: set[str], where: str) -> None:
    if not isinstance(block, dict):
        raise ScenarioError(f"{where} must be a mapping")
    unknown = sorted(set(block) - allowed)
    if unknown:
        raise ScenarioError(f"unknown key(s) in {where}: {', '.join(unknown)}")


def as_number(value, where: str, minimum: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ScenarioError(f"{where} must be a finite number, got {value!r}")
    if minimum is not None and value < minimum:
        raise ScenarioError(f"{where} must be >= {minimum}, got {value!r}")
    return float(value)


def load_scenario(path: Path, tiers_all: bool) -> dict:
    """Reads the scenario YAML and fills in the defaults of docs/SCENARIO.md."""
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    check_keys(doc, TOP_KEYS, "the top level")
    if "extends" in doc:
        raise ScenarioError("`extends` is not supported by the reference script; "
                            "write the merged scenario out in full")
    for key in ("name", "authorities", "premises"):
        if key not in doc:
            raise ScenarioError(f"missing required key `{key}`")

    sc: dict = {"name": str(doc["name"]), "base": path.parent.resolve(),
                "crs": pyproj.CRS.from_user_input(doc.get("crs", "EPSG:27700"))}
    if not sc["crs"].is_projected:
        raise ScenarioError(f"working crs {doc.get('crs')} is not projected")

    a = doc["authorities"]
    check_keys(a, AUTHORITY_KEYS, "authorities")
    for k in ("source", "code", "name"):
        if k not in a:
            raise ScenarioError(f"authorities: missing required key `{k}`")
    sc["authorities"] = a

    p = doc["premises"]
    check_keys(p, PREMISES_KEYS, "premises")
    if "source" not in p:
        raise ScenarioError("premises: missing required key `source`")
    sc["premises"] = p

    nets = doc.get("networks") or []
    if not isinstance(nets, list):
        raise ScenarioError("networks must be a list")
    names = set()
    for i, n in enumerate(nets):
        where = f"networks[{i}]"
        check_keys(n, NETWORK_KEYS, where)
        for k in ("name", "operator", "technology", "source"):
            if k not in n:
                raise ScenarioError(f"{where}: missing required key `{k}`")
        if n["technology"] not in TECHNOLOGIES:
            raise ScenarioError(f"{where}: technology must be one of {TECHNOLOGIES}")
        if n["name"] in names:
            raise ScenarioError(f"{where}: duplicate network name {n['name']!r}")
        names.add(n["name"])
        if n["technology"] != "fttc":
            if "down_mbps" not in n:
                raise ScenarioError(f"{where}: down_mbps is required for {n['technology']}")
            as_number(n["down_mbps"], f"{where}.down_mbps", 0)
        if n["technology"] == "fwa" and "radius_m" not in n:
            raise ScenarioError(f"{where}: radius_m is required for fwa")
    sc["networks"] = nets

    fttc = doc.get("fttc") or {}
    check_keys(fttc, {"route_factor", "speed_curve_m_mbps"}, "fttc")
    sc["route_factor"] = as_number(fttc.get("route_factor", 1.3), "fttc.route_factor")
    if sc["route_factor"] <= 0:
        raise ScenarioError("fttc.route_factor must be positive")
    curve = np.asarray(fttc.get("speed_curve_m_mbps", DEFAULT_CURVE), dtype=float)
    if curve.ndim != 2 or curve.shape[1] != 2 or len(curve) < 1:
        raise ScenarioError("fttc.speed_curve_m_mbps must be a list of [metres, Mbit/s] pairs")
    if (np.any(np.diff(curve[:, 0]) <= 0) or np.any(np.diff(curve[:, 1]) > 0)
            or np.any(curve[:, 1] < 0)):
        raise ScenarioError("fttc.speed_curve_m_mbps: lengths must increase strictly and speeds "
                            "must not increase or be negative")
    sc["curve_m"], sc["curve_mbps"] = curve[:, 0], curve[:, 1]

    tiers = dict(DEFAULT_TIERS)
    for name, value in (doc.get("tiers_mbps") or {}).items():
        if not re.fullmatch(r"[a-z0-9_]+", str(name)):
            raise ScenarioError(f"tier name {name!r}: lower-case letters, digits and _ only")
        tiers[name] = as_number(value, f"tiers_mbps.{name}", 0)
    sc["tiers"] = tiers
    sc["nga_threshold"] = as_number(doc.get("nga_threshold_mbps", 30), "nga_threshold_mbps", 0)

    cov = doc.get("coverage") or {}
    check_keys(cov, {"tiers", "quadrant_segments"}, "coverage")
    ctiers = cov.get("tiers", ["superfast", "gigabit"])
    if tiers_all or ctiers == "all":
        ctiers = list(tiers)
    if not isinstance(ctiers, list):
        raise ScenarioError("coverage.tiers must be a list of tier names or 'all'")
    for t in ctiers:
        if t not in tiers:
            raise ScenarioError(f"coverage.tiers: unknown tier {t!r}")
    sc["coverage_tiers"] = list(dict.fromkeys(ctiers))
    qs = cov.get("quadrant_segments", 8)
    if isinstance(qs, bool) or not isinstance(qs, int) or qs < 1:
        raise ScenarioError("coverage.quadrant_segments must be a positive integer")
    sc["quadrant_segments"] = qs
    return sc


# --------------------------------------------------------------------------------------------
# Reading data
# --------------------------------------------------------------------------------------------

def resolve(base: Path, source: str) -> Path:
    p = Path(source)
    return p if p.is_absolute() else (base / p)


def is_csv(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith(".csv") or name.endswith(".csv.gz")


def check_coordinates(x: np.ndarray, y: np.ndarray, crs: pyproj.CRS, where: str) -> None:
    """Rejects coordinates that cannot be in the declared CRS (NaN, lon/lat out of range,
    lon/lat-sized numbers declared as projected metres)."""
    bad = ~(np.isfinite(x) & np.isfinite(y))
    if bad.any():
        raise ScenarioError(f"{where}: line {int(np.argmax(bad)) + 2} has missing coordinates")
    if crs.is_geographic:
        out = (np.abs(x) > 180) | (np.abs(y) > 90)
        if out.any():
            raise ScenarioError(f"{where}: line {int(np.argmax(out)) + 2} is not longitude/latitude "
                                f"({x[out][0]}, {y[out][0]}) but crs is {crs.to_string()}")
    elif len(x) and np.all(np.abs(x) <= 180) and np.all(np.abs(y) <= 90):
        raise ScenarioError(f"{where}: coordinates look like longitude/latitude but crs is "
                            f"{crs.to_string()} (metres)")


def read_layer(block: dict, base: Path, working: pyproj.CRS, where: str,
               id_column: str | None = None) -> gpd.GeoDataFrame:
    """Reads one data source (a GDAL vector file or a CSV of x/y columns) into the working CRS."""
    path = resolve(base, block["source"])
    if not path.exists():
        raise ScenarioError(f"{where}: source {path} not found")
    declared = pyproj.CRS.from_user_input(block["crs"]) if "crs" in block else None
    if is_csv(path):
        for k in ("x", "y", "crs"):
            if k not in block:
                raise ScenarioError(f"{where}: `{k}` is required for a CSV source")
        dtype = {id_column: str} if id_column else None
        df = pd.read_csv(path, dtype=dtype)
        for k in ("x", "y"):
            if block[k] not in df.columns:
                raise ScenarioError(f"{where}: column {block[k]!r} not in {path.name}")
        x = pd.to_numeric(df[block["x"]], errors="coerce").to_numpy(float)
        y = pd.to_numeric(df[block["y"]], errors="coerce").to_numpy(float)
        check_coordinates(x, y, declared, where)
        gdf = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(x, y), crs=declared)
    else:
        gdf = gpd.read_file(path, layer=block.get("layer"), engine="pyogrio")
        if gdf.crs is None:
            if declared is None:
                raise ScenarioError(f"{where}: {path.name} has no CRS; declare `crs`")
            gdf = gdf.set_crs(declared)
        elif declared is not None and not gdf.crs.equals(declared, ignore_axis_order=True):
            raise ScenarioError(f"{where}: file CRS {gdf.crs.to_string()} differs from declared "
                                f"{declared.to_string()}")
    if len(gdf) == 0:
        raise ScenarioError(f"{where}: {path.name} has no features")
    gdf = gdf.to_crs(working)
    return gdf.reset_index(drop=True)


def polygonal(geom):
    """The polygonal part of a (repaired) geometry, as a Polygon or MultiPolygon."""
    if geom is None or geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    polys = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polys) if polys else shapely.Polygon()


def repair_polygons(gdf: gpd.GeoDataFrame, where: str) -> int:
    """Checks every feature is polygonal; repairs invalid ones in place with make_valid, keeping
    polygonal parts. Returns the number repaired."""
    types = gdf.geom_type
    if (~types.isin(["Polygon", "MultiPolygon"])).any():
        i = int(np.argmax(~types.isin(["Polygon", "MultiPolygon"]).to_numpy()))
        raise ScenarioError(f"{where}: feature {i} is a {types.iloc[i]}, not a polygon")
    invalid = ~gdf.is_valid
    if invalid.any():
        fixed = shapely.make_valid(gdf.geometry[invalid].to_numpy())
        gdf.loc[invalid, "geometry"] = [polygonal(g) for g in fixed]
    return int(invalid.sum())


def read_authorities(sc: dict) -> tuple[gpd.GeoDataFrame, np.ndarray, int]:
    """All authorities of the source in source order, plus a mask of the selected ones."""
    a = sc["authorities"]
    gdf = read_layer(a, sc["base"], sc["crs"], "authorities")
    for k in ("code", "name"):
        if a[k] not in gdf.columns:
            raise ScenarioError(f"authorities: field {a[k]!r} not found")
    gdf = gdf.rename(columns={a["code"]: "code", a["name"]: "name"})[["code", "name", "geometry"]]
    gdf["code"] = gdf["code"].astype(str)
    gdf["name"] = gdf["name"].astype(str)
    dup = gdf["code"][gdf["code"].duplicated()]
    if len(dup):
        raise ScenarioError(f"authorities: code {dup.iloc[0]!r} appears more than once")
    repaired = repair_polygons(gdf, "authorities")
    selected = np.ones(len(gdf), dtype=bool)
    if "only" in a:
        only = [str(c) for c in a["only"]]
        missing = sorted(set(only) - set(gdf["code"]))
        if missing:
            raise ScenarioError(f"authorities.only: {', '.join(missing)} not in the source")
        selected = gdf["code"].isin(only).to_numpy()
    return gdf, selected, repaired


def read_premises(sc: dict) -> gpd.GeoDataFrame:
    """Premises points with `households` (float) and `pid` (string or '') columns."""
    p = sc["premises"]
    id_col = p.get("id")
    gdf = read_layer(p, sc["base"], sc["crs"], "premises", id_column=id_col)
    if (gdf.geom_type != "Point").any():
        raise ScenarioError("premises: every feature must be a point")
    hh = p.get("households", 1)
    if isinstance(hh, str):
        if hh not in gdf.columns:
            raise ScenarioError(f"premises: households column {hh!r} not found")
        households = pd.to_numeric(gdf[hh], errors="coerce").to_numpy(float)
    else:
        households = np.full(len(gdf), as_number(hh, "premises.households", 0))
    bad = ~np.isfinite(households) | (households < 0)
    if bad.any():
        raise ScenarioError(f"premises: households of row {int(np.argmax(bad))} is "
                            f"{households[bad][0]!r} (must be finite and not negative)")
    if id_col is not None and id_col not in gdf.columns:
        raise ScenarioError(f"premises: id column {id_col!r} not found")
    pid = gdf[id_col].fillna("").astype(str) if id_col else pd.Series("", index=gdf.index)
    return gpd.GeoDataFrame({"pid": pid, "households": households}, geometry=gdf.geometry,
                            crs=gdf.crs)


def read_network(n: dict, sc: dict) -> dict:
    """One network: its points (fttc/fwa, with `radius` for fwa) or footprint polygons."""
    where = f"network {n['name']!r}"
    gdf = read_layer(n, sc["base"], sc["crs"], where)
    net = {"name": n["name"], "operator": str(n["operator"]), "technology": n["technology"],
           "down_mbps": float(n["down_mbps"]) if "down_mbps" in n else None, "repaired": 0}
    if n["technology"] in ("fttc", "fwa"):
        if (gdf.geom_type != "Point").any():
            raise ScenarioError(f"{where}: every feature must be a point")
        if n["technology"] == "fwa":
            r = n["radius_m"]
            if isinstance(r, str):
                if r not in gdf.columns:
                    raise ScenarioError(f"{where}: radius column {r!r} not found")
                radius = pd.to_numeric(gdf[r], errors="coerce").to_numpy(float)
            else:
                radius = np.full(len(gdf), as_number(r, f"{where}.radius_m", 0))
            if (~np.isfinite(radius) | (radius < 0)).any():
                raise ScenarioError(f"{where}: radii must be finite and not negative")
            gdf = gpd.GeoDataFrame({"radius": radius}, geometry=gdf.geometry, crs=gdf.crs)
        else:
            gdf = gdf[["geometry"]]
    else:
        gdf = gdf[["geometry"]].copy()
        net["repaired"] = repair_polygons(gdf, where)
    net["gdf"] = gdf
    return net


# --------------------------------------------------------------------------------------------
# Baseline
# --------------------------------------------------------------------------------------------

def assign_authorities(premises: gpd.GeoDataFrame, authorities: gpd.GeoDataFrame) -> np.ndarray:
    """Index (source order) of the first authority covering each premises; -1 for none."""
    # polygons on the left: sjoin then tests prepared polygons against a tree of the points
    joined = gpd.sjoin(authorities[["geometry"]], premises[["geometry"]],
                       how="inner", predicate="covers")
    first = joined.reset_index(names="authority").groupby("index_right")["authority"].min()
    out = np.full(len(premises), -1, dtype=np.int64)
    out[first.index.to_numpy()] = first.to_numpy()
    return out


def fttc_speed(premises: gpd.GeoDataFrame, net: dict, sc: dict) -> np.ndarray:
    """Speed from the nearest cabinet: distance x route factor -> interpolated speed curve."""
    nearest = gpd.sjoin_nearest(premises[["geometry"]], net["gdf"][["geometry"]],
                                distance_col="distance_m")
    # equidistant cabinets give several rows per premises; the distance is the same
    distance = nearest["distance_m"].groupby(level=0).first().reindex(premises.index).to_numpy()
    line_m = distance * sc["route_factor"]
    return np.interp(line_m, sc["curve_m"], sc["curve_mbps"])


def fwa_speed(premises: gpd.GeoDataFrame, net: dict) -> np.ndarray:
    """The network's speed for premises within any mast's radius (distance <= radius)."""
    masts = net["gdf"]
    pairs = gpd.sjoin(masts[["geometry"]], premises[["geometry"]], how="inner",
                      predicate="dwithin", distance=masts["radius"].to_numpy())
    speed = np.zeros(len(premises))
    speed[np.unique(pairs["index_right"].to_numpy())] = net["down_mbps"]
    return speed


def footprint_speed(premises: gpd.GeoDataFrame, net: dict) -> np.ndarray:
    """The network's speed for premises covered by any footprint polygon (boundary included)."""
    joined = gpd.sjoin(net["gdf"][["geometry"]], premises[["geometry"]], how="inner",
                       predicate="covers")
    speed = np.zeros(len(premises))
    speed[np.unique(joined["index_right"].to_numpy())] = net["down_mbps"]
    return speed


def classify(speeds: dict[str, np.ndarray], networks: list[dict], sc: dict, n: int) -> pd.DataFrame:
    """Best speed, tier and NGA class per premises."""
    best = np.zeros(n)
    for s in speeds.values():
        best = np.maximum(best, s)
    names = list(sc["tiers"])
    thresholds = np.array([sc["tiers"][t] for t in names])
    order = np.argsort(thresholds, kind="stable")
    # highest threshold <= best; among equal thresholds the last listed
    pos = np.searchsorted(thresholds[order], best, side="right") - 1
    tier = np.where(pos >= 0, np.array(names, dtype=object)[order][np.maximum(pos, 0)], "")

    operators = sorted({net["operator"] for net in networks})
    nga_ops = np.zeros(n, dtype=np.int64)
    for op in operators:
        meets = np.zeros(n, dtype=bool)
        for net in networks:
            if net["operator"] == op:
                meets |= speeds[net["name"]] >= sc["nga_threshold"]
        nga_ops += meets
    nga_class = np.select([nga_ops == 0, nga_ops == 1], ["white", "grey"], "black")
    return pd.DataFrame({"best_mbps": best, "tier": tier, "nga_operators": nga_ops,
                         "nga_class": nga_class})


# --------------------------------------------------------------------------------------------
# Coverage polygons
# --------------------------------------------------------------------------------------------

def fttc_reach_m(sc: dict, threshold: float) -> float | None:
    """Longest line length (m) whose curve speed meets `threshold`: None when the tier is above
    the curve's first speed, inf when it is at or below the curve's last speed."""
    xs, ys = sc["curve_m"], sc["curve_mbps"]
    if threshold > ys[0]:
        return None
    if threshold <= ys[-1]:
        return math.inf
    i = int(np.nonzero(ys >= threshold)[0][-1])  # last curve point meeting the tier
    return float(xs[i] + (ys[i] - threshold) / (ys[i] - ys[i + 1]) * (xs[i + 1] - xs[i]))


def coverage_parts(networks: list[dict], sc: dict, tier: str) -> tuple[gpd.GeoSeries, bool]:
    """The polygons whose union is the tier's coverage, and whether it covers everything."""
    threshold = sc["tiers"][tier]
    qs = sc["quadrant_segments"]
    parts = []
    everywhere = False
    for net in networks:
        geoms = net["gdf"].geometry
        if net["technology"] == "fttc":
            reach = fttc_reach_m(sc, threshold)
            if reach is None:
                continue
            if math.isinf(reach):
                everywhere = True
                continue
            parts.append(geoms.buffer(reach / sc["route_factor"], quad_segs=qs))
        elif net["down_mbps"] >= threshold:
            if net["technology"] == "fwa":
                parts.append(geoms.buffer(net["gdf"]["radius"].to_numpy(), quad_segs=qs))
            else:
                parts.append(geoms)
    if parts:
        series = gpd.GeoSeries(pd.concat(parts, ignore_index=True), crs=sc["crs"])
        series = series[~series.is_empty]
    else:
        series = gpd.GeoSeries([], crs=sc["crs"])
    return series, everywhere


def coverage_polygons(authorities: gpd.GeoDataFrame, parts: gpd.GeoSeries, everywhere: bool,
                      per_authority: bool) -> tuple[gpd.GeoSeries, gpd.GeoSeries]:
    """(coverage, gap) polygons per authority for one tier (empty polygons where none)."""
    geoms = authorities.geometry
    if everywhere:
        return geoms.copy(), gpd.GeoSeries([shapely.Polygon()] * len(geoms), index=geoms.index,
                                           crs=authorities.crs)
    if len(parts) == 0:
        return gpd.GeoSeries([shapely.Polygon()] * len(geoms), index=geoms.index,
                             crs=authorities.crs), geoms.copy()
    if not per_authority:
        union = parts.union_all()
        covered = geoms.intersection(union)
        gap = geoms.difference(union)
    else:
        # candidate parts per authority, then union and clip authority by authority
        parts_df = gpd.GeoDataFrame(geometry=parts.reset_index(drop=True))
        pairs = gpd.sjoin(parts_df, authorities[["geometry"]], how="inner", predicate="intersects")
        unions = pairs.geometry.groupby(pairs["index_right"]).agg(shapely.union_all)
        union_per_auth = gpd.GeoSeries(unions.reindex(authorities.index), crs=authorities.crs)
        union_per_auth = union_per_auth.fillna(shapely.Polygon())
        covered = geoms.intersection(union_per_auth, align=False)
        gap = geoms.difference(union_per_auth, align=False)
    return covered, gap


def coverage_areas(authorities: gpd.GeoDataFrame, parts: gpd.GeoSeries, everywhere: bool,
                   per_authority: bool, keep: dict | None = None,
                   tier: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(coverage km², gap km²) per authority for one tier. With `keep`, the polygons are also
    kept in keep["coverage"][tier] and keep["gaps"][tier] (for coverage_writing_reference.py)."""
    covered, gap = coverage_polygons(authorities, parts, everywhere, per_authority)
    if keep is not None:
        keep.setdefault("coverage", {})[tier] = covered
        keep.setdefault("gaps", {})[tier] = gap
    return covered.area.to_numpy() / 1e6, gap.area.to_numpy() / 1e6


# --------------------------------------------------------------------------------------------
# OSTN15 check
# --------------------------------------------------------------------------------------------

def ostn15_check(working: pyproj.CRS) -> dict:
    """Transforms the ONSPD reference points WGS 84 -> working CRS via geopandas and compares
    with ONSPD's OSTN15 (and Helmert) eastings/northings."""
    info = {"grid_dir": GRID_DIR, "ostn15_grid": False}
    ref_path = REPO_ROOT / "GeoData" / "reference" / "trafford-onspd-coordinates.csv"
    bng = pyproj.CRS.from_epsg(27700)
    if not ref_path.is_file() or not working.equals(bng):
        return info
    ref = pd.read_csv(ref_path)
    pts = gpd.GeoSeries(gpd.points_from_xy(ref["lon"], ref["lat"]), crs="EPSG:4326").to_crs(bng)
    d_ostn = np.hypot(pts.x - ref["easting_ostn15"], pts.y - ref["northing_ostn15"])
    d_helm = np.hypot(pts.x - ref["easting_helmert6"], pts.y - ref["northing_helmert6"])
    info.update({"check_points": int(len(ref)),
                 "max_error_vs_ostn15_m": round(float(d_ostn.max()), 3),
                 "max_error_vs_helmert_m": round(float(d_helm.max()), 3)})
    # ONSPD rounds OSTN15 to 0.1 m: agreement within 0.25 m means the grid was used
    info["ostn15_grid"] = bool(d_ostn.max() < 0.25)
    return info


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------

def num(x: float):
    """JSON-friendly number: whole floats as ints."""
    x = float(x)
    return int(x) if x.is_integer() and abs(x) < 2**53 else x


def run(args: argparse.Namespace, keep: dict | None = None) -> dict:
    """The baseline and its statistics as RESULT.json's dict. With `keep` (a dict), the
    intermediate results are also left in it for coverage_writing_reference.py: the Steps
    timer, the scenario, the planned authorities, the premises with their authority index and
    classes, and the coverage and gap polygons per tier."""
    steps = Steps()
    steps.verbose = not args.quiet
    sc = steps.run("read_scenario", load_scenario, Path(args.scenario), args.tiers_all)
    crs_info = steps.run("ostn15_check", ostn15_check, sc["crs"])
    authorities, selected, auth_repaired = steps.run("read_authorities", read_authorities, sc)
    premises = steps.run("read_premises", read_premises, sc)
    networks = [steps.run(f"read_network:{n['name']}", read_network, n, sc) for n in sc["networks"]]
    n = len(premises)

    auth_idx = steps.run("assign_authorities", assign_authorities, premises, authorities)
    in_selected = np.zeros(n, dtype=bool)
    in_selected[auth_idx >= 0] = selected[auth_idx[auth_idx >= 0]]
    status = np.where(auth_idx < 0, "unassigned", np.where(in_selected, "assigned", "excluded"))

    speeds = {}
    for net in networks:
        if net["technology"] == "fttc":
            fn, fargs = fttc_speed, (premises, net, sc)
        elif net["technology"] == "fwa":
            fn, fargs = fwa_speed, (premises, net)
        else:
            fn, fargs = footprint_speed, (premises, net)
        speeds[net["name"]] = steps.run(f"speed:{net['name']}", fn, *fargs)
    cls = steps.run("classify", classify, speeds, networks, sc, n)

    planned = authorities[selected]
    cov_km2, gap_km2 = {}, {}
    for tier in sc["coverage_tiers"]:
        parts, everywhere = steps.run(f"coverage_parts:{tier}", coverage_parts, networks, sc, tier)
        cov_km2[tier], gap_km2[tier] = steps.run(f"coverage_clip:{tier}", coverage_areas, planned,
                                                 parts, everywhere, args.clip_per_authority,
                                                 keep, tier)

    def stats():
        hh = premises["households"].to_numpy()
        df = pd.DataFrame({"auth": auth_idx, "hh": hh, "best": cls["best_mbps"],
                           "nga": cls["nga_class"]})[in_selected]
        grouped = df.groupby("auth")
        out = []
        area = planned.area.to_numpy() / 1e6
        for k, (i, row) in enumerate(planned.iterrows()):
            g = grouped.get_group(i) if i in grouped.groups else df.iloc[0:0]
            out.append({
                "code": row["code"], "name": row["name"],
                "premises": int(len(g)), "households": num(g["hh"].sum()),
                "area_km2": float(area[k]),
                "before": {
                    "households_by_tier": {t: num(g["hh"][g["best"] >= thr].sum())
                                           for t, thr in sc["tiers"].items()},
                    "nga_households": {c: num(g["hh"][g["nga"] == c].sum())
                                       for c in ("white", "grey", "black")},
                    "gap_area_km2": {t: float(gap_km2[t][k]) for t in sc["coverage_tiers"]},
                    "coverage_area_km2": {t: float(cov_km2[t][k]) for t in sc["coverage_tiers"]},
                },
            })
        totals = {"premises": n, "households": num(hh.sum()),
                  "unassigned_premises": int((status == "unassigned").sum()),
                  "unassigned_households": num(hh[status == "unassigned"].sum()),
                  "excluded_premises": int((status == "excluded").sum()),
                  "excluded_households": num(hh[status == "excluded"].sum())}
        return out, totals

    per_auth, totals = steps.run("stats", stats)
    if keep is not None:
        keep.update({"steps": steps, "sc": sc, "authorities": authorities, "planned": planned,
                     "premises": premises, "auth_idx": auth_idx, "in_selected": in_selected,
                     "classes": cls})

    if args.premises_csv:
        def write_premises():
            codes = authorities["code"].to_numpy(dtype=object)
            authority = np.where(in_selected, codes[np.maximum(auth_idx, 0)], "")
            pd.DataFrame({"index": np.arange(n), "id": premises["pid"].to_numpy(),
                          "authority": authority, "best_mbps": cls["best_mbps"],
                          "tier": cls["tier"], "nga_operators": cls["nga_operators"],
                          "nga_class": cls["nga_class"], "status": status}
                         ).to_csv(args.premises_csv, index=False)
        steps.run("write_premises_csv", write_premises)

    return {
        "scenario": sc["name"],
        "reference": "scripts/reference/coverage_reference.py (geopandas), model: docs/MODEL.md",
        "crs": {"working": sc["crs"].to_string(), **crs_info},
        "tiers_mbps": sc["tiers"], "coverage_tiers": sc["coverage_tiers"],
        "clip_method": "per_authority" if args.clip_per_authority else "global_union",
        "authorities": per_auth,
        "totals": totals,
        "repaired_polygons": {"authorities": auth_repaired,
                              **{net["name"]: net["repaired"] for net in networks
                                 if net["technology"] in ("fttp", "cable")}},
        "timings_s": steps.timings,
        "peak_rss_mb": steps.peak_rss_mb,
        "versions": {"python": sys.version.split()[0], "geopandas": gpd.__version__,
                     "shapely": shapely.__version__,
                     "geos": ".".join(map(str, shapely.geos_version)),
                     "pyproj": pyproj.__version__, "proj": pyproj.proj_version_str,
                     "pyogrio": pyogrio.__version__, "gdal": pyogrio.__gdal_version_string__,
                     "pandas": pd.__version__, "numpy": np.__version__},
    }


def write_result(result: dict, path: str, t0: float) -> None:
    """Stamps the total time on `result` and writes it as indented JSON to `path`."""
    result["timings_s"]["total"] = round(time.perf_counter() - t0, 4)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2)
        f.write("\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scenario", help="scenario YAML (docs/SCENARIO.md)")
    ap.add_argument("--out", required=True, help="result JSON to write")
    ap.add_argument("--premises-csv", help="also write per-premises results to this CSV")
    ap.add_argument("--tiers-all", action="store_true",
                    help="build coverage polygons for every tier (like coverage.tiers: all)")
    ap.add_argument("--clip-per-authority", action="store_true",
                    help="union and clip coverage parts authority by authority (sjoin'd) "
                         "instead of clipping one global union; same areas, faster nationally")
    ap.add_argument("--quiet", action="store_true", help="no per-step timings on stderr")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    try:
        result = run(args)
    except ScenarioError as e:
        print(f"coverage_reference: {args.scenario}: {e}", file=sys.stderr)
        return 2
    write_result(result, args.out, t0)
    t = result["totals"]
    if not args.quiet:
        print(f"{result['scenario']}: {t['premises']} premises, {t['households']} households, "
              f"{t['unassigned_premises']} unassigned, {t['excluded_premises']} excluded; "
              f"{result['timings_s']['total']:.1f} s -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
