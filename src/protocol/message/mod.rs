//! The stored message record (remoting-protocol.md section 6): the commit-log record codec shared by
//! the store, PULL-body decoding in clients and the admin tools, plus properties, message ids,
//! system flags and the SEND_BATCH_MESSAGE body.
//!
//! Every decoder returns a [`DecodeError`] on truncated or malformed input; none of them panics.

mod batch;
mod flags;
mod msg_id;
mod properties;
mod record;
mod unique_id;

pub use batch::{decode_batch, encode_batch, BatchMessage};
pub use flags::MessageSysFlag;
pub use msg_id::{hex_encode, OffsetMsgId};
pub use properties::{
    find_property, is_canonical, push_property, MessageConst, Properties, NAME_VALUE_SEPARATOR,
    PROPERTY_SEPARATOR,
};
pub use record::{
    body_crc, decode_all, deflate, inflate, MessageExt, MessageRecord, MessageVersion, BLANK_MAGIC,
    MAGIC_V1, MAGIC_V2, MESSAGE_MAGIC_CODE_POSITION, MESSAGE_PHYSIC_OFFSET_POSITION,
    SYSFLAG_POSITION,
};
pub use unique_id::new_unique_id;

/// Why a stored record, a batch body, a properties string or a message id could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("truncated {what}: need {needed} bytes at offset {offset}, have {available}")]
    Truncated {
        what: &'static str,
        offset: usize,
        needed: usize,
        available: usize,
    },
    #[error("bad magic code {magic:#010x} at offset {offset}")]
    BadMagic { magic: u32, offset: usize },
    #[error("bad {field} {value} at offset {offset}")]
    BadLength {
        field: &'static str,
        value: i64,
        offset: usize,
    },
    #[error(
        "body CRC mismatch at offset {offset}: stored {stored:#010x}, computed {computed:#010x}"
    )]
    BodyCrc {
        offset: usize,
        stored: u32,
        computed: u32,
    },
    #[error("{field} is not valid UTF-8 at offset {offset}")]
    Utf8 { field: &'static str, offset: usize },
    #[error("bad message id {id:?}: {reason}")]
    BadMessageId { id: String, reason: &'static str },
    #[error("cannot inflate body: {0}")]
    Inflate(String),
    #[error("unsupported body compression type {0:#x} (only zlib is supported)")]
    UnsupportedCompression(i32),
}

/// Why a record could not be encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    #[error("topic is {len} bytes; the limit is {max} for this message version")]
    TopicTooLong { len: usize, max: usize },
    #[error("properties are {len} bytes; the limit is 32767")]
    PropertiesTooLong { len: usize },
    #[error("body is {len} bytes; too large for a record")]
    BodyTooLong { len: usize },
}

/// Java's `String.hashCode()`: `s[0]*31^(n-1) + ... + s[n-1]` over UTF-16 code units, wrapping.
/// Used for consume-queue `tagsCode` and heartbeat `codeSet`.
pub fn java_string_hash(s: &str) -> i32 {
    java_string_hash_continue(0, s)
}

/// Java's `String.hashCode` of a concatenation, one part at a time:
/// `java_string_hash_continue(java_string_hash(a), b) == java_string_hash(a + b)`.
pub fn java_string_hash_continue(hash: i32, s: &str) -> i32 {
    s.encode_utf16()
        .fold(hash, |h, unit| h.wrapping_mul(31).wrapping_add(unit as i32))
}

#[cfg(test)]
mod tests {
    use super::{java_string_hash, java_string_hash_continue};

    #[test]
    fn java_string_hash_matches_java() {
        assert_eq!(java_string_hash(""), 0);
        assert_eq!(java_string_hash("TagA"), 2598919);
        // "hello world".hashCode() in Java
        assert_eq!(java_string_hash("hello world"), 1794106052);
        // Overflowing value: "polygenelubricants".hashCode() == Integer.MIN_VALUE
        assert_eq!(java_string_hash("polygenelubricants"), i32::MIN);
        // Non-BMP char counts as two UTF-16 units: "😀" = \uD83D\uDE00 -> 55357*31+56832
        assert_eq!(java_string_hash("😀"), 55357 * 31 + 56832);
    }

    #[test]
    fn a_hash_continued_part_by_part_is_the_hash_of_the_whole() {
        for (a, b) in [
            ("T", "#k"),
            ("", "x"),
            ("Topic😀", "#ké"),
            ("polygene", "lubricants"),
        ] {
            let whole = format!("{a}{b}");
            assert_eq!(
                java_string_hash_continue(java_string_hash(a), b),
                java_string_hash(&whole),
                "{whole}"
            );
        }
    }
}
