//! TLS for every remoting connection (issue 14), on rustls: Apache's `tls.*` settings, PEM and
//! encrypted PKCS#8 files, the server configuration, the gate that tells TLS from plain TCP on
//! one port (`tls.server.mode`), and the client side with errors in operator words.

pub mod client_config;
pub mod file_check;
pub mod gate;
pub mod issue;
pub mod pem_files;
pub mod served_stream;
pub mod server_config;
pub mod settings;

pub use client_config::{TlsClientOptions, TlsConnect};
pub use gate::TlsGate;
pub use settings::{TlsMode, TlsSettings};

use std::sync::Arc;

/// The listener gate for a server's settings: `None` when the mode is left at rmqctl's default
/// (plain TCP, no first-byte look); a gate otherwise. Errors stop the server at start.
pub fn gate_for(
    settings: &TlsSettings,
) -> Result<Option<Arc<TlsGate>>, server_config::TlsSetupError> {
    if settings.server_mode.is_none() && settings.mode() == TlsMode::Disabled {
        return Ok(None);
    }
    let config = server_config::build_server_config(settings)?;
    Ok(Some(TlsGate::new(settings.mode(), config)))
}
