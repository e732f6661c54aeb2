//! The client side of TLS: what a client trusts and presents (`--tls-ca`, `--tls-cert`/`--tls-key`,
//! `--tls-insecure`, or a broker's `tls.client.*` keys), the rustls connector built from it, and
//! handshake failures put in operator words (unknown CA, name mismatch with the names the
//! certificate carries, expired, a client certificate wanted, a server speaking plain TCP).

use super::pem_files::{load_certs, load_key};
use super::server_config::{provider, root_store, TlsSetupError};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};
use std::path::PathBuf;
use std::sync::Arc;

/// What a TLS client trusts and presents (Debug hides the key password).
#[derive(Clone, Default, PartialEq)]
pub struct TlsClientOptions {
    /// CA certificates (PEM) to verify the server with; `None`: no CA to trust (use `insecure`).
    pub ca: Option<PathBuf>,
    /// Client certificate and key for mutual authentication.
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
    pub key_password: Option<String>,
    /// Skip verifying the server's certificate (and name).
    pub insecure: bool,
}

impl std::fmt::Debug for TlsClientOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsClientOptions")
            .field("ca", &self.ca)
            .field("cert", &self.cert)
            .field("key", &self.key)
            .field("key_password", &self.key_password.as_ref().map(|_| "***"))
            .field("insecure", &self.insecure)
            .finish()
    }
}

/// A ready TLS connector.
#[derive(Clone)]
pub struct TlsConnect {
    connector: tokio_rustls::TlsConnector,
}

impl std::fmt::Debug for TlsConnect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TlsConnect")
    }
}

impl TlsClientOptions {
    /// The connector; bad files are errors naming the flag or key and the file.
    pub fn connector(&self) -> Result<TlsConnect, TlsSetupError> {
        let builder = rustls::ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .map_err(|e| TlsSetupError::Settings(e.to_string()))?;
        let builder = if self.insecure {
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(AcceptAnyServer))
        } else {
            let Some(ca) = &self.ca else {
                return Err(TlsSetupError::Settings(
                    "TLS needs a CA to verify the server with: pass --tls-ca FILE (or tls.client.trustCertPath), or --tls-insecure to skip verification".into(),
                ));
            };
            builder.with_root_certificates(root_store("CA file", ca)?)
        };
        let config = match (&self.cert, &self.key) {
            (Some(cert), Some(key)) => {
                let chain = load_certs("client certificate", cert)?;
                let key_der = load_key("client key", key, self.key_password.as_deref())?;
                builder.with_client_auth_cert(chain, key_der).map_err(|e| {
                    TlsSetupError::Rejected {
                        what: format!(
                            "client certificate {} with key {}",
                            cert.display(),
                            key.display()
                        ),
                        reason: format!("they do not go together: {e}"),
                    }
                })?
            }
            (None, None) => builder.with_no_client_auth(),
            _ => {
                return Err(TlsSetupError::Settings(
                    "a client certificate needs both --tls-cert and --tls-key".into(),
                ))
            }
        };
        Ok(TlsConnect {
            connector: tokio_rustls::TlsConnector::from(Arc::new(config)),
        })
    }
}

impl TlsConnect {
    /// Runs the TLS handshake on a connected socket to `addr` (`host:port`).
    pub async fn handshake(
        &self,
        addr: &str,
        stream: tokio::net::TcpStream,
    ) -> Result<tokio_rustls::client::TlsStream<tokio::net::TcpStream>, String> {
        let host = addr.rsplit_once(':').map_or(addr, |(h, _)| h);
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let name = ServerName::try_from(host.to_string())
            .map_err(|_| format!("`{host}` is not a host name or IP address TLS can verify"))?;
        self.connector
            .connect(name, stream)
            .await
            .map_err(|e| explain_io(&e))
    }
}

/// A TLS error carried inside an I/O error (an alert on an established connection), in
/// operator words.
pub fn explain_tls_in_io(e: &std::io::Error) -> Option<String> {
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        .map(explain)
}

