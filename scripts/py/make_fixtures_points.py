# Run by scripts/make-fixtures (was an embedded heredoc); arguments as passed there.
import gzip, json, random, sys
out, geo = sys.argv[1], sys.argv[2]
bad = f"{out}/bad"

def write(name, data):
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(f"{bad}/{name}", mode, **({} if mode == "wb" else {"newline": ""})) as f:
        f.write(data)

exchanges = open(f"{out}/exchanges.csv", newline="").read().splitlines()
header, rows = exchanges[0], exchanges[1:]   # exchange_id,easting,northing,households

# Truncated files: cut in the middle of the data.
geojson = open(f"{out}/districts.geojson", "rb").read()
write("truncated.geojson", geojson[: len(geojson) // 2])
gpkg = open(f"{out}/boundaries-bng.gpkg", "rb").read()
write("truncated.gpkg", gpkg[: len(gpkg) // 3])
# Garbage after a genuine SQLite header, so GDAL takes it for a GeoPackage and then fails.
rng = random.Random(20250101)
write("corrupt.gpkg", b"SQLite format 3\x00" + bytes(rng.randrange(256) for _ in range(8192 - 16)))
write("empty.csv", b"")
# A text attribute in Latin-1 (0xE9 for "é"), as some Windows tools export.
write("invalid-utf8.geojson",
      b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Caf\xe9 Road"},'
      b'"geometry":{"type":"Polygon","coordinates":[[[-2.25,53.47],[-2.24,53.47],[-2.24,53.48],[-2.25,53.48],[-2.25,53.47]]]}}]}\n')

# CSV problems, each at a known line (line 1 is the header).
write("header-only.csv", header + "\n")
write("semicolon.csv", "".join(line.replace(",", ";") + "\n" for line in exchanges[:6]))
def with_line(lineno, make):
    lines = list(exchanges[:12])
    lines[lineno - 1] = make(lines[lineno - 1].split(","))
    return "".join(l + "\n" for l in lines)
write("non-numeric.csv", with_line(7, lambda f: ",".join([f[0], "n/a", f[2], f[3]])))
write("missing-field.csv", with_line(5, lambda f: ",".join(f[:3])))
# BNG metres in columns named lon/lat, to be declared EPSG:4326.
write("bng-as-wgs84.csv", "id,lon,lat\n" + "".join(f"{r.split(',')[0]},{r.split(',')[1]},{r.split(',')[2]}\n" for r in rows[:8]))

# UK lon/lat with latitude in the x column (from the ONSPD reference coordinates).
ref = open(f"{geo}/reference/trafford-onspd-coordinates.csv", newline="").read().splitlines()
cols = ref[0].split(",")
ilon, ilat = cols.index("lon"), cols.index("lat")
swapped = ["postcode,lon,lat"]
for r in ref[1:9]:
    f = r.split(",")
    swapped.append(f"{f[0]},{f[ilat]},{f[ilon]}")
write("swapped-lonlat.csv", "".join(l + "\n" for l in swapped))

# A gzip stream cut short: the first rows decompress, then the data ends without its trailer.
big = (header + "\n" + "".join(f"EXT{i:05d},{380000 + i},{390000 + i},{i % 500}\n" for i in range(8000))).encode()
z = gzip.compress(big, compresslevel=9, mtime=0)
write("truncated.csv.gz", z[: len(z) // 2])

# Households no premises holds, naming the line: 9.22e18 (past Int64, which crashed the
# terminal summary) on line 4; 1e308 on lines 3 and 5 (their sum overflows to infinity).
write("huge-households.csv", with_line(4, lambda f: ",".join(f[:3] + ["9220000000000000000"])))
lines = list(exchanges[:12])
for n in (3, 5):
    lines[n - 1] = ",".join(lines[n - 1].split(",")[:3] + ["1e308"])
write("overflowing-households.csv", "".join(l + "\n" for l in lines))
# A 2 MiB record (a file without line ends) on line 3; gzip keeps the fixture at a few KB.
write("long-record.csv.gz", gzip.compress((header + "\n" + rows[0] + "\n" + "9" * (2 << 20) + "\n").encode(), compresslevel=9, mtime=0))

# GeoJSON problems. Feature 1 is always good; feature 2 carries the problem.
good = {"type": "Feature", "properties": {"id": 1},
        "geometry": {"type": "Polygon", "coordinates": [[[-2.25, 53.47], [-2.24, 53.47], [-2.24, 53.48], [-2.25, 53.48], [-2.25, 53.47]]]}}
def collection(name, second):
    feature = {"type": "Feature", "properties": {"id": 2}, "geometry": second}
    text = json.dumps({"type": "FeatureCollection", "name": name, "features": [good, feature]}, allow_nan=True)
    write(f"{name}.geojson", text + "\n")
collection("null-geometry", None)
# (GDAL reads a Polygon with no rings as no geometry at all; an empty MultiPolygon stays empty.)
collection("empty-geometry", {"type": "MultiPolygon", "coordinates": []})
# 1e400 overflows to infinity when parsed; NaN is not JSON but GDAL's parser accepts it.
collection("huge-coordinates", {"type": "Polygon", "coordinates": [[[-2.25, 53.47], ["HUGE", 53.47], [-2.24, 53.48], [-2.25, 53.47]]]})
collection("nan-coordinates", {"type": "Polygon", "coordinates": [[[-2.25, 53.47], [float("nan"), 53.47], [-2.24, 53.48], [-2.25, 53.47]]]})
# A bowtie: the ring crosses itself at (-2.245, 53.475).
collection("bowtie", {"type": "Polygon", "coordinates": [[[-2.25, 53.47], [-2.24, 53.48], [-2.24, 53.47], [-2.25, 53.48], [-2.25, 53.47]]]})
# A ring whose last point is not its first.
collection("unclosed-ring", {"type": "Polygon", "coordinates": [[[-2.25, 53.47], [-2.24, 53.47], [-2.24, 53.48], [-2.25, 53.48]]]})
# A point in a layer of polygons.
collection("mixed-geometry", {"type": "Point", "coordinates": [-2.245, 53.475]})

path = f"{bad}/huge-coordinates.geojson"
text = open(path).read().replace('"HUGE"', "1e400")
open(path, "w").write(text)
