#!/usr/bin/env bash
# B5, the query matrix on a simulated year: serves it, waits for the timeline to load, runs bench/query_matrix.py
# and prints the server's resident memory. Usage: bench/query-matrix.sh sqlite|postgres [10k|100k|1m]
# Needs the year's database first: bench/backfill.sh ENGINE SIZE.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
engine=${1:?usage: bench/query-matrix.sh sqlite|postgres [10k|100k|1m]}
size=${2:-1m}
build
open_year "$engine" "$size"
read -r service team repository < <(first_service "$model")
start_server "$db" "$year_dir/matrix-serve-$engine.log"
wait_loaded "$stored"
echo "$engine, $size: timeline of $stored stored events loaded in about $((SECONDS - served_at)) s; resident memory $(( $(ps -o rss= -p $server) / 1024 )) MiB, peak $(( $(awk '/VmHWM/ {print $2}' /proc/$server/status) / 1024 )) MiB${SERVE_ARGS:+ (serve $SERVE_ARGS)}"
api_curl -s "$url/metrics" | grep -E '^throughline_(gc_heap_bytes|timeline_facts_held|timeline_facts_reread_total) ' | awk '{printf "  %s %.0f\n", $1, $2}'
echo "scopes: team $team, service $service (repository $repository); machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
python3 bench/query_matrix.py "$url" 2027-01-05 "$service" "$team" "$repository"
echo "resident memory after the matrix: $(( $(ps -o rss= -p $server) / 1024 )) MiB, peak $(( $(awk '/VmHWM/ {print $2}' /proc/$server/status) / 1024 )) MiB"
