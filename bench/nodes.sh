#!/usr/bin/env bash
# Two nodes on one PostgreSQL: ingests the 10,000-change history into a fresh database, serves it from two `serve`
# processes, waits until both timelines have read it all, then posts events to the first node one at a time and times
# until the second node's board and DORA answer show them; then the same posted to and watched on the first node alone,
# in the same run, to compare.
# Usage: bench/nodes.sh [SAMPLES]   (default 50)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
samples=${1:-50}
build
dataset
start_postgres
db=$(fresh_database "bench_nodes_$$")
ingested=$(dotnet $T ingest --db "$db" "$data" 2>/dev/null)
echo "$ingested"
stored=$(sed -E 's/^Stored ([0-9,]+) new events.*/\1/' <<<"$ingested" | tr -d ,)
start_server "$db" "$dir/bench-node1.log"
first_url=$url first_server=$server
start_server "$db" "$dir/bench-node2.log"
second_url=$url second_server=$server
wait_loaded "$stored" "$first_url"
wait_loaded "$stored" "$second_url"
sleep 2 # let start-up settle
echo "== two nodes on PostgreSQL: $(api_curl -s "$second_url/api/timeline" | jq -c '{eventsRead, changes, deployments}')"
echo "-- posted to node 1, watched on node 2"
dotnet $B freshness --url "$first_url" --read-url "$second_url" --samples "$samples"
echo "-- posted to and watched on node 1"
dotnet $B freshness --url "$first_url" --samples "$samples"
kill "$first_server" 2>/dev/null || true
wait "$first_server" 2>/dev/null || true
# the second node is $server: the cleanup trap stops it and the cluster
