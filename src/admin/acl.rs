//! `rmqctl acl`: the ACL of every broker of a cluster through the ACL admin requests Apache's
//! brokers answer (list, create/update and delete an account, replace the global white list).
//! Each broker keeps its own `plain_acl.yml`, so every change goes to every broker (masters and
//! slaves) and reports per broker. Secret keys are sent, never returned.

use super::cluster::{all_brokers, BrokerRef};
use super::{decode_body, Admin, AdminError};
use crate::acl::admin_requests::{
    AclConfigBody, CreateAccessConfigRequestHeader, DeleteAccessConfigRequestHeader,
    GetBrokerAclConfigResponseHeader, PlainAccessConfig, UpdateGlobalWhiteAddrsConfigRequestHeader,
};
use crate::acl::resources::GET_BROKER_CLUSTER_ACL_CONFIG;
use crate::protocol::fastjson;
use crate::protocol::topic::DataVersion;
use crate::remoting::{RemotingCommand, RequestCode};
use serde::Serialize;

/// One broker's ACL, or why it could not be read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BrokerAcl {
    pub cluster: String,
    pub broker_name: String,
    pub broker_id: i64,
    pub addr: String,
    /// The ACL file's data version counter (bumped by every change made through requests).
    pub version: Option<i64>,
    pub global_white_addrs: Vec<String>,
    pub accounts: Vec<AccountView>,
    pub error: Option<String>,
}

/// An account as `acl list` shows it (no secret).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountView {
    pub access_key: String,
    pub admin: bool,
    pub default_topic_perm: Option<String>,
    pub default_group_perm: Option<String>,
    pub topic_perms: Vec<String>,
    pub group_perms: Vec<String>,
    pub white_remote_address: Option<String>,
}

impl From<PlainAccessConfig> for AccountView {
    fn from(p: PlainAccessConfig) -> Self {
        AccountView {
            access_key: p.access_key,
            admin: p.admin,
            default_topic_perm: p.default_topic_perm,
            default_group_perm: p.default_group_perm,
            topic_perms: p.topic_perms,
            group_perms: p.group_perms,
            white_remote_address: p.white_remote_address.filter(|w| !w.is_empty()),
        }
    }
}

/// What one broker answered to a change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AclChange {
    pub broker_name: String,
    pub broker_id: i64,
    pub addr: String,
    pub ok: bool,
    pub error: Option<String>,
}

impl Admin {
    /// The brokers of `cluster` (every cluster when `None`).
    async fn acl_targets(&self, cluster: Option<&str>) -> Result<Vec<BrokerRef>, AdminError> {
        let info = self.cluster_info().await?;
        all_brokers(&info, cluster)
    }

    /// Every broker's ACL, asked concurrently.
    pub async fn acl_list(&self, cluster: Option<&str>) -> Result<Vec<BrokerAcl>, AdminError> {
        let targets = self.acl_targets(cluster).await?;
        let calls = targets.into_iter().map(|b| async move {
            match self.broker_acl(&b.addr).await {
                Ok((version, body)) => BrokerAcl {
                    version: Some(version),
                    global_white_addrs: body.global_white_addrs,
                    accounts: body
                        .plain_access_configs
                        .into_iter()
                        .map(AccountView::from)
                        .collect(),
                    error: None,
                    ..acl_of(&b)
                },
                Err(e) => BrokerAcl {
                    error: Some(e.to_string()),
                    ..acl_of(&b)
                },
            }
        });
        Ok(futures::future::join_all(calls).await)
    }

    async fn broker_acl(&self, addr: &str) -> Result<(i64, AclConfigBody), AdminError> {
        let info = self
            .call(
                addr,
                RemotingCommand::request(RequestCode::GET_BROKER_CLUSTER_ACL_INFO),
            )
            .await?;
        let header: GetBrokerAclConfigResponseHeader =
            info.header().map_err(|e| AdminError::Decode {
                addr: addr.to_string(),
                reason: e.to_string(),
            })?;
        let version = fastjson::from_slice::<DataVersion>(header.version.as_bytes())
            .map(|v| v.counter)
            .unwrap_or_default();
        let config = self
            .call(
                addr,
                RemotingCommand::request_code(GET_BROKER_CLUSTER_ACL_CONFIG),
            )
            .await?;
        let body = decode_body(addr, GET_BROKER_CLUSTER_ACL_CONFIG, &config)?;
        Ok((version, body))
    }

    /// Creates or updates an account on every broker.
    pub async fn acl_update(
        &self,
        cluster: Option<&str>,
        account: &CreateAccessConfigRequestHeader,
    ) -> Result<Vec<AclChange>, AdminError> {
        let request = RemotingCommand::request(RequestCode::UPDATE_AND_CREATE_ACL_CONFIG)
            .with_header(account);
        self.acl_change(cluster, request).await
    }

    /// Deletes an account from every broker.
    pub async fn acl_delete(
        &self,
        cluster: Option<&str>,
        access_key: &str,
    ) -> Result<Vec<AclChange>, AdminError> {
        let request = RemotingCommand::request(RequestCode::DELETE_ACL_CONFIG).with_header(
            &DeleteAccessConfigRequestHeader {
                access_key: access_key.to_string(),
            },
        );
        self.acl_change(cluster, request).await
    }

    /// Replaces every broker's global white list.
    pub async fn acl_global_white_list(
        &self,
        cluster: Option<&str>,
        addresses: &[String],
    ) -> Result<Vec<AclChange>, AdminError> {
        let request = RemotingCommand::request(RequestCode::UPDATE_GLOBAL_WHITE_ADDRS_CONFIG)
            .with_header(&UpdateGlobalWhiteAddrsConfigRequestHeader {
                acl_file_full_path: None,
                global_white_addrs: addresses.join(","),
            });
        self.acl_change(cluster, request).await
    }

    async fn acl_change(
        &self,
        cluster: Option<&str>,
        request: RemotingCommand,
    ) -> Result<Vec<AclChange>, AdminError> {
        let targets = self.acl_targets(cluster).await?;
        let calls = targets.into_iter().map(|b| {
            let request = request.clone();
            async move {
                let result = self.call(&b.addr, request).await;
                AclChange {
                    broker_name: b.broker_name,
                    broker_id: b.broker_id,
                    addr: b.addr,
                    ok: result.is_ok(),
                    error: result.err().map(|e| e.to_string()),
                }
            }
        });
        Ok(futures::future::join_all(calls).await)
    }
}

fn acl_of(b: &BrokerRef) -> BrokerAcl {
    BrokerAcl {
        cluster: b.cluster.clone(),
        broker_name: b.broker_name.clone(),
        broker_id: b.broker_id,
        addr: b.addr.clone(),
        version: None,
        global_white_addrs: Vec::new(),
        accounts: Vec::new(),
        error: None,
    }
}
