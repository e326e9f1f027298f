#!/bin/sh
# Assembles Braid.app from a build: the binary, Info.plist (with Cargo.toml's version)
# and the icon. On a Mac:
#
#   cargo build --release && packaging/macos/bundle.sh
#   cp -R target/macos/Braid.app /Applications/
#
# Launch Services reads the document types when the app is first seen in /Applications;
# after that, double-clicking a .meta4 or .metalink in Finder opens it in Braid.
# Usage: bundle.sh [BINARY]   (default target/release/braid)
set -eu
cd "$(dirname "$0")/../.."

binary="${1:-target/release/braid}"
[ -x "$binary" ] || { echo "bundle.sh: $binary: no such program; build it first" >&2; exit 2; }
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
app=target/macos/Braid.app
icons=packaging/linux/icons/hicolor

rm -rf "$app"
mkdir -p "$app/Contents/MacOS" "$app/Contents/Resources"
cp "$binary" "$app/Contents/MacOS/braid"
sed "s|<string>0\.1\.0</string>|<string>$version</string>|" packaging/macos/Info.plist \
  >"$app/Contents/Info.plist"

icns="$app/Contents/Resources/Braid.icns"
if command -v iconutil >/dev/null; then
  set_dir=$(mktemp -d)/Braid.iconset
  mkdir -p "$set_dir"
  for size in 16 32 128 256 512; do
    cp "$icons/${size}x${size}/apps/io.github.braid.Braid.png" "$set_dir/icon_${size}x${size}.png"
  done
  for size in 16 32 128 256; do
    double=$((size * 2))
    cp "$icons/${double}x${double}/apps/io.github.braid.Braid.png" "$set_dir/icon_${size}x${size}@2x.png"
  done
  iconutil -c icns "$set_dir" -o "$icns"
elif command -v png2icns >/dev/null; then
  # libicns, for assembling the bundle on Linux.
  png2icns "$icns" $(for size in 16 32 128 256 512; do
    echo "$icons/${size}x${size}/apps/io.github.braid.Braid.png"
  done) >/dev/null
else
  echo "bundle.sh: needs iconutil (macOS) or png2icns (libicns) for the icon" >&2
  exit 2
fi
echo "$app"
