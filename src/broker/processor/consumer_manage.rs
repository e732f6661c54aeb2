//! Client management: HEART_BEAT, UNREGISTER_CLIENT, GET_CONSUMER_LIST_BY_GROUP,
//! QUERY/UPDATE_CONSUMER_OFFSET and LOCK/UNLOCK_BATCH_MQ, with NOTIFY_CONSUMER_IDS_CHANGED sent
//! to a group's consumers when its membership changes.

use super::{error_response, json_response, BrokerProcessor};
use crate::broker::clients::ClientChannel;
use crate::protocol::consumer::{
    retry_topic, ConsumerIdList, HeartbeatData, LockBatchRequestBody, LockBatchResponseBody,
};
use crate::protocol::fastjson;
use crate::remoting::headers::*;
use crate::remoting::server::Connection;
use crate::remoting::{RemotingCommand, ResponseCode};
use std::time::Instant;

impl BrokerProcessor {
    pub(super) fn heartbeat(&self, conn: &Connection, req: &RemotingCommand) -> RemotingCommand {
        let data: HeartbeatData = match fastjson::from_slice(req.body_bytes()) {
            Ok(d) => d,
            Err(e) => {
                return error_response(ResponseCode::SYSTEM_ERROR, format!("heartbeat body: {e}"))
            }
        };
        let channel = |id: &str| ClientChannel {
            client_id: id.to_string(),
            conn: conn.clone(),
            language: req.language.map_or("OTHER", |l| l.name()).to_string(),
            version: req.version,
            last_update: Instant::now(),
        };
        for consumer in &data.consumer_data_set {
            match self.ctx.groups.find_or_create(&consumer.group_name) {
                Ok(Some(group)) => {
                    let retry = retry_topic(&consumer.group_name);
                    if self.ctx.topics.get(&retry).is_none() {
                        if let Err(e) = self
                            .ctx
                            .topics
                            .ensure_retry_topic(&retry, group.retry_queue_nums)
                        {
                            tracing::warn!(error = %e, "cannot create retry topic");
                        }
                        self.ctx.register_now.notify_one();
                    }
                }
                Ok(None) => tracing::warn!(group = %consumer.group_name,
                    "heartbeat from a group that does not exist and autoCreateSubscriptionGroup is off"),
                Err(e) => tracing::warn!(error = %e, "subscription group store"),
            }
            if self
                .ctx
                .clients
                .register_consumer(consumer, channel(&data.client_id))
            {
                tracing::info!(group = %consumer.group_name, client = %data.client_id, "consumer joined");
                if self.notifies_members(&consumer.group_name) {
                    self.ctx
                        .clients
                        .notify_consumers_changed(&consumer.group_name);
                }
            }
        }
        for producer in &data.producer_data_set {
            self.ctx
                .clients
                .register_producer(&producer.group_name, channel(&data.client_id));
        }
        RemotingCommand::success()
    }

    pub(super) fn unregister_client(
        &self,
        conn: &Connection,
        req: &RemotingCommand,
    ) -> RemotingCommand {
        let h: UnregisterClientRequestHeader = match req.header() {
            Ok(h) => h,
            Err(e) => return error_response(ResponseCode::INVALID_PARAMETER, e),
        };
        if self.ctx.clients.unregister(
            conn.id,
            h.producer_group.as_deref(),
            h.consumer_group.as_deref(),
        ) {
            if let Some(g) = &h.consumer_group {
                tracing::info!(group = %g, client = %h.client_id, "consumer left");
                if self.notifies_members(g) {
                    self.ctx.clients.notify_consumers_changed(g);
                }
            }
        }
        RemotingCommand::success()
    }

    /// Whether a member joining or leaving `group` by its own request (HEART_BEAT,
    /// UNREGISTER_CLIENT) is told to the other members: the broker's and the group's
    /// `notifyConsumerIdsChangedEnable`, the group's true for a group without config (as
    /// Apache 5's `ClientManageProcessor` decides). A closed or expired connection is always told.
    fn notifies_members(&self, group: &str) -> bool {
        self.ctx.config().notify_consumer_ids_changed_enable
            && self
                .ctx
                .groups
                .get(group)
                .is_none_or(|g| g.notify_consumer_ids_changed_enable)
    }

    pub(super) fn consumer_list(&self, req: &RemotingCommand) -> RemotingCommand {
        let h: ConsumerGroupRequestHeader = match req.header() {
            Ok(h) => h,
            Err(e) => return error_response(ResponseCode::INVALID_PARAMETER, e),
        };
        let ids = self.ctx.clients.consumer_ids(&h.consumer_group);
        if ids.is_empty() {
            return error_response(
                ResponseCode::SYSTEM_ERROR,
                format!("no consumer for this group, {}", h.consumer_group),
            );
        }
        json_response(&ConsumerIdList {
            consumer_id_list: ids,
        })
    }

    pub(super) fn query_consumer_offset(&self, req: &RemotingCommand) -> RemotingCommand {
        let h: QueryConsumerOffsetRequestHeader = match req.header() {
            Ok(h) => h,
            Err(e) => return error_response(ResponseCode::INVALID_PARAMETER, e),
        };
        let stored = self
            .ctx
            .offsets
            .query(&h.consumer_group, &h.topic, h.queue_id);
        let offset = stored.or_else(|| {
            let may_start_at_zero = h.set_zero_if_not_found != Some(false);
            (may_start_at_zero && self.ctx.store.min_offset(&h.topic, h.queue_id) <= 0).then_some(0)
        });
        match offset {
            Some(offset) => {
                RemotingCommand::success().with_header(&OffsetResponseHeader { offset })
            }
            None => error_response(
                ResponseCode::QUERY_NOT_FOUND,
                "Not found, maybe this group consumer boot first",
            ),
        }
    }

    pub(super) fn update_consumer_offset(&self, req: &RemotingCommand) -> RemotingCommand {
        let h: UpdateConsumerOffsetRequestHeader = match req.header() {
            Ok(h) => h,
            Err(e) => return error_response(ResponseCode::INVALID_PARAMETER, e),
        };
        self.ctx
            .offsets
            .commit(&h.consumer_group, &h.topic, h.queue_id, h.commit_offset);
        RemotingCommand::success()
    }

    pub(super) fn lock_batch(&self, req: &RemotingCommand) -> RemotingCommand {
        let body: LockBatchRequestBody = match fastjson::from_slice(req.body_bytes()) {
            Ok(b) => b,
            Err(e) => return error_response(ResponseCode::SYSTEM_ERROR, format!("lock body: {e}")),
        };
        let held = self.ctx.locks.lock(
            &body.consumer_group,
            &body.client_id,
            &body.mq_set,
            Instant::now(),
        );
        json_response(&LockBatchResponseBody {
            lock_ok_mq_set: held,
        })
    }

    pub(super) fn unlock_batch(&self, req: &RemotingCommand) -> RemotingCommand {
        let body: LockBatchRequestBody = match fastjson::from_slice(req.body_bytes()) {
            Ok(b) => b,
            Err(e) => {
                return error_response(ResponseCode::SYSTEM_ERROR, format!("unlock body: {e}"))
            }
        };
        self.ctx
            .locks
            .unlock(&body.consumer_group, &body.client_id, &body.mq_set);
        RemotingCommand::success()
    }
}
