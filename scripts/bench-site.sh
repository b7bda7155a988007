#!/usr/bin/env bash
# The site under load, side by side with nginx serving the same page as a static file. The
# demo is started from a release build, its top story's page is saved, nginx serves that
# copy, and wrk loads both from a second process on loopback. Prints the page weights, the
# story page's time with one connection (median and 99th percentile: the server's time
# plus a loopback round trip) and the requests per second of both with 50 connections.
# Usage: scripts/bench-site.sh [SECONDS]. Needs wrk and nginx (Debian's wrk and
# nginx-light, installed with apt when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-10}"
if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
    as_root=""
    [ "$(id -u)" = 0 ] || as_root="sudo"
    DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq wrk nginx-light >/dev/null
fi
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/parallax-target}"
cargo build --release --locked -q -p parallax-cli

work=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

port=$(free_port)
"$CARGO_TARGET_DIR/release/parallax" --data-dir "$work/data" demo --port "$port" >"$work/demo.log" 2>&1 &
pids+=($!)
for _ in $(seq 300); do
    grep -q "is serving" "$work/demo.log" && break
    sleep 1
done
grep -q "is serving" "$work/demo.log" || { cat "$work/demo.log"; exit 1; }
site="http://127.0.0.1:$port"
story=$(curl -sf "$site/" | grep -o 'href="/story/[0-9]*"' | head -1 | grep -o '[0-9]*')
mkdir -p "$work/www"
curl -sf "$site/story/$story" >"$work/www/story.html"

nport=$(free_port)
cat >"$work/nginx.conf" <<EOF
daemon off;
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
    access_log off;
    server {
        listen 127.0.0.1:$nport;
        root $work/www;
        location / { default_type text/html; }
    }
}
EOF
nginx -c "$work/nginx.conf" -p "$work" &
pids+=($!)
sleep 1

size() { curl -sf "$1" | wc -c; }
echo "Page weights (bytes, before compression):"
for path in "/" "/story/$story" "/static/style.css" "/static/site.js"; do
    printf '  %-22s %8d\n' "$path" "$(size "$site$path")"
done

# wrk_line URL CONNECTIONS: "requests/s p50 p99"
wrk_line() {
    local out
    out=$(wrk -t"$([ "$2" -gt 1 ] && echo 2 || echo 1)" -c"$2" -d"${secs}s" --latency "$1")
    echo "$(echo "$out" | awk '/Requests\/sec/ {print $2}') $(echo "$out" | awk '$1=="50%" {print $2}') $(echo "$out" | awk '$1=="99%" {print $2}')"
}
read -r _ one_p50 one_p99 <<<"$(wrk_line "$site/story/$story" 1)"
echo "Story page, one connection: median $one_p50, 99th percentile $one_p99"
read -r p_rps p_p50 p_p99 <<<"$(wrk_line "$site/story/$story" 50)"
read -r n_rps n_p50 n_p99 <<<"$(wrk_line "http://127.0.0.1:$nport/story.html" 50)"
echo "50 connections, ${secs} s each:"
printf '  %-28s %10s req/s  median %8s  p99 %8s\n' "Parallax story page" "$p_rps" "$p_p50" "$p_p99"
printf '  %-28s %10s req/s  median %8s  p99 %8s\n' "nginx, same page as a file" "$n_rps" "$n_p50" "$n_p99"
python3 -c "print(f'  Parallax reaches {float(\"$p_rps\") / float(\"$n_rps\"):.0%} of nginx')"
