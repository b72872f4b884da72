# Run by scripts/validate-outputs (was an embedded heredoc); arguments as passed there.
import json, os, subprocess, sys
from osgeo import gdal, ogr
gdal.UseExceptions()

validator, roots = sys.argv[1], sys.argv[2:]
problems, runs, gpkgs, geojsons = [], 0, 0, 0
UK = (-9.0, 49.5, 2.1, 61.1)   # lon/lat box around the UK's area of use (EPSG:27700)

def signed_area(ring):
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:])) / 2

def check_geojson(path):
    with open(path) as f:
        doc = json.load(f)
    crs = doc.get("crs")
    if crs and "CRS84" not in json.dumps(crs):
        problems.append(f"{path}: declares a CRS other than CRS84: {crs}")
    ds = gdal.OpenEx(path, gdal.OF_VECTOR)
    layer = ds.GetLayer(0)
    for feature in doc.get("features", []):
        g = feature.get("geometry")
        if g is None:
            continue
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"] if g["type"] == "MultiPolygon" else []
        for poly in polys:
            for k, ring in enumerate(poly):
                for x, y in ring:
                    if not (UK[0] <= x <= UK[2] and UK[1] <= y <= UK[3]):
                        problems.append(f"{path}: coordinate ({x}, {y}) is not lon/lat within the UK"); return
                a = signed_area(ring)
                if (k == 0 and a <= 0) or (k > 0 and a >= 0):
                    problems.append(f"{path}: ring {k} of a polygon is {'clockwise' if a < 0 else 'counter-clockwise'} (RFC 7946 wants exteriors counter-clockwise, holes clockwise)"); return
    for feature in layer:
        geom = feature.GetGeometryRef()
        if geom is not None and not geom.IsValid():
            problems.append(f"{path}: feature {feature.GetFID()} has an invalid geometry"); return

def check_gpkg(path):
    r = subprocess.run([sys.executable, validator, path], capture_output=True, text=True)
    if r.returncode != 0:
        problems.append(f"{path}: validate_gpkg.py: {(r.stdout + r.stderr).strip().splitlines()[-1:]}")
    for pragma in ("PRAGMA integrity_check", "PRAGMA foreign_key_check"):
        out = subprocess.run(["sqlite3", path, pragma], capture_output=True, text=True).stdout.strip()
        expected = "ok" if "integrity" in pragma else ""
        if out != expected:
            problems.append(f"{path}: {pragma}: {out[:200]}")
    ds = gdal.OpenEx(path, gdal.OF_VECTOR)
    if ds is None or ds.GetLayerCount() == 0:
        problems.append(f"{path}: GDAL sees no layers")

for root in roots:
    for folder, _, files in os.walk(root):
        if "summary.json" not in files or "/." in folder:
            continue
        runs += 1
        for name in files:
            path = os.path.join(folder, name)
            try:
                if name.endswith(".gpkg"):
                    gpkgs += 1; check_gpkg(path)
                elif name.endswith(".geojson"):
                    geojsons += 1; check_geojson(path)
            except Exception as e:  # any failure to read is a problem to report
                problems.append(f"{path}: {e}")

for p in problems:
    print(p)
print(f"validate-outputs: {runs} run folders, {gpkgs} GeoPackages, {geojsons} GeoJSON files, {len(problems)} problems")
sys.exit(1 if problems or runs == 0 else 0)
