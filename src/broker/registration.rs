//! `Registrar`: keeps the broker registered with every name server: at start, every
//! `registerNameServerPeriod` (clamped to 10-60 s as in Java), at once after a topic or
//! permission change, and at once when a name server's connection closed (it restarted: it
//! knows no broker until told). A slave learns its master's addresses from the replies; until
//! it knows its master it registers again every second, so a cluster whose processes start
//! together is in sync within about a second of the master's registration (Apache waits for
//! the next 30 s round). Failed registrations are retried after 1, 2, 4... s up to the period.

use super::context::BrokerContext;
use crate::locks::{read_lock, write_lock};
use crate::protocol::fastjson;
use crate::protocol::perm;
use crate::protocol::topic::{DataVersion, RegisterBrokerBody, TopicConfigSerializeWrapper};
use crate::remoting::headers::{
    BrokerIdentityHeader, RegisterBrokerRequestHeader, RegisterBrokerResponseHeader,
};
use crate::remoting::{RemotingCommand, RequestCode};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// How long one registration call may take (Java: registerBrokerTimeoutMills 24 s; shorter here
/// so a dead name server does not delay the others' next round).
const REGISTER_TIMEOUT: Duration = Duration::from_secs(6);

/// The REGISTER_BROKER request for the broker's current topics.
pub fn registration_request(ctx: &BrokerContext) -> RemotingCommand {
    let mut wrapper = ctx.topics.wrapper();
    let broker_perm = ctx.permission();
    if broker_perm & (perm::READ | perm::WRITE) != perm::READ | perm::WRITE {
        for tc in wrapper.topic_config_table.values_mut() {
            tc.perm &= broker_perm;
        }
    }
    let body = registration_body(wrapper);
    let bytes = fastjson::to_vec(&body).unwrap_or_default();
    let id = &ctx.identity;
    let header = RegisterBrokerRequestHeader {
        broker_name: id.broker_name.clone(),
        broker_addr: id.addr.to_string(),
        cluster_name: id.cluster.clone(),
        ha_server_addr: id.ha_addr.to_string(),
        broker_id: id.broker_id,
        compressed: false,
        body_crc32: Some((crc32fast::hash(&bytes) & 0x7FFF_FFFF) as i32),
        ..Default::default()
    };
    RemotingCommand::request(RequestCode::REGISTER_BROKER)
        .with_header(&header)
        .with_body(bytes)
}

/// The REGISTER_BROKER body for `wrapper`, with the static-topic mapping section a 5.x broker
/// sends (`mappingDataVersion`, empty `topicQueueMapping*Map`s: rmqctl serves no static topics).
/// Java 4.x name servers ignore it, 5.x ones read it, and rocketmq-rust's refuses a body without
/// it (its `TopicConfigAndMappingSerializeWrapper` has no defaults), so a 4.x-shaped body could
/// not register there.
fn registration_body(mut wrapper: TopicConfigSerializeWrapper) -> RegisterBrokerBody {
    let empty = || serde_json::Value::Object(serde_json::Map::new());
    wrapper
        .mapping_data_version
        .get_or_insert_with(DataVersion::default);
    wrapper
        .topic_queue_mapping_info_map
        .get_or_insert_with(empty);
    wrapper
        .topic_queue_mapping_detail_map
        .get_or_insert_with(empty);
    RegisterBrokerBody {
        filter_server_list: vec![],
        topic_config_serialize_wrapper: wrapper,
    }
}

/// How soon a slave that knows no master registers again.
const MASTER_UNKNOWN_RETRY: Duration = Duration::from_secs(1);

/// How often the registrar looks for closed name-server connections between rounds.
const CONNECTION_CHECK: Duration = Duration::from_secs(1);

/// What one registration round achieved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoundOutcome {
    /// Name servers that did not accept the registration.
    pub failed: usize,
    /// A slave: whether it knows its master's HA address now (always true for a master).
    pub master_known: bool,
}

/// Register with every name server in parallel; failures are logged, not fatal.
pub async fn register_all(ctx: &Arc<BrokerContext>) -> RoundOutcome {
    let addrs = ctx.namesrv_addrs();
    let calls = addrs.iter().map(|addr| {
        let ctx = ctx.clone();
        let request = registration_request(&ctx);
        async move {
            match ctx.client.invoke_ok(addr, request, REGISTER_TIMEOUT).await {
                Ok(reply) => {
                    learn_master(&ctx, &reply);
                    true
                }
                Err(e) => {
                    tracing::warn!(namesrv = %addr, error = %e, "registration failed; will retry");
                    false
                }
            }
        }
    });
    let results = futures::future::join_all(calls).await;
    RoundOutcome {
        failed: results.iter().filter(|ok| !**ok).count(),
        master_known: !ctx.identity.is_slave() || knows_master(ctx),
    }
}

fn knows_master(ctx: &BrokerContext) -> bool {
    ctx.config().ha_master_address.is_some() || read_lock(&ctx.master_ha_addr).is_some()
}

