#!/usr/bin/env bash
# Crash-safety long mode: kill -9 a process at random moments while it saves the peer book,
# KILLS times (default 100; the normal suite does 50), and check after every kill that the book
# loads, nothing is set aside and no completed save is lost (PeerBookCrashTest).
#   scripts/crash-safety.sh [kills]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/jdk.sh
pick_jdk
kills="${1:-100}"
[[ "$kills" =~ ^[0-9]+$ ]] && [ "$kills" -ge 1 ] || { echo "usage: $0 [kills>=1]" >&2; exit 2; }
start=$SECONDS
mvn -B -ntp -o test -Dtest=PeerBookCrashTest -Dcanopy.bookKills="$kills" -Dsurefire.failIfNoSpecifiedTests=false \
  > target/crash-safety.log 2>&1 && rc=0 || rc=$?
out=target/surefire-reports/network.canopy.p2p.book.PeerBookCrashTest-output.txt
grep '^kill ' "$out" | tail -3 || true
grep -E 'Tests run:' target/crash-safety.log | tail -1
echo "crash-safety: $kills kills in $((SECONDS - start)) s: $([ "$rc" -eq 0 ] && echo 'the book loaded after every kill' || echo "FAILED (target/crash-safety.log)")"
exit "$rc"
