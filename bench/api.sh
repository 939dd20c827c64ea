# The server's API for the bench scripts (sourced by lib.sh, queries.sh, timeline-year.sh and the fourkeys scripts). Every
# endpoint but /healthz and /healthz/live wants "Authorization: Bearer TOKEN". make_token makes an admin token for a database and exports it
# as THROUGHLINE_TOKEN, the variable `throughline emit`, throughline-bench and the Python scripts read; api_curl is curl
# with it. Against a server started by hand: export THROUGHLINE_TOKEN=$(throughline token create --db DB --role admin).

# make_token DB: a new admin token for DB (a SQLite file or a PostgreSQL connection string; created and migrated when
# new), made with `throughline token create` by ${T:-the Release build}, exported as THROUGHLINE_TOKEN. It expires after
# a day, so that the years kept in $BENCH_DIR do not gather working admin tokens.
make_token() {
  local log; log=$(mktemp)
  THROUGHLINE_TOKEN=$(dotnet "${T:-src/Throughline/bin/Release/net10.0/throughline.dll}" token create --db "$1" --role admin \
    --name bench --expires 1d 2>"$log") || { cat "$log" >&2; rm -f "$log"; return 1; }
  rm -f "$log"
  export THROUGHLINE_TOKEN
}

# api_curl CURL-ARGUMENTS...: curl with the token of THROUGHLINE_TOKEN, given as a header file from a pipe so that it
# stays out of the process list. curl reads it before the transfer starts: it is not in -w '%{time_total}'.
api_curl() {
  [ -n "${THROUGHLINE_TOKEN:-}" ] || { echo "api_curl: set THROUGHLINE_TOKEN (throughline token create --db DB --role admin)" >&2; return 2; }
  curl -H @<(printf 'Authorization: Bearer %s\n' "$THROUGHLINE_TOKEN") "$@"
}
