//! The inventory's `[acl]` table: accounts and white lists rendered into Apache's
//! `plain_acl.yml` (uploaded beside the broker files with mode 0600), `aclEnable=true` for every
//! broker (and every name server with `namesrv = true`), the account brokers sign their own
//! requests with (`--access-key` in their units; the secret stays in the 0600 file) and the one
//! rmqctl signs with (deploy's verification, admin commands given `-i`). `check` lints it.

use super::derive::ClusterPlan;
use super::inventory::LoadedInventory;
use super::lint::{Finding, Severity};
use crate::acl::permission::{Perm, ResourcePerm};
use crate::acl::plain_acl::{AccountConfig, PlainAclFile, KEY_MIN_LENGTH};
use crate::acl::white_list::AddressPattern;
use crate::acl::{Credentials, Secret};
use serde::Deserialize;
use std::collections::HashSet;
use toml::Spanned;

/// The rendered ACL file's name (beside the broker files, where brokers look for it).
pub const FILE_NAME: &str = crate::acl::plain_acl::FILE_NAME;

/// The lint rule of every `[acl]` problem.
pub const RULE: &str = "acl";

/// `[acl]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AclSpec {
    /// Peers that need no account (Apache patterns).
    #[serde(default)]
    pub global_white_remote_addresses: Vec<Spanned<String>>,
    /// Also check the requests that change the name servers (rmqctl's option).
    #[serde(default)]
    pub namesrv: bool,
    /// The account brokers sign their own requests with (default: the first admin account).
    pub broker_account: Option<Spanned<String>>,
    /// The account rmqctl signs with (default: the first admin account).
    pub admin_account: Option<Spanned<String>>,
    #[serde(default)]
    pub accounts: Vec<AclAccountSpec>,
}

/// `[[acl.accounts]]`: Apache's account fields in snake_case.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AclAccountSpec {
    pub access_key: Spanned<String>,
    pub secret_key: Option<Spanned<Secret>>,
    #[serde(default)]
    pub admin: bool,
    pub white_remote_address: Option<Spanned<String>>,
    pub default_topic_perm: Option<Spanned<String>>,
    pub default_group_perm: Option<Spanned<String>>,
    #[serde(default)]
    pub topic_perms: Vec<Spanned<String>>,
    #[serde(default)]
    pub group_perms: Vec<Spanned<String>>,
}

impl AclSpec {
    /// The account brokers sign with: `broker_account`, else the first admin.
    pub fn broker_account(&self) -> Option<&AclAccountSpec> {
        self.named_or_first_admin(self.broker_account.as_ref())
    }

    /// The account rmqctl signs with: `admin_account`, else the first admin.
    pub fn admin_account(&self) -> Option<&AclAccountSpec> {
        self.named_or_first_admin(self.admin_account.as_ref())
    }

    fn named_or_first_admin(&self, name: Option<&Spanned<String>>) -> Option<&AclAccountSpec> {
        match name {
            Some(n) => self
                .accounts
                .iter()
                .find(|a| a.access_key.get_ref() == n.get_ref()),
            None => self.accounts.iter().find(|a| a.admin),
        }
    }

    /// rmqctl's own credentials, if the admin account has a secret.
    pub fn admin_credentials(&self) -> Option<Credentials> {
        let account = self.admin_account()?;
        let secret = account.secret_key.as_ref()?.get_ref().clone();
        Some(Credentials::new(
            account.access_key.get_ref().clone(),
            secret,
        ))
    }

    /// The file every broker gets. Entries that do not parse are left out (the lint reports
    /// them as errors, which stop render and deploy).
    pub fn plain_acl(&self) -> PlainAclFile {
        PlainAclFile {
            global_white_remote_addresses: self
                .global_white_remote_addresses
                .iter()
                .filter_map(|p| AddressPattern::parse(p.get_ref()).ok())
                .collect(),
            accounts: self.accounts.iter().map(account_config).collect(),
            data_version: Vec::new(),
        }
    }
}

fn account_config(a: &AclAccountSpec) -> AccountConfig {
    let perm = |p: &Option<Spanned<String>>| p.as_ref().and_then(|w| Perm::parse(w.get_ref()));
    let list = |l: &[Spanned<String>]| {
        l.iter()
            .filter_map(|r| ResourcePerm::parse(r.get_ref()).ok())
            .collect()
    };
    AccountConfig {
        access_key: a.access_key.get_ref().clone(),
        secret_key: a.secret_key.as_ref().map(|s| s.get_ref().clone()),
        white_remote_address: a
            .white_remote_address
            .as_ref()
            .and_then(|w| AddressPattern::parse(w.get_ref()).ok()),
        admin: a.admin,
        default_topic_perm: perm(&a.default_topic_perm),
        default_group_perm: perm(&a.default_group_perm),
        topic_perms: list(&a.topic_perms),
        group_perms: list(&a.group_perms),
    }
}

/// Turns ACL on in the plan: `aclEnable=true` for every broker (unless the inventory sets the
/// key itself) and name server (with `namesrv = true`), the brokers' `--access-key`, rmqctl's
/// credentials.
pub fn apply(plan: &mut ClusterPlan, spec: &AclSpec) {
    let broker_key = spec
        .broker_account()
        .map(|a| a.access_key.get_ref().clone());
    for broker in &mut plan.brokers {
        enable(&mut broker.properties);
        broker.access_key = broker_key.clone();
    }
    if spec.namesrv {
        for namesrv in &mut plan.namesrvs {
            enable(&mut namesrv.properties);
        }
    }
    plan.admin_credentials = spec.admin_credentials();
}

