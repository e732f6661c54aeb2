#!/usr/bin/env bash
# POST /send throughput of `rmqctl gateway`: starts a name server, a broker (ASYNC_FLUSH) and the
# gateway (release build) on fresh loopback ports in a temp dir, then drives /send with keep-alive
# connections and 1 KiB bodies from a standard HTTP load tool, and prints requests/s and latency
# percentiles. The tool is `wrk` (Debian's package, installed with apt-get when missing and when
# running as root) or `oha` (installed with `cargo install oha` into benches/.tools when wrk is
# not to be had, or when LOADGEN=oha). Everything runs on this machine: the load tool takes CPU
# from the gateway and the broker. Usage:
#   benches/gateway-send.sh [SECONDS=10] [CONNECTIONS=64] [THREADS=2]
#   RMQCTL_BIN=path/to/rmqctl (default: cargo build --release; target/release/rmqctl)
#   LOADGEN=wrk|oha (default wrk)
set -euo pipefail
SECONDS_PER_RUN=${1:-10}
CONNECTIONS=${2:-64}
THREADS=${3:-2}
LOADGEN=${LOADGEN:-wrk}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${RMQCTL_BIN:-}" ]; then
  (cd "$ROOT" && cargo build --release --quiet)
  RMQCTL_BIN=$ROOT/target/release/rmqctl
fi
BIN=$(realpath "$RMQCTL_BIN")
WORK=$(mktemp -d /tmp/rmqctl-gw-bench.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT

install_loadgen() {
  if [ "$LOADGEN" = wrk ]; then
    command -v wrk >/dev/null && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
      command -v wrk >/dev/null && return 0
    fi
    echo "wrk not available; using oha" >&2
    LOADGEN=oha
  fi
  if ! command -v oha >/dev/null && [ ! -x "$ROOT/benches/.tools/bin/oha" ]; then
    cargo install --locked --root "$ROOT/benches/.tools" oha
  fi
  PATH=$ROOT/benches/.tools/bin:$PATH
}

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

wait_http() { # URL: until it answers 200 (60 s at most)
  for _ in $(seq 600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" = 200 ] && return 0
    sleep 0.1
  done
  echo "$1 never answered 200" >&2
  return 1
}

install_loadgen
NS_PORT=$(free_port)
BR_PORT=$(free_port)
GW_PORT=$(free_port)
cat > "$WORK/broker.properties" <<P
brokerClusterName=DefaultCluster
brokerName=broker-a
brokerId=0
brokerRole=ASYNC_MASTER
flushDiskType=ASYNC_FLUSH
namesrvAddr=127.0.0.1:$NS_PORT
brokerIP1=127.0.0.1
bindAddress=127.0.0.1
listenPort=$BR_PORT
storePathRootDir=$WORK/store
P
cat > "$WORK/gateway.toml" <<P
allow_callbacks = ["http://127.0.0.1:9/hooks/"]
P
RUST_LOG=warn "$BIN" namesrv --listen "127.0.0.1:$NS_PORT" --data-dir "$WORK/ns" 2> "$WORK/ns.log" &
RUST_LOG=warn "$BIN" broker -c "$WORK/broker.properties" 2> "$WORK/broker.log" &
sleep 1
RUST_LOG=warn "$BIN" gateway -c "$WORK/gateway.toml" --listen "127.0.0.1:$GW_PORT" -n "127.0.0.1:$NS_PORT" 2> "$WORK/gateway.log" &
GW_PID=$!
URL=http://127.0.0.1:$GW_PORT
wait_http "$URL/healthz"

# A 1 KiB /send body: backurl plus a data object padded to 1024 bytes in all.
BODY=$(python3 - <<'PY'
import json
base = {"backurl": "http://127.0.0.1:9/hooks/bench", "data": {"pad": ""}}
pad = 1024 - len(json.dumps(base, separators=(",", ":")))
base["data"]["pad"] = "x" * pad
print(json.dumps(base, separators=(",", ":")), end="")
PY
)
printf '%s' "$BODY" > "$WORK/body.json"
echo "gateway $URL, body ${#BODY} bytes, $CONNECTIONS connections, ${SECONDS_PER_RUN}s, $LOADGEN, $(nproc) CPUs"
curl -s -X POST --data-binary @"$WORK/body.json" "$URL/send"; echo

if [ "$LOADGEN" = wrk ]; then
  cat > "$WORK/send.lua" <<'LUA'
local f = io.open(os.getenv("BODY_FILE"), "rb")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
function done(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format("requests/s: %.0f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("latency p50: %.2f ms  p99: %.2f ms  max: %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("requests: %d  non-2xx: %d  socket errors: %d\n", summary.requests, non2xx,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
  BODY_FILE=$WORK/body.json wrk -t "$THREADS" -c "$CONNECTIONS" -d "${SECONDS_PER_RUN}s" --latency \
    -s "$WORK/send.lua" "$URL/send"
else
  oha -z "${SECONDS_PER_RUN}s" -c "$CONNECTIONS" -m POST -H 'Content-Type: application/json' \
    -D "$WORK/body.json" --no-tui "$URL/send"
fi
echo "gateway CPU (user+sys ticks): $(awk '{print $14 + $15}' "/proc/$GW_PID/stat")"
curl -s "$URL/metrics" | grep -E '^rmq_gateway_(sends_total|http_requests_total)'
