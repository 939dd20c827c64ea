#!/usr/bin/env bash
# B2, HTTP ingest: a separate load process (throughline-bench http-ingest) posts the 10,000-change history (about 100,000 events)
# to a fresh server on loopback, four times, each on a fresh database: batches of 1,000 one at a time, batches with 4 in
# flight, single-event requests one at a time, single-event requests 4 at a time (single modes stop after 20 s).
# Prints events/s, requests/s and request latency percentiles per run.
# Usage: bench/b2.sh [sqlite|postgres]   (default sqlite; postgres starts a throwaway cluster in /tmp)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
engine=${1:-sqlite}
build
dataset
[ "$engine" = postgres ] && start_postgres
echo "== B2 on $engine: $(wc -l < "$data") events from $data"
run=0
for load in "batch 1" "batch 4" "single 1" "single 4"; do
  set -- $load
  run=$((run + 1))
  start_server "$(fresh_database "bench_b2_$$_$run")"
  dotnet $B http-ingest --url "$url" --file "$data" --mode "$1" --concurrency "$2" --max-seconds "$([ "$1" = single ] && echo 20 || echo 120)"
  stop_server
done
