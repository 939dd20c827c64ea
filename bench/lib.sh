# Shared by the bench scripts (source it): the Release build, the datasets, a server on loopback, throwaway PostgreSQL
# clusters. Files go to ${BENCH_DIR:-/tmp/throughline-bench}. THROUGHLINE_DLL=PATH runs an already built throughline.dll
# (and skips the build), for example one built with `dotnet build -c Release src/Throughline -o DIR`.
# SERVE_ARGS="..." is passed to every `serve` the scripts start, for example SERVE_ARGS="--timeline-cache 0".
# Each server is asked with a token: start_server makes one (make_token, bench/api.sh) and api_curl sends it.
dir=${BENCH_DIR:-/tmp/throughline-bench}
mkdir -p "$dir"
T=${THROUGHLINE_DLL:-src/Throughline/bin/Release/net10.0/throughline.dll}
B=bench/Throughline.Bench/bin/Release/net10.0/throughline-bench.dll
server=
pg_dir=
pg_port=
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
source bench/api.sh

build() { [ -n "${THROUGHLINE_DLL:-}" ] || dotnet build -c Release src/Throughline >/dev/null; dotnet build -c Release bench/Throughline.Bench >/dev/null; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

# The 10,000-change dataset (the organisation of PerformanceSmokeTests: about 10,000 changes, 100,000 events) and its model.
dataset() {
  data=$dir/b10k.jsonl model=$dir/b10k-model.yaml
  [ -f "$data" ] && [ -f "$model" ] || dotnet $T simulate --seed 9 --days 100 --changes-per-day 140 --services 12 --teams 8 \
    --out "$data" --model-out "$model" 2>/dev/null
}

# start_server DB [LOG]: makes an admin token for DB (exported as THROUGHLINE_TOKEN), then serves DB with $model on a
# free port, its output in LOG (default $dir/bench-serve.log); sets $url, and $served_at ($SECONDS when serve started).
start_server() {
  local port log=${2:-$dir/bench-serve.log}; port=$(free_port)
  url=http://127.0.0.1:$port
  make_token "$1"
  served_at=$SECONDS
  dotnet $T serve --db "$1" --model "$model" --urls "$url" ${SERVE_ARGS:-} >"$log" 2>&1 &
  server=$!
  # /healthz/live: the process answers. /healthz (ready) waits for the timeline to load; wait_loaded follows that.
  for _ in $(seq 1 120); do curl -sf "$url/healthz/live" >/dev/null && return; sleep 0.5; done
  echo "the server did not start; see $log" >&2; return 1
}

stop_server() { [ -z "$server" ] || { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; server=; }; }

# wait_loaded N [URL]: until the server's timeline has read N stored events, built its snapshot from them, and its status
# has stayed put for 3 s. Start-up reads the whole store: up to 30 minutes.
wait_loaded() {
  local last= same=0 status
  for _ in $(seq 1 1800); do
    status=$(api_curl -s -w '\n%{http_code}' "${2:-$url}/api/timeline" || true)
    case ${status##*$'\n'} in
      200) status=${status%$'\n'*} ;;
      401|403) echo "GET /api/timeline refused the token: ${status%$'\n'*}" >&2; return 1 ;;
      *) status= ;; # not listening yet, or 503 while the timeline loads
    esac
    # updatedAt is set once a snapshot has been built from what was read: reading ends before the build does.
    if [ -n "$status" ] && [ "$status" = "$last" ] && [ "$(jq -r '.eventsRead // 0' <<<"$status")" -ge "$1" ] \
      && [ "$(jq -r '.updatedAt // empty' <<<"$status")" != "" ] && [ "$(jq -r '.changes' <<<"$status")" -gt 0 ]; then
      same=$((same + 1)); [ $same -ge 3 ] && return 0
    else
      same=0
    fi
    last=$status; sleep 1
  done
  echo "the timeline did not read $1 events in 30 minutes" >&2; return 1
}

as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# A throwaway PostgreSQL cluster in /tmp on a free port (pg_start below, with PostgreSQL's own settings and the default
# durability: fsync and synchronous_commit on): B2 times acknowledged, durable writes. Sets $pg_dir and $pg_port.
start_postgres() {
  pg_dir=$(mktemp -d /tmp/throughline-bench-pg.XXXXXX)
  pg_start "$pg_dir" ""
  pg_port=$PG_PORT
  echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port (throwaway cluster, default durability)"
}

stop_postgres() { [ -z "$pg_dir" ] || { pg_stop "$pg_dir"; rm -rf "$pg_dir"; pg_dir=; }; }

