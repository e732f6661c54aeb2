//! The ACL admin requests Apache's broker answers (4.9/5.1): UPDATE_AND_CREATE_ACL_CONFIG (50),
//! DELETE_ACL_CONFIG (51), GET_BROKER_CLUSTER_ACL_INFO (52), UPDATE_GLOBAL_WHITE_ADDRS_CONFIG
//! (53) and GET_BROKER_CLUSTER_ACL_CONFIG (54): their headers and bodies (shared by the broker,
//! which answers them by editing its `plain_acl.yml`, and by `rmqctl acl`, which sends them).
//! Unlike Apache, the account list never carries secret keys.

use super::permission::{Perm, ResourcePerm};
use super::plain_acl::{AccountConfig, PlainAclFile};
use super::resources::GET_BROKER_CLUSTER_ACL_CONFIG;
use super::secret::Secret;
use super::validator::AccessValidator;
use super::white_list::AddressPattern;
use crate::protocol::fastjson;
use crate::protocol::topic::DataVersion;
use crate::remoting::command::RemotingCommand;
use crate::remoting::headers::{HeaderError, HeaderValue};
use crate::remoting::{RequestCode, ResponseCode};
use compact_str::CompactString;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Apache 4.x's failure codes of the ACL admin requests.
pub const UPDATE_AND_CREATE_ACL_CONFIG_FAILED: i32 = 209;
pub const DELETE_ACL_CONFIG_FAILED: i32 = 210;
pub const UPDATE_GLOBAL_WHITE_ADDRS_CONFIG_FAILED: i32 = 211;

impl HeaderValue for Secret {
    fn to_text(&self) -> Option<CompactString> {
        Some(CompactString::from(self.expose()))
    }
    fn from_text(field: &'static str, text: Option<&str>) -> Result<Self, HeaderError> {
        text.map(Secret::new).ok_or(HeaderError::Missing(field))
    }
}

crate::remoting_header!(
    /// UPDATE_AND_CREATE_ACL_CONFIG (50): creates or updates one account. `topicPerms` and
    /// `groupPerms` are comma-separated `name=PERM` lists.
    CreateAccessConfigRequestHeader {
        access_key: String = "accessKey",
        admin: bool = "admin",
        default_group_perm: Option<String> = "defaultGroupPerm",
        default_topic_perm: Option<String> = "defaultTopicPerm",
        group_perms: Option<String> = "groupPerms",
        secret_key: Option<Secret> = "secretKey",
        topic_perms: Option<String> = "topicPerms",
        white_remote_address: Option<String> = "whiteRemoteAddress",
    }
);

crate::remoting_header!(
    /// DELETE_ACL_CONFIG (51).
    DeleteAccessConfigRequestHeader {
        access_key: String = "accessKey",
    }
);

crate::remoting_header!(
    /// UPDATE_GLOBAL_WHITE_ADDRS_CONFIG (53): the whole global white list, comma-separated.
    /// `aclFileFullPath` (5.x) is accepted and ignored: a bundled server has one ACL file.
    UpdateGlobalWhiteAddrsConfigRequestHeader {
        acl_file_full_path: Option<String> = "aclFileFullPath",
        global_white_addrs: String = "globalWhiteAddrs",
    }
);

crate::remoting_header!(
    /// GET_BROKER_CLUSTER_ACL_INFO (52) response.
    GetBrokerAclConfigResponseHeader {
        all_acl_file_version: Option<String> = "allAclFileVersion",
        broker_addr: String = "brokerAddr",
        broker_name: String = "brokerName",
        cluster_name: String = "clusterName",
        version: String = "version",
    }
);

/// GET_BROKER_CLUSTER_ACL_CONFIG (54) response body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AclConfigBody {
    #[serde(default)]
    pub global_white_addrs: Vec<String>,
    #[serde(default)]
    pub plain_access_configs: Vec<PlainAccessConfig>,
}

