//! The server-side TLS settings, read from Apache's `tls.*` keys (in a broker's or name server's
//! properties file, or in the `tls.properties` that `tls.config.file` names), and the typed
//! values they take: `tls.server.mode` and `tls.server.need.client.auth`.

use std::path::{Path, PathBuf};

/// `tls.server.mode`: what a listener does with TLS and plain connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TlsMode {
    /// Plain TCP only: a connection that starts with a TLS handshake is closed.
    #[default]
    Disabled,
    /// TLS and plain TCP on the same port, told apart by the first byte.
    Permissive,
    /// TLS only: a plain connection is closed.
    Enforcing,
}

impl TlsMode {
    pub fn parse(value: &str) -> Result<Self, String> {
        match value {
            "disabled" => Ok(TlsMode::Disabled),
            "permissive" => Ok(TlsMode::Permissive),
            "enforcing" => Ok(TlsMode::Enforcing),
            _ => Err("expected disabled, permissive or enforcing".into()),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TlsMode::Disabled => "disabled",
            TlsMode::Permissive => "permissive",
            TlsMode::Enforcing => "enforcing",
        }
    }
}

/// `tls.server.need.client.auth`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClientAuth {
    #[default]
    None,
    Optional,
    Require,
}

impl ClientAuth {
    pub fn parse(value: &str) -> Result<Self, String> {
        match value {
            "none" => Ok(ClientAuth::None),
            "optional" => Ok(ClientAuth::Optional),
            "require" => Ok(ClientAuth::Require),
            _ => Err("expected none, optional or require".into()),
        }
    }
}

pub use crate::apache_config::tls_keys::{is_tls_key, TLS_KEYS};

/// The TLS settings of one server process (listeners and outbound connections).
#[derive(Clone, Default, PartialEq)]
pub struct TlsSettings {
    /// `None` until `tls.server.mode` is set; then [`TlsSettings::mode`] decides.
    pub server_mode: Option<TlsMode>,
    pub test_mode: bool,
    pub need_client_auth: ClientAuth,
    pub server_cert: Option<PathBuf>,
    pub server_key: Option<PathBuf>,
    pub server_key_password: Option<String>,
    pub server_auth_client: bool,
    pub server_trust: Option<PathBuf>,
    pub config_file: Option<PathBuf>,
    /// `tls.enable`: outbound connections (registration, slave to master) use TLS.
    pub client_enable: bool,
    pub client_cert: Option<PathBuf>,
    pub client_key: Option<PathBuf>,
    pub client_key_password: Option<String>,
    /// `tls.client.authServer`: rmqctl verifies the server unless this is set to false.
    pub client_auth_server: bool,
    pub client_trust: Option<PathBuf>,
}

// Passwords never reach logs.
impl std::fmt::Debug for TlsSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsSettings")
            .field("server_mode", &self.server_mode)
            .field("test_mode", &self.test_mode)
            .field("server_cert", &self.server_cert)
            .field("server_key", &self.server_key)
            .field("need_client_auth", &self.need_client_auth)
            .field("client_enable", &self.client_enable)
            .finish_non_exhaustive()
    }
}

impl TlsSettings {
    /// Settings with Apache's defaults where rmqctl keeps them (`authServer` is true here).
    pub fn new() -> Self {
        TlsSettings {
            client_auth_server: true,
            ..TlsSettings::default()
        }
    }

    /// The listeners' mode: `tls.server.mode` when set; otherwise permissive when a certificate
    /// or test mode is configured (Apache's default mode), else disabled (rmqctl's default:
    /// Apache would serve a self-signed certificate).
    pub fn mode(&self) -> TlsMode {
        match self.server_mode {
            Some(mode) => mode,
            None if self.test_mode || self.server_cert.is_some() => TlsMode::Permissive,
            None => TlsMode::Disabled,
        }
    }

