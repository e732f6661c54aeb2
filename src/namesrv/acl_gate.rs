//! The name server's optional ACL (`aclEnable=true` in namesrv.properties, an rmqctl extension:
//! Apache's name server has none). It reads `plain_acl.yml` like a broker does
//! (`<rocketmqHome>/conf/`, else beside `-c`) and checks only the requests that change the name
//! server (broker registration and heartbeats, topic registration and deletion, KV config,
//! permission wipes, config updates): those need an admin account. Route look-ups stay open.

use super::config::NamesrvConfig;
use crate::acl::{plain_acl, AccessValidator, Scope};
use crate::remoting::command::RemotingCommand;
use crate::remoting::server::Connection;
use std::path::Path;
use std::sync::Arc;

/// The validator of a name server with `aclEnable=true`, `None` with ACL off.
pub fn load(
    config: &NamesrvConfig,
    config_file: Option<&Path>,
) -> Result<Option<Arc<AccessValidator>>, String> {
    if !config.acl_enable {
        return Ok(None);
    }
    let beside = config_file.unwrap_or(Path::new("namesrv.properties"));
    let path = plain_acl::locate(Some(&config.rocketmq_home), beside)?;
    let validator = AccessValidator::load(&path, Scope::Namesrv).map_err(|e| e.to_string())?;
    tracing::info!(file = %path.display(), accounts = validator.rules().account_count(),
        "ACL enabled for the requests that change this name server");
    Ok(Some(Arc::new(validator)))
}

/// The refusal of a request the ACL does not allow, if any.
pub fn refusal(
    acl: Option<&AccessValidator>,
    conn: &Connection,
    request: &RemotingCommand,
) -> Option<RemotingCommand> {
    let refusal = acl?.check(conn.peer.ip(), request).err()?;
    tracing::info!(peer = %conn.peer, account = refusal.access_key.as_deref().unwrap_or(""),
        "{}", refusal.reason);
    Some(refusal.response())
}
