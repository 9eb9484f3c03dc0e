#!/usr/bin/env bash
# Builds target/canopy-p2p.jar when it is missing or older than the sources, then runs one node
# with conf/config.yaml. Extra arguments are passed to the node (e.g. --listen 127.0.0.1:0).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/scripts/lib/jdk.sh"
pick_jdk
jar="$root/target/canopy-p2p.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root/src/main" "$root/pom.xml" -newer "$jar" -print -quit)" ]; then
  command -v mvn >/dev/null || { echo "error: mvn (Maven 3.8+) is not on the PATH" >&2; exit 1; }
  echo "run-node.sh: building $jar" >&2
  (cd "$root" && mvn -B -q -ntp -DskipTests package) >&2
fi
config="$root/conf/config.yaml"
has_config=0
for a in "$@"; do [ "$a" = "--config" ] && has_config=1; done
args=()
[ "$has_config" = 1 ] || args+=(--config "$config")
exec "$JAVA_HOME/bin/java" -jar "$jar" run "${args[@]}" "$@"
