# shellcheck shell=bash disable=SC2034
# Knobs and host list of the rmqctl multi-host test bed; sourced (bash) by up.sh, down.sh,
# host.sh and selftest.sh. See tests/testbed/README.md for what each knob does.
# (SC2034: the variables set here are used by the scripts that source this file.)

TB_DIR=${TB_DIR:-/var/lib/rmq-testbed}
TB_NET=${TB_NET:-10.77.0}
TB_BR=${TB_BR:-rmqbr0}
TB_VETH=${TB_VETH:-rmqv}
TB_HOSTS=${TB_HOSTS:-"master-a:11 slave-a:12 master-b:13 slave-b:14"}
TB_PRIVATE=${TB_PRIVATE:-"/opt/rmq /tmp /root /run"}
TB_OVERLAY=${TB_OVERLAY:-}
TB_PIDNS=${TB_PIDNS:-1}
TB_RO_SYSCTL=${TB_RO_SYSCTL:-1}
TB_FIREWALL=${TB_FIREWALL:-1}
TB_KEEP=${TB_KEEP:-0}

# Lock file shared with the Rust fixture (tests/it/common/testbed.rs): one user of the bed at a time.
TB_LOCK=$TB_DIR.lock

tb_log() { printf 'testbed: %s\n' "$*" >&2; }
tb_die() {
  printf 'testbed: error: %s\n' "$*" >&2
  exit 1
}

tb_require_root() {
  [ "$(id -u)" = 0 ] || tb_die "must run as root (network namespaces, bind mounts, sshd)"
}

# Parses TB_HOSTS ("name:octet[:nft|iptables|none] ...") into TB_NAMES, TB_OCT[name], TB_FW[name].
# Without an explicit firewall the 1st, 3rd, ... host get nftables and the others iptables.
tb_parse_hosts() {
  TB_NAMES=()
  declare -gA TB_OCT=() TB_FW=()
  local spec name oct fw i=0
  for spec in $TB_HOSTS; do
    IFS=: read -r name oct fw <<<"$spec"
    [[ $name =~ ^[a-z][a-z0-9-]{0,30}$ ]] ||
      tb_die "TB_HOSTS: bad host name '$name' in '$spec' (use lowercase letters, digits, '-')"
    if ! [[ $oct =~ ^[0-9]+$ ]] || ((oct < 2 || oct > 254)); then
      tb_die "TB_HOSTS: bad octet '$oct' in '$spec' (2..254; .1 is the bridge)"
    fi
    if [ -z "$fw" ]; then
      if ((i % 2 == 0)); then fw=nft; else fw=iptables; fi
    fi
    case $fw in nft | iptables | none) ;; *) tb_die "TB_HOSTS: bad firewall '$fw' in '$spec' (nft, iptables or none)" ;; esac
    [ -z "${TB_OCT[$name]:-}" ] || tb_die "TB_HOSTS: host '$name' listed twice"
    TB_NAMES+=("$name")
    TB_OCT[$name]=$oct
    TB_FW[$name]=$fw
    i=$((i + 1))
  done
  [ ${#TB_NAMES[@]} -gt 0 ] || tb_die "TB_HOSTS is empty"
}

tb_known_host() {
  [ -n "${TB_OCT[$1]:-}" ] || tb_die "unknown host '$1' (hosts: ${TB_NAMES[*]})"
}

tb_netns() { printf 'rmq-%s' "$1"; }
tb_ip() { printf '%s.%s' "$TB_NET" "${TB_OCT[$1]}"; }
tb_veth() { printf '%s%s' "$TB_VETH" "${TB_OCT[$1]}"; }
tb_host_dir() { printf '%s/hosts/%s' "$TB_DIR" "$1"; }

# The real PID of the host's sshd when it is alive, else nothing (exit 1).
tb_sshd_pid() {
  local f pid
  f="$(tb_host_dir "$1")/sshd.pid"
  [ -r "$f" ] || return 1
  pid=$(cat "$f")
  [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = sshd ] || return 1
  printf '%s' "$pid"
}

tb_ssh() { ssh -F "$TB_DIR/ssh_config" "$@"; }
