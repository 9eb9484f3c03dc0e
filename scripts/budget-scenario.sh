#!/usr/bin/env bash
# The 20-hostile-peers memory-budget scenario (BudgetDefenceScenario). It is outside the suite
# because it still fails: see the class comment and the open "flow" issue.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/jdk.sh
pick_jdk
exec mvn -B -ntp test -Dtest=BudgetDefenceScenario -Dsurefire.failIfNoSpecifiedTests=false -DskipITs "$@"
