//! The admin commands end to end: the `rmqctl` binary against real `rmqctl namesrv` and
//! `rmqctl broker` processes. Tables and JSON are insta snapshots; the data is chosen so that
//! offsets, lag, counts and sizes are known (messages are sent to chosen queues, a group commits
//! chosen offsets) and asserted, and only what differs from run to run — addresses, times, rates,
//! message ids — is replaced by a placeholder. Also exit codes and one-line errors for bad input.
//!
//! Table width: comfy-table fits a table to the terminal only when stdout is a TTY (it asks the
//! terminal size only then); here stdout is a pipe, so tables are never wrapped and `COLUMNS`
//! plays no part.

use crate::common;

use common::wire::{self, send_v2};
use common::{rmqctl, stderr};
use rmqctl::protocol::consumer::SubscriptionGroupConfig;
use rmqctl::protocol::fastjson;
use rmqctl::remoting::client::RemotingClient;
use rmqctl::remoting::headers::UpdateConsumerOffsetRequestHeader;
use rmqctl::remoting::{RemotingCommand, RequestCode};
use serde_json::Value;

/// Messages sent to queue q of TopicTest: 5 + q, so max offsets 5, 6, 7, 8 (26 in all).
const PER_QUEUE: [i64; 4] = [5, 6, 7, 8];

struct Cluster {
    servers: common::Cluster,
    /// Names for the addresses of this run, longest first.
    names: Vec<(String, String)>,
}

/// A name server and one broker (`broker-a` of `DefaultCluster`), the broker registered.
fn cluster() -> Cluster {
    let servers = common::Cluster::single();
    let broker = servers.broker().addr;
    let ha = format!("{}:{}", broker.ip(), broker.port() + 1);
    let mut names = vec![
        (broker.to_string(), "[broker]".to_string()),
        (ha, "[broker-ha]".to_string()),
        (servers.ns(), "[namesrv]".to_string()),
    ];
    names.sort_by_key(|(addr, _)| std::cmp::Reverse(addr.len()));
    Cluster { servers, names }
}

impl Cluster {
    fn ns(&self) -> String {
        self.servers.ns()
    }

    fn broker_addr(&self) -> String {
        self.servers.broker().addr.to_string()
    }

    /// Run rmqctl with `-n` appended; returns (exit code, stdout, stderr).
    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let ns = self.ns();
        let mut all = args.to_vec();
        all.extend(["-n", &ns]);
        let out = rmqctl(&all);
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr(&out),
        )
    }

    /// Stdout of a command that must succeed.
    fn ok(&self, args: &[&str]) -> String {
        let (code, out, err) = self.run(args);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?} wrote to stderr: {err}");
        out
    }

    /// `-o json` output of a command that must succeed.
    fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.extend(["-o", "json"]);
        let out = self.ok(&all);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}: {out}"))
    }

    /// Table output of a command that must succeed, made stable (see `stable`).
    fn table(&self, args: &[&str], redact: &[Redact]) -> String {
        stable(&self.ok(args), &self.names, redact)
    }

    /// Requests straight to the broker, as a client library would send them.
    fn requests(&self, requests: Vec<RemotingCommand>) -> Vec<RemotingCommand> {
        let addr = self.broker_addr();
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(async {
                let client = RemotingClient::default();
                let mut out = Vec::new();
                for r in requests {
                    out.push(client.invoke(&addr, r, wire::TIMEOUT).await.unwrap());
                }
                out
            })
    }

    /// Send `counts[q]` messages to queue q of `topic` (all of one size), checking each offset.
    fn send(&self, topic: &str, counts: &[i64]) {
        let mut requests = Vec::new();
        let mut want = Vec::new();
        for (q, n) in counts.iter().enumerate() {
            for i in 0..*n {
                let props = common::props("TagA", "", &format!("UNIQ-{q}-{i}"));
                let body = format!("q{q}-m{i}").into_bytes();
                requests.push(send_v2(topic, q as i32, body, &props));
                want.push((q, i));
            }
        }
        for (r, (q, i)) in self.requests(requests).iter().zip(want) {
            assert_eq!(r.code, 0, "send to queue {q}: {r:?}");
            assert_eq!(wire::ext_i64(r, "queueId"), q as i64);
            assert_eq!(wire::ext_i64(r, "queueOffset"), i);
        }
    }

    /// Create subscription group `group` and commit `offsets` (queue, offset) of `topic`, as a
    /// consumer that has read that far would.
    fn commit(&self, group: &str, topic: &str, offsets: &[(i32, i64)]) {
        let mut requests =
            vec![
                RemotingCommand::request(RequestCode::UPDATE_AND_CREATE_SUBSCRIPTIONGROUP)
                    .with_body(fastjson::to_vec(&SubscriptionGroupConfig::named(group)).unwrap()),
            ];
        for (queue_id, offset) in offsets {
            requests.push(
                RemotingCommand::request(RequestCode::UPDATE_CONSUMER_OFFSET).with_header(
                    &UpdateConsumerOffsetRequestHeader {
                        consumer_group: group.into(),
                        topic: topic.into(),
                        queue_id: *queue_id,
                        commit_offset: *offset,
                    },
                ),
            );
        }
        for r in self.requests(requests) {
            assert_eq!(r.code, 0, "{r:?}");
        }
    }

    /// `topic create` and wait until the name server routes the topic.
    fn create_topic(&self, topic: &str, queues: usize) {
        let n = queues.to_string();
        self.ok(&["topic", "create", "-t", topic, "-r", &n, "-w", &n]);
        common::wait_for_route(self.servers.namesrv.addr, topic);
    }
}

