//! How rmqctl talks to a deployed cluster: with TLS when the inventory has `[tls]` (its CA, and
//! rmqctl's client certificate when the servers require one) and signed with the `[acl]` admin
//! account when it has one. Every admin session of deploy's checks, `status` and the lifecycle
//! commands is made here.

use std::sync::Arc;
use std::time::Duration;

use crate::acl::Credentials;
use crate::admin::namesrv_set::NamesrvSet;
use crate::admin::Admin;
use crate::remoting::tls::TlsConnect;

/// The inventory's connection settings.
#[derive(Debug, Clone, Default)]
pub struct ClusterAccess {
    pub tls: Option<TlsConnect>,
    pub credentials: Option<Credentials>,
}

impl ClusterAccess {
    /// An admin session to `addrs` (`host:port;host:port`: name servers, or one broker whose
    /// own requests go to it directly); `None` when the address does not parse.
    pub fn admin(&self, addrs: &str, timeout: Duration) -> Option<Admin> {
        let set = NamesrvSet::parse(addrs).ok()?;
        let mut admin = Admin::with_tls(set, timeout, self.tls.clone());
        if let Some(c) = &self.credentials {
            admin.client = admin.client.with_hook(Arc::new(c.clone()));
        }
        Some(admin)
    }
}
