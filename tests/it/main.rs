//! rmqctl's integration tests, in one test binary with one module per area (as ripgrep and uv
//! do): each file under tests/ used to be a binary of its own that linked the whole crate.
//! `common` holds the shared fixtures (real `rmqctl namesrv`/`broker` processes, ports, stores).
//!
//! Run one area or one test: `cargo test --test it admin_cli`,
//! `cargo test --test it store_recovery::truncated_tail`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap fails the run, saying where

mod common;

// ACL 1.0: brokers and name servers with aclEnable=true, signing clients.
mod acl;

// Admin commands against real processes and peers.
mod admin_broker;
mod admin_cli;
mod admin_completions;
mod admin_peer_rocketmq_rust;

// The bundled broker as a process.
mod broker_bad_input;
mod broker_bench;
mod broker_process;
mod broker_protocol;
mod broker_recovery;
mod broker_registration;

// The bundled broker stopped with SIGTERM.
mod broker_shutdown;

// Deploy: on this machine, and on the four-host test bed (tests/testbed/).
mod deploy_bed;
mod deploy_firewall_bed;
mod deploy_local;
mod testbed_selftest;

// The HTTP gateway (rmqctl gateway): send endpoints, health, metrics, TLS, shutdown.
mod gateway_http;

// Config files, lint, render.
mod check_broker_config;
mod check_lint_rules;
mod render_cli;
mod render_snapshots;

// Wire formats and the remoting layer.
mod connection_limits;
mod fastjson_bodies;
mod fuzz_corpus_replay;
mod header_flood;
mod remoting_client;
mod remoting_roundtrip;

// Transactional messages (protocol and the C++ client 2.1).
mod transactions;

// Replication.
mod ha_kill;
mod ha_pair;

// The clustering push consumer (rebalancing on the broker's notices).
mod consumer_group;

// The gateway's callback delivery (consumer group -> HTTP receivers).
mod gateway_delivery;

// Interop with the Apache C++ client.
mod interop_cpp_broker;
mod interop_cpp_namesrv;

// The bundled name server as a process.
mod namesrv_process;

// The static (musl) build: its ELF facts, deploy's choice of binary, an empty root file system.
mod static_binary;

// The message store in-process.
mod store_basic;
mod store_flush;
mod store_index;
mod store_index_memory;
mod store_recovery;
mod store_replica;
mod store_write_failure;

// TLS on the remoting ports (issue 14).
mod tls;

use std::path::Path;

/// New integration tests join this binary: a `.rs` file (or a `<dir>/main.rs`) directly under
/// tests/ would be built as a binary of its own, linking the whole crate again, and a file under
/// tests/it/ without its `mod` line here would never be compiled or run.
#[test]
fn every_integration_test_is_a_module_of_this_binary() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut own_binaries = Vec::new();
    for entry in std::fs::read_dir(&tests).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let rust_file = path.extension().is_some_and(|e| e == "rs");
        let binary_dir = name != "it" && path.join("main.rs").exists();
        if rust_file || binary_dir {
            own_binaries.push(name);
        }
    }
    assert!(
        own_binaries.is_empty(),
        "{own_binaries:?} under tests/ build test binaries of their own: move them into tests/it/ \
         as modules"
    );
    let main = include_str!("main.rs");
    for entry in std::fs::read_dir(tests.join("it")).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        if path.extension().is_some_and(|e| e == "rs") && stem != "main" {
            assert!(
                main.contains(&format!("\nmod {stem};\n")),
                "tests/it/{stem}.rs has no `mod {stem};` in tests/it/main.rs, so it never runs"
            );
        }
    }
}
