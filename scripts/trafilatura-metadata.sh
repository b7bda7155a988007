#!/usr/bin/env bash
# Scores Python trafilatura's own metadata on the trafilatura evaluation set by the rules
# `parallax eval extraction` applies to Parallax (title exact after whitespace is collapsed,
# date on the same day, authors exact), so the two figures can be set side by side.
# Needs ../shared/data and PyPI (trafilatura).
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-../shared/data}"
[ -d "$data/extraction/trafilatura-eval" ] || { echo "skipped: no trafilatura set at $data/extraction"; exit 0; }
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/parallax-target}"
venv="$CARGO_TARGET_DIR/trafilatura-2.2-venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check trafilatura==2.2.0 lxml_html_clean
"$venv/bin/python" - "$data/extraction/trafilatura-eval/tests" <<'PY'
import gzip, json, os, sys
import trafilatura
tests = sys.argv[1]
cases = json.load(open(os.path.join(tests, "evaldata.json")))
def norm(s): return " ".join(s.split())
def gold(v):
    if isinstance(v, list): v = "; ".join(x for x in v if isinstance(x, str))
    return v if isinstance(v, str) and v.strip() else None
counts = {k: [0, 0] for k in ("title", "date", "author")}
for url in sorted(cases):
    case = cases[url]
    path = next((p for p in (os.path.join(tests, d, case["file"] + ".gz") for d in ("cache", "eval")) if os.path.exists(p)), None)
    if path is None:
        continue
    try:
        doc = trafilatura.bare_extraction(gzip.open(path).read(), url=url, with_metadata=True,
                                          include_comments=False, include_tables=True)
    except Exception:
        doc = None
    for field, count in counts.items():
        want = gold(case.get(field))
        if want is None:
            continue
        count[1] += 1
        got = getattr(doc, field, None) if doc is not None else None
        if got and (got[:10] == want if field == "date" else norm(got) == norm(want)):
            count[0] += 1
print(f"python trafilatura {trafilatura.__version__} on its own set: " + ", ".join(
    f"{field} {ok}/{all} = {100 * ok / max(all, 1):.1f}%" for field, (ok, all) in counts.items()))
PY
