#!/bin/sh
# Run one libFuzzer target for SECONDS over the seed corpus.
# usage: run_target.sh BINARY SECONDS WORK_CORPUS SEED_CORPUS ARTIFACT_DIR
# New inputs are written to WORK_CORPUS (never to the seeds); the log is
# ARTIFACT_DIR/NAME.log. Exit status: the fuzzer's, non-zero on a crash,
# a failed property, a leak, a timeout (10 s for one input) or a process
# over 2 GiB.
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
if [ "$rc" -eq 0 ]; then
    echo "fuzz: $name: ${runs:-?} runs in $seconds s, no crash, leak or timeout"
else
    echo "fuzz: $name: FAILED (exit $rc) after ${runs:-?} runs; end of $log:"
    grep -v '^#[0-9]' "$log" | tail -n 60
fi
exit "$rc"
