#!/usr/bin/env bash
# The desktop app's speed: time to first frame of a real window under Xvfb (software
# renderer), and update + view + layout + draw with 5 000 downloads in the queue.
# Needs Xvfb, xdotool and imagemagick (apt-get install -y xvfb xdotool imagemagick).
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in Xvfb xdotool import; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is needed (apt-get install -y xvfb xdotool imagemagick)" >&2; exit 2; }
done
cargo build --quiet --release --bin braid --example gui_bench

WORK=$(mktemp -d /tmp/braid-gui-bench.XXXXXX)
DISPLAY_NUMBER=:$(( 90 + RANDOM % 9 ))
Xvfb "$DISPLAY_NUMBER" -screen 0 1280x800x24 >/dev/null 2>&1 &
XVFB=$!
trap 'kill $XVFB 2>/dev/null || true; rm -rf "$WORK"' EXIT
sleep 1

first_frame() {
    rm -rf "$WORK/state"
    mkdir -p "$WORK/state"
    local start
    start=$(date +%s%N)
    DISPLAY=$DISPLAY_NUMBER ICED_BACKEND=tiny-skia BRAID_CONFIG_DIR="$WORK/state" \
        BRAID_DATA_DIR="$WORK/state" BRAID_RUNTIME_DIR="$WORK/state" \
        target/release/braid >/dev/null 2>&1 &
    local pid=$!
    local mapped=""
    for _ in $(seq 2000); do
        if [ -z "$mapped" ] && DISPLAY=$DISPLAY_NUMBER xdotool search --onlyvisible --name '^Braid' >/dev/null 2>&1; then
            mapped=$(( ($(date +%s%N) - start) / 1000000 ))
        fi
        # The first frame is drawn when the window's middle is no longer black.
        if [ -n "$mapped" ] && ! DISPLAY=$DISPLAY_NUMBER import -window root -crop 1x1+500+300 txt:- 2>/dev/null | grep -q "#000000"; then
            echo "$mapped $(( ($(date +%s%N) - start) / 1000000 ))"
            kill -TERM "$pid"
            wait "$pid" 2>/dev/null || true
            return
        fi
        sleep 0.005
    done
    kill -TERM "$pid" 2>/dev/null || true
    echo "bench: no frame within 10 s" >&2
    exit 1
}

for run in 1 2 3; do
    read -r mapped drawn < <(first_frame)
    echo "first frame, run $run: window mapped after $mapped ms, drawn after $drawn ms"
done
target/release/examples/gui_bench
