//! What admin commands print: tables (comfy-table, fitted to the terminal, plain columns when
//! piped) and pretty JSON with stable snake_case fields (documented in docs-admin.md).

use crate::admin::brokers::BrokerKeyValues;
use crate::admin::cluster::BrokerStatus;
use crate::admin::groups::{GroupDescription, GroupSummary, ResetPlan};
use crate::admin::messages::{MessageView, SendOutcome};
use crate::admin::offsets::TopicOffsets;
use crate::admin::topics::{CreateOutcome, DeleteOutcome, QueueStatus, TopicRoute};
use crate::calendar::{format_age, format_millis};
use comfy_table::{presets, ContentArrangement, Table};
use serde::Serialize;

/// `-o table|json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OutputFormat {
    #[default]
    Table,
    Json,
}

/// Pretty JSON text of a result, with a trailing newline.
pub fn json<T: Serialize + ?Sized>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_else(|e| {
        serde_json::json!({ "error": format!("cannot serialise output: {e}") }).to_string()
    });
    text.push('\n');
    text
}

/// A table with upper-case headers, no borders, wrapped to the terminal width on a TTY.
pub fn table(headers: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(headers.iter().map(|h| h.to_uppercase()));
    t
}

/// A table rendered as text: trailing blanks trimmed, ending in a newline.
pub fn finish(t: &Table) -> String {
    let mut out: String = t
        .to_string()
        .lines()
        .map(|l| l.trim_end().to_string() + "\n")
        .collect();
    if out.is_empty() {
        out.push('\n');
    }
    out
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map_or_else(|| "-".to_string(), T::to_string)
}

fn rate(v: &Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), |r| format!("{r:.1}"))
}

// ---- topics ----

/// `topic list`.
pub fn topic_list(topics: &[String], format: OutputFormat) -> String {
    match format {
        OutputFormat::Json => json(&serde_json::json!({ "topics": topics })),
        OutputFormat::Table => {
            let mut t = table(&["topic"]);
            for topic in topics {
                t.add_row(vec![topic]);
            }
            finish(&t)
        }
    }
}

