//! How rmqctl talks to a deployed cluster: with TLS when the inventory has `[tls]` (its CA, and
//! rmqctl's client certificate when the servers require one) and signed with the `[acl]` admin
//! account when it has one; to the gateways in https when `[gateway] https = true` (trusting the
//! `[tls]` CA alone). Every admin session of deploy's checks, `status` and the lifecycle
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
    /// How the gateways' listeners are spoken to (their `/healthz`).
    pub gateways: GatewayListener,
}

/// How deploy's checks and `status` speak to the gateways' HTTP listeners.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum GatewayListener {
    /// Plain http.
    #[default]
    Http,
    /// `[gateway] https = true`: https, trusting only the inventory's `[tls]` CA (its PEM text;
    /// empty when the render had none, which the health check then reports).
    Https { ca_pem: Arc<str> },
}

impl GatewayListener {
    /// `http` or `https`.
    pub fn scheme(&self) -> &'static str {
        match self {
            GatewayListener::Http => "http",
            GatewayListener::Https { .. } => "https",
        }
    }
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
