#!/usr/bin/env bash
# Repair in place: a 256 MiB file with 1 MiB sha-256 pieces, served by three mirrors
# capped at 40, 20 and 20 MB/s. Two damaged copies: twelve pieces overwritten here and
# there (a bad disk, a broken copy), and one cut short at 90 % (an interrupted copy)
# with three bad pieces before the cut. Compared on the same work:
#   - braid get URL.meta4 into an empty folder (a full download, the baseline)
#   - braid get --repair FILE URL.meta4
#   - aria2c -V (--check-integrity) with the damaged file in place, the only other
#     client that re-checks a file against metalink pieces
# Each run reports wall time, bytes the mirrors served, and whether the file is right.
source "$(dirname "$0")/common.sh"

SIZE=$((256 * 1024 * 1024))
start_mirrors --size 256M --piece 1M --write-file "$WORK/good.bin" \
    --mirror 127.0.0.2:18041,rate=40 --mirror 127.0.0.3:18042,rate=20 --mirror 127.0.0.4:18043,rate=20

python3 - "$WORK" <<'PY'
import random, shutil, sys
work = sys.argv[1]
piece = 1 << 20
rng = random.Random(17)
data = bytearray(open(f"{work}/good.bin", "rb").read())
pieces = len(data) // piece
scattered = bytearray(data)
for p in rng.sample(range(pieces), 12):
    at = p * piece + rng.randrange(piece - 512)
    scattered[at:at + 512] = rng.randbytes(512)
open(f"{work}/scattered.bin", "wb").write(scattered)
cut = bytearray(data[: len(data) * 9 // 10])
for p in rng.sample(range(len(cut) // piece), 3):
    at = p * piece + rng.randrange(piece - 512)
    cut[at:at + 512] = rng.randbytes(512)
open(f"{work}/cut.bin", "wb").write(cut)
PY

DAMAGED=
prepare_out() {
    if [ -n "$DAMAGED" ]; then cp "$WORK/$DAMAGED.bin" "$WORK/out/bench.bin"; fi
    cat "$WORK/out/bench.bin" >/dev/null 2>&1 || true # every client reads it from the page cache
}

served_mib() {
    read -r _ _ _ served <"$WORK/last"
    echo "    $(python3 -c "print(round($served / 1048576, 1))") MiB served"
}

echo "256 MiB, 1 MiB sha-256 pieces, mirrors at 40 + 20 + 20 MB/s"
measure "full download (braid get)" "$BRAID" get "$WORK/bench.meta4"
check_file "$WORK/out/bench.bin"
served_mib
for DAMAGED in scattered cut; do
    case $DAMAGED in
    scattered) echo "12 of 256 pieces overwritten:" ;;
    cut) echo "cut short at 90 %, 3 bad pieces before the cut:" ;;
    esac
    measure "  braid get --repair" "$BRAID" get --repair bench.bin "$WORK/bench.meta4"
    check_file "$WORK/out/bench.bin"
    grep -h -o "[^;]* reused, [0-9]* pieces\? fetched[^→]*" "$WORK/stderr" | sed 's/^ */    /' || true
    served_mib
    measure "  aria2c -V" aria2c -q -V "$WORK/bench.meta4"
    check_file "$WORK/out/bench.bin" || true
    served_mib
done
