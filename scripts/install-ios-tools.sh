#!/usr/bin/env bash
# Make the Swift toolchain usable for the iOS checks (swift build / swift test of the generated
# package, swiftc -parse / -typecheck): idempotent, non-interactive, quiet.
#
# There is no Xcode on Linux: the Swift toolchain itself (swift.org release, e.g. 6.3.1) must
# already be unpacked; set SWIFT_TOOLCHAIN to its root (default /opt/swift, the folder holding
# usr/bin/swift). This script installs the Debian packages the toolchain needs at run time and
# checks that it runs, then prints the PATH export the caller needs:
#   eval "$(bash scripts/install-ios-tools.sh)"
set -euo pipefail

toolchain=${SWIFT_TOOLCHAIN:-/opt/swift}

# Run-time dependencies of the swift.org Linux toolchain (swift.org/install/linux, Debian 12).
packages=(binutils gcc libc6-dev libstdc++-12-dev libcurl4-openssl-dev libedit2 libncurses-dev
  libpython3-dev libsqlite3-0 libxml2-dev pkg-config tzdata uuid-dev zlib1g-dev
  faketime)  # not for Swift: tests/test_build.py builds under another date to prove the
             # .mlpackage carries none

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-ios-tools: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  if [ ! -x "$toolchain/usr/bin/swift" ]; then
    echo "install-ios-tools: no Swift toolchain at $toolchain; unpack a swift.org release there" \
      "or set SWIFT_TOOLCHAIN" >&2
    exit 1
  fi
  export PATH="$toolchain/usr/bin:$PATH"
fi

swift --version >/dev/null
echo "export PATH=\"$(dirname "$(command -v swift)"):\$PATH\""
