#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on loopback for the test suite; prints its URL on stdout.
# Usage: url=$(scripts/pg-test-server.sh start DIR)   ...   scripts/pg-test-server.sh stop DIR
# Installs Debian's postgresql package first when it is missing and we are root (CI machines).
set -euo pipefail
action=${1:?start|stop}
dir=${2:?data directory}

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
as_owner() {  # PostgreSQL refuses to run as root
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

bin=$(find_bin)
if [ "$action" = stop ]; then
    [ -n "$bin" ] && [ -f "$dir/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null
    exit 0
fi

if [ -z "$bin" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "installing Debian's postgresql package…" >&2
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2
        bin=$(find_bin)
    fi
    [ -n "$bin" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
fi

mkdir -p "$dir"
[ "$(id -u)" = 0 ] && chown postgres "$dir"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres --encoding UTF8 >/dev/null
as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null
echo "postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
