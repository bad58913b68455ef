#!/usr/bin/env bash
# Runs @atoma/server's test suite against a real PostgreSQL server instead of PGlite: a
# throwaway cluster in a temporary directory, on a free loopback port, stopped and removed on
# exit. Debian's postgresql package is installed with apt-get when it is missing (root only).
# Extra arguments go to vitest, e.g. `bash scripts/test-postgres.sh test/writes.test.ts`.
set -euo pipefail
cd "$(dirname "$0")/.."

pg_bin() {
  local dirs=(/usr/lib/postgresql/*/bin)
  [ -x "${dirs[-1]}/initdb" ] && printf '%s\n' "${dirs[@]}" | sort -V | tail -n 1
}

BIN="$(pg_bin || true)"
if [ -z "$BIN" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    cat >&2 <<'MSG'
PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb) and this script is not running
as root, so it cannot install it. Either install Debian's package yourself:
  sudo apt-get update && sudo apt-get install -y postgresql
and run this script again (as your own user: the cluster then belongs to you), or point the suite
at a database you already have (each test file works in a schema of its own and drops it):
  ATOMA_TEST_DATABASE_URL=postgres://user:password@host:5432/db npx vitest run --project server
MSG
    exit 1
  fi
  echo "Installing Debian's postgresql (needed for the PostgreSQL run of the server tests)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
  BIN="$(pg_bin)"
fi

# initdb refuses to run as root: as root, the cluster belongs to the postgres user the package created.
AS_OWNER=()
if [ "$(id -u)" -eq 0 ]; then AS_OWNER=(runuser -u postgres --); fi

DIR="$(mktemp -d "${TMPDIR:-/tmp}/atoma-postgres.XXXXXX")"
if [ "$(id -u)" -eq 0 ]; then chown postgres: "$DIR"; fi
cleanup() {
  "${AS_OWNER[@]}" "$BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT

PORT="$(node -e "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close() })")"

# ICU collation as the database default, so any string comparison lacking COLLATE "C" would
# sort by locale and fail the ordering tests instead of passing by accident.
"${AS_OWNER[@]}" "$BIN/initdb" -D "$DIR/data" -U atoma --auth=trust --encoding=UTF8 \
  --locale=C.UTF-8 --locale-provider=icu --icu-locale=en >/dev/null
"${AS_OWNER[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
  -o "-p $PORT -c listen_addresses=127.0.0.1 -k $DIR -c fsync=off" start >/dev/null
"$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U atoma atoma

echo "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT (cluster in $DIR)"
ATOMA_TEST_DATABASE_URL="postgres://atoma@127.0.0.1:$PORT/atoma" npx vitest run --project server "$@"
