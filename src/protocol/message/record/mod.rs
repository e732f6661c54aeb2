//! The commit-log record (section 6.1): exact Apache layout, V1/V2 magic, IPv4/IPv6 hosts, body
//! CRC, zlib bodies. Also what PULL, VIEW_MESSAGE_BY_ID and QUERY_MESSAGE bodies are made of.

use std::io::Read;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use bytes::{BufMut, Bytes};

use super::msg_id::OffsetMsgId;
use super::properties::{find_property, MessageConst, Properties};
use super::{DecodeError, EncodeError, MessageSysFlag};

/// Magic of a V1 record (1-byte topic length).
pub const MAGIC_V1: i32 = 0xDAA3_20A7_u32 as i32;
/// Magic of a V2 record (2-byte topic length).
pub const MAGIC_V2: i32 = 0xDAA3_20AB_u32 as i32;
/// Magic of the end-of-file filler `[int32 remaining, int32 BLANK_MAGIC]`.
pub const BLANK_MAGIC: i32 = 0xCBD4_3194_u32 as i32;
pub const MESSAGE_MAGIC_CODE_POSITION: usize = 4;
pub const MESSAGE_PHYSIC_OFFSET_POSITION: usize = 28;
pub const SYSFLAG_POSITION: usize = 36;
/// Inflated bodies larger than this are refused (zip-bomb guard).
const MAX_INFLATED_BODY: u64 = 128 * 1024 * 1024;

/// Which record layout: V1 stores the topic length in 1 byte, V2 in 2 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageVersion {
    V1,
    V2,
}

impl MessageVersion {
    pub fn magic(self) -> i32 {
        match self {
            Self::V1 => MAGIC_V1,
            Self::V2 => MAGIC_V2,
        }
    }

    pub fn from_magic(magic: i32) -> Option<Self> {
        match magic {
            MAGIC_V1 => Some(Self::V1),
            MAGIC_V2 => Some(Self::V2),
            _ => None,
        }
    }

    /// V2 when the topic does not fit a signed byte (`autoMessageVersionOnTopicLen`).
    pub fn for_topic(topic: &str) -> Self {
        if topic.len() > i8::MAX as usize {
            Self::V2
        } else {
            Self::V1
        }
    }

    fn topic_len_size(self) -> usize {
        match self {
            Self::V1 => 1,
            Self::V2 => 2,
        }
    }

    fn max_topic_len(self) -> usize {
        match self {
            Self::V1 => i8::MAX as usize,
            Self::V2 => i16::MAX as usize,
        }
    }
}

/// `crc32(body) & 0x7FFFFFFF`, as stored in BODYCRC.
pub fn body_crc(body: &[u8]) -> i32 {
    (crc32fast::hash(body) & 0x7FFF_FFFF) as i32
}

/// One stored message (Java's `MessageExt`), field for field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageRecord {
    pub version: MessageVersion,
    /// As stored; [`MessageRecord::encode`] recomputes it from the body.
    pub body_crc: i32,
    pub queue_id: i32,
    pub flag: i32,
    pub queue_offset: i64,
    pub commit_log_offset: i64,
    /// [`MessageSysFlag`] bits. The host IPv6 bits are set by `encode` from the addresses.
    pub sys_flag: i32,
    pub born_timestamp: i64,
    pub born_host: SocketAddr,
    pub store_timestamp: i64,
    pub store_host: SocketAddr,
    pub reconsume_times: i32,
    pub prepared_transaction_offset: i64,
    /// As stored (compressed if `sys_flag` says so); see [`MessageRecord::uncompressed_body`].
    pub body: Bytes,
    pub topic: String,
    /// The encoded properties string (section 6.4).
    pub properties: String,
}

/// Java's name for a decoded stored message.
pub type MessageExt = MessageRecord;

fn host_len(addr: &SocketAddr) -> usize {
    match addr.ip() {
        IpAddr::V4(_) => 8,
        IpAddr::V6(_) => 20,
    }
}

impl MessageRecord {
    /// TOTALSIZE of this record once encoded.
    pub fn encoded_len(&self) -> usize {
        Self::encoded_len_of(
            self.version,
            &self.born_host,
            &self.store_host,
            self.body.len(),
            self.topic.len(),
            self.properties.len(),
        )
    }

