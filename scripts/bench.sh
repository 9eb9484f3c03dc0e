#!/usr/bin/env bash
# The benchmark suite (docs/BENCHMARKS.md, README "Benchmarks"). Measures the node ("p2p")
# against raw Vert.x TCP and TLS 1.3 baselines in one JVM, prints a table and writes
# target/bench/results.json. Never part of scripts/test.sh; never fails on a speed figure.
# Usage: scripts/bench.sh [--quick] [--contention N] [--gossip-messages N] [--out FILE] [figure...]
#   --quick   reduced suite, under two minutes (the full suite stays under ten)
#   --contention N   N busy threads in a separate JVM compete for the cores while the figures run;
#             results.json then starts with "contention": N (0 without the option)
#   --gossip-messages N   broadcasts per gossip run instead of 300 (quick) / 1,000 (gossip-big:
#             min(N, 10)); for a loaded machine, where 128 nodes and 1 MiB messages take long
#   --out     where to write the JSON (default target/bench/results.json)
#   figures   bulk-1MiB small-128B rtt-1KiB mixed-priority handshakes gossip-32 gossip-128 gossip-big
#             idle-peers (default: all; --quick leaves out gossip-128 and gossip-big)
# BENCH_JAVA_OPTS adds JVM flags, e.g. a JFR recording (docs/PERFORMANCE.md, "How to profile");
#   -Dcanopy.bench.histogram=true makes idle-peers print what an idle peer's heap is made of (the
#   class histogram's growth, bytes per peer, as jcmd GC.class_histogram counts it);
#   -Dcanopy.bench.socketBufferBytes=N sets p2p.socketBufferBytes on both p2p nodes (kernel
#   socket buffers bounded instead of autotuned; docs/PERFORMANCE.md, mixed-priority).
#   gossip-32 also runs with validation on (every node's validator accepts everything) beside the
#   plain run: extra p2p_validated, notes validated_delivery_ratio_min and validated_p50_ratio
set -euo pipefail
cd "$(dirname "$0")/.."
for a in "$@"; do
  case "$a" in -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;; esac
done
. scripts/lib/jdk.sh
pick_jdk
command -v mvn >/dev/null || { echo "error: mvn (Maven 3.8+) is not on the PATH" >&2; exit 1; }

# Build (profile "jmh": src/jmh/java as test sources) only when a source or the pom is newer
# than the last bench build, or when a build without the profile has dropped the bench classes.
stamp=target/bench/.built
classpath_file=target/bench/classpath.txt
main_class=target/test-classes/network/canopy/p2p/bench/BenchMain.class
if [ ! -f "$stamp" ] || [ ! -f "$classpath_file" ] || [ ! -f "$main_class" ] \
    || [ -n "$(find pom.xml src -newer "$stamp" -type f -print -quit)" ]; then
  echo "bench.sh: building (mvn -Pjmh test-compile)"
  mkdir -p target/bench
  mvn -B -ntp -q -Dstyle.color=never -Pjmh test-compile dependency:build-classpath \
    -Dmdep.outputFile="$classpath_file" -Dmdep.includeScope=test
  touch "$stamp"
fi
classpath="target/test-classes:target/classes:$(cat "$classpath_file")"

jvm_flags=(-Xms1g -Xmx3g -Dlogback.configurationFile=src/jmh/resources/logback-bench.xml
  --enable-native-access=ALL-UNNAMED)
# Netty reaches sun.misc.Unsafe; JDK 24+ warns unless allowed (JDK 21 rejects the flag).
if [ "$JAVA_MAJOR" -ge 24 ]; then jvm_flags+=(--sun-misc-unsafe-memory-access=allow); fi

# Extra JVM flags from the environment (word-split on purpose: several flags).
# shellcheck disable=SC2206
if [ -n "${BENCH_JAVA_OPTS:-}" ]; then jvm_flags+=($BENCH_JAVA_OPTS); fi

echo "bench.sh: JDK $JAVA_HOME"
exec "$JAVA_HOME/bin/java" "${jvm_flags[@]}" -cp "$classpath" network.canopy.p2p.bench.BenchMain "$@"
