//! Is the cluster up as planned? Waits (with a cap) for ports to accept connections, for every
//! broker to be registered in every name server with the planned id and address, and for every
//! slave to be in sync with its master, for every gateway's `GET /healthz` to answer 200; and
//! probes every opened port from another host of the cluster, which is what proves the firewall
//! lets peers in.

use std::time::{Duration, Instant};

use crate::admin::Admin;

use super::access::ClusterAccess;
use super::plan::{InstancePlan, Role};
use super::report::Check;

/// How often conditions are polled while waiting.
const POLL: Duration = Duration::from_millis(50);

/// Per-request time-out of verification requests.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(2);

/// `address:port` of an instance.
pub fn endpoint(instance: &InstancePlan) -> String {
    format!("{}:{}", instance.address, instance.port)
}

/// Waits until `addr` accepts TCP connections.
pub async fn wait_port(addr: &str, deadline: Instant) -> Result<(), String> {
    loop {
        let attempt =
            tokio::time::timeout(REQUEST_TIMEOUT, tokio::net::TcpStream::connect(addr)).await;
        match attempt {
            Ok(Ok(_)) => return Ok(()),
            Ok(Err(e)) if Instant::now() >= deadline => return Err(e.to_string()),
            Err(_) if Instant::now() >= deadline => return Err("connect timed out".into()),
            _ => tokio::time::sleep(POLL).await,
        }
    }
}

/// What `namesrv` says about `broker`: `Ok` when registered with the planned id and address.
async fn registration(admin: &Admin, cluster: &str, broker: &InstancePlan) -> Result<(), String> {
    let info = admin.cluster_info().await.map_err(|e| e.to_string())?;
    let name = broker.broker_name.as_deref().unwrap_or_default();
    let id = broker.broker_id.unwrap_or_default();
    let want = endpoint(broker);
    let Some(data) = info.broker_addr_table.get(name) else {
        return Err(format!("{name} is not registered"));
    };
    if !info
        .cluster_addr_table
        .get(cluster)
        .is_some_and(|names| names.contains(name))
    {
        return Err(format!("{name} is not in cluster {cluster}"));
    }
    match data.broker_addrs.get(&id) {
        Some(addr) if *addr == want => Ok(()),
        Some(addr) => Err(format!(
            "{name} id {id} registered as {addr}, planned {want}"
        )),
        None => Err(format!(
            "{name} has no broker with id {id} (planned {want})"
        )),
    }
}

/// Waits until every broker is registered in every name server; one check per pair.
pub async fn wait_registered(
    namesrvs: &[String],
    cluster: &str,
    brokers: &[&InstancePlan],
    deadline: Instant,
    access: &ClusterAccess,
) -> Vec<Check> {
    let pairs = namesrvs
        .iter()
        .flat_map(|ns| brokers.iter().map(move |b| (ns, *b)));
    let checks = pairs.map(|(ns, broker)| async move {
        let Some(admin) = access.admin(ns, REQUEST_TIMEOUT) else {
            return check(
                "registered",
                ns,
                broker,
                Err(format!("bad name-server address {ns}")),
            );
        };
        let result = loop {
            let result = registration(&admin, cluster, broker).await;
            if result.is_ok() || Instant::now() >= deadline {
                break result;
            }
            tokio::time::sleep(POLL).await;
        };
        check("registered", ns, broker, result)
    });
    futures::future::join_all(checks).await
}

fn check(kind: &'static str, at: &str, broker: &InstancePlan, result: Result<(), String>) -> Check {
    let target = format!("{}@{} in {at}", broker.name, broker.host);
    match result {
        Ok(()) => Check {
            check: kind,
            target,
            ok: true,
            detail: String::new(),
        },
        Err(detail) => Check {
            check: kind,
            target,
            ok: false,
            detail,
        },
    }
}

/// Waits until every slave says it is in sync with its master (`slaveInSync`).
pub async fn wait_in_sync(
    slaves: &[&InstancePlan],
    deadline: Instant,
    access: &ClusterAccess,
) -> Vec<Check> {
    let checks = slaves
        .iter()
        .filter(|s| s.role == Role::Slave)
        .map(|slave| async move {
            let addr = endpoint(slave);
            let Some(admin) = access.admin(&addr, REQUEST_TIMEOUT) else {
                return check("in-sync", &addr, slave, Err("bad address".into()));
            };
            let result = loop {
                let result = match admin.runtime_info(&addr).await {
                    Ok(kv) if kv.get("slaveInSync").map(String::as_str) == Some("true") => Ok(()),
                    Ok(kv) => Err(format!(
                        "not in sync (haConnectionState {}, masterAddr {})",
                        kv.get("haConnectionState").map_or("?", String::as_str),
                        kv.get("masterAddr").map_or("?", String::as_str)
                    )),
                    Err(e) => Err(e.to_string()),
                };
                if result.is_ok() || Instant::now() >= deadline {
                    break result;
                }
                tokio::time::sleep(POLL).await;
            };
            Check {
                check: "in-sync",
                target: format!("{}@{}", slave.name, slave.host),
                ok: result.is_ok(),
                detail: result.err().unwrap_or_default(),
            }
        });
    futures::future::join_all(checks).await
}