    /// Set one `tls.*` key; `Err` says what the value should be.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        let v = value.trim();
        let path = || Some(PathBuf::from(v)).filter(|p| !p.as_os_str().is_empty());
        match key {
            "tls.server.mode" => self.server_mode = Some(TlsMode::parse(v)?),
            "tls.enable" => self.client_enable = parse_bool(v)?,
            "tls.config.file" => self.config_file = path(),
            "tls.test.mode.enable" => self.test_mode = parse_bool(v)?,
            "tls.server.need.client.auth" => self.need_client_auth = ClientAuth::parse(v)?,
            "tls.server.keyPath" => self.server_key = path(),
            "tls.server.keyPassword" => {
                self.server_key_password = Some(v.to_string()).filter(|p| !p.is_empty())
            }
            "tls.server.certPath" => self.server_cert = path(),
            "tls.server.authClient" => self.server_auth_client = parse_bool(v)?,
            "tls.server.trustCertPath" => self.server_trust = path(),
            "tls.client.keyPath" => self.client_key = path(),
            "tls.client.keyPassword" => {
                self.client_key_password = Some(v.to_string()).filter(|p| !p.is_empty())
            }
            "tls.client.certPath" => self.client_cert = path(),
            "tls.client.authServer" => self.client_auth_server = parse_bool(v)?,
            "tls.client.trustCertPath" => self.client_trust = path(),
            _ => return Err(format!("`{key}` is not a TLS key")),
        }
        Ok(())
    }

    /// Reads the `tls.properties` that `tls.config.file` names (keys there fill in what the
    /// main file left unset is not tracked: like Apache, the file's values are applied after).
    pub fn apply_config_file(&mut self) -> Result<(), String> {
        let Some(path) = self.config_file.clone() else {
            return Ok(());
        };
        let props = crate::apache_config::properties::Properties::load(&path)
            .map_err(|e| format!("tls.config.file: {e}"))?;
        for entry in props.entries() {
            if matches!(
                entry.key.as_str(),
                "tls.server.mode" | "tls.enable" | "tls.config.file"
            ) || !is_tls_key(&entry.key)
            {
                return Err(format!(
                    "{}:{}: `{}` cannot be set in tls.config.file (only tls.server.*, tls.client.* and tls.test.mode.enable)",
                    path.display(),
                    entry.key_pos,
                    entry.key
                ));
            }
            self.set(&entry.key, &entry.value).map_err(|e| {
                format!(
                    "{}:{}: `{}`: {e}",
                    path.display(),
                    entry.value_pos,
                    entry.key
                )
            })?;
        }
        Ok(())
    }

    /// Settings from the `tls.*` entries of a key/value list (a broker's accepted keys).
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, String> {
        let mut settings = TlsSettings::new();
        for (key, value) in pairs {
            if is_tls_key(key) {
                settings
                    .set(key, value)
                    .map_err(|e| format!("`{key}`: {e}"))?;
            }
        }
        settings.apply_config_file()?;
        Ok(settings)
    }
}

fn parse_bool(v: &str) -> Result<bool, String> {
    match v {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err("expected true or false".into()),
    }
}

/// A file named by a TLS key, for messages: `tls.server.certPath (/etc/x.pem)`.
pub fn describe(key: &str, path: &Path) -> String {
    format!("{key} ({})", path.display())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mode_defaults_follow_what_is_configured() {
        let mut s = TlsSettings::new();
        assert_eq!(s.mode(), TlsMode::Disabled);
        s.set("tls.server.certPath", "/x.pem").unwrap();
        assert_eq!(s.mode(), TlsMode::Permissive);
        s.set("tls.server.mode", "enforcing").unwrap();
        assert_eq!(s.mode(), TlsMode::Enforcing);
        assert!(s.set("tls.server.mode", "strict").is_err());
        assert!(s.client_auth_server);
    }

    #[test]
    fn tls_config_file_fills_in_the_file_keys() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("tls.properties");
        std::fs::write(
            &file,
            "tls.server.certPath=/etc/rmq/cert.pem\ntls.server.need.client.auth=optional\n",
        )
        .unwrap();
        let path = file.display().to_string();
        let s = TlsSettings::from_pairs([("tls.config.file", path.as_str()), ("listenPort", "1")])
            .unwrap();
        assert_eq!(
            s.server_cert.as_deref(),
            Some(Path::new("/etc/rmq/cert.pem"))
        );
        assert_eq!(s.need_client_auth, ClientAuth::Optional);
        assert_eq!(s.mode(), TlsMode::Permissive);
        std::fs::write(&file, "tls.server.mode=enforcing\n").unwrap();
        let e = TlsSettings::from_pairs([("tls.config.file", path.as_str())]).unwrap_err();
        assert!(e.contains("cannot be set in tls.config.file"), "{e}");
    }

    #[test]
    fn debug_hides_passwords() {
        let mut s = TlsSettings::new();
        s.set("tls.server.keyPassword", "hunter2").unwrap();
        assert!(!format!("{s:?}").contains("hunter2"));
    }
}
