//! The remoting server: accepts TCP connections, decodes frames, dispatches each request to a
//! [`RequestProcessor`] concurrently, writes responses (never for oneway requests), closes idle
//! or misbehaving connections, and shuts down gracefully: it stops accepting, runs every request
//! that already reached it, answers what it can, and returns once its connections are closed.

use super::codes::{describe_request, describe_response, ResponseCode};
use super::command::{RemotingCommand, SerializeType, FLAG_RESPONSE};
use super::connection_limit::{ConnectionLimiter, ConnectionLimits};
use super::frame::{
    declared_header_len, decode_frame, frame_buffered, split_frame, FrameError, FrameSplitter,
    RemotingCodec,
};
use super::tls::gate::{Admitted, TlsGate};
use super::tls::served_stream::ServedRead;
use bytes::Bytes;
use futures::future::BoxFuture;
use futures::stream::FuturesUnordered;
use futures::{FutureExt, SinkExt, StreamExt};
use smallvec::SmallVec;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;
use tokio::io::AsyncWrite;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch, Semaphore};
use tokio_util::codec::{FramedRead, FramedWrite};
use tokio_util::task::TaskTracker;
use tracing::{debug, info, warn};

/// Handles requests of one server. Implementations answer by returning a response; `None` sends
/// nothing (oneway handling, or a reply sent later through [`Connection::send`]).
#[async_trait::async_trait]
pub trait RequestProcessor: Send + Sync + 'static {
    async fn process(&self, conn: &Connection, request: RemotingCommand)
        -> Option<RemotingCommand>;

    /// Called with the requests of one socket read before any of them is processed: work that
    /// costs less done for all of them at once (the broker checks their ACL signatures
    /// together) is done here and noted on the requests.
    fn screen(&self, _conn: &Connection, _requests: &mut [RemotingCommand]) {}

    /// Called once when a connection closes for any reason.
    fn connection_closed(&self, _conn: &Connection) {}

    /// Called before the answers queued on `conn` are written: whatever they acknowledge
    /// must be stored by then (the broker writes its staged commit-log records, and checks
    /// [`Connection::acknowledged`]). `false` closes the connection without answering.
    fn before_answering(&self, _conn: &Connection) -> bool {
        true
    }
}

/// One accepted client connection, as processors see it.
#[derive(Debug, Clone)]
pub struct Connection {
    /// Unique within this process.
    pub id: u64,
    pub peer: SocketAddr,
    pub local: SocketAddr,
    outbound: mpsc::Sender<RemotingCommand>,
    /// The highest position in the processor's storage (the broker: a commit-log offset) that
    /// an answer queued on this connection acknowledges.
    acknowledged: Arc<AtomicU64>,
}

impl Connection {
    /// Queue a command (a late response, or a oneway request to the client such as
    /// NOTIFY_CONSUMER_IDS_CHANGED). Returns false when the connection is gone.
    pub async fn send(&self, cmd: RemotingCommand) -> bool {
        self.outbound.send(cmd).await.is_ok()
    }

    /// Notes that an answer about to be queued acknowledges stored data up to `end`; the
    /// processor's [`RequestProcessor::before_answering`] sees it through
    /// [`Connection::acknowledged`].
    pub fn note_acknowledged(&self, end: u64) {
        self.acknowledged.fetch_max(end, Ordering::AcqRel);
    }

    /// The highest position any answer of this connection acknowledged.
    pub fn acknowledged(&self) -> u64 {
        self.acknowledged.load(Ordering::Acquire)
    }

    /// Like [`Connection::send`] but never waits; drops the command when the queue is full.
    pub fn try_send(&self, cmd: RemotingCommand) -> bool {
        self.outbound.try_send(cmd).is_ok()
    }
}

/// Server settings.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub listen: SocketAddr,
    /// Close a connection that sent nothing for this long (Java: 120 s).
    pub idle_timeout: Duration,
    /// The header format of responses (Java answers in its own configured format).
    pub serialize_type: SerializeType,
    /// Responses queued per connection before request handling waits.
    pub outbound_queue: usize,
    /// TLS detection and handshakes (`tls.server.mode`); `None` serves plain TCP only, without
    /// looking at the first byte (a TLS handshake then fails as a malformed frame).
    pub tls: Option<Arc<TlsGate>>,
    /// Caps on the connections this listener holds (see [`ConnectionLimiter`]).
    pub connection_limits: ConnectionLimits,
    /// Names the listener in log lines about it (`listenPort`, `fast port`, `name server`).
    pub port_name: &'static str,
}

