//! Entry points for fuzzing the decoders that read untrusted bytes, shared by the cargo-fuzz
//! targets in fuzz/ and the corpus replay test (tests/it/fuzz_corpus_replay.rs). Each must return
//! without panicking for any input.

use crate::protocol::{fastjson, message, topic};
use crate::remoting::frame::RemotingCodec;
use crate::remoting::header_json;
use bytes::BytesMut;
use tokio_util::codec::Decoder;

/// A byte stream read by the frame codec as a server reads a connection, frame after frame.
pub fn frame_stream(data: &[u8]) {
    let mut codec = RemotingCodec;
    let mut buf = BytesMut::from(data);
    while let Ok(Some(cmd)) = codec.decode(&mut buf) {
        let _ = cmd.header::<crate::remoting::headers::SendMessageRequestHeaderV2>();
        let _ = cmd.header::<crate::remoting::headers::PullMessageRequestHeader>();
    }
    json_header_paths_agree(data);
}

/// The input as a JSON header read by both decoders: whenever the fast path answers, the
/// lenient reader must give the same command (a mismatch is a bug, hence the panic).
fn json_header_paths_agree(data: &[u8]) {
    if let Some(fast) = header_json::decode_fast(data) {
        assert_eq!(Some(fast), header_json::decode_lenient(data).ok());
    }
}

/// Bodies that clients send: JSON in every fastjson dialect and the binary message formats.
pub fn bodies(data: &[u8]) {
    let _ = fastjson::parser::parse(data);
    let _ = fastjson::from_slice::<topic::RegisterBrokerBody>(data);
    let _ = fastjson::from_slice::<crate::protocol::consumer::HeartbeatData>(data);
    let _ = fastjson::from_slice::<crate::protocol::consumer::ConsumeStats>(data);
    let _ = topic::RegisterBrokerBody::decode_compressed(data);
    let _ = message::decode_all(data);
    let _ = message::decode_batch(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = message::OffsetMsgId::decode(text);
        let _ = message::Properties::parse(text);
    }
}

/// Bytes on an HA connection, read both ways: as the slave decodes the master's 12-byte-header
/// chunks and as the master reads the slave's 8-byte offset reports, split at every boundary a
/// socket read could produce.
pub fn ha_stream(data: &[u8]) {
    use crate::broker::ha::frame::{decode_chunk, take_last_report, TransferHeader};
    let split = data.first().map_or(1, |b| (*b as usize % 64) + 1);
    let mut buf = BytesMut::new();
    for piece in data.chunks(split) {
        buf.extend_from_slice(piece);
        while let Ok(Some(chunk)) = decode_chunk(&mut buf, 1 << 16) {
            let _ = chunk.header.end();
            assert_eq!(chunk.body.len(), chunk.header.body_size as usize);
        }
        if buf.len() > (1 << 17) {
            buf.clear();
        }
    }
    let mut reports = BytesMut::new();
    for piece in data.chunks(split) {
        reports.extend_from_slice(piece);
        let _ = take_last_report(&mut reports);
        assert!(reports.len() < 8);
    }
    if let Some(raw) = data.get(..12) {
        let mut header = [0u8; 12];
        header.copy_from_slice(raw);
        if let Ok(h) = TransferHeader::decode(&header, usize::MAX) {
            assert_eq!(h.encode(), header);
        }
    }
}
