#!/usr/bin/env bash
# Runs every fuzz target (fuzz/fuzz_targets) for a bounded time each, seeded from the shared
# corpora where they exist, and lists what it found.
# Usage: scripts/fuzz.sh [SECONDS] [DATA] [TARGET...] (every target when none is named).
# Needs the nightly toolchain; installs cargo-fuzz from crates.io when missing. Seeds,
# corpora and findings live outside the repository (third-party texts stay out of it):
# $FUZZ_WORK, by default ~/.cache/parallax-fuzz. A finding is fixed, then kept as a
# regression case in the test of the crate it broke.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"
data="${2:-../shared/data}"
shift $(( $# > 2 ? 2 : $# ))
targets="${*:-extract feed sanitize opml url_norm site_config cluster analysis sources_csv search}"
work="${FUZZ_WORK:-$HOME/.cache/parallax-fuzz}"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/parallax-target}/fuzz"

# seed TARGET FIND-ARGS...: copies (and gunzips) up to 400 files into the target's seeds.
seed() {
    local target=$1; shift
    local dir="$work/seeds/$target"
    mkdir -p "$dir"
    [ -d "$data" ] || return 0
    local files f name
    mapfile -t files < <(find "$data" -type f "$@" 2>/dev/null | sort | head -400)
    for f in "${files[@]}"; do
        name=$(echo "$f" | md5sum | cut -c1-16)
        case "$f" in
            *.gz) gzip -dc "$f" > "$dir/$name" 2>/dev/null || true ;;
            *) cp "$f" "$dir/$name" ;;
        esac
    done
}
# seed_matches TARGET REGEX DIR: up to 400 distinct strings matching REGEX in DIR's files,
# one seed file each (URLs for URL normalisation, headlines for search).
seed_matches() {
    local target=$1 regex=$2 from=$3
    local dir="$work/seeds/$target"
    mkdir -p "$dir"
    [ -d "$from" ] || return 0
    grep -rhoE "$regex" "$from" 2>/dev/null | sort -u | head -400 | while IFS= read -r line; do
        printf '%s' "$line" > "$dir/$(printf '%s' "$line" | md5sum | cut -c1-16)"
    done || true
}
[ -d "$data" ] || echo "no shared data at $data: targets start from empty corpora"
seed extract \( -path '*extraction*' -name '*.html*' \)
seed feed \( -path '*feeds*' \( -name '*.xml' -o -name '*.rss' -o -name '*.atom' -o -name '*.json' -o -name '*.rdf' \) \)
seed sanitize \( -path '*sanitize*' -name '*.xml' \)
seed opml \( -path '*opml*' -type f \)
seed_matches url_norm 'https?://[^"<> ]+' "$data/feeds"
seed site_config -false
seed cluster -false
seed analysis -false
seed sources_csv -false
seed_matches search '<title>[^<]{8,120}</title>' "$data/feeds"

status=0
for target in $targets; do
    mkdir -p "$work/corpus/$target" "$work/artifacts/$target"
    echo "== $target: ${secs}s"
    if ! (cd fuzz && cargo +nightly fuzz run "$target" "$work/corpus/$target" "$work/seeds/$target" -- \
        -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=262144 \
        -artifact_prefix="$work/artifacts/$target/" -print_final_stats=1 2>&1 | tail -n 12); then
        status=1
    fi
    found=$(ls "$work/artifacts/$target" | wc -l)
    echo "   findings: $found (in $work/artifacts/$target)"
    [ "$found" -eq 0 ] || status=1
done
exit $status
