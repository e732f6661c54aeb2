//! `rmqctl gateway`, the HTTP side, as real processes: a name server, a broker and the gateway,
//! spoken to over HTTP/1.1 (keep-alive) with hyper's client: `/send` stores the message (read
//! back from the broker), bad requests get 400/403/401 and store nothing, `/topics/{topic}/messages`,
//! `/healthz` follows the broker, `/metrics` parses, TLS listener, SIGTERM finishes a request in
//! flight and exits 0.

use crate::common::{self, Cluster, ServerProcess};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use rmqctl::admin::messages::MessageView;
use rmqctl::admin::namesrv_set::NamesrvSet;
use rmqctl::admin::Admin;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

const ALLOWED: &str = "http://127.0.0.1:9/hooks/";
/// Generous cap for conditions waited for (debug builds on a busy machine).
const WAIT_LIMIT: Duration = Duration::from_secs(60);

/// One HTTP answer.
struct Answer {
    status: u16,
    headers: hyper::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One keep-alive HTTP/1.1 connection (plain, or TLS trusting `ca`).
struct Http {
    runtime: tokio::runtime::Runtime,
    sender: hyper::client::conn::http1::SendRequest<Full<Bytes>>,
    host: String,
}

impl Http {
    fn connect(addr: SocketAddr) -> Http {
        Self::open(addr, None)
    }

    fn connect_tls(addr: SocketAddr, ca_der: Vec<u8>) -> Http {
        Self::open(addr, Some(ca_der))
    }

    fn open(addr: SocketAddr, ca_der: Option<Vec<u8>>) -> Http {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let sender = runtime.block_on(async {
            let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
            match ca_der {
                None => handshake(stream).await,
                Some(ca) => {
                    let mut roots = rustls::RootCertStore::empty();
                    roots.add(ca.into()).unwrap();
                    let config = rustls::ClientConfig::builder_with_provider(
                        rmqctl::remoting::tls::server_config::provider(),
                    )
                    .with_safe_default_protocol_versions()
                    .unwrap()
                    .with_root_certificates(roots)
                    .with_no_client_auth();
                    let connector = tokio_rustls::TlsConnector::from(std::sync::Arc::new(config));
                    let name = rustls_pki_types::ServerName::try_from("localhost").unwrap();
                    let tls = connector.connect(name, stream).await.unwrap();
                    handshake(tls).await
                }
            }
        });
        Http {
            runtime,
            sender,
            host: addr.to_string(),
        }
    }

