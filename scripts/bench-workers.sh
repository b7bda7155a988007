#!/usr/bin/env bash
# Ingest at scale. The shared news corpus is replayed as ARTICLES articles (each pass shifted
# in time, with its own URLs) on HOSTS local outlets (examples/corpus_web.rs), and ingested
# end to end (feeds, pages, extraction, clustering, store) by one `parallax worker` into
# SQLite, and by 1, 2 and 4 workers into PostgreSQL. Prints articles per second overall and
# per interval (is the cost per article flat as the store grows?), the database's size, and,
# during the last run, the site's latency (`parallax serve`, site only) under wrk while the
# workers ingest.
#
# Usage: scripts/bench-workers.sh [ARTICLES] [HOSTS] [WORKER COUNTS...]
#   WORKER COUNTS `none` runs SQLite only; SQLITE=no skips the SQLite run; PG_SET="name=value"
#   sets a PostgreSQL setting on the bench's database. The load runs LOAD_CONNECTIONS
#   connections (100), 15 s on each page, then LOAD_SECONDS (180) on the three in turn.
# Needs ../shared/data, PostgreSQL on 127.0.0.1:5432 (trust), wrk, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
ARTICLES=${1:-20000}
HOSTS=${2:-50}
shift $(( $# > 2 ? 2 : $# ))
COUNTS=${*:-1 2 4}
LOAD_CONNECTIONS=${LOAD_CONNECTIONS:-100}
LOAD_SECONDS=${LOAD_SECONDS:-180}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/parallax-target}"
# Built apart: the example brings dev-dependencies whose features would rebuild the binary.
cargo build --release --quiet --bin parallax
cargo build --release --quiet --example corpus_web
BIN="$CARGO_TARGET_DIR/release/parallax"
WEB="$CARGO_TARGET_DIR/release/examples/corpus_web"
PG=postgres://postgres@127.0.0.1:5432

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

"$WEB" --data ../shared/data --articles "$ARTICLES" --hosts "$HOSTS" --opml "$work/corpus.opml" > "$work/web.log" &
pids+=($!)
until grep -q ready "$work/web.log" 2>/dev/null; do sleep 0.5; done
echo "corpus web: $(cat "$work/web.log")"

# The outlets are on this machine: no pacing, loopback allowed.
export PARALLAX_FETCH__ALLOW_PRIVATE_ADDRESSES=true PARALLAX_FETCH__HOST_MIN_GAP_MS=0
export PARALLAX_INGEST__TICK_SECS=1 PARALLAX_LOG=warn

calc() { awk "BEGIN { print $* }"; }

count() { # backend dir
  if [ "$1" = postgres ]; then
    psql "$PARALLAX_DATABASE_URL" -tAc "SELECT COUNT(*) FROM articles"
  else
    python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT COUNT(*) FROM articles').fetchone()[0])" "$2/parallax.db"
  fi
}

size() { # backend dir
  if [ "$1" = postgres ]; then
    psql "$PARALLAX_DATABASE_URL" -tAc "SELECT pg_database_size(current_database())"
  else
    du -cb "$2"/parallax.db* | tail -1 | cut -f1
  fi
}

resident() { # pids: their resident memory in all, in MB
  local kb=0
  for p in "$@"; do
    kb=$((kb + $(awk '/^VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)))
  done
  echo $((kb / 1024))
}

load() { # while the workers ingest: the site alone, under wrk
  local dir=$1 port=18089
  PARALLAX_SERVER__INGEST=false PARALLAX_SERVER__LISTEN=127.0.0.1:$port \
    "$BIN" --data-dir "$dir/site" serve > /dev/null 2>&1 &
  local serve=$!
  pids+=($serve)
  until curl -sf "http://127.0.0.1:$port/healthz" > /dev/null; do sleep 0.5; done
  echo "  load: the site alone, while $(count postgres "$dir") of $ARTICLES articles are stored" 
  local story
  # A story of a few versions, as most are.
  story=$(psql "$PARALLAX_DATABASE_URL" -tAc \
    "SELECT id FROM stories WHERE article_count BETWEEN 3 AND 6 ORDER BY id LIMIT 1")
  local out
  for path in / "/story/$story" "/search?q=shutdown"; do
    out=$(wrk -t2 -c"$LOAD_CONNECTIONS" -d15s --latency "http://127.0.0.1:$port$path")
    report "$path" "$out"
  done
  # Then the three in turn, for minutes, while the workers go on.
  cat > "$work/mixed.lua" <<LUA
local paths = {"/", "/story/$story", "/search?q=shutdown"}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
LUA
  local before
  before=$(count postgres "$dir")
  out=$(wrk -t2 -c"$LOAD_CONNECTIONS" -d"${LOAD_SECONDS}s" --timeout 10s --latency \
    -s "$work/mixed.lua" "http://127.0.0.1:$port")
  report "all three, ${LOAD_SECONDS} s" "$out"
  echo "  load: $(( $(count postgres "$dir") - before )) articles stored meanwhile"
  kill "$serve" 2>/dev/null || true
}

report() { # label wrk-output
  local errors
  errors=$(grep -E 'Non-2xx|Socket errors' <<< "$2" | tr -s ' ' | paste -sd ';' || true)
  printf '  load %-22s %8s req/s  p50 %8s  p90 %8s  p99 %8s  errors %s\n' "$1" \
    "$(awk '/Requests\/sec/ {print $2}' <<< "$2")" \
    "$(awk '$1 == "50%" {print $2}' <<< "$2")" \
    "$(awk '$1 == "90%" {print $2}' <<< "$2")" \
    "$(awk '$1 == "99%" {print $2}' <<< "$2")" \
    "${errors:-none}"
}

run() { # backend workers [load]
  local backend=$1 workers=$2 dir="$work/$1-$2"
  mkdir -p "$dir"
  if [ "$backend" = postgres ]; then
    psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS parallax_bench" -c "CREATE DATABASE parallax_bench"
    if [ -n "${PG_SET:-}" ]; then
      psql "$PG/postgres" -qc "ALTER DATABASE parallax_bench SET ${PG_SET%%=*} = '${PG_SET#*=}'"
    fi
    export PARALLAX_DATABASE_URL="$PG/parallax_bench"
  else
    unset PARALLAX_DATABASE_URL
  fi
  "$BIN" --data-dir "$dir" import-opml "$work/corpus.opml" > /dev/null
  # Each worker takes its share of the hosts in one cycle, and so reads its articles in time
  # order, as a site that follows its feeds does. (Batches of a few hosts would replay the
  # whole span of the corpus again with every batch.)
  export PARALLAX_INGEST__MAX_HOSTS=$(( (HOSTS + workers - 1) / workers ))
  local started last_t last_n now n
  started=$(date +%s.%N); last_t=$started; last_n=0
  local running=()
  for i in $(seq "$workers"); do
    PARALLAX_INGEST__WORKER_NAME="w$i" "$BIN" --data-dir "$dir" worker > /dev/null 2>&1 &
    running+=($!); pids+=($!)
  done
  if [ "${3:-}" = load ]; then
    sleep 15
    load "$dir"
  fi
  local polls=0
  while :; do
    sleep 1
    n=$(count "$backend" "$dir"); now=$(date +%s.%N); polls=$((polls + 1))
    if [ "$n" -ge "$ARTICLES" ] || [ $((polls % 15)) = 0 ]; then
      printf '  %6.0f s  %8d articles  %7.1f/s in the last interval  workers %s MB resident\n' \
        "$(calc "$now - $started")" "$n" "$(calc "($n - $last_n) / ($now - $last_t)")" \
        "$(resident "${running[@]}")"
      last_t=$now; last_n=$n
    fi
    [ "$n" -ge "$ARTICLES" ] && break
  done
  local elapsed
  elapsed=$(calc "$(date +%s.%N) - $started")
  for p in "${running[@]}"; do kill "$p" 2>/dev/null || true; done
  wait "${running[@]}" 2>/dev/null || true
  local bytes
  bytes=$(size "$backend" "$dir")
  printf '%-9s %d worker(s): %d articles in %.0f s = %.1f articles/s; database %.1f MB (%.0f MB per million articles)\n' \
    "$backend" "$workers" "$ARTICLES" "$elapsed" "$(calc "$ARTICLES / $elapsed")" \
    "$(calc "$bytes / 1000000")" "$(calc "$bytes / $ARTICLES")"
}

if [ "${SQLITE:-yes}" != no ]; then
  echo "== SQLite (one writer: one worker)"
  run sqlite 1
fi
[ "$COUNTS" = none ] && exit 0
last=$(echo "$COUNTS" | awk '{print $NF}')
for w in $COUNTS; do
  echo "== PostgreSQL, $w worker(s)"
  if [ "$w" = "$last" ]; then run postgres "$w" load; else run postgres "$w"; fi
done
