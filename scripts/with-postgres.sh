#!/bin/sh
# Runs a command against a throwaway PostgreSQL server on loopback, then stops it.
# The server runs as a non-root user in a temporary directory; LND_TEST_DATABASE_URL points at it.
set -eu
BIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")
DIR=$(mktemp -d /tmp/lnd-pg.XXXXXX)
PORT=${LND_PG_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')}
AS=""
if [ "$(id -u)" -eq 0 ]; then
  id lndtest >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin lndtest
  chown lndtest "$DIR"
  AS="runuser -u lndtest --"
fi
cleanup() {
  $AS "$BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT INT TERM
$AS "$BIN/initdb" -D "$DIR/data" -U lnd --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
$AS "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c full_page_writes=off -c synchronous_commit=off" start >/dev/null
$AS "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U lnd lnd_test
echo "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"
export LND_TEST_DATABASE_URL="postgresql://lnd@127.0.0.1:$PORT/lnd_test"
"$@"
