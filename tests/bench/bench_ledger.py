#!/usr/bin/env python3
"""Ledger benchmark through the Python module, beside the C one.

    bench_ledger.py --build build/default [--sizes 10000,100000] [--repeat 3]
                    [--batch 1000] [--dir DIR]

Posts the journal bench_ledger.c posts (the same entries: the generator is
ported below) through the Python module at synchronous=NORMAL:

  batched  book.ledger.post_many() with --batch entries per call, one
           transaction each
  single   book.ledger.post_many() with one entry per call, one commit each

and, in the same run, bench_ledger (--side lib, the C API) on the same
journal with the same settings. Each run is a process of its own (its peak
RSS is its own); medians of --repeat runs. Prints the table and one ROW line
per row: ROW ledger.py.batched / ledger.py.single, ours = Python, plain = C.
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

M64 = (1 << 64) - 1

CHART = [
    ("1000", "Cash", "asset", None), ("1010", "Cash: till 1", "asset", "1000"),
    ("1020", "Cash: till 2", "asset", "1000"), ("1100", "Bank", "asset", None),
    ("1200", "Receivables", "asset", None), ("1300", "Inventory", "asset", None),
    ("1500", "Equipment", "asset", None), ("2000", "Payables", "liability", None),
    ("2100", "Sales tax", "liability", None), ("2200", "Wages payable", "liability", None),
    ("3000", "Equity", "equity", None), ("3100", "Retained earnings", "equity", None),
    ("4000", "Sales", "income", None), ("4010", "Sales: online", "income", "4000"),
    ("4100", "Services", "income", None), ("5000", "Cost of goods", "expense", None),
    ("5100", "Wages", "expense", None), ("5200", "Rent", "expense", None),
    ("5300", "Utilities", "expense", None), ("5400", "Bank fees", "expense", None),
]
CODES = [c[0] for c in CHART]


def mix(x):
    x = (x + 0x9e3779b97f4a7c15) & M64
    x = ((x ^ (x >> 30)) * 0xbf58476d1ce4e5b9) & M64
    x = ((x ^ (x >> 27)) * 0x94d049bb133111eb) & M64
    return x ^ (x >> 31)


def gen(seed, i, total, jan1):
    """Entry i of total, as bench_ledger.c's gen(): (date, memo, key, postings)."""
    s = mix(seed ^ mix(i))
    n = 2 + s % 3
    accounts, amounts, total_sum = [], [], 0
    for k in range(n):
        s = mix(s)
        accounts.append(s % len(CODES))
        if k < n - 1:
            v = 1 + (s >> 8) % 10000000
            if (s >> 40) & 1:
                v = -v
            amounts.append(v)
            total_sum += v
    if total_sum == 0:
        amounts[0] += 1 if amounts[0] > 0 else -1
        total_sum += 1 if amounts[0] > 0 else -1
    amounts.append(-total_sum)
    date = jan1 + i * 365 // total
    return (date, "bench", "e%d" % i,
            [(CODES[a], v) for a, v in zip(accounts, amounts)])


def run_child(build, path, n, mode, batch, seed):
    """One run, in this process: entries per second."""
    sys.path.insert(0, os.path.join(build, "bindings", "python"))
    import backoffice as bo
    import datetime
    jan1 = (datetime.date(2025, 1, 1) - datetime.date(1970, 1, 1)).days  # day numbers
    book = bo.Book(path, "owner", create=True, sync="normal")
    for code, name, kind, parent in CHART:
        book.ledger.account_add(code, name, kind, parent)
    entries = [gen(seed, i, n, jan1) for i in range(n)]
    per = batch if mode == "batched" else 1
    t0 = time.perf_counter()
    for first in range(0, n, per):
        book.ledger.post_many(entries[first:first + per])
    seconds = time.perf_counter() - t0
    book.close()
    return n / seconds


def measure_python(args, n, mode):
    rates, rss = [], []
    for _ in range(args.repeat):
        fd, path = tempfile.mkstemp(suffix=".db", dir=args.dir)
        os.close(fd)
        os.unlink(path)
        out = subprocess.run([sys.executable, __file__, "--child", mode, "--build", args.build,
                              "--path", path, "--n", str(n), "--batch", str(args.batch),
                              "--seed", str(args.seed)],
                             capture_output=True, text=True)
        for sfx in ("", "-wal", "-shm"):
            if os.path.exists(path + sfx):
                os.unlink(path + sfx)
        if out.returncode != 0:
            sys.stderr.write(out.stderr)
            raise SystemExit("bench_ledger.py: the %s run of %d entries failed" % (mode, n))
        rate, kib = out.stdout.split()
        rates.append(float(rate))
        rss.append(int(kib))
    return statistics.median(rates), statistics.median(rss)


def measure_c(args, n):
    """bench_ledger on the same journal, library side, same settings:
    {mode: rate}."""
    exe = os.path.join(args.build, "tests", "bench", "bench_ledger")
    cmd = [exe, "--sizes", str(n), "--modes", "batch,commit", "--repeat", str(args.repeat),
           "--batch", str(args.batch), "--sync", "normal", "--commit-sync", "normal",
           "--side", "lib", "--lookups", "0", "--procs", "none", "--seed", str(args.seed),
           "--commit-max", str(n), "--dir", args.dir]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rates = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) > 4 and f[0] == str(n) and f[1] in ("batch", "commit"):
            rates["batched" if f[1] == "batch" else "single"] = float(f[3])
    return rates


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build/default")
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--single-max", type=int, default=10000,
                    help="largest size run one commit per entry")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=20250101)
    ap.add_argument("--dir", default=os.environ.get("TMPDIR") or "/var/tmp")
    ap.add_argument("--child", choices=("batched", "single"))
    ap.add_argument("--path")
    ap.add_argument("--n", type=int)
    args = ap.parse_args()
    if args.child:
        rate = run_child(args.build, args.path, args.n, args.child, args.batch, args.seed)
        print("%.1f %d" % (rate, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    print("bench: Python (post_many) and C (bo_ledger_post) on the same journal, "
          "synchronous=NORMAL, batch = %d entries, medians of %d runs, each in its own "
          "process" % (args.batch, args.repeat))
    print("%9s %-8s %11s %11s %8s %10s" % ("entries", "mode", "py entr/s", "C entr/s",
                                          "py/C", "py KiB"))
    rows = {}
    for n in sizes:
        c = measure_c(args, n)
        for mode in ("batched", "single"):
            if mode == "single" and n > args.single_max:
                continue
            py, kib = measure_python(args, n, mode)
            cr = c.get(mode, 0)
            print("%9d %-8s %11.0f %11.0f %8.2f %10d" % (n, mode, py, cr,
                                                        py / cr if cr else 0, kib))
            sys.stdout.flush()
            rows[mode] = (py, cr)
    for mode in ("batched", "single"):
        if mode in rows:
            py, cr = rows[mode]
            print("ROW ledger.py.%s ours=%.0f plain=%.0f ratio=%.2f unit=entries/s"
                  % (mode, py, cr, py / cr if cr else 0))


if __name__ == "__main__":
    main()
