#!/usr/bin/env bash
# Runs every test on a fresh machine: installs what the tests need (Debian's postgresql, chromium and prometheus for promtool),
# starts a throwaway PostgreSQL on 127.0.0.1, runs the whole suite against SQLite and PostgreSQL,
# stops PostgreSQL, and ends with the line "N passed, N failed, N skipped". Exit code: dotnet test's.
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 NUGET_CERT_REVOCATION_MODE=offline
export MSBUILDDISABLENODEREUSE=1 UseSharedCompilation=false

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]} from Debian's archive"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
pg_dir=$(mktemp -d /tmp/throughline-pg.XXXXXX)
pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null || echo $((20000 + RANDOM % 20000)))
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" -eq 0 ]; then chown postgres "$pg_dir"; fi
chmod 700 "$pg_dir"

stop_postgres() {
  as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap stop_postgres EXIT

as_postgres "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres >"$pg_dir/initdb.log" 2>&1 \
  || { cat "$pg_dir/initdb.log"; exit 1; }
as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null || { cat "$pg_dir/server.log"; exit 1; }
echo "test.sh: PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port"

export THROUGHLINE_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres"
# The suite treats a missing PostgreSQL, Chromium or promtool as a failure, never a skip, when this is set.
export THROUGHLINE_TEST_REQUIRE_ALL=1

# The code style the team agreed on (.editorconfig) is part of the build's bar.
dotnet format --verify-no-changes || { echo "test.sh: dotnet format found code to reformat: run 'dotnet format'"; echo "0 passed, 1 failed"; exit 1; }

log="$pg_dir/test.log"
set +e
dotnet test 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

summary=$(awk '/Test run summary/ {on=1} on && /succeeded:/ {p+=$2} on && /failed:/ {f+=$2} on && /skipped:/ {s+=$2} END {printf "%d passed, %d failed, %d skipped", p, f, s}' "$log")
echo "$summary"
exit "$status"
