//! Gateway delivery end to end: real `rmqctl namesrv` + `rmqctl broker` processes (delay levels
//! shortened to 1 s by `messageDelayLevel`), messages sent with a `BACKURL` property,
//! `run_delivery` in this process, and real HTTP receivers (hyper on 127.0.0.1, named by the
//! allow-list). Covers: delivered once on success, redelivery with growing
//! `X-Rmq-Reconsume-Times`, the dead-letter topic, a receiver that is down for a while, a hanging
//! host that holds only its own slots, two members splitting the queues, and a restart that
//! resumes from the committed offsets. The SIGKILL-of-the-gateway test needs the `rmqctl gateway`
//! command (the HTTP side): see `sigkill_of_the_gateway_loses_nothing`.

use crate::common::cluster::Cluster;
use crate::common::wire::{pull_all, send_v2, TIMEOUT};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper::{Request, Response};
use rmqctl::admin::{namesrv_set::NamesrvSet, Admin};
use rmqctl::gateway::callback_client::CallbackFailure;
use rmqctl::gateway::config::{GatewayConfig, Subscription, SubscriptionStart};
use rmqctl::gateway::delivery::{run_delivery, DeliveryEvents, BACKURL_PROPERTY};
use rmqctl::protocol::message::Properties;
use rmqctl::remoting::client::RemotingClient;
use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

/// Every delay level 1 s, so redeliveries come quickly.
const FAST_DELAYS: &str = "messageDelayLevel=1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s";
/// Cap of every wait (debug builds on a busy 2-core machine).
const WAIT: Duration = Duration::from_secs(90);

/// What a receiver answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    Success,
    Error,
    Status500,
    /// Never answers.
    Hang,
}

/// One request a receiver got.
#[derive(Clone, Debug)]
pub struct Hit {
    pub msg_id: String,
    pub reconsume_times: i32,
    pub body: String,
    pub content_type: String,
}

type Behaviour = Arc<dyn Fn(&Hit, usize) -> Answer + Send + Sync>;

/// A real HTTP server on 127.0.0.1 that records every callback.
pub struct Receiver {
    pub addr: SocketAddr,
    /// Serves HTTPS (the URL says `https`).
    pub https: bool,
    pub hits: Arc<Mutex<Vec<Hit>>>,
    open: Arc<AtomicUsize>,
    pub max_open: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Receiver {
    /// On a free port; `behaviour(hit, earlier hits of the same id)` picks the answer.
    pub async fn start(behaviour: impl Fn(&Hit, usize) -> Answer + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        Self::serve(listener, Arc::new(behaviour))
    }

    /// An HTTPS receiver on a free port with the certificate and key of `tls`.
    pub async fn start_tls(
        tls: &rmqctl::gateway::config::ListenerTls,
        behaviour: impl Fn(&Hit, usize) -> Answer + Send + Sync + 'static,
    ) -> Self {
        let acceptor = rmqctl::gateway::server::tls_acceptor(tls).unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        Self::serve_with(listener, Arc::new(behaviour), Some(acceptor))
    }

    /// On `port` (a receiver that was down comes up there).
    pub async fn start_on(
        port: u16,
        behaviour: impl Fn(&Hit, usize) -> Answer + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", port)).await.unwrap();
        Self::serve(listener, Arc::new(behaviour))
    }

    fn serve(listener: TcpListener, behaviour: Behaviour) -> Self {
        Self::serve_with(listener, behaviour, None)
    }

    fn serve_with(
        listener: TcpListener,
        behaviour: Behaviour,
        tls: Option<tokio_rustls::TlsAcceptor>,
    ) -> Self {
        let https = tls.is_some();
        let addr = listener.local_addr().unwrap();
        let hits: Arc<Mutex<Vec<Hit>>> = Default::default();
        let open = Arc::new(AtomicUsize::new(0));
        let max_open = Arc::new(AtomicUsize::new(0));
        let state = (hits.clone(), open.clone(), max_open.clone(), behaviour);
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let state = state.clone();
                let tls = tls.clone();
                tokio::spawn(async move {
                    match tls {
                        Some(acceptor) => {
                            if let Ok(stream) = acceptor.accept(stream).await {
                                serve_http(stream, state).await;
                            }
                        }
                        None => serve_http(stream, state).await,
                    }
                });
            }
        });
        Receiver {
            addr,
            https,
            hits,
            open,
            max_open,
            task,
        }
    }

    pub fn url(&self) -> String {
        let scheme = if self.https { "https" } else { "http" };
        format!("{scheme}://{}/hook", self.addr)
    }

    pub fn hits(&self) -> Vec<Hit> {
        self.hits.lock().unwrap().clone()
    }

    pub fn open_now(&self) -> usize {
        self.open.load(Ordering::SeqCst)
    }
}

