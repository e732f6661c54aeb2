//! `AccessValidator`: checks each request against the ACL in force, in Apache's order: global
//! white list, account, the account's own white list, signature (constant time), admin-only
//! codes, then the permission on every topic and group the request touches. It also keeps the
//! ACL in force in step with its file: a good edit takes effect, a bad one is logged and the
//! last good ACL stays.

use super::accounts::{Account, AclRules};
use super::permission::Perm;
use super::plain_acl::{AclFileError, PlainAclFile};
use super::resources::{broker_needs, namesrv_admin_only, Needs, Resource};
use super::sha1_lanes::LANES;
use super::signature::{verify_many, KeyedMac, ACCESS_KEY, SIGNATURE};
use crate::remoting::codes::describe_request;
use crate::remoting::command::RemotingCommand;
use crate::remoting::ResponseCode;
use smallvec::SmallVec;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// Apache's topic for message traces: sending to it is let through (`PlainPermissionManager`).
pub const TRACE_TOPIC: &str = "RMQ_SYS_TRACE_TOPIC";

/// How often the ACL file is looked at for changes.
pub const WATCH_INTERVAL: Duration = Duration::from_millis(500);

/// Which server checks: a broker checks every request; a name server only those that change it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Broker,
    Namesrv,
}

/// Why a request was refused: answered with NO_PERMISSION (16) and this text as remark. It
/// names the account and what it lacks, never a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub access_key: Option<String>,
    pub reason: String,
}

impl Refusal {
    fn new(access_key: Option<&str>, reason: String) -> Self {
        Refusal {
            access_key: access_key.map(str::to_string),
            reason,
        }
    }

    /// The NO_PERMISSION response.
    pub fn response(&self) -> RemotingCommand {
        RemotingCommand::response(ResponseCode::NO_PERMISSION, Some(self.reason.clone()))
    }
}

/// What a look at the file found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reload {
    Unchanged,
    Loaded { accounts: usize },
    Refused(AclFileError),
}

/// The identity of the file's contents as last seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
}

#[derive(Debug, Default)]
struct WatchState {
    /// The stamp of the contents now in force (or refused last).
    settled: Stamp,
    /// A changed stamp seen at the previous look: loaded once it holds still for one interval,
    /// so an editor's truncate-then-write is never taken for an empty ACL.
    moving: Option<Stamp>,
}

/// The ACL of one server.
pub struct AccessValidator {
    path: PathBuf,
    scope: Scope,
    /// Read on every request: a load touches no shared counter (unlike a lock or an `Arc`
    /// clone), so connections on different cores do not slow each other down.
    rules: arc_swap::ArcSwap<AclRules>,
    watch: Mutex<WatchState>,
    /// Serializes the ACL admin requests' read-modify-write of the file.
    edit: Mutex<()>,
}

impl std::fmt::Debug for AccessValidator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessValidator")
            .field("path", &self.path)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

