//! The HTTP client of callback deliveries: one POST per message with the message's body as JSON
//! and `X-Rmq-Msg-Id` / `X-Rmq-Reconsume-Times` headers; `success` (2xx with that body) is the
//! only success. Redirects are not followed, proxies from the environment are ignored, every
//! request has a timeout, and each callback host (host:port) has a bounded number of requests
//! in flight; a message that waits longer than the request timeout for one of its host's slots
//! fails as "host busy" and is redelivered later, so a slow endpoint neither takes the others'
//! capacity nor keeps its messages (and so its queues) waiting without end.
//! Names are resolved here and addresses the allow-list refuses (loopback, link-local,
//! metadata; the DNS-rebinding case) are never connected to.

use super::allow_list::AllowList;
use super::config::DeliveryConfig;
use crate::locks::lock;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;

/// Longest response body read: `success` and a little whitespace is all that counts.
const MAX_ANSWER_BYTES: usize = 1024;

/// Why a callback did not succeed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallbackFailure {
    #[error("{0}")]
    Refused(String),
    #[error("no free slot of the callback host {0} within the timeout (slow or hanging endpoint); redelivered later")]
    HostBusy(String),
    #[error("timed out after {0:?}")]
    Timeout(Duration),
    #[error("cannot connect: {0}")]
    Connect(String),
    #[error("answered HTTP {0}")]
    Status(u16),
    #[error("answered {0:?} instead of \"success\"")]
    Body(String),
    #[error("{0}")]
    Other(String),
}

impl CallbackFailure {
    /// A short label for metrics.
    pub fn kind(&self) -> &'static str {
        match self {
            CallbackFailure::Refused(_) => "refused",
            CallbackFailure::HostBusy(_) => "host_busy",
            CallbackFailure::Timeout(_) => "timeout",
            CallbackFailure::Connect(_) => "connect",
            CallbackFailure::Status(_) => "status",
            CallbackFailure::Body(_) => "body",
            CallbackFailure::Other(_) => "other",
        }
    }
}

pub struct CallbackClient {
    http: reqwest::Client,
    allow: Arc<AllowList>,
    /// The slots of each callback host (`host:port`).
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
    per_host: usize,
    timeout: Duration,
}

/// One delivery attempt.
pub struct Callback<'a> {
    pub url: &'a str,
    pub msg_id: &'a str,
    pub reconsume_times: i32,
    pub body: bytes::Bytes,
}

