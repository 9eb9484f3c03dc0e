#!/usr/bin/env bash
# The whole test suite. .ci/run calls exactly this. Extra arguments go to Maven
# (e.g. scripts/test.sh -Dtest=ConfigLoaderTest).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/jdk.sh
pick_jdk
command -v mvn >/dev/null || { echo "error: mvn (Maven 3.8+) is not on the PATH" >&2; exit 1; }
echo "test.sh: JDK $JAVA_HOME"
# -B -ntp rather than -q: Surefire's "Tests run:" lines must stay visible.
exec mvn -B -ntp verify "$@"
