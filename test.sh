#!/usr/bin/env bash
# The test command: formatting, lints, then every test (unit, integration, corpus,
# property, GUI simulator) with cargo-nextest, whose summary line closes the run.
# Without the `gpu` feature: the tests draw in software, and wgpu is a long build.
set -euo pipefail
cd "$(dirname "$0")"
cargo fmt --check
cargo clippy --all-targets --locked --no-default-features -- -D warnings
cargo nextest run --locked --no-fail-fast --no-default-features
