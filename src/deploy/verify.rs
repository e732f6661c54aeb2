//! Is the cluster up as planned? Waits (with a cap) for ports to accept connections, for every
//! broker to be registered in every name server with the planned id and address, and for every
//! slave to be in sync with its master, for every gateway's `GET /healthz` to answer 200 (over
//! reqwest, the HTTP client the gateway's callbacks use too; https trusting only the inventory's
//! CA when the gateways serve https); and
//! probes every opened port from another host of the cluster, which is what proves the firewall
//! lets peers in.

use std::time::{Duration, Instant};

use crate::admin::Admin;

use super::access::{ClusterAccess, GatewayListener};
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

/// The client of gateways' `GET /healthz`: no proxy from the environment (the gateway is asked
/// directly, as peers reach it), no redirects, a time-out for each whole request. Plain http,
/// or with `[gateway] https = true` https that trusts the inventory's `[tls]` CA and nothing
/// else (not Mozilla's roots), the certificate naming the address asked (the host's address,
/// which `tls init` puts in each host's certificate).
pub struct HealthCheck {
    http: reqwest::Client,
    timeout: Duration,
    scheme: &'static str,
}

/// Largest part of an unhealthy answer's body read (the reason is short).
const MAX_REASON_BYTES: usize = 4096;

impl HealthCheck {
    pub fn new(timeout: Duration, listener: &GatewayListener) -> Result<Self, String> {
        let mut builder = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(timeout)
            .timeout(timeout)
            .user_agent(concat!("rmqctl-deploy/", env!("CARGO_PKG_VERSION")));
        if let GatewayListener::Https { ca_pem } = listener {
            builder = builder.tls_built_in_root_certs(false).https_only(true);
            for root in inventory_roots(ca_pem)? {
                builder = builder.add_root_certificate(root);
            }
        }
        let http = builder
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {}", causes(&e)))?;
        Ok(HealthCheck {
            http,
            timeout,
            scheme: listener.scheme(),
        })
    }

    /// `GET /healthz` of the gateway at `addr` (`host:port`): `Ok` on HTTP 200, else what
    /// answered (status line and the start of the body) or why nothing did.
    pub async fn healthz(&self, addr: &str) -> Result<(), String> {
        let url = healthz_url(self.scheme, addr);
        let response = self
            .http
            .get(&url)
            .send()
            .await
            .map_err(|e| self.failure(addr, &e))?;
        let status = response.status();
        if status == reqwest::StatusCode::OK {
            return Ok(());
        }
        let line = format!("{:?} {status}", response.version());
        let body = reason_of(response).await;
        let shown: String = body.trim().chars().take(200).collect();
        Err(if shown.is_empty() {
            line
        } else {
            format!("{line}: {shown}")
        })
    }

    fn failure(&self, addr: &str, e: &reqwest::Error) -> String {
        if e.is_timeout() {
            format!("no answer within {}ms", self.timeout.as_millis())
        } else if let Some(tls) = rustls_error(e) {
            format!("TLS with {addr} failed: {}", tls_problem(tls, addr))
        } else if e.is_connect() {
            format!("cannot connect to {addr}: {}", root_cause(e))
        } else {
            format!("no HTTP answer from {addr}: {}", causes(e))
        }
    }
}

/// The certificates of the inventory's CA (PEM) as reqwest's roots; an error when there is none.
fn inventory_roots(ca_pem: &str) -> Result<Vec<reqwest::Certificate>, String> {
    use rustls_pki_types::pem::PemObject;
    let mut roots = Vec::new();
    for der in rustls_pki_types::CertificateDer::pem_slice_iter(ca_pem.as_bytes()) {
        let der = der.map_err(|e| format!("the inventory's [tls] CA does not parse: {e}"))?;
        roots.push(
            reqwest::Certificate::from_der(der.as_ref())
                .map_err(|e| format!("the inventory's [tls] CA is not usable: {e}"))?,
        );
    }
    if roots.is_empty() {
        return Err("no CA certificate to verify the https gateways with: [gateway] https = true needs [tls] and its CA (`rmqctl check INVENTORY` says what is missing)".into());
    }
    Ok(roots)
}

