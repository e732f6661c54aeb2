#!/usr/bin/env bash
# Checks the running test bed over real ssh: identity, isolation (files, processes, network),
# firewall (ports closed from other hosts, ssh open), cut/restore, strict host keys. Prints one
# line per check and ends with "N passed, M failed"; exits 1 when a check failed. Run as root
# after up.sh. Usage: bash tests/testbed/selftest.sh
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=config.sh
. "$here/config.sh"

tb_require_root
tb_parse_hosts
[ -r "$TB_DIR/ssh_config" ] || tb_die "no bed at $TB_DIR; run up.sh first"

passed=0
failed=0
check() {
  local what=$1
  shift
  if "$@" >/dev/null 2>&1; then
    passed=$((passed + 1))
    echo "ok   $what"
  else
    failed=$((failed + 1))
    echo "FAIL $what"
  fi
}
host_cmd() { bash "$here/host.sh" "$@"; }
# One ssh master connection per host for the checks below (each check then costs ~5 ms).
mux=(-o ControlMaster=auto -o "ControlPath=$TB_DIR/selftest-%h.sock" -o ControlPersist=60)
on() {
  local host=$1
  shift
  tb_ssh "${mux[@]}" "$host" -- "$@"
}
equals() { [ "$1" = "$2" ]; }
output_is() {
  local want=$1
  shift
  [ "$("$@" 2>/dev/null)" = "$want" ]
}
fails() { ! "$@"; }

stamp=selftest-$$
names=("${TB_NAMES[@]}")
first=${names[0]}
other=${names[1]:-${names[0]}}
root_mnt=$(readlink /proc/self/ns/mnt)
declare -A mnt_ns=()

for name in "${names[@]}"; do
  ip=$(tb_ip "$name")
  check "$name: fresh ssh connection with StrictHostKeyChecking=yes" \
    output_is "$name" ssh -F "$TB_DIR/ssh_config" -o StrictHostKeyChecking=yes "$name" hostname
  check "$name: ssh by address ($ip) works too" output_is "$name" tb_ssh "root@$ip" hostname
  check "$name: hostname" output_is "$name" on "$name" hostname
  check "$name: only sshd listens, on $ip:22" output_is "$ip:22" on "$name" "ss -Htln | awk '{print \$4}'"
  check "$name: PID 1 is sshd" output_is sshd on "$name" cat /proc/1/comm
  check "$name: sees only its own processes" on "$name" "[ \$(ps -e --no-headers | wc -l) -lt 10 ]"
  mnt_ns[$name]=$(on "$name" readlink /proc/self/ns/mnt)
  check "$name: own mount namespace" fails equals "${mnt_ns[$name]}" "$root_mnt"
  check "$name: /etc/hosts names $other" output_is "$(tb_ip "$other")" on "$name" "getent hosts $other | awk '{print \$1}'"
  check "$name: sbin dirs on sshd's PATH" on "$name" "command -v nft && command -v iptables && command -v sysctl"
  check "$name: no default route" output_is "" on "$name" "ip route show default"
  check "$name: no route out of 10.77.0.0/24" fails on "$name" "ip route get 192.0.2.1"
  check "$name: systemd is not visible (private /run)" fails on "$name" "test -d /run/systemd/system"
  if [ "$TB_RO_SYSCTL" = 1 ]; then
    check "$name: machine-wide sysctl (vm.*) is read-only" fails on "$name" "sysctl -qw vm.swappiness=\$(sysctl -n vm.swappiness)"
    check "$name: per-host sysctl (net.*) is writable" on "$name" "sysctl -qw net.ipv4.tcp_fin_timeout=\$(sysctl -n net.ipv4.tcp_fin_timeout)"
  fi
  for d in $TB_PRIVATE; do
    [ "$d" = /run ] && continue
    f=$d/$stamp-$name
    check "$name: writes $f into its own $d" on "$name" "echo $name >$f"
    check "$name: $f shows at \$TB_DIR/hosts/$name/root$f" output_is "$name" cat "$(tb_host_dir "$name")/root$f"
    check "$name: $f is not in the root namespace's $d" test ! -e "$f"
  done
done

