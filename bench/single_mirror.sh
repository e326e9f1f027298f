#!/usr/bin/env bash
# Benchmark 2: one unthrottled loopback mirror, 512 MiB, a metalink with only a
# whole-file SHA-256 (no pieces). Wall time, CPU seconds per GiB and peak RSS for Braid,
# aria2c and curl -o; then Braid's peak RSS on 1 GiB.
source "$(dirname "$0")/common.sh"

for size in 512M 1G; do
    start_mirrors --size "$size" --piece 0 --mirror 127.0.0.2:18012
    bytes=$(python3 -c "print($(echo "$size" | sed 's/M/*1048576/; s/G/*1073741824/'))")
    gib=$(python3 -c "print($bytes / 1073741824)")
    echo "$size from one unthrottled mirror (sha-256 checked)"
    for round in 1 2; do
        measure "braid get #$round" "$BRAID" get "$WORK/bench.meta4"
        check_file "$WORK/out/bench.bin"
        read -r wall cpu rss _ <"$WORK/last"
        echo "    $(python3 -c "print(round($cpu / $gib, 2))") CPU s/GiB"
        [ "$size" = 1G ] && break
        measure "aria2c #$round" aria2c -q --allow-overwrite=true "$WORK/bench.meta4"
        check_file "$WORK/out/bench.bin"
        read -r wall cpu rss _ <"$WORK/last"
        echo "    $(python3 -c "print(round($cpu / $gib, 2))") CPU s/GiB"
        measure "aria2c -x16 -s16 -k1M #$round" aria2c -q -x16 -s16 -k1M --allow-overwrite=true "$WORK/bench.meta4"
        check_file "$WORK/out/bench.bin"
        measure "curl -o (no hash check) #$round" curl -s -o bench.bin http://127.0.0.2:18012/file.bin
        check_file "$WORK/out/bench.bin"
    done
done
