//! Cluster view: GET_BROKER_CLUSTER_INFO from the name servers, master lookup per cluster, and
//! `cluster status` (one GET_BROKER_RUNTIME_INFO per broker, asked concurrently).

use super::{decode_body, Admin, AdminError};
use crate::protocol::kv::KvTable;
use crate::protocol::route::{BrokerData, ClusterInfo, MASTER_ID};
use crate::remoting::{RemotingCommand, RequestCode};
use serde::Serialize;
use std::collections::BTreeMap;

/// One broker process as the name server lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokerRef {
    pub cluster: String,
    pub broker_name: String,
    pub broker_id: i64,
    pub addr: String,
}

impl Admin {
    /// Every broker group and cluster the name servers know.
    pub async fn cluster_info(&self) -> Result<ClusterInfo, AdminError> {
        let request = RemotingCommand::request(RequestCode::GET_BROKER_CLUSTER_INFO);
        let (addr, response) = self.call_namesrv(request).await?;
        decode_body(
            &addr,
            RequestCode::GET_BROKER_CLUSTER_INFO.code(),
            &response,
        )
    }
}

/// The broker groups of `cluster` (all clusters when `None`); unknown cluster is an input error.
pub fn broker_groups<'a>(
    info: &'a ClusterInfo,
    cluster: Option<&str>,
) -> Result<Vec<&'a BrokerData>, AdminError> {
    let Some(cluster) = cluster else {
        return Ok(info.broker_addr_table.values().collect());
    };
    let names =
        info.cluster_addr_table
            .get(cluster)
            .ok_or_else(|| AdminError::ClusterNotFound {
                name: cluster.to_string(),
                known: known_clusters(info),
            })?;
    Ok(names
        .iter()
        .filter_map(|n| info.broker_addr_table.get(n))
        .collect())
}

