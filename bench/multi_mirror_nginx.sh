#!/usr/bin/env bash
# Benchmark 1b: the multi-mirror work of multi_mirror.sh, served by nginx instead of our
# loopback mirror. nginx has no server-wide rate cap, so each of its three servers
# allows 4 connections (limit_conn) of a quarter of its cap each (limit_rate): at most
# 40, 20 and 5 MB/s per server. Ideal time = size / 65 MB/s. Needs nginx
# (apt-get install -y nginx-light).
source "$(dirname "$0")/common.sh"
command -v nginx >/dev/null || { echo "bench: nginx is needed (apt-get install -y nginx-light)" >&2; exit 2; }

SIZE=$((256 * 1024 * 1024))
mkdir -p "$WORK/www" "$WORK/nginx/logs"
urls=()
servers=""
for spec in 2:40 3:20 4:5; do
    host=${spec%%:*}
    rate=$(( ${spec##*:} * 1000000 / 4 ))
    port=$((18100 + host))
    urls+=(--url "http://127.0.0.$host:$port/bench.bin")
    servers="$servers
    server {
        listen 127.0.0.$host:$port;
        root $WORK/www;
        limit_conn per_server 4;
        limit_rate $rate;
    }"
done
"$MIRRORS" --size 256M --piece 1M --metalink "$WORK/bench.meta4" --write-file "$WORK/www/bench.bin" "${urls[@]}"
cat >"$WORK/nginx/nginx.conf" <<CONF
user root;
worker_processes 2;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log;
events { worker_connections 256; }
http {
    access_log $WORK/nginx/logs/access.log;
    sendfile on;
    keepalive_requests 100000;
    limit_conn_zone \$server_port zone=per_server:1m;
    limit_conn_status 503;
    $servers
}
CONF
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' &
NGINX_PID=$!
trap 'kill "$NGINX_PID" 2>/dev/null; wait "$NGINX_PID" 2>/dev/null; stop_mirrors; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do curl -sf -o /dev/null -r 0-0 "http://127.0.0.2:18102/bench.bin" && break; sleep 0.1; done
# measure counts bytes from the loopback stats; nginx keeps none, so fake an empty file.
echo '{"sent": [0], "requests": [0], "connections": [0]}' >"$WORK/stats.json"

ideal=$(python3 -c "print(round($SIZE / 65e6, 2))")
echo "256 MiB from nginx at 40 + 20 + 5 MB/s (4 connections each); ideal $ideal s"
for label in braid aria2c; do
    if [ $label = braid ]; then
        measure "braid get" "$BRAID" get "$WORK/bench.meta4"
    else
        measure "aria2c -x4 -s16 -k1M" aria2c -q -x4 -s16 -k1M --allow-overwrite=true "$WORK/bench.meta4"
    fi
    check_file "$WORK/out/bench.bin"
    wall=$(cut -d' ' -f1 "$WORK/last")
    python3 -c "print(f'    {$wall / $ideal:.3f} x the ideal time')"
    grep -c '" 503 ' "$WORK/nginx/logs/access.log" | sed 's/^/    503 answers so far: /'
done
