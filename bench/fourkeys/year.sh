#!/usr/bin/env bash
# The Four Keys baseline of docs/benchmarks.md on the simulated year of bench/timeline-year.sh
# (/tmp/throughline-bench/year.db, year.jsonl, model.yaml; run that first if they are missing).
# Usage: bench/fourkeys/year.sh [sqlite|postgres|both]   (default both)
# SQLite: serves year.db, runs run.sh against it. PostgreSQL: starts a throwaway cluster in /tmp on a free
# port (C collation, so that the baseline's LIKE 'prefix%' can use the type index), ingests year.jsonl into database "bench", serves it, runs run.sh with FOURKEYS_PG, stops the cluster.
set -euo pipefail
cd "$(dirname "$0")/../.."
mode=${1:-both}
dir=${BENCH_DIR:-/tmp/throughline-bench}
T=src/Throughline/bin/Release/net10.0/throughline.dll
[ -f "$T" ] || dotnet build -c Release src/Throughline >/dev/null
source bench/api.sh
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
server=
pg_dir=
pg_bin=/usr/lib/postgresql/15/bin
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  [ -z "$server" ] || kill "$server" 2>/dev/null || true
  if [ -n "$pg_dir" ]; then as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$pg_dir"; fi
}
trap cleanup EXIT

serve_and_run() { # DB for serve, DB for run.sh, events stored (the timeline has loaded when it has read them all)
  local port; port=$(free_port)
  make_token "$1"
  dotnet $T serve --db "$1" --model "$dir/model.yaml" --urls "http://127.0.0.1:$port" >"$dir/fourkeys-serve.log" 2>&1 &
  server=$!
  local start=$SECONDS
  # Loaded: every stored event read, changes in the snapshot, and the status unchanged for 3 s.
  local last= same=0 status
  for _ in $(seq 1 600); do
    status=$(api_curl -sf "http://127.0.0.1:$port/api/timeline" || true)
    if [ -n "$status" ] && [ "$status" = "$last" ] && [ "$(jq -r '.eventsRead' <<<"$status")" -ge "$3" ] \
      && [ "$(jq -r '.changes' <<<"$status")" -gt 0 ]; then
      same=$((same + 1)); [ $same -ge 3 ] && break
    else
      same=0
    fi
    last=$status; sleep 1
  done
  echo "Throughline serve: timeline loaded after about $((SECONDS - start)) s"
  sleep 2 # let start-up settle
  bench/fourkeys/run.sh "$2" "http://127.0.0.1:$port"
  kill "$server"; wait "$server" 2>/dev/null || true; server=
}

if [ "$mode" != postgres ]; then
  echo "== SQLite ($dir/year.db)"
  serve_and_run "$dir/year.db" "$dir/year.db" "$(sqlite3 "$dir/year.db" 'SELECT COUNT(*) FROM events')"
fi

if [ "$mode" != sqlite ]; then
  pg_dir=$(mktemp -d /tmp/fourkeys-pg.XXXXXX); pg_port=$(free_port)
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$pg_dir"; fi
  chmod 700 "$pg_dir"
  as_postgres "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres --locale=C -E UTF8 >"$pg_dir/initdb.log" 2>&1
  as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
  echo "== PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port (fsync off: a throwaway cluster)"
  psql -X -q -h 127.0.0.1 -p "$pg_port" -U postgres -c 'CREATE DATABASE bench' postgres
  cs="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=bench"
  /usr/bin/time -f "ingest: %e s, %M KiB peak" dotnet $T ingest --db "$cs" "$dir/year.jsonl" 2>&1 | grep -v '^ingest: [0-9,]* of '
  psql -X -q -h 127.0.0.1 -p "$pg_port" -U postgres -c 'VACUUM ANALYZE events' bench
  stored=$(psql -X -qAt -h 127.0.0.1 -p "$pg_port" -U postgres -c 'SELECT COUNT(*) FROM events' bench)
  FOURKEYS_PG="host=127.0.0.1 port=$pg_port user=postgres dbname=bench" serve_and_run "$cs" - "$stored"
fi
