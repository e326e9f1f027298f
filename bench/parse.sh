#!/usr/bin/env bash
# Metalink parse speed: a 10 MB document (100 000 mirrors, 50 000 pieces), release build.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --quiet --release --example parse_speed
