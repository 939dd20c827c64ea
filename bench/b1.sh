#!/usr/bin/env bash
# B1, in-process ingest hot paths (BenchmarkDotNet, 10,000 simulated events per operation): parse; parse + store in a
# fresh SQLite file in batches of 1,000; parse + store + timeline catch-up after each batch. Prints time and bytes
# allocated per event, and events/s. Reports go to ${BENCH_DIR:-/tmp/throughline-bench}/b1/results.
# Usage: bench/b1.sh [--quick] [BenchmarkDotNet arguments, e.g. --filter '*Store*']   (--quick: about 30 s; full: minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${BENCH_DIR:-/tmp/throughline-bench}
dotnet build -c Release bench/Throughline.Bench >/dev/null
dotnet bench/Throughline.Bench/bin/Release/net10.0/throughline-bench.dll b1 --artifacts "$dir/b1" "$@"
