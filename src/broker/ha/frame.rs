//! The classic HA wire format (remoting-protocol.md section 7): the slave's 8-byte offset
//! report and the master's 12-byte transfer header (`masterPhyOffset` + `bodySize`) followed by
//! raw commit-log bytes. Decoding is incremental and never panics on bad input.

use bytes::{Buf, Bytes, BytesMut};

/// Size of the slave's offset report.
pub const REPORT_LEN: usize = 8;
/// Size of the master's transfer header.
pub const TRANSFER_HEADER_LEN: usize = 12;
/// Largest chunk body a slave accepts (Java masters send at most `haTransferBatchSize`, 32 KiB by
/// default; anything near this limit is a broken or hostile peer).
pub const MAX_CHUNK_BODY: usize = 64 * 1024 * 1024;

/// Why bytes on an HA connection cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HaFrameError {
    #[error("transfer header carries a negative masterPhyOffset {offset}")]
    NegativeOffset { offset: i64 },
    #[error("transfer header at masterPhyOffset {offset} carries a negative bodySize {size}")]
    NegativeBodySize { offset: u64, size: i32 },
    #[error("transfer header at masterPhyOffset {offset} announces {size} bytes, more than the {max} a chunk may hold")]
    BodyTooLarge {
        offset: u64,
        size: usize,
        max: usize,
    },
    #[error("offset report carries a negative offset {offset}")]
    NegativeReport { offset: i64 },
}

/// The 12-byte header before each chunk the master sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransferHeader {
    /// Commit-log offset of the first body byte.
    pub master_phy_offset: u64,
    /// Body length; 0 is a heartbeat.
    pub body_size: u32,
}

impl TransferHeader {
    pub fn encode(&self) -> [u8; TRANSFER_HEADER_LEN] {
        let mut out = [0u8; TRANSFER_HEADER_LEN];
        out[..8].copy_from_slice(&(self.master_phy_offset as i64).to_be_bytes());
        out[8..].copy_from_slice(&(self.body_size as i32).to_be_bytes());
        out
    }

    /// Reads a header, checking the offset is not negative and the body fits `max_body`.
    pub fn decode(raw: &[u8; TRANSFER_HEADER_LEN], max_body: usize) -> Result<Self, HaFrameError> {
        let mut offset_bytes = [0u8; 8];
        offset_bytes.copy_from_slice(&raw[..8]);
        let mut size_bytes = [0u8; 4];
        size_bytes.copy_from_slice(&raw[8..]);
        let offset = i64::from_be_bytes(offset_bytes);
        let size = i32::from_be_bytes(size_bytes);
        if offset < 0 {
            return Err(HaFrameError::NegativeOffset { offset });
        }
        let master_phy_offset = offset as u64;
        if size < 0 {
            return Err(HaFrameError::NegativeBodySize {
                offset: master_phy_offset,
                size,
            });
        }
        if size as usize > max_body {
            return Err(HaFrameError::BodyTooLarge {
                offset: master_phy_offset,
                size: size as usize,
                max: max_body,
            });
        }
        Ok(TransferHeader {
            master_phy_offset,
            body_size: size as u32,
        })
    }

    /// Offset just past the body.
    pub fn end(&self) -> u64 {
        self.master_phy_offset + self.body_size as u64
    }
}

/// One complete chunk (header and body) read by the slave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferChunk {
    pub header: TransferHeader,
    pub body: Bytes,
}

impl TransferChunk {
    pub fn is_heartbeat(&self) -> bool {
        self.header.body_size == 0
    }
}

/// Encodes a header and its body into one buffer (one write on the socket).
pub fn encode_chunk(master_phy_offset: u64, body: &[u8]) -> Bytes {
    let header = TransferHeader {
        master_phy_offset,
        body_size: body.len() as u32,
    };
    let mut out = BytesMut::with_capacity(TRANSFER_HEADER_LEN + body.len());
    out.extend_from_slice(&header.encode());
    out.extend_from_slice(body);
    out.freeze()
}

