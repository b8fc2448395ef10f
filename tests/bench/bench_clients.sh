#!/bin/sh
# Postings per second with 1, 4 and 8 clients on PostgreSQL (a throwaway
# server, as the tests start it, but with fsync on and its data on disk)
# next to plain libpq doing the same writes, and on SQLite, in the same run.
#   sh tests/bench/bench_clients.sh BUILD_DIR [ENTRIES] [REPEAT]
set -eu
BUILD=$1
N=${2:-500}
R=${3:-3}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
STATE=$(mktemp -d "${TMPDIR:-/tmp}/bo-bench-pg-XXXXXX")
trap 'sh "$SRC/tests/postgres/pg_server.sh" stop "$STATE" >/dev/null 2>&1 || true; rm -rf "$STATE"' EXIT
BO_PG_FSYNC=on sh "$SRC/tests/postgres/pg_server.sh" start "$STATE" >/dev/null
set -a
. "$STATE/pg.env"
set +a
echo "machine: nproc $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
"$BUILD/tests/bench/bench_clients" --uri "postgresql:///bo_bench" --entries "$N" --repeat "$R"
"$BUILD/tests/bench/bench_clients" --uri "sqlite:$STATE/bench.db" --entries "$N" --repeat "$R"
# One client, batches of 1,000: PostgreSQL (writes sent ahead, and one
# round trip per statement) against SQLite on the same journal.
"$BUILD/tests/bench/bench_clients" --uri "postgresql:///bo_bench" --sqlite "sqlite:$STATE/batched.db" --batched $((N * 10)) --repeat "$R"
