#!/usr/bin/env python3
"""Peer of bbplan's observed postcode join at address level (scripts/bench-observed).

    py=$(scripts/pyenv)
    "$py" scripts/reference/observed_reference.py --premises UPRN.csv --ofcom 'DIR/*.csv' \
        --authorities LAD.geojson --code LAD_CD --out RESULT.json [--quiet]

What it computes, written from docs/MODEL.md ("Observed data") and docs/OBSERVED.md ("Speed
classes and the postcode split") with pandas / geopandas, sharing no code with bbplan:

1. premises: an OS Open UPRN-layout CSV (X_COORDINATE, Y_COORDINATE in EPSG:27700, POSTCODE),
   one household per row (the scenario has no households column);
2. authority of each point: the first authority in source order whose polygon covers the point
   (boundary included), by `sjoin(predicate="covers")` with the polygons on the left, as
   scripts/reference/coverage_reference.py does; points in no authority are unassigned;
3. Ofcom postcode files: the postcode normalised (upper case, spaces removed), the published
   percentages turned into the nine class shares (cumulative shares clamped to 0-100, made
   monotone by a running maximum from the fastest, differences, the FWA share cut to the
   below-10 share and taken out of the three below-10 classes in proportion);
4. the postcode's households H (its number of points) split by the largest remainder method
   (ties within 1e-7 households to the slower class), vectorised over all postcodes;
5. the class counts handed out from the fastest class down to the postcode's points in file
   order. bbplan hands them out in the order of the points' modelled speed, ties by file
   order; this peer models no networks, so it agrees with bbplan point by point only where a
   postcode's points share one modelled speed, as the benchmark's do (every point of a postcode
   at the postcode's centroid). Per-authority counts agree whenever a postcode's points lie in
   one authority, whatever their order;
6. a point's tier: every class meets the tiers at or below its least speed (docs/OBSERVED.md:
   the FWA class counts as 10); the benchmark's tiers (decent 10, superfast 30, ultrafast 300,
   gigabit 1000) are all class lower bounds, so the modelled speed inside a class never
   changes a tier (docs/MODEL.md, Observed data step 4). Points whose postcode is in no file
   would need the network model: the peer counts them and stops with exit 2 when there are any
   (the benchmark generates a row for every postcode).

Output (JSON): per authority (source order, those with premises or not): code, premises,
households, households_by_tier; totals; per-step timings and peak RSS. Exit 0 on success, 2 on
bad input.
"""

from __future__ import annotations

import argparse
import glob
import json
import resource
import sys
import time

import geopandas as gpd
import numpy as np
import pandas as pd

TIERS = {"decent": 10.0, "superfast": 30.0, "ultrafast": 300.0, "gigabit": 1000.0}
# Classes slowest first: 0-2, 2-5, 5-10, fwa-decent, 10-30, 30-100, 100-300, 300-1000, 1000+;
# the least speed each guarantees (FWA counts as 10).
CLASS_LEAST = np.array([0, 2, 5, 10, 10, 30, 100, 300, 1000], dtype=float)
TIE = 1e-7

FIELDS = {
    "sfbb": "SFBB availability (% premises)",
    "ufbb100": "UFBB (100Mbit/s) availability (% premises)",
    "ufbb300": "UFBB availability (% premises)",
    "gigabit": "Gigabit availability (% premises)",
    "unable2": "% of premises unable to receive 2Mbit/s",
    "unable5": "% of premises unable to receive 5Mbit/s",
    "unable10": "% of premises unable to receive 10Mbit/s",
    "fwa": "% of premises able to receive decent broadband from FWA",
}


