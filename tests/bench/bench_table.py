#!/usr/bin/env python3
"""The throughput table (`make bench`): run the benchmarks, collect the ROW
lines they print and show each row's figure before this work ("today", from
the issue that set the goals) beside the new one, in one run.

    bench_table.py [--build build/default] [--only ID,..] [--quick]
                   [--rows FILE ...] [--log FILE]

A benchmark prints `ROW <id> ours=<rate> plain=<rate> ratio=<ours/plain>
unit=<unit>` per measured row. A program that is missing, fails or prints no
ROW line for a row leaves it "-" (and says why on stderr); --rows adds ROW
lines read from files (a run made elsewhere). --quick runs smaller sizes.
"""
import argparse
import os
import re
import subprocess
import sys
import time

# id, what it measures, today's figures (ours, plain, ratio) as the issue
# measured them. The plain program of the ledger rows then kept no balances
# and wrote no audit record; bench_ledger's floor now writes the same rows
# as the library, so today's and the new ratios are not the same measure.
ROWS = [
    ("ledger.c.batched", "C posting, batches of 1,000, sync FULL", "53-62k", "193-235k", "0.22-0.31"),
    ("ledger.c.single", "C posting, one commit each, NORMAL", "8.5k", "22.4k", "0.38"),
    ("ledger.py.batched", "Python posting, batches of 1,000, NORMAL (plain: C)", "40.7k", "339k", "0.12"),
    ("ledger.py.single", "Python posting, one commit each, NORMAL (plain: C)", "7.0k", "33.7k", "0.21"),
    ("pg.clients.1", "PostgreSQL, fsync on, 1 client", "1,099", "1,315", "0.84"),
    ("pg.clients.4", "PostgreSQL, fsync on, 4 clients", "1,147", "3,507", "0.33"),
    ("pg.clients.8", "PostgreSQL, fsync on, 8 clients", "1,462", "4,040", "0.36"),
    ("pg.batched", "PostgreSQL, 1 client, post_many of 1,000 (plain: SQLite)", "1.5k", "20k", "0.08"),
    ("sqlite.procs.1", "SQLite, 1 process, NORMAL", "10.6k", "-", "1.00"),
    ("sqlite.procs.8", "SQLite, 8 processes, NORMAL (ratio: to 1)", "5.4k", "-", "0.51"),
    ("sale.single", "a sale, one commit each", "1,919", "3,858", "0.50"),
    ("documents.ingest", "document ingest, MB/s (plain: sha256sum)", "118", "213", "0.55"),
    ("export.1000000", "export, 10^6 entries, rows per CPU second", "-", "-", "-"),
    ("import.1000000", "import + full verify, 10^6 entries, rows per CPU s", "-", "-", "-"),
]

ROW_RE = re.compile(r"^ROW (\S+) ours=(\S+) plain=(\S+) ratio=(\S+) unit=(\S+)")


def programs(build, quick):
    """(name, command, ids it should print) in the order they run."""
    bench = os.path.join(build, "tests", "bench")
    here = os.path.dirname(os.path.abspath(__file__))
    # Entries reach the book in date order with several processes as with
    # one (--procs-dates commit): the 8-process row then does the same work
    # as the 1-process row (docs/performance.md, "Eight SQLite processes").
    ledger = [os.path.join(bench, "bench_ledger"), "--procs-dates", "commit"]
    py = [sys.executable, os.path.join(here, "bench_ledger.py"), "--build", build]
    if quick:
        ledger += ["--sizes", "10000", "--repeat", "1", "--lookups", "0",
                   "--procs-entries", "2000"]
        py += ["--sizes", "10000", "--repeat", "1", "--single-max", "10000"]
    else:
        py += ["--sizes", "10000,100000"]
    return [
        ("bench_ledger", ledger, ["ledger.c.batched", "ledger.c.single", "sqlite.procs.1",
                                  "sqlite.procs.8"]),
        ("bench_ledger.py", py, ["ledger.py.batched", "ledger.py.single"]),
        ("bench_clients.sh", ["sh", os.path.join(here, "bench_clients.sh"), build,
                              "100" if quick else "300"],
         ["pg.clients.1", "pg.clients.4", "pg.clients.8", "pg.batched"]),
        ("bench_inventory", [os.path.join(bench, "bench_inventory")] +
         (["--sales", "300", "--repeat", "1"] if quick else ["--sales", "3000", "--repeat", "3"]),
         ["sale.single"]),
        ("bench_documents", [os.path.join(bench, "bench_documents"), "--quick"],
         ["documents.ingest"]),
        ("bench_export", [os.path.join(bench, "bench_export"), "--repeat", "1", "--sizes",
                          "10000" if quick else "1000000"],
         ["export.1000000", "import.1000000"]),
    ]