    /// TOTALSIZE for the given parts (`CommitLog.calMsgLength`).
    pub fn encoded_len_of(
        version: MessageVersion,
        born_host: &SocketAddr,
        store_host: &SocketAddr,
        body_len: usize,
        topic_len: usize,
        properties_len: usize,
    ) -> usize {
        4 + 4
            + 4
            + 4
            + 4
            + 8
            + 8
            + 4
            + 8
            + host_len(born_host)
            + 8
            + host_len(store_host)
            + 4
            + 8
            + 4
            + body_len
            + version.topic_len_size()
            + topic_len
            + 2
            + properties_len
    }

    /// `sys_flag` with the host bits matching the addresses.
    pub fn effective_sys_flag(&self) -> i32 {
        let mut flag =
            self.sys_flag & !(MessageSysFlag::BORNHOST_V6 | MessageSysFlag::STOREHOST_V6);
        if self.born_host.is_ipv6() {
            flag |= MessageSysFlag::BORNHOST_V6;
        }
        if self.store_host.is_ipv6() {
            flag |= MessageSysFlag::STOREHOST_V6;
        }
        flag
    }

    /// Encodes the record (BODYCRC computed from the body).
    pub fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        let mut out = Vec::with_capacity(self.encoded_len());
        self.encode_into(&mut out)?;
        Ok(out)
    }

    /// Appends the encoded record to `out`.
    pub fn encode_into(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        self.check_encodable()?;
        out.put_i32(self.encoded_len() as i32);
        out.put_i32(self.version.magic());
        out.put_i32(body_crc(&self.body));
        out.put_i32(self.queue_id);
        out.put_i32(self.flag);
        out.put_i64(self.queue_offset);
        out.put_i64(self.commit_log_offset);
        out.put_i32(self.effective_sys_flag());
        out.put_i64(self.born_timestamp);
        put_host(out, &self.born_host);
        out.put_i64(self.store_timestamp);
        put_host(out, &self.store_host);
        out.put_i32(self.reconsume_times);
        out.put_i64(self.prepared_transaction_offset);
        out.put_i32(self.body.len() as i32);
        out.put_slice(&self.body);
        match self.version {
            MessageVersion::V1 => out.put_u8(self.topic.len() as u8),
            MessageVersion::V2 => out.put_i16(self.topic.len() as i16),
        }
        out.put_slice(self.topic.as_bytes());
        out.put_i16(self.properties.len() as i16);
        out.put_slice(self.properties.as_bytes());
        Ok(())
    }

    fn check_encodable(&self) -> Result<(), EncodeError> {
        let max = self.version.max_topic_len();
        if self.topic.len() > max {
            return Err(EncodeError::TopicTooLong {
                len: self.topic.len(),
                max,
            });
        }
        if self.properties.len() > i16::MAX as usize {
            return Err(EncodeError::PropertiesTooLong {
                len: self.properties.len(),
            });
        }
        if self.encoded_len() > i32::MAX as usize {
            return Err(EncodeError::BodyTooLong {
                len: self.body.len(),
            });
        }
        Ok(())
    }

    /// Decodes the record at the start of `buf` (trailing bytes after it are ignored).
    /// Does not verify the body CRC; see [`MessageRecord::decode_verified`].
    pub fn decode(buf: &[u8]) -> Result<Self, DecodeError> {
        RecordReader::new(buf).read_record()
    }

    /// Like [`MessageRecord::decode`], and also checks BODYCRC.
    pub fn decode_verified(buf: &[u8]) -> Result<Self, DecodeError> {
        let rec = Self::decode(buf)?;
        let computed = body_crc(&rec.body);
        if computed != rec.body_crc {
            return Err(DecodeError::BodyCrc {
                offset: 0,
                stored: rec.body_crc as u32,
                computed: computed as u32,
            });
        }
        Ok(rec)
    }

    /// TOTALSIZE of the record at the start of `buf`, if at least 4 bytes are there.
    pub fn peek_total_size(buf: &[u8]) -> Option<i32> {
        buf.get(..4)
            .map(|b| i32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// The offset message id (store host + commit-log offset), uppercase hex.
    pub fn offset_msg_id(&self) -> String {
        OffsetMsgId::new(self.store_host, self.commit_log_offset).to_string()
    }

    pub fn properties_map(&self) -> Properties {
        Properties::parse(&self.properties)
    }

    pub fn property(&self, key: &str) -> Option<&str> {
        find_property(&self.properties, key)
    }

    pub fn tags(&self) -> Option<&str> {
        self.property(MessageConst::TAGS)
    }

    /// KEYS split on spaces.
    pub fn keys(&self) -> Vec<&str> {
        self.property(MessageConst::KEYS)
            .map(|k| k.split(' ').filter(|s| !s.is_empty()).collect())
            .unwrap_or_default()
    }

    /// The UNIQ_KEY property (what `SendResult.getMsgId()` returns).
    pub fn uniq_key(&self) -> Option<&str> {
        self.property(MessageConst::UNIQ_CLIENT_MESSAGE_ID_KEYIDX)
    }

    /// The body, inflated if COMPRESSED (zlib; type bits 0 or 0x300).
    pub fn uncompressed_body(&self) -> Result<Bytes, DecodeError> {
        if self.sys_flag & MessageSysFlag::COMPRESSED == 0 {
            return Ok(self.body.clone());
        }
        match self.sys_flag & MessageSysFlag::COMPRESSION_TYPE_MASK {
            0 | MessageSysFlag::COMPRESSION_ZLIB => inflate(&self.body).map(Bytes::from),
            other => Err(DecodeError::UnsupportedCompression(other)),
        }
    }

    /// Inflates the body in place and clears the compression bits, as Java's decoder does.
    pub fn decompress_in_place(&mut self) -> Result<(), DecodeError> {
        self.body = self.uncompressed_body()?;
        self.sys_flag &= !(MessageSysFlag::COMPRESSED | MessageSysFlag::COMPRESSION_TYPE_MASK);
        Ok(())
    }
}

/// Decodes a concatenation of records (a PULL or QUERY_MESSAGE body). Fails on the first
/// malformed or truncated record.
pub fn decode_all(buf: &[u8]) -> Result<Vec<MessageRecord>, DecodeError> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < buf.len() {
        let rec = MessageRecord::decode(&buf[pos..]).map_err(|e| shift(e, pos))?;
        pos += rec.encoded_len();
        out.push(rec);
    }
    Ok(out)
}

