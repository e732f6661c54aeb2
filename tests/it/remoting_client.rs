//! The async client against an in-process server: multiplexing by opaque, per-request timeouts
//! that name the address and request, connect errors, reconnecting after the server restarts,
//! the server closing idle connections (but not busy or waiting ones), and requests the server
//! sends reaching the client's subscribers.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap fails the run, saying where

use rmqctl::remoting::client::{ClientError, RemotingClient};
use rmqctl::remoting::server::{Connection, RemotingServer, RequestProcessor, ServerConfig};
use rmqctl::remoting::{RemotingCommand, RequestCode};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// Echoes the request code back as the body; never answers code 9999; answers code 9998 after
/// its delay; on code 9997 first sends the client a oneway NOTIFY_CONSUMER_IDS_CHANGED.
struct Echo {
    slow: Duration,
}

const ECHO: Echo = Echo {
    slow: Duration::from_millis(300),
};

#[async_trait::async_trait]
impl RequestProcessor for Echo {
    async fn process(&self, conn: &Connection, req: RemotingCommand) -> Option<RemotingCommand> {
        match req.code {
            9999 => None,
            9998 => {
                tokio::time::sleep(self.slow).await;
                Some(RemotingCommand::success().with_body(&b"slow"[..]))
            }
            9997 => {
                let notice = RemotingCommand::request(RequestCode::NOTIFY_CONSUMER_IDS_CHANGED)
                    .with_body(&b"from the server"[..])
                    .oneway();
                assert!(conn.send(notice).await);
                Some(RemotingCommand::success())
            }
            code => Some(RemotingCommand::success().with_body(code.to_string().into_bytes())),
        }
    }
}

async fn serve(addr: SocketAddr) -> (SocketAddr, watch::Sender<bool>, tokio::task::JoinHandle<()>) {
    let server = RemotingServer::bind(ServerConfig::new(addr), Arc::new(ECHO))
        .await
        .unwrap();
    let local = server.local_addr().unwrap();
    let (tx, rx) = watch::channel(false);
    let task = tokio::spawn(server.run(rx));
    (local, tx, task)
}

#[tokio::test]
async fn concurrent_requests_are_matched_by_opaque() {
    let (addr, _stop, _task) = serve("127.0.0.1:0".parse().unwrap()).await;
    let client = RemotingClient::default();
    let addr = addr.to_string();
    let slow = client.invoke(
        &addr,
        RemotingCommand::request_code(9998),
        Duration::from_secs(3),
    );
    let fast: Vec<_> = (1..50)
        .map(|code| {
            client.invoke(
                &addr,
                RemotingCommand::request_code(code),
                Duration::from_secs(3),
            )
        })
        .collect();
    let (slow, fast) = tokio::join!(slow, futures::future::join_all(fast));
    assert_eq!(slow.unwrap().body_bytes(), b"slow");
    for (i, r) in fast.into_iter().enumerate() {
        assert_eq!(r.unwrap().body_bytes(), (i + 1).to_string().as_bytes());
    }
}

#[tokio::test]
async fn timeouts_and_connect_errors_name_the_address_and_request() {
    let (addr, _stop, _task) = serve("127.0.0.1:0".parse().unwrap()).await;
    let client = RemotingClient::default();
    let err = client
        .invoke(
            &addr.to_string(),
            RemotingCommand::request_code(9999),
            Duration::from_millis(200),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, ClientError::Timeout { .. }));
    assert!(err.to_string().contains(&addr.to_string()), "{err}");
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let err = client
        .invoke(
            &closed.to_string(),
            RemotingCommand::request(RequestCode::GET_BROKER_CLUSTER_INFO),
            Duration::from_secs(2),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, ClientError::Connect { .. }), "{err}");
    assert!(err.to_string().contains(&closed.to_string()), "{err}");
}

#[tokio::test]
async fn reconnects_after_the_server_restarts() {
    let (addr, stop, task) = serve("127.0.0.1:0".parse().unwrap()).await;
    let client = RemotingClient::default();
    let a = addr.to_string();
    assert!(client
        .invoke_ok(&a, RemotingCommand::request_code(7), Duration::from_secs(2))
        .await
        .is_ok());
    stop.send(true).unwrap();
    task.await.unwrap();
    // The old connection is gone; wait until the client notices, then serve again on the port.
    for _ in 0..50 {
        if !client.is_connected(&a).await {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        !client.is_connected(&a).await,
        "client still thinks it is connected"
    );
    let (_addr, _stop, _task) = serve(addr).await;
    let r = client
        .invoke_ok(&a, RemotingCommand::request_code(8), Duration::from_secs(2))
        .await;
    assert_eq!(r.unwrap().body_bytes(), b"8");
}

/// A connection silent for the idle timeout is closed; one that keeps sending, or has a request
/// still being answered, is not. The busy client pings every 50 ms against a 2 s idle timeout
/// (only a stall of seconds could close it) until the idle one is closed.
#[tokio::test]
async fn idle_connections_are_closed_busy_and_waiting_ones_are_not() {
    let idle_timeout = Duration::from_secs(2);
    let mut config = ServerConfig::new("127.0.0.1:0".parse().unwrap());
    config.idle_timeout = idle_timeout;
    let slow = Echo {
        slow: idle_timeout * 2,
    };
    let server = RemotingServer::bind(config, Arc::new(slow)).await.unwrap();
    let addr = server.local_addr().unwrap().to_string();
    let (_stop, rx) = watch::channel(false);
    tokio::spawn(server.run(rx));

    let busy = RemotingClient::default();
    let idle = RemotingClient::default();
    let ping = |c: &RemotingClient| {
        let (c, addr) = (c.clone(), addr.clone());
        async move {
            c.invoke_ok(
                &addr,
                RemotingCommand::request_code(7),
                Duration::from_secs(10),
            )
            .await
            .unwrap()
        }
    };
    ping(&busy).await;
    ping(&idle).await;
    let start = std::time::Instant::now();
    while idle.is_connected(&addr).await {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "an idle connection stayed open"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
        ping(&busy).await;
    }
    assert!(
        start.elapsed() >= idle_timeout / 2,
        "closed after {:?}, before it was idle",
        start.elapsed()
    );
    assert!(
        busy.is_connected(&addr).await,
        "a busy connection was closed"
    );
    // A request answered after more than the idle timeout keeps its connection.
    let waiting = RemotingClient::default();
    let answer = waiting
        .invoke(
            &addr,
            RemotingCommand::request_code(9998),
            Duration::from_secs(30),
        )
        .await
        .unwrap();
    assert_eq!(answer.body_bytes(), b"slow");
}

#[tokio::test]
async fn requests_the_server_sends_reach_every_subscriber_with_the_address() {
    let (addr, _stop, _task) = serve("127.0.0.1:0".parse().unwrap()).await;
    let client = RemotingClient::default();
    let (mut first, mut second) = (client.server_requests(), client.clone().server_requests());
    let addr = addr.to_string();
    let answer = client
        .invoke(
            &addr,
            RemotingCommand::request_code(9997),
            Duration::from_secs(3),
        )
        .await
        .unwrap();
    assert!(answer.is_success(), "{answer:?}");
    for subscriber in [&mut first, &mut second] {
        let got = tokio::time::timeout(Duration::from_secs(60), subscriber.recv())
            .await
            .expect("the server's request within 60 s")
            .unwrap();
        assert_eq!(got.addr, addr);
        assert_eq!(
            got.request.code,
            RequestCode::NOTIFY_CONSUMER_IDS_CHANGED.code()
        );
        assert!(got.request.is_oneway());
        assert_eq!(got.request.body_bytes(), b"from the server");
    }
}
