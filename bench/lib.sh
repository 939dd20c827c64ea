# Shared by bench/b1.sh, b2.sh and b3.sh (source it): build, the 10,000-change dataset, a server on loopback, a throwaway
# PostgreSQL cluster. Files go to ${BENCH_DIR:-/tmp/throughline-bench}.
dir=${BENCH_DIR:-/tmp/throughline-bench}
mkdir -p "$dir"
T=src/Throughline/bin/Release/net10.0/throughline.dll
B=bench/Throughline.Bench/bin/Release/net10.0/throughline-bench.dll
server=
pg_dir=
pg_port=
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

build() { dotnet build -c Release src/Throughline >/dev/null && dotnet build -c Release bench/Throughline.Bench >/dev/null; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

# The 10,000-change dataset (the organisation of PerformanceSmokeTests: about 10,000 changes, 100,000 events) and its model.
dataset() {
  data=$dir/b10k.jsonl model=$dir/b10k-model.yaml
  [ -f "$data" ] && [ -f "$model" ] || dotnet $T simulate --seed 9 --days 100 --changes-per-day 140 --services 12 --teams 8 \
    --out "$data" --model-out "$model" 2>/dev/null
}

# start_server DB: serve DB with the dataset's model on a free port; sets $url.
start_server() {
  local port; port=$(free_port)
  url=http://127.0.0.1:$port
  dotnet $T serve --db "$1" --model "$model" --urls "$url" >"$dir/bench-serve.log" 2>&1 &
  server=$!
  for _ in $(seq 1 120); do curl -sf "$url/healthz" >/dev/null && return; sleep 0.5; done
  echo "the server did not start; see $dir/bench-serve.log" >&2; return 1
}

stop_server() { [ -z "$server" ] || { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; server=; }; }

# wait_loaded N: until the server's timeline has read N events (start-up reads the whole store).
wait_loaded() {
  for _ in $(seq 1 600); do
    [ "$(curl -s "$url/api/timeline" | jq -r '.eventsRead // 0')" -ge "$1" ] && return; sleep 0.5
  done
  echo "the timeline did not read $1 events in 5 minutes" >&2; return 1
}

as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# A throwaway PostgreSQL cluster in /tmp on a free port, as bench/fourkeys/year.sh starts one, but with the default
# durability (fsync and synchronous_commit on): B2 times acknowledged, durable writes. Sets $pg_port.
start_postgres() {
  pg_dir=$(mktemp -d /tmp/throughline-bench-pg.XXXXXX); pg_port=$(free_port)
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$pg_dir"; fi
  chmod 700 "$pg_dir"
  as_postgres "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres --locale=C -E UTF8 >"$pg_dir/initdb.log" 2>&1
  as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir" start >/dev/null
  echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port (throwaway cluster, default durability)"
}

stop_postgres() {
  [ -z "$pg_dir" ] || { as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$pg_dir"; pg_dir=; }
}

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

cleanup() { stop_server; stop_postgres; rm -f "$dir"/bench_*.db "$dir"/bench_*.db-wal "$dir"/bench_*.db-shm; }
trap cleanup EXIT
