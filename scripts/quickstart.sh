#!/usr/bin/env bash
# The README's first command: set up (virtualenv from constraints.txt, cached outside the clone),
# build the bundled MobileNetV2 example for Android and iOS into build/mobilenet_v2/, and copy the
# generated trees, models included, into android-sample/ and ios-sample/.
# Extra arguments go to `sdkgen build` (e.g. --no-cache).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash scripts/setup.sh
.venv/bin/sdkgen build --example mobilenet_v2 --platform all --out build/mobilenet_v2 --force "$@"
bash scripts/sync-samples.sh build/mobilenet_v2
echo "quickstart: read build/mobilenet_v2/report.md; open android-sample/ in Android Studio and" \
  "ios-sample/App/MobileNetV2Sample.xcodeproj in Xcode" >&2
