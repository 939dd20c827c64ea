#!/usr/bin/env bash
# Times the Four Keys baseline (sqlite.sql or postgres.sql: DORA metrics re-derived from the raw events
# at every query) against Throughline's GET /api/metrics/dora on the same data and window, and prints
# both sets of numbers side by side. See docs/benchmarks.md, "Baseline: the Four Keys way".
#
# Usage: bench/fourkeys/run.sh SQLITE_DB SERVER_URL [FROM TO]      (dates, default 2026-01-05 2027-01-05)
#   FOURKEYS_PG="host=127.0.0.1 port=PORT user=postgres dbname=bench": run postgres.sql with psql on that
#   database instead of sqlite.sql on SQLITE_DB (pass - as SQLITE_DB). SERVER_URL must then serve that
#   database too. SERVER_URL - times the baseline alone. THROUGHLINE_TOKEN: a token of that server that may read
#   (throughline token create --db DB --role viewer); year.sh makes one.
# Start the server just before: the first request is Throughline's "cold" (the first query after start,
# once the timeline is loaded), the next three its "warm". Each baseline query runs 4 times in one fresh
# client (a new sqlite3 process, or a new PostgreSQL connection): the first is "cold", the next three
# "warm". Warm figures below are the median of the three.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../api.sh"
db=$1 url=$2 from=${3:-2026-01-05} to=${4:-2027-01-05}
from_us=$(( $(date -u -d "$from" +%s) * 1000000 ))
to_us=$(( $(date -u -d "$to" +%s) * 1000000 ))
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
median3() { printf '%s\n' "$@" | sort -g | sed -n 2p; }

# Throughline first, so that its cold request is the first after the server started.
tl=()
[ "$url" = - ] || for i in 1 2 3 4; do
  tl+=("$(api_curl -sf -o "$tmp/dora$i.json" -w '%{time_total}' "$url/api/metrics/dora?from=$from&to=$to" | awk '{printf "%.1f", $1 * 1000}')")
done

if [ -n "${FOURKEYS_PG:-}" ]; then engine=postgresql sql=$here/postgres.sql; else engine=sqlite sql=$here/sqlite.sql; fi
metrics=(deployment_frequency lead_time change_failure_rate time_to_restore)
base_cold=0 base_warm=0
printf 'Four Keys baseline on %s, window [%s, %s)\n' "$engine" "$from" "$to"
printf '%-22s %10s %26s   %s\n' metric "cold ms" "warm ms (3 runs)" result
for m in "${metrics[@]}"; do
  q=$(awk -v m="-- metric: $m" '$0 == m {on = 1} on {print} on && /;[[:space:]]*$/ {exit}' "$sql")
  [ -n "$q" ] || { echo "run.sh: no query for $m in $sql" >&2; exit 1; }
  if [ "$engine" = sqlite ]; then
    { printf '.parameter set :from %s\n.parameter set :to %s\n.headers on\n.timer on\n' "$from_us" "$to_us"
      for _ in 1 2 3 4; do printf '%s\n' "$q"; done; } | sqlite3 "$db" >"$tmp/out"
    mapfile -t times < <(awk '/^Run Time: real/ {printf "%.1f\n", $4 * 1000}' "$tmp/out")
  else
    { printf '\\timing on\n'; for _ in 1 2 3 4; do printf '%s\n' "$q"; done; } \
      | psql -X -q -A -P footer=off -v ON_ERROR_STOP=1 -v from="$from_us" -v to="$to_us" "$FOURKEYS_PG" >"$tmp/out"
    mapfile -t times < <(awk '/^Time: / {printf "%.1f\n", $2}' "$tmp/out")
  fi
  [ ${#times[@]} -eq 4 ] || { cat "$tmp/out" >&2; exit 1; }
  result=$(grep -v -e '^Run Time' -e '^Time: ' -e '^Timing is' "$tmp/out" | head -2 \
    | awk -F'|' 'NR == 1 {for (i = 1; i <= NF; i++) h[i] = $i} NR == 2 {for (i = 1; i <= NF; i++) printf "%s=%s ", h[i], $i}')
  warm=$(median3 "${times[1]}" "${times[2]}" "${times[3]}")
  printf '%-22s %10s %26s   %s\n' "$m" "${times[0]}" "${times[1]} ${times[2]} ${times[3]}" "$result"
  base_cold=$(echo "$base_cold + ${times[0]}" | bc) base_warm=$(echo "$base_warm + $warm" | bc)
done
printf '%-22s %10s %26s\n' "all four (sum)" "$base_cold" "$base_warm (sum of medians)"
[ "$url" != - ] || exit 0
tl_warm=$(median3 "${tl[1]}" "${tl[2]}" "${tl[3]}")
printf '%-22s %10s %26s\n' "Throughline /dora" "${tl[0]}" "${tl[1]} ${tl[2]} ${tl[3]}"
printf 'ratio Throughline / baseline: cold %s, warm %s (warm medians %s ms / %s ms)\n' \
  "$(echo "scale=3; ${tl[0]} / $base_cold" | bc)" "$(echo "scale=3; $tl_warm / $base_warm" | bc)" "$tl_warm" "$base_warm"
echo "Throughline's numbers for the same window:"
jq -r '"  deployment frequency: deployments=\(.deploymentFrequency.deployments) deployment_days=\(.deploymentFrequency.deploymentDays)",
       "  change lead time:     changes=\(.changeLeadTime.changes) median_hours=\(.changeLeadTime.medianHours) predating=\(.changeLeadTime.predating)",
       "  change failure rate:  deployments=\(.changeFailureRate.deployments) failed_deployments=\(.changeFailureRate.failedDeployments) rate=\(.changeFailureRate.rate)",
       "  recovery time:        recovered=\(.failedDeploymentRecoveryTime.recovered) unrecovered=\(.failedDeploymentRecoveryTime.unrecovered) median_hours=\(.failedDeploymentRecoveryTime.medianHours) (failed deployment recovery time)",
       "  rework rate:          deployments=\(.deploymentReworkRate.deployments) rework=\(.deploymentReworkRate.reworkDeployments) rate=\(.deploymentReworkRate.rate) (no baseline)"' "$tmp/dora1.json"
