//! Issues certificates with rcgen: a private CA and the certificates it signs (servers by host
//! name and address, clients), as PEM text. Used by `rmqctl tls init` and by the TLS tests.

use rcgen::{
    BasicConstraints, Certificate, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};

/// Why a certificate could not be made.
#[derive(Debug, thiserror::Error)]
#[error("cannot issue the certificate for {what}: {source}")]
pub struct IssueError {
    what: String,
    source: rcgen::Error,
}

/// A certificate and its private key, as PEM.
#[derive(Debug, Clone)]
pub struct IssuedPem {
    pub cert_pem: String,
    /// PKCS#8 PEM: a secret (files holding it are written 0600).
    pub key_pem: String,
}

/// What a certificate is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Usage {
    Server,
    Client,
    /// A cluster host: serves (name server, broker) and connects to its peers (registration,
    /// slave to master), so one certificate carries both server and client authentication.
    Peer,
}

/// Validity of an issued certificate, in days from now (negative: in the past).
#[derive(Debug, Clone, Copy)]
pub struct Validity {
    pub from_days: i64,
    pub until_days: i64,
}

impl Validity {
    /// From yesterday (clock skew) for `days`.
    pub fn days(days: i64) -> Self {
        Validity {
            from_days: -1,
            until_days: days,
        }
    }
}

/// A CA that signs certificates.
pub struct CertificateAuthority {
    cert: Certificate,
    key: KeyPair,
}

impl CertificateAuthority {
    /// A new self-signed CA named `name`.
    pub fn generate(name: &str, validity: Validity) -> Result<Self, IssueError> {
        let err = |source| IssueError {
            what: format!("CA {name}"),
            source,
        };
        let key = KeyPair::generate().map_err(err)?;
        let mut params = CertificateParams::new(Vec::<String>::new()).map_err(err)?;
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        set_validity(&mut params, validity);
        let cert = params.self_signed(&key).map_err(err)?;
        Ok(CertificateAuthority { cert, key })
    }

    /// The CA certificate (what clients and servers trust), as PEM.
    pub fn cert_pem(&self) -> String {
        self.cert.pem()
    }

    /// The CA's private key as PEM (keep it offline).
    pub fn key_pem(&self) -> String {
        self.key.serialize_pem()
    }

    /// A certificate for `names` (host names and IP addresses; the first is the common name).
    pub fn issue(
        &self,
        names: &[String],
        usage: Usage,
        validity: Validity,
    ) -> Result<IssuedPem, IssueError> {
        let what = names.first().cloned().unwrap_or_default();
        let err = |source| IssueError {
            what: what.clone(),
            source,
        };
        let key = KeyPair::generate().map_err(err)?;
        let mut params = CertificateParams::new(names.to_vec()).map_err(err)?;
        params.distinguished_name.push(DnType::CommonName, &what);
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = match usage {
            Usage::Server => vec![ExtendedKeyUsagePurpose::ServerAuth],
            Usage::Client => vec![ExtendedKeyUsagePurpose::ClientAuth],
            Usage::Peer => vec![
                ExtendedKeyUsagePurpose::ServerAuth,
                ExtendedKeyUsagePurpose::ClientAuth,
            ],
        };
        set_validity(&mut params, validity);
        let cert = params.signed_by(&key, &self.cert, &self.key).map_err(err)?;
        Ok(IssuedPem {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
        })
    }
}

fn set_validity(params: &mut CertificateParams, validity: Validity) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let at = |days: i64| {
        let secs = now + days * 86_400;
        let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
        rcgen::date_time_ymd(y, m, d)
    };
    params.not_before = at(validity.from_days);
    params.not_after = at(validity.until_days);
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (H. Hinnant's algorithm;
/// written here to avoid depending on `time` directly for one conversion).
fn civil_from_days(z: i64) -> (i32, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y as i32, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }

    #[test]
    fn issues_server_and_client_certificates() {
        let ca = CertificateAuthority::generate("test CA", Validity::days(10)).unwrap();
        let server = ca
            .issue(
                &["localhost".into(), "127.0.0.1".into()],
                Usage::Server,
                Validity::days(5),
            )
            .unwrap();
        assert!(server.cert_pem.starts_with("-----BEGIN CERTIFICATE-----"));
        assert!(server.key_pem.contains("PRIVATE KEY"));
        assert!(ca.cert_pem().contains("BEGIN CERTIFICATE"));
    }
}
