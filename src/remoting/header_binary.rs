//! The ROCKETMQ binary header (serialize type 1, `RocketMQSerializable.java`): a 21-byte fixed
//! part, the remark and the extFields map, all big-endian with length prefixes
//! (remoting-protocol.md 1.3).

use super::codes::LanguageCode;
use super::command::{RemotingCommand, SerializeType};
use super::ext_fields::{ExtFields, MAX_EXT_FIELDS};
use bytes::{Buf, BufMut};

/// Size of code, language, version, opaque, flag and remark length.
const FIXED_LEN: usize = 17;

/// A binary header that is shorter than it claims or breaks a length rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BinaryHeaderError {
    #[error("binary header truncated: {what} needs {need} bytes, {have} left")]
    Truncated {
        what: &'static str,
        need: usize,
        have: usize,
    },
    #[error("binary header: code {0} does not fit the 16-bit code field")]
    CodeTooLarge(i32),
    #[error("binary header: {0} is not UTF-8")]
    NotUtf8(&'static str),
    #[error("binary header: {0} bytes left over after the ext fields")]
    TrailingBytes(usize),
    #[error("binary header: more than {0} ext fields; RocketMQ clients send a few dozen")]
    TooManyExtFields(usize),
}

/// Encode the header of `cmd`. Codes above 32767 (POP family) can not be expressed.
pub fn encode(cmd: &RemotingCommand) -> Result<Vec<u8>, BinaryHeaderError> {
    let code = i16::try_from(cmd.code).map_err(|_| BinaryHeaderError::CodeTooLarge(cmd.code))?;
    let ext = encode_ext(&cmd.ext_fields);
    let remark = cmd.remark.as_deref().unwrap_or("").as_bytes();
    let mut out = Vec::with_capacity(FIXED_LEN + remark.len() + 4 + ext.len());
    out.put_i16(code);
    out.put_u8(
        cmd.language
            .map_or(LanguageCode::OTHER.code(), |l| l.code()),
    );
    out.put_i16(cmd.version as i16);
    out.put_i32(cmd.opaque);
    out.put_i32(cmd.flag);
    out.put_i32(remark.len() as i32);
    out.put_slice(remark);
    out.put_i32(ext.len() as i32);
    out.put_slice(&ext);
    Ok(out)
}

fn encode_ext(ext: &ExtFields) -> Vec<u8> {
    let mut out = Vec::new();
    for (k, v) in ext.sorted() {
        out.put_i16(k.len() as i16);
        out.put_slice(k.as_bytes());
        out.put_i32(v.len() as i32);
        out.put_slice(v.as_bytes());
    }
    out
}

/// Decode a binary header; the body is attached by the frame decoder.
pub fn decode(mut buf: &[u8]) -> Result<RemotingCommand, BinaryHeaderError> {
    need(buf, FIXED_LEN, "fixed header")?;
    let mut cmd = RemotingCommand::request_code(buf.get_i16() as i32);
    cmd.serialize_type = SerializeType::RocketMq;
    cmd.language = LanguageCode::from_code(buf.get_u8());
    cmd.version = buf.get_i16() as i32;
    cmd.opaque = buf.get_i32();
    cmd.flag = buf.get_i32();
    let remark_len = length(buf.get_i32());
    cmd.remark = read_text(&mut buf, remark_len, "remark")?;
    need(buf, 4, "ext length")?;
    let ext_len = length(buf.get_i32());
    need(buf, ext_len, "ext fields")?;
    let (mut ext, rest) = buf.split_at(ext_len);
    if !rest.is_empty() {
        return Err(BinaryHeaderError::TrailingBytes(rest.len()));
    }
    let mut pairs = Vec::new();
    let mut entries = 0;
    while !ext.is_empty() {
        if entries == MAX_EXT_FIELDS {
            return Err(BinaryHeaderError::TooManyExtFields(MAX_EXT_FIELDS));
        }
        entries += 1;
        need(ext, 2, "ext key length")?;
        let klen = ext.get_i16().max(0) as usize;
        let key = read_text(&mut ext, klen, "ext key")?;
        need(ext, 4, "ext value length")?;
        let vlen = length(ext.get_i32());
        let value = read_text(&mut ext, vlen, "ext value")?;
        if let (Some(k), Some(v)) = (key, value) {
            pairs.push((k.into(), v.into()));
        }
    }
    cmd.ext_fields = ExtFields::from_decoded(pairs);
    Ok(cmd)
}

