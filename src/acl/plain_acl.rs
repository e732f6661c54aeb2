//! `plain_acl.yml`, Apache's ACL 1.0 file: the model (read and written in Apache's format),
//! loading with `file:line:col` for every mistake, and the checks Apache makes when it builds an
//! account (access and secret keys longer than 6 characters) plus duplicate access keys, which
//! Apache silently lets the last one win.

use super::permission::{Perm, ResourcePerm};
use super::secret::Secret;
use super::white_list::AddressPattern;
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;
use std::path::{Path, PathBuf};

/// The file name Apache reads under `<rocketmqHome>/conf/`.
pub const FILE_NAME: &str = "plain_acl.yml";

/// Apache refuses access and secret keys of 6 characters or fewer (`AclConstants`).
pub const KEY_MIN_LENGTH: usize = 7;

/// The whole file. Keys Apache does not know are refused (a misspelt key would otherwise be
/// silently ignored, as Apache does).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlainAclFile {
    /// Peers on these lists need no account at all.
    #[serde(
        default,
        deserialize_with = "list_or_null",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub global_white_remote_addresses: Vec<AddressPattern>,
    #[serde(
        default,
        deserialize_with = "list_or_null",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub accounts: Vec<AccountConfig>,
    /// Bumped by every change made through the ACL admin requests.
    #[serde(
        default,
        deserialize_with = "list_or_null",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub data_version: Vec<AclDataVersion>,
}

/// One entry of `accounts`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccountConfig {
    pub access_key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_key: Option<Secret>,
    /// Requests from these addresses with this access key skip the signature and permission
    /// checks (Apache's semantics).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub white_remote_address: Option<AddressPattern>,
    #[serde(default)]
    pub admin: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_topic_perm: Option<Perm>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_group_perm: Option<Perm>,
    #[serde(
        default,
        deserialize_with = "list_or_null",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub topic_perms: Vec<ResourcePerm>,
    #[serde(
        default,
        deserialize_with = "list_or_null",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub group_perms: Vec<ResourcePerm>,
}

impl AccountConfig {
    /// An account with only keys; everything else as Apache defaults it (DENY, not admin).
    pub fn new(access_key: impl Into<String>, secret_key: Secret) -> Self {
        AccountConfig {
            access_key: access_key.into(),
            secret_key: Some(secret_key),
            white_remote_address: None,
            admin: false,
            default_topic_perm: None,
            default_group_perm: None,
            topic_perms: Vec::new(),
            group_perms: Vec::new(),
        }
    }
}

/// `dataVersion` entries as Apache writes them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AclDataVersion {
    #[serde(default)]
    pub counter: i64,
    #[serde(default)]
    pub timestamp: i64,
}

/// A null or missing list is an empty one (`topicPerms:` with nothing under it).
fn list_or_null<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// A scalar as text (numbers and booleans as written), or `None` for null.
pub(super) fn scalar_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Option::<String>::deserialize(d)
}

/// Why an ACL file cannot be used, with where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct AclFileError {
    pub path: PathBuf,
    /// 1-based line and column, when known.
    pub at: Option<(usize, usize)>,
    pub message: String,
}

impl fmt::Display for AclFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at {
            Some((line, col)) => {
                write!(f, "{}:{line}:{col}: {}", self.path.display(), self.message)
            }
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

/// One problem found by [`check_accounts`], with the account's place in the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountProblem {
    /// Index in `accounts`.
    pub index: usize,
    /// `short-key`, `short-secret`, `missing-secret` or `duplicate-key`.
    pub rule: &'static str,
    pub message: String,
}

impl PlainAclFile {
    /// Reads and checks a file.
    pub fn load(path: &Path) -> Result<PlainAclFile, AclFileError> {
        let text = std::fs::read_to_string(path).map_err(|e| AclFileError {
            path: path.to_path_buf(),
            at: None,
            message: format!("cannot read the ACL file: {e}"),
        })?;
        Self::parse(&text, path)
    }

