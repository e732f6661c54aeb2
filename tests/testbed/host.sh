#!/usr/bin/env bash
# Acts on one host of the running test bed (run as root). Usage:
#   host.sh probe FROM IP PORT   TCP connect from host FROM (or "root": the root namespace) to
#                                IP:PORT; exit 0 when it connects within TB_PROBE_TIMEOUT (1) s
#   host.sh cut HOST             make HOST unreachable (its bridge-side veth goes down)
#   host.sh restore HOST         make HOST reachable again
#   host.sh exec HOST CMD...     run CMD over real ssh (remote shell, sshd's PATH)
#   host.sh enter HOST CMD...    run CMD inside HOST's namespaces without ssh (works when cut)
#   host.sh firewall HOST        re-apply HOST's baseline firewall (lockdown, or none with TB_FIREWALL=0)
#   host.sh wipe HOST            kill every process of HOST but its sshd, empty its /opt/rmq and /tmp
#   host.sh list                 print "name ip firewall" per host
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=config.sh
. "$here/config.sh"

tb_require_root
tb_parse_hosts

usage() { sed -n '2,12p' "$0" >&2; exit 2; }

# Baseline "locked-down" firewall: input policy drop, allow lo, established/related and ssh.
# nft hosts look like Debian's /etc/nftables.conf with a drop policy; iptables hosts use the
# iptables command (nft backend on Debian 12) like a classic RHEL/Ubuntu fleet.
firewall() {
  local name=$1 ns
  ns=$(tb_netns "$name")
  local kind=${TB_FW[$name]}
  [ "$TB_FIREWALL" = 1 ] || kind=none
  ip netns exec "$ns" nft flush ruleset
  case $kind in
    nft)
      ip netns exec "$ns" nft -f - <<'EOF'
table inet filter {
	chain input {
		type filter hook input priority filter; policy drop;
		iif "lo" accept
		ct state established,related accept
		tcp dport 22 accept
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
	}
	chain output {
		type filter hook output priority filter; policy accept;
	}
}
EOF
      ;;
    iptables)
      ip netns exec "$ns" iptables-restore <<'EOF'
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
COMMIT
EOF
      ;;
    none) ;;
  esac
}

probe() {
  local from=$1 ip=$2 port=$3
  if [ "$from" = root ]; then
    nc -z -w "${TB_PROBE_TIMEOUT:-1}" "$ip" "$port" 2>/dev/null
  else
    tb_known_host "$from"
    ip netns exec "$(tb_netns "$from")" nc -z -w "${TB_PROBE_TIMEOUT:-1}" "$ip" "$port" 2>/dev/null
  fi
}

enter() {
  local name=$1 pid
  shift
  pid=$(tb_sshd_pid "$name") || tb_die "$name is not running (no live sshd); run up.sh"
  nsenter -t "$pid" -m -u -n -p -- "$@"
}

wipe() {
  local name=$1
  if [ "$TB_PIDNS" = 1 ]; then
    # kill -1 inside the host's PID namespace reaches every process there but PID 1 (sshd).
    enter "$name" sh -c 'kill -KILL -1 2>/dev/null; true'
  fi
  local h
  h=$(tb_host_dir "$name")
  [ ! -d "$h/root/opt/rmq" ] || find "$h/root/opt/rmq" -mindepth 1 -delete
  [ ! -d "$h/root/tmp" ] || find "$h/root/tmp" -mindepth 1 -delete
}

[ $# -ge 1 ] || usage
verb=$1
shift
case $verb in
  list)
    for name in "${TB_NAMES[@]}"; do printf '%s %s %s\n' "$name" "$(tb_ip "$name")" "${TB_FW[$name]}"; done
    ;;
  probe)
    [ $# -eq 3 ] || usage
    probe "$@"
    ;;
  cut | restore | firewall | wipe)
    [ $# -eq 1 ] || usage
    tb_known_host "$1"
    case $verb in
      cut) ip link set "$(tb_veth "$1")" down ;;
      restore) ip link set "$(tb_veth "$1")" up ;;
      firewall) firewall "$1" ;;
      wipe) wipe "$1" ;;
    esac
    ;;
  exec)
    [ $# -ge 2 ] || usage
    tb_known_host "$1"
    tb_ssh "$@"
    ;;
  enter)
    [ $# -ge 2 ] || usage
    tb_known_host "$1"
    enter "$@"
    ;;
  *) usage ;;
esac