fn shift(e: DecodeError, by: usize) -> DecodeError {
    match e {
        DecodeError::Truncated {
            what,
            offset,
            needed,
            available,
        } => DecodeError::Truncated {
            what,
            offset: offset + by,
            needed,
            available,
        },
        DecodeError::BadMagic { magic, offset } => DecodeError::BadMagic {
            magic,
            offset: offset + by,
        },
        DecodeError::BadLength {
            field,
            value,
            offset,
        } => DecodeError::BadLength {
            field,
            value,
            offset: offset + by,
        },
        DecodeError::Utf8 { field, offset } => DecodeError::Utf8 {
            field,
            offset: offset + by,
        },
        other => other,
    }
}

/// zlib inflate (Java's `Inflater`), bounded by [`MAX_INFLATED_BODY`].
pub fn inflate(data: &[u8]) -> Result<Vec<u8>, DecodeError> {
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(data)
        .take(MAX_INFLATED_BODY + 1)
        .read_to_end(&mut out)
        .map_err(|e| DecodeError::Inflate(e.to_string()))?;
    if out.len() as u64 > MAX_INFLATED_BODY {
        return Err(DecodeError::Inflate("inflated body exceeds 128 MiB".into()));
    }
    Ok(out)
}

/// zlib deflate at `level` (the Java producer uses 5).
pub fn deflate(data: &[u8], level: u32) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(level));
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(data);
    enc.finish().unwrap_or_default()
}

fn put_host(out: &mut Vec<u8>, addr: &SocketAddr) {
    match addr.ip() {
        IpAddr::V4(ip) => out.put_slice(&ip.octets()),
        IpAddr::V6(ip) => out.put_slice(&ip.octets()),
    }
    out.put_i32(addr.port() as i32);
}