/// A table cell whose value differs from run to run, and what to show instead.
enum Redact<'a> {
    /// Every cell but `-` of the column with this header.
    Column(&'a str, &'a str),
    /// The last cell of the row whose first cell is this key.
    Row(&'a str, &'a str),
}

/// `text` with every address in `names` replaced by its name and, in each table (a run of lines
/// starting with a blank, the first one the header), the `redact`ed cells replaced and the
/// columns laid out again, so that a placeholder of another width than the value it hides does
/// not move the other columns. Each table must first be laid out exactly as `layout` lays it out,
/// and every redaction must apply somewhere (a renamed column or key fails the test).
fn stable(text: &str, names: &[(String, String)], redact: &[Redact]) -> String {
    let rename = |s: &str| {
        names
            .iter()
            .fold(s.to_string(), |s, (addr, name)| s.replace(addr, name))
    };
    let lines: Vec<&str> = text.lines().collect();
    let mut used = vec![false; redact.len()];
    let mut out = String::new();
    let mut i = 0;
    while i < lines.len() {
        if !lines[i].starts_with(' ') {
            out += &rename(lines[i]);
            out.push('\n');
            i += 1;
            continue;
        }
        let start = i;
        while i < lines.len() && lines[i].starts_with(' ') {
            i += 1;
        }
        let block = &lines[start..i];
        let mut rows = cells(block);
        assert_eq!(
            layout(&rows),
            block,
            "table not laid out as the test expects"
        );
        for row in rows.iter_mut().skip(1) {
            for cell in row.iter_mut() {
                *cell = rename(cell);
            }
        }
        for (r, used) in redact.iter().zip(used.iter_mut()) {
            match r {
                Redact::Column(header, placeholder) => {
                    let Some(col) = rows[0].iter().position(|h| h == header) else {
                        continue;
                    };
                    *used = true;
                    for row in rows.iter_mut().skip(1) {
                        if row[col] != "-" {
                            row[col] = placeholder.to_string();
                        }
                    }
                }
                Redact::Row(key, placeholder) => {
                    for row in rows.iter_mut().skip(1).filter(|row| row[0] == *key) {
                        *used = true;
                        *row.last_mut().unwrap() = placeholder.to_string();
                    }
                }
            }
        }
        for line in layout(&rows) {
            out += &line;
            out.push('\n');
        }
    }
    for (r, used) in redact.iter().zip(used) {
        let what = match r {
            Redact::Column(h, _) => format!("column {h}"),
            Redact::Row(k, _) => format!("row {k}"),
        };
        assert!(used, "no {what} in:\n{text}");
    }
    out
}

/// The cells of a table: columns start where the header has a word after two blanks.
fn cells(block: &[&str]) -> Vec<Vec<String>> {
    let header: Vec<char> = block[0].chars().collect();
    let starts: Vec<usize> = (1..header.len())
        .filter(|&j| header[j] != ' ' && header[j - 1] == ' ' && (j == 1 || header[j - 2] == ' '))
        .collect();
    block
        .iter()
        .map(|line| {
            let chars: Vec<char> = line.chars().collect();
            starts
                .iter()
                .enumerate()
                .map(|(k, &from)| {
                    let to = starts.get(k + 1).copied().unwrap_or(chars.len());
                    let cell: String = chars[from.min(chars.len())..to.min(chars.len())]
                        .iter()
                        .collect();
                    cell.trim_end().to_string()
                })
                .collect()
        })
        .collect()
}

/// rmqctl's table layout: every cell padded to its column's width with one blank either side,
/// trailing blanks trimmed.
fn layout(rows: &[Vec<String>]) -> Vec<String> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|k| {
            rows.iter()
                .filter_map(|r| r.get(k))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    rows.iter()
        .map(|row| {
            let line: String = row
                .iter()
                .zip(&widths)
                .map(|(cell, w)| format!(" {cell:<w$} "))
                .collect();
            line.trim_end().to_string()
        })
        .collect()
}