/// One account in [`AclConfigBody`] (Apache's `PlainAccessConfig` without `secretKey`: a
/// `secretKey` sent by an Apache broker is dropped on reading).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlainAccessConfig {
    pub access_key: String,
    #[serde(default)]
    pub admin: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_group_perm: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_topic_perm: Option<String>,
    #[serde(default)]
    pub group_perms: Vec<String>,
    #[serde(default)]
    pub topic_perms: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub white_remote_address: Option<String>,
}

impl PlainAccessConfig {
    fn of(account: &AccountConfig) -> Self {
        PlainAccessConfig {
            access_key: account.access_key.clone(),
            admin: account.admin,
            default_group_perm: account.default_group_perm.map(|p| p.word().to_string()),
            default_topic_perm: account.default_topic_perm.map(|p| p.word().to_string()),
            group_perms: account
                .group_perms
                .iter()
                .map(ToString::to_string)
                .collect(),
            topic_perms: account
                .topic_perms
                .iter()
                .map(ToString::to_string)
                .collect(),
            white_remote_address: account
                .white_remote_address
                .as_ref()
                .map(|p| p.as_str().to_string()),
        }
    }
}

/// Who answers GET_BROKER_CLUSTER_ACL_INFO.
#[derive(Debug, Clone)]
pub struct ServerIdentity {
    pub cluster: String,
    pub broker_name: String,
    pub broker_addr: String,
}

/// Whether `code` is one of the ACL admin requests.
pub fn is_acl_admin_request(code: i32) -> bool {
    use RequestCode as R;
    code == GET_BROKER_CLUSTER_ACL_CONFIG
        || RequestCode::from_code(code).is_some_and(|c| {
            matches!(
                c,
                R::UPDATE_AND_CREATE_ACL_CONFIG
                    | R::DELETE_ACL_CONFIG
                    | R::GET_BROKER_CLUSTER_ACL_INFO
                    | R::UPDATE_GLOBAL_WHITE_ADDRS_CONFIG
            )
        })
}

/// Answers an ACL admin request (`None` for any other request). The request already passed the
/// ACL check (only admin accounts may send these). Without ACL (`validator` is `None`) each is
/// answered with its failure code and a remark saying so.
pub fn answer(
    validator: Option<&AccessValidator>,
    identity: &ServerIdentity,
    request: &RemotingCommand,
) -> Option<RemotingCommand> {
    if !is_acl_admin_request(request.code) {
        return None;
    }
    let failure_code = match RequestCode::from_code(request.code) {
        Some(RequestCode::UPDATE_AND_CREATE_ACL_CONFIG) => UPDATE_AND_CREATE_ACL_CONFIG_FAILED,
        Some(RequestCode::DELETE_ACL_CONFIG) => DELETE_ACL_CONFIG_FAILED,
        Some(RequestCode::UPDATE_GLOBAL_WHITE_ADDRS_CONFIG) => {
            UPDATE_GLOBAL_WHITE_ADDRS_CONFIG_FAILED
        }
        _ => ResponseCode::SYSTEM_ERROR.code(),
    };
    let Some(validator) = validator else {
        return Some(RemotingCommand::response_code(
            failure_code,
            Some(
                "ACL is off on this server (aclEnable=false): there is no ACL to read or change"
                    .to_string(),
            ),
        ));
    };
    let result = match RequestCode::from_code(request.code) {
        Some(RequestCode::UPDATE_AND_CREATE_ACL_CONFIG) => update_account(validator, request),
        Some(RequestCode::DELETE_ACL_CONFIG) => delete_account(validator, request),
        Some(RequestCode::UPDATE_GLOBAL_WHITE_ADDRS_CONFIG) => {
            update_global_white_list(validator, request)
        }
        Some(RequestCode::GET_BROKER_CLUSTER_ACL_INFO) => version_info(validator, identity),
        _ => config_body(validator),
    };
    Some(result.unwrap_or_else(|reason| RemotingCommand::response_code(failure_code, Some(reason))))
}

