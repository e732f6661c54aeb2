//! The broker's TLS, from the `tls.*` keys of its properties file (and `tls.config.file`): the
//! gate of its listeners (`tls.server.mode`) and, with `tls.enable=true`, the TLS connector of
//! its outbound connections (registration with the name servers, slave to master).

use super::config::BrokerConfig;
use super::runtime::BrokerStartError;
use crate::remoting::tls::{gate_for, TlsClientOptions, TlsConnect, TlsGate, TlsSettings};
use std::sync::Arc;

/// What the broker's listeners and outbound connections use.
#[derive(Debug, Clone, Default)]
pub struct BrokerTls {
    pub settings: TlsSettings,
    pub gate: Option<Arc<TlsGate>>,
    pub outbound: Option<TlsConnect>,
}

/// Reads and checks the TLS settings; a bad file or key stops the broker (exit 2).
pub fn broker_tls(config: &BrokerConfig) -> Result<BrokerTls, BrokerStartError> {
    let pairs = config.extra().iter().map(|(k, v)| (k.as_str(), v.as_str()));
    let settings = TlsSettings::from_pairs(pairs).map_err(BrokerStartError::Config)?;
    let gate = gate_for(&settings).map_err(|e| BrokerStartError::Config(e.to_string()))?;
    let outbound = if settings.client_enable {
        let options = outbound_options(&settings);
        Some(
            options
                .connector()
                .map_err(|e| BrokerStartError::Config(format!("tls.enable=true: {e}")))?,
        )
    } else {
        None
    };
    Ok(BrokerTls {
        settings,
        gate,
        outbound,
    })
}

/// The `tls.client.*` keys as client options: the server is verified against
/// `tls.client.trustCertPath` unless `tls.client.authServer=false` (Apache: not verified by
/// default; rmqctl departs, see remoting-protocol.md section 9).
pub fn outbound_options(settings: &TlsSettings) -> TlsClientOptions {
    TlsClientOptions {
        ca: settings.client_trust.clone(),
        cert: settings.client_cert.clone(),
        key: settings.client_key.clone(),
        key_password: settings.client_key_password.clone(),
        insecure: !settings.client_auth_server,
    }
}
