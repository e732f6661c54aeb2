//! Which callback URLs the gateway may call: a backurl is allowed when, normalised, it starts with
//! one of the configured prefixes. (Skeleton API shared by the send and delivery sides; the
//! delivery side owns the full implementation: normalisation, `*.` hosts, loopback/link-local/
//! metadata refusal.)

use thiserror::Error;

/// The configured prefixes, parsed once at start.
#[derive(Debug, Clone, Default)]
pub struct AllowList {
    prefixes: Vec<String>,
}

/// A prefix in gateway.toml that is not a usable http(s) URL prefix.
#[derive(Debug, Error)]
#[error("allow_callbacks entry {entry:?}: {reason}")]
pub struct AllowListError {
    pub entry: String,
    pub reason: String,
}

/// Why a backurl may not be called (said to the HTTP client with status 403, or 400 when the
/// URL is not an http(s) URL at all).
#[derive(Debug, Error)]
pub enum CallbackRefused {
    #[error("backurl {0:?} is not an http or https URL")]
    NotHttp(String),
    #[error("backurl {0:?} is not on the gateway's allow_callbacks list")]
    NotAllowed(String),
}

impl AllowList {
    /// Parse the configured prefixes.
    pub fn parse(prefixes: &[String]) -> Result<Self, AllowListError> {
        Ok(Self {
            prefixes: prefixes.to_vec(),
        })
    }

    /// True when no prefix is configured (every backurl is refused).
    pub fn is_empty(&self) -> bool {
        self.prefixes.is_empty()
    }

    /// The normalised URL when `url` may be called.
    pub fn check(&self, url: &str) -> Result<String, CallbackRefused> {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(CallbackRefused::NotHttp(url.to_owned()));
        }
        if self.prefixes.iter().any(|p| url.starts_with(p.as_str())) {
            Ok(url.to_owned())
        } else {
            Err(CallbackRefused::NotAllowed(url.to_owned()))
        }
    }
}