def fail(msg: str) -> None:
    print(f"observed_reference: {msg}", file=sys.stderr)
    sys.exit(2)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def class_shares(p: pd.DataFrame) -> np.ndarray:
    """n x 9 class shares in percent (docs/OBSERVED.md steps 1-4)."""
    clamp = lambda v: np.clip(v, 0.0, 100.0)
    c1000 = clamp(p["gigabit"].to_numpy())
    c300 = np.maximum(clamp(p["ufbb300"].to_numpy()), c1000)
    c100 = np.maximum(clamp(p["ufbb100"].to_numpy()), c300)
    c30 = np.maximum(clamp(p["sfbb"].to_numpy()), c100)
    c10 = np.maximum(clamp(100 - p["unable10"].to_numpy()), c30)
    c5 = np.maximum(clamp(100 - p["unable5"].to_numpy()), c10)
    c2 = np.maximum(clamp(100 - p["unable2"].to_numpy()), c5)
    s = np.zeros((len(p), 9))
    s[:, 8] = c1000
    s[:, 7] = c300 - c1000
    s[:, 6] = c100 - c300
    s[:, 5] = c30 - c100
    s[:, 4] = c10 - c30
    s[:, 2] = c5 - c10
    s[:, 1] = c2 - c5
    s[:, 0] = 100 - c2
    below10 = 100 - c10
    fwa = np.minimum(clamp(p["fwa"].to_numpy()), below10)
    has = fwa > 0
    keep = np.where(has, (below10 - fwa) / np.where(has, below10, 1.0), 1.0)
    for i in (0, 1, 2):
        s[:, i] *= keep
    s[:, 3] = np.where(has, fwa, 0.0)
    return s


