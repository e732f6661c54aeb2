//! Reports of the admin commands (topic, cluster, broker, offsets, group, message): the admin
//! layer's typed results, and small wrappers that give a list its JSON object.

use serde::Serialize;

use super::{finish, opt, table, Report};
use crate::admin::brokers::BrokerKeyValues;
use crate::admin::cluster::BrokerStatus;
use crate::admin::groups::{GroupDescription, GroupSummary, ResetPlan};
use crate::admin::messages::{MessageView, SendOutcome};
use crate::admin::offsets::TopicOffsets;
use crate::admin::topics::{CreateOutcome, DeleteOutcome, QueueStatus, TopicRoute};
use crate::calendar::{format_age, format_millis};

fn rate(v: &Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), |r| format!("{r:.1}"))
}

// ---- topics ----

/// `topic list`.
#[derive(Debug, Serialize)]
pub struct TopicList<'a> {
    pub topics: &'a [String],
}

impl Report for TopicList<'_> {
    fn text(&self) -> String {
        let mut t = table(&["topic"]);
        for topic in self.topics {
            t.add_row(vec![topic]);
        }
        finish(&t)
    }
}

/// `topic route`.
impl Report for TopicRoute {
    fn text(&self) -> String {
        let mut t = table(&[
            "cluster",
            "broker",
            "addresses",
            "read queues",
            "write queues",
            "perm",
        ]);
        for b in &self.brokers {
            let addrs = b
                .addrs
                .iter()
                .map(|(id, a)| format!("{id}={a}"))
                .collect::<Vec<_>>()
                .join(" ");
            t.add_row(vec![
                b.cluster.clone(),
                b.broker_name.clone(),
                addrs,
                b.read_queues.to_string(),
                b.write_queues.to_string(),
                b.perm_text.clone(),
            ]);
        }
        finish(&t)
    }
}

/// `topic create`.
#[derive(Debug, Serialize)]
pub struct TopicCreated<'a> {
    pub topic: &'a str,
    pub brokers: &'a [CreateOutcome],
}

impl Report for TopicCreated<'_> {
    fn text(&self) -> String {
        let mut t = table(&["broker", "address", "status"]);
        for o in self.brokers {
            let status = serde_json::to_value(o.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            t.add_row(vec![o.broker_name.clone(), o.addr.clone(), status]);
        }
        finish(&t)
    }
}

/// `topic delete`.
impl Report for DeleteOutcome {
    fn text(&self) -> String {
        format!(
            "deleted topic {} from cluster {}: brokers {}; name servers {}\n",
            self.topic,
            self.cluster,
            self.brokers.join(", "),
            self.namesrvs.join(", ")
        )
    }
}

/// `topic status`.
#[derive(Debug, Serialize)]
pub struct TopicStatus<'a> {
    pub topic: &'a str,
    pub queues: &'a [QueueStatus],
}

impl Report for TopicStatus<'_> {
    fn text(&self) -> String {
        let mut t = table(&[
            "broker",
            "queue",
            "min offset",
            "max offset",
            "last store time",
        ]);
        for q in self.queues {
            t.add_row(vec![
                q.broker_name.clone(),
                q.queue_id.to_string(),
                q.min_offset.to_string(),
                q.max_offset.to_string(),
                format_millis(q.last_store_timestamp),
            ]);
        }
        finish(&t)
    }
}

// ---- cluster and brokers ----

/// `cluster status`.
#[derive(Debug, Serialize)]
pub struct ClusterStatus<'a> {
    pub brokers: &'a [BrokerStatus],
}

