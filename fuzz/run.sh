#!/usr/bin/env bash
# Fuzz pulse's readers with cargo-fuzz (nightly Rust, libFuzzer, AddressSanitizer).
#
#   fuzz/run.sh SECONDS [TARGET…]     each target for SECONDS (all targets when none named)
#
# Each target starts from the seed inputs we wrote (fuzz/seeds/TARGET) plus
# what earlier runs kept (fuzz/corpus/TARGET, not committed). An input that
# takes over 1 s or makes the process use over 1 GB counts as a failure, as
# a crash does; libFuzzer saves it under fuzz/artifacts/TARGET, and it
# becomes a regression test (fuzz/regressions/TARGET, read again by
# crates/ingest/tests/fuzz_regressions.rs). A line per target goes to
# $FUZZ_LOG (default fuzz/runs.log): date, target, seconds, executions,
# result.
set -uo pipefail
cd "$(dirname "$0")"
seconds=${1:?usage: fuzz/run.sh SECONDS [TARGET...]}
shift
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(html read warc feed jsonl conllu dict gazetteer models query)
fi
log_file=${FUZZ_LOG:-runs.log}
status=0
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    cp -n seeds/"$t"/* "corpus/$t/" 2>/dev/null
    log=$(mktemp)
    cargo +nightly fuzz run -O "$t" "corpus/$t" -- \
        -max_total_time="$seconds" -timeout=1 -rss_limit_mb=1024 -max_len=65536 \
        -print_final_stats=1 > "$log" 2>&1
    rc=$?
    runs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
    result=$([ $rc -eq 0 ] && echo "no failure" || echo "FAILED (rc $rc, see fuzz/artifacts/$t)")
    printf '%s\t%s\t%s s\t%s executions\t%s\n' "$(date -u +%FT%TZ)" "$t" "$seconds" "${runs:-?}" "$result" | tee -a "$log_file"
    if [ $rc -ne 0 ]; then
        tail -40 "$log" >&2
        status=1
    fi
    rm -f "$log"
done
exit $status
