//! The gateway's HTTP endpoints (an axum `Router`): `POST /send`, `POST /topics/{topic}/messages`,
//! `GET /healthz` and `GET /metrics`. Every answer of the send endpoints is JSON
//! `{"status": "success"|"error", "msg": ...}`, with `msg_id` once a broker stored the message.

use super::allow_list::AllowList;
use super::metrics::{Endpoint, GatewayMetrics, SendStatus};
use super::producer::{GatewayMessage, Producer, SendError};
use super::send_request::{self, MessageHeaders, RequestRefused};
use super::tokens::BearerTokens;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use bytes::Bytes;
use serde::Serialize;
use std::sync::Arc;
use std::time::Instant;

/// Everything the handlers share.
pub struct GatewayState {
    pub producer: Producer,
    pub metrics: Arc<GatewayMetrics>,
    pub allow_list: AllowList,
    pub tokens: BearerTokens,
    /// Topic of `/send` messages without a `topic` field.
    pub default_topic: String,
    pub max_body_bytes: usize,
}

/// The router of every endpoint.
pub fn router(state: Arc<GatewayState>) -> Router {
    Router::new()
        .route("/send", post(send))
        .route("/topics/{topic}/messages", post(topic_message))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .fallback(not_found)
        .with_state(state)
}

/// The JSON answer of the send endpoints.
#[derive(Serialize)]
struct Answer<'a> {
    status: &'static str,
    msg: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    msg_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    topic: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    broker_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    queue_id: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    queue_offset: Option<i64>,
}

impl<'a> Answer<'a> {
    fn error(msg: &'a str) -> Self {
        Answer {
            status: "error",
            msg,
            msg_id: None,
            topic: None,
            broker_name: None,
            queue_id: None,
            queue_offset: None,
        }
    }
}

fn json_response(code: u16, body: &impl Serialize) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    // Serialising these plain structs cannot fail; an empty object would still be JSON.
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    let mut response = (status, bytes).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

fn error_response(code: u16, msg: &str) -> Response {
    let mut response = json_response(code, &Answer::error(msg));
    if code == 401 {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response
}

/// Count the answer and hand it on.
fn counted(metrics: &GatewayMetrics, endpoint: Endpoint, response: Response) -> Response {
    metrics.request_answered(endpoint, response.status().as_u16());
    response
}

/// Why a request did not become a message.
enum Refusal {
    Unauthorized(String),
    Request(RequestRefused),
}

impl Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::Unauthorized(msg) => error_response(401, &msg),
            Refusal::Request(r) => error_response(r.http_status(), &r.to_string()),
        }
    }
}

/// The token check and the body, read up to the cap.
async fn admitted_body(state: &GatewayState, request: Request) -> Result<Bytes, Refusal> {
    let authorization = request
        .headers()
        .get(header::AUTHORIZATION)
        .map(HeaderValue::as_bytes);
    state
        .tokens
        .check(authorization)
        .map_err(|e| Refusal::Unauthorized(e.to_string()))?;
    read_body(request, state.max_body_bytes)
        .await
        .map_err(Refusal::Request)
}

/// The request body, refused (400) when it is larger than `max` bytes.
async fn read_body(request: Request, max: usize) -> Result<Bytes, RequestRefused> {
    let over = |size: String| {
        RequestRefused::Bad(format!(
            "the request body of {size} is over the gateway's limit of {max} bytes (max_body_bytes)"
        ))
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if let Some(length) = declared.filter(|l| *l > max as u64) {
        return Err(over(format!("{length} bytes")));
    }
    axum::body::to_bytes(request.into_body(), max)
        .await
        .map_err(|e| {
            let inner = e.into_inner();
            if inner
                .downcast_ref::<http_body_util::LengthLimitError>()
                .is_some()
            {
                over("more bytes".into())
            } else {
                RequestRefused::Bad(format!("cannot read the request body: {inner}"))
            }
        })
}

async fn send(State(state): State<Arc<GatewayState>>, request: Request) -> Response {
    let started = Instant::now();
    let response = match admitted_body(&state, request).await {
        Err(refusal) => refusal.into_response(),
        Ok(body) => {
            match send_request::parse_send(&body, &state.default_topic, &state.allow_list) {
                Err(refused) => error_response(refused.http_status(), &refused.to_string()),
                Ok(message) => send_message(&state, &message, started).await,
            }
        }
    };
    counted(&state.metrics, Endpoint::send, response)
}

async fn topic_message(
    State(state): State<Arc<GatewayState>>,
    Path(topic): Path<String>,
    request: Request,
) -> Response {
    let started = Instant::now();
    let headers = request.headers().clone();
    let response = match admitted_body(&state, request).await {
        Err(refusal) => refusal.into_response(),
        Ok(body) => match message_headers(&headers)
            .and_then(|h| send_request::parse_topic_message(&topic, &h, body))
        {
            Err(refused) => error_response(refused.http_status(), &refused.to_string()),
            Ok(message) => send_message(&state, &message, started).await,
        },
    };
    counted(&state.metrics, Endpoint::topic_messages, response)
}

/// The `X-Rmq-*` headers; a value that is not visible ASCII/UTF-8 is refused.
fn message_headers(headers: &HeaderMap) -> Result<MessageHeaders<'_>, RequestRefused> {
    let text = header_text;
    let mut out = MessageHeaders::default();
    let mut tags = headers.get_all(send_request::TAGS_HEADER).iter();
    if let Some(v) = tags.next() {
        out.tags = Some(text("X-Rmq-Tags", v)?);
    }
    if tags.next().is_some() {
        return Err(RequestRefused::Bad(
            "X-Rmq-Tags is given twice: a message has one tag".into(),
        ));
    }
    for v in headers.get_all(send_request::KEYS_HEADER) {
        out.keys.push(text("X-Rmq-Keys", v)?);
    }
    for v in headers.get_all(send_request::PROP_HEADER) {
        out.properties.push(text("X-Rmq-Prop", v)?);
    }
    Ok(out)
}

