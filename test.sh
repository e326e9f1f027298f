#!/usr/bin/env bash
# The test command: formatting, lints, then every test (unit, integration, corpus,
# property) with cargo-nextest, whose summary line closes the run.
set -euo pipefail
cd "$(dirname "$0")"
cargo fmt --check
cargo clippy --all-targets --locked -- -D warnings
cargo nextest run --locked --no-fail-fast
