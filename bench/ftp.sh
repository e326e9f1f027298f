#!/usr/bin/env bash
# Benchmark 6: FTP mirrors. 256 MiB with 1 MiB sha-256 pieces from a real FTP server
# (pyftpdlib, tests/support/ftp_server.py) on 127.0.0.3:
#   a. FTP only, unthrottled (the Python server is the limit);
#   b. FTP only, 10 MB/s per data connection (segmenting pays: 4 connections = 40 MB/s);
#   c. FTP (10 MB/s per connection) beside an HTTP mirror capped at 20 MB/s.
# Braid (defaults) against aria2c (-x4 -s4 -k1M, the per-server count Braid uses, and
# defaults) and curl -o (one stream, no hash check). "served" counts the HTTP mirror's
# bytes; the FTP server's are printed after each line.
# Needs python3-pyftpdlib (apt-get install -y python3-pyftpdlib).
source "$(dirname "$0")/common.sh"

[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import pyftpdlib' 2>/dev/null || {
    echo "bench: python3-pyftpdlib is needed (apt-get install -y python3-pyftpdlib)" >&2
    exit 2
}

SIZE=$((256 * 1024 * 1024))
FTP_PID=
mkdir -p "$WORK/root"
start_mirrors --size 256M --piece 1M --mirror 127.0.0.2:18062,rate=20 \
    --write-file "$WORK/root/bench.bin"
cp "$WORK/bench.meta4" "$WORK/http.meta4"

# start_ftp ARGS...: the FTP server on 127.0.0.3 serving $WORK/root; sets FTP_URL.
start_ftp() {
    stop_ftp
    : >"$WORK/ftp.events"
    # Its own process group: the server stops when its stdin (the sleep) goes.
    setsid bash -c 'sleep 3600 | /usr/bin/python3 tests/support/ftp_server.py "$@"' _ \
        --root "$WORK/root" --host 127.0.0.3 --events "$@" >"$WORK/ftp.events" 2>/dev/null &
    FTP_PID=$!
    for _ in $(seq 100); do
        grep -q '^port ' "$WORK/ftp.events" 2>/dev/null && break
        sleep 0.1
    done
    FTP_URL="ftp://127.0.0.3:$(awk '/^port /{print $2; exit}' "$WORK/ftp.events")/bench.bin"
}

stop_ftp() {
    if [ -n "$FTP_PID" ]; then
        kill -- "-$FTP_PID" 2>/dev/null || true
        wait "$FTP_PID" 2>/dev/null || true
        FTP_PID=
    fi
}
trap 'stop_ftp; stop_mirrors; rm -rf "$WORK"' EXIT

# ftp_sent: MiB the FTP server sent so far.
ftp_sent() {
    awk '/^sent /{s += $3} END {printf "%.1f", s / 1048576}' "$WORK/ftp.events"
}

# metalink URL...: bench.meta4 with these URLs (all priority 1) instead of its own.
metalink() {
    python3 - "$WORK/http.meta4" "$WORK/bench.meta4" "$@" <<'EOF'
import re, sys
source, target, urls = sys.argv[1], sys.argv[2], sys.argv[3:]
text = open(source).read()
links = "".join(f'<url priority="1">{u}</url>' for u in urls)
text = re.sub(r"(\s*<url[^>]*>[^<]*</url>)+", "\n    " + links, text, count=1)
open(target, "w").write(text)
EOF
}

run_all() {
    local label=$1
    shift
    measure "$label: braid get" "$BRAID" get "$WORK/bench.meta4"
    check_file "$WORK/out/bench.bin"
    echo "    FTP server sent $(ftp_sent) MiB so far"
    measure "$label: aria2c -x4 -s4 -k1M" aria2c -q -x4 -s4 -k1M --allow-overwrite=true "$WORK/bench.meta4"
    check_file "$WORK/out/bench.bin"
    echo "    FTP server sent $(ftp_sent) MiB so far"
    measure "$label: aria2c (defaults)" aria2c -q --allow-overwrite=true "$WORK/bench.meta4"
    check_file "$WORK/out/bench.bin"
    echo "    FTP server sent $(ftp_sent) MiB so far"
}

echo "a. 256 MiB from one unthrottled FTP server"
start_ftp
metalink "$FTP_URL"
run_all "ftp"
measure "ftp: curl -o (no hash check)" curl -s -o bench.bin "$FTP_URL"
check_file "$WORK/out/bench.bin"

echo "b. 256 MiB from one FTP server, 10 MB/s per data connection (4 × 10 = 40 MB/s)"
start_ftp --rate 10000000
metalink "$FTP_URL"
run_all "ftp 10/conn"
python3 -c "print(f'    ideal with 4 connections: {round($SIZE / 40e6, 2)} s')"

echo "c. FTP (10 MB/s per connection) beside HTTP (20 MB/s)"
metalink "http://127.0.0.2:18062/file.bin" "$FTP_URL"
run_all "ftp+http"
python3 -c "print(f'    ideal (4 FTP connections + HTTP): {round($SIZE / 60e6, 2)} s')"