/// Comma-separated cluster names, for error messages.
pub fn known_clusters(info: &ClusterInfo) -> String {
    if info.cluster_addr_table.is_empty() {
        "none (no broker has registered)".to_string()
    } else {
        info.cluster_addr_table
            .keys()
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The cluster to act on: the one given, else the only registered cluster.
pub fn default_cluster(info: &ClusterInfo, given: Option<&str>) -> Result<String, AdminError> {
    if let Some(c) = given {
        broker_groups(info, Some(c))?;
        return Ok(c.to_string());
    }
    let mut names = info.cluster_addr_table.keys();
    match (names.next(), names.next()) {
        (Some(only), None) => Ok(only.clone()),
        (None, _) => Err(AdminError::InvalidInput(
            "no broker has registered with the name servers; start a broker or check -n".into(),
        )),
        _ => Err(AdminError::InvalidInput(format!(
            "several clusters are registered ({}); pick one with -c CLUSTER",
            known_clusters(info)
        ))),
    }
}

/// Master addresses (id 0) of a cluster's broker groups, as `(brokerName, addr)`.
pub fn masters(info: &ClusterInfo, cluster: Option<&str>) -> Result<Vec<BrokerRef>, AdminError> {
    Ok(broker_groups(info, cluster)?
        .into_iter()
        .filter_map(|b| {
            b.master_addr().map(|addr| BrokerRef {
                cluster: b.cluster.clone(),
                broker_name: b.broker_name.clone(),
                broker_id: MASTER_ID,
                addr: addr.to_string(),
            })
        })
        .collect())
}

/// Every broker process (masters and slaves) of a cluster.
pub fn all_brokers(
    info: &ClusterInfo,
    cluster: Option<&str>,
) -> Result<Vec<BrokerRef>, AdminError> {
    let mut out = Vec::new();
    for group in broker_groups(info, cluster)? {
        for (id, addr) in &group.broker_addrs {
            out.push(BrokerRef {
                cluster: group.cluster.clone(),
                broker_name: group.broker_name.clone(),
                broker_id: *id,
                addr: addr.clone(),
            });
        }
    }
    out.sort_by(|a, b| {
        (&a.cluster, &a.broker_name, a.broker_id).cmp(&(&b.cluster, &b.broker_name, b.broker_id))
    });
    Ok(out)
}

/// A broker given by address (`host:port`) or by broker name (its master, else lowest id).
pub fn resolve_broker(info: &ClusterInfo, broker: &str) -> Result<BrokerRef, AdminError> {
    for group in info.broker_addr_table.values() {
        for (id, addr) in &group.broker_addrs {
            if addr == broker {
                return Ok(BrokerRef {
                    cluster: group.cluster.clone(),
                    broker_name: group.broker_name.clone(),
                    broker_id: *id,
                    addr: addr.clone(),
                });
            }
        }
    }
    if let Some(group) = info.broker_addr_table.get(broker) {
        if let Some((id, addr)) = group.broker_addrs.iter().next() {
            return Ok(BrokerRef {
                cluster: group.cluster.clone(),
                broker_name: group.broker_name.clone(),
                broker_id: *id,
                addr: addr.clone(),
            });
        }
    }
    if broker.contains(':') {
        // Not registered, but an address: talk to it directly.
        super::namesrv_set::validate_addr(broker)
            .map_err(|_| AdminError::InvalidInput(format!("invalid broker address {broker:?}")))?;
        return Ok(BrokerRef {
            cluster: String::new(),
            broker_name: String::new(),
            broker_id: -1,
            addr: broker.to_string(),
        });
    }
    Err(AdminError::BrokerNotFound {
        name: broker.to_string(),
    })
}

/// One row of `cluster status`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BrokerStatus {
    pub cluster: String,
    pub broker_name: String,
    pub broker_id: i64,
    /// `MASTER` (id 0) or `SLAVE`.
    pub role: &'static str,
    pub addr: String,
    /// `brokerVersionDesc`, e.g. `V5_3_3`.
    pub version: Option<String>,
    /// Messages put per second (10 s window).
    pub in_tps: Option<f64>,
    /// Messages transferred to consumers per second (10 s window).
    pub out_tps: Option<f64>,
    /// Messages put since midnight (broker time).
    pub in_today: Option<i64>,
    /// Messages consumed since midnight (broker time).
    pub out_today: Option<i64>,
    pub commit_log_max_offset: Option<i64>,
    /// Slaves only: master's commit-log max offset minus this slave's, in bytes.
    pub replication_lag_bytes: Option<i64>,
    /// Slaves only: the slave's own view (`slaveInSync`): it heard from its master recently.
    pub in_sync: Option<bool>,
    /// Why the broker did not answer, if it did not.
    pub error: Option<String>,
}

impl Admin {
    /// GET_BROKER_RUNTIME_INFO of one broker.
    pub async fn runtime_info(&self, addr: &str) -> Result<BTreeMap<String, String>, AdminError> {
        let request = RemotingCommand::request(RequestCode::GET_BROKER_RUNTIME_INFO);
        let response = self.call(addr, request).await?;
        let kv: KvTable =
            decode_body(addr, RequestCode::GET_BROKER_RUNTIME_INFO.code(), &response)?;
        Ok(kv.table)
    }

    /// Runtime figures of every broker of `cluster` (all clusters when `None`).
    pub async fn cluster_status(
        &self,
        cluster: Option<&str>,
    ) -> Result<Vec<BrokerStatus>, AdminError> {
        let info = self.cluster_info().await?;
        let brokers = all_brokers(&info, cluster)?;
        let answers =
            futures::future::join_all(brokers.iter().map(|b| self.runtime_info(&b.addr))).await;
        let mut rows: Vec<BrokerStatus> = brokers
            .into_iter()
            .zip(answers)
            .map(|(b, answer)| status_row(b, answer))
            .collect();
        fill_replication_lag(&mut rows);
        Ok(rows)
    }
}

fn status_row(b: BrokerRef, answer: Result<BTreeMap<String, String>, AdminError>) -> BrokerStatus {
    let role = if b.broker_id == MASTER_ID {
        "MASTER"
    } else {
        "SLAVE"
    };
    let mut row = BrokerStatus {
        cluster: b.cluster,
        broker_name: b.broker_name,
        broker_id: b.broker_id,
        role,
        addr: b.addr,
        version: None,
        in_tps: None,
        out_tps: None,
        in_today: None,
        out_today: None,
        commit_log_max_offset: None,
        replication_lag_bytes: None,
        in_sync: None,
        error: None,
    };
    match answer {
        Err(e) => row.error = Some(e.to_string()),
        Ok(kv) => {
            row.version = kv.get("brokerVersionDesc").cloned();
            row.in_tps = first_rate(&kv, &["putTps"]);
            row.out_tps = first_rate(&kv, &["getTransferredTps", "getTransferedTps"]);
            row.in_today = counter_delta(&kv, "msgPutTotalTodayNow", "msgPutTotalTodayMorning");
            row.out_today = counter_delta(&kv, "msgGetTotalTodayNow", "msgGetTotalTodayMorning");
            row.commit_log_max_offset = kv
                .get("commitLogMaxOffset")
                .and_then(|v| v.trim().parse().ok());
            if b.broker_id != MASTER_ID {
                row.in_sync = kv.get("slaveInSync").map(|v| v == "true");
            }
        }
    }
    row
}

/// The first number of a `"10s 60s 600s"` rate string, from the first key present.
fn first_rate(kv: &BTreeMap<String, String>, keys: &[&str]) -> Option<f64> {
    keys.iter()
        .find_map(|k| kv.get(*k))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|t| t.parse().ok())
}

fn counter_delta(kv: &BTreeMap<String, String>, now: &str, morning: &str) -> Option<i64> {
    let read = |k: &str| kv.get(k).and_then(|v| v.trim().parse::<i64>().ok());
    Some((read(now)? - read(morning)?).max(0))
}

fn fill_replication_lag(rows: &mut [BrokerStatus]) {
    let master_offsets: BTreeMap<(String, String), i64> = rows
        .iter()
        .filter(|r| r.broker_id == MASTER_ID)
        .filter_map(|r| {
            Some((
                (r.cluster.clone(), r.broker_name.clone()),
                r.commit_log_max_offset?,
            ))
        })
        .collect();
    for row in rows.iter_mut().filter(|r| r.broker_id != MASTER_ID) {
        let key = (row.cluster.clone(), row.broker_name.clone());
        if let (Some(master), Some(mine)) = (master_offsets.get(&key), row.commit_log_max_offset) {
            row.replication_lag_bytes = Some((master - mine).max(0));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_and_counters_parse_defensively() {
        let kv: BTreeMap<String, String> = [
            ("putTps", "12.5 10.0 9.0"),
            ("getTransferedTps", "  "),
            ("msgPutTotalTodayNow", "150"),
            ("msgPutTotalTodayMorning", "100"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(first_rate(&kv, &["putTps"]), Some(12.5));
        assert_eq!(
            first_rate(&kv, &["getTransferredTps", "getTransferedTps"]),
            None
        );
        assert_eq!(
            counter_delta(&kv, "msgPutTotalTodayNow", "msgPutTotalTodayMorning"),
            Some(50)
        );
        assert_eq!(
            counter_delta(&kv, "msgGetTotalTodayNow", "msgGetTotalTodayMorning"),
            None
        );
    }
}
