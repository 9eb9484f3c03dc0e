#!/usr/bin/env bash
# Churn: 12 node processes on loopback (fixed ports from CHURN_BASE_PORT, default 19400); every
# 10 s kill -9 a random 30% and restart them, for 3 minutes, broadcasting one message a second.
# Prints deliveries to every node that was up and connected through each message's window, and
# whether every restarted node came back with its key and its peer book. Exit 0 on success.
#   CHURN_NODES=12 CHURN_PERIOD=10 CHURN_SECONDS=180 scripts/churn.sh
# Needs python3 and curl-free stdlib only; data and logs under target/churn.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/scripts/lib/jdk.sh"
pick_jdk
jar="$root/target/canopy-p2p.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root/src/main" "$root/pom.xml" -newer "$jar" -print -quit)" ]; then
  echo "churn.sh: building $jar" >&2
  (cd "$root" && mvn -B -q -ntp -o -DskipTests package) >&2
fi
dir="$root/target/churn"
rm -rf "$dir" && mkdir -p "$dir"
exec python3 "$root/scripts/churn.py" "$jar" "$dir" "$JAVA_HOME/bin/java" "$root/conf/config.yaml" "${CHURN_BASE_PORT:-19400}"
