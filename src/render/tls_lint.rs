//! The `tls-files` lint rule: a properties file's `tls.*` keys name certificate and key files
//! that exist, parse and go together, and certificates that are not expired (fewer than 30 days
//! left is a warning). Runs for broker and name-server files alike.

use super::lint::{Finding, Severity};
use crate::apache_config::properties::Properties;
use crate::apache_config::tls_keys::is_tls_key;
use crate::remoting::tls::file_check::check_files;
use crate::remoting::tls::settings::TlsSettings;

/// Findings for the TLS keys of one file (none when it has no `tls.*` key).
pub fn lint_tls(label: &str, properties: &Properties) -> Vec<Finding> {
    let entries: Vec<_> = properties
        .entries()
        .iter()
        .filter(|e| is_tls_key(&e.key))
        .collect();
    let Some(first) = entries.first() else {
        return Vec::new();
    };
    let finding =
        |pos: crate::apache_config::properties::Pos, error: bool, message: String| Finding {
            path: label.to_string(),
            line: pos.line,
            col: pos.col,
            rule: "tls-files",
            severity: if error {
                Severity::Error
            } else {
                Severity::Warning
            },
            message,
            hint:
                "fix the file named, or generate a CA and certificates with `rmqctl tls init DIR`"
                    .into(),
        };
    let pairs = entries.iter().map(|e| (e.key.as_str(), e.value.as_str()));
    let settings = match TlsSettings::from_pairs(pairs) {
        Ok(settings) => settings,
        Err(message) => return vec![finding(first.key_pos, true, message)],
    };
    check_files(&settings)
        .into_iter()
        .map(|problem| {
            let pos = entries
                .iter()
                .find(|e| e.key == problem.key)
                .map_or(first.key_pos, |e| e.value_pos);
            finding(pos, problem.error, problem.message)
        })
        .collect()
}