impl ServerConfig {
    pub fn new(listen: SocketAddr) -> Self {
        ServerConfig {
            listen,
            idle_timeout: Duration::from_secs(120),
            serialize_type: SerializeType::Json,
            outbound_queue: 4096,
            tls: None,
            connection_limits: ConnectionLimits::default(),
            port_name: "remoting port",
        }
    }
}

/// A bound, not yet running server.
pub struct RemotingServer {
    listener: TcpListener,
    config: ServerConfig,
    processor: Arc<dyn RequestProcessor>,
    limiter: Arc<ConnectionLimiter>,
}

static NEXT_CONNECTION_ID: AtomicU64 = AtomicU64::new(1);

/// How long a stopping server waits for its connections to run the requests they had received
/// and write their answers; a connection still busy then (a client that reads no answers) is
/// left to the runtime's shutdown.
const CLOSE_LIMIT: Duration = Duration::from_secs(2);
/// How long a stopping connection tries to write its last answers.
const LAST_WRITE_LIMIT: Duration = Duration::from_secs(1);
/// Most bytes a stopping connection takes from its socket: what had arrived, not a client that
/// keeps sending.
const DRAIN_LIMIT: usize = 32 * 1024 * 1024;
/// Headers up to this size are decoded where the frame is read; larger ones (no client sends
/// one: a send's header is well under 1 KiB) on the blocking pool, so that decoding up to 16 MiB
/// of header never holds a runtime thread that serves other connections. Decoding 64 KiB takes
/// well under a millisecond.
const INLINE_HEADER_LIMIT: usize = 64 * 1024;
/// Requests with a body at least this large are started in `block_in_place` (see [`dispatch`]):
/// parsing 256 KiB of JSON takes about a millisecond; sends of ordinary messages stay below.
const LARGE_BODY: usize = 256 * 1024;
/// Large headers decoded at once, per process; more wait (only their own connections wait).
static LARGE_HEADER_DECODES: Semaphore = Semaphore::const_new(2);

impl RemotingServer {
    /// Bind the listen address; a taken port is an error here, before anything runs.
    pub async fn bind(
        config: ServerConfig,
        processor: Arc<dyn RequestProcessor>,
    ) -> std::io::Result<Self> {
        let listener = TcpListener::bind(config.listen).await?;
        Ok(RemotingServer {
            listener,
            limiter: ConnectionLimiter::new(config.connection_limits, config.port_name),
            config,
            processor,
        })
    }

