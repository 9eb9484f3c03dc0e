#!/usr/bin/env python3
"""Churn run (called by scripts/churn.sh): N node processes on loopback with fixed ports; every
PERIOD seconds kill -9 a random FRACTION of them and restart them at once, for DURATION seconds,
broadcasting one message a second from a random live node meanwhile. Checks:
  - every message reached every node that was up and connected from the message's origin to the end
    of its delivery window (WINDOW seconds), seen in that node's /api/recent;
  - every restarted node came back with the same node id (its key) and loaded its peer book
    (log line "peer book: N entries loaded", nothing set aside).
Only stdlib; talks to the nodes' admin API on 127.0.0.1. Exit 0 when every check passed."""
import json, math, os, random, signal, subprocess, sys, time, urllib.request

def arg(name, default):
    return int(os.environ.get(name, default))

N, PERIOD, DURATION = arg("CHURN_NODES", 12), arg("CHURN_PERIOD", 10), arg("CHURN_SECONDS", 180)
FRACTION, WINDOW, SETTLE = 0.3, 8.0, 3.0
JAR, ROOT, JAVA, CONF, BASE = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
TOPIC = "consensus"

def p2p_port(i): return BASE + i
def admin_port(i): return BASE + 100 + i

def http(i, path, body=None, timeout=2.0):
    req = urllib.request.Request(f"http://127.0.0.1:{admin_port(i)}{path}", data=body,
                                 method="POST" if body is not None else "GET")
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.loads(r.read().decode())

class Node:
    def __init__(self, i):
        self.i, self.proc, self.id, self.up_since, self.killed_at = i, None, None, None, []
        self.data = os.path.join(ROOT, f"n{i}")
        os.makedirs(self.data, exist_ok=True)
        self.log = os.path.join(self.data, "node.log")
        self.log_offset = 0

    def start(self, dials):
        self.log_offset = os.path.getsize(self.log) if os.path.exists(self.log) else 0
        args = [JAVA, "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", JAR, "run",
                "--config", CONF, "--data-dir", self.data, "--listen", f"127.0.0.1:{p2p_port(self.i)}",
                "--admin", f"127.0.0.1:{admin_port(self.i)}", "--set", "p2p.maxPerIp=1000"]
        for d in dials:
            args += ["--dial", d]
        self.proc = subprocess.Popen(args, stdout=open(self.log, "a"), stderr=subprocess.STDOUT)
        self.up_since = None

    def poll_up(self):
        if self.up_since is None and self.proc.poll() is None:
            try:
                node = http(self.i, "/api/node", timeout=0.5)
                if node.get("peers", {}).get("inbound", 0) + node.get("peers", {}).get("outbound", 0) > 0:
                    self.up_since, seen = time.time(), node["id"]
                    return seen
            except Exception:
                pass
        return None

    def log_since_start(self):
        with open(self.log, "rb") as f:
            f.seek(self.log_offset)
            return f.read().decode(errors="replace")

