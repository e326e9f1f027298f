#!/bin/sh
# Type-checks and lints Braid for macOS and Windows from a Linux machine, so code behind
# `cfg(target_os = "macos")` / `cfg(windows)` does not rot unseen. No SDK is needed:
# `cargo clippy` never links, and the C parts of dependencies (aws-lc) are "compiled" by a
# stand-in that writes empty objects. This checks types and lints only; it runs nothing.
#
#   packaging/cross-check.sh            # both targets
#   packaging/cross-check.sh aarch64-apple-darwin
set -eu
cd "$(dirname "$0")/.."

targets="${*:-aarch64-apple-darwin x86_64-pc-windows-msvc}"
stand_in="$(mktemp -d)"
trap 'rm -rf "$stand_in"' EXIT

cat >"$stand_in/cc" <<'CC'
#!/bin/sh
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    -o) out="$2"; shift ;;
    -Fo*|/Fo*) out="${1#?Fo}" ;;
    -E) exit 0 ;;
  esac
  shift
done
[ -n "$out" ] && : >"$out"
exit 0
CC
cat >"$stand_in/ar" <<'AR'
#!/bin/sh
for a in "$@"; do
  case "$a" in
    -out:*|-OUT:*|/OUT:*) printf '!<arch>\n' >"${a#*:}"; exit 0 ;;
    *.a|*.lib) printf '!<arch>\n' >"$a"; exit 0 ;;
  esac
done
exit 0
AR
chmod +x "$stand_in/cc" "$stand_in/ar"

for target in $targets; do
  rustup target add "$target" >/dev/null
  var=$(echo "$target" | tr '-' '_')
  echo "== $target"
  env "CC_$var=$stand_in/cc" "AR_$var=$stand_in/ar" \
    cargo clippy --locked --target "$target" --no-default-features --all-targets -- -D warnings
done
