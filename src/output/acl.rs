//! What `rmqctl acl` prints: every broker's accounts and global white list, and the per-broker
//! outcome of a change. JSON fields are snake_case; secret keys never appear (they are not read).

use super::{finish, table, Report};
use crate::admin::acl::{AclChange, BrokerAcl};
use serde::Serialize;

/// `acl list`.
#[derive(Debug, Serialize)]
pub struct AclList {
    pub brokers: Vec<BrokerAcl>,
}

impl Report for AclList {
    fn text(&self) -> String {
        let mut t = table(&[
            "broker",
            "addr",
            "version",
            "account",
            "admin",
            "default topic",
            "default group",
            "topic perms",
            "group perms",
            "white list",
        ]);
        let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
        for b in &self.brokers {
            let broker = format!("{}/{}", b.broker_name, b.broker_id);
            let version = b.version.map_or_else(|| "-".into(), |v| v.to_string());
            if let Some(e) = &b.error {
                t.add_row(vec![broker, b.addr.clone(), version, format!("error: {e}")]);
                continue;
            }
            if !b.global_white_addrs.is_empty() {
                t.add_row(vec![
                    broker.clone(),
                    b.addr.clone(),
                    version.clone(),
                    "(global white list)".into(),
                    "-".into(),
                    "-".into(),
                    "-".into(),
                    "-".into(),
                    "-".into(),
                    b.global_white_addrs.join(", "),
                ]);
            }
            for a in &b.accounts {
                t.add_row(vec![
                    broker.clone(),
                    b.addr.clone(),
                    version.clone(),
                    a.access_key.clone(),
                    a.admin.to_string(),
                    dash(&a.default_topic_perm),
                    dash(&a.default_group_perm),
                    a.topic_perms.join(", "),
                    a.group_perms.join(", "),
                    dash(&a.white_remote_address),
                ]);
            }
        }
        finish(&t)
    }
}

/// `acl add|remove|whitelist`: one line per broker.
#[derive(Debug, Serialize)]
pub struct AclChanges {
    pub change: String,
    pub brokers: Vec<AclChange>,
}

impl Report for AclChanges {
    fn text(&self) -> String {
        let mut t = table(&["broker", "addr", "result"]);
        for c in &self.brokers {
            let result = match &c.error {
                None => self.change.clone(),
                Some(e) => format!("failed: {e}"),
            };
            t.add_row(vec![
                format!("{}/{}", c.broker_name, c.broker_id),
                c.addr.clone(),
                result,
            ]);
        }
        finish(&t)
    }
}
