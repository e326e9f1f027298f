#!/usr/bin/env bash
# Benchmark 1c: the multi-mirror work of multi_mirror.sh (256 MiB, 1 MiB sha-256 pieces,
# 40 + 20 + 5 MB/s) served by nginx, each server's address capped by the kernel's traffic
# shaper on loopback (tc HTB, one class per 127.0.0.x source address and port): a cap
# as a link gives it, smooth, independent of both Braid's loopback mirror and the server.
# Needs nginx and tc (iproute2) and root, and a loopback without a qdisc of its own; the
# qdisc is removed at the end.
#
# Two ideal times, as in multi_mirror_lighttpd.sh: size / sum of caps, and curl fetching
# from each server at once exactly its share of the file.
source "$(dirname "$0")/common.sh"
command -v nginx >/dev/null || { echo "bench: nginx is needed (apt-get install -y nginx)" >&2; exit 2; }
command -v tc >/dev/null || { echo "bench: tc is needed (apt-get install -y iproute2)" >&2; exit 2; }
if tc qdisc show dev lo | grep -q '^qdisc htb'; then
    echo "bench: lo already has an htb qdisc; not touching it" >&2
    exit 2
fi

SIZE=$((256 * 1024 * 1024))
mkdir -p "$WORK/www"
urls=()
servers=""
for host in 2 3 4; do
    port=$((18400 + host))
    urls+=(--url "http://127.0.0.$host:$port/bench.bin")
    servers+="  server { listen 127.0.0.$host:$port; root $WORK/www; }"$'\n'
done
cat >"$WORK/nginx.conf" <<CONF
user root;
worker_processes 1;
daemon off;
error_log $WORK/nginx-error.log;
pid $WORK/nginx.pid;
events { worker_connections 256; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 100000;
$servers}
CONF
"$MIRRORS" --size 256M --piece 1M --metalink "$WORK/bench.meta4" --write-file "$WORK/www/bench.bin" "${urls[@]}"
nginx -c "$WORK/nginx.conf" -p "$WORK" &
NGINX=$!
shape_off() { tc qdisc del dev lo root 2>/dev/null || true; }
trap 'shape_off; kill "$NGINX" 2>/dev/null; wait 2>/dev/null; stop_mirrors; rm -rf "$WORK"' EXIT
# Everything else on loopback (the clients' requests and ACKs, other programs) is unshaped.
tc qdisc add dev lo root handle 1: htb default 99 r2q 1000
tc class add dev lo parent 1: classid 1:99 htb rate 100gbit
for spec in 2:40 3:20 4:5; do
    host=${spec%%:*}
    mbit=$((${spec##*:} * 8))
    tc class add dev lo parent 1: classid "1:$host" htb rate "${mbit}mbit" ceil "${mbit}mbit" burst 256k cburst 256k
    tc filter add dev lo parent 1: protocol ip prio 1 u32 \
        match ip src "127.0.0.$host/32" match ip sport $((18400 + host)) 0xffff flowid "1:$host"
done
for host in 2 3 4; do
    for _ in $(seq 50); do curl -sf -o /dev/null -r 0-0 "http://127.0.0.$host:$((18400 + host))/bench.bin" && break; sleep 0.1; done
done
# measure counts bytes from the loopback stats; nginx keeps none here.
echo '{"sent": [0], "requests": [0], "connections": [0]}' >"$WORK/stats.json"

perfect_split "$SIZE" http://127.0.0.2:18402/bench.bin http://127.0.0.3:18403/bench.bin http://127.0.0.4:18404/bench.bin
echo "256 MiB from nginx behind tc at 40 + 20 + 5 MB/s; ideal $ideal s (caps), $split s (perfect split, curl)"
compare_clients 0
