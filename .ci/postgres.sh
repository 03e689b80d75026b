#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server on loopback for the store's PostgreSQL
# tests, installing Debian's `postgresql` package first when no server binaries
# are found. Usage: `eval "$(.ci/postgres.sh start DIR)"` exports
# PULSE_TEST_POSTGRES; `.ci/postgres.sh stop DIR` stops it. Prints a reason and
# exports nothing when no server can be started (the tests then skip).
set -uo pipefail
cmd=${1:-}
dir=${2:-}
port=${PULSE_PG_PORT:-54329}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
    echo "usage: $0 start|stop DIR" >&2
    exit 2
fi
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
as_owner() {
    # PostgreSQL refuses to run as root: run it as the `postgres` user then
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
start)
    if [ -z "$bin" ] && [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
        echo "installing Debian's postgresql package" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql > /dev/null 2>&1 ||
            { apt-get update -q > /dev/null 2>&1 &&
              DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql > /dev/null 2>&1; }
        bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    fi
    if [ -z "$bin" ]; then
        echo "echo 'no PostgreSQL server binaries (Debian package postgresql); its tests will skip' >&2"
        exit 0
    fi
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    if ! as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C > "$dir/initdb.log" 2>&1; then
        echo "echo 'initdb failed (see $dir/initdb.log); PostgreSQL tests will skip' >&2"
        exit 0
    fi
    if ! as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start > /dev/null 2>&1; then
        echo "echo 'PostgreSQL did not start (see $dir/server.log); its tests will skip' >&2"
        exit 0
    fi
    echo "export PULSE_TEST_POSTGRES=postgres://postgres@127.0.0.1:$port/postgres"
    ;;
stop)
    [ -n "$bin" ] && [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast stop > /dev/null 2>&1
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