    /// Serve on a listener bound earlier (so every port of a process is bound before any runs).
    pub fn from_std(
        listener: std::net::TcpListener,
        config: ServerConfig,
        processor: Arc<dyn RequestProcessor>,
    ) -> std::io::Result<Self> {
        listener.set_nonblocking(true)?;
        Ok(RemotingServer {
            listener: TcpListener::from_std(listener)?,
            limiter: ConnectionLimiter::new(config.connection_limits, config.port_name),
            config,
            processor,
        })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serve until `shutdown` turns true; then stop accepting, let every connection run the
    /// requests it has received, and return once they are closed (at most [`CLOSE_LIMIT`] later):
    /// whoever persists state after this sees every request the server accepted.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let addr = self.local_addr().ok();
        let connections = TaskTracker::new();
        loop {
            tokio::select! {
                accepted = self.listener.accept() => match accepted {
                    Ok((stream, peer)) => {
                        self.spawn_connection(&connections, stream, peer, shutdown.clone())
                    }
                    Err(e) => {
                        warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                },
                _ = shutdown.changed() => break,
            }
            if *shutdown.borrow() {
                break;
            }
        }
        self.accept_waiting(&connections, &shutdown);
        drop(self.listener);
        info!(?addr, "remoting server stopped accepting");
        connections.close();
        if tokio::time::timeout(CLOSE_LIMIT, connections.wait())
            .await
            .is_err()
        {
            warn!(?addr, busy = connections.len(),
                "connections still running received requests or writing answers {CLOSE_LIMIT:?} after the stop; leaving them");
        }
    }

    /// When stopping: takes the connections the kernel completed but nobody accepted yet (a
    /// client may have written requests on them already), so they run those requests too. The
    /// listener is asked directly, not through the reactor, for the same reason as in
    /// [`run_received`].
    fn accept_waiting(&self, connections: &TaskTracker, shutdown: &watch::Receiver<bool>) {
        let listener = socket2::SockRef::from(&self.listener);
        while let Ok((socket, peer)) = listener.accept() {
            let stream = std::net::TcpStream::from(socket);
            let peer = peer.as_socket();
            let stream = stream
                .set_nonblocking(true)
                .and_then(|()| TcpStream::from_std(stream));
            match (stream, peer) {
                (Ok(stream), Some(peer)) => {
                    self.spawn_connection(connections, stream, peer, shutdown.clone())
                }
                (Err(e), _) => warn!(error = %e, "cannot take a waiting connection"),
                (Ok(_), None) => {}
            }
        }
    }

    fn spawn_connection(
        &self,
        connections: &TaskTracker,
        stream: TcpStream,
        peer: SocketAddr,
        shutdown: watch::Receiver<bool>,
    ) {
        // Over a cap: closed here, before anything is read from it (the limiter logs it).
        let Some(slot) = self.limiter.admit(peer) else {
            drop(stream);
            return;
        };
        let _ = stream.set_nodelay(true);
        let local = stream.local_addr().unwrap_or(self.config.listen);
        let (tx, rx) = mpsc::channel(self.config.outbound_queue);
        let conn = Connection {
            id: NEXT_CONNECTION_ID.fetch_add(1, Ordering::Relaxed),
            peer,
            local,
            outbound: tx,
            acknowledged: Arc::new(AtomicU64::new(0)),
        };
        let processor = self.processor.clone();
        let config = self.config.clone();
        connections.spawn(async move {
            // Held until the connection's task ends, however it ends.
            let _slot = slot;
            debug!(%peer, id = conn.id, "connection opened");
            let admitted = match &config.tls {
                None => Admitted::Plain(stream),
                Some(gate) => gate.admit(stream, peer).await,
            };
            let processor_ = processor.clone();
            match admitted {
                Admitted::Plain(stream) => {
                    let (read_half, write_half) = stream.into_split();
                    serve_connection(
                        read_half,
                        write_half,
                        conn.clone(),
                        rx,
                        processor_,
                        config,
                        shutdown,
                    )
                    .await
                }
                Admitted::Tls(stream) => {
                    let (read_half, write_half) = tokio::io::split(*stream);
                    serve_connection(
                        read_half,
                        write_half,
                        conn.clone(),
                        rx,
                        processor_,
                        config,
                        shutdown,
                    )
                    .await
                }
                Admitted::Closed => return,
            }
            processor.connection_closed(&conn);
            debug!(%peer, id = conn.id, "connection closed");
        });
    }
}

/// One task per connection reads requests, runs them, and writes their answers: the answers of
/// everything decoded from one socket read leave in one write, once no whole frame is left in
/// the read buffer, with no hand-over to a writer task (a cross-thread wake-up per batch).
async fn serve_connection<R: ServedRead, W: AsyncWrite + Unpin + Send>(
    read_half: R,
    write_half: W,
    conn: Connection,
    mut outbound: mpsc::Receiver<RemotingCommand>,
    processor: Arc<dyn RequestProcessor>,
    config: ServerConfig,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut frames = FramedRead::new(read_half, FrameSplitter);
    let mut answers = FramedWrite::new(write_half, RemotingCodec);
    // Answers are written only by `write_answers`, after `before_answering`, never by a feed
    // that finds the buffer large.
    answers.set_backpressure_boundary(usize::MAX);
    // Requests that are waiting (long polls, sends waiting for the flush or the slave), polled
    // by this task: cheaper than a task each, and the responses that one wake-up releases (a
    // flush or a slave ack covers many sends) leave in one write.
    let mut waiting: FuturesUnordered<BoxFuture<'static, ()>> = FuturesUnordered::new();
    let mut idle = IdleClock::new(config.idle_timeout);
    loop {
        let ready = frames.read_buffer();
        match write_answers(
            &mut answers,
            &mut outbound,
            ready,
            processor.as_ref(),
            &conn,
        )
        .await
        {
            Ok(true) => {}
            Ok(false) => {
                warn!(peer = %conn.peer, "closing connection unanswered: what the answers acknowledge could not be stored");
                break;
            }
            Err(e) => {
                warn!(peer = %conn.peer, error = %e, "write failed; closing connection");
                break;
            }
        }
        let next = tokio::select! {
            next = frames.next() => next,
            Some(answer) = outbound.recv() => {
                if let Err(e) = answers.feed(answer).await {
                    warn!(peer = %conn.peer, error = %e, "write failed; closing connection");
                    break;
                }
                continue;
            }
            Some(()) = waiting.next(), if !waiting.is_empty() => {
                // One wake-up (a flush, a slave ack) usually releases many of them: collect
                // every finished one before writing, so their answers share one write.
                while let Poll::Ready(Some(())) = futures::poll!(waiting.next()) {}
                continue;
            }
            () = idle.alarm() => {
                if idle.expired(waiting.is_empty()) {
                    info!(peer = %conn.peer, "closing connection idle for {:?}", config.idle_timeout);
                    break;
                }
                continue;
            }
            // Also true at once for a connection accepted while the server stops.
            () = stopping(&mut shutdown) => {
                run_received(&mut frames, &conn, &processor, config.serialize_type, &mut waiting)
                    .await;
                let last =
                    write_answers(&mut answers, &mut outbound, &[], processor.as_ref(), &conn);
                if tokio::time::timeout(LAST_WRITE_LIMIT, last).await.is_err() {
                    info!(peer = %conn.peer, "server stopping: client reads no answers; closing");
                }
                break;
            }
        };
        let frame = match next {
            None => break,
            Some(Err(e)) => {
                log_bad_frame(&conn, &e);
                break;
            }
            Some(Ok(frame)) => frame,
        };
        let (mut requests, bad) = decode_read(frame, &mut frames, &conn).await;
        if !requests.is_empty() {
            idle.touch();
            processor.screen(&conn, &mut requests);
        }
        for cmd in requests {
            if let Some(pending) = dispatch(&conn, cmd, &processor, config.serialize_type).await {
                waiting.push(pending);
            }
        }
        if let Some(e) = bad {
            log_bad_frame(&conn, &e);
            break;
        }
    }
    // The client is gone or the server stops: requests still waiting finish on their own (a
    // topic update still registers, a send still records its flush), their answers are dropped.
    for request in waiting {
        tokio::spawn(request);
    }
}

/// Most requests [`decode_read`] takes at once: enough for a read's batch to be screened
/// together and answered in one write, while one client's buffer full of tiny requests (up to
/// the 16 MiB a large frame made room for) is never all decoded before any of it runs; the rest
/// stay in the read buffer for the next turn.
const READ_BATCH: usize = 32;

/// The requests of one read: `first` and the whole frames after it in the read buffer (at most
/// [`READ_BATCH`] in all), decoded in order (responses, which a server does not expect, are
/// dropped), and the error of a malformed frame that ends them, if any.
async fn decode_read<R: ServedRead>(
    first: Bytes,
    frames: &mut FramedRead<R, FrameSplitter>,
    conn: &Connection,
) -> (SmallVec<[RemotingCommand; 4]>, Option<FrameError>) {
    let mut requests = SmallVec::new();
    let mut frame = first;
    for taken in 1.. {
        match decode_request(frame).await {
            Err(e) => return (requests, Some(e)),
            Ok(cmd) if cmd.is_response() => {
                debug!(peer = %conn.peer, opaque = cmd.opaque, "unexpected response dropped");
            }
            Ok(cmd) => requests.push(cmd),
        }
        if taken == READ_BATCH {
            break;
        }
        frame = match split_frame(frames.read_buffer_mut()) {
            Ok(Some(next)) => next,
            Ok(None) => break,
            Err(e) => return (requests, Some(e)),
        };
    }
    (requests, None)
}

/// Resolves once the server stops (at once if it already has, or if its owner is gone).
async fn stopping(shutdown: &mut watch::Receiver<bool>) {
    let _ = shutdown.wait_for(|stop| *stop).await;
}

/// When the server stops: runs every request that already reached this connection, the whole
/// frames in the read buffer and in the socket's receive buffer, in order, as if read normally
/// (their answers are queued). The socket is read directly, without waiting for the reactor to
/// report it readable: a request that arrived just before the stop signal must not be missed
/// because its readiness event is handled after it.
async fn run_received<R: ServedRead>(
    frames: &mut FramedRead<R, FrameSplitter>,
    conn: &Connection,
    processor: &Arc<dyn RequestProcessor>,
    serialize_type: SerializeType,
    waiting: &mut FuturesUnordered<BoxFuture<'static, ()>>,
) {
    let mut taken = 0;
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        loop {
            let decoded = match split_frame(frames.read_buffer_mut()) {
                Ok(Some(frame)) => decode_request(frame).await,
                Ok(None) => break,
                Err(e) => Err(e),
            };
            match decoded {
                Ok(cmd) if cmd.is_response() => {}
                Ok(cmd) => {
                    if let Some(pending) = dispatch(conn, cmd, processor, serialize_type).await {
                        waiting.push(pending);
                    }
                }
                Err(e) => {
                    log_bad_frame(conn, &e);
                    return;
                }
            }
        }
        if taken >= DRAIN_LIMIT {
            return;
        }
        match frames.get_mut().read_arrived(&mut chunk) {
            Ok(0) => return,
            Ok(n) => {
                taken += n;
                frames.read_buffer_mut().extend_from_slice(&chunk[..n]);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            // WouldBlock: nothing more has arrived. Any other error ends the connection anyway.
            Err(_) => return,
        }
    }
}

/// Closes connections that send nothing for `limit` (Java: 120 s) and have no request waiting.
/// One timer per connection, re-armed only when it rings; a frame just notes the time.
struct IdleClock {
    alarm: std::pin::Pin<Box<tokio::time::Sleep>>,
    last_frame: tokio::time::Instant,
    limit: Duration,
}

impl IdleClock {
    fn new(limit: Duration) -> Self {
        IdleClock {
            alarm: Box::pin(tokio::time::sleep(limit)),
            last_frame: tokio::time::Instant::now(),
            limit,
        }
    }