impl Report for ClusterStatus<'_> {
    fn text(&self) -> String {
        let mut t = table(&[
            "cluster",
            "broker",
            "id",
            "role",
            "address",
            "version",
            "in tps",
            "out tps",
            "in today",
            "out today",
            "commitlog max",
            "repl lag",
            "in sync",
        ]);
        for r in self.brokers {
            let mut cells = vec![
                r.cluster.clone(),
                r.broker_name.clone(),
                r.broker_id.to_string(),
                r.role.to_string(),
                r.addr.clone(),
            ];
            match &r.error {
                Some(e) => cells.push(format!("unreachable: {e}")),
                None => cells.extend([
                    opt(&r.version),
                    rate(&r.in_tps),
                    rate(&r.out_tps),
                    opt(&r.in_today),
                    opt(&r.out_today),
                    opt(&r.commit_log_max_offset),
                    opt(&r.replication_lag_bytes),
                    opt(&r.in_sync),
                ]),
            }
            t.add_row(cells);
        }
        finish(&t)
    }
}

/// `broker status` and `broker config get`.
impl Report for BrokerKeyValues {
    fn text(&self) -> String {
        let mut t = table(&["key", "value"]);
        for (k, v) in &self.values {
            t.add_row(vec![k, v]);
        }
        finish(&t)
    }
}

/// `broker config set`.
#[derive(Debug, Serialize)]
pub struct ConfigSet<'a> {
    pub key: &'a str,
    pub value: &'a str,
    pub brokers: &'a [String],
}

impl Report for ConfigSet<'_> {
    fn text(&self) -> String {
        format!(
            "set {}={} on {}\n",
            self.key,
            self.value,
            self.brokers.join(", ")
        )
    }
}

// ---- offsets and groups ----

/// `offsets`.
impl Report for TopicOffsets {
    fn text(&self) -> String {
        if self.group.is_none() {
            let mut t = table(&[
                "broker",
                "queue",
                "min offset",
                "max offset",
                "last store time",
            ]);
            for q in &self.queues {
                t.add_row(vec![
                    q.broker_name.clone(),
                    q.queue_id.to_string(),
                    q.min_offset.to_string(),
                    q.max_offset.to_string(),
                    format_millis(q.last_store_timestamp),
                ]);
            }
            return finish(&t);
        }
        let mut t = table(&[
            "broker",
            "queue",
            "min offset",
            "max offset",
            "consumer offset",
            "lag",
            "oldest waiting",
        ]);
        for q in &self.queues {
            t.add_row(vec![
                q.broker_name.clone(),
                q.queue_id.to_string(),
                q.min_offset.to_string(),
                q.max_offset.to_string(),
                opt(&q.consumer_offset),
                opt(&q.lag),
                q.oldest_unconsumed_age_ms
                    .map_or_else(|| "-".into(), format_age),
            ]);
        }
        finish(&t) + &format!("total lag: {}\n", opt(&self.total_lag))
    }
}

/// `group list`.
#[derive(Debug, Serialize)]
pub struct GroupList<'a> {
    pub groups: &'a [GroupSummary],
}

impl Report for GroupList<'_> {
    fn text(&self) -> String {
        let mut t = table(&["group", "brokers", "broadcast", "orderly", "retry max"]);
        for g in self.groups {
            t.add_row(vec![
                g.group.clone(),
                g.brokers.join(","),
                g.consume_broadcast_enable.to_string(),
                g.consume_message_orderly.to_string(),
                g.retry_max_times.to_string(),
            ]);
        }
        finish(&t)
    }
}

/// `group describe`: a summary line, the queues, then the topics and the clients.
impl Report for GroupDescription {
    fn text(&self) -> String {
        let mut t = table(&[
            "topic",
            "broker",
            "queue",
            "broker offset",
            "consumer offset",
            "lag",
            "last consumed",
        ]);
        for q in &self.queues {
            t.add_row(vec![
                q.topic.clone(),
                q.broker_name.clone(),
                q.queue_id.to_string(),
                q.broker_offset.to_string(),
                q.consumer_offset.to_string(),
                q.lag.to_string(),
                format_millis(q.last_consumed_timestamp),
            ]);
        }
        let mut out = format!(
            "group {}: total lag {}, consume tps {:.1}, {} client(s){}\n\n",
            self.group,
            self.total_lag,
            self.consume_tps,
            self.clients.len(),
            match (&self.consume_type, &self.message_model) {
                (Some(t), Some(m)) => format!(" ({t}, {m})"),
                _ => String::new(),
            }
        );
        out += &finish(&t);
        if !self.topics.is_empty() {
            let mut topics = table(&["topic", "queues", "lag"]);
            for topic in &self.topics {
                topics.add_row(vec![
                    topic.topic.clone(),
                    topic.queues.to_string(),
                    topic.lag.to_string(),
                ]);
            }
            out += "\n";
            out += &finish(&topics);
        }
        if !self.clients.is_empty() {
            let mut clients = table(&["client id", "address", "language", "version"]);
            for c in &self.clients {
                clients.add_row(vec![
                    c.client_id.clone(),
                    c.client_addr.clone(),
                    c.language.clone(),
                    c.version.to_string(),
                ]);
            }
            out += "\n";
            out += &finish(&clients);
        }
        out
    }
}

