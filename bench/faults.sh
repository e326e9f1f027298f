#!/usr/bin/env bash
# Benchmark 6: the faults of issue 10, each with a good mirror beside the faulty one,
# for Braid and aria2c in the same run. Each client gets 60 s (a client still waiting
# then is stopped and shown as "gave up"). Reports wall time, whether the file is right,
# and bytes the mirrors served; the good mirror alone is the baseline.
#   slowloris: listed first, headers then one byte every 5 s; the good one at 20 MB/s
#              (one connection: braid --max-connections 1, aria2c -x1 -s1; and defaults)
#   gzip:      listed first, gzips its 206 answers; whole-file hash only
#   drops:     the only mirror, breaks every connection off after 700 kB; 1 MiB pieces
source "$(dirname "$0")/common.sh"

SIZE=$((32 * 1024 * 1024))

# client LABEL CMD...: measure with a 60 s bound, then say whether the file is right.
client() {
    local label=$1
    shift
    measure "$label" timeout 60 "$@" 2>/dev/null
    local wall
    wall=$(cut -d' ' -f1 "$WORK/last")
    if check_file "$WORK/out/bench.bin" 2>/dev/null; then
        echo "    right file"
    elif python3 -c "import sys; sys.exit(0 if $wall >= 59.5 else 1)"; then
        echo "    still not done after 60 s: stopped"
    else
        echo "    failed, no right file: $(tail -1 "$WORK/stderr")"
    fi
}

braid() { client "braid get $*" "$BRAID" get "$@" "$WORK/bench.meta4"; }
aria() { client "aria2c $*" aria2c -q --allow-overwrite=true "$@" "$WORK/bench.meta4"; }

echo "== good mirror alone (32 MiB at 20 MB/s)"
start_mirrors --size 32M --piece 1M --mirror 127.0.0.3:18063,rate=20
braid
aria

echo "== slowloris listed first, good mirror second"
start_mirrors --size 32M --piece 1M \
    --mirror 127.0.0.2:18062,trickle=5 --mirror 127.0.0.3:18063,rate=20
braid --max-connections 1
aria -x1 -s1
braid
aria -x16 -s16 -k1M

echo "== gzip-encoding mirror listed first (whole-file hash only)"
start_mirrors --size 32M --piece 0 \
    --mirror 127.0.0.2:18062,gzip=yes --mirror 127.0.0.3:18063,rate=20
braid
aria -x16 -s16 -k1M

echo "== the only mirror drops every connection after 700 kB (1 MiB pieces)"
start_mirrors --size 32M --piece 1M --mirror 127.0.0.2:18062,rate=20,drop=700K
braid
aria -x16 -s16 -k1M
