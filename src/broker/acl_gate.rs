//! The broker's ACL gate (`aclEnable=true`): loads `plain_acl.yml` at start (a malformed file
//! stops startup with file:line), checks every request before a processor sees it (a refused
//! request gets NO_PERMISSION and nothing of it is stored), and answers the ACL admin requests.
//! With ACL off, requests pass untouched.

use super::config::BrokerConfig;
use super::context::BrokerContext;
use crate::acl::admin_requests::{self, ServerIdentity};
use crate::acl::{plain_acl, AccessValidator, Scope};
use crate::remoting::command::RemotingCommand;
use crate::remoting::server::Connection;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The validator of a broker with `aclEnable=true`, `None` with ACL off.
pub fn load(
    config: &BrokerConfig,
    config_file: &Path,
) -> Result<Option<Arc<AccessValidator>>, String> {
    if !config.acl_enable {
        return Ok(None);
    }
    let home = rocketmq_home(config.rocketmq_home.as_deref());
    let path = plain_acl::locate(home.as_deref(), config_file)?;
    let validator = AccessValidator::load(&path, Scope::Broker).map_err(|e| e.to_string())?;
    tracing::info!(file = %path.display(), accounts = validator.rules().account_count(),
        "ACL enabled");
    Ok(Some(Arc::new(validator)))
}

/// `rocketmqHome` from the config, else `$ROCKETMQ_HOME`, as Apache finds its home.
pub fn rocketmq_home(configured: Option<&str>) -> Option<PathBuf> {
    configured
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("ROCKETMQ_HOME").map(PathBuf::from))
}

/// The account the broker signs its own requests with: `--access-key` with its secret, or
/// with the secretKey its own `plain_acl.yml` gives that account (so a deployed broker needs no
/// secret on its command line or in its environment).
pub fn own_credentials(
    config: &BrokerConfig,
    config_file: &Path,
    access_key: Option<&str>,
    secret: Option<crate::acl::Secret>,
) -> Result<Option<crate::acl::Credentials>, String> {
    let Some(access_key) = access_key else {
        return match secret {
            Some(_) => Err("a secret key without an access key: pass --access-key".into()),
            None => Ok(None),
        };
    };
    if let Some(secret) = secret {
        return Ok(Some(crate::acl::Credentials::new(access_key, secret)));
    }
    let home = rocketmq_home(config.rocketmq_home.as_deref());
    let file = plain_acl::locate(home.as_deref(), config_file)
        .map_err(|_| format!("--access-key {access_key}: no secret given ($RMQCTL_SECRET_KEY) and no plain_acl.yml to take it from"))?;
    let acl = crate::acl::PlainAclFile::load(&file).map_err(|e| e.to_string())?;
    acl.accounts
        .iter()
        .find(|a| a.access_key == access_key)
        .and_then(|a| a.secret_key.clone())
        .map(|secret| Some(crate::acl::Credentials::new(access_key, secret)))
        .ok_or_else(|| format!("--access-key {access_key}: no secret given ($RMQCTL_SECRET_KEY) and {} has no such account", file.display()))
}

/// The answer for a request the processors must not see: a refusal, or an ACL admin request.
pub fn answer_before_processing(
    ctx: &BrokerContext,
    conn: &Connection,
    request: &RemotingCommand,
) -> Option<RemotingCommand> {
    let acl = ctx.acl.as_deref();
    if let Some(validator) = acl {
        if let Err(refusal) = validator.check(conn.peer.ip(), request) {
            tracing::info!(peer = %conn.peer, account = refusal.access_key.as_deref().unwrap_or(""),
                "{}", refusal.reason);
            return Some(refusal.response());
        }
    }
    if !admin_requests::is_acl_admin_request(request.code) {
        return None;
    }
    let identity = ServerIdentity {
        cluster: ctx.identity.cluster.clone(),
        broker_name: ctx.identity.broker_name.clone(),
        broker_addr: ctx.identity.addr.to_string(),
    };
    admin_requests::answer(acl, &identity, request)
}
