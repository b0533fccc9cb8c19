#!/usr/bin/env bash
# Runs every libFuzzer target of the vtg-fuzz harness (Fuzz/, over Sources/FuzzTargets) for SECONDS each,
# from seed corpora written by the harness (Sources/FuzzTargets/FuzzSeedCorpus.swift) under
# .build-fuzz/corpus, never committed. A crash stops with its input saved as
# .build-fuzz/crashes/TARGET-*; each target's executions and coverage are printed at the end.
# Usage: Scripts/fuzz.sh SECONDS TARGET...
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=$1
shift
binary=.build-fuzz/release/vtg-fuzz
work=.build-fuzz
mkdir -p "$work/crashes"

# The bpe target reads CLIP's vocabulary from .test-data.
if printf '%s\n' "$@" | grep -qx bpe; then
    Scripts/fetch_test_data.sh
fi
# The seed corpora (test fixtures, real annotation files, test videos, cut to a few kB) come from
# the harness itself (FuzzSeedCorpus, shared with the fuzz smoke of `make test`).
for target in "$@"; do
    VTG_FUZZ_TARGET=$target VTG_FUZZ_WRITE_CORPUS="$work/corpus/$target" ASAN_OPTIONS=detect_leaks=0 \
        "$binary"
done

summary=()
for target in "$@"; do
    log="$work/fuzz-$target.log"
    echo "== $target ($seconds s)"
    # Leak detection is off: Foundation's Data(contentsOf:) leaks its 4 kB buffer on an empty
    # file (FoundationEssentials readBytesFromFile), which is not ours to fix.
    ASAN_OPTIONS=detect_leaks=0 VTG_FUZZ_TARGET=$target "$binary" -max_total_time="$seconds" -rss_limit_mb=2048 \
        -detect_leaks=0 \
        -max_len=65536 -print_final_stats=1 -artifact_prefix="$work/crashes/$target-" \
        "$work/corpus/$target" >"$log" 2>&1 || {
        tail -n 30 "$log"
        echo "fuzz: $target crashed; input in $work/crashes/" >&2
        exit 1
    }
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
    coverage=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -n 1 || true)
    summary+=("$target: ${runs:-?} executions in $seconds s, $coverage, no crash")
done
printf '%s\n' "${summary[@]}"