/// A failed TLS handshake (an I/O error) in operator words.
pub fn explain_io(e: &std::io::Error) -> String {
    if let Some(text) = explain_tls_in_io(e) {
        return text;
    }
    match e.kind() {
        std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::ConnectionReset => format!(
            "the server closed the connection during the TLS handshake: it speaks plain TCP only (tls.server.mode=disabled?) or refused this client; try without --tls ({e})"
        ),
        _ => format!("TLS handshake failed: {e}"),
    }
}

/// A rustls error in operator words.
pub fn explain(e: &rustls::Error) -> String {
    use rustls::AlertDescription as Alert;
    match e {
        rustls::Error::InvalidCertificate(cert) => explain_certificate(cert),
        rustls::Error::AlertReceived(Alert::CertificateRequired) => {
            "the server wants a client certificate (tls.server.need.client.auth=require): pass --tls-cert FILE --tls-key FILE".into()
        }
        rustls::Error::AlertReceived(Alert::UnknownCA)
        | rustls::Error::AlertReceived(Alert::BadCertificate)
        | rustls::Error::AlertReceived(Alert::CertificateExpired)
        | rustls::Error::AlertReceived(Alert::DecryptError) => format!(
            "the server refused this client's certificate ({e}): it is expired or not signed by a CA the server trusts (tls.server.trustCertPath)"
        ),
        rustls::Error::InvalidMessage(_) | rustls::Error::InappropriateMessage { .. } => format!(
            "the server does not answer in TLS: it speaks plain TCP; try without --tls ({e})"
        ),
        other => format!("TLS failed: {other}"),
    }
}

fn explain_certificate(e: &CertificateError) -> String {
    match e {
        CertificateError::UnknownIssuer => "the server's certificate is not signed by a CA this client trusts (unknown CA): pass the CA that signed it with --tls-ca FILE".into(),
        // A trusted CA has the issuer's name but did not sign it: another CA of the same name,
        // as every `rmqctl tls init` makes ("rmqctl cluster CA").
        CertificateError::BadSignature => "the server's certificate is not signed by the CA this client trusts but by another CA of the same name (bad signature; another `rmqctl tls init`?): pass the CA that signed it with --tls-ca FILE".into(),
        CertificateError::NotValidForNameContext { expected, presented } => format!(
            "the server's certificate does not name `{}`: it is for {} (name mismatch); connect by one of those names or reissue the certificate",
            server_name_text(expected),
            if presented.is_empty() { "no names at all".to_string() } else { presented.join(", ") }
        ),
        CertificateError::NotValidForName => "the server's certificate does not carry the name or address connected to (name mismatch)".into(),
        CertificateError::Expired | CertificateError::ExpiredContext { .. } => format!(
            "the server's certificate has expired ({e}): renew it on the server"
        ),
        CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => format!(
            "the server's certificate is not valid yet ({e}): check the clocks"
        ),
        other => format!("the server's certificate was rejected: {other}"),
    }
}

fn server_name_text(name: &ServerName<'_>) -> String {
    match name {
        ServerName::DnsName(n) => n.as_ref().to_string(),
        ServerName::IpAddress(ip) => std::net::IpAddr::from(*ip).to_string(),
        other => format!("{other:?}"),
    }
}

/// `--tls-insecure`: accepts any server certificate (signatures are still checked).
#[derive(Debug)]
struct AcceptAnyServer;

impl ServerCertVerifier for AcceptAnyServer {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &provider().signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &provider().signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        provider()
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::{explain, CertificateError, TlsClientOptions};

    #[test]
    fn a_certificate_from_another_ca_of_the_same_name_says_what_to_pass() {
        let e = rustls::Error::InvalidCertificate(CertificateError::BadSignature);
        let text = explain(&e);
        assert!(text.contains("another CA of the same name"), "{text}");
        assert!(text.contains("--tls-ca FILE"), "{text}");
    }

    #[test]
    fn debug_hides_the_key_password() {
        let options = TlsClientOptions {
            key_password: Some("hunter22".to_owned()),
            ..TlsClientOptions::default()
        };
        let shown = format!("{options:?}");
        assert!(!shown.contains("hunter22"), "{shown}");
        assert!(shown.contains("***"), "{shown}");
    }
}
