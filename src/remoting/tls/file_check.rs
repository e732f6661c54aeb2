//! Checks the TLS files a server's settings name, for the lint (`rmqctl check`): they exist and
//! parse, the certificate and key go together, and the certificates are not expired (fewer than
//! 30 days left is a warning).

use super::pem_files::load_certs;
use super::server_config::build_server_config;
use super::settings::TlsSettings;
use std::path::Path;

/// Certificates expiring within this many days are reported.
pub const EXPIRY_WARNING_DAYS: i64 = 30;

/// One problem found in the TLS files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFileProblem {
    /// The key naming the file (or the setting at fault).
    pub key: &'static str,
    pub error: bool,
    pub message: String,
}

/// Everything wrong with the files of `settings` (nothing when the server serves no TLS).
pub fn check_files(settings: &TlsSettings) -> Vec<TlsFileProblem> {
    let mut problems = Vec::new();
    if let Err(e) = build_server_config(settings) {
        problems.push(TlsFileProblem {
            key: "tls.server.certPath",
            error: true,
            message: e.to_string(),
        });
    }
    let files = [
        ("tls.server.certPath", &settings.server_cert),
        ("tls.server.trustCertPath", &settings.server_trust),
        ("tls.client.certPath", &settings.client_cert),
        ("tls.client.trustCertPath", &settings.client_trust),
    ];
    for (key, path) in files {
        if let Some(path) = path {
            problems.extend(expiry(key, path));
        }
    }
    problems
}

/// Days left of each certificate in a PEM file: expired is an error, under 30 days a warning.
fn expiry(key: &'static str, path: &Path) -> Vec<TlsFileProblem> {
    use x509_cert::der::Decode;
    let Ok(certs) = load_certs(key, path) else {
        return Vec::new(); // unreadable files are reported by build_server_config or at start
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let mut problems = Vec::new();
    for cert in certs {
        let Ok(parsed) = x509_cert::Certificate::from_der(cert.as_ref()) else {
            continue;
        };
        let not_after = parsed.tbs_certificate.validity.not_after.to_unix_duration();
        let subject = parsed.tbs_certificate.subject.to_string();
        let days_left = match not_after.checked_sub(now) {
            Some(left) => (left.as_secs() / 86_400) as i64,
            None => -1,
        };
        if days_left < 0 {
            problems.push(TlsFileProblem {
                key,
                error: true,
                message: format!("{} ({subject}) has expired", path.display()),
            });
        } else if days_left < EXPIRY_WARNING_DAYS {
            problems.push(TlsFileProblem {
                key,
                error: false,
                message: format!("{} ({subject}) expires in {days_left} days", path.display()),
            });
        }
    }
    problems
}