fn learn_master(ctx: &BrokerContext, reply: &RemotingCommand) {
    if !ctx.identity.is_slave() {
        return;
    }
    let Ok(h) = reply.header::<RegisterBrokerResponseHeader>() else {
        return;
    };
    if let Some(master) = h.master_addr.filter(|a| !a.is_empty()) {
        let mut current = write_lock(&ctx.master_addr);
        if current.as_deref() != Some(master.as_str()) {
            tracing::info!(%master, "master found through the name server");
            *current = Some(master);
        }
    }
    let configured = ctx.config().ha_master_address.is_some();
    if let (false, Some(ha)) = (configured, h.ha_server_addr.filter(|a| !a.is_empty())) {
        *write_lock(&ctx.master_ha_addr) = Some(ha);
    }
}

/// Tell every name server this broker is leaving (clean shutdown).
pub async fn unregister_all(ctx: &BrokerContext) {
    let id = &ctx.identity;
    let header = BrokerIdentityHeader {
        broker_name: id.broker_name.clone(),
        broker_addr: id.addr.to_string(),
        cluster_name: id.cluster.clone(),
        broker_id: id.broker_id,
    };
    for addr in ctx.namesrv_addrs() {
        let request = RemotingCommand::request(RequestCode::UNREGISTER_BROKER).with_header(&header);
        if let Err(e) = ctx
            .client
            .invoke_ok(&addr, request, Duration::from_secs(2))
            .await
        {
            tracing::warn!(namesrv = %addr, error = %e, "unregister failed");
        }
    }
}

/// When the next round is due after `outcome`, given `failures` rounds in a row with a failure.
pub fn next_round_in(outcome: RoundOutcome, failures: u32, period: Duration) -> Duration {
    let mut wait = period;
    if outcome.failed > 0 {
        wait = wait.min(Duration::from_secs(1 << failures.min(6)));
    }
    if !outcome.master_known {
        wait = wait.min(MASTER_UNKNOWN_RETRY);
    }
    wait
}

/// Whether a name server this broker registered with has closed its connection since.
async fn lost_a_namesrv(ctx: &BrokerContext) -> bool {
    for addr in ctx.namesrv_addrs() {
        if !ctx.client.is_connected(&addr).await {
            tracing::info!(namesrv = %addr, "name-server connection closed; registering again");
            return true;
        }
    }
    false
}

/// Registration loop until shutdown.
pub async fn run(ctx: Arc<BrokerContext>, mut shutdown: watch::Receiver<bool>) {
    let mut failures = 0u32;
    loop {
        let outcome = register_all(&ctx).await;
        failures = if outcome.failed > 0 { failures + 1 } else { 0 };
        let period = Duration::from_millis(ctx.config().register_name_server_period)
            .clamp(Duration::from_secs(10), Duration::from_secs(60));
        let due = tokio::time::Instant::now()
            + next_round_in(outcome, failures.saturating_sub(1), period);
        loop {
            let tick = due.min(tokio::time::Instant::now() + CONNECTION_CHECK);
            tokio::select! {
                _ = tokio::time::sleep_until(tick) => {}
                _ = ctx.register_now.notified() => break,
                _ = shutdown.changed() => return,
            }
            if tokio::time::Instant::now() >= due
                || (outcome.failed == 0 && lost_a_namesrv(&ctx).await)
            {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_carries_the_empty_mapping_section_of_a_5x_broker() {
        let body = registration_body(TopicConfigSerializeWrapper::default());
        let json: serde_json::Value =
            serde_json::from_slice(&fastjson::to_vec(&body).unwrap()).unwrap();
        let wrapper = &json["topicConfigSerializeWrapper"];
        assert_eq!(wrapper["topicQueueMappingInfoMap"], serde_json::json!({}));
        assert_eq!(wrapper["topicQueueMappingDetailMap"], serde_json::json!({}));
        for field in ["counter", "stateVersion", "timestamp"] {
            assert!(wrapper["mappingDataVersion"][field].is_i64(), "{json}");
        }
        assert!(wrapper["topicConfigTable"].is_object(), "{json}");
    }

    #[test]
    fn retries_come_sooner_while_something_is_missing() {
        let period = Duration::from_secs(30);
        let fine = RoundOutcome {
            failed: 0,
            master_known: true,
        };
        assert_eq!(next_round_in(fine, 0, period), period);
        let orphan = RoundOutcome {
            failed: 0,
            master_known: false,
        };
        assert_eq!(next_round_in(orphan, 0, period), Duration::from_secs(1));
        let failing = RoundOutcome {
            failed: 1,
            master_known: true,
        };
        assert_eq!(next_round_in(failing, 0, period), Duration::from_secs(1));
        assert_eq!(next_round_in(failing, 3, period), Duration::from_secs(8));
        assert_eq!(next_round_in(failing, 10, period), period);
    }
}
