#!/usr/bin/env bash
# Redraws every screen in en/de/es at 800×500 and 1600×1000 (examples/screenshots.rs)
# and brings the pictures to their real size with a palette of 256 colours, so the
# repository stays small. Needs imagemagick (apt-get install -y imagemagick).
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v mogrify >/dev/null || { echo "make.sh: imagemagick is needed" >&2; exit 2; }
cargo run --quiet --no-default-features --example screenshots
for picture in assets/screenshots/{en,de,es}/*/*.png; do
    mogrify -resize 50% -strip -colors 256 -define png:compression-level=9 "$picture"
done
du -sh assets/screenshots
