//! The transaction requests: a prepared send (SEND_MESSAGE with TRANSACTION_PREPARED) stored as
//! a half message, and END_TRANSACTION (37). The logic lives in `broker::transaction`.

use super::{error_response, BrokerProcessor};
use crate::broker::transaction::end::{end_transaction, EndOutcome};
use crate::broker::transaction::{half_message, HalfCopy, HALF_TOPIC};
use crate::protocol::message::MessageConst;
use crate::remoting::headers::{EndTransactionRequestHeader, SendMessageRequestHeader};
use crate::remoting::server::Connection;
use crate::remoting::{RemotingCommand, ResponseCode};

impl BrokerProcessor {
    /// Stores a prepared send as a half message and registers the transaction. The answer is
    /// a normal SEND answer: the half message's offset id and half-queue offset (what the
    /// producer names in END_TRANSACTION), the real queue, and the transaction id.
    pub(super) async fn send_half(
        &self,
        conn: &Connection,
        header: &SendMessageRequestHeader,
        queue_id: i32,
        req: &RemotingCommand,
    ) -> RemotingCommand {
        if self.ctx.config().reject_transaction_message {
            return error_response(
                ResponseCode::NO_PERMISSION,
                format!(
                    "the broker[{}] sending transaction message is forbidden",
                    self.ctx.identity.addr
                ),
            );
        }
        let msg = half_message(
            self.single_message(conn, header, queue_id, req),
            &header.producer_group,
        );
        let born = msg.born_timestamp;
        let props = crate::protocol::message::Properties::parse(&msg.properties);
        let uniq = props
            .get(MessageConst::UNIQ_CLIENT_MESSAGE_ID_KEYIDX)
            .map(str::to_string);
        let immunity_secs = props
            .get(MessageConst::CHECK_IMMUNITY_TIME_IN_SECONDS)
            .and_then(|s| s.trim().parse().ok());
        let send = self
            .ctx
            .transactions
            .half_send(self.ctx.store.max_offset(HALF_TOPIC, 0));
        let result = self.ctx.store.put_message(msg).await;
        if let Some(info) = &result.appended {
            send.register(
                HalfCopy {
                    queue_offset: info.queue_offset,
                    phys_offset: info.phys_offset as i64,
                },
                born,
                immunity_secs,
            );
        }
        drop(send);
        let mut response = self.send_response(conn, &header.topic, queue_id, result);
        if let (true, Some(uniq)) = (response.is_success(), uniq) {
            response.ext_fields.insert("transactionId", uniq);
        }
        response
    }

    /// END_TRANSACTION: commit or roll back a half message (answered unless oneway).
    pub(super) async fn end_transaction(
        &self,
        conn: &Connection,
        req: &RemotingCommand,
    ) -> Option<RemotingCommand> {
        let header: EndTransactionRequestHeader = match req.header() {
            Ok(h) => h,
            Err(e) => {
                tracing::warn!(peer = %conn.peer, error = %e, "END_TRANSACTION with a bad header ignored");
                return Some(error_response(ResponseCode::INVALID_PARAMETER, e));
            }
        };
        match end_transaction(&self.ctx, &header, conn.peer).await {
            EndOutcome::NoAnswer => None,
            EndOutcome::Refused { code, remark } => {
                Some(RemotingCommand::response_code(code, Some(remark)))
            }
            EndOutcome::Committed | EndOutcome::RolledBack => {
                // It acknowledges the commit and op messages just appended.
                conn.note_acknowledged(self.ctx.store.max_phys_offset());
                Some(RemotingCommand::success())
            }
        }
    }
}
