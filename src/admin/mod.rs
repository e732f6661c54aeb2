//! Cluster-level admin operations built from remoting calls (create a topic on every master,
//! consumer lag, offset resets, ...). Everything here returns typed results and never prints;
//! `cli` renders them through `output`.

pub mod acl;
pub mod brokers;
pub mod cluster;
pub mod groups;
pub mod messages;
pub mod namesrv_set;
pub mod offsets;
pub mod topics;

use crate::protocol::fastjson::{self, JsonError};
use crate::remoting::client::{ClientConfig, ClientError, RemotingClient};
use crate::remoting::{RemotingCommand, ResponseCode};
use namesrv_set::NamesrvSet;
use serde::de::DeserializeOwned;
use std::time::Duration;

/// Why an admin operation failed. [`AdminError::is_input`] tells the user's mistakes (exit 2)
/// from remote failures (exit 1).
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("no name server address: pass -n \"host:port;host:port\", set NAMESRV_ADDR or pass -i INVENTORY")]
    NoNamesrv,
    #[error("invalid name server address {0:?}: expected host:port, several separated by ';'")]
    BadNamesrvAddr(String),
    #[error("no name server answered (check -n / NAMESRV_ADDR and that they are running): {}", join_errors(.0))]
    NamesrvsUnreachable(Vec<ClientError>),
    #[error(transparent)]
    Remote(#[from] ClientError),
    #[error("{request} to {addr}: cannot read the response body: {source}")]
    Body {
        addr: String,
        request: String,
        source: JsonError,
    },
    #[error("topic {0:?} does not exist; list topics with `rmqctl topic list`")]
    TopicNotFound(String),
    #[error(
        "consumer group {0:?} does not exist on any broker; list groups with `rmqctl group list`"
    )]
    GroupNotFound(String),
    #[error("cluster {name:?} is not registered; known clusters: {known}")]
    ClusterNotFound { name: String, known: String },
    #[error("broker {name:?} is not registered; see `rmqctl cluster status`")]
    BrokerNotFound { name: String },
    #[error("{0}")]
    InvalidInput(String),
    #[error("message from {addr} cannot be decoded: {reason}")]
    Decode { addr: String, reason: String },
}

fn join_errors(errors: &[ClientError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl AdminError {
    /// The user's input is wrong (unknown topic, bad address, bad perm...): exit code 2.
    pub fn is_input(&self) -> bool {
        matches!(
            self,
            AdminError::NoNamesrv
                | AdminError::BadNamesrvAddr(_)
                | AdminError::TopicNotFound(_)
                | AdminError::GroupNotFound(_)
                | AdminError::ClusterNotFound { .. }
                | AdminError::BrokerNotFound { .. }
                | AdminError::InvalidInput(_)
        )
    }

    /// The remote response code, when a server answered with an error.
    pub fn remote_code(&self) -> Option<i32> {
        match self {
            AdminError::Remote(e) => e.remote_code(),
            _ => None,
        }
    }
}

/// How to reach the cluster: name servers, per-request timeout.
#[derive(Clone)]
pub struct Admin {
    pub client: RemotingClient,
    pub namesrvs: NamesrvSet,
    pub timeout: Duration,
}

impl Admin {
    /// An admin session over `namesrvs`; every request waits at most `timeout`.
    pub fn new(namesrvs: NamesrvSet, timeout: Duration) -> Self {
        Self::with_tls(namesrvs, timeout, None)
    }

    /// Like [`Admin::new`], connecting with TLS when `tls` is set.
    pub fn with_tls(
        namesrvs: NamesrvSet,
        timeout: Duration,
        tls: Option<crate::remoting::tls::TlsConnect>,
    ) -> Self {
        let config = ClientConfig {
            connect_timeout: timeout,
            tls,
            ..ClientConfig::default()
        };
        Admin {
            client: RemotingClient::new(config),
            namesrvs,
            timeout,
        }
    }

    /// Send to a broker (or any server) and require SUCCESS.
    pub async fn call(
        &self,
        addr: &str,
        request: RemotingCommand,
    ) -> Result<RemotingCommand, AdminError> {
        Ok(self.client.invoke_ok(addr, request, self.timeout).await?)
    }

    /// Send to a server and return whatever it answered.
    pub async fn call_any(
        &self,
        addr: &str,
        request: RemotingCommand,
    ) -> Result<RemotingCommand, AdminError> {
        Ok(self.client.invoke(addr, request, self.timeout).await?)
    }

    /// Send to the first name server that answers; require SUCCESS.
    pub async fn call_namesrv(
        &self,
        request: RemotingCommand,
    ) -> Result<(String, RemotingCommand), AdminError> {
        self.namesrvs
            .invoke_first(&self.client, request, self.timeout)
            .await
    }

    /// Send to every name server (writes such as deletes must reach all of them).
    pub async fn call_every_namesrv(
        &self,
        request: RemotingCommand,
    ) -> Result<Vec<String>, AdminError> {
        let calls = self.namesrvs.addrs().iter().map(|addr| {
            let request = request.clone();
            async move { self.call(addr, request).await.map(|_| addr.clone()) }
        });
        futures::future::join_all(calls).await.into_iter().collect()
    }
}

/// Decode a JSON body, naming the server and request on failure.
pub fn decode_body<T: DeserializeOwned>(
    addr: &str,
    request_code: i32,
    response: &RemotingCommand,
) -> Result<T, AdminError> {
    fastjson::from_slice(response.body_bytes()).map_err(|source| AdminError::Body {
        addr: addr.to_string(),
        request: crate::remoting::codes::describe_request(request_code),
        source,
    })
}

/// Whether an error is the server saying the topic does not exist.
pub fn is_topic_not_exist(e: &AdminError) -> bool {
    e.remote_code() == Some(ResponseCode::TOPIC_NOT_EXIST.code())
}