/// `group reset`: the plan, then whether it was applied.
impl Report for ResetPlan {
    fn text(&self) -> String {
        let mut t = table(&["broker", "queue", "before", "after"]);
        for q in &self.queues {
            t.add_row(vec![
                q.broker_name.clone(),
                q.queue_id.to_string(),
                opt(&q.before),
                q.after.to_string(),
            ]);
        }
        let footer = if self.executed {
            format!(
                "reset applied ({})\n",
                self.method.as_deref().unwrap_or("broker")
            )
        } else {
            "preview only: nothing changed; add --execute to apply\n".to_string()
        };
        finish(&t) + &footer
    }
}

// ---- messages ----

/// `message send`.
impl Report for SendOutcome {
    fn text(&self) -> String {
        let mut t = table(&[
            "status",
            "broker",
            "queue",
            "queue offset",
            "msg id",
            "offset msg id",
        ]);
        t.add_row(vec![
            self.status.clone(),
            self.broker_name.clone(),
            self.queue_id.to_string(),
            self.queue_offset.to_string(),
            self.msg_id.clone(),
            self.offset_msg_id.clone(),
        ]);
        finish(&t)
    }
}

/// `message consume` and `message query`.
#[derive(Debug, Serialize)]
pub struct MessageList<'a> {
    pub messages: &'a [MessageView],
}

impl Report for MessageList<'_> {
    fn text(&self) -> String {
        let mut t = table(&[
            "msg id",
            "queue",
            "offset",
            "tags",
            "keys",
            "store time",
            "body",
        ]);
        for m in self.messages {
            t.add_row(vec![
                m.msg_id.clone(),
                m.queue_id.to_string(),
                m.queue_offset.to_string(),
                opt(&m.tags),
                m.keys.join(" "),
                format_millis(m.store_timestamp),
                preview(&m.body, 60),
            ]);
        }
        finish(&t)
    }
}

/// `message get`: every field, one per line.
impl Report for MessageView {
    fn text(&self) -> String {
        let mut t = table(&["field", "value"]);
        let props = self
            .properties
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(" ");
        for (k, v) in [
            ("msg id", self.msg_id.clone()),
            ("offset msg id", self.offset_msg_id.clone()),
            ("topic", self.topic.clone()),
            ("tags", opt(&self.tags)),
            ("keys", self.keys.join(" ")),
            ("queue", self.queue_id.to_string()),
            ("queue offset", self.queue_offset.to_string()),
            ("commitlog offset", self.commit_log_offset.to_string()),
            ("reconsume times", self.reconsume_times.to_string()),
            ("born time", format_millis(self.born_timestamp)),
            ("store time", format_millis(self.store_timestamp)),
            ("born host", self.born_host.clone()),
            ("store host", self.store_host.clone()),
            ("properties", props),
            ("body size", self.body_size.to_string()),
            ("body", self.body.clone()),
        ] {
            t.add_row(vec![k.to_string(), v]);
        }
        if let Some(note) = &self.transaction {
            t.add_row(vec!["transaction".to_string(), note.clone()]);
        }
        finish(&t)
    }
}

/// The first `max` characters of a body on one line.
fn preview(body: &str, max: usize) -> String {
    let flat: String = body
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.chars().count() > max {
        flat.chars().take(max).collect::<String>() + "…"
    } else {
        flat
    }
}