    fn touch(&mut self) {
        self.last_frame = tokio::time::Instant::now();
    }

    fn alarm(&mut self) -> &mut std::pin::Pin<Box<tokio::time::Sleep>> {
        &mut self.alarm
    }

    /// After the alarm rang: whether the connection is idle; if not, the alarm is re-armed.
    fn expired(&mut self, nothing_waiting: bool) -> bool {
        let now = tokio::time::Instant::now();
        let quiet_until = self.last_frame + self.limit;
        if nothing_waiting && quiet_until <= now {
            return true;
        }
        self.alarm
            .as_mut()
            .reset(quiet_until.max(now + self.limit / 4));
        false
    }
}

/// Queues the answers ready so far and, once the read buffer holds no whole request (the next
/// read would wait for the socket), writes them out. `false` when the processor vetoed them.
async fn write_answers<W: AsyncWrite + Unpin>(
    answers: &mut FramedWrite<W, RemotingCodec>,
    outbound: &mut mpsc::Receiver<RemotingCommand>,
    read_buffer: &[u8],
    processor: &dyn RequestProcessor,
    conn: &Connection,
) -> Result<bool, FrameError> {
    while let Ok(answer) = outbound.try_recv() {
        answers.feed(answer).await?;
    }
    if !answers.write_buffer().is_empty() && !frame_buffered(read_buffer) {
        if !processor.before_answering(conn) {
            return Ok(false);
        }
        answers.flush().await?;
    }
    Ok(true)
}

/// Decodes a request's header: here when it is small (every real client's), else on the
/// blocking pool ([`INLINE_HEADER_LIMIT`]).
async fn decode_request(frame: Bytes) -> Result<RemotingCommand, FrameError> {
    if declared_header_len(&frame) <= INLINE_HEADER_LIMIT {
        return decode_frame(frame);
    }
    // The semaphore is never closed; without a permit the decode would just run unthrottled.
    let _turn = LARGE_HEADER_DECODES.acquire().await.ok();
    tokio::task::spawn_blocking(move || decode_frame(frame))
        .await
        .unwrap_or_else(|e| {
            Err(FrameError::Io(std::io::Error::other(format!(
                "header decoding stopped: {e}"
            ))))
        })
}

fn log_bad_frame(conn: &Connection, e: &FrameError) {
    warn!(peer = %conn.peer, error = %e, "closing connection: malformed frame");
}

/// Runs the processor for one request. Most requests (sends with ASYNC_FLUSH, route and offset
/// queries) finish without waiting, so the future is polled once right here: its response is
/// queued before the next frame is read, and the writer can coalesce the responses of one read
/// into one write. A request that really waits (a long-polling pull, a send waiting for the
/// flush or the slave) is returned, for the connection to poll alongside later requests, so it
/// never holds them up. A request with a large body is polled in `block_in_place`: decoding up to
/// 16 MiB of body (a registration with 100,000 topics, a batch send) then moves this thread's
/// other connections to another runtime thread instead of making them wait.
async fn dispatch(
    conn: &Connection,
    request: RemotingCommand,
    processor: &Arc<dyn RequestProcessor>,
    serialize_type: SerializeType,
) -> Option<BoxFuture<'static, ()>> {
    let large = request.body_bytes().len() >= LARGE_BODY;
    let conn = conn.clone();
    let processor = processor.clone();
    let mut handled = async move {
        let opaque = request.opaque;
        let oneway = request.is_oneway();
        let code = request.code;
        let client = (request.language, request.version);
        let response = processor.process(&conn, request).await;
        if oneway {
            return;
        }
        if let Some(mut response) = response {
            debug!(peer = %conn.peer, language = ?client.0, version = client.1,
                request = %describe_request(code), response = %describe_response(response.code),
                "answered");
            response.opaque = opaque;
            response.flag |= FLAG_RESPONSE;
            response.serialize_type = serialize_type;
            let _ = conn.send(response).await;
        }
    }
    .boxed();
    let first = if large && can_block_in_place() {
        std::future::poll_fn(|cx| {
            Poll::Ready(tokio::task::block_in_place(|| handled.as_mut().poll(cx)))
        })
        .await
    } else {
        futures::poll!(handled.as_mut())
    };
    first.is_pending().then_some(handled)
}

