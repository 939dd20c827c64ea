#!/usr/bin/env bash
# Diagnostics at scale: `throughline diagnose` offline, then GET /api/diagnostics and the /diagnostics page of a server, on a
# simulated year written by bench/backfill.sh. Prints wall time and peak memory of the command, the first (cold) and kept
# (warm) answers of the server, and the Monte Carlo's cost by number of trials.
# Usage: bench/diagnose.sh [sqlite|postgres] [10k|100k|1m]   (default sqlite 100k; run bench/backfill.sh ENGINE SIZE first)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
engine=${1:-sqlite} size=${2:-100k}
build
open_year "$engine" "$size"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "database: $engine, $stored events"
# The window: the last 30 days of the year, and the whole year.
end=2027-01-05 month=2026-12-06 start=2026-01-05
ms() { echo "$1 * 1000" | bc | cut -d. -f1; }

for window in "$month $end" "$start $end"; do
  set -- $window
  /usr/bin/time -f "diagnose $1 to $2: %e s wall, %M KiB peak" dotnet $T diagnose --db "$db" --model "$model" --from "$1" --to "$2" --format json \
    2>&1 >/dev/null | grep -E '^diagnose |events read|done in'
done

start_server "$db"
wait_loaded "$stored"
for window in "$month $end" "$start $end"; do
  set -- $window
  q="from=$1&to=$2"
  cold=$(api_curl -s -o /dev/null -w '%{time_total}' "$url/api/diagnostics?$q")
  warm=$(for _ in 1 2 3 4 5; do api_curl -s -o /dev/null -w '%{time_total}\n' "$url/api/diagnostics?$q"; done | sort -n)
  page=$(for _ in 1 2 3 4 5; do api_curl -s -o /dev/null -w '%{time_total}\n' "$url/diagnostics?$q"; done | sort -n)
  printf 'GET /api/diagnostics %s to %s: first %s ms; kept: median %s ms, max %s ms; the page (kept answer): median %s ms, max %s ms\n' "$1" "$2" \
    "$(ms "$cold")" "$(ms "$(sed -n 3p <<<"$warm")")" "$(ms "$(tail -1 <<<"$warm")")" "$(ms "$(sed -n 3p <<<"$page")")" "$(ms "$(tail -1 <<<"$page")")"
done
for trials in 500 2000 8000; do
  t=$(api_curl -s -o /dev/null -w '%{time_total}' "$url/api/diagnostics?from=$month&to=$end&trials=$trials&seed=2")
  printf 'Monte Carlo, last 30 days, %5d trials: first answer of the whole diagnosis %s ms\n' "$trials" "$(ms "$t")"
done
echo "server resident memory: $(ps -o rss= -p "$server" | awk '{printf "%.0f MiB", $1/1024}')"
