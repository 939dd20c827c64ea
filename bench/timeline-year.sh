#!/usr/bin/env bash
# The dataset of the baseline comparison in docs/benchmarks.md: simulate a year of 100,000 changes, ingest it into SQLite,
# rebuild the timeline, then serve it and measure freshness. Files go to ${BENCH_DIR:-/tmp/throughline-bench}.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${BENCH_DIR:-/tmp/throughline-bench}
mkdir -p "$dir"
rm -f "$dir"/year.db*
dotnet build -c Release src/Throughline >/dev/null
T=src/Throughline/bin/Release/net10.0/throughline.dll
source bench/api.sh
timed() { /usr/bin/time -f "$1: %e s, %M KiB peak" "${@:2}"; }
timed simulate dotnet $T simulate --days 365 --changes-per-day 370 --teams 12 --services 40 --out "$dir/year.jsonl" --model-out "$dir/model.yaml" 2>&1 | grep -v '^simulate: day'
timed ingest dotnet $T ingest --db "$dir/year.db" "$dir/year.jsonl" 2>&1 | grep -v '^ingest: [0-9,]* of '
ls -l "$dir/year.db"
timed rebuild dotnet $T rebuild --db "$dir/year.db" --model "$dir/model.yaml"
make_token "$dir/year.db"
dotnet $T serve --db "$dir/year.db" --model "$dir/model.yaml" --urls http://127.0.0.1:5099 >"$dir/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do api_curl -s http://127.0.0.1:5099/api/timeline | grep -q '"changes":[1-9]' && break; sleep 1; done
python3 bench/freshness.py http://127.0.0.1:5099
bench/queries.sh http://127.0.0.1:5099 2026-01-05 2027-01-05 checkout storefront
echo "server resident memory: $(ps -o rss= -p $server) KiB"
