#!/bin/sh
# A throwaway PostgreSQL server for the tests.
#
#   pg_server.sh start STATE   initdb a temporary cluster, start it on a free
#                              port with its own socket folder, and write
#                              STATE/pg.env (PGHOST, PGPORT, PGUSER,
#                              PGDATABASE) for the tests to read
#   pg_server.sh stop STATE    stop it and remove everything it made
#   pg_server.sh kill STATE    immediate shutdown (like a crash; no checkpoint)
#   pg_server.sh restart STATE start it again on the same folder and port
#
# Run as root, the server runs as the `postgres` user (initdb refuses root);
# run as anyone else, it runs as that user. Any failure is loud (exit 1): a
# missing server is never a skipped test.
#
# The cluster's default collation is deliberately hostile: ICU "en-US" with
# punctuation ignorable (alternate=shifted), which orders "/1/5/" and "/1/50"
# the way glibc's en_US.UTF-8 does. Every PostgreSQL test then proves the
# library compares its keys byte-wise whatever the database's collation.
set -eu

die() {
    echo "pg_server.sh: $*" >&2
    exit 1
}

[ $# -eq 2 ] || die "usage: pg_server.sh start|stop|kill|restart STATE_FOLDER"
cmd=$1
state=$2

# The server programs: Debian keeps them under /usr/lib/postgresql/N/bin,
# which `pg_config --bindir` may not name (it describes the client package).
find_bin() {
    if [ -n "${BO_PG_BINDIR:-}" ] && [ -x "$BO_PG_BINDIR/initdb" ]; then
        echo "$BO_PG_BINDIR"
        return
    fi
    b=$(pg_config --bindir 2>/dev/null || true)
    if [ -n "$b" ] && [ -x "$b/initdb" ] && [ -x "$b/pg_ctl" ]; then
        echo "$b"
        return
    fi
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
            echo "$d"
            return
        fi
    done
    die "no PostgreSQL server programs (initdb, pg_ctl) found: install the" \
        "'postgresql' package or set BO_PG_BINDIR"
}

# Run a server program as the server's user.
as_server() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

check_user() {
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 ||
            die "running as root but there is no 'postgres' user to run the" \
                "server (initdb refuses root); install the 'postgresql' package"
        command -v runuser >/dev/null 2>&1 || die "runuser not found"
    fi
}

# A port nobody listens on now; the server's own bind decides in the end.
pick_port() {
    for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
        p=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000 ))
        if ! (command -v ss >/dev/null 2>&1 && ss -Hltn "sport = :$p" | grep -q .); then
            echo "$p"
            return
        fi
    done
    die "no free port found"
}

# BO_PG_FSYNC=on (benchmarks): fsync on and the data on disk, as a real
# server keeps it; the tests run with fsync off.
start_server() { # dir port
    nofsync=-F
    [ "${BO_PG_FSYNC:-off}" = on ] && nofsync=
    as_server "$BIN/pg_ctl" -D "$1/data" -l "$1/log" -w -t 60 -s \
        -o "-k $1 -c listen_addresses=127.0.0.1 -p $2 $nofsync -c max_connections=200 -c unix_socket_permissions=0777" \
        start
}

write_env() { # dir port
    {
        echo "PGHOST=$1"
        echo "PGPORT=$2"
        echo "PGUSER=test"
        echo "PGDATABASE=postgres"
    } >"$state/pg.env.tmp"
    mv "$state/pg.env.tmp" "$state/pg.env"
}

BIN=$(find_bin)

case "$cmd" in
start)
    check_user
    mkdir -p "$state"
    if [ -f "$state/dir" ]; then
        # A server left by an interrupted run: stop it first.
        "$0" stop "$state" || true
        mkdir -p "$state"
    fi
    # A short path: the socket path must fit in 107 bytes. In memory when
    # the machine has room there: the suite makes some 100,000 files (a
    # schema per test), which a disk takes a minute to delete.
    base=/tmp
    if [ "${BO_PG_FSYNC:-off}" != on ] && [ -d /dev/shm ] && [ -w /dev/shm ] &&
        [ "$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }')" -gt 4000000 ] 2>/dev/null; then
        base=/dev/shm
    fi
    dir=$(mktemp -d "$base/bo-pg.XXXXXX")
    echo "$dir" >"$state/dir"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres: "$dir"
    fi
    chmod 755 "$dir"
    as_server "$BIN/initdb" -D "$dir/data" -U test -A trust --no-sync \
        --no-instructions -E UTF8 --locale=C.UTF-8 --locale-provider=icu \
        --icu-locale=en-US-u-ka-shifted >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    tries=0
    while :; do
        port=$(pick_port)
        if start_server "$dir" "$port" 2>>"$dir/start.log"; then
            break
        fi
        tries=$((tries + 1))
        if [ $tries -ge 5 ]; then
            cat "$dir/log" "$dir/start.log" >&2 || true
            die "the server did not start (5 ports tried)"
        fi
    done
    echo "$port" >"$state/port"
    write_env "$dir" "$port"
    echo "pg_server.sh: PostgreSQL ($("$BIN/postgres" --version)) on 127.0.0.1:$port, socket in $dir"
    ;;
stop)
    [ -f "$state/dir" ] || die "no server recorded in $state"
    dir=$(cat "$state/dir")
    if [ -d "$dir/data" ]; then
        # the data is thrown away: no need for a shutdown checkpoint
        as_server "$BIN/pg_ctl" -D "$dir/data" -w -s -m immediate stop 2>/dev/null || true
    fi
    case "$dir" in
    /tmp/bo-pg.* | /dev/shm/bo-pg.*) rm -rf "$dir" ;;
    esac
    rm -f "$state/dir" "$state/port" "$state/pg.env"
    ;;
kill)
    [ -f "$state/dir" ] || die "no server recorded in $state"
    dir=$(cat "$state/dir")
    as_server "$BIN/pg_ctl" -D "$dir/data" -w -s -m immediate stop
    ;;
restart)
    [ -f "$state/dir" ] || die "no server recorded in $state"
    dir=$(cat "$state/dir")
    port=$(cat "$state/port")
    start_server "$dir" "$port" || { cat "$dir/log" >&2; die "restart failed"; }
    ;;
*)
    die "unknown command '$cmd'"
    ;;
esac
