#!/usr/bin/env bash
# The test command: formatting, lints, then every test (unit, integration, corpus,
# property, GUI simulator) with cargo-nextest, whose summary line closes the run.
# Without the `gpu` feature: the tests draw in software, and wgpu is a long build.
set -euo pipefail
cd "$(dirname "$0")"

# Every scratch file of the run (test directories, FTP roots, browser profiles, sockets) goes
# under one fresh TMPDIR: removed when the run passes, kept (and named) when it fails, so a
# test that forgets to clean up cannot fill the disk over many runs.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/braid-tests.XXXXXX")
chmod 0755 "$scratch" # the Wayland drop harness runs its drag source as another user
finish() {
    status=$?
    if [ "$status" -eq 0 ]; then
        rm -rf "$scratch"
    else
        echo "test scratch kept for a look: $scratch" >&2
    fi
}
trap finish EXIT
export TMPDIR="$scratch"
cargo fmt --check
cargo clippy --all-targets --locked --no-default-features -- -D warnings
cargo nextest run --locked --no-fail-fast --no-default-features
