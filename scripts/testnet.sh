#!/usr/bin/env bash
# testnet.sh N [--broadcast] [--once] [--dir DIR]
#
# Starts N node processes (default 5) on loopback, wired into one network: node i dials node i-1
# and one random earlier node (explicit --dial; ports are picked by the OS, so several testnets can
# run side by side). Prints each node's id, P2P address and admin URL, then keeps running until
# Ctrl-C (or SIGTERM), which stops every node it started.
#
#   --broadcast  once the links are up, broadcast a few messages on topic "consensus" from random
#                nodes and show, through each node's /api/recent, that every node got every one
#   --once       with --broadcast: stop the nodes afterwards and exit 0 if every node got every
#                message, 1 otherwise (for scripts and CI)
#   --dir DIR    where the nodes' data dirs and logs go (default target/testnet; node keys are kept,
#                so ids stay the same from run to run)
#
# Environment: TESTNET_JAVA_OPTS (default "-Xmx256m -XX:+UseSerialGC"), TESTNET_TOPIC (consensus).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/scripts/lib/jdk.sh"
pick_jdk

count=5 broadcast=0 once=0 dir="$root/target/testnet"
while [ $# -gt 0 ]; do
  case "$1" in
    --broadcast) broadcast=1 ;;
    --once) once=1 ;;
    --dir) dir="$2"; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *[!0-9]*|'') echo "testnet.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    *) count="$1" ;;
  esac
  shift
done
[ "$count" -ge 1 ] || { echo "testnet.sh: N must be at least 1" >&2; exit 2; }
topic="${TESTNET_TOPIC:-consensus}"
read -r -a java_opts <<< "${TESTNET_JAVA_OPTS:--Xmx256m -XX:+UseSerialGC}"

jar="$root/target/canopy-p2p.jar"
. "$root/scripts/lib/build.sh"
build_jar "$root"

pids=()
stop_all() {
  trap - INT TERM EXIT
  if [ ${#pids[@]} -gt 0 ]; then
    echo "testnet.sh: stopping ${#pids[@]} nodes" >&2
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  fi
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap stop_all EXIT

# Waits for node $1's "up" log line; prints its admin HOST:PORT.
await_up() {
  local log="$1" pid="$2" admin="" deadline=$((SECONDS + 60))
  while [ -z "$admin" ]; do
    kill -0 "$pid" 2>/dev/null || { echo "testnet.sh: node exited, see $log" >&2; tail -5 "$log" >&2; return 1; }
    [ "$SECONDS" -lt "$deadline" ] || { echo "testnet.sh: node not up within 60 s, see $log" >&2; return 1; }
    admin=$(sed -n 's/.* up: admin=http:\/\/\([^/]*\)\/.*/\1/p' "$log" | head -1)
    [ -n "$admin" ] || sleep 0.2
  done
  echo "$admin"
}

mkdir -p "$dir"
ids=() addrs=() admins=()
for ((i = 0; i < count; i++)); do
  data="$dir/n$i"
  mkdir -p "$data"
  dials=()
  if [ "$i" -ge 1 ]; then
    dials+=(--dial "${ids[$((i - 1))]}@${addrs[$((i - 1))]}")
    if [ "$i" -ge 2 ]; then
      other=$((RANDOM % (i - 1)))
      dials+=(--dial "${ids[$other]}@${addrs[$other]}")
    fi
  fi
  log="$data/node.log"
  : > "$log"
  "$JAVA_HOME/bin/java" "${java_opts[@]}" -jar "$jar" run --config "$root/conf/config.yaml" \
    --data-dir "$data" --listen 127.0.0.1:0 --admin 127.0.0.1:0 \
    --set p2p.maxPerIp=1000 "${dials[@]}" >"$log" 2>&1 &
  pids+=($!)
  admin=$(await_up "$log" "$!")
  node_json=$(curl -sf "http://$admin/api/node")
  ids+=("$(jq -r .id <<< "$node_json")")
  addrs+=("$(jq -r .listen <<< "$node_json")")
  admins+=("$admin")
  printf 'node %-3d id %s  p2p %-21s admin http://%s/\n' "$i" "${ids[$i]:0:16}" "${addrs[$i]}" "$admin"
done
echo "testnet.sh: $count nodes up (data and logs under $dir); Ctrl-C stops them all"

# Waits until every dial is a connection: node 1 dials one node, every later node two distinct ones.
await_links() {
  local expected=$((count - 1 + (count > 2 ? count - 2 : 0))) total deadline=$((SECONDS + 30)) i
  while :; do
    total=0
    for ((i = 0; i < count; i++)); do
      total=$((total + $(curl -sf "http://${admins[$i]}/api/node" | jq '.peers.outbound')))
    done
    [ "$total" -ge "$expected" ] && return 0
    [ "$SECONDS" -lt "$deadline" ] || { echo "testnet.sh: only $total of $expected links up after 30 s" >&2; return 1; }
    sleep 0.2
  done
}

if [ "$broadcast" = 1 ]; then
  await_links || true
  msg_ids=() origins=()
  for k in 1 2 3; do
    origin=$((RANDOM % count))
    reply=$(curl -sf -X POST --data-binary "testnet message $k at $(date +%s%N)" \
      "http://${admins[$origin]}/api/broadcast?topic=$topic")
    msg_ids+=("$(jq -r .id <<< "$reply")")
    origins+=("$origin")
    echo "broadcast $k from node $origin: id ${msg_ids[-1]:0:16}"
  done
  missing=1 deadline=$((SECONDS + 10))
  while [ "$missing" -gt 0 ] && [ "$SECONDS" -lt "$deadline" ]; do
    missing=0
    report=""
    for ((i = 0; i < count; i++)); do
      recent=$(curl -sf "http://${admins[$i]}/api/recent?topic=$topic&limit=256")
      line=$(printf 'node %-3d' "$i")
      for k in 0 1 2; do
        if [ "${origins[$k]}" = "$i" ]; then
          line+="  origin  "
        elif jq -e --arg id "${msg_ids[$k]}" 'any(.[]; .id == $id)' <<< "$recent" >/dev/null; then
          line+="  got     "
        else
          line+="  MISSING "
          missing=$((missing + 1))
        fi
      done
      report+="$line"$'\n'
    done
    [ "$missing" -eq 0 ] || sleep 0.2
  done
  printf '         %-10s%-10s%s\n' "msg 1" "msg 2" "msg 3"
  printf '%s' "$report"
  if [ "$missing" -eq 0 ]; then
    echo "testnet.sh: every node got every message (seen in /api/recent)"
  else
    echo "testnet.sh: $missing deliveries missing after 10 s" >&2
  fi
  if [ "$once" = 1 ]; then
    [ "$missing" -eq 0 ] && exit 0 || exit 1
  fi
fi

wait -n "${pids[@]}" || true
echo "testnet.sh: a node exited on its own; stopping the others" >&2
