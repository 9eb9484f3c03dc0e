#!/usr/bin/env bash
# Builds target/canopy-p2p.jar when it is missing or older than the sources, then runs one node
# with conf/config.yaml. Extra arguments are passed to the node (e.g. --listen 127.0.0.1:0).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/scripts/lib/jdk.sh"
pick_jdk
echo "run-node.sh: JDK $JAVA_MAJOR at $JAVA_HOME" >&2
. "$root/scripts/lib/build.sh"
build_jar "$root"
config="$root/conf/config.yaml"
has_config=0
for a in "$@"; do [ "$a" = "--config" ] && has_config=1; done
args=()
[ "$has_config" = 1 ] || args+=(--config "$config")
exec "$JAVA_HOME/bin/java" -jar "$root/target/canopy-p2p.jar" run "${args[@]}" "$@"
