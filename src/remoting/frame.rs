//! The frame codec: `int32 length | int32 serializeType<<24 | headerLen | header | body`
//! (remoting-protocol.md 1.1), as a tokio-util `Decoder`/`Encoder` and plain functions.

use super::command::{RemotingCommand, SerializeType};
use super::{header_binary, header_json};
use bytes::{Buf, BufMut, Bytes, BytesMut};
use tokio_util::codec::{Decoder, Encoder};

/// Netty's `frameMaxLength` default; the 4-byte length word counts towards it.
pub const MAX_FRAME_LEN: usize = 16 * 1024 * 1024;

/// Why a frame could not be read or written. Any of these closes the connection.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    #[error("frame length {0} exceeds the 16 MiB limit")]
    TooLarge(usize),
    #[error("frame length {0} is too small to hold a header-length word")]
    TooSmall(usize),
    #[error("header length {header} does not fit in frame length {frame}")]
    HeaderTooLong { header: usize, frame: usize },
    #[error("unknown serialize type {0}")]
    UnknownSerializeType(u8),
    #[error("JSON header: {0}")]
    Json(#[from] header_json::JsonHeaderError),
    #[error("ROCKETMQ header: {0}")]
    Binary(#[from] header_binary::BinaryHeaderError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Decode one complete frame body (everything after the length word).
pub fn decode_frame(mut frame: Bytes) -> Result<RemotingCommand, FrameError> {
    let frame_len = frame.len();
    if frame_len < 4 {
        return Err(FrameError::TooSmall(frame_len));
    }
    let word = frame.get_u32();
    let header_len = (word & 0x00FF_FFFF) as usize;
    let kind = (word >> 24) as u8;
    if header_len > frame.len() {
        return Err(FrameError::HeaderTooLong {
            header: header_len,
            frame: frame_len,
        });
    }
    let header = frame.split_to(header_len);
    let mut cmd = match SerializeType::from_code(kind) {
        Some(SerializeType::Json) => header_json::decode(&header)?,
        Some(SerializeType::RocketMq) => header_binary::decode(&header)?,
        None => return Err(FrameError::UnknownSerializeType(kind)),
    };
    cmd.body = (!frame.is_empty()).then_some(frame);
    Ok(cmd)
}

/// Encode `cmd` as a whole frame, length word included, in its own serialize type. The header is
/// written straight into `dst` after two placeholder words, which are filled in afterwards (as
/// Java's `fastEncodeHeader` does). On error `dst` is left as it was.
pub fn encode_frame(cmd: &RemotingCommand, dst: &mut BytesMut) -> Result<(), FrameError> {
    let start = dst.len();
    let body = cmd.body_bytes();
    dst.reserve(8 + header_json::encoded_len_hint(cmd) + body.len());
    dst.put_u64(0);
    match cmd.serialize_type {
        SerializeType::Json => header_json::encode_into(cmd, dst),
        SerializeType::RocketMq => match header_binary::encode(cmd) {
            Ok(header) => dst.put_slice(&header),
            Err(e) => {
                dst.truncate(start);
                return Err(e.into());
            }
        },
    }
    let header_len = dst.len() - start - 8;
    let length = 4 + header_len + body.len();
    if length + 4 > MAX_FRAME_LEN {
        dst.truncate(start);
        return Err(FrameError::TooLarge(length));
    }
    let type_and_len = ((cmd.serialize_type.code() as u32) << 24) | header_len as u32;
    dst[start..start + 4].copy_from_slice(&(length as u32).to_be_bytes());
    dst[start + 4..start + 8].copy_from_slice(&type_and_len.to_be_bytes());
    dst.put_slice(body);
    Ok(())
}

/// How many encoded bytes a client-side writer gathers before it must write (tokio-util's
/// default is 8 KiB: six 1 KiB sends). A client writes what it has queued at once anyway; this
/// only lets one write carry a whole burst.
pub const CLIENT_WRITE_BATCH: usize = 64 * 1024;

/// Whether `buf` starts with a whole frame: a connection that reads on only after writing what
/// it owes uses this to tell "decode more from the buffer" from "the next decode waits for the
/// socket".
pub fn frame_buffered(buf: &[u8]) -> bool {
    match buf.first_chunk::<4>() {
        Some(word) => buf.len() >= 4 + u32::from_be_bytes(*word) as usize,
        None => false,
    }
}

/// tokio-util codec for a remoting connection.
#[derive(Debug, Default, Clone, Copy)]
pub struct RemotingCodec;

impl Decoder for RemotingCodec {
    type Item = RemotingCommand;
    type Error = FrameError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<RemotingCommand>, FrameError> {
        match split_frame(src)? {
            Some(frame) => decode_frame(frame).map(Some),
            None => Ok(None),
        }
    }
}

/// Free room a reader leaves in its buffer before it reads: the frames split off share the
/// buffer's allocation, so without this the room left after a batch of frames can be a few
/// hundred bytes, and the next read takes part of one request (two reads, and a batch cut in
/// two, where one would do).
pub const READ_ROOM: usize = 16 * 1024;

/// Takes one whole frame (everything after its length word) off the front of `src`; `None`
/// (with room reserved for the rest of it, and at least [`READ_ROOM`]) until all of it is there.
pub fn split_frame(src: &mut BytesMut) -> Result<Option<Bytes>, FrameError> {
    let Some(word) = src.first_chunk::<4>() else {
        src.reserve(READ_ROOM);
        return Ok(None);
    };
    let length = u32::from_be_bytes(*word) as usize;
    if length + 4 > MAX_FRAME_LEN {
        return Err(FrameError::TooLarge(length));
    }
    if src.len() < 4 + length {
        src.reserve((4 + length - src.len()).max(READ_ROOM));
        return Ok(None);
    }
    src.advance(4);
    Ok(Some(src.split_to(length).freeze()))
}

/// The header length a frame (as [`split_frame`] gives it) declares; 0 when it is too short to
/// say (decoding then reports that).
pub fn declared_header_len(frame: &[u8]) -> usize {
    frame
        .first_chunk::<4>()
        .map_or(0, |word| (u32::from_be_bytes(*word) & 0x00FF_FFFF) as usize)
}

/// tokio-util decoder for whole frames, left undecoded: a server decodes each where it chooses
/// (large headers away from the threads that serve other connections).
#[derive(Debug, Default, Clone, Copy)]
pub struct FrameSplitter;

impl Decoder for FrameSplitter {
    type Item = Bytes;
    type Error = FrameError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Bytes>, FrameError> {
        split_frame(src)
    }
}

impl Encoder<RemotingCommand> for RemotingCodec {
    type Error = FrameError;

    fn encode(&mut self, cmd: RemotingCommand, dst: &mut BytesMut) -> Result<(), FrameError> {
        encode_frame(&cmd, dst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::remoting::codes::RequestCode;

    fn route_request(kind: SerializeType) -> RemotingCommand {
        let mut cmd = RemotingCommand::request(RequestCode::GET_ROUTEINFO_BY_TOPIC);
        cmd.version = 479;
        cmd.opaque = 7;
        cmd.serialize_type = kind;
        cmd.ext_fields.insert("topic", "T1");
        cmd
    }

    #[test]
    fn golden_binary_frame_prefix() {
        let mut buf = BytesMut::new();
        encode_frame(&route_request(SerializeType::RocketMq), &mut buf).unwrap();
        assert_eq!(&buf[..8], &[0, 0, 0, 0x26, 1, 0, 0, 0x22]);
        assert_eq!(buf.len(), 42);
    }

    #[test]
    fn golden_json_frame_prefix() {
        let mut buf = BytesMut::new();
        encode_frame(&route_request(SerializeType::Json), &mut buf).unwrap();
        assert_eq!(&buf[..8], &[0, 0, 0, 0x80, 0, 0, 0, 0x7c]);
        assert_eq!(
            &buf[8..],
            br#"{"code":105,"extFields":{"topic":"T1"},"flag":0,"language":"JAVA","opaque":7,"serializeTypeCurrentRPC":"JSON","version":479}"#
        );
    }

    #[test]
    fn decoder_waits_for_whole_frames_and_keeps_the_rest() {
        let mut buf = BytesMut::new();
        let cmd = route_request(SerializeType::Json).with_body(&b"xyz"[..]);
        encode_frame(&cmd, &mut buf).unwrap();
        encode_frame(&route_request(SerializeType::RocketMq), &mut buf).unwrap();
        let mut partial = BytesMut::from(&buf[..10]);
        assert!(!frame_buffered(&partial) && !frame_buffered(&buf[..3]));
        assert!(RemotingCodec.decode(&mut partial).unwrap().is_none());
        let first = RemotingCodec.decode(&mut buf).unwrap().unwrap();
        assert_eq!(first.body.as_deref(), Some(&b"xyz"[..]));
        assert!(frame_buffered(&buf));
        let second = RemotingCodec.decode(&mut buf).unwrap().unwrap();
        assert_eq!(second.serialize_type, SerializeType::RocketMq);
        assert!(buf.is_empty());
    }

    #[test]
    fn a_reader_keeps_room_for_a_whole_batch_after_splitting_one() {
        // A buffer that held a batch of four 1.2 KiB requests and part of a fifth: the frames
        // split off still share its allocation, yet the next read has READ_ROOM to fill.
        let cmd = route_request(SerializeType::Json).with_body(vec![b'x'; 1200]);
        let mut batch = BytesMut::new();
        for _ in 0..5 {
            encode_frame(&cmd, &mut batch).unwrap();
        }
        let frame_len = batch.len() / 5;
        let mut buf = BytesMut::with_capacity(8 * 1024);
        buf.extend_from_slice(&batch[..4 * frame_len + 10]);
        let frames: Vec<Bytes> = std::iter::from_fn(|| split_frame(&mut buf).unwrap()).collect();
        assert_eq!(frames.len(), 4);
        assert!(buf.capacity() - buf.len() >= READ_ROOM);
        let mut empty = BytesMut::new();
        assert!(split_frame(&mut empty).unwrap().is_none());
        assert!(empty.capacity() >= READ_ROOM);
        buf.extend_from_slice(&batch[4 * frame_len + 10..]);
        assert_eq!(split_frame(&mut buf).unwrap().unwrap().len(), frame_len - 4);
    }

    #[test]
    fn oversized_and_inconsistent_frames_are_errors() {
        let mut buf = BytesMut::from(&[0x01u8, 0, 0, 0][..]);
        assert!(matches!(
            RemotingCodec.decode(&mut buf),
            Err(FrameError::TooLarge(_))
        ));
        let mut buf = BytesMut::from(&[0u8, 0, 0, 6, 0, 0, 0, 9, 0, 0][..]);
        assert!(matches!(
            RemotingCodec.decode(&mut buf),
            Err(FrameError::HeaderTooLong { .. })
        ));
        let mut buf = BytesMut::from(&[0u8, 0, 0, 4, 7, 0, 0, 0][..]);
        assert!(matches!(
            RemotingCodec.decode(&mut buf),
            Err(FrameError::UnknownSerializeType(7))
        ));
    }
}
