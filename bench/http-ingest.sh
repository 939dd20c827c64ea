#!/usr/bin/env bash
# B2, HTTP batch ingest: a separate load process (throughline emit, batches of 1,000 events, one request at a
# time) sends a simulated history to a fresh server on loopback; prints events/s. Bounded: one file, once.
# Usage: bench/http-ingest.sh [DB]   (default: a new SQLite file; a PostgreSQL connection string works too)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${BENCH_DIR:-/tmp/throughline-bench}
mkdir -p "$dir"
dotnet build -c Release src/Throughline >/dev/null
T=src/Throughline/bin/Release/net10.0/throughline.dll
[ -f "$dir/http.jsonl" ] || dotnet $T simulate --seed 3 --days 60 --changes-per-day 160 --services 20 --teams 8 --out "$dir/http.jsonl" 2>/dev/null
db=${1:-$dir/http-$$.db}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
dotnet $T serve --db "$db" --urls "http://127.0.0.1:$port" >"$dir/http-serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; case "$db" in *.db) rm -f "$db" "$db-wal" "$db-shm";; esac' EXIT
for _ in $(seq 1 60); do curl -s "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
events=$(wc -l < "$dir/http.jsonl")
start=$(date +%s.%N)
dotnet $T emit --server "http://127.0.0.1:$port" "$dir/http.jsonl" | tail -1
end=$(date +%s.%N)
echo "B2: $events events in $(echo "$end - $start" | bc) s (emit process start and file check included): $(echo "$events / ($end - $start)" | bc) events/s"
