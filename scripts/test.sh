#!/usr/bin/env bash
# The whole test suite. .ci/run calls exactly this. Extra arguments go to Maven
# (e.g. scripts/test.sh -Dtest=ConfigLoaderTest).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/jdk.sh
pick_jdk
command -v mvn >/dev/null || { echo "error: mvn (Maven 3.8+) is not on the PATH" >&2; exit 1; }
echo "test.sh: JDK $JAVA_HOME"
# DashboardBrowserTest drives headless Chromium. When it is missing (Debian/Ubuntu) this installs
# it with apt-get, as root or through passwordless sudo, with --no-install-recommends and apt's
# output shown; CANOPY_NO_CHROMIUM_INSTALL=1 skips that (the test is then skipped, loudly).
if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null && [ -z "${CHROMIUM:-}" ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo -n"
  if command -v apt-get >/dev/null && [ -z "${CANOPY_NO_CHROMIUM_INSTALL:-}" ]; then
    echo "test.sh: installing chromium for the dashboard browser test:" \
      "${sudo:+$sudo }apt-get install -y --no-install-recommends chromium (set CANOPY_NO_CHROMIUM_INSTALL=1 to skip)"
    $sudo apt-get install -y --no-install-recommends chromium \
      || { $sudo apt-get update && $sudo apt-get install -y --no-install-recommends chromium; } \
      || echo "test.sh: chromium could not be installed"
  fi
  command -v chromium >/dev/null \
    || echo "test.sh: WARNING ******** no chromium: DashboardBrowserTest will be SKIPPED (dashboard not browser-tested) ********"
fi
# -B -ntp rather than -q: Surefire's "Tests run:" lines must stay visible.
exec mvn -B -ntp -Dstyle.color=never verify "$@"
