#!/usr/bin/env bash
# Live catalogue benchmark: time from a product file's write to its new price served over
# HTTP by `comptoir serve --watch`, next to a full build of the same catalogue.
#
#   bench/live.sh <products> [edits] [pause ms]    e.g. bench/live.sh 100000 20 2000
#
# Generates the catalogue once (/tmp/bench-<n>/content, as bench/build-bench.sh does),
# works on a copy, prints the full build's time, then each edit's time (examples/
# live_bench.rs) and the server's own figures per update (update, install, debounce).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:?products}
edits=${2:-20}
pause=${3:-0}
bin=target/release/comptoir
cargo build --release --quiet
cargo build --release --quiet --example live_bench
src=/tmp/bench-$n/content
[[ -d $src ]] || $bin gen-catalogue --products "$n" --out "$src" >/dev/null
work=$(mktemp -d /tmp/live-bench.XXXX)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
cp -r "$src" "$work/content"

# Twice: the first resizes the pictures into the cache, the second is the rebuild a
# change would cost (pictures cached, as under `serve --watch`).
for run in cold warm; do
  start=$(date +%s.%N)
  $bin build --content "$work/content" --data "$work/full" >/dev/null 2>&1
  full=$(echo "$(date +%s.%N) - $start" | bc)
  printf 'full build of %s products (%s picture cache): %.2f s\n' "$n" "$run" "$full"
done

port=$((18000 + RANDOM % 1000))
RUST_LOG=info,tower_http=warn $bin serve --watch --content "$work/content" --data "$work/data" \
  --addr 127.0.0.1:$port >"$work/server.log" 2>&1 &
server=$!
until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do
  kill -0 $server || { cat "$work/server.log"; exit 1; }
  sleep 0.2
done
target/release/examples/live_bench "127.0.0.1:$port" "$work/content" "$edits" "$pause"
log=$(sed 's/\x1b\[[0-9;]*m//g' "$work/server.log" | grep 'site updated')
for key in took_ms install_ms debounce_ms; do
  echo "$log" | grep -o "$key=[0-9.]*" | cut -d= -f2 | sort -n |
    awk -v k="$key" '{ v[NR] = $1 } END { printf "server %s: median %.1f, max %.1f (%d updates)\n", k, v[int((NR + 1) / 2)], v[NR], NR }'
done