/// The rustls error behind a failed request, if TLS failed: tokio-rustls wraps it in an I/O
/// error, which reqwest's connector wraps in another; an I/O error's `source()` skips what it
/// wraps, hence `get_ref`.
fn rustls_error<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    let mut next = Some(e);
    while let Some(error) = next {
        if let Some(tls) = error.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        next = match error.downcast_ref::<std::io::Error>() {
            Some(io) => io
                .get_ref()
                .map(|inner| inner as &(dyn std::error::Error + 'static)),
            None => error.source(),
        };
    }
    None
}

/// A failed TLS handshake with a gateway, in the terms of the inventory.
fn tls_problem(e: &rustls::Error, addr: &str) -> String {
    use rustls::{CertificateError, Error};
    let host = addr
        .rsplit_once(':')
        .map_or(addr, |(host, _)| host)
        .trim_start_matches('[')
        .trim_end_matches(']');
    match e {
        Error::InvalidCertificate(CertificateError::UnknownIssuer | CertificateError::BadSignature) => format!(
            "its certificate is not signed by the inventory's [tls] CA ({e}): the gateway serves its host's [tls] certificate; deploy again, or reissue it from the CA"
        ),
        Error::InvalidCertificate(
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
        ) => format!(
            "its certificate does not name {host} ({e}): reissue the host's certificate for its address (`rmqctl tls init DIR --hosts INVENTORY`)"
        ),
        Error::InvalidMessage(_) | Error::InappropriateMessage { .. } => format!(
            "it does not answer in TLS ({e}): a gateway without https (deploy again), or another service on the port"
        ),
        other => crate::remoting::tls::client_config::explain(other),
    }
}

/// The URL of a gateway's `/healthz` (`scheme` `http` or `https`, `addr` `host:port`).
pub fn healthz_url(scheme: &str, addr: &str) -> String {
    format!("{scheme}://{}/healthz", bracketed(addr))
}

/// The first bytes of an answer's body (what an unhealthy gateway says); what arrived when the
/// body breaks off.
async fn reason_of(mut response: reqwest::Response) -> String {
    let mut body = Vec::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        body.extend_from_slice(&chunk);
        if body.len() >= MAX_REASON_BYTES {
            break;
        }
    }
    String::from_utf8_lossy(&body).into_owned()
}

/// `host:port` with brackets around an IPv6 host, as a URL needs it.
fn bracketed(addr: &str) -> String {
    match addr.rsplit_once(':') {
        Some((host, port)) if host.contains(':') && !host.starts_with('[') => {
            format!("[{host}]:{port}")
        }
        _ => addr.to_string(),
    }
}

/// The sources of an error, joined (reqwest's own text is "error sending request for url").
fn causes(e: &dyn std::error::Error) -> String {
    let mut parts = Vec::new();
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    if parts.is_empty() {
        e.to_string()
    } else {
        parts.join(": ")
    }
}

/// The innermost source (`Connection refused (os error 111)`).
fn root_cause(e: &dyn std::error::Error) -> String {
    let mut last = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        last = s.to_string();
        source = s.source();
    }
    last
}

