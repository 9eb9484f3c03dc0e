#!/usr/bin/env bash
# The slow-application soak of issue 15 (not part of scripts/test.sh): for each default topic, a
# sender at full speed for N seconds (default 60) against an application taking 2 ms per message,
# in one JVM run with a fixed 512 MiB heap, after a 10 s case that warms the JIT (printed, not
# judged). Prints one line per topic and PASS/FAIL: a topic passes when every accepted message
# arrived in order, the budget held, the sender saw backpressure, and the probe topic's p99 under
# load is at most twice its unloaded p99.
# Usage: scripts/flow-soak.sh [SECONDS] [--plain] [--retry-ms N] [--in-flight N] [--topics T1,T2]
#   --plain: a consumer that never acknowledges; --retry-ms: the sender's wait after a 503 (default 1);
#   --in-flight: sends the sender keeps in flight (default 64); --topics: only these topics (default:
#   the four default ones)
# scripts/flow-soak.sh --cluster [SECONDS] [--topics T1,T2] runs the same per topic with the slow
# application in a second JVM on the clustered event bus (Hazelcast TCP-IP on 127.0.0.1, a cluster
# name of its own per topic; FlowSoakCluster).
# scripts/flow-soak.sh --attack instead runs BudgetDefenceProcessIT (20 hostile peers against a node
# in its own JVM with -Xmx512m) and prints its figures: the honest peers' message rate under attack
# against their quiet rate (issue goal: at least 0.5), peak budget use against the budget.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/jdk.sh
pick_jdk
if [ "${1:-}" = "--attack" ]; then
  mvn -B -ntp -o -Dstyle.color=never test-compile failsafe:integration-test failsafe:verify \
    -Dit.test=BudgetDefenceProcessIT > target/flow-soak-attack.log 2>&1 && ok=PASS || ok=FAIL
  grep -h "budget-defence-process:" target/failsafe-reports/*BudgetDefenceProcessIT-output.txt || true
  echo "flow-soak --attack: $ok (Maven output in target/flow-soak-attack.log)"
  [ "$ok" = PASS ]
  exit
fi
classpath_file=target/soak-classpath.txt
if [ ! -f "$classpath_file" ] || [ ! -f target/test-classes/network/canopy/p2p/node/FlowSoak.class ] \
    || [ -n "$(find pom.xml src -newer "$classpath_file" -type f -print -quit)" ]; then
  mvn -B -ntp -q -o test-compile dependency:build-classpath -Dmdep.outputFile="$classpath_file" \
    -Dmdep.includeScope=test
fi
main=network.canopy.p2p.node.FlowSoak
if [ "${1:-}" = "--cluster" ]; then
  main=network.canopy.p2p.node.FlowSoakCluster
  shift
fi
opens="--enable-native-access=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED"
opens="$opens --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.management/sun.management=ALL-UNNAMED"
opens="$opens --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED"
opens="$opens --add-exports java.base/jdk.internal.ref=ALL-UNNAMED"
# shellcheck disable=SC2086 # the options are words
# A fixed heap (-Xms = -Xmx), as a latency-sensitive node is deployed: G1 otherwise shrinks an idle
# heap and then collects every few hundred ms once the load starts.
exec "$JAVA_HOME/bin/java" -Xms512m -Xmx512m $opens "-Dcanopy.jvm.opens=$opens" \
  -cp "target/test-classes:target/classes:$(cat "$classpath_file")" "$main" "$@"