/// Negative lengths are treated as "nothing", as Java's decoder does for 0.
fn length(raw: i32) -> usize {
    raw.max(0) as usize
}

fn need(buf: &[u8], n: usize, what: &'static str) -> Result<(), BinaryHeaderError> {
    if buf.len() < n {
        return Err(BinaryHeaderError::Truncated {
            what,
            need: n,
            have: buf.len(),
        });
    }
    Ok(())
}

/// Java decodes a zero length as null.
fn read_text(
    buf: &mut &[u8],
    len: usize,
    what: &'static str,
) -> Result<Option<String>, BinaryHeaderError> {
    need(buf, len, what)?;
    if len == 0 {
        return Ok(None);
    }
    let (text, rest) = buf.split_at(len);
    *buf = rest;
    String::from_utf8(text.to_vec())
        .map(Some)
        .map_err(|_| BinaryHeaderError::NotUtf8(what))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::remoting::codes::RequestCode;

    #[test]
    fn golden_route_request() {
        let mut cmd = RemotingCommand::request(RequestCode::GET_ROUTEINFO_BY_TOPIC);
        cmd.version = 479;
        cmd.opaque = 7;
        cmd.ext_fields.insert("topic", "T1");
        let bytes = encode(&cmd).unwrap();
        let expected: Vec<u8> = vec![
            0x00, 0x69, 0x00, 0x01, 0xdf, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0d, 0x00,
            0x05, b't', b'o', b'p', b'i', b'c', 0, 0, 0, 2, b'T', b'1',
        ];
        assert_eq!(bytes, expected);
        let back = decode(&bytes).unwrap();
        assert_eq!(back.code, 105);
        assert_eq!(back.ext_fields["topic"], "T1");
        assert_eq!(back.remark, None);
    }

    #[test]
    fn ext_fields_up_to_the_cap_decode_in_key_order_and_more_are_refused() {
        let mut cmd = RemotingCommand::request(RequestCode::HEART_BEAT);
        let mut header = |n: usize| {
            cmd.ext_fields = (0..n).map(|i| (format!("k{i}"), "v".to_string())).collect();
            // Out of key order on the wire, with a repeated key at the end.
            let mut bytes = encode(&cmd).unwrap();
            let ext_len_at = FIXED_LEN;
            let mut extra = Vec::new();
            extra.put_i16(2);
            extra.put_slice(b"k0");
            extra.put_i32(1);
            extra.put_slice(b"w");
            let old = u32::from_be_bytes(bytes[ext_len_at..ext_len_at + 4].try_into().unwrap());
            bytes[ext_len_at..ext_len_at + 4]
                .copy_from_slice(&(old + extra.len() as u32).to_be_bytes());
            bytes.extend_from_slice(&extra);
            bytes
        };
        let at_cap = decode(&header(MAX_EXT_FIELDS - 1)).unwrap();
        assert_eq!(at_cap.ext_fields.len(), MAX_EXT_FIELDS - 1);
        assert_eq!(at_cap.ext_fields.get("k0"), Some("w"));
        assert_eq!(
            decode(&header(100_000)),
            Err(BinaryHeaderError::TooManyExtFields(MAX_EXT_FIELDS))
        );
    }

    #[test]
    fn rejects_lengths_past_the_header() {
        let mut bytes = encode(&RemotingCommand::request(RequestCode::HEART_BEAT)).unwrap();
        bytes[16] = 50; // remark length 50, nothing follows
        assert!(matches!(
            decode(&bytes),
            Err(BinaryHeaderError::Truncated { .. })
        ));
        assert!(decode(&[0, 1]).is_err());
    }

    #[test]
    fn pop_codes_do_not_fit() {
        let cmd = RemotingCommand::request(RequestCode::POP_MESSAGE);
        assert_eq!(encode(&cmd), Err(BinaryHeaderError::CodeTooLarge(200050)));
    }
}