/// A redaction of a number field that keeps 0 and null (known values) and hides the rest.
fn unless_zero(placeholder: &'static str) -> insta::internals::Redaction {
    use insta::internals::Content;
    insta::dynamic_redaction(move |value: Content, _| match value.resolve_inner() {
        Content::None | Content::Unit => value,
        v if v.as_i64() == Some(0) => value,
        _ => Content::from(placeholder),
    })
}

fn now_ms() -> i64 {
    wire::now_ms()
}

/// `field` of every element of the array `v[key]`.
fn column(v: &Value, key: &str, field: &str) -> Vec<Value> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("no array {key} in {v}"))
        .iter()
        .map(|e| e[field].clone())
        .collect()
}

#[test]
fn topic_list_route_status_and_cluster_status() {
    let c = cluster();
    c.create_topic("TopicTest", 4);

    insta::assert_snapshot!("topic_list", c.table(&["topic", "list"], &[]));
    let list = c.json(&["topic", "list"]);
    insta::assert_json_snapshot!("topic_list_json", list);
    let topics = list["topics"].as_array().unwrap();
    assert!(topics.contains(&"TopicTest".into()) && topics.contains(&"TBW102".into()));

    insta::assert_snapshot!(
        "topic_route",
        c.table(&["topic", "route", "-t", "TopicTest"], &[])
    );
    let route = c.json(&["topic", "route", "-t", "TopicTest"]);
    assert_eq!(route["brokers"][0]["addrs"]["0"], c.broker_addr().as_str());
    insta::assert_json_snapshot!("topic_route_json", route, {
        ".brokers[].addrs[\"0\"]" => "[broker]",
    });

    let before = now_ms();
    c.send("TopicTest", &PER_QUEUE);
    let after = now_ms();

    insta::assert_snapshot!(
        "topic_status",
        c.table(
            &["topic", "status", "-t", "TopicTest"],
            &[Redact::Column("LAST STORE TIME", "[time]")]
        )
    );
    let status = c.json(&["topic", "status", "-t", "TopicTest"]);
    let max: Vec<Value> = PER_QUEUE.iter().map(|&n| n.into()).collect();
    assert_eq!(column(&status, "queues", "max_offset"), max, "{status}");
    for t in column(&status, "queues", "last_store_timestamp") {
        let t = t.as_i64().unwrap();
        assert!(
            (before..=after).contains(&t),
            "{t} not in {before}..={after}"
        );
    }
    insta::assert_json_snapshot!("topic_status_json", status, {
        ".queues[].last_store_timestamp" => "[time]",
    });

    insta::assert_snapshot!(
        "cluster_status",
        c.table(
            &["cluster", "status"],
            &[
                Redact::Column("IN TPS", "[tps]"),
                Redact::Column("OUT TPS", "[tps]"),
            ]
        )
    );
    let cluster = c.json(&["cluster", "status"]);
    let b = &cluster["brokers"][0];
    assert_eq!(b["addr"], c.broker_addr().as_str());
    assert_eq!(b["in_today"], 26, "{cluster}");
    assert_eq!(b["out_today"], 0, "{cluster}");
    assert!(b["in_tps"].as_f64().is_some_and(|r| r >= 0.0), "{cluster}");
    assert!(b["out_tps"].as_f64().is_some_and(|r| r >= 0.0), "{cluster}");
    // 26 messages of one size: the commit log holds exactly them.
    let size = b["commit_log_max_offset"].as_i64().unwrap();
    assert!(size > 0 && size % 26 == 0, "{cluster}");
    insta::assert_json_snapshot!("cluster_status_json", cluster, {
        ".brokers[].addr" => "[broker]",
        ".brokers[].in_tps" => "[tps]",
        ".brokers[].out_tps" => "[tps]",
    });
}