impl AccessValidator {
    /// Loads the file; a malformed file is an error (startup refuses it with file:line).
    pub fn load(path: &Path, scope: Scope) -> Result<AccessValidator, AclFileError> {
        let stamp = stamp_of(path);
        let file = PlainAclFile::load(path)?;
        Ok(AccessValidator {
            path: path.to_path_buf(),
            scope,
            rules: arc_swap::ArcSwap::from_pointee(AclRules::compile(file)),
            watch: Mutex::new(WatchState {
                settled: stamp,
                moving: None,
            }),
            edit: Mutex::new(()),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The rules in force.
    pub fn rules(&self) -> Arc<AclRules> {
        self.rules.load_full()
    }

    /// Checks one request from `peer`.
    pub fn check(&self, peer: IpAddr, request: &RemotingCommand) -> Result<(), Refusal> {
        let needs = match self.scope {
            Scope::Broker => broker_needs(request),
            Scope::Namesrv if namesrv_admin_only(request.code) => Needs {
                admin: true,
                resources: Default::default(),
            },
            Scope::Namesrv => return Ok(()),
        };
        check_rules(&self.rules.load(), &needs, peer, request)
    }

    /// Checks the signatures of several requests from `peer` at once (the requests of one
    /// read; hashing them together costs less than one by one) and notes each verdict on its
    /// request, for [`AccessValidator::check`] to use while the account keeps its secret.
    pub fn check_signatures(&self, peer: IpAddr, requests: &mut [RemotingCommand]) {
        if self.scope != Scope::Broker || requests.len() < 2 {
            return;
        }
        let rules = self.rules.load();
        if rules.globally_whitelisted(peer) {
            return;
        }
        let signed: SmallVec<[(usize, &KeyedMac); 8]> = requests
            .iter()
            .enumerate()
            .filter_map(|(i, request)| {
                let key = request.ext_fields.get(ACCESS_KEY)?;
                let account = rules.account(key).filter(|a| !a.whitelisted(peer))?;
                request.ext_fields.get(SIGNATURE)?;
                Some((i, account.mac.as_ref()?))
            })
            .collect();
        for group in signed.chunks(LANES) {
            let verdicts = {
                let items: SmallVec<[(&KeyedMac, &RemotingCommand, &str); LANES]> = group
                    .iter()
                    .map(|&(i, mac)| {
                        let given = requests[i].ext_fields.get(SIGNATURE).unwrap_or_default();
                        (mac, &requests[i], given)
                    })
                    .collect();
                verify_many(&items)
            };
            for (&(i, mac), valid) in group.iter().zip(verdicts) {
                mac.note_check(&mut requests[i], valid);
            }
        }
    }

    /// Looks at the file and loads it if it changed and holds still; a malformed file is
    /// refused and the rules in force stay.
    pub fn reload_if_changed(&self) -> Reload {
        let now = stamp_of(&self.path);
        {
            let mut state = crate::locks::lock(&self.watch);
            if now == state.settled {
                state.moving = None;
                return Reload::Unchanged;
            }
            if state.moving != Some(now) {
                state.moving = Some(now);
                return Reload::Unchanged;
            }
            state.settled = now;
            state.moving = None;
        }
        match PlainAclFile::load(&self.path) {
            Ok(file) => {
                let rules = AclRules::compile(file);
                let accounts = rules.account_count();
                self.install(rules);
                Reload::Loaded { accounts }
            }
            Err(e) => Reload::Refused(e),
        }
    }

    /// Applies an edit (the ACL admin requests): re-reads the file, applies `change`, bumps the
    /// data version, writes the file and puts the result in force. `change` says what is wrong
    /// with the request, if anything.
    pub fn edit(
        &self,
        change: impl FnOnce(&mut PlainAclFile) -> Result<(), String>,
    ) -> Result<(), String> {
        let _one_at_a_time = crate::locks::lock(&self.edit);
        let mut file = PlainAclFile::load(&self.path).map_err(|e| e.to_string())?;
        change(&mut file)?;
        if let Some(problem) = file.check_accounts().into_iter().next() {
            return Err(problem.message);
        }
        file.bump_version();
        let text = file.to_yaml()?;
        crate::file_replace::replace_file(&self.path, text.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", self.path.display()))?;
        {
            let mut state = crate::locks::lock(&self.watch);
            state.settled = stamp_of(&self.path);
            state.moving = None;
        }
        self.install(AclRules::compile(file));
        Ok(())
    }

    fn install(&self, rules: AclRules) {
        self.rules.store(Arc::new(rules));
    }

    /// Watches the file until `shutdown` turns true, logging every reload and refusal.
    pub async fn watch(self: Arc<Self>, mut shutdown: tokio::sync::watch::Receiver<bool>) {
        loop {
            tokio::select! {
                _ = tokio::time::sleep(WATCH_INTERVAL) => {}
                _ = shutdown.changed() => return,
            }
            let this = self.clone();
            let outcome = tokio::task::spawn_blocking(move || this.reload_if_changed()).await;
            match outcome {
                Ok(Reload::Unchanged) => {}
                Ok(Reload::Loaded { accounts }) => {
                    tracing::info!(file = %self.path.display(), accounts, "ACL file changed: new ACL in force")
                }
                Ok(Reload::Refused(e)) => {
                    tracing::warn!("ACL file change refused, the last good ACL stays in force: {e}")
                }
                Err(e) => tracing::warn!(error = %e, "ACL file check failed"),
            }
        }
    }
}

fn stamp_of(path: &Path) -> Stamp {
    match std::fs::metadata(path) {
        Ok(m) => Stamp {
            modified: m.modified().ok(),
            len: m.len(),
        },
        Err(_) => Stamp::default(),
    }
}

/// Apache's `PlainPermissionManager.validate`, with NO_PERMISSION remarks.
fn check_rules(
    rules: &AclRules,
    needs: &Needs,
    peer: IpAddr,
    request: &RemotingCommand,
) -> Result<(), Refusal> {
    if rules.globally_whitelisted(peer) {
        return Ok(());
    }
    // Named only in refusals: formatting it for every request would cost each one an allocation.
    let what = || describe_request(request.code);
    let Some(access_key) = request.ext_fields.get(ACCESS_KEY).filter(|k| !k.is_empty()) else {
        return Err(Refusal::new(
            None,
            format!("{} refused: no AccessKey; the broker checks ACL, sign requests with an account's accessKey and secretKey", what()),
        ));
    };
    let Some(account) = rules.account(access_key) else {
        return Err(Refusal::new(
            Some(access_key),
            format!("{} refused: no account `{access_key}` in the ACL", what()),
        ));
    };
    if account.whitelisted(peer) {
        return Ok(());
    }
    let signed = match (request.ext_fields.get(SIGNATURE), &account.mac) {
        (Some(given), Some(mac)) => mac
            .noted_check(request)
            .unwrap_or_else(|| mac.verify(request, given)),
        _ => false,
    };
    if !signed {
        return Err(Refusal::new(
            Some(access_key),
            format!("{} refused: signature check failed for account `{access_key}` (wrong secretKey, or the request was changed after signing)", what()),
        ));
    }
    let trace_only = needs
        .resources
        .iter()
        .any(|(r, p)| matches!(r, Resource::Topic(t) if t == TRACE_TOPIC) && *p == Perm::PUB);
    if trace_only {
        return Ok(());
    }
    if needs.admin && !account.admin {
        return Err(Refusal::new(
            Some(access_key),
            format!(
                "{} refused: account `{access_key}` is not an admin (needs admin: true)",
                what()
            ),
        ));
    }
    check_resources(account, needs, what)
}

fn check_resources(
    account: &Account,
    needs: &Needs,
    what: impl Fn() -> String,
) -> Result<(), Refusal> {
    if account.admin && account.has_no_resource_perms() {
        return Ok(());
    }
    for (resource, needed) in &needs.resources {
        let held = match resource {
            Resource::Topic(t) => account.topic_perm(t),
            Resource::Group(g) => account.group_perm(g),
        };
        if !held.allows(*needed) {
            return Err(Refusal::new(
                Some(&account.access_key),
                format!(
                    "{} refused: account `{}` has no {needed} permission on {resource} (it holds {held})",
                    what(),
                    account.access_key
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acl::secret::Secret;
    use crate::acl::signature::Credentials;
    use crate::remoting::RequestCode;
    use std::net::Ipv4Addr;

    const ACL: &str = "\
globalWhiteRemoteAddresses:
  - 10.10.103.*
accounts:
  - accessKey: producer1
    secretKey: secret-p1
    defaultTopicPerm: DENY
    defaultGroupPerm: DENY
    topicPerms:
      - TopicA=PUB|SUB
      - TopicB=SUB
    groupPerms:
      - gA=SUB
      - gDeny=DENY
  - accessKey: admin-01
    secretKey: secret-admin
    admin: true
  - accessKey: trusted1
    secretKey: secret-trusted
    whiteRemoteAddress: 192.168.1.*
";

    fn validator(dir: &Path) -> AccessValidator {
        let path = dir.join("plain_acl.yml");
        std::fs::write(&path, ACL).unwrap();
        AccessValidator::load(&path, Scope::Broker).unwrap()
    }

    fn peer() -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1))
    }

    fn send(topic: &str) -> RemotingCommand {
        let mut r = RemotingCommand::request(RequestCode::SEND_MESSAGE).with_body(&b"x"[..]);
        r.ext_fields.insert("topic", topic);
        r.ext_fields.insert("producerGroup", "pg");
        r
    }

    fn signed(mut r: RemotingCommand, ak: &str, sk: &str) -> RemotingCommand {
        Credentials::new(ak, Secret::new(sk)).sign(&mut r);
        r
    }

    #[test]
    fn good_account_within_its_permissions_passes() {
        let dir = tempfile::tempdir().unwrap();
        let v = validator(dir.path());
        assert_eq!(
            v.check(peer(), &signed(send("TopicA"), "producer1", "secret-p1")),
            Ok(())
        );
    }

    #[test]
    fn refusals_name_account_and_permission_never_the_secret() {
        let dir = tempfile::tempdir().unwrap();
        let v = validator(dir.path());
        let cases = [
            (send("TopicA"), "no AccessKey"),
            (
                signed(send("TopicA"), "nobody12", "whatever1"),
                "no account `nobody12`",
            ),
            (
                signed(send("TopicA"), "producer1", "wrong-secret"),
                "signature check failed for account `producer1`",
            ),
            (
                signed(send("TopicB"), "producer1", "secret-p1"),
                "account `producer1` has no PUB permission on topic `TopicB` (it holds SUB)",
            ),
            (
                signed(send("Other"), "producer1", "secret-p1"),
                "no PUB permission on topic `Other` (it holds DENY)",
            ),
            (
                signed(
                    RemotingCommand::request(RequestCode::DELETE_TOPIC_IN_BROKER),
                    "producer1",
                    "secret-p1",
                ),
                "account `producer1` is not an admin",
            ),
        ];
        for (request, expected) in cases {
            let refusal = v.check(peer(), &request).unwrap_err();
            assert!(refusal.reason.contains(expected), "{}", refusal.reason);
            assert!(!refusal.reason.contains("secret-p1"));
            assert_eq!(refusal.response().code, ResponseCode::NO_PERMISSION.code());
        }
    }

    #[test]
    fn signatures_checked_together_give_each_request_its_own_verdict() {
        let dir = tempfile::tempdir().unwrap();
        let v = validator(dir.path());
        let mut batch = vec![
            signed(send("TopicA"), "producer1", "secret-p1"),
            signed(send("TopicA"), "producer1", "wrong-secret"),
            send("TopicA"),
            signed(send("TopicA"), "admin-01", "secret-admin"),
            signed(send("TopicA"), "nobody12", "whatever1"),
            signed(
                send("TopicA").with_body(vec![7u8; 3000]),
                "producer1",
                "secret-p1",
            ),
        ];
        let alone: Vec<_> = batch.iter().map(|r| v.check(peer(), r)).collect();
        v.check_signatures(peer(), &mut batch);
        let noted: Vec<Option<bool>> = batch
            .iter()
            .map(|r| r.signature_check.map(|c| c.valid))
            .collect();
        assert_eq!(
            noted,
            [Some(true), Some(false), None, Some(true), None, Some(true)]
        );
        let screened: Vec<_> = batch.iter().map(|r| v.check(peer(), r)).collect();
        assert_eq!(screened, alone);
        assert!(screened[1]
            .as_ref()
            .unwrap_err()
            .reason
            .contains("signature check failed"));
    }

    #[test]
    fn a_verdict_noted_under_another_secret_is_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let v = validator(dir.path());
        let mut batch = vec![
            signed(send("TopicA"), "producer1", "secret-p1"),
            signed(send("TopicA"), "producer1", "secret-p1"),
        ];
        v.check_signatures(peer(), &mut batch);
        assert!(batch
            .iter()
            .all(|r| r.signature_check.is_some_and(|c| c.valid)));
        // The account's secret changes between the screening and the check: the noted verdict
        // was for the old secret, so the request is checked again, and refused.
        v.edit(|file| {
            let account = file
                .accounts
                .iter_mut()
                .find(|a| a.access_key == "producer1")
                .unwrap();
            account.secret_key = Some(Secret::new("secret-new"));
            Ok(())
        })
        .unwrap();
        let refusal = v.check(peer(), &batch[0]).unwrap_err();
        assert!(
            refusal.reason.contains("signature check failed"),
            "{}",
            refusal.reason
        );
        // A verdict noted by hand for a key that never existed is ignored as well.
        let mut forged = signed(send("TopicA"), "producer1", "bad-secret");
        forged.signature_check = Some(crate::remoting::command::SignatureCheck {
            key_id: u64::MAX,
            valid: true,
        });
        assert!(v.check(peer(), &forged).is_err());
    }

    #[test]
    fn a_changed_field_after_signing_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let v = validator(dir.path());
        let mut r = signed(send("TopicA"), "producer1", "secret-p1");
        r.ext_fields.insert("topic", "TopicB");
        let refusal = v.check(peer(), &r).unwrap_err();
        assert!(
            refusal.reason.contains("signature check failed"),
            "{}",
            refusal.reason
        );
    }

    #[test]
    fn groups_are_checked_for_pulls() {
        let dir = tempfile::tempdir().unwrap();
        let v = validator(dir.path());
        let pull = |group: &str| {
            let mut r = RemotingCommand::request(RequestCode::PULL_MESSAGE);
            r.ext_fields.insert("topic", "TopicA");
            r.ext_fields.insert("consumerGroup", group);
            signed(r, "producer1", "secret-p1")
        };
        assert_eq!(v.check(peer(), &pull("gA")), Ok(()));
        let refusal = v.check(peer(), &pull("gDeny")).unwrap_err();
        assert!(
            refusal
                .reason
                .contains("no SUB permission on group `gDeny`"),
            "{}",
            refusal.reason
        );
    }

    #[test]
    fn admins_and_white_lists() {
        let dir = tempfile::tempdir().unwrap();
        let v = validator(dir.path());
        let delete = RemotingCommand::request(RequestCode::DELETE_TOPIC_IN_BROKER);
        assert_eq!(
            v.check(peer(), &signed(delete.clone(), "admin-01", "secret-admin")),
            Ok(())
        );
        assert_eq!(
            v.check(peer(), &signed(send("Any"), "admin-01", "secret-admin")),
            Ok(())
        );
        // Global white list: no account needed at all.
        assert_eq!(v.check("10.10.103.7".parse().unwrap(), &delete), Ok(()));
        // An account's own white list: its access key without a valid signature.
        let mut unsigned = send("Any");
        unsigned.ext_fields.insert(ACCESS_KEY, "trusted1");
        assert_eq!(v.check("192.168.1.20".parse().unwrap(), &unsigned), Ok(()));
        assert!(v.check("192.168.2.20".parse().unwrap(), &unsigned).is_err());
    }

    #[test]
    fn name_servers_check_only_what_changes_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plain_acl.yml");
        std::fs::write(&path, ACL).unwrap();
        let v = AccessValidator::load(&path, Scope::Namesrv).unwrap();
        let route = RemotingCommand::request(RequestCode::GET_ROUTEINFO_BY_TOPIC);
        assert_eq!(v.check(peer(), &route), Ok(()));
        let wipe = RemotingCommand::request(RequestCode::WIPE_WRITE_PERM_OF_BROKER);
        assert!(v.check(peer(), &wipe).is_err());
        assert!(v
            .check(peer(), &signed(wipe.clone(), "producer1", "secret-p1"))
            .is_err());
        assert_eq!(
            v.check(peer(), &signed(wipe, "admin-01", "secret-admin")),
            Ok(())
        );
    }

    #[test]
    fn reloads_good_edits_and_keeps_the_last_good_acl_on_bad_ones() {
        let dir = tempfile::tempdir().unwrap();
        let v = validator(dir.path());
        let path = dir.path().join("plain_acl.yml");
        let settle = || {
            // A change is loaded once it holds still for one look.
            let first = v.reload_if_changed();
            if first != Reload::Unchanged {
                return first;
            }
            v.reload_if_changed()
        };
        assert_eq!(settle(), Reload::Unchanged);
        std::fs::write(
            &path,
            ACL.replace("TopicB=SUB", "TopicB=PUB\n      - TopicCC=PUB"),
        )
        .unwrap();
        assert_eq!(settle(), Reload::Loaded { accounts: 3 });
        assert_eq!(
            v.check(peer(), &signed(send("TopicB"), "producer1", "secret-p1")),
            Ok(())
        );
        std::fs::write(&path, ACL.replace("TopicB=SUB", "TopicB=WRITE")).unwrap();
        match settle() {
            Reload::Refused(e) => {
                assert!(e.to_string().contains("unknown permission `WRITE`"), "{e}")
            }
            other => panic!("{other:?}"),
        }
        // Still the last good rules.
        assert_eq!(
            v.check(peer(), &signed(send("TopicB"), "producer1", "secret-p1")),
            Ok(())
        );
    }

    #[test]
    fn edits_write_the_file_and_take_effect() {
        let dir = tempfile::tempdir().unwrap();
        let v = validator(dir.path());
        v.edit(|f| {
            let mut a =
                crate::acl::plain_acl::AccountConfig::new("newuser1", Secret::new("new-secret"));
            a.default_topic_perm = Some(Perm::PUB);
            f.accounts.push(a);
            Ok(())
        })
        .unwrap();
        assert_eq!(
            v.check(peer(), &signed(send("Z"), "newuser1", "new-secret")),
            Ok(())
        );
        let reread = PlainAclFile::load(v.path()).unwrap();
        assert_eq!(reread.accounts.len(), 4);
        assert_eq!(reread.version().counter, 1);
        let refused = v.edit(|f| {
            f.accounts.push(crate::acl::plain_acl::AccountConfig::new(
                "short",
                Secret::new("x"),
            ));
            Ok(())
        });
        assert!(refused.unwrap_err().contains("accessKey `short`"));
        assert_eq!(PlainAclFile::load(v.path()).unwrap().accounts.len(), 4);
    }
}