fn header_text<'a>(name: &str, value: &'a HeaderValue) -> Result<&'a str, RequestRefused> {
    value.to_str().map_err(|_| {
        RequestRefused::Bad(format!(
            "header {name}: only visible ASCII characters are accepted"
        ))
    })
}

async fn send_message(
    state: &GatewayState,
    message: &GatewayMessage,
    started: Instant,
) -> Response {
    match state.producer.send(message).await {
        Ok(receipt) => {
            state
                .metrics
                .send_done(receipt.status, Some(started.elapsed()));
            let status_name = status_name(receipt.status);
            json_response(
                200,
                &Answer {
                    status: "success",
                    msg: status_name,
                    msg_id: Some(&receipt.msg_id),
                    topic: Some(&message.topic),
                    broker_name: Some(&receipt.broker_name),
                    queue_id: Some(receipt.queue_id),
                    queue_offset: Some(receipt.queue_offset),
                },
            )
        }
        Err(e) => {
            let reached = matches!(e, SendError::Degraded { .. } | SendError::Refused(_));
            state
                .metrics
                .send_done(e.metric_status(), reached.then(|| started.elapsed()));
            // An outage fails every send: those (503) are counted in the metrics and logged
            // at debug only, so a busy gateway does not flood its log.
            if e.http_status() == 503 {
                tracing::debug!(topic = %message.topic, error = %e, "send failed");
            } else {
                tracing::warn!(topic = %message.topic, error = %e, "send failed");
            }
            let msg = e.to_string();
            let mut answer = Answer::error(&msg);
            if let SendError::Degraded { msg_id, .. } = &e {
                answer.msg_id = Some(msg_id);
            }
            json_response(e.http_status(), &answer)
        }
    }
}

fn status_name(status: SendStatus) -> &'static str {
    match status {
        SendStatus::SEND_OK => "SEND_OK",
        SendStatus::FLUSH_DISK_TIMEOUT => "FLUSH_DISK_TIMEOUT",
        SendStatus::FLUSH_SLAVE_TIMEOUT => "FLUSH_SLAVE_TIMEOUT",
        SendStatus::SLAVE_NOT_AVAILABLE => "SLAVE_NOT_AVAILABLE",
        SendStatus::unavailable => "unavailable",
        SendStatus::refused => "refused",
    }
}

async fn healthz(State(state): State<Arc<GatewayState>>) -> Response {
    let health = super::health::check(state.producer.admin(), &state.default_topic).await;
    let code = if health.healthy() { 200 } else { 503 };
    counted(
        &state.metrics,
        Endpoint::healthz,
        json_response(code, &health),
    )
}

async fn metrics(State(state): State<Arc<GatewayState>>) -> Response {
    let mut response = (StatusCode::OK, Body::from(state.metrics.encode())).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
    );
    counted(&state.metrics, Endpoint::metrics, response)
}

async fn not_found(State(state): State<Arc<GatewayState>>) -> Response {
    counted(
        &state.metrics,
        Endpoint::other,
        error_response(
            404,
            "no such endpoint: POST /send, POST /topics/{topic}/messages, GET /healthz, GET /metrics",
        ),
    )
}