fn update_account(
    validator: &AccessValidator,
    request: &RemotingCommand,
) -> Result<RemotingCommand, String> {
    let header: CreateAccessConfigRequestHeader = request.header().map_err(|e| e.to_string())?;
    let change = AccountChange::parse(&header)?;
    validator.edit(|file| change.apply(file))?;
    tracing::info!(account = %header.access_key, file = %validator.path().display(), "ACL account created or updated");
    Ok(RemotingCommand::success())
}

fn delete_account(
    validator: &AccessValidator,
    request: &RemotingCommand,
) -> Result<RemotingCommand, String> {
    let header: DeleteAccessConfigRequestHeader = request.header().map_err(|e| e.to_string())?;
    let key = header.access_key;
    validator.edit(|file| {
        let before = file.accounts.len();
        file.accounts.retain(|a| a.access_key != key);
        if file.accounts.len() == before {
            return Err(format!("no account `{key}` in the ACL"));
        }
        Ok(())
    })?;
    tracing::info!(account = %key, file = %validator.path().display(), "ACL account deleted");
    Ok(RemotingCommand::success())
}

fn update_global_white_list(
    validator: &AccessValidator,
    request: &RemotingCommand,
) -> Result<RemotingCommand, String> {
    let header: UpdateGlobalWhiteAddrsConfigRequestHeader =
        request.header().map_err(|e| e.to_string())?;
    let patterns = split_list(&header.global_white_addrs)
        .map(AddressPattern::parse)
        .collect::<Result<Vec<_>, _>>()?;
    let count = patterns.len();
    validator.edit(|file| {
        file.global_white_remote_addresses = patterns;
        Ok(())
    })?;
    tracing::info!(entries = count, file = %validator.path().display(), "ACL global white list replaced");
    Ok(RemotingCommand::success())
}

fn version_info(
    validator: &AccessValidator,
    identity: &ServerIdentity,
) -> Result<RemotingCommand, String> {
    let v = validator.rules().version;
    let version = DataVersion {
        counter: v.counter,
        state_version: 0,
        timestamp: v.timestamp,
    };
    let json = fastjson::to_string(&version).map_err(|e| e.to_string())?;
    let mut all = BTreeMap::new();
    all.insert(validator.path().display().to_string(), version);
    let header = GetBrokerAclConfigResponseHeader {
        all_acl_file_version: Some(fastjson::to_string(&all).map_err(|e| e.to_string())?),
        broker_addr: identity.broker_addr.clone(),
        broker_name: identity.broker_name.clone(),
        cluster_name: identity.cluster.clone(),
        version: json,
    };
    Ok(RemotingCommand::success().with_header(&header))
}

fn config_body(validator: &AccessValidator) -> Result<RemotingCommand, String> {
    let rules = validator.rules();
    let body = AclConfigBody {
        global_white_addrs: rules
            .file
            .global_white_remote_addresses
            .iter()
            .map(|p| p.as_str().to_string())
            .collect(),
        plain_access_configs: rules
            .file
            .accounts
            .iter()
            .map(PlainAccessConfig::of)
            .collect(),
    };
    let bytes = fastjson::to_vec(&body).map_err(|e| e.to_string())?;
    Ok(RemotingCommand::success().with_body(bytes))
}

/// Apache's comma-separated lists: blanks around entries ignored, empty entries dropped. A
/// comma inside `{...}` (a white-list entry such as `192.168.1.{1,2}`) does not split.
fn split_list(text: &str) -> impl Iterator<Item = &str> {
    let mut depth = 0usize;
    let mut start = 0;
    let mut parts = Vec::new();
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts.into_iter().map(str::trim).filter(|s| !s.is_empty())
}

/// An UPDATE_AND_CREATE_ACL_CONFIG request, checked.
struct AccountChange {
    access_key: String,
    secret_key: Option<Secret>,
    white_remote_address: Option<Option<AddressPattern>>,
    admin: bool,
    default_topic_perm: Option<Perm>,
    default_group_perm: Option<Perm>,
    topic_perms: Option<Vec<ResourcePerm>>,
    group_perms: Option<Vec<ResourcePerm>>,
}

