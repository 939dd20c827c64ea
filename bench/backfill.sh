#!/usr/bin/env bash
# B4, bulk backfill: `throughline ingest` of a simulated year. Prints wall time, peak resident memory and the
# database's size. Usage: bench/backfill.sh sqlite|postgres [10k|100k|1m]   (default 1m: about 1,000,000 changes)
# Files go to ${BENCH_DIR:-/tmp/throughline-bench}/SIZE/: the events (year.jsonl), the model, and the database:
# year.db for SQLite, pg/ (a PostgreSQL cluster, stopped at the end, reused by bench/query-matrix.sh) for PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
engine=${1:?usage: bench/backfill.sh sqlite|postgres [10k|100k|1m]}
size=${2:-1m}
case "$engine" in sqlite|postgres) ;; *) echo "unknown engine '$engine' (sqlite or postgres)" >&2; exit 2 ;; esac
dir=$(size_dir "$size")
build
simulate_year "$size"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "events file: $(wc -l < "$dir/year.jsonl") lines, $(du -hL "$dir/year.jsonl" | cut -f1)"
case "$engine" in
  sqlite)
    rm -f "$dir"/year.db*
    /usr/bin/time -f "ingest: %e s, %M KiB peak" dotnet $T ingest --db "$dir/year.db" "$dir/year.jsonl" 2>&1 | grep -v '^ingest: [0-9,]* of '
    echo "database: $(du -h "$dir/year.db" | cut -f1) ($(stat -c %s "$dir/year.db") bytes)"
    ;;
  postgres)
    pg_stop "$dir/pg"; rm -rf "$dir/pg"
    trap 'cleanup; pg_stop "$dir/pg"' EXIT
    pg_start "$dir/pg"
    echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}'), default durability (fsync on, synchronous_commit on)"
    /usr/bin/time -f "ingest: %e s, %M KiB peak" dotnet $T ingest --db "$PG_URI" "$dir/year.jsonl" 2>&1 | grep -v '^ingest: [0-9,]* of '
    echo "database: $(pg_size)"
    ;;
  *) echo "unknown engine '$engine' (sqlite or postgres)" >&2; exit 2 ;;
esac
