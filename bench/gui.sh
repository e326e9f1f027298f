#!/usr/bin/env bash
# The desktop app's speed and weight, beside uGet (GTK download manager) in the same run:
# time to first frame of a real window under Xvfb, the resident memory once settled
# (split into heap/anonymous and file-backed pages: fonts, libraries), idle CPU over
# 10 s, with an empty queue and with 5 000 downloads; then update + view + layout + draw
# with 5 000 downloads (examples/gui_bench.rs). Braid is started as a user would (Xvfb
# has no GPU, so it draws with tiny-skia, see gui::choose_renderer) and once with
# ICED_BACKEND=wgpu, the emulated GPU (Mesa's llvmpipe) it would otherwise get.
# Needs Xvfb, xdotool, imagemagick and uget (apt-get install -y xvfb xdotool imagemagick uget).
set -euo pipefail
cd "$(dirname "$0")/.."
unset ICED_BACKEND

for tool in Xvfb xdotool import uget-gtk; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is needed (apt-get install -y xvfb xdotool imagemagick uget)" >&2; exit 2; }
done
cargo build --quiet --release --bin braid --example gui_bench

WORK=$(mktemp -d /tmp/braid-gui-bench.XXXXXX)
DISPLAY_NUMBER=${BENCH_DISPLAY:-:$(( 90 + RANDOM % 9 ))}
Xvfb "$DISPLAY_NUMBER" -screen 0 1280x800x24 >/dev/null 2>&1 &
XVFB=$!
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; kill $XVFB 2>/dev/null || true; rm -rf "$WORK"' EXIT
# Under load Xvfb takes a while to listen; a window started before it has no display.
for _ in $(seq 100); do
    DISPLAY=$DISPLAY_NUMBER xdotool getdisplaygeometry >/dev/null 2>&1 && break
    sleep 0.1
done
TICKS=$(getconf CLK_TCK)

# Starts "$@" with a fresh home, waits for its window (title matching $1) to be mapped
# and then drawn (its middle no longer the root's black); leaves the process in $PID and
# sets MAPPED and DRAWN in ms. $SEED, when set, is a saved queue for Braid to start with.
launch() {
    local title=$1
    shift
    rm -rf "$WORK/home"
    mkdir -p "$WORK/home"
    [ -n "${SEED:-}" ] && cp "$SEED" "$WORK/home/queue.json"
    local start
    start=$(date +%s%N)
    env DISPLAY="$DISPLAY_NUMBER" HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/config" \
        XDG_DATA_HOME="$WORK/home/data" XDG_RUNTIME_DIR="$WORK/home" \
        BRAID_CONFIG_DIR="$WORK/home" BRAID_DATA_DIR="$WORK/home" BRAID_RUNTIME_DIR="$WORK/home" \
        "$@" >/dev/null 2>&1 &
    PID=$!
    MAPPED=""
    local window=""
    for _ in $(seq 2000); do
        if [ -z "$MAPPED" ]; then
            window=$(DISPLAY=$DISPLAY_NUMBER xdotool search --onlyvisible --name "$title" 2>/dev/null | head -1 || true)
            [ -n "$window" ] && MAPPED=$(( ($(date +%s%N) - start) / 1000000 ))
        fi
        if [ -n "$MAPPED" ]; then
            local X Y WIDTH HEIGHT SCREEN WINDOW
            eval "$(DISPLAY=$DISPLAY_NUMBER xdotool getwindowgeometry --shell "$window")"
            if ! DISPLAY=$DISPLAY_NUMBER import -window root -crop "1x1+$(( X + WIDTH / 2 ))+$(( Y + HEIGHT / 2 ))" txt:- 2>/dev/null | grep -q "#000000"; then
                DRAWN=$(( ($(date +%s%N) - start) / 1000000 ))
                return
            fi
        fi
        sleep 0.005
    done
    echo "bench: no frame of '$title' within 10 s" >&2
    exit 1
}

stop() {
    kill -TERM "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
    PID=""
}

# Resident memory 3 s after the first frame, and CPU used over the next 10 s of idling.
weigh() {
    sleep 3
    local rss anon
    rss=$(awk '/^Rss:/ { print $2 }' "/proc/$PID/smaps_rollup")
    anon=$(awk '/^Anonymous:/ { print $2 }' "/proc/$PID/smaps_rollup")
    local before after
    before=$(awk '{ print $14 + $15 }' "/proc/$PID/stat")
    sleep 10
    after=$(awk '{ print $14 + $15 }' "/proc/$PID/stat")
    awk -v rss="$rss" -v anon="$anon" -v ticks=$(( after - before )) -v hz="$TICKS" 'BEGIN {
        printf "RSS %.0f MiB (heap and other anonymous %.0f MiB, files %.0f MiB), idle CPU %.1f%% over 10 s\n",
            rss / 1024, anon / 1024, (rss - anon) / 1024, ticks * 100 / hz / 10 }'
}

# The largest holders of resident memory: mappings summed by file (anonymous ones as
# "[anonymous]"), in MiB.
holders() {
    awk '/^[0-9a-f]+-[0-9a-f]+ / { name = ($6 == "" ? "[anonymous]" : $6) }
         /^Rss:/ { rss[name] += $2 }
         END { for (n in rss) if (rss[n] >= 1024) printf "%8.1f MiB  %s\n", rss[n] / 1024, n }' \
        "/proc/$PID/smaps" | sort -rn | head -8
}

for run in 1 2 3; do
    launch '^Braid' target/release/braid
    echo "braid, first frame, run $run: window mapped after $MAPPED ms, drawn after $DRAWN ms"
    stop
    launch 'uGet' uget-gtk
    echo "uget,  first frame, run $run: window mapped after $MAPPED ms, drawn after $DRAWN ms"
    stop
done

launch '^Braid' target/release/braid
echo "braid, empty queue: $(weigh)"
holders
stop
launch '^Braid' env ICED_BACKEND=wgpu target/release/braid
echo "braid with ICED_BACKEND=wgpu (llvmpipe), empty queue: drawn after $DRAWN ms; $(weigh)"
holders
stop
target/release/examples/gui_bench --write-queue "$WORK/queue-5000.json"
SEED="$WORK/queue-5000.json" launch '^Braid' target/release/braid
echo "braid, 5 000 downloads: drawn after $DRAWN ms; $(weigh)"
stop
launch 'uGet' uget-gtk
echo "uget,  empty queue: $(weigh)"
holders
stop

target/release/examples/gui_bench
