#!/usr/bin/env bash
# Start (or stop) a throwaway PostgreSQL server for the tests, on 127.0.0.1:${PGPORT:-54329}.
#   .ci/postgres.sh start   -> prints the SQLAlchemy URL to use as TEST_POSTGRES_URL
#   .ci/postgres.sh stop
# Uses Debian's postgresql binaries (installed by .ci/run). PostgreSQL refuses to run
# as root, so as root the server runs as the `postgres` user the package creates.
set -euo pipefail
port="${PGPORT:-54329}"
dir="${PGTEST_DIR:-/tmp/scorecard-pgtest-$port}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -n "$bin" ] && [ -x "$bin/pg_ctl" ] || { echo "no PostgreSQL server binaries (apt-get install postgresql)" >&2; exit 3; }

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-start}" in
  start)
    if ! as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
      rm -rf "$dir"; mkdir -p "$dir"
      [ "$(id -u)" = 0 ] && chown postgres "$dir"
      as_owner "$bin/initdb" -D "$dir" -U scorecard --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
      as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off" start >/dev/null
      as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U scorecard scorecard_test
    fi
    echo "postgresql+psycopg://scorecard@127.0.0.1:$port/scorecard_test"
    ;;
  stop)
    as_owner "$bin/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
