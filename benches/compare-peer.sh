#!/usr/bin/env bash
# Same load against rmqctl's broker and the rocketmq-rust broker (peers.md), one after the other,
# on loopback, in /tmp/bt. Needs a release rmqctl (target/release or $RMQCTL) and the peers in
# ~/.cache/rmq-peers/bin (peers.md); writes the peers' TOML configs itself (ports 39876, 30911).
# Usage: benches/compare-peer.sh FLUSH (ASYNC_FLUSH|SYNC_FLUSH)
set -u
FLUSH=$1
R=${RMQCTL:-target/release/rmqctl}
P=$HOME/.cache/rmq-peers/bin
OUT=/tmp/bt/results-$FLUSH
rm -rf $OUT /tmp/bt/cmp && mkdir -p $OUT /tmp/bt/cmp/ours /tmp/bt/peer/home/store
rm -rf /tmp/bt/peer/home/store/* /tmp/bt/peer/ns/*.json
mkdir -p /tmp/bt/peer/ns /tmp/bt/peer/home/conf
cat > /tmp/bt/peer/ns/namesrv.toml <<T
rocketmqHome = "/tmp/bt/peer/ns"
kvConfigPath = "/tmp/bt/peer/ns/kvConfig.json"
configStorePath = "/tmp/bt/peer/ns/namesrv.properties"
T
cat > /tmp/bt/peer/home/conf/broker.toml <<T
[broker]
namesrvAddr = "127.0.0.1:39876"
brokerIp1 = "127.0.0.1"
listenPort = 30911
storePathRootDir = "/tmp/bt/peer/home/store"
autoCreateTopicEnable = true
[broker.brokerServerConfig]
bindAddress = "127.0.0.1"
[broker.brokerIdentity]
brokerName = "broker-a"
brokerClusterName = "DefaultCluster"
brokerId = 0
[store]
storeType = "LocalFile"
brokerRole = "ASYNC_MASTER"
flushDiskType = "$FLUSH"
storePathRootDir = "/tmp/bt/peer/home/store"
haListenAddress = "127.0.0.1"
haListenPort = 30912
T
export ROCKETMQ_SECURITY_PROFILE=development-insecure-loopback

rss() { grep VmRSS /proc/$1/status | awk '{print $2}'; }

run_load() { # NAME NAMESRV
  local name=$1 ns=$2
  $R bench produce -n $ns -t Bench1 --connections 4 --producers 64 --size 1024 --duration 10 -o json > $OUT/$name-produce-b1.json
  $R bench produce -n $ns -t Bench1 --connections 4 --producers 16 --size 1024 --batch 32 --duration 10 -o json > $OUT/$name-produce-b32.json
  $R bench produce -n $ns -t Bench1 --connections 64 --producers 64 --size 1024 --duration 10 -o json > $OUT/$name-produce-b1-c64.json
  $R bench consume -n $ns -t Bench1 --connections 4 --duration 10 -o json > $OUT/$name-consume.json
}

# ---- rmqctl ----
cat > /tmp/bt/cmp/ours/ns.properties <<P
listenPort=29876
bindAddress=127.0.0.1
kvConfigPath=/tmp/bt/cmp/ours/kv.json
P
cat > /tmp/bt/cmp/ours/broker.properties <<P
brokerClusterName=DefaultCluster
brokerName=broker-a
brokerId=0
brokerRole=ASYNC_MASTER
flushDiskType=$FLUSH
namesrvAddr=127.0.0.1:29876
brokerIP1=127.0.0.1
bindAddress=127.0.0.1
listenPort=21911
storePathRootDir=/tmp/bt/cmp/ours/store
P
RUST_LOG=warn $R namesrv -c /tmp/bt/cmp/ours/ns.properties > /tmp/bt/cmp/ours/ns.log 2>&1 & NS=$!
sleep 1
RUST_LOG=warn $R broker -c /tmp/bt/cmp/ours/broker.properties > /tmp/bt/cmp/ours/broker.log 2>&1 & BR=$!
sleep 5
echo "rmqctl idle RSS kB: broker $(rss $BR) namesrv $(rss $NS)" | tee $OUT/rss.txt
run_load rmqctl 127.0.0.1:29876
echo "rmqctl RSS after load kB: $(rss $BR)" | tee -a $OUT/rss.txt
kill $BR; sleep 3; kill $NS; wait $BR $NS 2>/dev/null

# ---- rocketmq-rust ----
if [ ! -x $P/rocketmq-broker-rust ]; then SKIP_PEER=1; else SKIP_PEER=0; fi
if [ $SKIP_PEER = 0 ]; then
(cd /tmp/bt/peer/ns && exec $P/rocketmq-namesrv-rust -c namesrv.toml --bindAddress 127.0.0.1 --listenPort 39876 > ns.log 2>&1) & PNSP=$!
sleep 2
(cd /tmp/bt/peer/home && ROCKETMQ_HOME=$PWD exec $P/rocketmq-broker-rust -c conf/broker.toml -n 127.0.0.1:39876 > broker.log 2>&1) & PBR=$!
sleep 8
echo "rocketmq-rust idle RSS kB: broker $(rss $PBR) namesrv $(rss $PNSP)" | tee -a $OUT/rss.txt
run_load rocketmq-rust 127.0.0.1:39876
echo "rocketmq-rust RSS after load kB: $(rss $PBR)" | tee -a $OUT/rss.txt
kill $PBR; sleep 4; kill $PNSP; wait $PBR $PNSP 2>/dev/null
fi
for f in $OUT/*.json; do printf '%-40s ' $(basename $f); python3 -c "import json,sys; r=json.load(open('$f')); print('msgs/s %8.0f  errors %d  p50 %.2f p99 %.2f p999 %.2f ms  %s' % (r['msgs_per_sec'], r['errors'], r['latency_ms']['p50'], r['latency_ms']['p99'], r['latency_ms']['p999'], r['first_error'] or ''))" 2>/dev/null || echo "(no result: $(head -c 200 $f))"; done
