//! `rmqctl gateway` as a running service: check gateway.toml, make sure the send topic exists,
//! start the shared producer and the HTTP listener, start the background work the caller hands
//! in (callback delivery), then on SIGTERM stop accepting, finish the requests and deliveries in
//! progress, and return.

use super::allow_list::AllowList;
use super::config::GatewayConfig;
use super::metrics::GatewayMetrics;
use super::producer::{DegradedAccepted, Producer};
use super::routes::{self, GatewayState};
use super::server::{HttpListener, ListenError, DRAIN_LIMIT};
use super::tokens::BearerTokens;
use crate::admin::topics::TopicSpec;
use crate::admin::Admin;
use crate::remoting::server::Termination;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// Queues of the send topic when the gateway creates it (on each master).
pub const TOPIC_QUEUES: i32 = 8;
/// How often creating the send topic is tried again while the cluster cannot be reached.
const TOPIC_RETRY: Duration = Duration::from_secs(5);

/// What background work gets from the service: the checked configuration, the cluster session
/// (name servers, client with TLS and ACL signing), the shared metrics, and the token cancelled
/// on SIGTERM (finish what is in progress, then return).
#[derive(Clone)]
pub struct ServiceContext {
    pub config: Arc<GatewayConfig>,
    pub admin: Admin,
    pub metrics: Arc<GatewayMetrics>,
    pub shutdown: CancellationToken,
}

/// Starts one piece of background work (the delivery side) once the listener runs; the service
/// awaits the returned task after cancelling `shutdown` (up to [`DRAIN_LIMIT`]).
pub type BackgroundStart = Box<dyn FnOnce(&ServiceContext) -> JoinHandle<()> + Send>;

/// Why the gateway does not start.
#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    /// A mistake in gateway.toml or the flags (exit 2).
    #[error("gateway.toml: {0}")]
    Config(String),
    #[error(transparent)]
    Listen(#[from] ListenError),
}

/// The checked pieces of gateway.toml the HTTP side uses.
struct Checked {
    allow_list: AllowList,
    tokens: BearerTokens,
    degraded: DegradedAccepted,
}

fn check(config: &GatewayConfig) -> Result<Checked, GatewayError> {
    crate::admin::topics::validate_topic_name(&config.topic)
        .map_err(|e| GatewayError::Config(format!("topic: {e}")))?;
    let allow_list = AllowList::parse(&config.allow_callbacks)
        .map_err(|e| GatewayError::Config(e.to_string()))?;
    let tokens = BearerTokens::new(&config.tokens).map_err(GatewayError::Config)?;
    let degraded = DegradedAccepted::parse(&config.accept_degraded).map_err(|name| {
        GatewayError::Config(format!(
            "accept_degraded: {name:?} is not a degraded send status; use FLUSH_DISK_TIMEOUT, FLUSH_SLAVE_TIMEOUT or SLAVE_NOT_AVAILABLE"
        ))
    })?;
    if config.max_body_bytes == 0 {
        return Err(GatewayError::Config(
            "max_body_bytes: 0 would refuse every request; leave it out for 4 MiB".into(),
        ));
    }
    Ok(Checked {
        allow_list,
        tokens,
        degraded,
    })
}

/// A started gateway.
pub struct RunningGateway {
    /// Where the HTTP listener is bound.
    pub local_addr: SocketAddr,
    pub context: ServiceContext,
    server: JoinHandle<()>,
    tasks: Vec<JoinHandle<()>>,
}

