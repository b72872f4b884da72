# Run by scripts/validate-outputs (was an embedded heredoc); arguments as passed there.
import json, os, sqlite3, subprocess, sys
from osgeo import gdal, ogr
gdal.UseExceptions()

validator, roots = sys.argv[1], sys.argv[2:]
problems, runs, gpkgs, geojsons, mbtiles = [], 0, 0, 0, 0
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

def tiled(name):
    return name.startswith("coverage_") or name.startswith("gaps_") or name == "build_areas"

def check_mbtiles(path):
    """coverage.mbtiles: Web Mercator vector tiles, zoom 6-12, holding every coverage, gap and
    build-area layer (zoom 6-12) of the run's coverage.gpkg that has a geometry, each with features, within
    the UK."""
    ds = gdal.OpenEx(path, gdal.OF_VECTOR)
    if ds is None:
        problems.append(f"{path}: GDAL cannot open it"); return
    meta = ds.GetMetadata()
    db = sqlite3.connect(path)
    m = dict(db.execute("SELECT name, value FROM metadata"))
    zooms = [r[0] for r in db.execute("SELECT DISTINCT zoom_level FROM tiles ORDER BY 1")]
    db.close()
    if (m.get("minzoom"), m.get("maxzoom"), m.get("format")) != ("6", "12", "pbf"):
        problems.append(f"{path}: metadata minzoom/maxzoom/format {m.get('minzoom')}/{m.get('maxzoom')}/{m.get('format')}, expected 6/12/pbf")
    if zooms and (zooms[0] < 6 or zooms[-1] > 12):
        problems.append(f"{path}: tiles at zoom {zooms[0]}-{zooms[-1]}, outside 6-12")
    found = {}
    for i in range(ds.GetLayerCount()):
        layer = ds.GetLayer(i)
        found[layer.GetName()] = layer
    expected = set()
    gpkg = os.path.join(os.path.dirname(path), "coverage.gpkg")
    if os.path.exists(gpkg):
        g = gdal.OpenEx(gpkg, gdal.OF_VECTOR)
        for i in range(g.GetLayerCount()):
            layer = g.GetLayer(i)
            if tiled(layer.GetName()) and any(f.GetGeometryRef() is not None and not f.GetGeometryRef().IsEmpty() for f in layer):
                expected.add(layer.GetName())
    if not expected:
        expected = {n for n in found if tiled(n)}
    for name in sorted(expected):
        layer = found.get(name)
        if layer is None:
            problems.append(f"{path}: layer {name} is missing"); continue
        if layer.GetFeatureCount() <= 0:
            problems.append(f"{path}: layer {name} has no features")
        srs = layer.GetSpatialRef()
        if srs is None or srs.GetAuthorityCode(None) != "3857":
            problems.append(f"{path}: layer {name} is not in EPSG:3857")
        minx, maxx, miny, maxy = layer.GetExtent()
        # The UK in Web Mercator: longitude -9 to 2.5, latitude 49 to 61.
        if not (-1.01e6 <= minx <= maxx <= 2.8e5 and 6.27e6 <= miny <= maxy <= 8.67e6):
            problems.append(f"{path}: layer {name} extent {minx:.0f},{miny:.0f} {maxx:.0f},{maxy:.0f} is outside the UK")
    extra = sorted(n for n in found if not tiled(n))
    if extra:
        problems.append(f"{path}: unexpected layers {extra}")

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
                elif name.endswith(".mbtiles"):
                    mbtiles += 1; check_mbtiles(path)
            except Exception as e:  # any failure to read is a problem to report
                problems.append(f"{path}: {e}")

for p in problems:
    print(p)
print(f"validate-outputs: {runs} run folders, {gpkgs} GeoPackages, {geojsons} GeoJSON files, {mbtiles} MBTiles, {len(problems)} problems")
sys.exit(1 if problems or runs == 0 else 0)
