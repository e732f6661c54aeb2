//! `AclRules`: a `plain_acl.yml` compiled for checking requests: accounts by access key with
//! their permissions in hash maps, and the global white list.

use super::permission::Perm;
use super::plain_acl::{AclDataVersion, PlainAclFile};
use super::secret::Secret;
use super::white_list::AddressPattern;
use rustc_hash::FxHashMap;
use std::net::IpAddr;

/// One account as requests are checked against it.
#[derive(Debug, Clone)]
pub struct Account {
    pub access_key: String,
    pub secret: Secret,
    /// The secret as a keyed MAC, ready to check signatures.
    pub mac: Option<super::signature::KeyedMac>,
    /// Requests from here with this access key are let through unsigned (Apache's semantics).
    pub white_remote_address: Option<AddressPattern>,
    pub admin: bool,
    pub default_topic_perm: Perm,
    pub default_group_perm: Perm,
    topics: FxHashMap<String, Perm>,
    groups: FxHashMap<String, Perm>,
}

impl Account {
    /// The permission this account holds on a topic (its own entry, else its default).
    pub fn topic_perm(&self, topic: &str) -> Perm {
        self.topics
            .get(topic)
            .copied()
            .unwrap_or(self.default_topic_perm)
    }

    /// The permission this account holds on a consumer group.
    pub fn group_perm(&self, group: &str) -> Perm {
        self.groups
            .get(group)
            .copied()
            .unwrap_or(self.default_group_perm)
    }

    /// Whether the account lists no topic or group of its own (an admin without lists may use
    /// every resource, as in Apache).
    pub fn has_no_resource_perms(&self) -> bool {
        self.topics.is_empty() && self.groups.is_empty()
    }

    /// Whether the peer is on this account's own white list.
    pub fn whitelisted(&self, peer: IpAddr) -> bool {
        self.white_remote_address
            .as_ref()
            .is_some_and(|p| p.matches(peer))
    }
}

/// Everything a validator needs from one version of the ACL file.
#[derive(Debug, Clone, Default)]
pub struct AclRules {
    pub global_white: Vec<AddressPattern>,
    accounts: FxHashMap<String, Account>,
    pub version: AclDataVersion,
    /// The file these rules came from (the ACL admin requests read and edit it).
    pub file: PlainAclFile,
}

impl AclRules {
    /// Compiles a checked file. Accounts without a secret were refused by the loader; one
    /// slipping through here gets an empty secret, which no signature matches.
    pub fn compile(file: PlainAclFile) -> AclRules {
        let accounts = file
            .accounts
            .iter()
            .map(|a| {
                let secret = a.secret_key.clone().unwrap_or_default();
                let account = Account {
                    access_key: a.access_key.clone(),
                    mac: super::signature::KeyedMac::new(&secret),
                    secret,
                    white_remote_address: a.white_remote_address.clone(),
                    admin: a.admin,
                    default_topic_perm: a.default_topic_perm.unwrap_or(Perm::DENY),
                    default_group_perm: a.default_group_perm.unwrap_or(Perm::DENY),
                    topics: a
                        .topic_perms
                        .iter()
                        .map(|r| (r.name.clone(), r.perm))
                        .collect(),
                    groups: a
                        .group_perms
                        .iter()
                        .map(|r| (r.name.clone(), r.perm))
                        .collect(),
                };
                (a.access_key.clone(), account)
            })
            .collect();
        AclRules {
            global_white: file.global_white_remote_addresses.clone(),
            accounts,
            version: file.version(),
            file,
        }
    }

    pub fn account(&self, access_key: &str) -> Option<&Account> {
        self.accounts.get(access_key)
    }

    /// Whether the peer is on the global white list.
    pub fn globally_whitelisted(&self, peer: IpAddr) -> bool {
        super::white_list::any_matches(&self.global_white, peer)
    }

    pub fn account_count(&self) -> usize {
        self.accounts.len()
    }
}