impl AccountChange {
    fn parse(h: &CreateAccessConfigRequestHeader) -> Result<AccountChange, String> {
        let perm = |word: &Option<String>, what: &str| -> Result<Option<Perm>, String> {
            match word.as_deref().map(str::trim).filter(|w| !w.is_empty()) {
                None => Ok(None),
                Some(w) => Perm::parse(w).map(Some).ok_or_else(|| {
                    format!("{what} `{w}` is not a permission: write {}", Perm::WORDS)
                }),
            }
        };
        let list = |text: &Option<String>| -> Result<Option<Vec<ResourcePerm>>, String> {
            text.as_deref()
                .map(|t| split_list(t).map(ResourcePerm::parse).collect())
                .transpose()
        };
        let white = match h.white_remote_address.as_deref().map(str::trim) {
            None => None,
            Some("") => Some(None),
            Some(text) => Some(Some(AddressPattern::parse(text)?)),
        };
        Ok(AccountChange {
            access_key: h.access_key.trim().to_string(),
            secret_key: h.secret_key.clone().filter(|s| !s.is_empty()),
            white_remote_address: white,
            admin: h.admin,
            default_topic_perm: perm(&h.default_topic_perm, "defaultTopicPerm")?,
            default_group_perm: perm(&h.default_group_perm, "defaultGroupPerm")?,
            topic_perms: list(&h.topic_perms)?,
            group_perms: list(&h.group_perms)?,
        })
    }

