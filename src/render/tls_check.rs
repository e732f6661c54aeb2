//! The checks of `[tls]` (rule `tls`): every file is loaded as the servers and rmqctl will load
//! it (the remoting::tls loaders): the CA parses and is not expired; each host's certificate and
//! key parse, go together, are not expired, are signed by the CA and name the host's address
//! (hosts with name servers or brokers, and gateway hosts with `[gateway] https = true`);
//! rmqctl's own connector can be built.

use std::path::Path;
use std::sync::Arc;

use super::lint::Severity;
use super::tls::{Findings, ResolvedTls, ServingHost};
use crate::remoting::tls::file_check::check_files;
use crate::remoting::tls::server_config::{provider, root_store};
use crate::remoting::tls::settings::TlsSettings;
use crate::remoting::tls::TlsConnect;

/// Every file loaded as the servers and rmqctl will load it: the CA parses and is not expired,
/// each host's certificate and key parse, go together, are not expired, are signed by the CA
/// and name the host's address (what peers and deploy's checks connect to).
pub(super) fn check(tls: &ResolvedTls, serving: &[ServingHost], findings: &mut Findings<'_>) {
    let hint = "reissue it (`rmqctl tls init NEWDIR --hosts INVENTORY`) or name the right file";
    let roots = match root_store("[tls] ca", &tls.ca.path) {
        Ok(roots) => Some(roots),
        Err(e) => {
            findings.error(tls.ca.span.clone(), format!("{}: {e}", tls.ca.key), hint);
            None
        }
    };
    let ca_settings = TlsSettings {
        server_trust: Some(tls.ca.path.clone()),
        ..TlsSettings::new()
    };
    for problem in check_files(&ca_settings) {
        let severity = severity(problem.error);
        findings.push(
            tls.ca.span.clone(),
            severity,
            format!("{}: {}", tls.ca.key, problem.message),
            hint,
        );
    }
    for host in serving {
        let Some((cert, key)) = tls.hosts.get(&host.name) else {
            continue;
        };
        let settings = TlsSettings {
            server_mode: Some(tls.mode),
            server_cert: Some(cert.path.clone()),
            server_key: Some(key.path.clone()),
            server_key_password: tls.key_password.as_ref().map(|p| p.expose().to_string()),
            ..TlsSettings::new()
        };
        let mut usable = true;
        for problem in check_files(&settings) {
            usable &= !problem.error;
            let file = if problem.message.contains("tls.server.keyPath") {
                key
            } else {
                cert
            };
            findings.push(
                file.span.clone(),
                severity(problem.error),
                format!("{} (host {}): {}", file.key, host.name, problem.message),
                hint,
            );
        }
        if let (true, Some(roots)) = (usable, &roots) {
            if let Err(message) = verify_chain(roots, &cert.path, &host.address) {
                findings.error(
                    cert.span.clone(),
                    format!(
                        "{} (host {}): {} {message}",
                        cert.key,
                        host.name,
                        cert.path.display()
                    ),
                    "reissue it with the host's address (`rmqctl tls init NEWDIR --hosts INVENTORY` names each host and its address) from the CA of [tls] ca",
                );
            }
        }
    }
}

fn severity(error: bool) -> Severity {
    if error {
        Severity::Error
    } else {
        Severity::Warning
    }
}

/// Whether clients trusting the CA accept `cert` when they connect to `address` (expiry is
/// reported by the expiry check; it is ignored here).
fn verify_chain(roots: &rustls::RootCertStore, cert: &Path, address: &str) -> Result<(), String> {
    use rustls::client::danger::ServerCertVerifier;
    use rustls::{CertificateError, Error};
    let chain = crate::remoting::tls::pem_files::load_certs("certificate", cert)
        .map_err(|e| e.to_string())?;
    let Some((leaf, intermediates)) = chain.split_first() else {
        return Ok(());
    };
    let verifier = rustls::client::WebPkiServerVerifier::builder_with_provider(
        Arc::new(roots.clone()),
        provider(),
    )
    .build()
    .map_err(|e| e.to_string())?;
    let name = rustls_pki_types::ServerName::try_from(address.to_string())
        .map_err(|_| format!("cannot be checked against `{address}` (not a name or address)"))?;
    let now = rustls_pki_types::UnixTime::now();
    match verifier.verify_server_cert(leaf, intermediates, &name, &[], now) {
        Ok(_) => Ok(()),
        Err(Error::InvalidCertificate(
            CertificateError::Expired
            | CertificateError::ExpiredContext { .. }
            | CertificateError::NotValidYet
            | CertificateError::NotValidYetContext { .. },
        )) => Ok(()),
        Err(Error::InvalidCertificate(
            CertificateError::UnknownIssuer | CertificateError::BadSignature,
        )) => {
            Err("is not signed by the CA of [tls] ca: peers and rmqctl would refuse it".into())
        }
        Err(Error::InvalidCertificate(
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
        )) => Err(format!(
            "does not name the host's address {address}: peers and rmqctl connect to {address} and would refuse it"
        )),
        Err(e) => Err(crate::remoting::tls::client_config::explain(&e)),
    }
}

/// The connector rmqctl talks to the cluster with (deploy's checks, status).
pub(super) fn connector(tls: &ResolvedTls, findings: &mut Findings<'_>) -> Option<TlsConnect> {
    let options = tls.client_options()?;
    match options.connector() {
        Ok(connect) => Some(connect),
        Err(e) => {
            let (span, key) = tls
                .client
                .as_ref()
                .map_or((tls.ca.span.clone(), tls.ca.key.as_str()), |(c, _)| {
                    (c.span.clone(), c.key.as_str())
                });
            findings.error(
                span,
                format!("{key}: rmqctl cannot connect with it: {e}"),
                "rmqctl's own certificate: `rmqctl tls init DIR --client` writes client.pem and client-key.pem; or set [tls] client_cert and client_key",
            );
            None
        }
    }
}
