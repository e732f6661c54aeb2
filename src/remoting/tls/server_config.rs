//! Builds the rustls server configuration of a listener from [`TlsSettings`]: the certificate
//! and key files (or a self-signed certificate in test mode) and the client-certificate policy.
//! Every problem names the key, the file and the reason, before the server accepts anything.

use super::pem_files::{load_certs, load_key, PemError};
use super::settings::{ClientAuth, TlsSettings};
use rustls::server::WebPkiClientVerifier;
use rustls::RootCertStore;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use std::sync::Arc;

/// Why a server's TLS configuration is unusable (the server does not start: exit 2).
#[derive(Debug, thiserror::Error)]
pub enum TlsSetupError {
    #[error(transparent)]
    File(#[from] PemError),
    #[error("{0}")]
    Settings(String),
    #[error("{what}: {reason}")]
    Rejected { what: String, reason: String },
}

/// The rustls provider: ring (no OpenSSL, and unlike aws-lc-rs no cmake or long C build). rustls
/// 0.23.48 deprecates it because it offers no post-quantum key exchange; classic X25519/P-256
/// is what RocketMQ's Java side negotiates anyway.
#[allow(deprecated)]
pub fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The server configuration, or `None` when the mode serves no TLS.
pub fn build_server_config(
    settings: &TlsSettings,
) -> Result<Option<Arc<rustls::ServerConfig>>, TlsSetupError> {
    if settings.mode() == super::settings::TlsMode::Disabled {
        return Ok(None);
    }
    let (chain, key, what) = server_identity(settings)?;
    let builder = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| TlsSetupError::Settings(e.to_string()))?;
    let builder = match client_verifier(settings)? {
        Some(verifier) => builder.with_client_cert_verifier(verifier),
        None => builder.with_no_client_auth(),
    };
    let config = builder
        .with_single_cert(chain, key)
        .map_err(|e| TlsSetupError::Rejected {
            what,
            reason: format!("the certificate and the key do not go together: {e}"),
        })?;
    Ok(Some(Arc::new(config)))
}

type Identity = (Vec<CertificateDer<'static>>, PrivateKeyDer<'static>, String);

fn server_identity(settings: &TlsSettings) -> Result<Identity, TlsSetupError> {
    match (&settings.server_cert, &settings.server_key) {
        (Some(cert), Some(key)) => {
            let chain = load_certs("tls.server.certPath", cert)?;
            let key_der = load_key(
                "tls.server.keyPath",
                key,
                settings.server_key_password.as_deref(),
            )?;
            let what = format!(
                "tls.server.certPath {} with tls.server.keyPath {}",
                cert.display(),
                key.display()
            );
            Ok((chain, key_der, what))
        }
        (None, None) if settings.test_mode => self_signed(),
        (Some(_), None) => Err(TlsSetupError::Settings(
            "tls.server.certPath is set but tls.server.keyPath is not; set both".into(),
        )),
        (None, Some(_)) => Err(TlsSetupError::Settings(
            "tls.server.keyPath is set but tls.server.certPath is not; set both".into(),
        )),
        (None, None) => Err(TlsSetupError::Settings(format!(
            "tls.server.mode is {} but no certificate is configured; set tls.server.certPath and tls.server.keyPath (or tls.test.mode.enable=true for a self-signed one)",
            settings.mode().as_str()
        ))),
    }
}

/// Test mode: a certificate generated at start for `localhost` and this host's name.
fn self_signed() -> Result<Identity, TlsSetupError> {
    let mut names = vec!["localhost".to_string(), "127.0.0.1".to_string()];
    if let Ok(host) = std::fs::read_to_string("/etc/hostname") {
        let host = host.trim();
        if !host.is_empty() {
            names.push(host.to_string());
        }
    }
    let generated = rcgen::generate_simple_self_signed(names).map_err(|e| {
        TlsSetupError::Settings(format!(
            "tls.test.mode.enable: cannot generate a certificate: {e}"
        ))
    })?;
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(generated.key_pair.serialize_der()));
    Ok((
        vec![generated.cert.der().clone()],
        key,
        "tls.test.mode.enable (self-signed)".into(),
    ))
}

fn client_verifier(
    settings: &TlsSettings,
) -> Result<Option<Arc<dyn rustls::server::danger::ClientCertVerifier>>, TlsSetupError> {
    if settings.need_client_auth == ClientAuth::None {
        return Ok(None);
    }
    let Some(trust) = &settings.server_trust else {
        return Err(TlsSetupError::Settings(format!(
            "tls.server.need.client.auth={:?} needs tls.server.trustCertPath: the CA that signs client certificates (rmqctl does not accept unverified client certificates)",
            settings.need_client_auth
        ).to_lowercase()));
    };
    let roots = root_store("tls.server.trustCertPath", trust)?;
    let builder = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider());
    let builder = if settings.need_client_auth == ClientAuth::Optional {
        builder.allow_unauthenticated()
    } else {
        builder
    };
    builder
        .build()
        .map(Some)
        .map_err(|e| TlsSetupError::Rejected {
            what: format!("tls.server.trustCertPath {}", trust.display()),
            reason: e.to_string(),
        })
}

/// The certificates of a CA file as a trust store.
pub fn root_store(
    what: &'static str,
    path: &std::path::Path,
) -> Result<RootCertStore, TlsSetupError> {
    let mut roots = RootCertStore::empty();
    for cert in load_certs(what, path)? {
        roots.add(cert).map_err(|e| TlsSetupError::Rejected {
            what: format!("{what} {}", path.display()),
            reason: format!("not a usable CA certificate: {e}"),
        })?;
    }
    Ok(roots)
}
