#!/usr/bin/env bash
# Runs every libFuzzer target of the vtg-fuzz harness (Fuzz/FuzzTarget.swift) for SECONDS each,
# from seed corpora made of the test fixtures and the real files in ../shared/data (cut to a few
# kB, written under .build-fuzz/corpus, never committed). A crash stops with its input saved as
# .build-fuzz/crashes/TARGET-*; each target's executions and coverage are printed at the end.
# Usage: Scripts/fuzz.sh SECONDS TARGET...
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=$1
shift
binary=.build-fuzz/release/vtg-fuzz
shared=../shared/data
work=.build-fuzz
mkdir -p "$work/crashes"

# seed LINES BYTES TARGET FILE...: the first LINES lines, at most BYTES bytes, of each file as a
# corpus entry (a cut JSON file is still a useful seed: the parsers must refuse it cleanly).
seed() {
    local lines=$1 bytes=$2 target=$3
    shift 3
    mkdir -p "$work/corpus/$target"
    for file in "$@"; do
        if [ -f "$file" ]; then
            local entry="$work/corpus/$target/$(basename "$file")"
            { head -n "$lines" "$file" | head -c "$bytes" >"$entry"; } || true
        fi
    done
}
binary_seed() { seed 1000000 65536 "$@"; }
text_seed() { seed 40 4096 "$@"; }
binary_seed npy Tests/DatasetsTests/Fixtures/npy/*.npy
binary_seed npz Tests/DatasetsTests/Fixtures/npz/*.npz
binary_seed safetensors Tests/*/Fixtures/*.safetensors
text_seed json "$shared"/tacos/test.json "$shared"/activitynet_captions/2d-tan/val.json \
    "$shared"/qvhighlights/standalone_eval/sample_val_preds_metrics_raw.json
text_seed charades "$shared"/charades_sta/charades_sta_test.txt
text_seed activitynet "$shared"/activitynet_captions/2d-tan/val.json
text_seed tacos "$shared"/tacos/test.json
text_seed qvhighlights "$shared"/qvhighlights/highlight_val_release.jsonl
text_seed predictions "$shared"/qvhighlights/standalone_eval/sample_val_preds.jsonl
mkdir -p "$work/corpus/wordpiece"
printf 'a person opens the door.' >"$work/corpus/wordpiece/sentence"
printf 'Ünïcödé 中文 naïve café — “quotes”' >"$work/corpus/wordpiece/unicode"
mkdir -p "$work/corpus/bpe"
printf 'A person opens the door.' >"$work/corpus/bpe/sentence"
printf "don't <|endoftext|> \xc4\xb0stanbul \xce\xa3\xce\x91\xce\xa3 e\xcc\x81 2024 '''" \
    >"$work/corpus/bpe/hard"
text_seed bpe "$shared"/qvhighlights/highlight_val_release.jsonl
# The bpe target reads CLIP's vocabulary from .test-data.
if printf '%s\n' "$@" | grep -qx bpe; then
    Scripts/fetch_test_data.sh
fi

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