    /// Parses and checks file text; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<PlainAclFile, AclFileError> {
        let error = |at, message: String| AclFileError {
            path: path.to_path_buf(),
            at,
            message,
        };
        // An empty file (or only comments) is an empty ACL, as Apache reads it.
        let file = if text.lines().all(|l| {
            let l = l.trim();
            l.is_empty() || l.starts_with('#') || l == "---"
        }) {
            PlainAclFile::default()
        } else {
            serde_yaml_ng::from_str::<PlainAclFile>(text).map_err(|e| {
                let message = strip_location(&e.to_string());
                let at = e
                    .location()
                    .map(|l| refine_position(text, (l.line(), l.column()), &message));
                error(at, message)
            })?
        };
        if let Some(problem) = file.check_accounts().into_iter().next() {
            let at = account_position(text, &file, problem.index);
            return Err(error(at, problem.message));
        }
        Ok(file)
    }

    /// The file's text in Apache's layout.
    pub fn to_yaml(&self) -> Result<String, String> {
        serde_yaml_ng::to_string(self).map_err(|e| e.to_string())
    }

    /// The problems Apache refuses an account for, and duplicate access keys.
    pub fn check_accounts(&self) -> Vec<AccountProblem> {
        let mut problems = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (index, account) in self.accounts.iter().enumerate() {
            let key = &account.access_key;
            let mut push = |rule, message| {
                problems.push(AccountProblem {
                    index,
                    rule,
                    message,
                })
            };
            if key.chars().count() < KEY_MIN_LENGTH {
                push(
                    "short-key",
                    format!(
                        "accessKey `{key}` has {} characters; Apache needs at least {KEY_MIN_LENGTH}",
                        key.chars().count()
                    ),
                );
            }
            match &account.secret_key {
                None => push(
                    "missing-secret",
                    format!("account `{key}` has no secretKey; give it one of at least {KEY_MIN_LENGTH} characters"),
                ),
                Some(s) if s.len() < KEY_MIN_LENGTH => push(
                    "short-secret",
                    format!(
                        "the secretKey of account `{key}` has {} characters; Apache needs at least {KEY_MIN_LENGTH}",
                        s.len()
                    ),
                ),
                Some(_) => {}
            }
            if !seen.insert(key.as_str()) {
                push(
                    "duplicate-key",
                    format!("accessKey `{key}` is defined twice; keep one of the accounts"),
                );
            }
        }
        problems
    }

    /// The current `dataVersion` (the first entry, as Apache reads it).
    pub fn version(&self) -> AclDataVersion {
        self.data_version.first().copied().unwrap_or_default()
    }

    /// Apache's `nextVersion`: counter + 1, timestamp now.
    pub fn bump_version(&mut self) {
        let mut v = self.version();
        v.counter += 1;
        v.timestamp = crate::calendar::now_millis();
        self.data_version = vec![v];
    }
}

/// serde_yaml appends " at line L column C"; the position is printed in front instead.
fn strip_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// serde_yaml places a mistake inside a list (`topicPerms`, `globalWhiteRemoteAddresses`) at
/// the start of the list: the entry named in the message (between backquotes) is looked for
/// from there on, so the position points at the entry itself.
fn refine_position(text: &str, at: (usize, usize), message: &str) -> (usize, usize) {
    let Some(entry) = message.split('`').nth(1).filter(|q| !q.trim().is_empty()) else {
        return at;
    };
    text.lines()
        .enumerate()
        .skip(at.0.saturating_sub(1))
        .find_map(|(n, line)| line.find(entry).map(|col| (n + 1, col + 1)))
        .unwrap_or(at)
}

/// Where the `index`th account's `accessKey` is written: the `index`th line holding
/// `accessKey:` (comments and quotes aside, each account has exactly one).
fn account_position(text: &str, file: &PlainAclFile, index: usize) -> Option<(usize, usize)> {
    if index >= file.accounts.len() {
        return None;
    }
    text.lines()
        .enumerate()
        .filter_map(|(n, line)| {
            let code = line.split('#').next().unwrap_or("");
            code.find("accessKey").map(|col| (n + 1, col + 1))
        })
        .nth(index)
}

