#!/usr/bin/env bash
# Benchmark 5: one metalink of 300 files of 4-64 KiB (10 MiB in all, a sha-256 each) on
# two unthrottled mirrors. Counts TCP connections, requests and bytes served beyond the
# total, for Braid (defaults) and aria2c (defaults, and -x16 -s16 -k1M) in the same run.
source "$(dirname "$0")/common.sh"

start_mirrors --size 0 --files 300 --mirror 127.0.0.2:18052 --mirror 127.0.0.3:18053
TOTAL=$(python3 -c 'import re,sys; print(sum(int(s) for s in re.findall(r"<size>(\d+)</size>", open(sys.argv[1]).read())))' "$WORK/bench.meta4")
echo "300 files, $TOTAL bytes, from two mirrors"

run() {
    local label=$1
    shift
    local connections requests
    connections=$(stat_total connections)
    requests=$(stat_total requests)
    measure "$label" "$@"
    local count
    count=$(find "$WORK/out" -name 'f-*.bin' | wc -l)
    [ "$count" = 300 ] || echo "bench: $label left $count of 300 files" >&2
    read -r _ _ _ served <"$WORK/last"
    printf '    %d connections, %d requests, %.1f%% of the bytes twice\n' \
        "$(( $(stat_total connections) - connections ))" "$(( $(stat_total requests) - requests ))" \
        "$(python3 -c "print(100 * ($served - $TOTAL) / $TOTAL)")"
}
run "braid get" "$BRAID" get "$WORK/bench.meta4"
run "aria2c (defaults)" aria2c -q --allow-overwrite=true "$WORK/bench.meta4"
run "aria2c -x16 -s16 -k1M" aria2c -q -x16 -s16 -k1M --allow-overwrite=true "$WORK/bench.meta4"
