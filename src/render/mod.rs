//! Provisioning: inventory model, derivation of the cluster plan, templates, lint and atomic render
//! (with the optional `[acl]`, `[tls]` and `[gateway]` tables, each in a file of its own).

pub mod acl;
pub mod derive;
pub mod gateway;
pub mod inventory;
pub mod lint;
pub mod pipeline;
pub mod templates;
pub mod tls;
mod tls_check;
pub mod tls_lint;
pub mod writer;
