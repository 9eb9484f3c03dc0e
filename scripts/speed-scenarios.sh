#!/usr/bin/env bash
# Speed checks kept out of the suite because a loaded machine bends them; run them on a quiet one:
#   FloodDefenceScenario  honest delivery under each flood stays above half its quiet rate, and the
#                         handshake deadline cuts hostile sockets in time (figures: target/robustness/)
#   RateLimitScenario     a busy sender gets within 10% of the send or receive rate limit over 3 s
# Extra arguments go to Maven, e.g. -Dtest=RateLimitScenario to run one.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/jdk.sh
pick_jdk
exec mvn -B -ntp test -Dtest='FloodDefenceScenario,RateLimitScenario' -Dsurefire.failIfNoSpecifiedTests=false -DskipITs "$@"
