//! rmqctl: provision, serve and operate Apache RocketMQ clusters from one binary.
//!
//! Layers, top to bottom; a module imports only from the ones below it (see
//! `../shared/docs/design.md`). Arrows are imports:
//! - `cli` → `output` → `deploy`, `admin`, `bench`, `render` (and `cli` starts `namesrv`, `broker`)
//! - `deploy` → `render` (the plan and the files), `admin` (verification after a deploy)
//! - `admin`, `bench`, `namesrv`, `broker` → `remoting` → `protocol`
//! - `deploy`, `render`, `admin`, `namesrv`, `broker`, `remoting::tls` → `apache_config` (the
//!   Apache key vocabulary and the Java-properties reader: nothing in it knows a server or
//!   provisioning)
//! - `render` → `remoting::tls` (the `tls-files` lint loads certificates as the servers do)
//! - `cli`, `admin`, `render`, `deploy`, `namesrv`, `broker` → `acl` (ACL 1.0: plain_acl.yml,
//!   signatures, the per-request check) → `remoting`, `protocol`; clients sign through
//!   `remoting::request_hook`, which `acl` implements (so `bench` and `remoting` need no `acl`)
//! - `cli` → `gateway` (HTTP send service, issue 16) → `admin`, `remoting`, `protocol`
//! - leaves any layer may use: `calendar` (time), `locks` (the lock policy), `file_replace`
//! - `fuzz_targets` (beside the layers) → the decoders of `remoting`, `protocol` and `broker`
//! - `byte_copy` (beside the layers, imports nothing): memcpy/memmove of the static musl build,
//!   installed by `main.rs`

pub mod acl;
pub mod admin;
pub mod apache_config;
pub mod bench;
pub mod broker;
pub mod byte_copy;
pub mod calendar;
pub mod cli;
pub mod consumer;
pub mod deploy;
pub mod file_replace;
pub mod fuzz_targets;
pub mod gateway;
pub mod locks;
pub mod namesrv;
pub mod output;
pub mod protocol;
pub mod remoting;
pub mod render;
