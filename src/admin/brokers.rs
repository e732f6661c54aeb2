//! One broker's runtime key/values (GET_BROKER_RUNTIME_INFO) and configuration
//! (GET_BROKER_CONFIG / UPDATE_BROKER_CONFIG, properties text both ways).

use super::cluster::{all_brokers, masters, resolve_broker, BrokerRef};
use super::{Admin, AdminError};
use crate::remoting::{RemotingCommand, RequestCode};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// `broker status` / `broker config get` result for one broker.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BrokerKeyValues {
    pub broker_name: String,
    pub addr: String,
    pub values: BTreeMap<String, String>,
}

/// Which brokers `broker config set` changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BrokerSelection {
    /// One broker, by address or name.
    One(String),
    /// Every master of a cluster (and slaves too when `with_slaves`).
    Cluster { cluster: String, with_slaves: bool },
}

impl Admin {
    /// Runtime key/values of a broker given by address or name.
    pub async fn broker_status(&self, broker: &str) -> Result<BrokerKeyValues, AdminError> {
        let target = self.resolve(broker).await?;
        let values = self.runtime_info(&target.addr).await?;
        Ok(BrokerKeyValues {
            broker_name: target.broker_name,
            addr: target.addr,
            values,
        })
    }

    /// The broker's configuration as key/values.
    pub async fn broker_config(&self, broker: &str) -> Result<BrokerKeyValues, AdminError> {
        let target = self.resolve(broker).await?;
        let request = RemotingCommand::request(RequestCode::GET_BROKER_CONFIG);
        let response = self.call(&target.addr, request).await?;
        let text = String::from_utf8_lossy(response.body_bytes());
        let parsed =
            crate::apache_config::properties::Properties::parse(&text, Path::new(&target.addr))
                .map_err(|e| AdminError::Decode {
                    addr: target.addr.clone(),
                    reason: e.to_string(),
                })?;
        let values = parsed
            .entries()
            .iter()
            .map(|e| (e.key.clone(), e.value.clone()))
            .collect();
        Ok(BrokerKeyValues {
            broker_name: target.broker_name,
            addr: target.addr,
            values,
        })
    }

    /// UPDATE_BROKER_CONFIG with `key=value` on the selected brokers; returns their addresses.
    pub async fn broker_config_set(
        &self,
        selection: &BrokerSelection,
        key: &str,
        value: &str,
    ) -> Result<Vec<String>, AdminError> {
        if key.trim().is_empty() || key.contains(['=', ':', '\n']) {
            return Err(AdminError::InvalidInput(format!(
                "config key {key:?} is not valid"
            )));
        }
        let targets: Vec<BrokerRef> = match selection {
            BrokerSelection::One(b) => vec![self.resolve(b).await?],
            BrokerSelection::Cluster {
                cluster,
                with_slaves,
            } => {
                let info = self.cluster_info().await?;
                if *with_slaves {
                    all_brokers(&info, Some(cluster))?
                } else {
                    masters(&info, Some(cluster))?
                }
            }
        };
        let body = crate::apache_config::properties::write_properties([(key, value)]);
        let calls = targets.iter().map(|b| {
            let request = RemotingCommand::request(RequestCode::UPDATE_BROKER_CONFIG)
                .with_body(body.clone().into_bytes());
            async move { self.call(&b.addr, request).await.map(|_| b.addr.clone()) }
        });
        futures::future::join_all(calls).await.into_iter().collect()
    }

    async fn resolve(&self, broker: &str) -> Result<BrokerRef, AdminError> {
        let info = self.cluster_info().await?;
        resolve_broker(&info, broker)
    }
}