/// `topic route`.
pub fn topic_route(route: &TopicRoute, format: OutputFormat) -> String {
    match format {
        OutputFormat::Json => json(route),
        OutputFormat::Table => {
            let mut t = table(&[
                "cluster",
                "broker",
                "addresses",
                "read queues",
                "write queues",
                "perm",
            ]);
            for b in &route.brokers {
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
}

/// `topic create`.
pub fn topic_create(topic: &str, outcomes: &[CreateOutcome], format: OutputFormat) -> String {
    match format {
        OutputFormat::Json => json(&serde_json::json!({ "topic": topic, "brokers": outcomes })),
        OutputFormat::Table => {
            let mut t = table(&["broker", "address", "status"]);
            for o in outcomes {
                let status = serde_json::to_value(o.status)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                t.add_row(vec![o.broker_name.clone(), o.addr.clone(), status]);
            }
            finish(&t)
        }
    }
}

/// `topic delete`.
pub fn topic_delete(outcome: &DeleteOutcome, format: OutputFormat) -> String {
    match format {
        OutputFormat::Json => json(outcome),
        OutputFormat::Table => format!(
            "deleted topic {} from cluster {}: brokers {}; name servers {}\n",
            outcome.topic,
            outcome.cluster,
            outcome.brokers.join(", "),
            outcome.namesrvs.join(", ")
        ),
    }
}

/// `topic status`.
pub fn topic_status(topic: &str, queues: &[QueueStatus], format: OutputFormat) -> String {
    match format {
        OutputFormat::Json => json(&serde_json::json!({ "topic": topic, "queues": queues })),
        OutputFormat::Table => {
            let mut t = table(&[
                "broker",
                "queue",
                "min offset",
                "max offset",
                "last store time",
            ]);
            for q in queues {
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
}

// ---- cluster and brokers ----

/// `cluster status`.
pub fn cluster_status(rows: &[BrokerStatus], format: OutputFormat) -> String {
    match format {
        OutputFormat::Json => json(&serde_json::json!({ "brokers": rows })),
        OutputFormat::Table => {
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
            for r in rows {
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
}

/// `broker status` and `broker config get`.
pub fn key_values(kv: &BrokerKeyValues, format: OutputFormat) -> String {
    match format {
        OutputFormat::Json => json(kv),
        OutputFormat::Table => {
            let mut t = table(&["key", "value"]);
            for (k, v) in &kv.values {
                t.add_row(vec![k, v]);
            }
            finish(&t)
        }
    }
}

/// `broker config set`.
pub fn config_set(key: &str, value: &str, addrs: &[String], format: OutputFormat) -> String {
    match format {
        OutputFormat::Json => {
            json(&serde_json::json!({ "key": key, "value": value, "brokers": addrs }))
        }
        OutputFormat::Table => format!("set {key}={value} on {}\n", addrs.join(", ")),
    }
}

// ---- offsets and groups ----

/// `offsets`.
pub fn offsets(o: &TopicOffsets, format: OutputFormat) -> String {
    match format {
        OutputFormat::Json => json(o),
        OutputFormat::Table if o.group.is_none() => {
            let mut t = table(&[
                "broker",
                "queue",
                "min offset",
                "max offset",
                "last store time",
            ]);
            for q in &o.queues {
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
        OutputFormat::Table => {
            let mut t = table(&[
                "broker",
                "queue",
                "min offset",
                "max offset",
                "consumer offset",
                "lag",
                "oldest waiting",
            ]);
            for q in &o.queues {
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
            finish(&t) + &format!("total lag: {}\n", opt(&o.total_lag))
        }
    }
}

/// `group list`.
pub fn group_list(groups: &[GroupSummary], format: OutputFormat) -> String {
    match format {
        OutputFormat::Json => json(&serde_json::json!({ "groups": groups })),
        OutputFormat::Table => {
            let mut t = table(&["group", "brokers", "broadcast", "orderly", "retry max"]);
            for g in groups {
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
}

/// `group describe`.
pub fn group_describe(d: &GroupDescription, format: OutputFormat) -> String {
    if format == OutputFormat::Json {
        return json(d);
    }
    let mut t = table(&[
        "topic",
        "broker",
        "queue",
        "broker offset",
        "consumer offset",
        "lag",
        "last consumed",
    ]);
    for q in &d.queues {
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
        d.group,
        d.total_lag,
        d.consume_tps,
        d.clients.len(),
        match (&d.consume_type, &d.message_model) {
            (Some(t), Some(m)) => format!(" ({t}, {m})"),
            _ => String::new(),
        }
    );
    out += &finish(&t);
    if !d.topics.is_empty() {
        let mut topics = table(&["topic", "queues", "lag"]);
        for topic in &d.topics {
            topics.add_row(vec![
                topic.topic.clone(),
                topic.queues.to_string(),
                topic.lag.to_string(),
            ]);
        }
        out += "\n";
        out += &finish(&topics);
    }
    if !d.clients.is_empty() {
        let mut clients = table(&["client id", "address", "language", "version"]);
        for c in &d.clients {
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

/// `group reset`.
pub fn group_reset(plan: &ResetPlan, format: OutputFormat) -> String {
    if format == OutputFormat::Json {
        return json(plan);
    }
    let mut t = table(&["broker", "queue", "before", "after"]);
    for q in &plan.queues {
        t.add_row(vec![
            q.broker_name.clone(),
            q.queue_id.to_string(),
            opt(&q.before),
            q.after.to_string(),
        ]);
    }
    let footer = if plan.executed {
        format!(
            "reset applied ({})\n",
            plan.method.as_deref().unwrap_or("broker")
        )
    } else {
        "preview only: nothing changed; add --execute to apply\n".to_string()
    };
    finish(&t) + &footer
}

// ---- messages ----

/// `message send`.
pub fn message_sent(s: &SendOutcome, format: OutputFormat) -> String {
    match format {
        OutputFormat::Json => json(s),
        OutputFormat::Table => {
            let mut t = table(&[
                "status",
                "broker",
                "queue",
                "queue offset",
                "msg id",
                "offset msg id",
            ]);
            t.add_row(vec![
                s.status.clone(),
                s.broker_name.clone(),
                s.queue_id.to_string(),
                s.queue_offset.to_string(),
                s.msg_id.clone(),
                s.offset_msg_id.clone(),
            ]);
            finish(&t)
        }
    }
}

/// `message consume` and `message query`.
pub fn message_list(messages: &[MessageView], format: OutputFormat) -> String {
    match format {
        OutputFormat::Json => json(&serde_json::json!({ "messages": messages })),
        OutputFormat::Table => {
            let mut t = table(&[
                "msg id",
                "queue",
                "offset",
                "tags",
                "keys",
                "store time",
                "body",
            ]);
            for m in messages {
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
}

/// `message get`: every field, one per line.
pub fn message_detail(m: &MessageView, format: OutputFormat) -> String {
    if format == OutputFormat::Json {
        return json(m);
    }
    let mut t = table(&["field", "value"]);
    let props = m
        .properties
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(" ");
    for (k, v) in [
        ("msg id", m.msg_id.clone()),
        ("offset msg id", m.offset_msg_id.clone()),
        ("topic", m.topic.clone()),
        ("tags", opt(&m.tags)),
        ("keys", m.keys.join(" ")),
        ("queue", m.queue_id.to_string()),
        ("queue offset", m.queue_offset.to_string()),
        ("commitlog offset", m.commit_log_offset.to_string()),
        ("reconsume times", m.reconsume_times.to_string()),
        ("born time", format_millis(m.born_timestamp)),
        ("store time", format_millis(m.store_timestamp)),
        ("born host", m.born_host.clone()),
        ("store host", m.store_host.clone()),
        ("properties", props),
        ("body size", m.body_size.to_string()),
        ("body", m.body.clone()),
    ] {
        t.add_row(vec![k.to_string(), v]);
    }
    if let Some(note) = &m.transaction {
        t.add_row(vec!["transaction".to_string(), note.clone()]);
    }
    finish(&t)
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
