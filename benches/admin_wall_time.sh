#!/usr/bin/env bash
# Wall time of whole `rmqctl` processes against a local 4-broker cluster (one name server, four
# masters broker-a..d, all bundled, on loopback): `cluster status` and `topic create`.
# Usage: benches/admin_wall_time.sh [path/to/rmqctl] [runs]   (default target/release/rmqctl, 21)
set -euo pipefail
BIN=${1:-target/release/rmqctl}
RUNS=${2:-21}
DIR=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$DIR"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
NS_PORT=$(free_port)
printf 'listenPort=%s\nbindAddress=127.0.0.1\nkvConfigPath=%s/kv.json\nconfigStorePath=%s/ns.store\n' \
  "$NS_PORT" "$DIR" "$DIR" > "$DIR/ns.properties"
"$BIN" namesrv -c "$DIR/ns.properties" 2>"$DIR/ns.log" & PIDS+=($!)
sleep 0.5
port=$((30000 + RANDOM % 20000))
for b in a b c d; do
  printf 'brokerClusterName=DefaultCluster\nbrokerName=broker-%s\nbrokerId=0\nnamesrvAddr=127.0.0.1:%s\nbrokerIP1=127.0.0.1\nlistenPort=%s\nstorePathRootDir=%s/store-%s\nbrokerRole=ASYNC_MASTER\nflushDiskType=ASYNC_FLUSH\n' \
    "$b" "$NS_PORT" "$port" "$DIR" "$b" > "$DIR/broker-$b.properties"
  "$BIN" broker -c "$DIR/broker-$b.properties" 2>"$DIR/broker-$b.log" & PIDS+=($!)
  port=$((port + 10))
done
NS="127.0.0.1:$NS_PORT"
for _ in $(seq 50); do
  n=$("$BIN" cluster status -n "$NS" -o json 2>/dev/null | grep -c '"broker_name"' || true)
  [ "$n" = 4 ] && break
  sleep 0.2
done
median_ms() { # command...
  local times=()
  for i in $(seq "$RUNS"); do
    local s e
    s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N)
    times+=($(( (e - s) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.2f ms (min %.2f, max %.2f, n=%d)\n", a[int((NR+1)/2)]/1000, a[1]/1000, a[NR]/1000, NR}'
}
echo "cluster status (4 brokers): $(median_ms "$BIN" cluster status -n "$NS")"
echo "topic create (4 masters):   $(median_ms "$BIN" topic create -t BenchTopic -r 8 -w 8 -n "$NS")"
echo "topic create, new values:   $(i=0; median_ms sh -c "\"$BIN\" topic create -t BenchTopic\$(date +%N) -n $NS")"
