#!/usr/bin/env bash
# The whole test suite. .ci/run calls exactly this. Extra arguments go to Maven
# (e.g. scripts/test.sh -Dtest=ConfigLoaderTest).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/jdk.sh
pick_jdk
command -v mvn >/dev/null || { echo "error: mvn (Maven 3.8+) is not on the PATH" >&2; exit 1; }
echo "test.sh: JDK $JAVA_HOME"
# DashboardBrowserTest drives headless Chromium; install it when missing (Debian), else say loudly that it is skipped.
if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null && [ -z "${CHROMIUM:-}" ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo -n"
  if command -v apt-get >/dev/null; then
    echo "test.sh: installing chromium for the dashboard browser test"
    { $sudo apt-get install -y -q chromium || { $sudo apt-get update -q && $sudo apt-get install -y -q chromium; }; } \
      >/dev/null 2>&1 || true
  fi
  command -v chromium >/dev/null \
    || echo "test.sh: WARNING ******** no chromium: DashboardBrowserTest will be SKIPPED (dashboard not browser-tested) ********"
fi
# -B -ntp rather than -q: Surefire's "Tests run:" lines must stay visible.
exec mvn -B -ntp verify "$@"
