#!/usr/bin/env bash
# Runs any command of the node on a JDK >= 21 (picked as scripts/lib/jdk.sh says), building
# target/canopy-p2p.jar first when it is missing or stale:
#   scripts/canopy.sh id --data-dir /tmp/n1      scripts/canopy.sh keygen --data-dir DIR
#   scripts/canopy.sh sim --nodes 32 --json      scripts/canopy.sh run --listen 127.0.0.1:0
# Output of the command goes to stdout, logs and build progress to stderr.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/scripts/lib/jdk.sh"
pick_jdk
. "$root/scripts/lib/build.sh"
build_jar "$root"
exec "$JAVA_HOME/bin/java" -jar "$root/target/canopy-p2p.jar" "$@"
