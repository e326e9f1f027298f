#!/usr/bin/env bash
# Benchmark 4: SIGKILL two seconds into a 128 MiB download from a 30 MB/s mirror, then
# the same command again. The file must come out right with at most 16 MiB sent twice.
# aria2c saves its control file every 60 s, so it has little to resume from.
source "$(dirname "$0")/common.sh"

SIZE=$((128 * 1024 * 1024))
start_mirrors --size 128M --piece 1M --mirror 127.0.0.2:18032,rate=30
echo "128 MiB at 30 MB/s, killed after 2 s, then run again"
killed_run() {
    local label=$1
    shift
    rm -rf "$WORK/out"
    mkdir -p "$WORK/out"
    local before
    before=$(sent_total)
    (cd "$WORK/out" && exec "$@" >/dev/null 2>&1) &
    local pid=$!
    sleep 2
    kill -KILL "$pid"
    wait "$pid" 2>/dev/null || true
    sleep 0.3
    local at_kill
    at_kill=$(( $(sent_total) - before ))
    local start
    start=$(date +%s.%N)
    (cd "$WORK/out" && "$@" >/dev/null 2>"$WORK/stderr") || { echo "bench: $label failed on resume" >&2; tail -3 "$WORK/stderr" >&2; }
    local took
    took=$(python3 -c "import time; print(round(time.time() - $start, 2))")
    sleep 0.3
    check_file "$WORK/out/bench.bin"
    local total
    total=$(( $(sent_total) - before ))
    printf '%-24s %6.1f MiB before the kill, second run %5.2f s, %6.1f MiB sent twice\n' "$label" \
        "$(python3 -c "print($at_kill / 1048576)")" "$took" "$(python3 -c "print(($total - $SIZE) / 1048576)")"
}
killed_run "braid get" "$BRAID" get "$WORK/bench.meta4"
killed_run "aria2c -x16 -s16 -k1M" aria2c -q -x16 -s16 -k1M "$WORK/bench.meta4"