fn enable(properties: &mut Vec<(String, String)>) {
    if !properties.iter().any(|(k, _)| k == "aclEnable") {
        properties.push(("aclEnable".into(), "true".into()));
    }
}

/// Whether a rendered file holds secrets (written and uploaded with mode 0600).
pub fn is_secret_file(path: &std::path::Path) -> bool {
    path.file_name().is_some_and(|n| n == FILE_NAME)
}

/// Every problem of `[acl]`, each at its place in the inventory.
pub fn lint(loaded: &LoadedInventory, spec: &AclSpec) -> Vec<Finding> {
    let path = loaded.path.display().to_string();
    let mut findings = Vec::new();
    let mut at = |span: std::ops::Range<usize>, message: String, hint: &str| {
        let pos = loaded.pos(span.start);
        findings.push(Finding {
            path: path.clone(),
            line: pos.line,
            col: pos.col,
            rule: RULE,
            severity: Severity::Error,
            message,
            hint: hint.to_string(),
        });
    };
    for p in &spec.global_white_remote_addresses {
        if let Err(e) = AddressPattern::parse(p.get_ref()) {
            at(
                p.span(),
                e,
                "write an address, `192.168.0.*`, `192.168.1-10.*` or `10.0.0.{1,2}`",
            );
        }
    }
    let mut seen = HashSet::new();
    for a in &spec.accounts {
        lint_account(a, &mut seen, &mut at);
    }
    if spec.accounts.is_empty() {
        at(
            0..0,
            "[acl] has no accounts: every request without one would be refused".into(),
            "add [[acl.accounts]] with access_key, secret_key and admin = true for rmqctl",
        );
    }
    lint_roles(spec, &mut at);
    findings
}

fn lint_account(
    a: &AclAccountSpec,
    seen: &mut HashSet<String>,
    at: &mut impl FnMut(std::ops::Range<usize>, String, &str),
) {
    let key = a.access_key.get_ref();
    if key.chars().count() < KEY_MIN_LENGTH {
        at(
            a.access_key.span(),
            format!(
                "access key `{key}` has {} characters; Apache needs at least {KEY_MIN_LENGTH}",
                key.chars().count()
            ),
            "use a longer access key",
        );
    }
    if !seen.insert(key.clone()) {
        at(
            a.access_key.span(),
            format!("access key `{key}` is defined twice"),
            "keep one of the accounts",
        );
    }
    match &a.secret_key {
        None => at(a.access_key.span(), format!("account `{key}` has no secret_key"),
            "add secret_key (at least 7 characters); the rendered file is uploaded with mode 0600"),
        Some(s) if s.get_ref().len() < KEY_MIN_LENGTH => at(s.span(),
            format!("the secret_key of account `{key}` has {} characters; Apache needs at least {KEY_MIN_LENGTH}", s.get_ref().len()),
            "use a longer secret"),
        Some(_) => {}
    }
    for (what, word) in [
        ("default_topic_perm", &a.default_topic_perm),
        ("default_group_perm", &a.default_group_perm),
    ] {
        if let Some(w) = word {
            if Perm::parse(w.get_ref()).is_none() {
                at(
                    w.span(),
                    format!(
                        "{what} `{}` of account `{key}` is not a permission",
                        w.get_ref()
                    ),
                    "write DENY, PUB, SUB or PUB|SUB",
                );
            }
        }
    }
    for entry in a.topic_perms.iter().chain(&a.group_perms) {
        if let Err(e) = ResourcePerm::parse(entry.get_ref()) {
            at(
                entry.span(),
                e,
                "write `name=PERM` with PERM one of DENY, PUB, SUB, PUB|SUB",
            );
        }
    }
    if let Some(w) = &a.white_remote_address {
        if let Err(e) = AddressPattern::parse(w.get_ref()) {
            at(
                w.span(),
                e,
                "write an address, `192.168.0.*`, `192.168.1-10.*` or `10.0.0.{1,2}`",
            );
        }
    }
}

/// `broker_account` and `admin_account` must name accounts; rmqctl's must be an admin (it
/// verifies deploys and runs admin commands), and so must the brokers' when name servers check
/// ACL (registration is an admin request there).
fn lint_roles(spec: &AclSpec, at: &mut impl FnMut(std::ops::Range<usize>, String, &str)) {
    let roles = [
        (
            "admin_account",
            spec.admin_account.as_ref(),
            spec.admin_account(),
            true,
        ),
        (
            "broker_account",
            spec.broker_account.as_ref(),
            spec.broker_account(),
            spec.namesrv,
        ),
    ];
    for (what, named, account, must_be_admin) in roles {
        let span = named.map_or(0..0, |n| n.span());
        match (named, account) {
            (Some(n), None) => at(
                span,
                format!("{what} `{}` is not one of [[acl.accounts]]", n.get_ref()),
                "name an account's access_key",
            ),
            (None, None) => at(
                span,
                format!("[acl] has no admin account for {what}"),
                "mark one account `admin = true` or name one with admin_account / broker_account",
            ),
            (_, Some(a)) if must_be_admin && !a.admin => at(
                span,
                format!(
                    "{what} `{}` is not an admin account",
                    a.access_key.get_ref()
                ),
                if what == "broker_account" {
                    "with namesrv = true, brokers register with admin requests: give the account admin = true"
                } else {
                    "rmqctl verifies deploys and runs admin commands with it: give the account admin = true"
                },
            ),
            _ => {}
        }
    }
}