/// Bounds-checked big-endian reader over one record.
struct RecordReader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> RecordReader<'a> {
    fn new(buf: &'a [u8]) -> Self {
        Self { buf, pos: 0 }
    }

    fn read_record(mut self) -> Result<MessageRecord, DecodeError> {
        let total = self.i32("TOTALSIZE")?;
        let magic = self.i32("MAGICCODE")?;
        let version = MessageVersion::from_magic(magic).ok_or(DecodeError::BadMagic {
            magic: magic as u32,
            offset: 4,
        })?;
        if total < 91 || total as usize > self.buf.len() {
            return Err(if total >= 91 {
                DecodeError::Truncated {
                    what: "record",
                    offset: 0,
                    needed: total as usize,
                    available: self.buf.len(),
                }
            } else {
                DecodeError::BadLength {
                    field: "TOTALSIZE",
                    value: total as i64,
                    offset: 0,
                }
            });
        }
        self.buf = &self.buf[..total as usize];
        let body_crc = self.i32("BODYCRC")?;
        let queue_id = self.i32("QUEUEID")?;
        let flag = self.i32("FLAG")?;
        let queue_offset = self.i64("QUEUEOFFSET")?;
        let commit_log_offset = self.i64("PHYSICALOFFSET")?;
        let sys_flag = self.i32("SYSFLAG")?;
        let born_timestamp = self.i64("BORNTIMESTAMP")?;
        let born_host = self.host(sys_flag & MessageSysFlag::BORNHOST_V6 != 0, "BORNHOST")?;
        let store_timestamp = self.i64("STORETIMESTAMP")?;
        let store_host = self.host(sys_flag & MessageSysFlag::STOREHOST_V6 != 0, "STOREHOST")?;
        let reconsume_times = self.i32("RECONSUMETIMES")?;
        let prepared_transaction_offset = self.i64("PREPARED_TX_OFFSET")?;
        let body_len = self.i32("BODYLEN")?;
        let body = Bytes::copy_from_slice(self.take(body_len as i64, "BODY")?);
        let topic_len = match version {
            MessageVersion::V1 => self.take(1, "TOPICLEN")?[0] as i8 as i64,
            MessageVersion::V2 => self.i16("TOPICLEN")? as i64,
        };
        let topic = self.utf8(topic_len, "TOPIC")?;
        let props_len = self.i16("PROPLEN")?;
        let properties = self.utf8(props_len as i64, "PROPERTIES")?;
        if self.pos != self.buf.len() {
            return Err(DecodeError::BadLength {
                field: "TOTALSIZE",
                value: total as i64,
                offset: 0,
            });
        }
        Ok(MessageRecord {
            version,
            body_crc,
            queue_id,
            flag,
            queue_offset,
            commit_log_offset,
            sys_flag,
            born_timestamp,
            born_host,
            store_timestamp,
            store_host,
            reconsume_times,
            prepared_transaction_offset,
            body,
            topic,
            properties,
        })
    }

    fn take(&mut self, len: i64, what: &'static str) -> Result<&'a [u8], DecodeError> {
        if len < 0 {
            return Err(DecodeError::BadLength {
                field: what,
                value: len,
                offset: self.pos,
            });
        }
        let available = self.buf.len() - self.pos;
        if len as u64 > available as u64 {
            return Err(DecodeError::Truncated {
                what,
                offset: self.pos,
                needed: len as usize,
                available,
            });
        }
        let s = &self.buf[self.pos..self.pos + len as usize];
        self.pos += len as usize;
        Ok(s)
    }

    fn i16(&mut self, what: &'static str) -> Result<i16, DecodeError> {
        let b = self.take(2, what)?;
        Ok(i16::from_be_bytes([b[0], b[1]]))
    }

    fn i32(&mut self, what: &'static str) -> Result<i32, DecodeError> {
        let b = self.take(4, what)?;
        Ok(i32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn i64(&mut self, what: &'static str) -> Result<i64, DecodeError> {
        let b = self.take(8, what)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(i64::from_be_bytes(a))
    }

    fn host(&mut self, v6: bool, what: &'static str) -> Result<SocketAddr, DecodeError> {
        let ip = if v6 {
            let mut o = [0u8; 16];
            o.copy_from_slice(self.take(16, what)?);
            IpAddr::V6(Ipv6Addr::from(o))
        } else {
            let mut o = [0u8; 4];
            o.copy_from_slice(self.take(4, what)?);
            IpAddr::V4(Ipv4Addr::from(o))
        };
        let port = self.i32(what)?;
        // Java stores the port as an int; anything outside u16 is kept modulo 2^16.
        Ok(SocketAddr::new(ip, port as u16))
    }

    fn utf8(&mut self, len: i64, what: &'static str) -> Result<String, DecodeError> {
        let at = self.pos;
        let raw = self.take(len, what)?;
        String::from_utf8(raw.to_vec()).map_err(|_| DecodeError::Utf8 {
            field: what,
            offset: at,
        })
    }
}

#[cfg(test)]
mod tests;
