//! The report of `rmqctl bench produce|consume`: one metric per row.

use super::{finish, table, Report};
use crate::bench::BenchReport;

impl Report for BenchReport {
    fn text(&self) -> String {
        let latency = if self.mode == "produce" {
            "send latency ms"
        } else {
            "pull latency ms"
        };
        let l = &self.latency_ms;
        let rows: Vec<(&str, String)> = vec![
            ("mode", self.mode.to_string()),
            ("broker", self.broker.clone()),
            ("topic", self.topic.clone()),
            (
                "connections / workers",
                format!("{} / {}", self.connections, self.workers),
            ),
            (
                "message size / batch",
                format!("{} B / {}", self.message_size, self.batch),
            ),
            ("seconds", format!("{:.2}", self.seconds)),
            ("messages", self.messages.to_string()),
            ("errors", self.errors.to_string()),
            (
                "stored, not SEND_OK",
                format!(
                    "{} (flush or slave timeout, slave not available)",
                    self.degraded
                ),
            ),
            ("messages/s", format!("{:.0}", self.msgs_per_sec)),
            ("MiB/s", format!("{:.1}", self.mib_per_sec)),
            (
                latency,
                format!(
                    "p50 {:.3}  p99 {:.3}  p999 {:.3}  max {:.3}",
                    l.p50, l.p99, l.p999, l.max
                ),
            ),
        ];
        let mut t = table(&["metric", "value"]);
        for (k, v) in rows {
            t.add_row(vec![k.to_string(), v]);
        }
        finish(&t)
    }
}
