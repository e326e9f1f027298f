#!/usr/bin/env bash
# zsync delta updates: a 256 MiB file and older versions of it with 1 %, 10 % and 50 %
# of their 4 KiB blocks changed (chosen at random), bytes inserted near the start and
# deleted in the middle (so most blocks are shifted). The control file is made by
# Debian's zsyncmake and served, with the new file, by two nginx mirrors (nginx answers
# zsync's multi-range requests). Compared on the same work:
#   - braid get --seed OLD URL.zsync (both mirrors, several connections, multi-range requests)
#   - zsync -i OLD URL.zsync (the reference client, multi-range requests)
#   - braid get URL (a full download)
# and the seed scan alone: both clients scan a 1 GiB file that shares nothing with the
# target against a control file whose URL refuses connections, so the time to failure
# is the scan (plus reading the file); reported in GB/s.
#
# Needs: nginx, zsync (apt-get install -y nginx zsync), GNU time, python3.

set -euo pipefail
cd "$(dirname "$0")/.."
for tool in nginx zsync zsyncmake /usr/bin/time python3; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is needed (apt-get install -y nginx zsync time python3)" >&2; exit 2; }
done
cargo build --quiet --release --no-default-features --bin braid
BRAID=$PWD/target/release/braid
WORK=$(mktemp -d /tmp/braid-zsync-bench.XXXXXX)
NGINX_PID=
trap '[ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
SIZE_MIB=${SIZE_MIB:-256}
A=127.0.0.2:18471
B=127.0.0.3:18472

mkdir -p "$WORK/www" "$WORK/seeds"
python3 - "$WORK" "$SIZE_MIB" <<'PY'
import random, sys
work, size = sys.argv[1], int(sys.argv[2]) * 1024 * 1024
rng = random.Random(42)
# randbytes takes at most 2**31 - 1 bits at once: 64 MiB at a time.
new = b"".join(rng.randbytes(min(1 << 26, size - at)) for at in range(0, size, 1 << 26))
open(f"{work}/www/new.bin", "wb").write(new)
block = 4096
blocks = size // block
for percent in (1, 10, 50):
    old = bytearray(new)
    for b in range(blocks):
        if rng.random() < percent / 100:
            at = b * block + rng.randrange(block - 64)
            old[at:at + 64] = rng.randbytes(64)
    old = old[:100_000] + b"inserted by an older version\n" * 3 + old[100_000:]
    mid = len(old) // 2
    old = old[:mid] + old[mid + 777:]
    open(f"{work}/seeds/old-{percent}.bin", "wb").write(old)
# For the scan speed: data that shares nothing with the target.
with open(f"{work}/seeds/unrelated.bin", "wb") as f:
    for _ in range(16):
        f.write(rng.randbytes(64 * 1024 * 1024))
PY
(cd "$WORK/www" && zsyncmake -u "http://$A/new.bin" -u "http://$B/new.bin" -o new.bin.zsync new.bin)
(cd "$WORK" && zsyncmake -u "http://127.0.0.9:1/new.bin" -o refused.zsync www/new.bin)
NEW_SHA=$(sha256sum "$WORK/www/new.bin" | cut -d' ' -f1)

cat >"$WORK/nginx.conf" <<CONF
daemon off;
# As root nginx's workers would run as nobody, who cannot read mktemp's 0700 folder.
user root;
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/error.log;
events { worker_connections 256; }
http {
    log_format bytes '\$body_bytes_sent';
    access_log $WORK/access.log bytes;
    sendfile on;
    client_body_temp_path $WORK/tmp;
    proxy_temp_path $WORK/tmp;
    fastcgi_temp_path $WORK/tmp;
    uwsgi_temp_path $WORK/tmp;
    scgi_temp_path $WORK/tmp;
    server { listen $A; root $WORK/www; }
    server { listen $B; root $WORK/www; }
}
CONF
mkdir -p "$WORK/tmp"
nginx -c "$WORK/nginx.conf" -p "$WORK" &
NGINX_PID=$!
for _ in $(seq 50); do curl -sf -o /dev/null "http://$A/new.bin.zsync" && break; sleep 0.1; done

served() { python3 -c 'import sys; print(sum(int(l) for l in open(sys.argv[1]) if l.strip()))' "$WORK/access.log"; }

# run LABEL CMD...: in a fresh $WORK/out; wall time, bytes the mirrors served (the
# control file included), and whether the result is the new file.
run() {
    local label=$1
    shift
    rm -rf "$WORK/out"
    mkdir -p "$WORK/out"
    : >"$WORK/access.log"
    kill -USR1 "$(cat "$WORK/nginx.pid")" # reopen the log
    sleep 0.2
    (cd "$WORK/out" && /usr/bin/time -f "%e" -o "$WORK/time" "$@" >"$WORK/stdout" 2>"$WORK/stderr") || true
    sleep 0.2
    local got="wrong"
    [ -f "$WORK/out/new.bin" ] && [ "$(sha256sum "$WORK/out/new.bin" | cut -d' ' -f1)" = "$NEW_SHA" ] && got="right"
    printf '%-40s wall %6.2f s  served %8.2f MiB  %s file\n' "$label" "$(cat "$WORK/time")" \
        "$(python3 -c "print($(served)/1048576)")" "$got"
}

echo "target: $SIZE_MIB MiB, blocks $(grep -a '^Blocksize' "$WORK/www/new.bin.zsync" | cut -d' ' -f2) B, $(grep -a '^Hash-Lengths' "$WORK/www/new.bin.zsync")"
run "full download (braid get URL)" "$BRAID" get --no-seed "http://$A/new.bin"
for percent in 1 10 50; do
    seed=$WORK/seeds/old-$percent.bin
    run "$percent % changed: braid --seed" "$BRAID" get --seed "$seed" "http://$A/new.bin.zsync"
    run "$percent % changed: zsync -i" zsync -q -i "$seed" -o new.bin "http://$A/new.bin.zsync"
done

echo "seed scan, 1 GiB sharing nothing with the target:"
scan() {
    local label=$1
    shift
    rm -rf "$WORK/out" && mkdir -p "$WORK/out"
    cat "$WORK/seeds/unrelated.bin" >/dev/null # both read it from the page cache
    (cd "$WORK/out" && /usr/bin/time -f "%e" -o "$WORK/time" "$@" >/dev/null 2>&1) || true
    local wall
    wall=$(tail -1 "$WORK/time") # a failure adds "Command exited with non-zero status" first
    printf '%-40s %6.2f s  %5.2f GB/s\n' "$label" "$wall" "$(python3 -c "print(2**30/1e9/$wall)")"
}
scan "braid (until the refused connection)" "$BRAID" get --seed "$WORK/seeds/unrelated.bin" "$WORK/refused.zsync"
scan "zsync (until the refused connection)" zsync -q -i "$WORK/seeds/unrelated.bin" -o new.bin "$WORK/refused.zsync"
