#!/usr/bin/env bash
# Parses every file of the feed corpora with Python's feedparser and with Parallax, in one
# run, and prints both times. Needs ../shared/data and network access to PyPI (for feedparser).
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-../shared/data}"
[ -d "$data/feeds" ] || { echo "skipped: no feed corpora at $data/feeds"; exit 0; }
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/parallax-target}"
venv="$CARGO_TARGET_DIR/feedparser-venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check feedparser==6.0.11
cargo build --release --quiet
python_out=$(mktemp)
trap 'rm -f "$python_out"' EXIT
("$venv/bin/python" - "$data/feeds" <<'PY'
import os, sys, time, feedparser
root = sys.argv[1]
files = []
for d, _, names in os.walk(root):
    files += [os.path.join(d, n) for n in names if n.rsplit(".", 1)[-1] in ("xml", "rss", "atom", "json", "rdf")]
blobs = [open(f, "rb").read() for f in sorted(files)]
for sanitize in (True, False):
    best, crashed = None, 0
    for _ in range(5):
        crashed = 0
        t = time.perf_counter()
        for b in blobs:
            try:
                feedparser.parse(b, sanitize_html=sanitize)
            except Exception:
                crashed += 1
        took = time.perf_counter() - t
        best = took if best is None else min(best, took)
    what = "sanitized" if sanitize else "unsanitized"
    print(f"python feedparser {feedparser.__version__} ({what}): {len(blobs)} files in {best*1000:.1f} ms (best of 5), {crashed} raised")
PY
) | tee "$python_out"
cargo build --release --quiet -p parallax-feed --example parse_corpus
# Many passes: this machine's speed drifts for seconds at a time, the best pass is the one
# comparable with Python's best.
rust_full=$("$CARGO_TARGET_DIR/release/examples/parse_corpus" "$data/feeds" 50)
rust_raw=$(RAW=1 "$CARGO_TARGET_DIR/release/examples/parse_corpus" "$data/feeds" 50)
printf '%s\n%s\n' "$rust_full" "$rust_raw"
ms() { sed -n 's/.* in \([0-9.]*\) ms.*/\1/p; s/.*best pass \([0-9.]*\) ms.*/\1/p' | head -1; }
py_sanitized=$(grep '(sanitized)' "$python_out" | ms)
py_raw=$(grep '(unsanitized)' "$python_out" | ms)
awk -v a="$py_sanitized" -v b="$(echo "$rust_full" | ms)" -v c="$py_raw" -v d="$(echo "$rust_raw" | ms)" \
    'BEGIN { printf "parse_feed is %.0fx sanitizing feedparser; parse_document is %.0fx unsanitized feedparser\n", a / b, c / d }'
