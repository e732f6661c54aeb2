#!/usr/bin/env bash
# Runs every check and test of rmqctl: formatting, lints, unit/integration/interop tests, the
# static (musl) build in an empty root, and a replay of the fuzz corpora. Installs what it needs
# (Debian packages, the musl rustup target, the Apache C++ clients 0.4.4 and 2.1 from PyPI) when
# missing; builds the rocketmq-rust peers only with RMQCTL_BUILD_PEERS=1
# (else that test is skipped and listed as such). Usage: [RMQCTL_BUILD_PEERS=1] tests/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
static_target=x86_64-unknown-linux-musl

step() { printf '\n==> %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

install_debian_packages() {
  local missing=()
  command -v cc >/dev/null || missing+=(gcc)
  command -v python3 >/dev/null || missing+=(python3)
  python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
  command -v pkg-config >/dev/null || missing+=(pkg-config)
  command -v musl-gcc >/dev/null || missing+=(musl-tools)
  command -v chroot >/dev/null || missing+=(coreutils)
  # tests/it/tls.rs: openssl s_client against a TLS port, openssl pkcs8 for encrypted keys.
  command -v openssl >/dev/null || missing+=(openssl)
  if [ ${#missing[@]} -gt 0 ]; then
    step "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  fi
}

install_rust_components() {
  if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
    step "installing rustfmt and clippy"
    rustup component add rustfmt clippy
  fi
  if ! rustup target list --installed | grep -x "$static_target" >/dev/null; then
    step "installing the rustup target $static_target"
    rustup target add "$static_target"
  fi
}

# The Apache C++ client (PyPI rocketmq 0.4.4) for interop tests, in a venv of our own.
install_cpp_client() {
  local venv="$root/.venv-cpp"
  if ! "$venv/bin/python" -c 'import rocketmq.client' 2>/dev/null; then
    step "installing the Apache C++ client (PyPI rocketmq==0.4.4) into .venv-cpp"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check rocketmq==0.4.4
  fi
  export RMQCTL_CPP_PYTHON="$venv/bin/python"
  export RMQCTL_REQUIRE_INTEROP=1
}

# The Apache C++ client 2.1 (PyPI rocketmq-python-cvs 2.1.0.3; same top-level package, so its own
# venv) for the transaction tests: its librocketmq.so exports the transaction producer's C API.
install_cpp21_client() {
  local venv="$root/.venv-cpp21"
  if ! "$venv/bin/python" -c 'from rocketmq.ffi import dll; dll.CreateTransactionProducer' 2>/dev/null; then
    step "installing the Apache C++ client 2.1 (PyPI rocketmq-python-cvs==2.1.0.3) into .venv-cpp21"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check rocketmq-python-cvs==2.1.0.3
  fi
  export RMQCTL_CPP21_PYTHON="$venv/bin/python"
}

# The multi-host test bed (tests/testbed/: four hosts as network namespaces with sshd and
# firewalls) for the deploy and firewall tests. It needs root; up.sh installs its own packages.
# Torn down when this script ends, however it ends.
start_testbed() {
  if [ "$(id -u)" != 0 ]; then
    step "not root: the test-bed tests will be skipped (they need network namespaces)"
    return
  fi
  step "test bed up (tests/testbed/up.sh)"
  trap 'step "test bed down (tests/testbed/down.sh)"; bash tests/testbed/down.sh' EXIT
  bash tests/testbed/up.sh
  export RMQCTL_REQUIRE_TESTBED=1
}

# Tests that cannot run here are listed in `skipped` and printed before the tests and at the end;
# every other test that lacks something it needs fails (RMQCTL_REQUIRE_PREREQUISITES=1), none
# passes as a silent no-op.
skipped=()
print_skipped() {
  if [ ${#skipped[@]} -gt 0 ]; then
    printf '\n==> SKIPPED (%d):\n' "${#skipped[@]}"
    printf '    %s\n' "${skipped[@]}"
  fi
}
on_exit() {
  if [ -n "${testbed_up:-}" ]; then
    step "test bed down (tests/testbed/down.sh)"
    bash tests/testbed/down.sh
  fi
  print_skipped
}
trap on_exit EXIT

# The rocketmq-rust name server and broker (shared/docs/peers.md) for admin_peer_rocketmq_rust.
# Building them takes 12 minutes or more on 2 cores (a rust-version 1.95 toolchain), too much for
# every run within CI's 30 minutes, so they are built only with RMQCTL_BUILD_PEERS=1, once, into
# ~/.cache/rmq-peers (reused by later runs); without them that test is skipped, and said so.
# rocketmq-broker leaves TLS out unless built with its `tls` feature (the name server has it by
# default); the TLS tests need it, so a broker installed without it counts as not built.
peer_broker_has_tls() {
  python3 - "$1/.crates2.json" <<'EOF' 2>/dev/null
import json, sys
installs = json.load(open(sys.argv[1]))["installs"]
sys.exit(0 if any(name.startswith("rocketmq-broker ") and "tls" in info.get("features", [])
                  for name, info in installs.items()) else 1)
EOF
}

prepare_peers() {
  local root="$HOME/.cache/rmq-peers"
  local namesrv_ready=0 broker_ready=0
  [ -x "$root/bin/rocketmq-namesrv-rust" ] && namesrv_ready=1
  [ -x "$root/bin/rocketmq-broker-rust" ] && peer_broker_has_tls "$root" && broker_ready=1
  if [ "$namesrv_ready$broker_ready" = 11 ]; then
    return
  fi
  if [ "${RMQCTL_BUILD_PEERS:-0}" = 1 ]; then
    step "building the rocketmq-rust peers into $root (12 minutes or more)"
    if [ "$namesrv_ready" = 0 ]; then
      CARGO_TARGET_DIR="$root/target" cargo install --locked --root "$root" rocketmq-namesrv
    fi
    if [ "$broker_ready" = 0 ]; then
      CARGO_TARGET_DIR="$root/target" cargo install --locked --root "$root" --features tls rocketmq-broker
    fi
  else
    local why="rocketmq-rust peers (the broker with --features tls) not built in $root (RMQCTL_BUILD_PEERS=1 tests/run.sh builds them, 12+ min)"
    skipped+=("admin_peer_rocketmq_rust: $why")
    export RMQCTL_SKIP_PEERS="$why"
  fi
}

# broker_bad_input mounts a small tmpfs to fill a disk; that needs root (CI runs as root).
check_root() {
  if [ "$(id -u)" != 0 ]; then
    echo "note: not root; broker_bad_input's full-disk test will fail (it mounts a tmpfs)" >&2
  fi
}

# The multi-host test bed (tests/testbed/: four hosts as network namespaces with sshd and
# firewalls) for the deploy and firewall tests. It needs root; up.sh installs its own packages.
# Torn down when this script ends, however it ends (on_exit).
start_testbed() {
  if [ "$(id -u)" != 0 ]; then
    step "not root: the test-bed tests will be skipped (they need network namespaces)"
    skipped+=("test-bed tests (deploy_bed, deploy_firewall_bed, testbed_selftest): not root")
    return
  fi
  step "test bed up (tests/testbed/up.sh)"
  testbed_up=1
  bash tests/testbed/up.sh
  export RMQCTL_REQUIRE_TESTBED=1
}

install_debian_packages
install_rust_components
install_cpp_client
install_cpp21_client
prepare_peers
check_root
export RMQCTL_REQUIRE_PREREQUISITES=1
print_skipped

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets -- -D warnings

start_testbed

# The static binary tests/it/static_binary.rs runs in an empty root: a debug build (the release
# one, `cargo static-build`, would compile every dependency once more with optimizations).
step "cargo build --target $static_target (the static binary for tests/it/static_binary.rs)"
cargo build --target "$static_target" --bin rmqctl
export RMQCTL_STATIC_BIN="${CARGO_TARGET_DIR:-$root/target}/$static_target/debug/rmqctl"

step "cargo test (unit, integration, interop, test bed, static binary, fuzz corpus replay)"
export RUST_BACKTRACE=0
# The long runs (repeated SIGKILLs, ASYNC loss measurement, the 10,000-message C++ interop runs)
# skip themselves in a plain `cargo test`; the full suite runs them.
export RMQCTL_SLOW_TESTS=1
cargo test --all-targets
cargo test --doc
