//! The async remoting client: one connection per address, requests multiplexed by opaque,
//! per-request timeouts, oneway sends, and reconnection on the next call after a connection dies.
//! Requests a server sends on these connections (NOTIFY_CONSUMER_IDS_CHANGED...) reach the
//! subscribers of [`RemotingClient::server_requests`]. Errors name the address, the request and
//! the remote code and remark.

use super::codes::{describe_request, describe_response, ResponseCode};
use super::command::{RemotingCommand, SerializeType};
use super::frame::{FrameError, RemotingCodec, CLIENT_WRITE_BATCH};
use super::tls::client_config::explain_tls_in_io;
use super::tls::TlsConnect;
use crate::locks::lock;
use futures::{SinkExt, StreamExt};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio::sync::{broadcast, mpsc, oneshot};
use tokio_util::codec::{FramedRead, FramedWrite};
use tracing::debug;

/// A failed call.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("cannot connect to {addr}: {reason}")]
    Connect { addr: String, reason: String },
    #[error("{request} to {addr} timed out after {after:?}")]
    Timeout {
        addr: String,
        request: String,
        after: Duration,
    },
    #[error("connection to {addr} closed before {request} was answered{why}")]
    Closed {
        addr: String,
        request: String,
        /// Why, when known (a TLS alert, a server that refuses plain TCP), with a leading `: `.
        why: String,
    },
    #[error("{request} to {addr} could not be encoded: {source}")]
    Encode {
        addr: String,
        request: String,
        source: FrameError,
    },
    #[error("{request} to {addr} failed: {response} {remark}")]
    Remote {
        addr: String,
        request: String,
        /// The remote response code.
        code: i32,
        response: String,
        remark: String,
    },
}

impl ClientError {
    /// The remote response code, for errors the server answered.
    pub fn remote_code(&self) -> Option<i32> {
        match self {
            ClientError::Remote { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// Build the error for a non-success answer.
    pub fn remote(addr: &str, request_code: i32, response: &RemotingCommand) -> Self {
        ClientError::Remote {
            addr: addr.to_string(),
            request: describe_request(request_code),
            code: response.code,
            response: describe_response(response.code),
            remark: response.remark.clone().unwrap_or_default(),
        }
    }
}

/// Client settings.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub connect_timeout: Duration,
    /// Header format of requests sent.
    pub serialize_type: SerializeType,
    /// Connect with TLS (`--tls`); `None`: plain TCP.
    pub tls: Option<TlsConnect>,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            connect_timeout: Duration::from_secs(3),
            serialize_type: SerializeType::Json,
            tls: None,
        }
    }
}

type Pending = Arc<Mutex<HashMap<i32, oneshot::Sender<RemotingCommand>>>>;

/// A request a server sent on one of the client's connections (a broker's
/// NOTIFY_CONSUMER_IDS_CHANGED or CHECK_TRANSACTION_STATE).
#[derive(Debug, Clone)]
pub struct ServerRequest {
    /// The address the connection was opened to.
    pub addr: String,
    pub request: RemotingCommand,
}

/// Server requests kept for a subscriber that has not read them yet; one that falls further
/// behind is told how many it missed (`RecvError::Lagged`).
const SERVER_REQUEST_BACKLOG: usize = 256;

struct Channel {
    outbound: mpsc::Sender<RemotingCommand>,
    pending: Pending,
    closed: Arc<AtomicBool>,
    /// Why the connection ended, when the read loop knows more than "closed".
    why_closed: Arc<Mutex<Option<String>>>,
}

/// A cheap-to-clone client holding one connection per address.
#[derive(Clone)]
pub struct RemotingClient {
    config: ClientConfig,
    /// Runs on every request before it is sent (ACL signing).
    hook: Option<Arc<dyn super::request_hook::RequestHook>>,
    channels: Arc<tokio::sync::Mutex<HashMap<String, Arc<Channel>>>>,
    next_opaque: Arc<AtomicI32>,
    /// Where the read loops publish the requests servers send.
    server_requests: broadcast::Sender<ServerRequest>,
}

impl Default for RemotingClient {
    fn default() -> Self {
        Self::new(ClientConfig::default())
    }
}

impl RemotingClient {
    pub fn new(config: ClientConfig) -> Self {
        RemotingClient {
            config,
            hook: None,
            channels: Default::default(),
            next_opaque: Arc::new(AtomicI32::new(1)),
            server_requests: broadcast::channel(SERVER_REQUEST_BACKLOG).0,
        }
    }

    /// The requests servers send on this client's connections from now on (a request that
    /// wants an answer has already been answered "not supported"). Every clone of the client
    /// shares them.
    pub fn server_requests(&self) -> broadcast::Receiver<ServerRequest> {
        self.server_requests.subscribe()
    }

    /// This client with `hook` run on every request it sends (ACL credentials sign them).
    pub fn with_hook(mut self, hook: Arc<dyn super::request_hook::RequestHook>) -> Self {
        self.hook = Some(hook);
        self
    }

