#!/usr/bin/env bash
# Copy the Android and iOS trees of a build of the realistic example into android-sample/ and
# ios-sample/, model artifacts included (git keeps all but those; see .gitignore), so the samples
# open and run in Android Studio and Xcode.
# Usage: scripts/sync-samples.sh [BUILD_DIR]   (default build/mobilenet_v2)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build/mobilenet_v2}
for platform in android ios; do
  [ -d "$build/$platform" ] || { echo "sync-samples: $build/$platform not found" >&2; exit 1; }
done
for platform in android ios; do
  rm -rf "$root/$platform-sample"
  cp -R "$build/$platform" "$root/$platform-sample"
done
echo "sync-samples: android-sample/ and ios-sample/ now hold $build" >&2