/// Start everything; returns once the listener accepts connections.
pub async fn start(
    config: GatewayConfig,
    admin: Admin,
    background: Vec<BackgroundStart>,
) -> Result<RunningGateway, GatewayError> {
    let checked = check(&config)?;
    if checked.allow_list.is_empty() {
        tracing::warn!("allow_callbacks is empty: every POST /send is refused with 403 until gateway.toml lists the callback URL prefixes allowed");
    }
    let config = Arc::new(config);
    let metrics = Arc::new(GatewayMetrics::new());
    let shutdown = CancellationToken::new();
    // Bind (and load the TLS files) before touching the cluster: a bad [tls] or a taken port
    // stops the start before anything is created.
    let listener = HttpListener::bind(&config.listen, config.tls.as_ref()).await?;
    let producer = Producer::new(admin.clone(), &config.topic, checked.degraded);
    let mut tasks = vec![
        prepare_topic(&admin, &producer, &config.topic, shutdown.clone()).await,
        producer.spawn_route_refresh(shutdown.clone()),
    ];
    let local_addr = listener.local_addr().map_err(|source| ListenError::Bind {
        addr: config.listen.clone(),
        source,
    })?;
    let tls = listener.is_tls();
    let state = Arc::new(GatewayState {
        producer,
        metrics: metrics.clone(),
        allow_list: checked.allow_list,
        tokens: checked.tokens,
        default_topic: config.topic.clone(),
        max_body_bytes: config.max_body_bytes,
    });
    let server = listener.serve(routes::router(state), shutdown.clone());
    tracing::info!(addr = %local_addr, tls, topic = %config.topic, namesrv = %admin.namesrvs.joined(), "gateway listening");
    let context = ServiceContext {
        config,
        admin,
        metrics,
        shutdown,
    };
    // ---- Background work starts here: callback delivery (gateway::delivery) and the
    // [[subscription]] pushes are handed in by the `rmqctl gateway` command as `background`
    // (see cli::gateway_cmd); each gets the context above and must return once
    // `context.shutdown` is cancelled, after finishing the deliveries in progress.
    tasks.extend(background.into_iter().map(|start| start(&context)));
    Ok(RunningGateway {
        local_addr,
        context,
        server,
        tasks,
    })
}

impl RunningGateway {
    /// Stop: no new connections; requests, deliveries and sends in progress finish (each
    /// waited for up to [`DRAIN_LIMIT`]).
    pub async fn stop(self) {
        self.context.shutdown.cancel();
        let _ = self.server.await;
        for task in self.tasks {
            if tokio::time::timeout(DRAIN_LIMIT, task).await.is_err() {
                tracing::warn!(limit = ?DRAIN_LIMIT, "a background task did not stop in time");
            }
        }
        tracing::info!("gateway stopped");
    }
}

/// Run until SIGTERM or Ctrl-C, then stop gracefully.
pub async fn run(
    config: GatewayConfig,
    admin: Admin,
    background: Vec<BackgroundStart>,
) -> Result<(), GatewayError> {
    let termination = Termination::listen();
    let gateway = start(config, admin, background).await?;
    termination.received().await;
    tracing::info!("shutting down");
    gateway.stop().await;
    Ok(())
}

/// Create the send topic on every master that lacks it and load its route; when the cluster
/// cannot be reached, say so and keep trying in the background (sends answer 503 meanwhile).
async fn prepare_topic(
    admin: &Admin,
    producer: &Producer,
    topic: &str,
    shutdown: CancellationToken,
) -> JoinHandle<()> {
    let spec = TopicSpec {
        topic: topic.to_string(),
        read_queues: TOPIC_QUEUES,
        write_queues: TOPIC_QUEUES,
        perm: 6,
        order: false,
    };
    if ensure_topic(admin, producer, &spec).await {
        return tokio::spawn(async {});
    }
    let admin = admin.clone();
    let producer = producer.clone();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = tokio::time::sleep(TOPIC_RETRY) => {}
            }
            if ensure_topic(&admin, &producer, &spec).await {
                return;
            }
        }
    })
}

async fn ensure_topic(admin: &Admin, producer: &Producer, spec: &TopicSpec) -> bool {
    match admin.topic_create_missing(spec).await {
        Ok(outcomes) => {
            for o in outcomes {
                tracing::info!(topic = %spec.topic, broker = %o.broker_name, addr = %o.addr, status = ?o.status, "send topic");
            }
            if let Err(e) = producer.load_route(&spec.topic).await {
                tracing::warn!(topic = %spec.topic, error = %e, "send topic created but its route is not readable yet");
            }
            true
        }
        Err(e) => {
            tracing::warn!(topic = %spec.topic, error = %e, retry_in = ?TOPIC_RETRY, "cannot make sure the send topic exists; sends answer 503 until the cluster answers");
            false
        }
    }
}
