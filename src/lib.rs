//! rmqctl: provision, serve and operate Apache RocketMQ clusters from one binary.
//!
//! Layers (data flows down; nothing below imports anything above), see `../shared/docs/design.md`:
//! `cli` → `render` → `admin` → `namesrv` / `broker` → `remoting` → `protocol`.

pub mod admin;
pub mod bench;
pub mod broker;
pub mod calendar;
pub mod cli;
pub mod deploy;
pub mod file_replace;
pub mod fuzz_targets;
pub mod locks;
pub mod namesrv;
pub mod output;
pub mod properties;
pub mod protocol;
pub mod remoting;
pub mod render;
