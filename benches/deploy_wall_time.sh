#!/usr/bin/env bash
# Wall time of whole `rmqctl deploy` processes on the four-host test bed (tests/testbed, as root):
# a fresh deploy of the 2m-2s-sync inventory to verified (hosts wiped before each run: binary,
# files, firewall, start, verify), then deploys with nothing to change (connect, inspect, verify).
# Usage: benches/deploy_wall_time.sh [path/to/rmqctl] [runs]   (default target/release/rmqctl, 5)
# BENCH_SECOND_BED=1 uses a second bed (bm-a bs-a bm-b bs-b on 10.78.0.0/24, /var/lib/rmq-bench),
# so it can run while tests use the first one.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(realpath "${1:-target/release/rmqctl}")
RUNS=${2:-5}
NAMES="master-a slave-a master-b slave-b"
NET=10.77.0
if [ "${BENCH_SECOND_BED:-0}" = 1 ]; then
  export TB_DIR=/var/lib/rmq-bench TB_NET=10.78.0 TB_BR=rmqbr1 TB_VETH=rmqw
  export TB_HOSTS="bm-a:11 bs-a:12 bm-b:13 bs-b:14"
  NAMES="bm-a bs-a bm-b bs-b"
  NET=10.78.0
  trap_down='bash tests/testbed/down.sh >/dev/null 2>&1'
fi
TB_DIR=${TB_DIR:-/var/lib/rmq-testbed}
bash tests/testbed/up.sh >/dev/null
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"; '"${trap_down:-true}" EXIT
sed -e "s#^\[namesrv\]#ssh_config = \"$TB_DIR/ssh_config\"\n\n[namesrv]#" -e "s/10\.77\.0\./$NET./" \
  inventories/2m-2s-sync.toml > "$DIR/bed.toml"
ms() { date +%s%3N; }
run() { local t0 t1; t0=$(ms); "$BIN" deploy "$DIR/bed.toml" --yes -o json > "$DIR/out.json" 2>"$DIR/err.log" || { cat "$DIR/err.log" >&2; exit 1; }; t1=$(ms); echo $((t1 - t0)); }
echo "binary: $BIN ($(stat -c %s "$BIN") bytes)"
fresh=(); same=()
for _ in $(seq "$RUNS"); do
  for h in $NAMES; do bash tests/testbed/host.sh wipe "$h" >/dev/null; done
  bash tests/testbed/up.sh >/dev/null   # baseline firewalls again
  fresh+=("$(run)")
  same+=("$(run)")
done
"$BIN" destroy "$DIR/bed.toml" --yes >/dev/null 2>&1 || true
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "fresh deploy to verified, ms: ${fresh[*]} (median $(median "${fresh[@]}"))"
echo "unchanged re-deploy, ms:      ${same[*]} (median $(median "${same[@]}"))"
