//! `--access-key` / `--secret-key` (or `$RMQCTL_ACCESS_KEY` / `$RMQCTL_SECRET_KEY`): the ACL
//! account whose signature goes on every request a command sends (servers with
//! `aclEnable=true`). The secret never shows in `Debug` output or messages.

use super::InputError;
use crate::acl::{Credentials, Secret};
use crate::remoting::request_hook::RequestHook;
use std::sync::Arc;

/// Environment variables read for the account.
pub const ACCESS_KEY_ENV: &str = "RMQCTL_ACCESS_KEY";
pub const SECRET_KEY_ENV: &str = "RMQCTL_SECRET_KEY";

/// The ACL account flags.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct CredentialArgs {
    /// ACL access key to sign requests with (for brokers with aclEnable=true).
    #[arg(long = "access-key", env = ACCESS_KEY_ENV, value_name = "KEY")]
    pub access_key: Option<String>,
    /// ACL secret key. Prefer $RMQCTL_SECRET_KEY: other users of the machine can read a
    /// process's arguments.
    #[arg(
        long = "secret-key",
        env = SECRET_KEY_ENV,
        hide_env_values = true,
        value_name = "SECRET",
        value_parser = parse_secret
    )]
    pub secret_key: Option<Secret>,
}

fn parse_secret(text: &str) -> Result<Secret, String> {
    Ok(Secret::new(text))
}

impl CredentialArgs {
    /// The account, if both halves are given; one without the other is a usage error.
    pub fn credentials(&self) -> Result<Option<Credentials>, InputError> {
        match (&self.access_key, &self.secret_key) {
            (None, None) => Ok(None),
            (Some(ak), Some(sk)) => Ok(Some(Credentials::new(ak.clone(), sk.clone()))),
            (Some(_), None) => Err(InputError(format!(
                "--access-key needs its secret: set ${SECRET_KEY_ENV} (or pass --secret-key)"
            ))),
            (None, Some(_)) => Err(InputError(format!(
                "a secret key without an access key: pass --access-key or set ${ACCESS_KEY_ENV}"
            ))),
        }
    }

    /// The signing hook for a client, if an account is given.
    pub fn hook(&self) -> Result<Option<Arc<dyn RequestHook>>, InputError> {
        Ok(self
            .credentials()?
            .map(|c| Arc::new(c) as Arc<dyn RequestHook>))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_halves_or_neither() {
        let none = CredentialArgs::default();
        assert!(none.credentials().unwrap().is_none());
        let both = CredentialArgs {
            access_key: Some("rmqadmin".into()),
            secret_key: Some(Secret::new("admin-secret")),
        };
        assert_eq!(both.credentials().unwrap().unwrap().access_key, "rmqadmin");
        assert!(!format!("{both:?}").contains("admin-secret"));
        let half = CredentialArgs {
            access_key: Some("rmqadmin".into()),
            secret_key: None,
        };
        assert!(half.credentials().unwrap_err().0.contains(SECRET_KEY_ENV));
    }
}