/// Why the callback client cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum CallbackClientError {
    #[error("[delivery] ca: {0}")]
    Ca(#[from] crate::remoting::tls::pem_files::PemError),
    #[error("[delivery] ca {path}: {reason}")]
    CaCertificate { path: String, reason: String },
    #[error("cannot build the callback HTTP client: {0}")]
    Build(#[from] reqwest::Error),
}

/// The extra roots of `[delivery] ca` (none without it), checked as the client will use them.
pub fn extra_roots(
    config: &DeliveryConfig,
) -> Result<Vec<reqwest::Certificate>, CallbackClientError> {
    let Some(path) = &config.ca else {
        return Ok(Vec::new());
    };
    crate::remoting::tls::pem_files::load_certs("[delivery] ca", path)?
        .iter()
        .map(|der| {
            reqwest::Certificate::from_der(der.as_ref()).map_err(|e| {
                CallbackClientError::CaCertificate {
                    path: path.display().to_string(),
                    reason: e.to_string(),
                }
            })
        })
        .collect()
}

impl CallbackClient {
    pub fn new(
        allow: Arc<AllowList>,
        config: &DeliveryConfig,
    ) -> Result<Self, CallbackClientError> {
        let timeout = Duration::from_millis(config.timeout_ms.max(1));
        let mut builder = reqwest::Client::builder();
        for root in extra_roots(config)? {
            builder = builder.add_root_certificate(root);
        }
        let http = builder
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .connect_timeout(timeout)
            .timeout(timeout)
            .pool_max_idle_per_host(config.per_host_concurrency.max(1))
            .dns_resolver(Arc::new(GuardedResolver {
                allow: allow.clone(),
            }))
            .user_agent(concat!("rmqctl-gateway/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(CallbackClient {
            http,
            allow,
            hosts: Mutex::new(HashMap::new()),
            per_host: config.per_host_concurrency.max(1),
            timeout,
        })
    }

    /// POST one callback; Ok only for a 2xx answer whose body is `success`, with the time the
    /// request took (from sending it to the answer's end, without the wait for a host slot).
    pub async fn post(&self, call: Callback<'_>) -> Result<Duration, CallbackFailure> {
        let url = self
            .allow
            .check(call.url)
            .map_err(|e| CallbackFailure::Refused(e.to_string()))?;
        let parsed =
            reqwest::Url::parse(&url).map_err(|e| CallbackFailure::Refused(e.to_string()))?;
        let host = format!(
            "{}:{}",
            parsed.host_str().unwrap_or_default(),
            parsed.port_or_known_default().unwrap_or(0)
        );
        let slots = self.slots(&host);
        let _slot = match tokio::time::timeout(self.timeout, slots.acquire_owned()).await {
            Ok(permit) => permit.map_err(|e| CallbackFailure::Other(e.to_string()))?,
            Err(_) => return Err(CallbackFailure::HostBusy(host)),
        };
        let request = self
            .http
            .post(parsed)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("X-Rmq-Msg-Id", call.msg_id)
            .header("X-Rmq-Reconsume-Times", call.reconsume_times.to_string())
            .body(call.body);
        let sent = std::time::Instant::now();
        let response = request.send().await.map_err(|e| self.failure(&e))?;
        let status = response.status();
        let answer = read_answer(response).await.map_err(|e| self.failure(&e))?;
        if !status.is_success() {
            return Err(CallbackFailure::Status(status.as_u16()));
        }
        if answer.trim() == "success" {
            Ok(sent.elapsed())
        } else {
            Err(CallbackFailure::Body(answer.chars().take(64).collect()))
        }
    }

    fn slots(&self, host: &str) -> Arc<Semaphore> {
        lock(&self.hosts)
            .entry(host.to_owned())
            .or_insert_with(|| Arc::new(Semaphore::new(self.per_host)))
            .clone()
    }

    fn failure(&self, e: &reqwest::Error) -> CallbackFailure {
        if e.is_timeout() {
            CallbackFailure::Timeout(self.timeout)
        } else if e.is_connect() {
            CallbackFailure::Connect(error_chain(e))
        } else {
            CallbackFailure::Other(error_chain(e))
        }
    }
}

/// The first bytes of the answer (a longer one cannot be `success`).
async fn read_answer(mut response: reqwest::Response) -> Result<String, reqwest::Error> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_ANSWER_BYTES {
            break;
        }
    }
    Ok(String::from_utf8_lossy(&body).into_owned())
}

/// An error with its sources (reqwest's own text is often just "error sending request").
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// Resolves callback host names and drops addresses the allow-list refuses, so the connection
/// goes only to addresses that were checked (no second lookup an attacker's DNS could answer
/// differently).
struct GuardedResolver {
    allow: Arc<AllowList>,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow = self.allow.clone();
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let permitted: Vec<SocketAddr> = found
                .iter()
                .copied()
                .filter(|a| allow.permits_addr(&host, a.ip()))
                .collect();
            if permitted.is_empty() {
                let refused = std::io::Error::new(
                    std::io::ErrorKind::PermissionDenied,
                    format!(
                        "callback host {host} resolves only to refused addresses {found:?} \
                         (loopback, link-local and metadata addresses need an allow_callbacks \
                         entry that names them)"
                    ),
                );
                return Err(Box::new(refused) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(permitted.into_iter()) as Addrs)
        })
    }
}