# fresh_database NAME: a new, empty database; prints its connection string (SQLite: a new file).
fresh_database() {
  if [ -n "$pg_dir" ]; then
    psql -X -q -h 127.0.0.1 -p "$pg_port" -U postgres -c "CREATE DATABASE $1" postgres
    echo "Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=$1"
  else
    rm -f "$dir/$1.db" "$dir/$1.db-wal" "$dir/$1.db-shm"
    echo "$dir/$1.db"
  fi
}

# pg_start DIR [SETTINGS]: starts the cluster kept in DIR (creating it, with a database "bench", when missing; default
# durability: fsync on) on a free port; sets PG_PORT and PG_URI (for database "bench"). SETTINGS are extra server
# options, by default "-c shared_buffers=512MB" (the simulated years of B4 and B5).
pg_start() {
  local dir=$1 settings=${2--c shared_buffers=512MB}
  [ -n "$pg_bin" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; return 1; }
  if [ ! -d "$dir/data" ]; then
    mkdir -p "$dir"; [ "$(id -u)" -ne 0 ] || chown postgres "$dir"; chmod 700 "$dir"
    as_postgres "$pg_bin/initdb" -D "$dir/data" -A trust -U postgres --locale=C -E UTF8 >"$dir/initdb.log" 2>&1
    local fresh=1
  fi
  PG_PORT=$(free_port)
  as_postgres "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $dir $settings" start >/dev/null
  [ -z "${fresh:-}" ] || psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c 'CREATE DATABASE bench' postgres
  PG_URI="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=bench"
}

pg_stop() { as_postgres "$pg_bin/pg_ctl" -D "$1/data" -m fast stop >/dev/null 2>&1 || true; }

pg_size() { psql -X -A -t -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "SELECT pg_size_pretty(pg_database_size('bench'))" bench; }

# size_dir SIZE: where the files of a simulated year of SIZE (10k, 100k or 1m changes) live.
size_dir() {
  case "$1" in 10k|100k|1m) echo "${BENCH_DIR:-/tmp/throughline-bench}/$1" ;; *) echo "unknown size '$1' (10k, 100k or 1m)" >&2; return 2 ;; esac
}

# simulate_year SIZE: a year of about 10,000, 100,000 or 1,000,000 changes (year.jsonl, model.yaml), once.
simulate_year() {
  local dir; dir=$(size_dir "$1"); mkdir -p "$dir"
  [ ! -f "$dir/year.jsonl" ] || return 0
  local shape
  case "$1" in 10k) shape="37 6 12" ;; 100k) shape="370 12 40" ;; 1m) shape="3700 40 150" ;; esac
  set -- $shape
  /usr/bin/time -f "simulate: %e s, %M KiB peak" dotnet $T simulate --days 365 --changes-per-day "$1" --teams "$2" --services "$3" \
    --out "$dir/year.jsonl" --model-out "$dir/model.yaml" 2>&1 | grep -v '^simulate: day'
}

# first_service MODEL: prints the model's first service, the team owning it and its first repository.
first_service() {
  python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
block = text[text.index("\nservices:"):]
service = re.search(r"- id: (\S+)", block).group(1)
owner = re.search(r"owner: (\S+)", block).group(1)
repository = re.search(r"repositories: \[?\s*-?\s*([\w./-]+)", block).group(1)
print(service, owner, repository)
PY
}

# open_year ENGINE SIZE: the database of a simulated year written by bench/backfill.sh; sets db, model and stored (events
# in it), and starts the year's PostgreSQL cluster when ENGINE is postgres (stopped by cleanup).
open_year() {
  year_dir=$(size_dir "$2"); model=$year_dir/model.yaml
  case "$1" in
    sqlite) [ -f "$year_dir/year.db" ] || { echo "no $year_dir/year.db: run bench/backfill.sh sqlite $2 first" >&2; return 1; }
            db=$year_dir/year.db; stored=$(sqlite3 "$db" 'SELECT MAX(seq) FROM events') ;;
    postgres) [ -d "$year_dir/pg/data" ] || { echo "no $year_dir/pg: run bench/backfill.sh postgres $2 first" >&2; return 1; }
            pg_start "$year_dir/pg"; year_pg=$year_dir/pg; db=$PG_URI
            stored=$(psql -X -A -t -h 127.0.0.1 -p "$PG_PORT" -U postgres -c 'SELECT COUNT(*) FROM events' bench) ;;
    *) echo "unknown engine '$1' (sqlite or postgres)" >&2; return 2 ;;
  esac
}

cleanup() { stop_server; [ -z "${year_pg:-}" ] || pg_stop "$year_pg"; stop_postgres; rm -f "$dir"/bench_*.db "$dir"/bench_*.db-wal "$dir"/bench_*.db-shm; }
trap cleanup EXIT