    /// Apache's update: a new account needs a secret; for an existing one only the fields
    /// sent change (`admin` always, as Java sends it always).
    fn apply(self, file: &mut PlainAclFile) -> Result<(), String> {
        let existing = file
            .accounts
            .iter_mut()
            .find(|a| a.access_key == self.access_key);
        let account = match existing {
            Some(a) => a,
            None => {
                let Some(secret) = self.secret_key.clone() else {
                    return Err(format!(
                        "account `{}` is new: give it a secretKey",
                        self.access_key
                    ));
                };
                file.accounts
                    .push(AccountConfig::new(self.access_key.clone(), secret));
                let last = file.accounts.len() - 1;
                &mut file.accounts[last]
            }
        };
        if let Some(secret) = self.secret_key {
            account.secret_key = Some(secret);
        }
        if let Some(white) = self.white_remote_address {
            account.white_remote_address = white;
        }
        account.admin = self.admin;
        if let Some(p) = self.default_topic_perm {
            account.default_topic_perm = Some(p);
        }
        if let Some(p) = self.default_group_perm {
            account.default_group_perm = Some(p);
        }
        if let Some(list) = self.topic_perms {
            account.topic_perms = list;
        }
        if let Some(list) = self.group_perms {
            account.group_perms = list;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acl::validator::Scope;

    fn validator(dir: &std::path::Path) -> AccessValidator {
        let path = dir.join("plain_acl.yml");
        std::fs::write(
            &path,
            "accounts:\n  - accessKey: admin-01\n    secretKey: secret-admin\n    admin: true\n",
        )
        .unwrap();
        AccessValidator::load(&path, Scope::Broker).unwrap()
    }

    fn identity() -> ServerIdentity {
        ServerIdentity {
            cluster: "DefaultCluster".into(),
            broker_name: "broker-a".into(),
            broker_addr: "127.0.0.1:10911".into(),
        }
    }

    #[test]
    fn create_update_list_and_delete_accounts() {
        let dir = tempfile::tempdir().unwrap();
        let v = validator(dir.path());
        let header = CreateAccessConfigRequestHeader {
            access_key: "producer1".into(),
            secret_key: Some(Secret::new("secret-p1")),
            default_topic_perm: Some("DENY".into()),
            topic_perms: Some("TopicA=PUB|SUB, TopicB=SUB".into()),
            ..Default::default()
        };
        assert!(!format!("{header:?}").contains("secret-p1"));
        let create = RemotingCommand::request(RequestCode::UPDATE_AND_CREATE_ACL_CONFIG)
            .with_header(&header);
        let reply = answer(Some(&v), &identity(), &create).unwrap();
        assert!(reply.is_success(), "{reply:?}");

        let list = RemotingCommand::request_code(GET_BROKER_CLUSTER_ACL_CONFIG);
        let body = answer_body(&v, &list);
        assert_eq!(body.plain_access_configs.len(), 2);
        let p = &body.plain_access_configs[1];
        assert_eq!(p.access_key, "producer1");
        assert_eq!(p.topic_perms, vec!["TopicA=PUB|SUB", "TopicB=SUB"]);
        let raw = answer(Some(&v), &identity(), &list).unwrap();
        assert!(!String::from_utf8_lossy(raw.body_bytes()).contains("secret"));

        let info = answer(
            Some(&v),
            &identity(),
            &RemotingCommand::request(RequestCode::GET_BROKER_CLUSTER_ACL_INFO),
        )
        .unwrap();
        let header: GetBrokerAclConfigResponseHeader = info.header().unwrap();
        assert!(
            header.version.contains("\"counter\":1"),
            "{}",
            header.version
        );
        assert_eq!(header.broker_name, "broker-a");

        let delete = RemotingCommand::request(RequestCode::DELETE_ACL_CONFIG).with_header(
            &DeleteAccessConfigRequestHeader {
                access_key: "producer1".into(),
            },
        );
        assert!(answer(Some(&v), &identity(), &delete).unwrap().is_success());
        let again = answer(Some(&v), &identity(), &delete).unwrap();
        assert_eq!(again.code, DELETE_ACL_CONFIG_FAILED);
        assert!(again.remark.unwrap().contains("no account `producer1`"));
    }

    fn answer_body(v: &AccessValidator, request: &RemotingCommand) -> AclConfigBody {
        let r = answer(Some(v), &identity(), request).unwrap();
        fastjson::from_slice(r.body_bytes()).unwrap()
    }

    #[test]
    fn bad_updates_are_refused_with_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        let v = validator(dir.path());
        let cases = [
            (
                CreateAccessConfigRequestHeader {
                    access_key: "producer1".into(),
                    ..Default::default()
                },
                "give it a secretKey",
            ),
            (
                CreateAccessConfigRequestHeader {
                    access_key: "producer1".into(),
                    secret_key: Some(Secret::new("short")),
                    ..Default::default()
                },
                "at least 7",
            ),
            (
                CreateAccessConfigRequestHeader {
                    access_key: "producer1".into(),
                    secret_key: Some(Secret::new("secret-p1")),
                    topic_perms: Some("TopicA=WRITE".into()),
                    ..Default::default()
                },
                "unknown permission `WRITE`",
            ),
        ];
        for (header, why) in cases {
            let r = RemotingCommand::request(RequestCode::UPDATE_AND_CREATE_ACL_CONFIG)
                .with_header(&header);
            let a = answer(Some(&v), &identity(), &r).unwrap();
            assert_eq!(a.code, UPDATE_AND_CREATE_ACL_CONFIG_FAILED);
            let remark = a.remark.unwrap();
            assert!(remark.contains(why), "{remark}");
            assert!(!remark.contains("short") || why == "at least 7");
        }
    }

    #[test]
    fn global_white_list_and_acl_off() {
        let dir = tempfile::tempdir().unwrap();
        let v = validator(dir.path());
        let r = RemotingCommand::request(RequestCode::UPDATE_GLOBAL_WHITE_ADDRS_CONFIG)
            .with_header(&UpdateGlobalWhiteAddrsConfigRequestHeader {
                acl_file_full_path: None,
                global_white_addrs: "10.0.0.*, 192.168.1.{1,2}".into(),
            });
        assert!(answer(Some(&v), &identity(), &r).unwrap().is_success());
        assert_eq!(v.rules().global_white.len(), 2);
        let off = answer(None, &identity(), &r).unwrap();
        assert_eq!(off.code, UPDATE_GLOBAL_WHITE_ADDRS_CONFIG_FAILED);
        assert!(off.remark.unwrap().contains("aclEnable=false"));
        assert!(answer(
            None,
            &identity(),
            &RemotingCommand::request(RequestCode::SEND_MESSAGE)
        )
        .is_none());
    }
}
