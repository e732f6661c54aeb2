//! `BrokerProcessor`: dispatches broker requests by code to the send, pull, client-management,
//! query and admin handlers. One instance serves the main port, another the fast port
//! (listenPort-2), where pulls are not served, as in Apache.

mod admin;
mod consumer_manage;
mod pull;
mod query;
mod send;
mod transaction;

pub use pull::TagFilter;

use super::context::BrokerContext;
use crate::locks::lock;
use crate::protocol::fastjson;
use crate::remoting::server::{not_supported, Connection, RequestProcessor};
use crate::remoting::{RemotingCommand, RequestCode, ResponseCode};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Serves one broker port.
pub struct BrokerProcessor {
    pub(crate) ctx: Arc<BrokerContext>,
    /// The fast (VIP) port does not serve pulls.
    fast: bool,
}

pub(crate) fn error_response(
    code: ResponseCode,
    remark: impl std::fmt::Display,
) -> RemotingCommand {
    RemotingCommand::response(code, Some(remark.to_string()))
}

pub(crate) fn json_response<T: Serialize>(value: &T) -> RemotingCommand {
    match fastjson::to_vec(value) {
        Ok(bytes) => RemotingCommand::success().with_body(bytes),
        Err(e) => error_response(ResponseCode::SYSTEM_ERROR, e),
    }
}

impl BrokerProcessor {
    pub fn new(ctx: Arc<BrokerContext>, fast: bool) -> Arc<Self> {
        Arc::new(BrokerProcessor { ctx, fast })
    }

    pub(crate) fn delay_offsets(&self) -> BTreeMap<i32, i64> {
        lock(&self.ctx.delay_offsets).clone()
    }

    async fn handle(&self, conn: &Connection, req: &RemotingCommand) -> Option<RemotingCommand> {
        let Some(code) = RequestCode::from_code(req.code) else {
            return Some(not_supported(req));
        };
        use RequestCode as R;
        Some(match code {
            R::SEND_MESSAGE | R::SEND_MESSAGE_V2 | R::SEND_BATCH_MESSAGE => {
                self.send(conn, req).await
            }
            R::CONSUMER_SEND_MSG_BACK => self.send_back(conn, req).await,
            R::PULL_MESSAGE if !self.fast => self.pull(req).await,
            R::HEART_BEAT => self.heartbeat(conn, req),
            R::UNREGISTER_CLIENT => self.unregister_client(conn, req),
            R::GET_CONSUMER_LIST_BY_GROUP => self.consumer_list(req),
            R::QUERY_CONSUMER_OFFSET => self.query_consumer_offset(req),
            R::UPDATE_CONSUMER_OFFSET => self.update_consumer_offset(req),
            R::LOCK_BATCH_MQ => self.lock_batch(req),
            R::UNLOCK_BATCH_MQ => self.unlock_batch(req),
            R::VIEW_MESSAGE_BY_ID => self.view_message(req),
            R::QUERY_MESSAGE => self.query_message(req),
            R::GET_MAX_OFFSET => self.max_offset(req),
            R::GET_MIN_OFFSET => self.min_offset(req),
            R::SEARCH_OFFSET_BY_TIMESTAMP => self.search_offset(req),
            R::GET_EARLIEST_MSG_STORETIME => self.earliest_store_time(req),
            R::UPDATE_AND_CREATE_TOPIC => self.create_topic(req),
            R::DELETE_TOPIC_IN_BROKER => self.delete_topic(req),
            R::GET_ALL_TOPIC_CONFIG => self.all_topic_config(),
            R::GET_TOPIC_CONFIG => self.topic_config(req),
            R::GET_SYSTEM_TOPIC_LIST_FROM_BROKER => self.system_topics(),
            R::GET_BROKER_CONFIG => self.broker_config(),
            R::UPDATE_BROKER_CONFIG => self.update_broker_config(req),
            R::GET_BROKER_RUNTIME_INFO => self.runtime_info(),
            R::GET_TOPIC_STATS_INFO => self.topic_stats(req),
            R::GET_CONSUME_STATS => self.consume_stats(req),
            R::GET_CONSUMER_CONNECTION_LIST => self.consumer_connections(req),
            R::GET_PRODUCER_CONNECTION_LIST => self.producer_connections(req),
            R::UPDATE_AND_CREATE_SUBSCRIPTIONGROUP => self.update_group(req),
            R::GET_ALL_SUBSCRIPTIONGROUP_CONFIG => self.all_groups(),
            R::DELETE_SUBSCRIPTIONGROUP => self.delete_group(req),
            R::INVOKE_BROKER_TO_RESET_OFFSET => self.reset_offset(req),
            R::QUERY_TOPIC_CONSUME_BY_WHO => self.consume_by_who(req),
            R::GET_ALL_CONSUMER_OFFSET => self.all_consumer_offsets(),
            R::GET_ALL_DELAY_OFFSET => self.all_delay_offsets(),
            R::END_TRANSACTION => return self.end_transaction(conn, req).await,
            _ => not_supported(req),
        })
    }
}

#[async_trait::async_trait]
impl RequestProcessor for BrokerProcessor {
    async fn process(
        &self,
        conn: &Connection,
        request: RemotingCommand,
    ) -> Option<RemotingCommand> {
        if let Some(answer) = super::acl_gate::answer_before_processing(&self.ctx, conn, &request) {
            return Some(answer);
        }
        self.handle(conn, &request).await
    }

    fn screen(&self, conn: &Connection, requests: &mut [RemotingCommand]) {
        if let Some(validator) = &self.ctx.acl {
            validator.check_signatures(conn.peer.ip(), requests);
        }
    }

    fn connection_closed(&self, conn: &Connection) {
        if self.fast {
            return;
        }
        for group in self.ctx.clients.connection_closed(conn.id) {
            tracing::info!(%group, peer = %conn.peer, "consumer connection closed");
            self.ctx.clients.notify_consumers_changed(&group);
        }
    }

    /// Writes the staged commit-log records first (so an acknowledged record is in its file
    /// before its producer hears of it). When that fails (a full or failing disk; the records
    /// are kept and retried), answers that acknowledge nothing unwritten still leave (refusals,
    /// pulls); a connection whose answers acknowledge an unwritten record is closed unanswered.
    fn before_answering(&self, conn: &Connection) -> bool {
        let store = &self.ctx.store;
        store.write_staged().is_ok() || conn.acknowledged() <= store.written_offset()
    }
}