/// `GET /healthz` of a gateway at `addr` (`host:port`): `Ok` on HTTP 200, else what answered.
///
/// A minimal HTTP/1.1 request over a `TcpStream`, written by hand: rmqctl has no HTTP client
/// crate, and one GET with `Connection: close` whose status line is all we read does not
/// justify one (the gateway's own HTTP stack is a server).
pub async fn healthz(addr: &str, timeout: Duration) -> Result<(), String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let exchange = async {
        let mut stream = tokio::net::TcpStream::connect(addr)
            .await
            .map_err(|e| e.to_string())?;
        let request =
            format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nUser-Agent: rmqctl-deploy\r\n\r\n");
        stream
            .write_all(request.as_bytes())
            .await
            .map_err(|e| e.to_string())?;
        // The status line and some of the body (the reason, when not healthy).
        let mut answer = Vec::with_capacity(512);
        let mut chunk = [0u8; 512];
        while answer.len() < 4096 {
            let n = stream.read(&mut chunk).await.map_err(|e| e.to_string())?;
            if n == 0 {
                break;
            }
            answer.extend_from_slice(&chunk[..n]);
        }
        Ok::<_, String>(String::from_utf8_lossy(&answer).into_owned())
    };
    let text = tokio::time::timeout(timeout, exchange)
        .await
        .map_err(|_| format!("no answer within {}ms", timeout.as_millis()))??;
    let status_line = text.lines().next().unwrap_or_default();
    let code = status_line.split_whitespace().nth(1).unwrap_or_default();
    if status_line.starts_with("HTTP/1.") && code == "200" {
        return Ok(());
    }
    let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b).trim();
    let shown: String = body.chars().take(200).collect();
    Err(if status_line.is_empty() {
        "closed without an HTTP answer".to_string()
    } else {
        format!("{status_line}: {shown}")
            .trim_end_matches(": ")
            .to_string()
    })
}

/// Waits until every gateway's `/healthz` answers 200; one check each.
pub async fn wait_healthy(gateways: &[&InstancePlan], deadline: Instant) -> Vec<Check> {
    let checks = gateways.iter().map(|gateway| async move {
        let addr = endpoint(gateway);
        let result = loop {
            let result = healthz(&addr, REQUEST_TIMEOUT).await;
            if result.is_ok() || Instant::now() >= deadline {
                break result;
            }
            tokio::time::sleep(POLL).await;
        };
        Check {
            check: "healthy",
            target: format!("{}@{} (http://{addr}/healthz)", gateway.name, gateway.host),
            ok: result.is_ok(),
            detail: result.err().unwrap_or_default(),
        }
    });
    futures::future::join_all(checks).await
}

/// One line of `rmqctl __probe` output: `ADDR open` or `ADDR closed REASON`.
pub fn parse_probe(stdout: &str) -> Vec<(String, Result<(), String>)> {
    stdout
        .lines()
        .filter_map(|line| {
            let mut words = line.splitn(3, ' ');
            let addr = words.next()?.to_string();
            match words.next()? {
                "open" => Some((addr, Ok(()))),
                _ => Some((addr, Err(words.next().unwrap_or("closed").to_string()))),
            }
        })
        .collect()
}

/// Tries every address at once; prints one line each (what `rmqctl __probe` does on a peer).
pub async fn probe(addrs: &[String], timeout: Duration) -> String {
    let attempts = addrs.iter().map(|addr| async move {
        match tokio::time::timeout(timeout, tokio::net::TcpStream::connect(addr.as_str())).await {
            Ok(Ok(_)) => format!("{addr} open\n"),
            Ok(Err(e)) => format!("{addr} closed {e}\n"),
            Err(_) => format!("{addr} closed no answer within {}ms\n", timeout.as_millis()),
        }
    });
    futures::future::join_all(attempts).await.concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn probe_tells_open_from_closed() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let open = listener
            .local_addr()
            .map(|a| a.to_string())
            .unwrap_or_default();
        let closed = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
            l.local_addr().map(|a| a.to_string()).unwrap_or_default()
        };
        let out = probe(&[open.clone(), closed.clone()], Duration::from_secs(1)).await;
        let parsed = parse_probe(&out);
        assert_eq!(parsed[0], (open, Ok(())));
        assert_eq!(parsed[1].0, closed);
        assert!(parsed[1].1.is_err(), "{out}");
    }

    /// Serves one connection: reads the request head, answers `response`, closes.
    async fn answer_once(response: &'static str) -> (String, tokio::task::JoinHandle<String>) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let addr = listener
            .local_addr()
            .map(|a| a.to_string())
            .unwrap_or_default();
        let server = tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap_or_else(|e| panic!("{e}"));
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") {
                if stream.read(&mut byte).await.unwrap_or(0) == 0 {
                    break;
                }
                head.push(byte[0]);
            }
            stream
                .write_all(response.as_bytes())
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            String::from_utf8_lossy(&head).into_owned()
        });
        (addr, server)
    }

    #[tokio::test]
    async fn healthz_wants_200_and_says_what_answered_otherwise() {
        let (addr, server) =
            answer_once("HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok")
                .await;
        assert_eq!(healthz(&addr, Duration::from_secs(5)).await, Ok(()));
        let request = server.await.unwrap_or_default();
        assert!(
            request.starts_with("GET /healthz HTTP/1.1\r\n"),
            "{request}"
        );
        assert!(request.contains("Connection: close"), "{request}");

        let (addr, _server) = answer_once(
            "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 27\r\n\r\nno writable broker answered",
        )
        .await;
        let error = healthz(&addr, Duration::from_secs(5))
            .await
            .err()
            .unwrap_or_default();
        assert_eq!(
            error,
            "HTTP/1.1 503 Service Unavailable: no writable broker answered"
        );

        let closed = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
            l.local_addr().map(|a| a.to_string()).unwrap_or_default()
        };
        assert!(healthz(&closed, Duration::from_secs(5)).await.is_err());
    }
}
