//! The gateway's Prometheus metrics, shared by the HTTP side (requests, sends) and the delivery
//! side (deliveries by outcome, retries, dead letters, delivery latency), served as text by
//! `GET /metrics`. Built on the Prometheus project's `prometheus-client`; label values are enums,
//! so counting allocates nothing.

use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use std::time::Duration;

/// Prefix of every metric name.
pub const PREFIX: &str = "rmq_gateway";

/// Which endpoint a request was for (unknown paths count as `other`).
#[derive(Debug, Clone, Copy, Hash, PartialEq, Eq, EncodeLabelValue)]
#[allow(non_camel_case_types)] // label values are what Prometheus shows: snake_case
pub enum Endpoint {
    send,
    topic_messages,
    healthz,
    metrics,
    other,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    endpoint: Endpoint,
    code: u16,
}

/// What became of one send to a broker (`SEND_OK`, a degraded status, or why it failed).
#[derive(Debug, Clone, Copy, Hash, PartialEq, Eq, EncodeLabelValue)]
#[allow(non_camel_case_types)] // label values: RocketMQ's status names, snake_case otherwise
pub enum SendStatus {
    SEND_OK,
    FLUSH_DISK_TIMEOUT,
    FLUSH_SLAVE_TIMEOUT,
    SLAVE_NOT_AVAILABLE,
    /// No broker or name server could be reached, or every broker was busy (HTTP 503).
    unavailable,
    /// A broker refused the message (HTTP 502, or 400 for an illegal message).
    refused,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SendLabels {
    status: SendStatus,
}

/// How one callback delivery ended.
#[derive(Debug, Clone, Copy, Hash, PartialEq, Eq, EncodeLabelValue)]
#[allow(non_camel_case_types)]
pub enum DeliveryOutcome {
    /// HTTP 2xx with the body `success`: acknowledged.
    success,
    /// HTTP 2xx with the body `error` or any other body.
    error,
    /// A status other than 2xx.
    http_status,
    /// No answer within the delivery timeout.
    timeout,
    /// The connection failed (refused, reset, TLS, DNS).
    unreachable,
    /// The backurl is no longer allowed (the allow-list changed) or not a usable URL.
    refused,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct DeliveryLabels {
    outcome: DeliveryOutcome,
}

/// Every metric of one gateway process; share it as `Arc<GatewayMetrics>`.
pub struct GatewayMetrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    sends: Family<SendLabels, Counter>,
    send_latency: Histogram,
    deliveries: Family<DeliveryLabels, Counter>,
    retries: Counter,
    dead_letters: Counter,
    delivery_latency: Histogram,
}

impl Default for GatewayMetrics {
    fn default() -> Self {
        Self::new()
    }
}

/// Latency buckets in seconds: 0.25 ms to about 16 s, doubling.
fn latency_buckets() -> impl Iterator<Item = f64> {
    exponential_buckets(0.000_25, 2.0, 17)
}

impl GatewayMetrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix(PREFIX);
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by endpoint and status code",
            requests.clone(),
        );
        let sends = Family::<SendLabels, Counter>::default();
        registry.register(
            "sends",
            "Messages sent to brokers, by send status (or why the send failed)",
            sends.clone(),
        );
        let send_latency = Histogram::new(latency_buckets());
        registry.register(
            "send_latency_seconds",
            "Time from the HTTP request's arrival to the broker's answer, for sends that reached a broker",
            send_latency.clone(),
        );
        let deliveries = Family::<DeliveryLabels, Counter>::default();
        registry.register(
            "deliveries",
            "Callback deliveries to backurls and subscription URLs, by outcome",
            deliveries.clone(),
        );
        let retries = Counter::default();
        registry.register(
            "delivery_retries",
            "Messages sent back to the broker for a later redelivery after a failed callback",
            retries.clone(),
        );
        let dead_letters = Counter::default();
        registry.register(
            "dead_letters",
            "Messages moved to the group's %DLQ% topic after maxReconsumeTimes failed callbacks",
            dead_letters.clone(),
        );
        let delivery_latency = Histogram::new(latency_buckets());
        registry.register(
            "delivery_latency_seconds",
            "Time of one callback POST, from sending it to its answer (or failure)",
            delivery_latency.clone(),
        );
        GatewayMetrics {
            registry,
            requests,
            sends,
            send_latency,
            deliveries,
            retries,
            dead_letters,
            delivery_latency,
        }
    }

    /// An HTTP request was answered with `code`.
    pub fn request_answered(&self, endpoint: Endpoint, code: u16) {
        self.requests
            .get_or_create(&RequestLabels { endpoint, code })
            .inc();
    }

    /// A send ended with `status`; `latency` when a broker answered.
    pub fn send_done(&self, status: SendStatus, latency: Option<Duration>) {
        self.sends.get_or_create(&SendLabels { status }).inc();
        if let Some(latency) = latency {
            self.send_latency.observe(latency.as_secs_f64());
        }
    }

    /// A callback answered `success` after `latency`.
    pub fn delivery_succeeded(&self, latency: Duration) {
        self.delivery_ended(DeliveryOutcome::success, latency);
    }

    /// A callback failed (`outcome` says how) after `latency`.
    pub fn delivery_failed(&self, outcome: DeliveryOutcome, latency: Duration) {
        self.delivery_ended(outcome, latency);
    }

    fn delivery_ended(&self, outcome: DeliveryOutcome, latency: Duration) {
        self.deliveries
            .get_or_create(&DeliveryLabels { outcome })
            .inc();
        self.delivery_latency.observe(latency.as_secs_f64());
    }

    /// A callback attempt failed; the delivery side reports failures without their duration, so
    /// they are counted but not put in the latency histogram (which then holds successes).
    pub fn delivery_attempt_failed(&self, outcome: DeliveryOutcome) {
        self.deliveries
            .get_or_create(&DeliveryLabels { outcome })
            .inc();
    }

    /// A failed message was sent back for redelivery (CONSUMER_SEND_MSG_BACK).
    pub fn delivery_retried(&self) {
        self.retries.inc();
    }

    /// A message went to the dead-letter queue.
    pub fn dead_lettered(&self) {
        self.dead_letters.inc();
    }

    /// Everything in the Prometheus text format (version 0.0.4 compatible, `# EOF` last).
    pub fn encode(&self) -> String {
        let mut text = String::with_capacity(4096);
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.registry);
        text
    }
}