/// HTTP/1.1 on one accepted connection (plain or TLS).
async fn serve_http<S>(stream: S, state: ReceiverState)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service = service_fn(move |req| answer(req, state.clone()));
    let _ = hyper::server::conn::http1::Builder::new()
        .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
        .await;
}

type ReceiverState = (
    Arc<Mutex<Vec<Hit>>>,
    Arc<AtomicUsize>,
    Arc<AtomicUsize>,
    Behaviour,
);

async fn answer(
    req: Request<hyper::body::Incoming>,
    state: ReceiverState,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (hits, open, max_open, behaviour) = state;
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let msg_id = header("x-rmq-msg-id");
    let reconsume_times = header("x-rmq-reconsume-times").parse().unwrap_or(-1);
    let content_type = header("content-type");
    let body = req
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let hit = Hit {
        msg_id,
        reconsume_times,
        body: String::from_utf8_lossy(&body).into_owned(),
        content_type,
    };
    let now_open = open.fetch_add(1, Ordering::SeqCst) + 1;
    max_open.fetch_max(now_open, Ordering::SeqCst);
    let earlier = {
        let mut all = hits.lock().unwrap();
        let earlier = all.iter().filter(|h| h.msg_id == hit.msg_id).count();
        all.push(hit.clone());
        earlier
    };
    let decision = behaviour(&hit, earlier);
    let response = match decision {
        Answer::Success => Response::new(Full::new(Bytes::from_static(b"success"))),
        Answer::Error => Response::new(Full::new(Bytes::from_static(b"error"))),
        Answer::Status500 => {
            let mut r = Response::new(Full::new(Bytes::from_static(b"success")));
            *r.status_mut() = hyper::StatusCode::INTERNAL_SERVER_ERROR;
            r
        }
        Answer::Hang => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            Response::new(Full::new(Bytes::new()))
        }
    };
    open.fetch_sub(1, Ordering::SeqCst);
    Ok(response)
}

/// Counts of delivery events.
#[derive(Default)]
pub struct Counted {
    pub success: AtomicUsize,
    pub failure: AtomicUsize,
    pub retry: AtomicUsize,
    pub dead: AtomicUsize,
    pub failures: Mutex<Vec<String>>,
}

impl DeliveryEvents for Counted {
    fn on_success(&self, _latency: Duration) {
        self.success.fetch_add(1, Ordering::SeqCst);
    }
    fn on_failure(&self, failure: &CallbackFailure) {
        self.failure.fetch_add(1, Ordering::SeqCst);
        self.failures.lock().unwrap().push(failure.to_string());
    }
    fn on_retry(&self) {
        self.retry.fetch_add(1, Ordering::SeqCst);
    }
    fn on_dead_letter(&self) {
        self.dead.fetch_add(1, Ordering::SeqCst);
    }
}

/// A cluster with a 4-queue topic, and a way to send messages to it.
pub struct Setup {
    pub cluster: Cluster,
    pub topic: String,
    pub group: String,
    client: RemotingClient,
}

impl Setup {
    pub async fn new(tag: &str) -> Setup {
        let cluster = Cluster::single_with(FAST_DELAYS);
        let topic = format!("GW_{tag}");
        cluster.create_topic(&topic, 4).await;
        Setup {
            cluster,
            topic,
            group: format!("GW_{tag}_DELIVERY"),
            client: RemotingClient::default(),
        }
    }

