//! Reads certificates and private keys from PEM files: certificate chains, plain keys (PKCS#8,
//! PKCS#1 RSA, SEC1 EC) and encrypted PKCS#8 keys (`-----BEGIN ENCRYPTED PRIVATE KEY-----`, the
//! form Apache's `tls.server.keyPassword` is for). Errors name the file and the reason.

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use std::path::{Path, PathBuf};

/// Why a certificate or key file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum PemError {
    #[error("{what} {path}: cannot read: {source}")]
    Read {
        what: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{what} {path}: {reason}")]
    Invalid {
        what: &'static str,
        path: PathBuf,
        reason: String,
    },
}

const ENCRYPTED_LABEL: &str = "-----BEGIN ENCRYPTED PRIVATE KEY-----";

fn read(what: &'static str, path: &Path) -> Result<Vec<u8>, PemError> {
    std::fs::read(path).map_err(|source| PemError::Read {
        what,
        path: path.to_path_buf(),
        source,
    })
}

fn invalid(what: &'static str, path: &Path, reason: impl Into<String>) -> PemError {
    PemError::Invalid {
        what,
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

/// Every certificate in a PEM file (a chain: leaf first), at least one.
pub fn load_certs(
    what: &'static str,
    path: &Path,
) -> Result<Vec<CertificateDer<'static>>, PemError> {
    let bytes = read(what, path)?;
    let certs = CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| invalid(what, path, format!("not a PEM certificate file: {e}")))?;
    if certs.is_empty() {
        return Err(invalid(
            what,
            path,
            "holds no `-----BEGIN CERTIFICATE-----` block",
        ));
    }
    Ok(certs)
}

/// The private key in a PEM file; an encrypted PKCS#8 key needs `password`.
pub fn load_key(
    what: &'static str,
    path: &Path,
    password: Option<&str>,
) -> Result<PrivateKeyDer<'static>, PemError> {
    let bytes = read(what, path)?;
    let text = String::from_utf8_lossy(&bytes);
    if text.contains(ENCRYPTED_LABEL) {
        return decrypt_pkcs8(what, path, &text, password);
    }
    PrivateKeyDer::from_pem_slice(&bytes).map_err(|e| {
        invalid(
            what,
            path,
            format!("no usable private key (PKCS#8, RSA or EC PEM expected): {e}"),
        )
    })
}

fn decrypt_pkcs8(
    what: &'static str,
    path: &Path,
    text: &str,
    password: Option<&str>,
) -> Result<PrivateKeyDer<'static>, PemError> {
    let Some(password) = password else {
        return Err(invalid(
            what,
            path,
            "the key is encrypted; give its password (tls.server.keyPassword / tls.client.keyPassword, or $RMQCTL_TLS_KEY_PASSWORD for --tls-key)",
        ));
    };
    let start = text.find(ENCRYPTED_LABEL).unwrap_or(0);
    let bad = |e: String| invalid(what, path, format!("bad encrypted PKCS#8 key: {e}"));
    let (_, der) =
        pkcs8::der::Document::from_pem(&text[start..]).map_err(|e| bad(e.to_string()))?;
    let encrypted =
        pkcs8::EncryptedPrivateKeyInfo::try_from(der.as_bytes()).map_err(|e| bad(e.to_string()))?;
    let document = encrypted.decrypt(password).map_err(|e| {
        invalid(
            what,
            path,
            format!("cannot decrypt the key (wrong password or unsupported cipher): {e}"),
        )
    })?;
    Ok(PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        document.as_bytes().to_vec(),
    )))
}
