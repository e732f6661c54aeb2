//! The caps on connections (`serverMaxConnections`, `serverMaxConnectionsPerAddress`) of real
//! `rmqctl namesrv` and `rmqctl broker` processes: connections up to a small cap are served, the
//! next one is closed by the server without an answer while the others keep being served, a
//! place freed by a closed connection is taken again, other addresses (127.0.0.x: all loopback)
//! are not affected by a per-address cap, and the refusal is logged once per address.

use crate::common;

use common::{BrokerSpec, ServerProcess};
use futures::{SinkExt, StreamExt};
use rmqctl::remoting::frame::RemotingCodec;
use rmqctl::remoting::{RemotingCommand, RequestCode};
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};
use tokio::net::{TcpSocket, TcpStream};
use tokio_util::codec::Framed;

/// Generous cap for anything that should take milliseconds.
const CAP: Duration = Duration::from_secs(60);
/// The warning of a refusal.
const REFUSAL_LINE: &str = "connection limit reached";

type Conn = Framed<TcpStream, RemotingCodec>;

/// A connection to `to` from the loopback address `from` (127.0.0.x).
async fn connect(from: [u8; 4], to: SocketAddr) -> Conn {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::new(IpAddr::from(from), 0)).unwrap();
    let stream = socket.connect(to).await.unwrap();
    Framed::new(stream, RemotingCodec)
}

/// Sends `code` and waits for its answer: true when answered, false when the server closed the
/// connection without one.
async fn answered(conn: &mut Conn, code: RequestCode) -> bool {
    let mut req = RemotingCommand::request(code);
    req.opaque = 42;
    if conn.send(req).await.is_err() {
        return false;
    }
    loop {
        match tokio::time::timeout(CAP, conn.next()).await {
            Err(_) => panic!("neither an answer nor a close within {CAP:?}"),
            Ok(None) | Ok(Some(Err(_))) => return false,
            Ok(Some(Ok(cmd))) if cmd.is_response() && cmd.opaque == 42 => return true,
            Ok(Some(Ok(_))) => {}
        }
    }
}

/// A connection from `from` that the server serves; retried while a place is still held by a
/// connection that was just closed (the server frees it once it sees the close).
async fn served(from: [u8; 4], to: SocketAddr, code: RequestCode) -> Conn {
    let start = Instant::now();
    loop {
        let mut conn = connect(from, to).await;
        if answered(&mut conn, code).await {
            return conn;
        }
        assert!(
            start.elapsed() < CAP,
            "no place for a connection from {from:?} to {to} in {CAP:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The server closes a new connection from `from` without answering.
async fn assert_refused(from: [u8; 4], to: SocketAddr, code: RequestCode) {
    let mut conn = connect(from, to).await;
    assert!(
        !answered(&mut conn, code).await,
        "a connection from {from:?} to {to} over the cap was served"
    );
}

fn refusal_lines(log: &str, port_name: &str) -> usize {
    log.lines()
        .filter(|l| l.contains(REFUSAL_LINE) && l.contains(port_name))
        .count()
}

fn start_namesrv(dir: &std::path::Path, extra: &str) -> ServerProcess {
    let conf = dir.join("namesrv.properties");
    std::fs::write(
        &conf,
        format!(
            "listenPort=0\nbindAddress=127.0.0.1\nkvConfigPath={}\nconfigStorePath={}\n{extra}\n",
            dir.join("kvConfig.json").display(),
            dir.join("namesrv-store.properties").display(),
        ),
    )
    .unwrap();
    ServerProcess::start_on_port_0(
        &["namesrv", "-c", conf.to_str().unwrap()],
        &dir.join("namesrv.log"),
        "name server listening",
    )
}

#[tokio::test]
async fn name_server_caps_connections_per_address() {
    let dir = tempfile::tempdir().unwrap();
    let ns = start_namesrv(
        dir.path(),
        "serverMaxConnections=100\nserverMaxConnectionsPerAddress=3",
    );
    let code = RequestCode::GET_ALL_TOPIC_LIST_FROM_NAMESERVER;
    let local = [127, 0, 0, 1];
    let mut open = Vec::new();
    for _ in 0..3 {
        open.push(served(local, ns.addr, code).await);
    }
    assert_refused(local, ns.addr, code).await;
    assert_refused(local, ns.addr, code).await;
    // Another address has places of its own.
    let mut other = served([127, 0, 0, 2], ns.addr, code).await;
    assert!(answered(&mut other, code).await);
    // The open connections are served as before.
    for conn in &mut open {
        assert!(answered(conn, code).await, "{}", ns.log_text());
    }
    // A closed connection frees its place.
    drop(open.pop());
    open.push(served(local, ns.addr, code).await);
    assert_refused(local, ns.addr, code).await;

    // Three refusals of one address within a minute: one warning.
    wait_for_lines(&ns, "name server port", 1).await;
    let log = ns.log_text();
    assert!(
        log.contains("serverMaxConnectionsPerAddress=3"),
        "the warning names the key to raise\n{log}"
    );
}

#[tokio::test]
async fn broker_caps_connections_in_total_on_every_port() {
    let dir = tempfile::tempdir().unwrap();
    let ns = common::start_namesrv(dir.path(), 120_000);
    let spec = BrokerSpec {
        extra: "serverMaxConnections=3\nserverMaxConnectionsPerAddress=0",
        ..BrokerSpec::default()
    };
    let broker = common::start_broker(dir.path(), ns.addr, &spec);
    let main = broker.addr;
    let fast = SocketAddr::new(main.ip(), main.port() - 2);
    let ha = SocketAddr::new(main.ip(), main.port() + 1);
    let code = RequestCode::GET_BROKER_RUNTIME_INFO;

    for (port, name) in [(main, "listenPort"), (fast, "fast port")] {
        // Three addresses fill the total cap of 3.
        let mut open = Vec::new();
        for i in 1..=3 {
            open.push(served([127, 0, 0, i], port, code).await);
        }
        assert_refused([127, 0, 0, 4], port, code).await;
        assert_refused([127, 0, 0, 4], port, code).await;
        for conn in &mut open {
            assert!(answered(conn, code).await, "{}", broker.log_text());
        }
        drop(open.remove(0));
        open.push(served([127, 0, 0, 4], port, code).await);
        assert_refused([127, 0, 0, 5], port, code).await;
        // One warning for 127.0.0.4 (refused twice) and one for 127.0.0.5.
        wait_for_lines(&broker, name, 2).await;
    }

    // The HA port: three silent "slaves" hold the places (the master waits up to
    // haHousekeepingInterval, 20 s, for their first report); a fourth is closed at once.
    let mut slaves = Vec::new();
    for i in 1..=3 {
        slaves.push(connect([127, 0, 0, i], ha).await);
    }
    let mut extra = connect([127, 0, 0, 4], ha).await;
    let closed = tokio::time::timeout(CAP, extra.next())
        .await
        .expect("the HA port closes the fourth connection");
    assert!(matches!(closed, None | Some(Err(_))), "{closed:?}");
    wait_for_lines(&broker, "HA port", 1).await;
    drop(slaves);
}

/// Waits until the log holds `n` refusal warnings of `port_name`, then checks it holds no more.
async fn wait_for_lines(server: &ServerProcess, port_name: &str, n: usize) {
    let start = Instant::now();
    while refusal_lines(&server.log_text(), port_name) < n && start.elapsed() < CAP {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let log = server.log_text();
    assert_eq!(
        refusal_lines(&log, port_name),
        n,
        "refusal warnings of the {port_name}\n{log}"
    );
}
