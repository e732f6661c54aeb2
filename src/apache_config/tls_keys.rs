//! Apache's TLS keys (`TlsSystemConfig`): their names and the values they take, accepted in a
//! broker's or name server's properties file and in the `tls.properties` of `tls.config.file`.
//! `remoting::tls::settings` turns them into settings.

/// Every `tls.*` key rmqctl's servers read (Apache's names).
pub const TLS_KEYS: &[&str] = &[
    "tls.server.mode",
    "tls.enable",
    "tls.config.file",
    "tls.test.mode.enable",
    "tls.server.need.client.auth",
    "tls.server.keyPath",
    "tls.server.keyPassword",
    "tls.server.certPath",
    "tls.server.authClient",
    "tls.server.trustCertPath",
    "tls.client.keyPath",
    "tls.client.keyPassword",
    "tls.client.certPath",
    "tls.client.authServer",
    "tls.client.trustCertPath",
];

/// Whether `key` is one of the TLS keys.
pub fn is_tls_key(key: &str) -> bool {
    TLS_KEYS.contains(&key)
}

/// Whether `value` suits `key`; `Err` says what is expected.
pub fn check_tls_value(key: &str, value: &str) -> Result<(), String> {
    let v = value.trim();
    let one_of = |allowed: &[&str]| {
        if allowed.contains(&v) {
            Ok(())
        } else {
            Err(format!("expected {}", allowed.join(", ")))
        }
    };
    match key {
        "tls.server.mode" => one_of(&["disabled", "permissive", "enforcing"]),
        "tls.server.need.client.auth" => one_of(&["none", "optional", "require"]),
        "tls.enable"
        | "tls.test.mode.enable"
        | "tls.server.authClient"
        | "tls.client.authServer" => one_of(&["true", "false"]),
        _ if is_tls_key(key) => Ok(()),
        _ => Err(format!("`{key}` is not a TLS key")),
    }
}
