#!/usr/bin/env bash
# B3, freshness at 10,000 changes: ingests the 10,000-change history into a fresh database, serves it with its model,
# waits until the timeline has read it all, then posts 50 events one at a time and times until GET /api/board shows
# the new change and until GET /api/metrics/dora counts the new production deployment (p50/p90/p99/max, from the POST
# and from its 202, and what each poll cost).
# Usage: bench/b3.sh [sqlite|postgres] [SAMPLES] [10k|100k|1m]   (default sqlite, 50, the 10,000-change dataset above)
# With 100k or 1m it serves the simulated year that bench/backfill.sh wrote instead (its events stay in it).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
engine=${1:-sqlite}
samples=${2:-50}
size=${3:-}
build
if [ -z "$size" ]; then
  dataset
  [ "$engine" = postgres ] && start_postgres
  db=$(fresh_database "bench_b3_$$")
  ingested=$(dotnet $T ingest --db "$db" "$data" 2>/dev/null)
  echo "$ingested"
  stored=$(sed -E 's/^Stored ([0-9,]+) new events.*/\1/' <<<"$ingested" | tr -d ,)
  targets=()
else
  open_year "$engine" "$size"
  read -r service team repository < <(first_service "$model")
  targets=(--service "$service" --repository "$repository")
fi
start_server "$db"
wait_loaded "$stored"
echo "timeline loaded in about $((SECONDS - served_at)) s"
sleep 2 # let start-up settle
echo "== B3 on $engine: $(api_curl -s "$url/api/timeline" | jq -c '{eventsRead, changes, deployments}')"
dotnet $B freshness --url "$url" --samples "$samples" "${targets[@]}"
echo "server resident memory: $(ps -o rss= -p "$server") KiB"