    /// Delivery of `config` started in this process, with its event counts and its stop token.
    pub fn deliver(
        &self,
        config: &GatewayConfig,
    ) -> (Arc<Counted>, CancellationToken, tokio::task::JoinHandle<()>) {
        let events = Arc::new(Counted::default());
        let shutdown = CancellationToken::new();
        let task = run_delivery(config, &self.cluster.ns(), events.clone(), shutdown.clone())
            .unwrap_or_else(|e| panic!("delivery did not start: {e}"));
        (events, shutdown, task)
    }

    pub fn config(&self, allow: &[String]) -> GatewayConfig {
        let mut c = GatewayConfig {
            topic: self.topic.clone(),
            group: self.group.clone(),
            allow_callbacks: allow.to_vec(),
            ..GatewayConfig::default()
        };
        c.delivery.timeout_ms = 3_000;
        c.delivery.drain_timeout_ms = 3_000;
        c
    }

    /// Send one message whose BACKURL is `url`; returns its unique id.
    pub async fn send(&self, url: &str, i: usize) -> String {
        self.send_with(Some(url), None, i).await
    }

    /// Send one message with an optional BACKURL and tag; returns its unique id.
    pub async fn send_with(&self, url: Option<&str>, tag: Option<&str>, i: usize) -> String {
        let uniq = format!("{:032X}", rand_id(i));
        let mut p = Properties::new();
        if let Some(url) = url {
            p.insert(BACKURL_PROPERTY, url);
        }
        if let Some(tag) = tag {
            p.insert("TAGS", tag);
        }
        p.insert("UNIQ_KEY", &uniq);
        let body = format!("{{\"n\":{i}}}").into_bytes();
        let r = self
            .client
            .invoke(
                &self.cluster.broker().addr.to_string(),
                send_v2(&self.topic, -1, body, &p.encode()),
                TIMEOUT,
            )
            .await
            .unwrap();
        assert_eq!(r.code, 0, "send: {r:?}");
        uniq
    }

    /// Every record of the group's dead-letter topic.
    pub async fn dead_letters(&self) -> Vec<rmqctl::protocol::message::MessageRecord> {
        let dlq = format!("%DLQ%{}", self.group);
        let addr = self.cluster.broker().addr.to_string();
        let mut out = Vec::new();
        for q in 0..4 {
            out.extend(pull_all(&self.client, &addr, &dlq, q).await);
        }
        out
    }
}

fn rand_id(i: usize) -> u128 {
    (crate::common::rand_u64() as u128) << 64 | i as u128
}

fn admin(ns: &str) -> Admin {
    Admin::new(NamesrvSet::parse(ns).unwrap(), Duration::from_secs(10))
}

fn allow(r: &Receiver) -> Vec<String> {
    let scheme = if r.https { "https" } else { "http" };
    vec![format!("{scheme}://{}/", r.addr)]
}