def largest_remainder(shares: np.ndarray, h: np.ndarray) -> np.ndarray:
    """n x 9 whole counts summing to h (whole numbers), largest remainder, ties to the slower."""
    q = h[:, None] * shares / 100.0
    near = np.abs(q - np.round(q)) < TIE
    q = np.where(near, np.round(q), q)
    whole = np.floor(q)
    rem = np.where(q > whole, np.floor((q - whole) / TIE + 0.5), -1.0)  # Swift .rounded(): half up
    left = (h - whole.sum(axis=1)).round().astype(np.int64)
    counts = whole.copy()
    # Rank the classes by remainder, largest first, ties to the slower class (lower index):
    # a stable sort of -remainder keeps the slower class first among equals.
    order = np.argsort(-rem, axis=1, kind="stable")
    rank_rem = np.take_along_axis(rem, order, axis=1)
    for k in range(9):
        give = (left > k) & (rank_rem[:, k] >= 0)
        rows = np.nonzero(give)[0]
        counts[rows, order[rows, k]] += 1
    leftover = left - np.minimum(left, (rem >= 0).sum(axis=1))
    if (leftover > 0).any():  # cannot happen for shares summing to 100; bbplan: largest class
        rows = np.nonzero(leftover > 0)[0]
        counts[rows, np.argmax(shares[rows], axis=1)] += leftover[rows]
    return counts


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--premises", required=True)
    ap.add_argument("--ofcom", required=True, help="glob of Ofcom postcode-layout CSV files")
    ap.add_argument("--authorities", required=True)
    ap.add_argument("--code", default="LAD_CD")
    ap.add_argument("--out", required=True)
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args()
    timings: dict[str, float] = {}
    t_all = time.perf_counter()

    def step(name: str, t0: float) -> float:
        t = time.perf_counter()
        timings[name] = round(t - t0, 3)
        if not a.quiet:
            print(f"  {name}: {t - t0:.2f} s (peak {peak_mb():.0f} MB)", file=sys.stderr)
        return t

    t = time.perf_counter()
    try:
        pts = pd.read_csv(a.premises, usecols=["X_COORDINATE", "Y_COORDINATE", "POSTCODE"],
                          dtype={"X_COORDINATE": "float64", "Y_COORDINATE": "float64",
                                 "POSTCODE": "str"})
    except Exception as e:  # noqa: BLE001
        fail(f"{a.premises}: {e}")
    n = len(pts)
    t = step("reading premises", t)

    files = sorted(glob.glob(a.ofcom))
    if not files:
        fail(f"no file matches {a.ofcom}")
    frames = []
    for f in files:
        try:
            df = pd.read_csv(f, encoding="utf-8-sig", dtype={"postcode": "string"})
            frames.append(df[["postcode"] + list(FIELDS.values())])
        except Exception as e:  # noqa: BLE001
            fail(f"{f}: {e}")
    of = pd.concat(frames, ignore_index=True).rename(columns={v: k for k, v in FIELDS.items()})
    of["postcode"] = of["postcode"].str.upper().str.replace(" ", "", regex=False)
    if of["postcode"].duplicated().any():
        fail(f"a postcode twice in the Ofcom files: {of.loc[of['postcode'].duplicated(), 'postcode'].iloc[0]}")
    t = step("reading Ofcom postcode files", t)

    auth = gpd.read_file(a.authorities)
    if auth.crs is None or auth.crs.to_epsg() != 27700:
        auth = auth.to_crs(27700)
    geom = gpd.GeoDataFrame({"row": np.arange(n)},
                            geometry=gpd.points_from_xy(pts["X_COORDINATE"].to_numpy(),
                                                        pts["Y_COORDINATE"].to_numpy()),
                            crs=27700)
    auth = auth.reset_index(drop=True)
    auth["auth_index"] = np.arange(len(auth))
    hits = auth[["auth_index", "geometry"]].sjoin(geom, predicate="covers", how="inner")
    first = hits.groupby("row")["auth_index"].min()  # first authority in source order
    auth_of = np.full(n, -1, dtype=np.int64)
    auth_of[first.index.to_numpy()] = first.to_numpy()
    del geom, hits, first
    t = step("authority by point-in-polygon", t)

    key = pts["POSTCODE"].str.upper().str.replace(" ", "", regex=False)
    codes, uniques = pd.factorize(key)
    if (codes < 0).any():
        fail(f"{int((codes < 0).sum())} premises without a postcode")
    h = np.bincount(codes).astype(float)                       # households per postcode
    pos = pd.Index(of["postcode"]).get_indexer(uniques)
    if (pos < 0).any():
        missing = int(h[pos < 0].sum())
        fail(f"{missing} premises have a postcode in no Ofcom file (the peer has no network model)")
    shares = class_shares(of.iloc[pos].reset_index(drop=True))
    counts = largest_remainder(shares, h)                      # postcodes x 9
    t = step("postcode split", t)

    # Hand the classes out, fastest first, to each postcode's points in file order: a point of
    # rank r (0-based within its postcode) is in the fastest class whose cumulative count from
    # the fastest exceeds r.
    rank = pd.Series(codes).groupby(codes).cumcount().to_numpy()
    cum_fast = np.cumsum(counts[:, ::-1], axis=1)              # fastest first
    cls_fast = np.zeros(n, dtype=np.int64)
    for k in range(8, -1, -1):                                 # slowest boundary first
        cls_fast = np.where(rank < cum_fast[codes, k], k, cls_fast)
    point_least = CLASS_LEAST[8 - cls_fast]
    t = step("classes to points", t)

    m = len(auth)
    assigned = auth_of >= 0
    ai = auth_of[assigned]
    out_auth = []
    prem = np.bincount(ai, minlength=m)
    by_tier = {name: np.bincount(ai, weights=(point_least[assigned] >= thr).astype(float), minlength=m)
               for name, thr in TIERS.items()}
    for i in range(m):
        out_auth.append({
            "code": str(auth.iloc[i][a.code]),
            "premises": int(prem[i]),
            "households": int(prem[i]),
            "households_by_tier": {name: int(round(v[i])) for name, v in by_tier.items()},
        })
    t = step("per-authority counts", t)
    result = {
        "premises_file": a.premises,
        "ofcom_files": len(files),
        "ofcom_rows": int(len(of)),
        "ofcom_rows_matched": int(len(uniques)),
        "authorities": out_auth,
        "totals": {"premises": n, "households": n,
                   "unassigned_premises": int((~assigned).sum())},
        "timings_s": timings,
        "total_s": round(time.perf_counter() - t_all, 3),
        "peak_rss_mb": round(peak_mb(), 1),
    }
    with open(a.out, "w") as f:
        json.dump(result, f, indent=1)
    if not a.quiet:
        print(f"  total {result['total_s']:.2f} s, peak {result['peak_rss_mb']:.0f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
