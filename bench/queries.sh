#!/usr/bin/env bash
# Warm query times against a running server: each query 1 cold + 5 warm runs, the warm median and max printed.
# Usage: THROUGHLINE_TOKEN=tl_... bench/queries.sh http://127.0.0.1:5099 FROM TO SERVICE TEAM   (a token that may read)
set -euo pipefail
source "$(dirname "$0")/api.sh"
base=$1 from=$2 to=$3 service=$4 team=$5
for query in \
  "dora (organisation)|/api/metrics/dora?from=$from&to=$to" \
  "dora (team $team)|/api/metrics/dora?from=$from&to=$to&team=$team" \
  "dora (service $service)|/api/metrics/dora?from=$from&to=$to&service=$service" \
  "dora weekly series|/api/metrics/dora?from=$from&to=$to&interval=week" \
  "flow (organisation)|/api/metrics/flow?from=$from&to=$to" \
  "flow (service $service)|/api/metrics/flow?from=$from&to=$to&service=$service" \
  "board|/api/board"; do
  name=${query%%|*}; url=${query#*|}
  cold=$(api_curl -s -o /dev/null -w '%{time_total}' "$base$url")
  warm=$(for _ in 1 2 3 4 5; do api_curl -s -o /dev/null -w '%{time_total}\n' "$base$url"; done | sort -n)
  printf '%-28s cold %6.0f ms   warm median %6.0f ms   max %6.0f ms\n' "$name" \
    "$(echo "$cold * 1000" | bc)" "$(echo "$(echo "$warm" | sed -n 3p) * 1000" | bc)" "$(echo "$(echo "$warm" | tail -1) * 1000" | bc)"
done
