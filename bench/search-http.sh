#!/usr/bin/env bash
# Search over HTTP: wrk drives /api/search and /recherche on a served build, cycling through
# the engine benchmark's seeded query mix, at 16 and 64 connections.
#
#   bench/search-http.sh DATA_DIR            (a data folder with a published build)
#
# Environment: DURATION=20s  THREADS=2  PORT=8097  COMPTOIR=target/release/comptoir
# The server keeps its answers (--search-cache): after the first pass over the mix, the same
# queries are answered from memory. COMPTOIR_SEARCH_CACHE=0 searches every request.
# Needs: wrk (apt-get install wrk), a release build of comptoir and of the example
# (cargo build --release --bin comptoir --example search_bench).
set -euo pipefail
data=${1:?usage: bench/search-http.sh DATA_DIR}
duration=${DURATION:-20s}
threads=${THREADS:-2}
port=${PORT:-8097}
comptoir=${COMPTOIR:-target/release/comptoir}
work=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

target/release/examples/search_bench "$data" 1000 --write-queries "$work/queries.txt" >/dev/null
cat > "$work/mix.lua" <<LUA
local queries = {}
for line in io.lines("$work/queries.txt") do queries[#queries + 1] = line end
local i = 0
request = function()
  i = i % #queries + 1
  return wrk.format("GET", wrk.path .. "?" .. queries[i])
end
local errors = 0
response = function(status)
  if status ~= 200 then errors = errors + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("p50_ms=%.2f p99_ms=%.2f requests_per_s=%.0f non_2xx=%d socket_errors=%d\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6),
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA

RUST_LOG=warn "$comptoir" serve --data "$data" --addr "127.0.0.1:$port" 2>"$work/serve.log" &
server=$!
deadline=$((SECONDS + 120))
until curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
  (( SECONDS < deadline )) || { echo "server did not start" >&2; cat "$work/serve.log" >&2; exit 1; }
  sleep 0.2
done
# Warm the catalogue snapshot and index before measuring.
curl -fsS "http://127.0.0.1:$port/api/search?q=pain" >/dev/null

for path in /api/search /recherche; do
  for connections in 16 64; do
    printf '%s connections=%s ' "$path" "$connections"
    wrk -t"$threads" -c"$connections" -d"$duration" -s "$work/mix.lua" \
      "http://127.0.0.1:$port$path" | tail -1
  done
done
