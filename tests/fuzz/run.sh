#!/bin/sh
# Build the libFuzzer targets with clang in their own build folder and run
# each for SECONDS (default 10) over its seed corpus, as ctest tests with the
# label "fuzz". `make test` runs them briefly, `make fuzz FUZZ_SECONDS=N`
# for as long as asked. Inputs found are kept in BUILD/tests/fuzz/corpus/,
# crashes in BUILD/tests/fuzz/artifacts/.
#
# usage: tests/fuzz/run.sh [SECONDS]
# environment: FUZZ_BUILD_DIR (default build/fuzz), FUZZ_TARGETS (a ctest
# regular expression, e.g. "money|date"), JOBS (parallel targets, nproc).
set -eu
seconds=${1:-10}
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build/fuzz}
jobs=${JOBS:-$(nproc)}
cc=$(command -v clang || command -v clang-14 || true)
if [ -z "$cc" ]; then
    echo "fuzz: clang is not installed (make test-deps installs it)" >&2
    exit 1
fi
cxx=$(command -v clang++ || command -v clang++-14 || echo "$cc")

if [ ! -f "$build/CMakeCache.txt" ]; then
    CC=$cc CXX=$cxx cmake -S "$root" -B "$build" -G Ninja \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPython3_EXECUTABLE=/usr/bin/python3 \
        -DBO_BUILD_BINDINGS=OFF -DBO_BUILD_BENCH=OFF \
        -DBO_FUZZ_SECONDS="$seconds" >/dev/null
else
    cmake "$build" -DBO_FUZZ_SECONDS="$seconds" >/dev/null
fi
cmake --build "$build" --target bo_fuzz_all -j "$jobs"
out=$build/tests/fuzz/artifacts
mkdir -p "$out"
touch "$out/.start"
status=0
ctest --test-dir "$build" -L fuzz -R "${FUZZ_TARGETS:-.}" -j "$jobs" \
    --output-on-failure || status=$?
# One line per target with its figures (runs, length, peak memory).
for log in "$out"/*.log; do
    [ "$log" -nt "$out/.start" ] || continue # not run this time
    name=$(basename "$log" .log)
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -n 1)
    if grep -q "^Done [0-9]* runs" "$log"; then
        echo "fuzz: $name: ${runs:-?} runs in ${secs:-?} s, peak RSS ${rss:-?} MB, no crash, leak or timeout"
    else
        echo "fuzz: $name: FAILED, see $log"
    fi
done
exit $status
