//! `Registrar`: keeps the broker registered with every name server: at start, every
//! `registerNameServerPeriod` (clamped to 10-60 s as in Java), and at once after a topic or
//! permission change. A slave learns its master's addresses from the replies.

use super::context::BrokerContext;
use crate::protocol::fastjson;
use crate::protocol::perm;
use crate::protocol::topic::RegisterBrokerBody;
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
    let body = RegisterBrokerBody {
        filter_server_list: vec![],
        topic_config_serialize_wrapper: wrapper,
    };
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

/// Register with every name server in parallel; failures are logged, not fatal.
pub async fn register_all(ctx: &Arc<BrokerContext>) {
    let addrs = ctx.namesrv_addrs();
    let calls = addrs.iter().map(|addr| {
        let ctx = ctx.clone();
        let request = registration_request(&ctx);
        async move {
            match ctx.client.invoke_ok(addr, request, REGISTER_TIMEOUT).await {
                Ok(reply) => learn_master(&ctx, &reply),
                Err(e) => {
                    tracing::warn!(namesrv = %addr, error = %e, "registration failed; will retry")
                }
            }
        }
    });
    futures::future::join_all(calls).await;
}

fn learn_master(ctx: &BrokerContext, reply: &RemotingCommand) {
    if !ctx.identity.is_slave() {
        return;
    }
    let Ok(h) = reply.header::<RegisterBrokerResponseHeader>() else {
        return;
    };
    if let Some(master) = h.master_addr.filter(|a| !a.is_empty()) {
        let mut current = ctx.master_addr.write().unwrap_or_else(|p| p.into_inner());
        if current.as_deref() != Some(master.as_str()) {
            tracing::info!(%master, "master found through the name server");
            *current = Some(master);
        }
    }
    let configured = ctx.config().ha_master_address.is_some();
    if let (false, Some(ha)) = (configured, h.ha_server_addr.filter(|a| !a.is_empty())) {
        *ctx.master_ha_addr
            .write()
            .unwrap_or_else(|p| p.into_inner()) = Some(ha);
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

/// Registration loop until shutdown.
pub async fn run(ctx: Arc<BrokerContext>, mut shutdown: watch::Receiver<bool>) {
    loop {
        register_all(&ctx).await;
        let period = Duration::from_millis(ctx.config().register_name_server_period)
            .clamp(Duration::from_secs(10), Duration::from_secs(60));
        tokio::select! {
            _ = tokio::time::sleep(period) => {}
            _ = ctx.register_now.notified() => {}
            _ = shutdown.changed() => return,
        }
    }
}
