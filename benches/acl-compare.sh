#!/usr/bin/env bash
# Produce throughput with ACL on against ACL off, in one run: one name server and two brokers of
# the same release binary on loopback, one with aclEnable=true (every send signed by the bench
# with HMAC-SHA1 and verified by the broker) and one without; the same `rmqctl bench produce`
# load alternates between them ROUNDS times so both see the same machine state. Prints each
# round and the ratio of the medians. Needs a release rmqctl (target/release or $RMQCTL).
# Each broker stores what it is sent (about 0.1 GB per second at 1 KiB messages) under a temp
# dir removed at exit: keep ROUNDS x SECONDS small on a machine with little free disk.
# PIN=1 puts the name server and both brokers on CPU 0 and the bench on CPU 1 (taskset), so
# the ratio is the broker's alone, as on a deployment where producers run on other machines;
# without it everything shares every core and the ratio counts the producer's signing too.
# Usage: [PIN=1] [OFF_SIGNED=1] benches/acl-compare.sh [ROUNDS (5)] [SECONDS per round (4)] [-- extra bench flags]
set -euo pipefail
ROUNDS=${1:-5}
SECONDS_PER_ROUND=${2:-4}
shift $(( $# >= 2 ? 2 : $# ))
[ "${1:-}" = "--" ] && shift
EXTRA=("$@")
R=${RMQCTL:-target/release/rmqctl}
SERVER_CPU=(); BENCH_CPU=()
if [ "${PIN:-0}" = 1 ]; then SERVER_CPU=(taskset -c 0); BENCH_CPU=(taskset -c 1); fi
D=$(mktemp -d "${STORE_DIR:-/tmp}/acl-compare.XXXXXX")
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$D"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# A port p with p-2 to p+11 free: both brokers (p and p+10) with their fast (-2) and HA (+1) ports.
free_block() {
  python3 - <<'PY'
import random, socket
def free(p):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); return True
    except OSError:
        return False
    finally:
        s.close()
for _ in range(1000):
    p = random.randint(12000, 30000)
    if all(free(q) for q in range(p - 2, p + 12)):
        print(p); break
else:
    raise SystemExit("no 14 free loopback ports in a row")
PY
}
wait_port() { # PORT LOG
  for _ in $(seq 200); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.05; done
  echo "port $1 not listening; the end of $2:" >&2; tail -5 "$2" >&2; exit 1
}

NS_PORT=$(free_port)
cat > "$D/ns.properties" <<P
listenPort=$NS_PORT
bindAddress=127.0.0.1
kvConfigPath=$D/kv.json
configStorePath=$D/ns-store.properties
P
"${SERVER_CPU[@]}" $R namesrv -c "$D/ns.properties" 2> "$D/ns.log" & pids+=($!)
wait_port "$NS_PORT" "$D/ns.log"

start_broker() { # NAME PORT ACL
  mkdir -p "$D/$1"
  cat > "$D/$1/broker.properties" <<P
brokerClusterName=Bench
brokerName=$1
brokerId=0
namesrvAddr=127.0.0.1:$NS_PORT
brokerIP1=127.0.0.1
bindAddress=127.0.0.1
listenPort=$2
storePathRootDir=$D/$1/store
aclEnable=$3
P
  cat > "$D/$1/plain_acl.yml" <<Y
accounts:
  - accessKey: benchuser
    secretKey: bench-secret
    defaultTopicPerm: DENY
    defaultGroupPerm: SUB
    topicPerms:
      - AclBench=PUB|SUB
Y
  "${SERVER_CPU[@]}" $R broker -c "$D/$1/broker.properties" 2> "$D/$1.log" & pids+=($!)
  wait_port "$2" "$D/$1.log"
}
P_OFF=$(free_block)
P_ON=$(( P_OFF + 10 ))
start_broker off "$P_OFF" false
start_broker on "$P_ON" true

# ACL off: the bench sends unsigned, as a client of a broker without ACL does (OFF_SIGNED=1:
# signed too, which the broker ignores, to measure the broker's check alone). ACL on: every
# send is signed by the bench and checked by the broker, so the ratio counts both sides' cost
# (they share this machine's cores).
bench() { # PORT signed|unsigned [DURATION]
  local env=()
  [ "$2" = signed ] && env=(RMQCTL_ACCESS_KEY=benchuser RMQCTL_SECRET_KEY=bench-secret)
  env "${env[@]}" "${BENCH_CPU[@]}" $R bench produce -b 127.0.0.1:$1 -t AclBench --duration "${3:-$SECONDS_PER_ROUND}" -o json "${EXTRA[@]}" \
    | python3 -c 'import json,sys; r=json.load(sys.stdin); g=lambda *k: next(r[x] for x in k if x in r); print(int(g("msgs_per_sec","msgsPerSec")), r["errors"], g("latency_ms","latencyMs")["p99"])'
}
# A warm-up round each creates the topic and fills the page cache.
bench "$P_OFF" unsigned 2 > /dev/null
bench "$P_ON" signed 2 > /dev/null
off=(); on=()
# Each arm writes about 0.5 GB that the kernel writes back in the seconds after: `sync` before
# every arm keeps that writeback out of the next arm's time, and the order alternates (off
# first in odd rounds, on first in even ones) so neither arm always runs second. Without both,
# two identical ACL-off brokers measured 0.96x-0.97x apart here. The machine's speed also
# drifts during a run (on the development VM, after some 6 GB of new page cache the kernel
# zeroes every page it hands out and throughput drops by a third): the ratio reported is the
# median of each round's own on/off ratio, whose two arms ran back to back.
run_off() { read -r a ea pa < <(bench "$P_OFF" "$( [ "${OFF_SIGNED:-0}" = 1 ] && echo signed || echo unsigned)"); }
run_on() { read -r b eb pb < <(bench "$P_ON" signed); }
for i in $(seq "$ROUNDS"); do
  if (( i % 2 )); then sync; run_off; sync; run_on; else sync; run_on; sync; run_off; fi
  off+=("$a"); on+=("$b")
  echo "round $i: ACL off $a msg/s (errors $ea, p99 ${pa} ms) | ACL on $b msg/s (errors $eb, p99 ${pb} ms)"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
m_off=$(median "${off[@]}"); m_on=$(median "${on[@]}")
ratios=(); for i in "${!off[@]}"; do ratios+=("$(python3 -c "print(${on[$i]}/${off[$i]})")"); done
m_ratio=$(median "${ratios[@]}")
python3 -c "print(f'median: ACL off $m_off msg/s, ACL on $m_on msg/s; rounds on/off: ' + ' '.join(f'{r:.3f}' for r in [${ratios[*]/%/,}]) + f'; median on/off = {$m_ratio:.3f}')"
