#!/usr/bin/env bash
# Benchmark 1: three mirrors capped at 40, 20 and 5 MB/s serve 256 MiB with 1 MiB
# sha-256 pieces. Ideal time = size / sum of caps. Braid (defaults) against aria2c
# (defaults, and -x16 -s16 -k1M) on the same metalink.
source "$(dirname "$0")/common.sh"

SIZE=$((256 * 1024 * 1024))
start_mirrors --size 256M --piece 1M \
    --mirror 127.0.0.2:18002,rate=40 --mirror 127.0.0.3:18003,rate=20 --mirror 127.0.0.4:18004,rate=5
ideal=$(python3 -c "print(round($SIZE / 65e6, 2))")
echo "256 MiB from 40 + 20 + 5 MB/s mirrors; ideal $ideal s"

measure "braid get" "$BRAID" get "$WORK/bench.meta4"
check_file "$WORK/out/bench.bin"
braid_wall=$(cut -d' ' -f1 "$WORK/last")
measure "aria2c -x16 -s16 -k1M" aria2c -q -x16 -s16 -k1M --allow-overwrite=true "$WORK/bench.meta4"
check_file "$WORK/out/bench.bin"
measure "aria2c (defaults)" aria2c -q --allow-overwrite=true "$WORK/bench.meta4"
check_file "$WORK/out/bench.bin"
python3 -c "print(f'braid: {100 * ($braid_wall / $ideal - 1):+.1f}% against the ideal time')"
