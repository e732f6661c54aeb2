#!/usr/bin/env bash
# Interleaved A/B of two rmqctl builds as name server + broker (e.g. the glibc release build against
# the static musl one): ROUNDS rounds, each starting A then B on fresh loopback ports with a fresh
# store in a temp dir and driving it with the same load generator (`bench produce`, 4 connections,
# 64 producers, 1 KiB, no batch, ASYNC_FLUSH). Prints, for every run, msgs/s and the broker's CPU
# time (user + sys) per message, and the ratios of B's medians to A's. On a shared machine the CPU
# time per message is the steadier of the two. Usage:
#   benches/ab_brokers.sh A_BIN B_BIN [ROUNDS=5] [SECONDS=10] [LOADGEN=A_BIN]
#   e.g. benches/ab_brokers.sh target/release/rmqctl target/x86_64-unknown-linux-musl/release/rmqctl
set -euo pipefail
A=$(realpath "$1")
B=$(realpath "$2")
ROUNDS=${3:-5}
SECONDS_PER_RUN=${4:-10}
LOADGEN=$(realpath "${5:-$1}")
WORK=$(mktemp -d /tmp/rmqctl-ab.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT

free_port() { # a loopback port whose port-2 and port+1 are free too (the broker needs all three)
  python3 - <<'PY'
import socket
while True:
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close()
    if p < 3 or p > 65000: continue
    try:
        for q in (p - 2, p, p + 1):
            t = socket.socket(); t.bind(("127.0.0.1", q)); t.close()
    except OSError:
        continue
    print(p); break
PY
}

wait_port() { # PORT: until something listens (30 s at most)
  for _ in $(seq 300); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listens on 127.0.0.1:$1" >&2
  return 1
}

wait_registered() { # NAMESRV: until the broker is in the cluster info (30 s at most)
  for _ in $(seq 300); do
    "$LOADGEN" cluster status -n "$1" -o json 2>/dev/null | grep -q '"broker_name"' && return 0
    sleep 0.1
  done
  echo "no broker registered with $1" >&2
  return 1
}

cpu_ticks() { # PID: user + sys clock ticks
  awk '{print $14 + $15}' "/proc/$1/stat"
}

run_one() { # LABEL BIN -> prints "msgs/s broker-CPU-us-per-message"
  local label=$1 bin=$2 dir ns_port br_port ns br
  dir=$WORK/$label-$round
  mkdir -p "$dir"
  ns_port=$(free_port)
  br_port=$(free_port)
  cat > "$dir/broker.properties" <<P
brokerClusterName=DefaultCluster
brokerName=broker-a
brokerId=0
brokerRole=ASYNC_MASTER
flushDiskType=ASYNC_FLUSH
namesrvAddr=127.0.0.1:$ns_port
brokerIP1=127.0.0.1
bindAddress=127.0.0.1
listenPort=$br_port
storePathRootDir=$dir/store
P
  RUST_LOG=warn "$bin" namesrv --listen "127.0.0.1:$ns_port" --data-dir "$dir/ns" 2> "$dir/ns.log" &
  ns=$!
  wait_port "$ns_port"
  RUST_LOG=warn "$bin" broker -c "$dir/broker.properties" 2> "$dir/broker.log" &
  br=$!
  wait_port "$br_port"
  wait_registered "127.0.0.1:$ns_port"
  local ticks_before ticks_after
  ticks_before=$(cpu_ticks "$br")
  "$LOADGEN" bench produce -n "127.0.0.1:$ns_port" -t AbBench --connections 4 --producers 64 \
    --size 1024 --duration "$SECONDS_PER_RUN" -o json > "$dir/produce.json"
  ticks_after=$(cpu_ticks "$br")
  kill "$br" "$ns"
  wait "$br" "$ns" 2>/dev/null || true
  python3 - "$dir/produce.json" $((ticks_after - ticks_before)) "$(getconf CLK_TCK)" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["errors"] == 0, r
cpu_us = int(sys.argv[2]) / int(sys.argv[3]) * 1e6
print("%.0f %.2f" % (r["msgs_per_sec"], cpu_us / r["messages"]))
PY
  rm -rf "$dir/store"
}

a_runs=()
b_runs=()
for round in $(seq "$ROUNDS"); do
  read -r a a_cpu <<< "$(run_one A "$A")"
  read -r b b_cpu <<< "$(run_one B "$B")"
  if [ -z "$a" ] || [ -z "$b" ]; then
    echo "round $round failed (see the error above)" >&2
    exit 1
  fi
  a_runs+=("$a:$a_cpu")
  b_runs+=("$b:$b_cpu")
  echo "round $round: A $a msgs/s ($a_cpu us CPU/msg)   B $b msgs/s ($b_cpu us CPU/msg)"
done
python3 - "${a_runs[*]}" "${b_runs[*]}" <<'PY'
import statistics, sys
a = [tuple(map(float, x.split(":"))) for x in sys.argv[1].split()]
b = [tuple(map(float, x.split(":"))) for x in sys.argv[2].split()]
def med(runs, i):
    return statistics.median(r[i] for r in runs)
print(f"msgs/s median: A {med(a, 0):.0f}, B {med(b, 0):.0f}, B/A {med(b, 0) / med(a, 0):.3f}; "
      f"per round B/A {' '.join(f'{y[0] / x[0]:.3f}' for x, y in zip(a, b))}")
print(f"broker CPU us/msg median: A {med(a, 1):.2f}, B {med(b, 1):.2f}, "
      f"A/B (throughput per CPU) {med(a, 1) / med(b, 1):.3f}")
PY
