#!/usr/bin/env bash
# Builds the JMH benchmarks (Maven profile "jmh", sources in src/jmh/java) and runs them.
# Usage: scripts/jmh.sh [regex] [JMH options...]
#   regex defaults to "FrameCodecBench"; without options a short run is made
#   (-wi 2 -i 3 -f 1 -w 2s -r 2s). Prints JMH's table, then plaintext MB/s per row.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/jdk.sh
pick_jdk
command -v mvn >/dev/null || { echo "error: mvn (Maven 3.8+) is not on the PATH" >&2; exit 1; }

regex="${1:-FrameCodecBench}"
[ $# -gt 0 ] && shift
if [ $# -eq 0 ]; then
  set -- -wi 2 -i 3 -f 1 -w 2s -r 2s
  echo "jmh.sh: short run ($*); pass JMH options after the regex for a longer one"
fi

mvn -B -ntp -q -Pjmh test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/jmh-classpath.txt -Dmdep.includeScope=test
classpath="target/test-classes:target/classes:$(cat target/jmh-classpath.txt)"
result=target/jmh-result.csv

echo "jmh.sh: JDK $JAVA_HOME"
"$JAVA_HOME/bin/java" -cp "$classpath" org.openjdk.jmh.Main "$regex" -rf csv -rff "$result" "$@"

# Throughput rows with a "size" parameter (plaintext bytes): ops/s x size = bytes/s.
if [ -f "$result" ]; then
  echo
  echo "Plaintext throughput:"
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i ~ /Param: size/) col = i; next }
    col && $7 ~ /ops\/s/ {
      gsub(/"/, "", $1); gsub(/"/, "", $col)
      printf "  %-55s size=%-6s %12.0f ops/s %10.1f MB/s\n", $1, $col, $5, $5 * $col / 1e6
    }' "$result"
fi