    fn request(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Answer {
        let mut request = hyper::Request::builder()
            .method(method)
            .uri(path)
            .header("host", &self.host);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = request
            .body(Full::new(Bytes::copy_from_slice(body)))
            .unwrap();
        let sender = &mut self.sender;
        self.runtime.block_on(async {
            sender.ready().await.expect("connection still usable");
            let response = sender.send_request(request).await.expect("an answer");
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let body = response.into_body().collect().await.unwrap().to_bytes();
            Answer {
                status,
                headers,
                body: body.to_vec(),
            }
        })
    }

    fn post(&mut self, path: &str, body: &str) -> Answer {
        self.request("POST", path, &[], body.as_bytes())
    }

    fn get(&mut self, path: &str) -> Answer {
        self.request("GET", path, &[], b"")
    }
}

async fn handshake<S>(stream: S) -> hyper::client::conn::http1::SendRequest<Full<Bytes>>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(connection);
    sender
}

/// Start `rmqctl gateway` on a port-0 listener with `toml` as its gateway.toml.
fn start_gateway(cluster: &Cluster, name: &str, toml: &str) -> ServerProcess {
    let config = cluster.home().join(format!("{name}.toml"));
    std::fs::write(&config, toml).unwrap();
    let log = cluster.home().join(format!("{name}.log"));
    let ns = cluster.ns();
    ServerProcess::start_on_port_0(
        &[
            "gateway",
            "-c",
            config.to_str().unwrap(),
            "--listen",
            "127.0.0.1:0",
            "-n",
            &ns,
        ],
        &log,
        "gateway listening",
    )
}

fn plain_config() -> String {
    format!("allow_callbacks = [\"{ALLOWED}\"]\n")
}

fn admin(cluster: &Cluster) -> Admin {
    Admin::new(
        NamesrvSet::parse(&cluster.ns()).unwrap(),
        Duration::from_secs(5),
    )
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

/// The message with unique id `msg_id` in `topic`, read from the broker (waits until it shows).
fn stored_message(cluster: &Cluster, topic: &str, msg_id: &str) -> MessageView {
    let admin = admin(cluster);
    let start = Instant::now();
    loop {
        if let Ok(messages) = block_on(admin.consume(topic, None, 10_000)) {
            if let Some(m) = messages.into_iter().find(|m| m.msg_id == msg_id) {
                return m;
            }
        }
        assert!(
            start.elapsed() < WAIT_LIMIT,
            "{msg_id} never readable in {topic}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Messages stored in `topic` (sum of the queues' max offsets).
fn stored_count(cluster: &Cluster, topic: &str) -> i64 {
    block_on(admin(cluster).topic_status(topic))
        .unwrap()
        .iter()
        .map(|q| q.max_offset)
        .sum()
}

/// Every sample line of Prometheus text as (name with labels, value); panics on a bad line.
fn parse_metrics(text: &str) -> Vec<(String, f64)> {
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (name, value) = l
                .rsplit_once(' ')
                .unwrap_or_else(|| panic!("bad line {l:?}"));
            let value: f64 = value
                .parse()
                .unwrap_or_else(|_| panic!("bad value in {l:?}"));
            (name.to_string(), value)
        })
        .collect()
}

fn metric(samples: &[(String, f64)], name: &str) -> f64 {
    samples
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| *v)
        .unwrap_or_else(|| panic!("no sample {name} in {samples:?}"))
}

#[test]
fn send_stores_the_message_with_its_backurl_and_metrics_count_it() {
    let cluster = Cluster::single();
    let gateway = start_gateway(&cluster, "gw", &plain_config());
    let mut http = Http::connect(gateway.addr);

    let answer = http.post(
        "/send",
        r#"{"backurl": "http://127.0.0.1:9/hooks/orders?id=7", "data": {"order": 7, "items": [1, 2]}, "tags": "paid", "keys": ["o-7", "c-1"]}"#,
    );
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(
        answer.headers["content-type"], "application/json",
        "{:?}",
        answer.headers
    );
    let json = answer.json();
    assert_eq!(json["status"], "success", "{json}");
    assert_eq!(json["msg"], "SEND_OK");
    assert_eq!(json["topic"], "HTTP_GATEWAY");
    let msg_id = json["msg_id"].as_str().unwrap().to_string();

    let stored = stored_message(&cluster, "HTTP_GATEWAY", &msg_id);
    assert_eq!(stored.body, r#"{"order": 7, "items": [1, 2]}"#);
    assert_eq!(
        stored.properties.get("BACKURL").map(String::as_str),
        Some("http://127.0.0.1:9/hooks/orders?id=7")
    );
    assert_eq!(stored.tags.as_deref(), Some("paid"));
    assert_eq!(stored.keys, ["o-7", "c-1"]);

    // Another topic, created first (the gateway does not create topics other than its own).
    let out = common::rmqctl(&["topic", "create", "-n", &cluster.ns(), "-t", "Orders"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let answer = http.request(
        "POST",
        "/topics/Orders/messages",
        &[
            ("X-Rmq-Tags", "created"),
            ("X-Rmq-Keys", "k1 k2"),
            ("X-Rmq-Prop", "orderId=42"),
            ("X-Rmq-Prop", "Region=eu-west"),
        ],
        b"plain bytes \x00\x01 as they are",
    );
    assert_eq!(answer.status, 200, "{}", answer.text());
    let msg_id = answer.json()["msg_id"].as_str().unwrap().to_string();
    let stored = stored_message(&cluster, "Orders", &msg_id);
    assert_eq!(stored.body, "plain bytes \u{0}\u{1} as they are");
    assert_eq!(stored.tags.as_deref(), Some("created"));
    assert_eq!(stored.keys, ["k1", "k2"]);
    assert_eq!(
        stored.properties.get("orderId").map(String::as_str),
        Some("42")
    );
    assert_eq!(
        stored.properties.get("Region").map(String::as_str),
        Some("eu-west")
    );
    assert!(!stored.properties.contains_key("BACKURL"));

    // A topic the cluster does not have.
    let answer = http.post("/topics/NoSuchTopic/messages", "x");
    assert_eq!(answer.status, 404, "{}", answer.text());
    assert_eq!(answer.json()["status"], "error");

    // Unknown endpoint and wrong method.
    assert_eq!(http.get("/nowhere").status, 404);
    assert_eq!(http.get("/send").status, 405);

    let answer = http.get("/metrics");
    assert_eq!(answer.status, 200);
    let samples = parse_metrics(&answer.text());
    assert_eq!(
        metric(
            &samples,
            r#"rmq_gateway_http_requests_total{endpoint="send",code="200"}"#
        ),
        1.0
    );
    assert_eq!(
        metric(
            &samples,
            r#"rmq_gateway_http_requests_total{endpoint="topic_messages",code="200"}"#
        ),
        1.0
    );
    assert_eq!(
        metric(&samples, r#"rmq_gateway_sends_total{status="SEND_OK"}"#),
        2.0
    );
    assert_eq!(
        metric(&samples, "rmq_gateway_send_latency_seconds_count"),
        2.0
    );
    assert_eq!(
        metric(&samples, "rmq_gateway_delivery_latency_seconds_count"),
        0.0
    );
    assert!(answer.text().trim_end().ends_with("# EOF"));
}

#[test]
fn bad_requests_get_400_or_403_store_nothing_and_the_connection_keeps_serving() {
    let cluster = Cluster::single();
    let gateway = start_gateway(
        &cluster,
        "gw",
        &format!("{}max_body_bytes = 2048\n", plain_config()),
    );
    let mut http = Http::connect(gateway.addr);
    // The gateway made its topic at start; nothing is in it yet.
    assert_eq!(stored_count(&cluster, "HTTP_GATEWAY"), 0);
    let big = format!(
        r#"{{"backurl": "{ALLOWED}", "data": {{"pad": "{}"}}}}"#,
        "x".repeat(4096)
    );
    let cases: Vec<(String, u16, &str)> = vec![
        (
            r#"{"data": {"a": 1}}"#.into(),
            400,
            "\"backurl\" is missing",
        ),
        (
            format!(r#"{{"backurl": "{ALLOWED}"}}"#),
            400,
            "\"data\" is missing",
        ),
        ("this is not json".into(), 400, "not valid JSON"),
        (
            r#"{"backurl": "ftp://127.0.0.1:9/hooks/", "data": {}}"#.into(),
            400,
            "not an http or https URL",
        ),
        (big, 400, "over the gateway's limit of 2048 bytes"),
        (
            r#"{"backurl": "http://169.254.169.254/latest/", "data": {}}"#.into(),
            403,
            "allow_callbacks",
        ),
        (
            r#"{"backurl": "http://127.0.0.1:9/other/", "data": {}}"#.into(),
            403,
            "allow_callbacks",
        ),
    ];
    for (body, status, why) in &cases {
        let answer = http.post("/send", body);
        assert_eq!(answer.status, *status, "{body}: {}", answer.text());
        let json = answer.json();
        assert_eq!(json["status"], "error", "{json}");
        let msg = json["msg"].as_str().unwrap();
        assert!(msg.contains(why), "{body}: {msg}");
    }
    // The oversized body is refused before it is read: that connection may close, so the rest
    // is checked on a fresh one, and then on the same one again.
    let mut http = Http::connect(gateway.addr);
    let answer = http.post("/topics/HTTP_GATEWAY/messages", &"y".repeat(3000));
    assert_eq!(answer.status, 400, "{}", answer.text());
    let answer = http.request(
        "POST",
        "/topics/HTTP_GATEWAY/messages",
        &[("X-Rmq-Prop", "BACKURL=http://127.0.0.1:9/hooks/")],
        b"sneaky",
    );
    assert_eq!(answer.status, 400, "{}", answer.text());
    assert_eq!(
        stored_count(&cluster, "HTTP_GATEWAY"),
        0,
        "a refused request stored something"
    );
    let answer = http.post(
        "/send",
        &format!(r#"{{"backurl": "{ALLOWED}x", "data": [1]}}"#),
    );
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(stored_count(&cluster, "HTTP_GATEWAY"), 1);
}

#[test]
fn tokens_are_required_when_configured() {
    let cluster = Cluster::single();
    let gateway = start_gateway(
        &cluster,
        "gw",
        &format!(
            "{}tokens = [\"t0ken-one\", \"t0ken-two\"]\n",
            plain_config()
        ),
    );
    let mut http = Http::connect(gateway.addr);
    let body = format!(r#"{{"backurl": "{ALLOWED}", "data": {{}}}}"#);
    let answer = http.post("/send", &body);
    assert_eq!(answer.status, 401, "{}", answer.text());
    assert_eq!(answer.headers["www-authenticate"], "Bearer");
    let answer = http.request(
        "POST",
        "/send",
        &[("Authorization", "Bearer wrong")],
        body.as_bytes(),
    );
    assert_eq!(answer.status, 401);
    assert!(answer.json()["msg"]
        .as_str()
        .unwrap()
        .contains("not one this gateway accepts"));
    let answer = http.request("POST", "/topics/HTTP_GATEWAY/messages", &[], b"x");
    assert_eq!(answer.status, 401);
    let answer = http.request(
        "POST",
        "/send",
        &[("Authorization", "Bearer t0ken-two")],
        body.as_bytes(),
    );
    assert_eq!(answer.status, 200, "{}", answer.text());
    // Health and metrics stay open.
    assert_eq!(http.get("/healthz").status, 200);
    assert_eq!(http.get("/metrics").status, 200);
    assert!(
        !gateway.log_text().contains("t0ken"),
        "a token reached the log"
    );
}

/// `/healthz` until it answers `status` (the cluster changes under the gateway).
fn wait_health(http: &mut Http, status: u16) -> Answer {
    let start = Instant::now();
    loop {
        let answer = http.get("/healthz");
        if answer.status == status {
            return answer;
        }
        assert!(
            start.elapsed() < WAIT_LIMIT,
            "healthz stays {}: {}",
            answer.status,
            answer.text()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn healthz_and_sends_follow_the_broker_going_away_and_coming_back() {
    let mut cluster = Cluster::single();
    let gateway = start_gateway(&cluster, "gw", &plain_config());
    let mut http = Http::connect(gateway.addr);
    let answer = http.get("/healthz");
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(answer.json()["brokers"][0]["ok"], true);
    let body = format!(r#"{{"backurl": "{ALLOWED}", "data": {{"n": 1}}}}"#);
    assert_eq!(http.post("/send", &body).status, 200);

    let port = cluster.brokers[0].addr.port();
    let status = cluster.brokers[0].terminate();
    assert!(status.success());
    let answer = wait_health(&mut http, 503);
    assert_eq!(answer.json()["status"], "error");
    // Every send answers 503 while the broker is away (also once the name server no longer
    // lists any broker for the topic), and the connection keeps serving.
    for _ in 0..3 {
        let answer = http.post("/send", &body);
        assert_eq!(answer.status, 503, "{}", answer.text());
        assert_eq!(answer.json()["status"], "error");
        std::thread::sleep(Duration::from_millis(600));
    }

    cluster.brokers[0] = common::restart_broker(&cluster.broker_home(0), port);
    cluster.wait_registered();
    wait_health(&mut http, 200);
    let start = Instant::now();
    loop {
        let answer = http.post("/send", &body);
        if answer.status == 200 {
            break;
        }
        assert_eq!(answer.status, 503, "{}", answer.text());
        assert!(
            start.elapsed() < WAIT_LIMIT,
            "sends fail after the broker is back: {}",
            answer.text()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A self-signed certificate for `localhost` written as PEM files in `dir`; returns its DER.
fn write_certificate(dir: &Path) -> Vec<u8> {
    let generated = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    std::fs::write(dir.join("gw.crt"), generated.cert.pem()).unwrap();
    std::fs::write(dir.join("gw.key"), generated.key_pair.serialize_pem()).unwrap();
    generated.cert.der().to_vec()
}

#[test]
fn tls_listener_serves_https() {
    let cluster = Cluster::single();
    let ca = write_certificate(cluster.home());
    let toml = format!(
        "{}[tls]\ncert = \"{}\"\nkey = \"{}\"\n",
        plain_config(),
        cluster.home().join("gw.crt").display(),
        cluster.home().join("gw.key").display()
    );
    let gateway = start_gateway(&cluster, "gw-tls", &toml);
    let mut https = Http::connect_tls(gateway.addr, ca);
    let answer = https.post(
        "/send",
        &format!(r#"{{"backurl": "{ALLOWED}", "data": "over tls"}}"#),
    );
    assert_eq!(answer.status, 200, "{}", answer.text());
    let msg_id = answer.json()["msg_id"].as_str().unwrap().to_string();
    assert_eq!(
        stored_message(&cluster, "HTTP_GATEWAY", &msg_id).body,
        r#""over tls""#
    );
    // Plain HTTP to the TLS port gets no HTTP answer.
    let mut plain = TcpStream::connect(gateway.addr).unwrap();
    plain
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    plain
        .write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n")
        .unwrap();
    let mut got = Vec::new();
    let _ = plain.read_to_end(&mut got);
    assert!(
        !got.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&got)
    );
}

#[test]
fn sigterm_finishes_the_request_in_flight_then_exits_0() {
    let cluster = Cluster::single();
    let mut gateway = start_gateway(&cluster, "gw", &plain_config());
    let body = format!(r#"{{"backurl": "{ALLOWED}", "data": {{"in": "flight"}}}}"#);
    let (head, tail) = body.split_at(10);
    // A request whose body is only half sent when SIGTERM comes.
    let mut conn = TcpStream::connect(gateway.addr).unwrap();
    conn.set_read_timeout(Some(WAIT_LIMIT)).unwrap();
    write!(
        conn,
        "POST /send HTTP/1.1\r\nhost: gw\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{head}",
        body.len()
    )
    .unwrap();
    conn.flush().unwrap();
    // An idle keep-alive connection, which shutdown closes.
    let mut idle = Http::connect(gateway.addr);
    assert_eq!(idle.get("/healthz").status, 200);

    // SAFETY: kill takes plain integers; the pid is our own child, not yet waited for.
    unsafe {
        libc::kill(gateway.child.id() as i32, libc::SIGTERM);
    }
    let start = Instant::now();
    while !gateway
        .log_text()
        .contains("finishing requests in progress")
    {
        assert!(
            start.elapsed() < WAIT_LIMIT,
            "no drain: {}",
            gateway.log_text()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        TcpStream::connect(gateway.addr).is_err(),
        "the listener still accepts after SIGTERM"
    );
    conn.write_all(tail.as_bytes()).unwrap();
    let mut answer = Vec::new();
    conn.read_to_end(&mut answer).unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains(r#""status":"success""#), "{answer}");
    let msg_id = answer
        .split(r#""msg_id":""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();

    let start = Instant::now();
    let status = loop {
        if let Some(status) = gateway.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            start.elapsed() < WAIT_LIMIT,
            "gateway still running: {}",
            gateway.log_text()
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "exit {status}: {}", gateway.log_text());
    assert_eq!(
        stored_message(&cluster, "HTTP_GATEWAY", &msg_id).body,
        r#"{"in": "flight"}"#
    );
}

#[test]
fn name_server_down_gives_503_for_health_and_unrouted_topics_until_it_is_back() {
    // Brokers register every 10 s (the shortest period), so the restarted name server learns
    // the routes again soon.
    let mut cluster = Cluster::single_with("registerNameServerPeriod=10000");
    let out = common::rmqctl(&["topic", "create", "-n", &cluster.ns(), "-t", "Orders"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let gateway = start_gateway(&cluster, "gw", &plain_config());
    let mut http = Http::connect(gateway.addr);
    assert_eq!(http.get("/healthz").status, 200);

    let port = cluster.namesrv.addr.port();
    assert!(cluster.namesrv.terminate().success());
    let answer = wait_health(&mut http, 503);
    assert!(
        answer.json()["msg"]
            .as_str()
            .unwrap()
            .contains("name server"),
        "{}",
        answer.text()
    );
    // A topic whose route the gateway never fetched cannot be sent to: 503 with the reason.
    let answer = http.post("/topics/Orders/messages", "x");
    assert_eq!(answer.status, 503, "{}", answer.text());
    assert!(answer.json()["msg"]
        .as_str()
        .unwrap()
        .contains("no name server answered"));
    // Its own topic's route is cached: the broker still stores those sends.
    let body = format!(r#"{{"backurl": "{ALLOWED}", "data": {{}}}}"#);
    assert_eq!(http.post("/send", &body).status, 200);

    cluster.namesrv = common::restart_namesrv(cluster.home(), port);
    cluster.wait_registered();
    wait_health(&mut http, 200);
    let start = Instant::now();
    loop {
        let answer = http.post("/topics/Orders/messages", "x");
        if answer.status == 200 {
            break;
        }
        assert!(
            start.elapsed() < WAIT_LIMIT,
            "sends to Orders fail after the name server is back: {}",
            answer.text()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn a_bad_gateway_toml_exits_2_naming_the_file_and_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("allow_calbacks = []\n", "allow_calbacks"),
        ("accept_degraded = [\"SEND_OK\"]\n", "accept_degraded"),
        ("tokens = [\"\"]\n", "tokens"),
        ("max_body_bytes = 0\n", "max_body_bytes"),
        ("topic = \"bad topic\"\n", "topic"),
        (
            "[tls]\ncert = \"/nonexistent/gw.crt\"\nkey = \"/nonexistent/gw.key\"\n",
            "/nonexistent/gw.crt",
        ),
        (
            "allow_callbacks = [\"http://10.0.0.7:8080/\"]\n[[subscription]]\ntopic = \"T\"\ngroup = \"G\"\nurl = \"http://evil.example.com/x\"\n",
            "http://evil.example.com/x",
        ),
        (
            "allow_callbacks = [\"http://10.0.0.7:8080/\"]\n[[subscription]]\ntopic = \"T\"\ngroup = \"HTTP_GATEWAY_DELIVERY\"\nurl = \"http://10.0.0.7:8080/x\"\n",
            "HTTP_GATEWAY_DELIVERY",
        ),
        (
            "[delivery]\nca = \"/nonexistent/callback-ca.pem\"\n",
            "/nonexistent/callback-ca.pem",
        ),
        (
            "[cluster_tls]\nca = \"/nonexistent/cluster-ca.pem\"\n",
            "[cluster_tls]: CA file /nonexistent/cluster-ca.pem",
        ),
        (
            "[cluster_tls]\nca = \"/nonexistent/cluster-ca.pem\"\ncert = \"/nonexistent/client.pem\"\n",
            "[cluster_tls] has only one of cert and key",
        ),
        (
            "[cluster_tls]\nca = \"/nonexistent/cluster-ca.pem\"\nkey_password_file = \"/nonexistent/pw\"\n",
            "[cluster_tls] key_password_file /nonexistent/pw: cannot read",
        ),
    ];
    for (text, named) in cases {
        let path = dir.path().join("gateway.toml");
        std::fs::write(&path, text).unwrap();
        let out = common::rmqctl(&[
            "gateway",
            "-c",
            path.to_str().unwrap(),
            "--listen",
            "127.0.0.1:0",
            "-n",
            "127.0.0.1:1",
        ]);
        let err = common::stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{text}: {err}");
        assert!(err.contains(named), "{text}: {err}");
    }
    let out = common::rmqctl(&["gateway", "--listen", "127.0.0.1:0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(common::stderr(&out).contains("no name server address"));
}

/// `[cluster_tls]` of gateway.toml is what the gateway connects with unless a `--tls*` flag is
/// given: with an unusable CA there the gateway refuses to start (exit 2 naming it), and starts
/// once `--tls-ca` names a good one (the flags win, as `--access-key` does over `[account]`).
#[test]
fn tls_flags_win_over_cluster_tls_of_gateway_toml() {
    let dir = tempfile::tempdir().unwrap();
    let pki = dir.path().join("pki");
    let init = common::rmqctl(&["tls", "init", pki.to_str().unwrap()]);
    assert!(init.status.success(), "{}", common::stderr(&init));
    let config = dir.path().join("gateway.toml");
    std::fs::write(
        &config,
        format!(
            "{}[cluster_tls]\nca = \"/nonexistent/cluster-ca.pem\"\n",
            plain_config()
        ),
    )
    .unwrap();
    let args = |extra: &[&str]| -> Vec<String> {
        let mut args: Vec<String> = [
            "gateway",
            "-c",
            config.to_str().unwrap(),
            "--listen",
            "127.0.0.1:0",
            "-n",
            "127.0.0.1:1",
        ]
        .iter()
        .map(|a| a.to_string())
        .collect();
        args.extend(extra.iter().map(|a| a.to_string()));
        args
    };
    let refused = common::rmqctl(&args(&[]).iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(
        refused.status.code(),
        Some(2),
        "{}",
        common::stderr(&refused)
    );
    assert!(
        common::stderr(&refused).contains("/nonexistent/cluster-ca.pem"),
        "{}",
        common::stderr(&refused)
    );
    let ca = pki.join("ca.pem");
    let with_flag = args(&["--tls-ca", ca.to_str().unwrap()]);
    let mut gateway = ServerProcess::start_on_port_0(
        &with_flag.iter().map(String::as_str).collect::<Vec<_>>(),
        &dir.path().join("gateway.log"),
        "gateway listening",
    );
    assert!(gateway.terminate().success(), "{}", gateway.log_text());
}
