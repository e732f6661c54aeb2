//! Provision: put a rendered inventory on its hosts and keep it running. A `DeployPlan` (files,
//! directories, instances, ports per host) is built from `render`'s plan; a `Fleet` of hosts is
//! reached over a `Transport` (SSH or local) and inspected in one round trip each; small,
//! idempotent steps (preflight, upload, supervisor, firewall, ordered start, verify) run on all
//! hosts at once; checks talk to the cluster as the inventory says (`[tls]`, `[acl]`). Lifecycle commands (start, stop, restart, status, logs, destroy) reuse them.

pub mod access;
pub mod apply;
pub mod binary;
pub mod changes;
pub mod firewall;
pub mod fleet;
pub mod inspect;
pub mod lifecycle;
pub mod manifest;
pub mod order;
pub mod pipeline;
pub mod plan;
#[cfg(test)]
mod plan_fixtures;
pub mod progress;
pub mod report;
pub mod supervisor;
pub mod transport;
pub mod verify;