/// Poll `cond` until it holds, at most [`WAIT`].
pub async fn wait_until(what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(start.elapsed() < WAIT, "waited {WAIT:?} for: {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn ids_of(hits: &[Hit]) -> HashMap<String, usize> {
    let mut m = HashMap::new();
    for h in hits {
        *m.entry(h.msg_id.clone()).or_insert(0) += 1;
    }
    m
}

/// Stop a delivery and wait until it has committed and left.
async fn stop(shutdown: CancellationToken, task: tokio::task::JoinHandle<()>) {
    shutdown.cancel();
    tokio::time::timeout(WAIT, task)
        .await
        .expect("delivery stops")
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_message_delivered_once_on_success() {
    let s = Setup::new("once").await;
    let r = Receiver::start(|_, _| Answer::Success).await;
    let (events, shutdown, task) = s.deliver(&s.config(&allow(&r)));
    let mut sent = Vec::new();
    for i in 0..60 {
        sent.push(s.send(&r.url(), i).await);
    }
    wait_until("60 distinct deliveries", || ids_of(&r.hits()).len() == 60).await;
    stop(shutdown, task).await;
    let hits = r.hits();
    let ids = ids_of(&hits);
    for id in &sent {
        assert_eq!(
            ids.get(id),
            Some(&1),
            "{id} delivered {:?} times",
            ids.get(id)
        );
    }
    assert_eq!(hits.len(), 60, "no duplicates");
    assert!(hits
        .iter()
        .all(|h| h.reconsume_times == 0 && h.content_type == "application/json"));
    assert!(
        hits.iter().all(|h| h.body.starts_with("{\"n\":")),
        "{:?}",
        hits[0]
    );
    assert_eq!(events.success.load(Ordering::SeqCst), 60);
    // The offsets were committed: the whole topic is consumed.
    let admin = admin(&s.cluster.ns());
    let stats = admin
        .consume_stats(
            &s.cluster.broker().addr.to_string(),
            &s.group,
            Some(&s.topic),
        )
        .await
        .unwrap();
    assert_eq!(stats.total_diff(), 0, "{stats:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_errors_then_the_third_try_arrives_with_reconsume_times_2() {
    let s = Setup::new("retry").await;
    let r = Receiver::start(|_, earlier| {
        if earlier < 2 {
            Answer::Error
        } else {
            Answer::Success
        }
    })
    .await;
    let (events, shutdown, task) = s.deliver(&s.config(&allow(&r)));
    let id = s.send(&r.url(), 1).await;
    wait_until("the third try", || r.hits().len() >= 3).await;
    wait_until("the success is counted", || {
        events.success.load(Ordering::SeqCst) == 1
    })
    .await;
    stop(shutdown, task).await;
    let hits = r.hits();
    assert_eq!(hits.len(), 3, "{hits:?}");
    assert!(
        hits.iter().all(|h| h.msg_id == id),
        "the id is kept across retries: {hits:?}"
    );
    let times: Vec<i32> = hits.iter().map(|h| h.reconsume_times).collect();
    assert_eq!(times, [0, 1, 2]);
    assert!(hits.iter().all(|h| h.body == "{\"n\":1}"));
    assert_eq!(events.retry.load(Ordering::SeqCst), 2);
    assert_eq!(events.dead.load(Ordering::SeqCst), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receiver_that_always_fails_sends_the_message_to_the_dlq() {
    let s = Setup::new("dlq").await;
    let r = Receiver::start(|_, earlier| {
        if earlier % 2 == 0 {
            Answer::Error
        } else {
            Answer::Status500
        }
    })
    .await;
    let mut config = s.config(&allow(&r));
    config.delivery.max_reconsume_times = 2;
    let (events, shutdown, task) = s.deliver(&config);
    let id = s.send(&r.url(), 7).await;
    wait_until("dead-lettered", || events.dead.load(Ordering::SeqCst) == 1).await;
    let dead = s.dead_letters().await;
    stop(shutdown, task).await;
    assert_eq!(
        r.hits().len(),
        3,
        "first try + 2 redeliveries: {:?}",
        r.hits()
    );
    assert_eq!(dead.len(), 1, "{dead:?}");
    assert_eq!(dead[0].uniq_key(), Some(id.as_str()));
    assert_eq!(dead[0].property(BACKURL_PROPERTY), Some(r.url().as_str()));
    assert_eq!(&dead[0].body[..], b"{\"n\":7}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receiver_down_for_a_while_gets_everything_when_it_comes_back() {
    let s = Setup::new("down").await;
    let port = crate::common::free_port();
    let url = format!("http://127.0.0.1:{port}/hook");
    let config = s.config(&[format!("http://127.0.0.1:{port}/")]);
    let (events, shutdown, task) = s.deliver(&config);
    let mut sent = Vec::new();
    for i in 0..20 {
        sent.push(s.send(&url, i).await);
    }
    wait_until("every message failed once (connection refused)", || {
        events.failure.load(Ordering::SeqCst) >= 20
    })
    .await;
    assert!(
        events
            .failures
            .lock()
            .unwrap()
            .iter()
            .all(|f| f.contains("connect")),
        "{:?}",
        events.failures.lock().unwrap()
    );
    let r = Receiver::start_on(port, |_, _| Answer::Success).await;
    wait_until("all 20 delivered after the receiver came back", || {
        ids_of(&r.hits()).len() == 20
    })
    .await;
    stop(shutdown, task).await;
    let ids = ids_of(&r.hits());
    assert!(sent.iter().all(|id| ids.contains_key(id)));
    assert_eq!(events.dead.load(Ordering::SeqCst), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hanging_host_holds_only_its_slots_while_another_host_proceeds() {
    let s = Setup::new("hang").await;
    let hanging = Receiver::start(|_, _| Answer::Hang).await;
    let good = Receiver::start(|_, _| Answer::Success).await;
    let mut config = s.config(&[allow(&hanging), allow(&good)].concat());
    config.delivery.per_host_concurrency = 2;
    config.delivery.timeout_ms = 60_000;
    config.delivery.drain_timeout_ms = 500;
    let (_, shutdown, task) = s.deliver(&config);
    for i in 0..10 {
        s.send(&hanging.url(), i).await;
        s.send(&good.url(), 100 + i).await;
    }
    wait_until("the good host got all 10", || {
        ids_of(&good.hits()).len() == 10
    })
    .await;
    wait_until("the hanging host holds its 2 slots", || {
        hanging.open_now() == 2
    })
    .await;
    assert_eq!(
        hanging.max_open.load(Ordering::SeqCst),
        2,
        "never more than per_host_concurrency"
    );
    assert_eq!(hanging.hits().len(), 2);
    stop(shutdown, task).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_members_of_one_group_split_the_queues() {
    let s = Setup::new("split").await;
    let r = Receiver::start(|_, _| Answer::Success).await;
    let config = s.config(&allow(&r));
    let (a, b) = (Arc::new(Counted::default()), Arc::new(Counted::default()));
    let shutdown = CancellationToken::new();
    let ta = run_delivery(&config, &s.cluster.ns(), a.clone(), shutdown.clone()).unwrap();
    let tb = run_delivery(&config, &s.cluster.ns(), b.clone(), shutdown.clone()).unwrap();
    let mut sent = Vec::new();
    let start = Instant::now();
    // Both members deliver once they have split the queues; keep sending until they have.
    while a.success.load(Ordering::SeqCst) == 0 || b.success.load(Ordering::SeqCst) == 0 {
        assert!(start.elapsed() < WAIT, "both members never delivered");
        for _ in 0..8 {
            sent.push(s.send(&r.url(), sent.len()).await);
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let n = sent.len();
    wait_until("every message delivered", || ids_of(&r.hits()).len() == n).await;
    // Both have seen each other: a second batch is split between them too.
    let (a0, b0) = (
        a.success.load(Ordering::SeqCst),
        b.success.load(Ordering::SeqCst),
    );
    for _ in 0..40 {
        sent.push(s.send(&r.url(), sent.len()).await);
    }
    let n = sent.len();
    wait_until("the second batch delivered", || {
        ids_of(&r.hits()).len() == n
    })
    .await;
    let (a1, b1) = (
        a.success.load(Ordering::SeqCst) - a0,
        b.success.load(Ordering::SeqCst) - b0,
    );
    assert!(a1 > 0 && b1 > 0, "second batch: member a {a1}, b {b1}");
    shutdown.cancel();
    let _ = tokio::time::timeout(WAIT, ta).await.unwrap();
    let _ = tokio::time::timeout(WAIT, tb).await.unwrap();
    let ids = ids_of(&r.hits());
    assert!(sent.iter().all(|id| ids.contains_key(id)));
    let duplicates = r.hits().len() - n;
    eprintln!("split: {n} messages, second batch member a {a1} and b {b1}, {duplicates} duplicates (while the queues moved)");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_delivery_resumes_from_the_committed_offsets() {
    let s = Setup::new("resume").await;
    let r = Receiver::start(|_, _| Answer::Success).await;
    let config = s.config(&allow(&r));
    let first = CancellationToken::new();
    let task = run_delivery(
        &config,
        &s.cluster.ns(),
        Arc::new(Counted::default()),
        first.clone(),
    )
    .unwrap();
    for i in 0..30 {
        s.send(&r.url(), i).await;
    }
    wait_until("30 delivered", || ids_of(&r.hits()).len() == 30).await;
    stop(first, task).await;
    // Sent while no member runs: the restarted one must deliver these and only these.
    let mut later = Vec::new();
    for i in 30..50 {
        later.push(s.send(&r.url(), i).await);
    }
    let second = CancellationToken::new();
    let task = run_delivery(
        &config,
        &s.cluster.ns(),
        Arc::new(Counted::default()),
        second.clone(),
    )
    .unwrap();
    wait_until("50 delivered", || ids_of(&r.hits()).len() == 50).await;
    stop(second, task).await;
    let hits = r.hits();
    let duplicates = hits.len() - 50;
    eprintln!("restart: 50 messages, {duplicates} duplicates");
    assert_eq!(duplicates, 0, "a graceful stop commits every acked offset");
    let ids = ids_of(&hits);
    assert!(later.iter().all(|id| ids.get(id) == Some(&1)));
}

/// A `[[subscription]]` pushes an existing topic's messages (only the subscribed tag) to its
/// fixed URL; the gateway topic's member runs beside it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_subscription_pushes_an_existing_topics_tagged_messages_to_its_url() {
    let s = Setup::new("sub").await;
    let r = Receiver::start(|_, _| Answer::Success).await;
    let mut config = s.config(&allow(&r));
    // The subscription reads the test topic; the gateway's own topic is another (empty) one.
    config.topic = "GW_sub_OWN".into();
    config.subscriptions.push(Subscription {
        topic: s.topic.clone(),
        tags: "paid".into(),
        group: "GW_sub_WEBHOOK".into(),
        url: r.url(),
        consume_from: SubscriptionStart::First,
    });
    let mut paid = Vec::new();
    for i in 0..10 {
        paid.push(s.send_with(None, Some("paid"), i).await);
        s.send_with(None, Some("refunded"), 100 + i).await;
    }
    let (events, shutdown, task) = s.deliver(&config);
    wait_until("10 paid messages pushed", || ids_of(&r.hits()).len() == 10).await;
    wait_until("the whole topic consumed", || {
        events.success.load(Ordering::SeqCst) == 10
    })
    .await;
    stop(shutdown, task).await;
    let ids = ids_of(&r.hits());
    assert!(paid.iter().all(|id| ids.get(id) == Some(&1)), "{ids:?}");
    assert_eq!(r.hits().len(), 10, "no refunded message");
    // A subscription URL off the allow-list stops the start, saying which.
    config.subscriptions[0].url = "http://10.9.9.9/x".into();
    let err = run_delivery(&config, &s.cluster.ns(), events, CancellationToken::new()).unwrap_err();
    assert!(err.to_string().contains("10.9.9.9"), "{err}");
}

/// A backurl that the allow-list refuses never reaches the network: the message is
/// dead-lettered at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_backurl_is_dead_lettered_without_a_request() {
    let s = Setup::new("refused").await;
    let r = Receiver::start(|_, _| Answer::Success).await;
    // The allow-list names another port; the receiver's own address is loopback.
    let config = s.config(&[
        "http://127.0.0.1:1/".to_string(),
        "http://*.example.com/".to_string(),
    ]);
    let (events, shutdown, task) = s.deliver(&config);
    let id = s.send(&r.url(), 1).await;
    wait_until("dead-lettered", || events.dead.load(Ordering::SeqCst) == 1).await;
    let dead = s.dead_letters().await;
    stop(shutdown, task).await;
    assert!(r.hits().is_empty());
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].uniq_key(), Some(id.as_str()));
}

/// SIGKILL of a running `rmqctl gateway` mid-stream loses nothing (duplicates are allowed and
/// counted): the command starts delivery as background work of its service.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_of_the_gateway_loses_nothing() {
    let s = Setup::new("sigkill").await;
    let r = Receiver::start(|_, _| Answer::Success).await;
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("gateway.toml");
    let http_port = crate::common::free_port();
    std::fs::write(
        &toml,
        format!(
            "listen = \"127.0.0.1:{http_port}\"\ntopic = \"{}\"\ngroup = \"{}\"\nallow_callbacks = [\"http://{}/\"]\n",
            s.topic, s.group, r.addr
        ),
    )
    .unwrap();
    let start_gateway = || {
        let mut cmd = crate::common::rmqctl_command();
        cmd.args([
            "gateway",
            "-c",
            toml.to_str().unwrap(),
            "-n",
            &s.cluster.ns(),
        ]);
        let addr: SocketAddr = format!("127.0.0.1:{http_port}").parse().unwrap();
        crate::common::ServerProcess::start_command(
            cmd,
            addr,
            &dir.path()
                .join(format!("gw-{}.log", crate::common::rand_u64())),
        )
    };
    let mut gateway = start_gateway();
    let total = 300;
    let mut sent = Vec::new();
    for i in 0..total {
        sent.push(s.send(&r.url(), i).await);
        if i == total / 2 {
            wait_until("some delivered", || !r.hits().is_empty()).await;
            let _ = gateway.child.kill();
            let _ = gateway.child.wait();
            gateway = start_gateway();
        }
    }
    wait_until("every message delivered", || {
        ids_of(&r.hits()).len() == total
    })
    .await;
    let duplicates = r.hits().len() - total;
    eprintln!("sigkill: {total} messages, {duplicates} duplicates");
    let ids = ids_of(&r.hits());
    assert!(sent.iter().all(|id| ids.contains_key(id)));
    drop(gateway);
}

/// https callbacks: a receiver whose certificate comes from a private CA fails (unknown issuer,
/// redelivered) until `[delivery] ca` names that CA; then everything arrives once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_callbacks_trust_the_ca_of_delivery_ca() {
    use rmqctl::remoting::tls::issue::{CertificateAuthority, Usage, Validity};
    let dir = tempfile::tempdir().unwrap();
    let ca = CertificateAuthority::generate("callback CA", Validity::days(30)).unwrap();
    let issued = ca
        .issue(
            &["127.0.0.1".to_string()],
            Usage::Server,
            Validity::days(30),
        )
        .unwrap();
    let (ca_pem, cert, key) = (
        dir.path().join("ca.pem"),
        dir.path().join("hook.pem"),
        dir.path().join("hook-key.pem"),
    );
    std::fs::write(&ca_pem, ca.cert_pem()).unwrap();
    std::fs::write(&cert, issued.cert_pem).unwrap();
    std::fs::write(&key, issued.key_pem).unwrap();
    let tls = rmqctl::gateway::config::ListenerTls {
        cert,
        key,
        key_password_file: None,
    };
    let s = Setup::new("https").await;
    let r = Receiver::start_tls(&tls, |_, _| Answer::Success).await;
    assert!(r.url().starts_with("https://"));

    // Without the CA: the handshake fails, nothing is delivered, the message stays pending.
    let (events, shutdown, task) = s.deliver(&s.config(&allow(&r)));
    let first = s.send(&r.url(), 0).await;
    wait_until("a failed https attempt", || {
        events.failure.load(Ordering::SeqCst) > 0
    })
    .await;
    stop(shutdown, task).await;
    assert!(r.hits().is_empty(), "delivered without trusting the CA");

    // With `[delivery] ca`: the earlier message and new ones arrive.
    let mut config = s.config(&allow(&r));
    config.delivery.ca = Some(ca_pem);
    let (_, shutdown, task) = s.deliver(&config);
    let mut sent = vec![first];
    for i in 1..10 {
        sent.push(s.send(&r.url(), i).await);
    }
    wait_until("10 distinct https deliveries", || {
        ids_of(&r.hits()).len() == 10
    })
    .await;
    stop(shutdown, task).await;
    let ids = ids_of(&r.hits());
    assert!(sent.iter().all(|id| ids.contains_key(id)), "{ids:?}");
}