/// The delivery side reports into these metrics.
impl crate::gateway::delivery::DeliveryEvents for GatewayMetrics {
    fn on_success(&self, latency: Duration) {
        self.delivery_succeeded(latency);
    }

    fn on_failure(&self, failure: &crate::gateway::callback_client::CallbackFailure) {
        use crate::gateway::callback_client::CallbackFailure as F;
        let outcome = match failure {
            F::Refused(_) => DeliveryOutcome::refused,
            F::HostBusy(_) | F::Timeout(_) => DeliveryOutcome::timeout,
            F::Connect(_) => DeliveryOutcome::unreachable,
            F::Status(_) => DeliveryOutcome::http_status,
            F::Body(_) | F::Other(_) => DeliveryOutcome::error,
        };
        self.delivery_attempt_failed(outcome);
    }

    fn on_retry(&self) {
        self.delivery_retried();
    }

    fn on_dead_letter(&self) {
        self.dead_lettered();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_show_in_the_text() {
        let m = GatewayMetrics::new();
        m.request_answered(Endpoint::send, 200);
        m.request_answered(Endpoint::send, 200);
        m.request_answered(Endpoint::send, 400);
        m.send_done(SendStatus::SEND_OK, Some(Duration::from_millis(2)));
        m.delivery_succeeded(Duration::from_millis(3));
        m.delivery_failed(DeliveryOutcome::timeout, Duration::from_secs(5));
        m.delivery_retried();
        m.dead_lettered();
        let text = m.encode();
        assert!(
            text.contains(r#"rmq_gateway_http_requests_total{endpoint="send",code="200"} 2"#),
            "{text}"
        );
        assert!(text.contains(r#"rmq_gateway_http_requests_total{endpoint="send",code="400"} 1"#));
        assert!(text.contains(r#"rmq_gateway_sends_total{status="SEND_OK"} 1"#));
        assert!(text.contains(r#"rmq_gateway_deliveries_total{outcome="success"} 1"#));
        assert!(text.contains(r#"rmq_gateway_deliveries_total{outcome="timeout"} 1"#));
        assert!(text.contains("rmq_gateway_delivery_retries_total 1"));
        assert!(text.contains("rmq_gateway_dead_letters_total 1"));
        assert!(text.contains("rmq_gateway_delivery_latency_seconds_count 2"));
        assert!(text.contains("rmq_gateway_send_latency_seconds_count 1"));
        assert!(text.trim_end().ends_with("# EOF"));
    }
}
