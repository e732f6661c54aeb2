#!/usr/bin/env bash
# TLS against plain TCP in one run: one bundled broker in tls.server.mode=permissive (certificates
# from `rmqctl tls init`), `bench produce` plain, TLS, plain, TLS (10 s each, 64 producers, 1 KiB),
# then the idle RSS of a name server plain and enforcing. Needs a release rmqctl (target/release or
# $RMQCTL). Usage: benches/tls-vs-plain.sh
set -e
B=${RMQCTL:-target/release/rmqctl}
D=$(mktemp -d)
$B tls init $D/certs >/dev/null
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
NS=$(free_port)
cat > $D/namesrv.properties <<P
listenPort=$NS
bindAddress=127.0.0.1
kvConfigPath=$D/kv.json
configStorePath=$D/ns-store.properties
P
$B namesrv -c $D/namesrv.properties 2>$D/ns.log & NSPID=$!
# a port triple: listenPort-2, listenPort, listenPort+1
while :; do P=$(( ($(free_port) % 20000) + 30000 )); python3 - <<PY && break
import socket
for p in ($P-2,$P,$P+1):
    s=socket.socket(); s.bind(("127.0.0.1",p)); s.close()
PY
done
cat > $D/broker.properties <<P
brokerClusterName=DefaultCluster
brokerName=broker-bench
brokerId=0
brokerRole=ASYNC_MASTER
flushDiskType=ASYNC_FLUSH
namesrvAddr=127.0.0.1:$NS
brokerIP1=127.0.0.1
bindAddress=127.0.0.1
listenPort=$P
storePathRootDir=$D/store
tls.server.mode=permissive
tls.server.certPath=$D/certs/localhost.pem
tls.server.keyPath=$D/certs/localhost-key.pem
P
$B broker -c $D/broker.properties 2>$D/broker.log & BPID=$!
for i in $(seq 100); do (echo > /dev/tcp/127.0.0.1/$P) 2>/dev/null && break; sleep 0.2; done
sleep 1
echo "idle RSS kB: namesrv(plain) $(awk '/VmRSS/{print $2}' /proc/$NSPID/status) broker(permissive, cert loaded) $(awk '/VmRSS/{print $2}' /proc/$BPID/status)"
run() { $B bench produce -b 127.0.0.1:$P --duration 10 --connections 4 --producers 64 --size 1024 -o json "$@" 2>/dev/null | python3 -c "import json,sys; r=json.load(sys.stdin); l=r['latency_ms']; print('%.0f msg/s p50 %.3f p99 %.3f p999 %.3f ms errors %d' % (r['msgs_per_sec'], l['p50'], l['p99'], l['p999'], r['errors']))"; }
echo "plain #1: $(run)"
echo "TLS   #1: $(run --tls-ca $D/certs/ca.pem)"
echo "plain #2: $(run)"
echo "TLS   #2: $(run --tls-ca $D/certs/ca.pem)"
echo "broker RSS after runs kB: $(awk '/VmRSS/{print $2}' /proc/$BPID/status)"
kill $BPID; wait $BPID || true
kill $NSPID; wait $NSPID || true
# idle RSS of a name server: plain vs enforcing with a certificate
NS2=$(free_port)
cat > $D/ns2.properties <<P
listenPort=$NS2
bindAddress=127.0.0.1
kvConfigPath=$D/kv2.json
configStorePath=$D/ns2-store.properties
P
$B namesrv -c $D/ns2.properties 2>/dev/null & A=$!; sleep 1.5
PLAIN=$(awk '/VmRSS/{print $2}' /proc/$A/status); kill $A; wait $A || true
printf 'tls.server.mode=enforcing\ntls.server.certPath=%s\ntls.server.keyPath=%s\n' $D/certs/localhost.pem $D/certs/localhost-key.pem >> $D/ns2.properties
$B namesrv -c $D/ns2.properties 2>/dev/null & A=$!; sleep 1.5
TLS=$(awk '/VmRSS/{print $2}' /proc/$A/status)
$B cluster status -n 127.0.0.1:$NS2 --tls-ca $D/certs/ca.pem >/dev/null
TLS_AFTER=$(awk '/VmRSS/{print $2}' /proc/$A/status); kill $A; wait $A || true
echo "namesrv idle RSS kB: plain $PLAIN, enforcing $TLS, enforcing after one TLS client $TLS_AFTER"
rm -rf $D
