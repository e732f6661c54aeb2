//! SEND_BATCH_MESSAGE body: per message `int32 totalSize, int32 magic, int32 bodyCRC, int32 flag,
//! int32 bodyLen, body, int16 propLen, props` (`MessageDecoder.encodeMessage`/`decodeMessages`).

use bytes::{BufMut, Bytes};

use super::DecodeError;

/// One message of a batch body, as the producer sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchMessage {
    pub flag: i32,
    pub body: Bytes,
    /// Encoded properties string (section 6.4).
    pub properties: String,
}

/// Decodes a whole SEND_BATCH_MESSAGE body.
pub fn decode_batch(buf: &[u8]) -> Result<Vec<BatchMessage>, DecodeError> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < buf.len() {
        let (msg, len) = decode_one(buf, pos)?;
        out.push(msg);
        pos += len;
    }
    Ok(out)
}

fn decode_one(buf: &[u8], start: usize) -> Result<(BatchMessage, usize), DecodeError> {
    let mut r = Reader { buf, pos: start };
    let total = r.i32("batch totalSize")?;
    let remaining = buf.len() - start;
    if total < 22 || total as usize > remaining {
        return Err(DecodeError::BadLength {
            field: "batch totalSize",
            value: total as i64,
            offset: start,
        });
    }
    let end = start + total as usize;
    let mut r = Reader {
        buf: &buf[..end],
        pos: start + 4,
    };
    let _magic = r.i32("batch magic")?;
    let _crc = r.i32("batch bodyCRC")?;
    let flag = r.i32("batch flag")?;
    let body_len = r.i32("batch bodyLen")?;
    let body = r.bytes(body_len as i64, "batch body")?;
    let prop_len = r.i16("batch propLen")?;
    let props_at = r.pos;
    let props = r.bytes(prop_len as i64, "batch properties")?;
    let properties = std::str::from_utf8(props)
        .map_err(|_| DecodeError::Utf8 {
            field: "batch properties",
            offset: props_at,
        })?
        .to_string();
    Ok((
        BatchMessage {
            flag,
            body: Bytes::copy_from_slice(body),
            properties,
        },
        total as usize,
    ))
}

/// Encodes messages the way the Java producer does (magic and body CRC are sent as 0).
pub fn encode_batch(msgs: &[BatchMessage]) -> Vec<u8> {
    let mut out = Vec::new();
    for m in msgs {
        let total = 4 + 4 + 4 + 4 + 4 + m.body.len() + 2 + m.properties.len();
        out.put_i32(total as i32);
        out.put_i32(0);
        out.put_i32(0);
        out.put_i32(m.flag);
        out.put_i32(m.body.len() as i32);
        out.put_slice(&m.body);
        out.put_i16(m.properties.len() as i16);
        out.put_slice(m.properties.as_bytes());
    }
    out
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn bytes(&mut self, len: i64, what: &'static str) -> Result<&'a [u8], DecodeError> {
        if len < 0 {
            return Err(DecodeError::BadLength {
                field: what,
                value: len,
                offset: self.pos,
            });
        }
        let len = len as usize;
        let available = self.buf.len().saturating_sub(self.pos);
        if len > available {
            return Err(DecodeError::Truncated {
                what,
                offset: self.pos,
                needed: len,
                available,
            });
        }
        let s = &self.buf[self.pos..self.pos + len];
        self.pos += len;
        Ok(s)
    }

    fn i32(&mut self, what: &'static str) -> Result<i32, DecodeError> {
        let b = self.bytes(4, what)?;
        Ok(i32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn i16(&mut self, what: &'static str) -> Result<i16, DecodeError> {
        let b = self.bytes(2, what)?;
        Ok(i16::from_be_bytes([b[0], b[1]]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let msgs = vec![
            BatchMessage {
                flag: 1,
                body: Bytes::from_static(b"hello"),
                properties: "TAGS\u{1}a\u{2}".into(),
            },
            BatchMessage {
                flag: 0,
                body: Bytes::new(),
                properties: String::new(),
            },
        ];
        let enc = encode_batch(&msgs);
        assert_eq!(enc.len(), (22 + 5 + 7) + 22);
        assert_eq!(decode_batch(&enc).unwrap(), msgs);
    }

    #[test]
    fn truncated_and_malformed_are_errors() {
        let enc = encode_batch(&[BatchMessage {
            flag: 0,
            body: Bytes::from_static(b"abc"),
            properties: "k\u{1}v\u{2}".into(),
        }]);
        for cut in 1..enc.len() {
            assert!(decode_batch(&enc[..cut]).is_err(), "cut {cut}");
        }
        let mut bad = enc.clone();
        bad[16..20].copy_from_slice(&(-5i32).to_be_bytes());
        assert!(decode_batch(&bad).is_err());
        let mut bad = enc.clone();
        bad[16..20].copy_from_slice(&1000i32.to_be_bytes());
        assert!(decode_batch(&bad).is_err());
        assert!(decode_batch(&[]).unwrap().is_empty());
    }
}
