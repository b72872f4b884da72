# Run by scripts/make-geodata (was an embedded heredoc); arguments as passed there.
import csv, gzip, json, sys, os
shared, out = sys.argv[1], sys.argv[2]

GM = {f"E080000{n:02d}" for n in range(1, 11)}
# Cumbria's six districts before the 2023 reorganisation (ONS codes, 2014 postcode lookup):
# Allerdale, Barrow-in-Furness, Carlisle, Copeland, Eden, South Lakeland.
CUMBRIA = {f"E070000{n}" for n in range(26, 32)}

def bbox_of(path, codes, field):
    d = json.load(open(path))
    xs, ys = [], []
    def walk(c):
        if isinstance(c[0], (int, float)):
            xs.append(c[0]); ys.append(c[1])
        else:
            for k in c: walk(k)
    for f in d["features"]:
        if f["properties"][field] in codes:
            walk(f["geometry"]["coordinates"])
    return min(xs), min(ys), max(xs), max(ys)

gm_box = bbox_of(f"{shared}/boundaries/gm_lad_2023_bgc_bng.geojson", GM, "LAD23CD")
cu_box = bbox_of(f"{shared}/boundaries/gb_lad_current_bsc_bng.geojson", {"E06000063", "E06000064"}, "LAD_CD")

def within(box, margin, x, y):
    return box[0] - margin <= x <= box[2] + margin and box[1] - margin <= y <= box[3] + margin

with gzip.open(f"{shared}/premises/gb_postcodes_households_est.csv.gz", "rt", newline="") as f:
    rows = list(csv.reader(f))
header, body = rows[0], rows[1:]
code = header.index("lad_code_2014")
for name, codes in (("greater-manchester", GM), ("cumbria", CUMBRIA)):
    with open(f"{out}/premises/{name}-postcodes.csv", "w", newline="") as g:
        w = csv.writer(g, lineterminator="\n")
        w.writerow(header)
        w.writerows(r for r in body if r[code] in codes)

def points(src, dst, box, margin, opener=open):
    with opener(src, "rt", newline="") as f:
        r = csv.reader(f)
        head = next(r)
        ix, iy = head.index("easting"), head.index("northing")
        keep = [row for row in r if within(box, margin, float(row[ix]), float(row[iy]))]
    with open(dst, "w", newline="") as g:
        w = csv.writer(g, lineterminator="\n")
        w.writerow(head)
        w.writerows(keep)

# Network points within a margin of each region's envelope, so premises near a border see the
# nearest cabinet even when it stands in the next district.
points(f"{shared}/infrastructure/gb_cabinets_modelled.csv.gz", f"{out}/network/greater-manchester-cabinets.csv", gm_box, 5000, gzip.open)
points(f"{shared}/infrastructure/gb_exchanges_modelled.csv", f"{out}/network/greater-manchester-exchanges.csv", gm_box, 10000)
points(f"{shared}/infrastructure/gb_cabinets_modelled.csv.gz", f"{out}/network/cumbria-cabinets.csv", cu_box, 5000, gzip.open)
points(f"{shared}/infrastructure/gb_exchanges_modelled.csv", f"{out}/network/cumbria-exchanges.csv", cu_box, 10000)
points(f"{shared}/infrastructure/gb_fwa_masts_modelled.csv", f"{out}/network/cumbria-fwa-masts.csv", cu_box, 20000)

# Reference coordinate pairs for projection tests: Trafford postcodes from ONSPD (Feb 2025)
# with lon/lat and the BNG coordinates made from them by Helmert and by OSTN15.
with open(f"{shared}/premises/trafford_postcodes_onspd_feb2025.csv", newline="") as f:
    r = csv.DictReader(f)
    cols = ["postcode", "lon", "lat", "easting_helmert6", "northing_helmert6", "easting_ostn15", "northing_ostn15"]
    with open(f"{out}/reference/trafford-onspd-coordinates.csv", "w", newline="") as g:
        w = csv.writer(g, lineterminator="\n")
        w.writerow(cols)
        for row in r:
            w.writerow([row[c] for c in cols])