    /// Send a request and wait for its response (any response code).
    pub async fn invoke(
        &self,
        addr: &str,
        mut request: RemotingCommand,
        timeout: Duration,
    ) -> Result<RemotingCommand, ClientError> {
        let code = request.code;
        let work = async {
            let channel = self.channel(addr).await?;
            request.opaque = self.next_opaque.fetch_add(1, Ordering::Relaxed);
            request.serialize_type = self.config.serialize_type;
            if let Some(hook) = &self.hook {
                hook.before_request(&mut request);
            }
            let (tx, rx) = oneshot::channel();
            lock(&channel.pending).insert(request.opaque, tx);
            let opaque = request.opaque;
            if channel.outbound.send(request).await.is_err() {
                lock(&channel.pending).remove(&opaque);
                return Err(self.closed_channel(addr, code, &channel));
            }
            let answer = rx
                .await
                .map_err(|_| self.closed_channel(addr, code, &channel));
            if answer.is_err() {
                self.forget(addr, &channel).await;
            }
            answer
        };
        match tokio::time::timeout(timeout, work).await {
            Ok(result) => result,
            Err(_) => Err(ClientError::Timeout {
                addr: addr.to_string(),
                request: describe_request(code),
                after: timeout,
            }),
        }
    }

    /// Send a request and return its response only if it says SUCCESS.
    pub async fn invoke_ok(
        &self,
        addr: &str,
        request: RemotingCommand,
        timeout: Duration,
    ) -> Result<RemotingCommand, ClientError> {
        let code = request.code;
        let response = self.invoke(addr, request, timeout).await?;
        if response.code == ResponseCode::SUCCESS.code() {
            Ok(response)
        } else {
            Err(ClientError::remote(addr, code, &response))
        }
    }

    /// Send a oneway request: no response is expected or waited for.
    pub async fn invoke_oneway(
        &self,
        addr: &str,
        request: RemotingCommand,
    ) -> Result<(), ClientError> {
        let code = request.code;
        let channel = self.channel(addr).await?;
        let mut request = request.oneway();
        request.opaque = self.next_opaque.fetch_add(1, Ordering::Relaxed);
        request.serialize_type = self.config.serialize_type;
        if let Some(hook) = &self.hook {
            hook.before_request(&mut request);
        }
        channel
            .outbound
            .send(request)
            .await
            .map_err(|_| self.closed(addr, code))
    }

    /// Drop the connection to `addr` (it is reopened by the next call). The socket closes once
    /// calls still using it finish.
    pub async fn close(&self, addr: &str) {
        self.channels.lock().await.remove(addr);
    }

    /// Whether a live connection to `addr` is held.
    pub async fn is_connected(&self, addr: &str) -> bool {
        self.channels
            .lock()
            .await
            .get(addr)
            .is_some_and(|c| !c.closed.load(Ordering::Relaxed))
    }

    fn closed(&self, addr: &str, code: i32) -> ClientError {
        ClientError::Closed {
            addr: addr.to_string(),
            request: describe_request(code),
            why: String::new(),
        }
    }

    fn closed_channel(&self, addr: &str, code: i32, channel: &Channel) -> ClientError {
        ClientError::Closed {
            addr: addr.to_string(),
            request: describe_request(code),
            why: lock(&channel.why_closed)
                .as_ref()
                .map(|w| format!(": {w}"))
                .unwrap_or_default(),
        }
    }

    async fn forget(&self, addr: &str, channel: &Arc<Channel>) {
        let mut channels = self.channels.lock().await;
        if channels.get(addr).is_some_and(|c| Arc::ptr_eq(c, channel)) {
            channels.remove(addr);
        }
    }

    async fn channel(&self, addr: &str) -> Result<Arc<Channel>, ClientError> {
        if let Some(c) = self.live_channel(addr).await {
            return Ok(c);
        }
        // Connect without holding the table lock, so one unreachable address does not stall
        // calls to the others; if two calls race, the first stored connection wins.
        let fresh = Arc::new(self.connect(addr).await?);
        let mut channels = self.channels.lock().await;
        match channels.get(addr) {
            Some(c) if !c.closed.load(Ordering::Relaxed) => Ok(c.clone()),
            _ => {
                channels.insert(addr.to_string(), fresh.clone());
                Ok(fresh)
            }
        }
    }

    async fn live_channel(&self, addr: &str) -> Option<Arc<Channel>> {
        let channels = self.channels.lock().await;
        channels
            .get(addr)
            .filter(|c| !c.closed.load(Ordering::Relaxed))
            .cloned()
    }

    async fn connect(&self, addr: &str) -> Result<Channel, ClientError> {
        let connect_error = |reason: String| ClientError::Connect {
            addr: addr.to_string(),
            reason,
        };
        let stream = connect_tcp(addr, self.config.connect_timeout)
            .await
            .map_err(|e| connect_error(e.to_string()))?;
        let Some(tls) = &self.config.tls else {
            let (read_half, write_half) = stream.into_split();
            return Ok(self.start_channel(read_half, write_half, addr, false));
        };
        let handshake =
            tokio::time::timeout(self.config.connect_timeout, tls.handshake(addr, stream));
        let stream = match handshake.await {
            Ok(Ok(stream)) => stream,
            Ok(Err(reason)) => return Err(connect_error(reason)),
            Err(_) => {
                return Err(connect_error(format!(
                    "the TLS handshake did not finish within {:?}: the server may speak plain TCP only; try without --tls",
                    self.config.connect_timeout
                )))
            }
        };
        let (read_half, write_half) = tokio::io::split(stream);
        Ok(self.start_channel(read_half, write_half, addr, true))
    }

