//! Message and offset look-ups: VIEW_MESSAGE_BY_ID, QUERY_MESSAGE (by KEYS or UNIQ_KEY),
//! GET_MAX/MIN_OFFSET, SEARCH_OFFSET_BY_TIMESTAMP and GET_EARLIEST_MSG_STORETIME.

use super::{error_response, BrokerProcessor};
use crate::broker::store::BoundaryType;
use crate::remoting::headers::*;
use crate::remoting::{RemotingCommand, ResponseCode};
use bytes::BytesMut;

impl BrokerProcessor {
    pub(super) fn view_message(&self, req: &RemotingCommand) -> RemotingCommand {
        let h: ViewMessageRequestHeader = match req.header() {
            Ok(h) => h,
            Err(e) => return error_response(ResponseCode::INVALID_PARAMETER, e),
        };
        match self.ctx.store.look_message(h.offset.max(0) as u64) {
            Some(record) => RemotingCommand::success().with_body(record),
            None => error_response(
                ResponseCode::SYSTEM_ERROR,
                format!("can not find message by the offset, {}", h.offset),
            ),
        }
    }

    pub(super) fn query_message(&self, req: &RemotingCommand) -> RemotingCommand {
        let h: QueryMessageRequestHeader = match req.header() {
            Ok(h) => h,
            Err(e) => return error_response(ResponseCode::INVALID_PARAMETER, e),
        };
        let unique = req
            .ext_fields
            .get("_UNIQUE_KEY_QUERY")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"));
        let max = if unique {
            32
        } else {
            h.max_num.clamp(1, 64) as usize
        };
        let records = self.ctx.store.query_by_key(
            &h.topic,
            &h.key,
            max,
            h.begin_timestamp,
            h.end_timestamp,
            unique,
        );
        let (ts, phy) = self.ctx.store.index_last_update();
        let header = QueryMessageResponseHeader {
            index_last_update_timestamp: ts,
            index_last_update_phyoffset: phy as i64,
        };
        if records.is_empty() {
            return RemotingCommand::response(
                ResponseCode::QUERY_NOT_FOUND,
                Some("can not find message, maybe time range not correct".into()),
            )
            .with_header(&header);
        }
        let mut body = BytesMut::new();
        for r in &records {
            body.extend_from_slice(r);
        }
        RemotingCommand::success()
            .with_header(&header)
            .with_body(body.freeze())
    }

    pub(super) fn max_offset(&self, req: &RemotingCommand) -> RemotingCommand {
        match req.header::<GetMaxOffsetRequestHeader>() {
            Ok(h) => offset_response(self.ctx.store.max_offset(&h.topic, h.queue_id)),
            Err(e) => error_response(ResponseCode::INVALID_PARAMETER, e),
        }
    }

    pub(super) fn min_offset(&self, req: &RemotingCommand) -> RemotingCommand {
        match req.header::<QueueRequestHeader>() {
            Ok(h) => offset_response(self.ctx.store.min_offset(&h.topic, h.queue_id)),
            Err(e) => error_response(ResponseCode::INVALID_PARAMETER, e),
        }
    }

    pub(super) fn search_offset(&self, req: &RemotingCommand) -> RemotingCommand {
        let h: SearchOffsetRequestHeader = match req.header() {
            Ok(h) => h,
            Err(e) => return error_response(ResponseCode::INVALID_PARAMETER, e),
        };
        let boundary = match h
            .boundary_type
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("upper") => BoundaryType::Upper,
            _ => BoundaryType::Lower,
        };
        offset_response(self.ctx.store.offset_by_timestamp(
            &h.topic,
            h.queue_id,
            h.timestamp,
            boundary,
        ))
    }

    pub(super) fn earliest_store_time(&self, req: &RemotingCommand) -> RemotingCommand {
        let h: QueueRequestHeader = match req.header() {
            Ok(h) => h,
            Err(e) => return error_response(ResponseCode::INVALID_PARAMETER, e),
        };
        let timestamp = self
            .ctx
            .store
            .earliest_message_time(&h.topic, h.queue_id)
            .unwrap_or(-1);
        RemotingCommand::success().with_header(&EarliestMsgStoreTimeResponseHeader { timestamp })
    }
}

fn offset_response(offset: i64) -> RemotingCommand {
    RemotingCommand::success().with_header(&OffsetResponseHeader { offset })
}
