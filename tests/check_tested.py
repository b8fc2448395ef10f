#!/usr/bin/env python3
"""Every exported function is called by at least one C test.

Lists the bo_ symbols the shared library exports (nm -D) and looks for a
call `name(` in the C tests (tests/unit, tests/stress, tests/headers).
Bindings are checked separately by tests/bindings/check_exports.py.
"""
import pathlib
import re
import subprocess
import sys

lib, root = sys.argv[1], pathlib.Path(sys.argv[2])
out = subprocess.run(["nm", "-D", "--defined-only", lib], check=True,
                     capture_output=True, text=True).stdout
# A name carries its version node (bo_version@@LIBBACKOFFICE_0.3).
exported = sorted({l.split()[-1].split("@")[0] for l in out.splitlines()
                   if re.search(r" T bo_", l)})
text = ""
for sub in ("unit", "stress", "headers"):
    for f in (root / "tests" / sub).rglob("*.c"):
        text += f.read_text()
untested = [f for f in exported if not re.search(r"\b%s\s*\(" % f, text)]
for f in untested:
    print("no C test calls", f)
print(f"check_tested: {len(exported)} exported functions, {len(untested)} untested")
sys.exit(1 if untested or len(exported) < 50 else 0)