    /// Starts the reader and writer tasks of a fresh connection.
    fn start_channel<R, W>(&self, read_half: R, write_half: W, addr: &str, tls: bool) -> Channel
    where
        R: AsyncRead + Unpin + Send + 'static,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        let (tx, rx) = mpsc::channel::<RemotingCommand>(4096);
        let pending: Pending = Default::default();
        let closed = Arc::new(AtomicBool::new(false));
        let why_closed = Arc::new(Mutex::new(None));
        let mut sink = FramedWrite::new(write_half, RemotingCodec);
        sink.set_backpressure_boundary(CLIENT_WRITE_BATCH);
        tokio::spawn(write_loop(sink, rx));
        tokio::spawn(read_loop(
            FramedRead::new(read_half, RemotingCodec),
            ReadState {
                pending: pending.clone(),
                closed: closed.clone(),
                why_closed: why_closed.clone(),
                tls,
                server_requests: self.server_requests.clone(),
            },
            tx.downgrade(),
            addr.to_string(),
        ));
        Channel {
            outbound: tx,
            pending,
            closed,
            why_closed,
        }
    }
}

/// What the read loop shares with the callers of one connection.
struct ReadState {
    pending: Pending,
    closed: Arc<AtomicBool>,
    why_closed: Arc<Mutex<Option<String>>>,
    tls: bool,
    server_requests: broadcast::Sender<ServerRequest>,
}

/// A TCP connection to `addr` with Nagle off (requests are small and answered at once); a
/// connect that takes longer than `timeout` is a `TimedOut` error saying so.
pub async fn connect_tcp(addr: &str, timeout: Duration) -> std::io::Result<TcpStream> {
    let stream = tokio::time::timeout(timeout, TcpStream::connect(addr))
        .await
        .map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                format!("no answer within {timeout:?}"),
            )
        })??;
    let _ = stream.set_nodelay(true);
    Ok(stream)
}

/// The local address this host uses to reach `addr` (a UDP connect, no packet is sent); loopback
/// when `addr` does not resolve or is unreachable. Brokers use it for brokerIP1 when none is set,
/// clients for the IP in a message's unique key.
pub fn local_ip_towards(addr: &str) -> std::net::IpAddr {
    std::net::UdpSocket::bind("0.0.0.0:0")
        .and_then(|s| s.connect(addr).and_then(|_| s.local_addr()))
        .map(|a| a.ip())
        .ok()
        .filter(|ip| !ip.is_unspecified())
        .unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST))
}

async fn write_loop<W: AsyncWrite + Unpin>(
    mut sink: FramedWrite<W, RemotingCodec>,
    mut outbound: mpsc::Receiver<RemotingCommand>,
) {
    while let Some(cmd) = outbound.recv().await {
        if sink.feed(cmd).await.is_err() {
            return;
        }
        while let Ok(more) = outbound.try_recv() {
            if sink.feed(more).await.is_err() {
                return;
            }
        }
        if sink.flush().await.is_err() {
            return;
        }
    }
}

async fn read_loop<R: AsyncRead + Unpin>(
    mut frames: FramedRead<R, RemotingCodec>,
    state: ReadState,
    outbound: mpsc::WeakSender<RemotingCommand>,
    addr: String,
) {
    let ReadState {
        pending,
        closed,
        why_closed,
        tls,
        server_requests,
    } = state;
    let mut answered = false;
    while let Some(frame) = frames.next().await {
        let cmd = match frame {
            Ok(cmd) => cmd,
            Err(e) => {
                debug!(%addr, error = %e, "bad frame from server; closing");
                if let Some(why) = match &e {
                    FrameError::Io(io) => explain_tls_in_io(io),
                    _ => None,
                } {
                    *lock(&why_closed) = Some(why);
                }
                break;
            }
        };
        answered = true;
        if cmd.is_response() {
            if let Some(tx) = lock(&pending).remove(&cmd.opaque) {
                let _ = tx.send(cmd);
            }
        } else {
            if !cmd.is_oneway() {
                // This client answers no server request itself.
                let mut answer = super::server::not_supported(&cmd);
                answer.opaque = cmd.opaque;
                if let Some(tx) = outbound.upgrade() {
                    let _ = tx.try_send(answer);
                }
            }
            if server_requests.receiver_count() > 0 {
                // An error here only means every subscriber has gone meanwhile.
                let _ = server_requests.send(ServerRequest {
                    addr: addr.clone(),
                    request: cmd,
                });
            }
        }
    }
    if !answered && !tls {
        lock(&why_closed).get_or_insert_with(|| {
            "the server answered nothing; if it enforces TLS (tls.server.mode=enforcing), connect with --tls".into()
        });
    }
    closed.store(true, Ordering::Relaxed);
    lock(&pending).clear();
}