/// Where a broker or name server finds its ACL file: `<rocketmqHome>/conf/plain_acl.yml` as
/// Apache reads it, or `plain_acl.yml` beside its `-c` file when that does not exist.
pub fn locate(rocketmq_home: Option<&Path>, config_file: &Path) -> Result<PathBuf, String> {
    let under_home = rocketmq_home.map(|home| home.join("conf").join(FILE_NAME));
    if let Some(path) = under_home.as_ref().filter(|p| p.is_file()) {
        return Ok(path.clone());
    }
    let beside = config_file
        .parent()
        .map(|d| d.join(FILE_NAME))
        .unwrap_or_else(|| PathBuf::from(FILE_NAME));
    if beside.is_file() {
        return Ok(beside);
    }
    let mut looked = Vec::new();
    if let Some(p) = under_home {
        looked.push(p.display().to_string());
    }
    looked.push(beside.display().to_string());
    Err(format!(
        "aclEnable=true but there is no ACL file (looked for {}); write one in Apache's plain_acl.yml format, or set aclEnable=false",
        looked.join(" and ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const APACHE_SAMPLE: &str = "\
globalWhiteRemoteAddresses:
  - 10.10.103.*
  - 192.168.0.*

accounts:
  - accessKey: RocketMQ
    secretKey: 12345678
    whiteRemoteAddress:
    admin: false
    defaultTopicPerm: DENY
    defaultGroupPerm: SUB
    topicPerms:
      - topicA=DENY
      - topicB=PUB|SUB
      - topicC=SUB
    groupPerms:
      # the group should convert to retry topic
      - groupA=DENY
      - groupB=PUB|SUB
      - groupC=SUB

  - accessKey: rocketmq2
    secretKey: 12345678
    whiteRemoteAddress: 192.168.1.*
    # if it is admin, it could access all resources
    admin: true
";

    fn parse(text: &str) -> Result<PlainAclFile, AclFileError> {
        PlainAclFile::parse(text, Path::new("conf/plain_acl.yml"))
    }

    #[test]
    fn reads_apaches_sample() {
        let file = parse(APACHE_SAMPLE).unwrap();
        assert_eq!(file.global_white_remote_addresses.len(), 2);
        let first = &file.accounts[0];
        assert_eq!(first.access_key, "RocketMQ");
        assert_eq!(first.secret_key.as_ref().unwrap().expose(), "12345678");
        assert_eq!(first.white_remote_address, None);
        assert_eq!(first.default_group_perm, Some(Perm::SUB));
        assert_eq!(first.topic_perms[1].perm, Perm::PUB_SUB);
        assert_eq!(first.group_perms[0].name, "groupA");
        assert!(file.accounts[1].admin);
        assert_eq!(
            file.accounts[1]
                .white_remote_address
                .as_ref()
                .unwrap()
                .as_str(),
            "192.168.1.*"
        );
    }

    #[test]
    fn empty_or_comment_only_file_is_an_empty_acl() {
        assert_eq!(parse("").unwrap(), PlainAclFile::default());
        assert_eq!(parse("# nothing yet\n\n").unwrap(), PlainAclFile::default());
    }

    #[test]
    fn mistakes_name_line_and_column() {
        let bad_perm = APACHE_SAMPLE.replace("topicC=SUB", "topicC=SUBSCRIBE");
        let e = parse(&bad_perm).unwrap_err();
        assert_eq!(e.at, Some((15, 16)), "{e}");
        assert!(
            e.to_string().starts_with("conf/plain_acl.yml:15:16: "),
            "{e}"
        );
        assert!(e.message.contains("unknown permission `SUBSCRIBE`"), "{e}");

        let bad_key = APACHE_SAMPLE.replace("defaultGroupPerm", "defaultGroupPerms");
        let e = parse(&bad_key).unwrap_err();
        assert_eq!(e.at.map(|a| a.0), Some(11), "{e}");
        assert!(
            e.message.contains("unknown field `defaultGroupPerms`"),
            "{e}"
        );

        let bad_address = APACHE_SAMPLE.replace("192.168.1.*", "192.168.1.300");
        let e = parse(&bad_address).unwrap_err();
        assert_eq!(e.at.map(|a| a.0), Some(24), "{e}");
        assert!(e.message.contains("not an IPv4 or IPv6 address"), "{e}");

        let bad_global = APACHE_SAMPLE.replace("192.168.0.*", "192.168.0.*.1");
        let e = parse(&bad_global).unwrap_err();
        assert_eq!(e.at, Some((3, 5)), "{e}");

        let syntax = APACHE_SAMPLE.replace("  - accessKey: rocketmq2", "  - accessKey: [rocketmq2");
        let e = parse(&syntax).unwrap_err();
        assert!(e.at.is_some(), "{e}");
    }

    #[test]
    fn apaches_account_rules_and_duplicates() {
        let short = APACHE_SAMPLE.replacen("secretKey: 12345678", "secretKey: 123456", 1);
        let e = parse(&short).unwrap_err();
        assert_eq!(e.at, Some((6, 5)), "{e}");
        assert!(e.message.contains("at least 7"), "{e}");
        assert!(
            !e.to_string().contains("123456"),
            "the secret is never shown: {e}"
        );

        let missing = APACHE_SAMPLE.replacen("    secretKey: 12345678\n", "", 2);
        let e = parse(&missing).unwrap_err();
        assert!(e.message.contains("has no secretKey"), "{e}");

        let dup = APACHE_SAMPLE.replace("rocketmq2", "RocketMQ");
        let e = parse(&dup).unwrap_err();
        assert_eq!(e.at, Some((22, 5)), "{e}");
        assert!(e.message.contains("defined twice"), "{e}");

        let short_key = APACHE_SAMPLE.replace("rocketmq2", "rmq");
        assert!(parse(&short_key)
            .unwrap_err()
            .message
            .contains("accessKey `rmq`"));
    }

    #[test]
    fn writes_what_it_reads() {
        let mut file = parse(APACHE_SAMPLE).unwrap();
        file.bump_version();
        let text = file.to_yaml().unwrap();
        let again = parse(&text).unwrap();
        assert_eq!(again, file);
        assert_eq!(again.version().counter, 1);
    }

    #[test]
    fn secrets_are_hidden_in_debug_output() {
        let file = parse(APACHE_SAMPLE).unwrap();
        assert!(!format!("{file:?}").contains("12345678"));
    }

    #[test]
    fn locate_prefers_rocketmq_home() {
        let dir = tempfile::tempdir().unwrap();
        let conf = dir.path().join("broker-a.properties");
        let err = locate(Some(&dir.path().join("home")), &conf).unwrap_err();
        assert!(err.contains("home/conf/plain_acl.yml"), "{err}");
        std::fs::write(dir.path().join(FILE_NAME), "").unwrap();
        assert_eq!(locate(None, &conf).unwrap(), dir.path().join(FILE_NAME));
        std::fs::create_dir_all(dir.path().join("home/conf")).unwrap();
        std::fs::write(dir.path().join("home/conf").join(FILE_NAME), "").unwrap();
        assert_eq!(
            locate(Some(&dir.path().join("home")), &conf).unwrap(),
            dir.path().join("home/conf").join(FILE_NAME)
        );
    }
}
