#!/usr/bin/env bash
# Tears the rmqctl test bed down and leaves the machine as it was: stops every host (its sshd is
# PID 1 of the host, so the host's processes die with it), deletes namespaces, veths and bridge,
# removes the dirs up.sh created and $TB_DIR (kept with TB_KEEP=1). Idempotent. Run as root.
# Installed packages stay. Usage: bash tests/testbed/down.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=config.sh
. "$here/config.sh"

tb_require_root
tb_parse_hosts

alive() { kill -0 "$1" 2>/dev/null; }

stop_hosts() {
  local name h pid waits=()
  for name in "${TB_NAMES[@]}"; do
    h=$(tb_host_dir "$name")
    if pid=$(tb_sshd_pid "$name"); then kill -TERM "$pid" 2>/dev/null || true; fi
    if [ -r "$h/unshare.pid" ]; then
      pid=$(cat "$h/unshare.pid")
      [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = unshare ] && waits+=("$pid")
    fi
  done
  # The unshare parents exit shortly after their sshd; SIGKILL whatever is left after 5 s.
  local i pending
  for i in $(seq 100); do
    pending=()
    for pid in "${waits[@]}"; do alive "$pid" && pending+=("$pid"); done
    [ ${#pending[@]} -eq 0 ] && break
    sleep 0.05
  done
  for pid in "${pending[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for name in "${TB_NAMES[@]}"; do
    local ns pids
    ns=$(tb_netns "$name")
    [ -e "/run/netns/$ns" ] || continue
    pids=$(ip netns pids "$ns")
    # shellcheck disable=SC2086
    [ -z "$pids" ] || kill -KILL $pids 2>/dev/null || true
  done
}

delete_network() {
  local name ns veth
  for name in "${TB_NAMES[@]}"; do
    ns=$(tb_netns "$name")
    veth=$(tb_veth "$name")
    ! ip link show "$veth" >/dev/null 2>&1 || ip link del "$veth"
    if [ -e "/run/netns/$ns" ]; then
      # A process that was just killed may hold the namespace for a moment.
      for _ in $(seq 40); do
        ip netns del "$ns" 2>/dev/null && break
        sleep 0.05
      done
      [ ! -e "/run/netns/$ns" ] || tb_log "could not delete netns $ns"
    fi
  done
  ! ip link show "$TB_BR" >/dev/null 2>&1 || ip link del "$TB_BR"
}

# Removes the machine-wide dirs up.sh created (recorded in $TB_DIR/created-dirs), if empty.
remove_created_dirs() {
  local f=$TB_DIR/created-dirs d
  [ -r "$f" ] || return 0
  while read -r d; do
    case $d in
      /run/netns)
        if [ -z "$(ls -A /run/netns 2>/dev/null)" ]; then
          ! mountpoint -q /run/netns || umount /run/netns
          rmdir /run/netns 2>/dev/null || true
        fi
        ;;
      /run/mount)
        # util-linux's record of userspace mount options; the mounts it lists died with the hosts.
        rm -f /run/mount/utab /run/mount/utab.lock /run/mount/utab.act
        rmdir /run/mount 2>/dev/null || true
        ;;
      *) [ ! -d "$d" ] || rmdir "$d" 2>/dev/null || tb_log "left $d in place: not empty" ;;
    esac
  done <"$f"
}

stop_hosts
delete_network
remove_created_dirs
if [ "$TB_KEEP" != 1 ] && [ -d "$TB_DIR" ]; then
  if grep -q " $TB_DIR/" /proc/self/mounts; then
    tb_log "left $TB_DIR in place: something is still mounted under it"
  else
    rm -rf "$TB_DIR"
  fi
fi
rm -f "$TB_LOCK"
tb_log "down"