/// Takes one complete chunk off the front of `buf`; `Ok(None)` until header and body are all
/// there (a half-written chunk is never returned).
pub fn decode_chunk(
    buf: &mut BytesMut,
    max_body: usize,
) -> Result<Option<TransferChunk>, HaFrameError> {
    if buf.len() < TRANSFER_HEADER_LEN {
        return Ok(None);
    }
    let mut raw = [0u8; TRANSFER_HEADER_LEN];
    raw.copy_from_slice(&buf[..TRANSFER_HEADER_LEN]);
    let header = TransferHeader::decode(&raw, max_body)?;
    let total = TRANSFER_HEADER_LEN + header.body_size as usize;
    if buf.len() < total {
        buf.reserve(total - buf.len());
        return Ok(None);
    }
    buf.advance(TRANSFER_HEADER_LEN);
    let body = buf.split_to(header.body_size as usize).freeze();
    Ok(Some(TransferChunk { header, body }))
}

/// The slave's report of its commit-log max offset.
pub fn encode_report(offset: u64) -> [u8; REPORT_LEN] {
    (offset as i64).to_be_bytes()
}

/// The master's reading of reports: the last complete 8-byte unit in `buf` (Java's
/// `pos - pos % 8`); earlier units are stale and dropped, a trailing partial unit is kept.
pub fn take_last_report(buf: &mut BytesMut) -> Result<Option<u64>, HaFrameError> {
    let complete = buf.len() - buf.len() % REPORT_LEN;
    if complete == 0 {
        return Ok(None);
    }
    let mut last = [0u8; REPORT_LEN];
    last.copy_from_slice(&buf[complete - REPORT_LEN..complete]);
    buf.advance(complete);
    let offset = i64::from_be_bytes(last);
    if offset < 0 {
        return Err(HaFrameError::NegativeReport { offset });
    }
    Ok(Some(offset as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_round_trips_and_rejects_bad_values() {
        let h = TransferHeader {
            master_phy_offset: 1 << 40,
            body_size: 32768,
        };
        assert_eq!(TransferHeader::decode(&h.encode(), 1 << 20), Ok(h));
        let mut raw = h.encode();
        raw[0] = 0x80;
        assert!(matches!(
            TransferHeader::decode(&raw, 1 << 20),
            Err(HaFrameError::NegativeOffset { .. })
        ));
        assert!(matches!(
            TransferHeader::decode(&h.encode(), 100),
            Err(HaFrameError::BodyTooLarge { size: 32768, .. })
        ));
    }

    #[test]
    fn chunks_wait_for_their_whole_body() {
        let wire = encode_chunk(4096, b"hello");
        let mut buf = BytesMut::from(&wire[..10]);
        assert_eq!(decode_chunk(&mut buf, 100), Ok(None));
        buf.extend_from_slice(&wire[10..16]);
        assert_eq!(decode_chunk(&mut buf, 100), Ok(None));
        buf.extend_from_slice(&wire[16..]);
        buf.extend_from_slice(&encode_chunk(4101, b""));
        let c = decode_chunk(&mut buf, 100).unwrap().unwrap();
        assert_eq!(
            (c.header.master_phy_offset, &c.body[..]),
            (4096, &b"hello"[..])
        );
        let hb = decode_chunk(&mut buf, 100).unwrap().unwrap();
        assert!(hb.is_heartbeat());
        assert_eq!(hb.header.end(), 4101);
        assert!(buf.is_empty());
    }

    #[test]
    fn master_uses_the_last_complete_report() {
        let mut buf = BytesMut::new();
        buf.extend_from_slice(&encode_report(100));
        buf.extend_from_slice(&encode_report(200));
        buf.extend_from_slice(&encode_report(300)[..3]);
        assert_eq!(take_last_report(&mut buf), Ok(Some(200)));
        assert_eq!(buf.len(), 3);
        assert_eq!(take_last_report(&mut buf), Ok(None));
        buf.extend_from_slice(&encode_report(300)[3..]);
        assert_eq!(take_last_report(&mut buf), Ok(Some(300)));
        buf.extend_from_slice(&(-5i64).to_be_bytes());
        assert!(take_last_report(&mut buf).is_err());
    }
}