/// `block_in_place` needs the multi-thread runtime (the servers' own); elsewhere (an in-process
/// server on a current-thread runtime) a large request is polled in place.
fn can_block_in_place() -> bool {
    tokio::runtime::Handle::try_current()
        .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread)
}

/// The standard answer for a request code a server does not handle.
pub fn not_supported(request: &RemotingCommand) -> RemotingCommand {
    RemotingCommand::response(
        ResponseCode::REQUEST_CODE_NOT_SUPPORTED,
        Some(format!(" request type {} not supported", request.code)),
    )
}

/// A SYSTEM_ERROR response with the reason as remark.
pub fn system_error(reason: impl std::fmt::Display) -> RemotingCommand {
    RemotingCommand::response(ResponseCode::SYSTEM_ERROR, Some(reason.to_string()))
}

/// SIGTERM and Ctrl-C, caught from the moment [`Termination::listen`] runs: a server listens
/// before it binds its ports, so a signal sent as soon as a port answers (by a supervisor or a
/// test) stops it cleanly instead of killing it with the default action.
pub struct Termination {
    #[cfg(unix)]
    signals: Option<(tokio::signal::unix::Signal, tokio::signal::unix::Signal)>,
}

impl Termination {
    /// Install the handlers; call inside the runtime.
    pub fn listen() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let signals = signal(SignalKind::terminate())
                .and_then(|term| Ok((term, signal(SignalKind::interrupt())?)));
            if let Err(e) = &signals {
                warn!(error = %e, "cannot catch SIGTERM; only Ctrl-C stops this process cleanly");
            }
            Termination {
                signals: signals.ok(),
            }
        }
        #[cfg(not(unix))]
        {
            Termination {}
        }
    }

    /// Resolve once the process got SIGTERM or Ctrl-C (at once if it came before this call).
    pub async fn received(self) {
        #[cfg(unix)]
        if let Some((mut term, mut interrupt)) = self.signals {
            tokio::select! {
                _ = term.recv() => {},
                _ = interrupt.recv() => {},
            }
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
    }
}