def main():
    nodes = [Node(i) for i in range(N)]
    NODES.extend(nodes)
    ids, problems = {}, []
    for n in nodes:  # first start: node i dials i-1 and a random earlier one, by id once known
        dials = [f"{ids[j]}@127.0.0.1:{p2p_port(j)}" for j in sorted({n.i - 1, random.randrange(max(1, n.i))}) if 0 <= j < n.i]
        n.start(dials)
        deadline = time.time() + 60
        while n.id is None and time.time() < deadline:
            try:
                n.id = http(n.i, "/api/node", timeout=0.5)["id"]
            except Exception:
                time.sleep(0.2)
        if n.id is None:
            sys.exit(f"node {n.i} did not start; see {n.log}")
        ids[n.i] = n.id
    dial_args = {n.i: [f"{ids[j]}@127.0.0.1:{p2p_port(j)}" for j in {n.i - 1, (n.i + 5) % N} if j >= 0 and j != n.i] for n in nodes}
    while any(n.up_since is None for n in nodes):
        for n in nodes:
            n.poll_up()
        time.sleep(0.2)
    print(f"churn: {N} nodes up; killing {math.ceil(N * FRACTION)} every {PERIOD} s for {DURATION} s", flush=True)
    messages, restarts, start = [], 0, time.time()
    next_kill, next_send = start + PERIOD, start
    while time.time() - start < DURATION or any(not m.get("checked") for m in messages):
        now = time.time()
        for n in nodes:
            seen = n.poll_up()
            if seen is not None and seen != ids[n.i]:
                problems.append(f"node {n.i} came back as {seen[:16]}, was {ids[n.i][:16]}: key not loaded")
            if seen is not None and n.killed_at:
                text = n.log_since_start()
                if "entries loaded from" not in text or "could not be read" in text:
                    problems.append(f"node {n.i} restart: peer book not loaded: {text[-300:]!r}")
        if now - start < DURATION and now >= next_kill:
            victims = random.sample(nodes, math.ceil(N * FRACTION))
            for v in victims:
                v.proc.send_signal(signal.SIGKILL)
            for v in victims:
                v.proc.wait()
                v.killed_at.append(time.time())
                v.start(dial_args[v.i])
                restarts += 1
            print(f"t={now - start:5.1f}s kill -9 and restart nodes {sorted(v.i for v in victims)}", flush=True)
            next_kill += PERIOD
        if now - start < DURATION and now >= next_send:
            live = [n for n in nodes if n.up_since is not None]
            origin = random.choice(live)
            try:
                reply = http(origin.i, f"/api/broadcast?topic={TOPIC}", f"churn {len(messages)} {now}".encode())
                messages.append({"id": reply["id"], "origin": origin.i, "t0": time.time()})
            except Exception as e:
                print(f"t={now - start:5.1f}s broadcast from node {origin.i} failed: {e}", flush=True)
            next_send += 1.0
        check(nodes, messages, problems)
        time.sleep(0.05)
    for n in nodes:
        n.proc.terminate()
    for n in nodes:
        n.proc.wait()
    expected = sum(m["expected"] for m in messages)
    got = sum(m["got"] for m in messages)
    print(f"churn: {len(messages)} broadcasts, {restarts} kill -9 restarts, deliveries {got}/{expected} "
          f"to nodes up and connected through each message's {WINDOW:.0f} s window")
    for p in problems[:20]:
        print("PROBLEM:", p)
    print("churn: PASS" if not problems and got == expected else f"churn: FAIL ({len(problems)} problems)")
    sys.exit(0 if not problems and got == expected else 1)

def check(nodes, messages, problems):
    """Once a message's window is over, asks every node that was up (and connected) throughout it."""
    now = time.time()
    for m in messages:
        if m.get("checked") or now < m["t0"] + WINDOW:
            continue
        m["checked"], m["expected"], m["got"] = True, 0, 0
        for n in nodes:
            if n.i == m["origin"] or n.up_since is None or n.up_since > m["t0"] - SETTLE:
                continue
            if any(m["t0"] - 1 <= k <= m["t0"] + WINDOW for k in n.killed_at):
                continue
            m["expected"] += 1
            try:
                recent = http(n.i, f"/api/recent?topic={TOPIC}&limit=256")
                if any(r.get("id") == m["id"] for r in recent):
                    m["got"] += 1
                else:
                    problems.append(f"message {m['id'][:12]} from node {m['origin']} missing at node {n.i}")
            except Exception as e:
                problems.append(f"node {n.i} did not answer /api/recent: {e}")

NODES = []

def stop_all(*_):
    for n in NODES:
        if n.proc is not None and n.proc.poll() is None:
            n.proc.kill()
    sys.exit(130)

if __name__ == "__main__":
    signal.signal(signal.SIGTERM, stop_all)
    signal.signal(signal.SIGINT, stop_all)
    main()