/// Waits until every gateway's `/healthz` answers 200; one check each.
pub async fn wait_healthy(
    gateways: &[&InstancePlan],
    listener: &GatewayListener,
    deadline: Instant,
) -> Vec<Check> {
    let client = HealthCheck::new(REQUEST_TIMEOUT, listener);
    let checks = gateways.iter().map(|gateway| {
        let client = &client;
        async move {
            let addr = endpoint(gateway);
            let result = match client {
                Ok(client) => loop {
                    let result = client.healthz(&addr).await;
                    if result.is_ok() || Instant::now() >= deadline {
                        break result;
                    }
                    tokio::time::sleep(POLL).await;
                },
                Err(e) => Err(e.clone()),
            };
            Check {
                check: "healthy",
                target: format!(
                    "{}@{} ({})",
                    gateway.name,
                    gateway.host,
                    healthz_url(listener.scheme(), &addr)
                ),
                ok: result.is_ok(),
                detail: result.err().unwrap_or_default(),
            }
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
        let closed = closed_address();
        let out = probe(&[open.clone(), closed.clone()], Duration::from_secs(1)).await;
        let parsed = parse_probe(&out);
        assert_eq!(parsed[0], (open, Ok(())));
        assert_eq!(parsed[1].0, closed);
        assert!(parsed[1].1.is_err(), "{out}");
    }

    /// A loopback address nothing listens on (bound, then let go).
    fn closed_address() -> String {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        l.local_addr().map(|a| a.to_string()).unwrap_or_default()
    }

    /// `check` of an address nothing listens on says it cannot connect, naming the address.
    async fn refused_connection_is_named(check: &HealthCheck) {
        let closed = closed_address();
        let error = check.healthz(&closed).await.err().unwrap_or_default();
        assert!(
            error.starts_with(&format!("cannot connect to {closed}: ")),
            "{error}"
        );
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
        let check = HealthCheck::new(Duration::from_secs(5), &GatewayListener::Http)
            .unwrap_or_else(|e| panic!("{e}"));
        let (addr, server) =
            answer_once("HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok")
                .await;
        assert_eq!(check.healthz(&addr).await, Ok(()));
        let request = server.await.unwrap_or_default().to_ascii_lowercase();
        assert!(
            request.starts_with("get /healthz http/1.1\r\n"),
            "{request}"
        );
        assert!(request.contains(&format!("host: {addr}")), "{request}");
        assert!(request.contains("user-agent: rmqctl-deploy/"), "{request}");

        let (addr, _server) = answer_once(
            "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 27\r\n\r\nno writable broker answered",
        )
        .await;
        assert_eq!(
            check.healthz(&addr).await,
            Err("HTTP/1.1 503 Service Unavailable: no writable broker answered".into())
        );

        // A redirect is an answer, not followed.
        let (addr, _server) = answer_once(
            "HTTP/1.1 302 Found\r\nlocation: http://127.0.0.1:9/healthz\r\ncontent-length: 0\r\n\r\n",
        )
        .await;
        assert_eq!(check.healthz(&addr).await, Err("HTTP/1.1 302 Found".into()));

        // Something that does not speak HTTP (a broker port, say).
        let (addr, _server) = answer_once("\0\0\0\x10not http at all\r\n\r\n").await;
        let error = check.healthz(&addr).await.err().unwrap_or_default();
        assert!(
            error.starts_with(&format!("no HTTP answer from {addr}: ")),
            "{error}"
        );

        refused_connection_is_named(&check).await;
    }

    /// A gateway that accepts and never answers is reported as such once the time-out passes.
    #[tokio::test]
    async fn healthz_gives_up_on_a_silent_gateway() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let addr = listener
            .local_addr()
            .map(|a| a.to_string())
            .unwrap_or_default();
        let _held = tokio::spawn(async move {
            let (stream, _) = listener.accept().await.unwrap_or_else(|e| panic!("{e}"));
            tokio::time::sleep(Duration::from_secs(60)).await;
            drop(stream);
        });
        let check = HealthCheck::new(Duration::from_millis(300), &GatewayListener::Http)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            check.healthz(&addr).await,
            Err("no answer within 300ms".into())
        );
    }

    #[test]
    fn ipv6_hosts_get_brackets() {
        assert_eq!(bracketed("10.0.0.1:8080"), "10.0.0.1:8080");
        assert_eq!(bracketed("fd00::7:8080"), "[fd00::7]:8080");
        assert_eq!(bracketed("[fd00::7]:8080"), "[fd00::7]:8080");
    }

    /// A real gateway listener (the gateway's own `HttpListener`, with rustls serving `cert`
    /// and `key` (PEM texts) when given) at 127.0.0.1, whose `/healthz` answers `status` with
    /// `reason`.
    async fn gateway(
        dir: &std::path::Path,
        cert_and_key: Option<(&str, &str)>,
        status: u16,
        reason: &'static str,
    ) -> String {
        std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{e}"));
        let tls = cert_and_key.map(|(cert, key)| {
            let (cert_path, key_path) = (dir.join("gw.pem"), dir.join("gw-key.pem"));
            std::fs::write(&cert_path, cert).unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(&key_path, key).unwrap_or_else(|e| panic!("{e}"));
            crate::gateway::config::ListenerTls {
                cert: cert_path,
                key: key_path,
                key_password_file: None,
            }
        });
        let listener = crate::gateway::server::HttpListener::bind("127.0.0.1:0", tls.as_ref())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let addr = listener
            .local_addr()
            .map(|a| a.to_string())
            .unwrap_or_default();
        let status = axum::http::StatusCode::from_u16(status).unwrap_or_else(|e| panic!("{e}"));
        let router = axum::Router::new().route(
            "/healthz",
            axum::routing::get(move || async move { (status, reason) }),
        );
        // Serves until the test's runtime ends.
        drop(listener.serve(router, tokio_util::sync::CancellationToken::new()));
        addr
    }

    fn https_to(ca: &crate::remoting::tls::issue::CertificateAuthority) -> GatewayListener {
        GatewayListener::Https {
            ca_pem: std::sync::Arc::from(ca.cert_pem().as_str()),
        }
    }

    /// With `[gateway] https = true` the check speaks https, trusts the inventory's CA alone
    /// and wants the certificate to name the address asked: 200 passes, 503 says what
    /// answered, a certificate of another CA, one for another address and a plain http answer
    /// say that TLS failed and why.
    #[tokio::test]
    async fn healthz_over_https_trusts_the_inventory_ca_and_the_hosts_address() {
        use crate::remoting::tls::issue::{CertificateAuthority, Usage, Validity};
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let ca = CertificateAuthority::generate("inventory CA", Validity::days(10))
            .unwrap_or_else(|e| panic!("{e}"));
        let issue = |ca: &CertificateAuthority, name: &str| {
            ca.issue(&[name.to_string()], Usage::Peer, Validity::days(5))
                .unwrap_or_else(|e| panic!("{e}"))
        };
        let check = HealthCheck::new(Duration::from_secs(10), &https_to(&ca))
            .unwrap_or_else(|e| panic!("{e}"));

        let host = issue(&ca, "127.0.0.1");
        let healthy_dir = dir.path().join("healthy");
        let addr = gateway(
            &healthy_dir,
            Some((&host.cert_pem, &host.key_pem)),
            200,
            "ok",
        )
        .await;
        assert_eq!(check.healthz(&addr).await, Ok(()));

        let sick_dir = dir.path().join("sick");
        let addr = gateway(
            &sick_dir,
            Some((&host.cert_pem, &host.key_pem)),
            503,
            "no writable broker answered",
        )
        .await;
        assert_eq!(
            check.healthz(&addr).await,
            Err("HTTP/1.1 503 Service Unavailable: no writable broker answered".into())
        );

        let other_ca = CertificateAuthority::generate("another CA", Validity::days(10))
            .unwrap_or_else(|e| panic!("{e}"));
        // A certificate of another CA, and one of the inventory CA for another address.
        for (name, served, why) in [
            (
                "foreign",
                issue(&other_ca, "127.0.0.1"),
                "its certificate is not signed by the inventory's [tls] CA",
            ),
            (
                "elsewhere",
                issue(&ca, "10.9.9.9"),
                "its certificate does not name 127.0.0.1",
            ),
        ] {
            let addr = gateway(
                &dir.path().join(name),
                Some((&served.cert_pem, &served.key_pem)),
                200,
                "ok",
            )
            .await;
            let error = check.healthz(&addr).await.err().unwrap_or_default();
            assert!(
                error.starts_with(&format!("TLS with {addr} failed: {why}")),
                "{name}: {error}"
            );
        }

        // A gateway that serves plain http (its answer to the TLS hello is not TLS).
        let addr = gateway(&dir.path().join("plain"), None, 200, "ok").await;
        let error = check.healthz(&addr).await.err().unwrap_or_default();
        assert!(
            error.starts_with(&format!(
                "TLS with {addr} failed: it does not answer in TLS"
            )),
            "{error}"
        );

        refused_connection_is_named(&check).await;
    }

    /// No CA (a render without `[tls]`'s CA) is an error of the client, not a plain http
    /// fallback; the report's target shows the scheme.
    #[test]
    fn https_without_a_ca_is_an_error_and_urls_show_the_scheme() {
        let empty = GatewayListener::Https {
            ca_pem: std::sync::Arc::from(""),
        };
        let error = HealthCheck::new(Duration::from_secs(1), &empty)
            .err()
            .unwrap_or_default();
        assert!(error.contains("no CA certificate"), "{error}");
        assert_eq!(
            healthz_url(empty.scheme(), "10.0.0.1:8080"),
            "https://10.0.0.1:8080/healthz"
        );
        assert_eq!(
            healthz_url(GatewayListener::Http.scheme(), "fd00::7:8080"),
            "http://[fd00::7]:8080/healthz"
        );
    }
}