#[test]
fn topic_create_is_idempotent_then_updates_and_delete_asks() {
    let c = cluster();
    let create = ["topic", "create", "-t", "Orders", "-r", "4", "-w", "4"];
    insta::assert_snapshot!("topic_create", c.table(&create, &[]));
    let again = c.json(&create);
    insta::assert_json_snapshot!("topic_create_json", again, {
        ".brokers[].addr" => "[broker]",
    });
    assert_eq!(again["brokers"][0]["status"], "unchanged");
    let updated = c.json(&["topic", "create", "-t", "Orders", "-r", "4", "-w", "8"]);
    assert_eq!(updated["brokers"][0]["status"], "updated", "{updated}");
    let config = c.json(&["topic", "status", "-t", "Orders"]);
    assert_eq!(config["queues"].as_array().unwrap().len(), 8, "{config}");
    let route = c.json(&["topic", "route", "-t", "Orders"]);
    assert_eq!(route["brokers"][0]["write_queues"], 8, "{route}");
    assert_eq!(route["brokers"][0]["read_queues"], 4, "{route}");

    // Without a terminal and without --yes nothing is deleted.
    let (code, _, err) = c.run(&["topic", "delete", "-t", "Orders"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--yes"), "{err}");
    c.json(&["topic", "route", "-t", "Orders"]);
    let out = c.ok(&["topic", "delete", "-t", "Orders", "--yes"]);
    insta::assert_snapshot!("topic_delete", stable(&out, &c.names, &[]));
    let (code, _, err) = c.run(&["topic", "route", "-t", "Orders"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("does not exist"), "{err}");
}

#[test]
fn offsets_group_describe_thresholds_and_reset_preview() {
    let c = cluster();
    c.create_topic("TopicTest", 4);
    let before = now_ms();
    c.send("TopicTest", &PER_QUEUE);
    let after = now_ms();
    // cg1 has read 2 of queue 0 and all 6 of queue 1, nothing of queues 2 and 3:
    // lag 3 + 0 + 7 + 8 = 18.
    c.commit("cg1", "TopicTest", &[(0, 2), (1, 6)]);

    let args = ["offsets", "-t", "TopicTest", "-g", "cg1"];
    insta::assert_snapshot!(
        "offsets_group",
        c.table(&args, &[Redact::Column("OLDEST WAITING", "[age]")])
    );
    let offsets = c.json(&args);
    assert_eq!(offsets["total_lag"], 18, "{offsets}");
    assert_eq!(
        column(&offsets, "queues", "lag"),
        [3, 0, 7, 8].map(Value::from),
        "{offsets}"
    );
    let oldest = column(&offsets, "queues", "oldest_unconsumed_timestamp");
    let ages = column(&offsets, "queues", "oldest_unconsumed_age_ms");
    for (q, (t, age)) in oldest.iter().zip(&ages).enumerate() {
        if q == 1 {
            assert!(t.is_null() && age.is_null(), "{offsets}");
        } else {
            assert!(
                t.as_i64().is_some_and(|t| (before..=after).contains(&t)),
                "{offsets}"
            );
            assert!(age.as_i64().is_some_and(|a| a >= 0), "{offsets}");
        }
    }
    insta::assert_json_snapshot!("offsets_group_json", offsets, {
        ".queues[].last_store_timestamp" => "[time]",
        ".queues[].oldest_unconsumed_timestamp" => unless_zero("[time]"),
        ".queues[].oldest_unconsumed_age_ms" => unless_zero("[age]"),
    });
    let (code, _, err) = c.run(&[
        "offsets",
        "-t",
        "TopicTest",
        "-g",
        "cg1",
        "--fail-above",
        "17",
    ]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("total lag 18 is above 17"), "{err}");

    insta::assert_snapshot!("group_list", c.table(&["group", "list"], &[]));
    let groups = c.json(&["group", "list"]);
    assert_eq!(column(&groups, "groups", "group"), ["cg1"].map(Value::from));

    let time = Redact::Column("LAST CONSUMED", "[time]");
    insta::assert_snapshot!(
        "group_describe",
        c.table(&["group", "describe", "-g", "cg1"], &[time])
    );
    let described = c.json(&["group", "describe", "-g", "cg1"]);
    assert_eq!(described["total_lag"], 18, "{described}");
    assert_eq!(
        column(&described, "queues", "consumer_offset"),
        [2, 6, 0, 0].map(Value::from)
    );
    // Store time of the last message consumed; 0 where nothing was.
    let consumed = column(&described, "queues", "last_consumed_timestamp");
    for t in &consumed[..2] {
        assert!(
            t.as_i64().is_some_and(|t| (before..=after).contains(&t)),
            "{described}"
        );
    }
    assert_eq!(consumed[2..], [0, 0].map(Value::from), "{described}");
    insta::assert_json_snapshot!("group_describe_json", described, {
        ".queues[].last_consumed_timestamp" => unless_zero("[time]"),
    });
    let (code, _, err) = c.run(&["group", "describe", "-g", "cg1", "--fail-above", "17"]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("total lag 18 is above 17"), "{err}");
    let (code, _, err) = c.run(&["group", "describe", "-g", "cg1", "--fail-above", "18"]);
    assert_eq!(code, 0, "{err}");

    let reset = [
        "group",
        "reset",
        "-g",
        "cg1",
        "-t",
        "TopicTest",
        "--to-earliest",
    ];
    insta::assert_snapshot!("group_reset_preview", c.table(&reset, &[]));
    let plan = c.json(&reset);
    assert_eq!(plan["executed"], false, "{plan}");
    insta::assert_json_snapshot!("group_reset_preview_json", plan);
    let unchanged = c.json(&args);
    assert_eq!(unchanged["total_lag"], 18, "a preview changes nothing");

    let mut execute = reset.to_vec();
    execute.push("--execute");
    // The bundled broker rewrites the stored offsets itself (and would tell online clients).
    let out = c.ok(&execute);
    assert!(out.ends_with("reset applied (broker)\n"), "{out}");
    let reset_done = c.json(&args);
    assert_eq!(reset_done["total_lag"], 26, "{reset_done}");
    assert_eq!(
        column(&reset_done, "queues", "consumer_offset"),
        [0, 0, 0, 0].map(Value::from)
    );
}

#[test]
fn broker_status_and_config() {
    let c = cluster();
    c.create_topic("TopicTest", 4);
    c.send("TopicTest", &PER_QUEUE);
    // Rates, times and what the flush and disk are doing at this moment.
    let varying = [
        "bootTimestamp",
        "commitLogDiskRatio",
        "earliestMessageTimeStamp",
        "getFoundTps",
        "getMissTps",
        "getTotalTps",
        "getTransferedTps",
        "getTransferredTps",
        "putTps",
        "remainHowManyDataToFlush",
        "runtime",
    ];
    let redact: Vec<Redact> = varying
        .iter()
        .map(|&k| Redact::Row(k, "[varies]"))
        .collect();
    insta::assert_snapshot!(
        "broker_status",
        c.table(&["broker", "status", "broker-a"], &redact)
    );
    let status = c.json(&["broker", "status", "broker-a"]);
    assert_eq!(status["addr"], c.broker_addr().as_str());
    let values = &status["values"];
    assert_eq!(values["brokerRole"], "ASYNC_MASTER");
    assert_eq!(values["msgPutTotalTodayNow"], "26");
    assert_eq!(values["putMessageTimesTotal"], "26");
    let size: i64 = values["commitLogMaxOffset"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(values["putMessageSizeTotal"], size.to_string().as_str());
    assert_eq!(
        values["putMessageAverageSize"],
        (size / 26).to_string().as_str()
    );

    let addr = c.broker_addr();
    let out = c.table(
        &[
            "broker",
            "config",
            "set",
            "-b",
            "broker-a",
            "brokerPermission",
            "4",
        ],
        &[],
    );
    assert_eq!(out, "set brokerPermission=4 on [broker]\n");
    let config = c.json(&["broker", "config", "get", "broker-a"]);
    assert_eq!(config["values"]["brokerPermission"], "4", "{config}");
    assert_eq!(config["broker_name"], "broker-a");
    assert_eq!(config["addr"], addr.as_str());
}

/// A read-only broker must turn its queues read-only in the routes, or producers keep sending
/// to it: the broker bumps its topic configs' data version and registers again at once (a
/// registration with an unchanged version leaves the name server's queue data as it was).
#[test]
fn broker_permission_change_reaches_the_route() {
    let c = cluster();
    c.create_topic("TopicTest", 4);
    c.ok(&[
        "broker",
        "config",
        "set",
        "-b",
        "broker-a",
        "brokerPermission",
        "4",
    ]);
    let start = std::time::Instant::now();
    loop {
        let route = c.json(&["topic", "route", "-t", "TopicTest"]);
        if route["brokers"][0]["perm_text"] == "R--" {
            break;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(60),
            "{route}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

#[test]
fn message_send_get_and_consume() {
    let c = cluster();
    c.create_topic("Single", 1);
    let before = now_ms();
    let sent = c.json(&[
        "message", "send", "-t", "Single", "--tag", "TagA", "-k", "order-1", "--body", "hello",
    ]);
    let after = now_ms();
    assert_eq!(sent["status"], "SEND_OK");
    assert_eq!(sent["queue_id"], 0);
    assert_eq!(sent["queue_offset"], 0);
    let msg_id = sent["msg_id"].as_str().unwrap().to_string();
    let offset_id = sent["offset_msg_id"].as_str().unwrap().to_string();
    // The offset id is the store host (127.0.0.1 and the broker's port) and the commit-log
    // offset, 0 for the broker's first message.
    assert_eq!(
        offset_id,
        format!("7F000001{:08X}{:016X}", c.servers.broker().addr.port(), 0)
    );
    assert_eq!(msg_id.len(), 32, "{sent}");
    insta::assert_json_snapshot!("message_send_json", sent, {
        ".broker_addr" => "[broker]",
        ".msg_id" => "[msg-id]",
        ".offset_msg_id" => "[offset-msg-id]",
    });

    let mut names = c.names.clone();
    names.push((msg_id.clone(), "[msg-id]".into()));
    names.push((offset_id.clone(), "[offset-msg-id]".into()));
    let times = [
        Redact::Row("born time", "[time]"),
        Redact::Row("store time", "[time]"),
        Redact::Row("born host", "[client]"),
    ];
    insta::assert_snapshot!(
        "message_get",
        stable(&c.ok(&["message", "get", &offset_id]), &names, &times)
    );
    let got = c.json(&["message", "get", &offset_id]);
    assert_eq!(got["msg_id"], msg_id.as_str());
    assert_eq!(got["store_host"], c.broker_addr().as_str());
    let stored = got["store_timestamp"].as_i64().unwrap();
    let born = got["born_timestamp"].as_i64().unwrap();
    assert!(before <= born && born <= stored && stored <= after, "{got}");
    insta::assert_json_snapshot!("message_get_json", got, {
        ".msg_id" => "[msg-id]",
        ".offset_msg_id" => "[offset-msg-id]",
        ".properties.UNIQ_KEY" => "[msg-id]",
        ".born_timestamp" => "[time]",
        ".store_timestamp" => "[time]",
        ".born_host" => "[client]",
        ".store_host" => "[broker]",
    });
    let by_unique_id = c.json(&["message", "get", &msg_id, "-t", "Single"]);
    assert_eq!(by_unique_id, got);

    c.ok(&[
        "message", "send", "-t", "Single", "-k", "order-2", "-k", "k2", "--body", "again",
    ]);
    let consumed = c.ok(&["message", "consume", "-t", "Single"]);
    let ids = c.json(&["message", "consume", "-t", "Single"]);
    let second = ids["messages"][1]["msg_id"].as_str().unwrap().to_string();
    names.push((second, "[msg-id-2]".into()));
    insta::assert_snapshot!(
        "message_consume",
        stable(&consumed, &names, &[Redact::Column("STORE TIME", "[time]")])
    );
    assert_eq!(
        column(&ids, "messages", "queue_offset"),
        [0, 1].map(Value::from)
    );
}

#[test]
fn bad_input_is_one_line_with_exit_2_and_remote_failures_exit_1() {
    let c = cluster();
    c.create_topic("TopicTest", 4);
    c.commit("cg1", "TopicTest", &[]);
    let cases: &[(&[&str], i32, &str)] = &[
        (
            &["topic", "route", "-t", "Missing"],
            2,
            "topic \"Missing\" does not exist",
        ),
        (
            &["topic", "status", "-t", "Missing"],
            2,
            "rmqctl topic list",
        ),
        (
            &["topic", "create", "-t", "X", "-p", "7"],
            2,
            "perm 7 is not valid",
        ),
        (
            &["topic", "create", "-t", "X", "-w", "0"],
            2,
            "write queue count 0",
        ),
        (&["topic", "create", "-t", "bad name"], 2, "contains ' '"),
        (
            &["topic", "list", "-c", "NoSuchCluster"],
            2,
            "known clusters: DefaultCluster",
        ),
        (
            &["group", "describe", "-g", "nope"],
            2,
            "consumer group \"nope\" does not exist",
        ),
        (
            &["offsets", "-t", "TopicTest", "-g", "nope"],
            2,
            "consumer group \"nope\" does not exist",
        ),
        (
            &[
                "group",
                "reset",
                "-g",
                "nope",
                "-t",
                "TopicTest",
                "--to-latest",
            ],
            2,
            "consumer group \"nope\" does not exist",
        ),
        (
            &["broker", "status", "broker-z"],
            2,
            "broker \"broker-z\" is not registered",
        ),
        (
            &[
                "group",
                "reset",
                "-g",
                "cg1",
                "-t",
                "TopicTest",
                "--to-time",
                "yesterday",
            ],
            2,
            "not a time",
        ),
        (&["message", "get", "ABC"], 2, "bad message id \"ABC\""),
        (
            &[
                "broker",
                "config",
                "set",
                "-b",
                "broker-a",
                "brokerRole",
                "SLAVE",
            ],
            1,
            "brokerRole",
        ),
    ];
    for (args, want, text) in cases {
        let (code, _, err) = c.run(args);
        assert_eq!(code, *want, "{args:?}: {err}");
        assert!(err.contains(text), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    // None of that created the group it named.
    let groups = c.json(&["group", "list", "--all"]);
    assert!(
        !column(&groups, "groups", "group").contains(&"nope".into()),
        "{groups}"
    );
    // Unreachable name server: exit 1, the address named.
    let out = rmqctl(&["topic", "list", "-n", "127.0.0.1:1"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("127.0.0.1:1"), "{}", stderr(&out));
    let out = rmqctl(&["cluster", "status", "-n", "localhost"]);
    assert_eq!(out.status.code(), Some(2));
    let out = rmqctl(&["cluster", "status"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("NAMESRV_ADDR"));
    let out = rmqctl(&["cluster", "status", "-i", "/nonexistent/inventory.toml"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn first_name_server_that_answers_and_env_address() {
    let c = cluster();
    let both = format!("127.0.0.1:1;{}", c.ns());
    let out = rmqctl(&["topic", "list", "-n", &both]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("TBW102"));
    let out = common::rmqctl_command()
        .args(["topic", "list", "-o", "json"])
        .env("NAMESRV_ADDR", c.ns())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"TBW102\""));
}

/// `rmqctl ARGS` with `$NAMESRV_ADDR` set to `namesrv_addr` (common::rmqctl clears it).
fn rmqctl_with_env_namesrv(args: &[&str], namesrv_addr: &str) -> std::process::Output {
    common::rmqctl_command()
        .args(args)
        .env("NAMESRV_ADDR", namesrv_addr)
        .output()
        .unwrap()
}

/// README: `--timeout` bounds each request (`500ms`, `2s`, or seconds). A name server that takes
/// the connection but never answers makes the command fail with exit 1, naming the address, the
/// request and the timeout it was given.
#[test]
fn timeout_flag_bounds_each_request() {
    // The kernel completes connections to a listener nobody accepts on; nothing is ever answered.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = silent.local_addr().unwrap().to_string();
    for (flag, shown) in [("250ms", "250ms"), ("1", "1s")] {
        let out = rmqctl(&["topic", "list", "-n", &addr, "--timeout", flag]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "--timeout {flag}: {err}");
        assert!(
            err.contains(&addr)
                && err.contains("GET_ALL_TOPIC_LIST_FROM_NAMESERVER")
                && err.contains(&format!("timed out after {shown}")),
            "--timeout {flag}: {err}"
        );
    }
    let out = rmqctl(&["topic", "list", "-n", &addr, "--timeout", "soon"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

/// README: "an explicit `-i` wins over `$NAMESRV_ADDR`"; without `-i` the variable is used.
#[test]
fn inventory_flag_wins_over_namesrv_addr_variable() {
    let c = cluster();
    let dir = tempfile::tempdir().unwrap();
    let inventory = dir.path().join("inventory.toml");
    std::fs::write(
        &inventory,
        format!(
            "cluster = \"DefaultCluster\"\nreplication = \"none\"\ninstall_root = \"{root}\"\n\
             [namesrv]\nhosts = [\"local\"]\nport = {port}\nbind_address = \"127.0.0.1\"\n\
             [hosts.local]\nlocal = true\n[groups.broker-a]\nmaster = \"local\"\n",
            root = dir.path().display(),
            port = c.servers.namesrv.addr.port()
        ),
    )
    .unwrap();
    let unreachable = "127.0.0.1:1";
    let args = [
        "topic",
        "list",
        "-o",
        "json",
        "-i",
        inventory.to_str().unwrap(),
    ];
    let out = rmqctl_with_env_namesrv(&args, unreachable);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"TBW102\""));
    let out = rmqctl_with_env_namesrv(&args[..4], unreachable);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains(unreachable), "{}", stderr(&out));
}

/// GET_KV_CONFIG of `namespace`/`key` on the name server at `addr`; `None` when it has none.
fn kv_config(addr: std::net::SocketAddr, namespace: &str, key: &str) -> Option<String> {
    use rmqctl::remoting::headers::{GetKvConfigResponseHeader, KvConfigKeyHeader};
    let req =
        RemotingCommand::request(RequestCode::GET_KV_CONFIG).with_header(&KvConfigKeyHeader {
            namespace: namespace.into(),
            key: key.into(),
        });
    let r = common::cluster::invoke_blocking(addr, req).expect("GET_KV_CONFIG answered");
    r.is_success()
        .then(|| r.header::<GetKvConfigResponseHeader>().ok()?.value)
        .flatten()
}

/// README: `topic create --order` also writes ORDER_TOPIC_CONFIG to every name server.
#[test]
fn order_topic_config_is_written_to_every_name_server() {
    let c = cluster();
    let dir = tempfile::tempdir().unwrap();
    let second = common::start_namesrv(dir.path(), 120_000);
    let both = format!("{};{}", c.ns(), second.addr);
    let out = rmqctl(&[
        "topic", "create", "-t", "Ordered", "-r", "4", "-w", "4", "--order", "-n", &both,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for ns in [c.servers.namesrv.addr, second.addr] {
        assert_eq!(
            kv_config(ns, "ORDER_TOPIC_CONFIG", "Ordered").as_deref(),
            Some("broker-a:4"),
            "name server {ns}"
        );
    }
    // Without --order nothing is written.
    c.ok(&["topic", "create", "-t", "Unordered"]);
    assert_eq!(
        kv_config(c.servers.namesrv.addr, "ORDER_TOPIC_CONFIG", "Unordered"),
        None
    );
}

/// README: `cluster status` exits 1 when any broker did not answer, and still shows the others.
#[test]
fn cluster_status_exits_1_when_a_broker_does_not_answer() {
    let c = cluster();
    // A second broker registered (its registration connection held open, or the name server
    // would drop it) at an address where nothing listens.
    let gone = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .to_string();
    let _registration =
        common::cluster::register_fake_broker(c.servers.namesrv.addr, "broker-z", &gone);
    let (code, out, err) = c.run(&["cluster", "status", "-o", "json"]);
    assert_eq!(code, 1, "{err}\n{out}");
    let status: Value = serde_json::from_str(&out).unwrap();
    let brokers = status["brokers"].as_array().unwrap();
    let by_name = |name: &str| {
        brokers
            .iter()
            .find(|b| b["broker_name"] == name)
            .unwrap_or_else(|| panic!("no {name} in {status}"))
            .clone()
    };
    let a = by_name("broker-a");
    assert!(a["error"].is_null(), "{status}");
    assert!(a["version"].is_string(), "{status}");
    let z = by_name("broker-z");
    assert!(
        z["error"].as_str().is_some_and(|e| e.contains(&gone)),
        "{status}"
    );
    let (code, table, err) = c.run(&["cluster", "status"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        table.contains("broker-a") && table.contains("broker-z"),
        "{table}"
    );
}

/// README: `cluster status --watch [SECS]` refreshes every SECS seconds until interrupted.
#[test]
fn cluster_status_watch_refreshes_until_stopped() {
    let c = cluster();
    let mut child = common::rmqctl_command()
        .args([
            "cluster",
            "status",
            "--watch",
            "1",
            "-o",
            "json",
            "-n",
            &c.ns(),
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for v in serde_json::Deserializer::from_reader(stdout).into_iter::<Value>() {
            if tx.send(v).is_err() {
                return;
            }
        }
    });
    for refresh in 0..3 {
        let v = rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .unwrap_or_else(|e| panic!("refresh {refresh} of --watch: {e}"))
            .expect("each refresh is a JSON document");
        assert_eq!(v["brokers"][0]["broker_name"], "broker-a", "{v}");
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "--watch stopped by itself"
    );
    child.kill().unwrap();
    child.wait().unwrap();
}

/// README: `message send (--body TEXT | --file FILE|-)`: the body is the file's bytes, or stdin.
#[test]
fn message_send_takes_the_body_from_a_file_or_stdin() {
    let c = cluster();
    c.create_topic("Files", 1);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("body.txt");
    std::fs::write(&file, "line one\nline two\n").unwrap();
    let sent = c.json(&[
        "message",
        "send",
        "-t",
        "Files",
        "--file",
        file.to_str().unwrap(),
    ]);
    assert_eq!(sent["status"], "SEND_OK", "{sent}");
    let mut child = common::rmqctl_command()
        .args([
            "message",
            "send",
            "-t",
            "Files",
            "--file",
            "-",
            "-n",
            &c.ns(),
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"from stdin")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let consumed = c.json(&["message", "consume", "-t", "Files"]);
    assert_eq!(
        column(&consumed, "messages", "body"),
        ["line one\nline two\n", "from stdin"].map(Value::from),
        "{consumed}"
    );
    let (code, _, err) = c.run(&[
        "message",
        "send",
        "-t",
        "Files",
        "--file",
        "/nonexistent/body",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("/nonexistent/body"), "{err}");
}

/// README: `group describe` lists the group's online clients (the broker's `Connection` objects,
/// camelCase). A C++-shaped heartbeat puts one online; its connection stays open meanwhile.
#[test]
fn group_describe_lists_online_clients() {
    let c = cluster();
    c.create_topic("Described", 4);
    c.commit("OnlineGroup", "Described", &[(0, 0)]);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let client = RemotingClient::default();
    let body = r#"{"clientID":"127.0.0.1@online-1","consumerDataSet":[{"consumeFromWhere":0,"consumeType":1,"groupName":"OnlineGroup","messageModel":1,"subscriptionDataSet":[{"codeSet":[],"subString":"*","subVersion":"1700000000000","tagsSet":[],"topic":"Described"}]}]}"#;
    let mut heartbeat = RemotingCommand::request(RequestCode::HEART_BEAT).with_body(body);
    heartbeat.language = Some(rmqctl::remoting::LanguageCode::CPP);
    heartbeat.version = 63;
    let r = runtime
        .block_on(client.invoke(&c.broker_addr(), heartbeat, wire::TIMEOUT))
        .unwrap();
    assert_eq!(r.code, 0, "{r:?}");
    let described = c.json(&["group", "describe", "-g", "OnlineGroup"]);
    let clients = described["clients"].as_array().expect("clients");
    assert_eq!(clients.len(), 1, "{described}");
    let online = &clients[0];
    assert_eq!(online["clientId"], "127.0.0.1@online-1", "{described}");
    assert_eq!(online["language"], "CPP", "{described}");
    assert_eq!(online["version"], 63, "{described}");
    assert!(
        online["clientAddr"]
            .as_str()
            .is_some_and(|a| a.starts_with("127.0.0.1:")),
        "{described}"
    );
    let table = c.ok(&["group", "describe", "-g", "OnlineGroup"]);
    assert!(table.contains("127.0.0.1@online-1"), "{table}");
    drop(client);
}
