#!/bin/sh
# Run one libFuzzer target for SECONDS over the seed corpus.
# usage: run_target.sh BINARY SECONDS WORK_CORPUS SEED_CORPUS ARTIFACT_DIR
# New inputs are written to WORK_CORPUS (never to the seeds); the log is
# ARTIFACT_DIR/NAME.log. Exit status: the fuzzer's, non-zero on a crash,
# a failed property, a leak, a timeout (10 s for one input) or a process
# over 2 GiB, or fewer than FUZZ_MIN_RUNS inputs executed.
set -u
bin=$1 seconds=$2 work=$3 seeds=$4 artifacts=$5
name=$(basename "$bin")
mkdir -p "$work" "$artifacts"
log="$artifacts/$name.log"
"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts/$name-" \
    "$work" "$seeds" >"$log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
# A run that executed (almost) nothing checked nothing: at least the seeds
# and some mutations of them (FUZZ_MIN_RUNS, 100 by default).
min=${FUZZ_MIN_RUNS:-100}
if [ "$rc" -eq 0 ] && [ "${runs:-0}" -lt "$min" ]; then
    echo "fuzz: $name: FAILED: only ${runs:-0} runs in $seconds s (at least $min)"
    exit 1
fi
if [ "$rc" -eq 0 ]; then
    echo "fuzz: $name: ${runs:-?} runs in $seconds s, no crash, leak or timeout"
else
    echo "fuzz: $name: FAILED (exit $rc) after ${runs:-?} runs; end of $log:"
    grep -v '^#[0-9]' "$log" | tail -n 60
fi
exit "$rc"