def run(name, cmd, log):
    exe = cmd[0] if cmd[0] not in ("sh", sys.executable) else cmd[1]
    if not os.path.exists(exe):
        sys.stderr.write("bench_table: %s: not built or not present, its rows stay empty\n" % name)
        return []
    sys.stderr.write("bench_table: running %s\n" % " ".join(cmd))
    t0 = time.time()
    p = subprocess.run(cmd, capture_output=True, text=True)
    if log:
        log.write("$ %s\n%s%s\n" % (" ".join(cmd), p.stdout, p.stderr))
        log.flush()
    if p.returncode != 0:
        sys.stderr.write("bench_table: %s exited with %d after %.0f s\n"
                         % (name, p.returncode, time.time() - t0))
    return p.stdout.splitlines()


def fmt(v):
    try:
        x = float(v)
    except ValueError:
        return v
    return "%.2f" % x if x < 10 else "{:,.0f}".format(x)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build/default")
    ap.add_argument("--only", help="run only the programs printing these ids")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--rows", nargs="*", default=[], help="files with ROW lines")
    ap.add_argument("--log", help="write every program's whole output here")
    args = ap.parse_args()
    only = set(args.only.split(",")) if args.only else None
    log = open(args.log, "w") if args.log else None
    found = {}
    lines = []
    for f in args.rows:
        with open(f) as fh:
            lines += fh.read().splitlines()
    for line in lines:
        m = ROW_RE.match(line)
        if m:
            found[m.group(1)] = m.groups()[1:]
    for name, cmd, ids in programs(args.build, args.quick):
        if only is not None and not only.intersection(ids):
            continue
        if all(i in found for i in ids):
            continue
        for line in run(name, cmd, log):
            m = ROW_RE.match(line)
            # A row is the figure of the program that owns it; another
            # program's line of the same id (bench_clients' SQLite side
            # prints sqlite.procs.N) fills it only when nothing else does.
            if m and (m.group(1) in ids or m.group(1) not in found):
                found[m.group(1)] = m.groups()[1:]
    print("%-18s %-55s %21s %21s" % ("row", "work", "today ours/plain ratio",
                                     "new ours/plain ratio"))
    for rid, what, t_ours, t_plain, t_ratio in ROWS:
        if only is not None and rid not in only:
            continue
        new = "-"
        got = rid
        if got not in found:
            # A row of a size (export.1000000) measured at another size
            # (--quick: export.10000) is shown with that size.
            base = rid.rsplit(".", 1)
            other = [k for k in found if base[1].isdigit() and k.rsplit(".", 1)[0] == base[0]
                     and k.rsplit(".", 1)[1].isdigit()]
            got = other[0] if other else rid
        if got in found:
            ours, plain, ratio, unit = found[got]
            new = "%s / %s  %s" % (fmt(ours), fmt(plain), fmt(ratio))
            if got != rid:
                new = "(%s) %s" % (got.rsplit(".", 1)[1], new)
        print("%-18s %-55s %21s %21s" % (rid, what, "%s / %s  %s" % (t_ours, t_plain, t_ratio),
                                         new))
    print("(today: the issue's figures; the ledger rows' plain program then kept no "
          "balances and wrote no audit record, now it writes the same rows as the library)")


if __name__ == "__main__":
    main()