distinct=$(printf '%s\n' "${mnt_ns[@]}" | sort -u | wc -l)
check "every host has a different mount namespace" equals "$distinct" "${#names[@]}"

# A peer of each host: the next one in the list.
declare -A peer_of=()
for i in "${!names[@]}"; do peer_of[${names[$i]}]=${names[$(((i + 1) % ${#names[@]}))]}; done

for name in "${names[@]}"; do
  peer=${peer_of[$name]}
  [ "$peer" = "$name" ] && continue
  check "$peer: does not see $name's /opt/rmq, /tmp and /root files" \
    on "$peer" "test ! -e /opt/rmq/$stamp-$name && test ! -e /tmp/$stamp-$name && test ! -e /root/$stamp-$name"
done

# Processes: a daemon started on one host lives on after the session and is invisible elsewhere.
check "$first: a daemon survives its ssh session" on "$first" "setsid nohup sleep 600 >/dev/null 2>&1 </dev/null & echo started"
check "$first: the daemon runs" on "$first" "pgrep -x sleep"
check "$other: does not see $first's daemon" fails on "$other" "pgrep -x sleep"
on "$first" "pkill -x sleep" >/dev/null 2>&1

# Firewall: a listening port is closed to other hosts (and open on loopback), ssh stays open.
port=10911
for name in "${names[@]}"; do
  ip=$(tb_ip "$name")
  from=${peer_of[$name]}
  kind=${TB_FW[$name]}
  [ "$TB_FIREWALL" = 1 ] || kind=none
  on "$name" "setsid nohup nc -lk $port >/dev/null 2>&1 </dev/null &"
  check "$name: a listener on $port answers on loopback" on "$name" "for i in \$(seq 50); do nc -z -w 1 127.0.0.1 $port && exit 0; sleep 0.1; done; exit 1"
  case $kind in
    nft)
      check "$name: nftables input policy drop" on "$name" "nft list chain inet filter input | grep -q 'policy drop'"
      check "$name: $port closed from $from" fails host_cmd probe "$from" "$ip" $port
      ;;
    iptables)
      check "$name: iptables INPUT policy DROP" output_is "-P INPUT DROP" on "$name" "iptables -S INPUT | head -n 1"
      check "$name: $port closed from $from" fails host_cmd probe "$from" "$ip" $port
      ;;
    none)
      check "$name: no firewall rules" output_is "" on "$name" "nft list ruleset"
      check "$name: $port open from $from" host_cmd probe "$from" "$ip" $port
      ;;
  esac
  [ "$name" = "$from" ] || check "$name: 22 open from $from" host_cmd probe "$from" "$ip" 22
  check "$name: 22 open from the root namespace" host_cmd probe root "$ip" 22
  check "$name: ssh still works" output_is "$name" on "$name" hostname
  on "$name" "pkill -x nc" >/dev/null 2>&1
done

# Host keys are checked: an empty known_hosts refuses the connection.
: >"$TB_DIR/selftest-empty-known-hosts"
check "$first: unknown host key refused" fails ssh -F "$TB_DIR/ssh_config" \
  -o "UserKnownHostsFile=$TB_DIR/selftest-empty-known-hosts" "$first" true
rm -f "$TB_DIR/selftest-empty-known-hosts"

# Cut and restore: the host drops off the network and comes back.
last=${names[$((${#names[@]} - 1))]}
host_cmd cut "$last"
check "$last: unreachable after cut" fails host_cmd probe "$first" "$(tb_ip "$last")" 22
check "$last: still running inside while cut" output_is "$last" host_cmd enter "$last" hostname
host_cmd restore "$last"
check "$last: reachable after restore" bash -c "for i in \$(seq 50); do bash '$here/host.sh' probe '$first' '$(tb_ip "$last")' 22 && exit 0; sleep 0.1; done; exit 1"
check "$last: ssh works after restore" output_is "$last" tb_ssh "$last" hostname

for name in "${names[@]}"; do
  on "$name" "rm -f /opt/rmq/$stamp-$name /tmp/$stamp-$name /root/$stamp-$name" >/dev/null 2>&1
  tb_ssh "${mux[@]}" -O exit "$name" >/dev/null 2>&1
done

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
