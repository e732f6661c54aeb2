//! Entry points for fuzzing the decoders that read untrusted bytes, shared by the cargo-fuzz
//! targets in fuzz/ and the corpus replay test (tests/fuzz_corpus_replay.rs). Each must return
//! without panicking for any input.

use crate::protocol::{fastjson, message, topic};
use crate::remoting::frame::RemotingCodec;
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
