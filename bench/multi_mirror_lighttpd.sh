#!/usr/bin/env bash
# Benchmark 1b: the multi-mirror work of multi_mirror.sh (256 MiB, 1 MiB sha-256 pieces,
# 40 + 20 + 5 MB/s) served by an independent server: three lighttpd processes, each
# capped server-wide with `server.kbytes-per-second`. Needs lighttpd
# (apt-get install -y lighttpd).
#
# Two ideal times: size / sum of caps, and "perfect split": curl fetching from each
# server at once exactly its share of the file (size x cap / sum of caps) on one
# connection, so what lighttpd's throttle really lets through is the yardstick too.
#
# (nginx's `limit_rate` is no cap for this: it is per request and grants each request
# one second at full speed first, so a client of short ranges is never throttled.)
source "$(dirname "$0")/common.sh"
command -v lighttpd >/dev/null || { echo "bench: lighttpd is needed (apt-get install -y lighttpd)" >&2; exit 2; }

SIZE=$((256 * 1024 * 1024))
mkdir -p "$WORK/www"
urls=()
pids=()
for spec in 2:40 3:20 4:5; do
    host=${spec%%:*}
    rate=${spec##*:}
    port=$((18200 + host))
    urls+=(--url "http://127.0.0.$host:$port/bench.bin")
    cat >"$WORK/lighttpd-$host.conf" <<CONF
server.document-root = "$WORK/www"
server.bind = "127.0.0.$host"
server.port = $port
server.errorlog = "$WORK/lighttpd-$host.log"
server.kbytes-per-second = $((rate * 1000000 / 1024))
server.max-keep-alive-requests = 100000
CONF
done
"$MIRRORS" --size 256M --piece 1M --metalink "$WORK/bench.meta4" --write-file "$WORK/www/bench.bin" "${urls[@]}"
for host in 2 3 4; do
    lighttpd -D -f "$WORK/lighttpd-$host.conf" &
    pids+=($!)
done
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; stop_mirrors; rm -rf "$WORK"' EXIT
for port in 18202 18203 18204; do
    for _ in $(seq 50); do curl -sf -o /dev/null -r 0-0 "http://127.0.0.${port: -1}:$port/bench.bin" && break; sleep 0.1; done
done
# measure counts bytes from the loopback stats; lighttpd keeps none here.
echo '{"sent": [0], "requests": [0], "connections": [0]}' >"$WORK/stats.json"

perfect_split "$SIZE" http://127.0.0.2:18202/bench.bin http://127.0.0.3:18203/bench.bin http://127.0.0.4:18204/bench.bin
sleep 1 # the servers' per-second budgets start afresh
echo "256 MiB from lighttpd at 40 + 20 + 5 MB/s; ideal $ideal s (caps), $split s (perfect split, curl)"
compare_clients 1
