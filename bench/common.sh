# Shared by the transfer benchmarks: builds Braid and the loopback mirrors in release
# mode, starts mirrors, and runs a client under /usr/bin/time.
# Needs aria2c and curl (apt-get install -y aria2 curl time).

set -euo pipefail
cd "$(dirname "$0")/.."

for tool in aria2c curl /usr/bin/time python3; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is needed (apt-get install -y aria2 curl time python3)" >&2; exit 2; }
done

# The command line only: no GPU renderer to build (the window's speed is gui.sh's).
cargo build --quiet --release --no-default-features --bin braid --example bench_mirrors
BRAID=$PWD/target/release/braid
MIRRORS=$PWD/target/release/examples/bench_mirrors
WORK=$(mktemp -d /tmp/braid-bench.XXXXXX)
MIRROR_PID=
trap 'stop_mirrors; rm -rf "$WORK"' EXIT

# start_mirrors ARGS...: bench_mirrors with a metalink and stats file in $WORK.
start_mirrors() {
    stop_mirrors
    rm -f "$WORK/stats.json" "$WORK/ready"
    "$MIRRORS" --metalink "$WORK/bench.meta4" --stats "$WORK/stats.json" "$@" >"$WORK/ready" &
    MIRROR_PID=$!
    for _ in $(seq 600); do
        grep -q ready "$WORK/ready" 2>/dev/null && [ -f "$WORK/stats.json" ] && return 0
        sleep 0.1
    done
    echo "bench: mirrors did not start" >&2
    exit 1
}

stop_mirrors() {
    if [ -n "$MIRROR_PID" ]; then
        kill "$MIRROR_PID" 2>/dev/null || true
        wait "$MIRROR_PID" 2>/dev/null || true
        MIRROR_PID=
    fi
}

# Total bytes the mirrors have sent.
sent_total() {
    stat_total sent
}

# stat_total KEY: the sum over the mirrors of sent, requests or connections.
stat_total() {
    python3 -c 'import json,sys; print(sum(json.load(open(sys.argv[1]))[sys.argv[2]]))' "$WORK/stats.json" "$1"
}

# measure LABEL CMD...: runs CMD in a fresh directory $WORK/out; prints wall seconds,
# CPU seconds and peak RSS, and leaves "wall cpu rss_kib" in $WORK/last.
measure() {
    local label=$1
    shift
    rm -rf "$WORK/out"
    mkdir -p "$WORK/out"
    # A script may put files in place first (a damaged copy to repair), untimed.
    if declare -F prepare_out >/dev/null; then prepare_out; fi
    local before
    before=$(sent_total)
    (cd "$WORK/out" && /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/stderr") || {
        echo "bench: $label failed:" >&2
        tail -5 "$WORK/stderr" >&2
    }
    sleep 0.3 # the stats file trails by up to 100 ms
    # The last line: a failed command adds "Command exited with non-zero status" first.
    read -r wall user sys rss < <(tail -1 "$WORK/time")
    local cpu extra
    cpu=$(python3 -c "print(round($user + $sys, 2))")
    extra=$(( $(sent_total) - before ))
    echo "$wall $cpu $rss $extra" >"$WORK/last"
    printf '%-34s wall %7.2f s  cpu %6.2f s  peak RSS %7.1f MiB  served %8.1f MiB\n' \
        "$label" "$wall" "$cpu" "$(python3 -c "print($rss/1024)")" "$(python3 -c "print($extra/1048576)")"
}

# check_file PATH SIZE: the downloaded file is the generated one.
check_file() {
    local got
    got=$(sha256sum "$1" | cut -d' ' -f1)
    local want
    want=$(grep -o '<hash type="sha-256">[0-9a-f]*' "$WORK/bench.meta4" | head -1 | sed 's/.*>//')
    if [ "$got" != "$want" ]; then
        echo "bench: $1 is wrong (sha-256 $got)" >&2
        return 1
    fi
}

# The multi-mirror work at 40 + 20 + 5 MB/s from other servers (multi_mirror_lighttpd.sh,
# multi_mirror_nginx_tc.sh). perfect_split SIZE URL_40 URL_20 URL_5 sets $ideal (size /
# sum of caps) and $split: curl fetching each server's exact share at once, what the
# servers' caps really let through.
perfect_split() {
    local size=$1
    ideal=$(python3 -c "print(round($size / 65e6, 2))")
    local start a b
    start=$(date +%s.%N)
    a=$((size * 40 / 65)); b=$((size * 20 / 65))
    local curls=()
    curl -s -o /dev/null -r "0-$((a - 1))" "$2" & curls+=($!)
    curl -s -o /dev/null -r "$a-$((a + b - 1))" "$3" & curls+=($!)
    curl -s -o /dev/null -r "$((a + b))-" "$4" & curls+=($!)
    wait "${curls[@]}"
    split=$(python3 -c "print(round($(date +%s.%N) - $start, 2))")
}

# compare_clients PAUSE: Braid and aria2c (-x16 and defaults) on $WORK/bench.meta4, each
# checked and held against $ideal and $split; PAUSE seconds after each.
compare_clients() {
    local pause=$1
    local label
    for label in "braid get" "aria2c -x16 -s16 -k1M" "aria2c (defaults)"; do
        case $label in
            braid*) measure "$label" "$BRAID" get "$WORK/bench.meta4" ;;
            *-x16*) measure "$label" aria2c -q -x16 -s16 -k1M --allow-overwrite=true "$WORK/bench.meta4" ;;
            *) measure "$label" aria2c -q --allow-overwrite=true "$WORK/bench.meta4" ;;
        esac
        check_file "$WORK/out/bench.bin"
        local wall
        wall=$(cut -d' ' -f1 "$WORK/last")
        python3 -c "print(f'    {$wall / $ideal:.3f} x the ideal time, {$wall / $split:.3f} x the perfect split')"
        sleep "$pause"
    done
}
