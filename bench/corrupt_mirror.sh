#!/usr/bin/env bash
# Benchmark 3: three mirrors (40, 20 and 20 MB/s); the fastest corrupts five small
# ranges spread over a 256 MiB file with 1 MiB sha-256 pieces. The file must come out
# right with at most 8 MiB fetched beyond its size in all.
source "$(dirname "$0")/common.sh"

SIZE=$((256 * 1024 * 1024))
corrupt=""
for at in 10M 60M 110M 160M 210M; do
    bytes=$(python3 -c "print($(echo "$at" | sed 's/M/*1048576/') + 4096)")
    corrupt="$corrupt,corrupt=$bytes-$((bytes + 100))"
done
start_mirrors --size 256M --piece 1M \
    --mirror "127.0.0.2:18022,rate=40$corrupt" --mirror 127.0.0.3:18023,rate=20 --mirror 127.0.0.4:18024,rate=20
echo "256 MiB; the 40 MB/s mirror corrupts 5 ranges"
for client in braid aria2c; do
    if [ "$client" = braid ]; then
        measure "braid get" "$BRAID" get "$WORK/bench.meta4"
    else
        measure "aria2c -x16 -s16 -k1M" aria2c -q -x16 -s16 -k1M --allow-overwrite=true "$WORK/bench.meta4"
    fi
    check_file "$WORK/out/bench.bin"
    grep -h -o "[0-9]* bad pieces\? re-fetched" "$WORK/stderr" | sed 's/^/    /' || true
    read -r _ _ _ served <"$WORK/last"
    extra=$(python3 -c "print(round(($served - $SIZE) / 1048576, 1))")
    echo "    $extra MiB fetched beyond the file size (budget 8 MiB)"
done
