//! Unit tests for the record codec: golden bytes built by hand from the 6.1 table, round trips,
//! and malformed input.

use super::*;
use proptest::prelude::*;

fn sample() -> MessageRecord {
    MessageRecord {
        version: MessageVersion::V1,
        body_crc: 0,
        queue_id: 3,
        flag: 7,
        queue_offset: 42,
        commit_log_offset: 4096,
        sys_flag: 0,
        born_timestamp: 1_700_000_000_000,
        born_host: "192.168.0.9:50123".parse().unwrap(),
        store_timestamp: 1_700_000_000_123,
        store_host: "10.0.0.1:10911".parse().unwrap(),
        reconsume_times: 1,
        prepared_transaction_offset: 0,
        body: Bytes::from_static(b"hello"),
        topic: "TopicTest".into(),
        properties: "TAGS\u{1}TagA\u{2}".into(),
    }
}

/// The record written field by field from the table in remoting-protocol.md 6.1.
fn golden_bytes() -> Vec<u8> {
    let body = b"hello";
    let topic = b"TopicTest";
    let props = b"TAGS\x01TagA\x02";
    let total = 91 + body.len() + topic.len() + props.len();
    let mut g = Vec::new();
    g.extend_from_slice(&(total as i32).to_be_bytes()); // 0 TOTALSIZE
    g.extend_from_slice(&[0xDA, 0xA3, 0x20, 0xA7]); // 4 MAGICCODE V1
    let crc = crc32fast::hash(body) & 0x7FFF_FFFF;
    g.extend_from_slice(&crc.to_be_bytes()); // 8 BODYCRC
    g.extend_from_slice(&3i32.to_be_bytes()); // 12 QUEUEID
    g.extend_from_slice(&7i32.to_be_bytes()); // 16 FLAG
    g.extend_from_slice(&42i64.to_be_bytes()); // 20 QUEUEOFFSET
    g.extend_from_slice(&4096i64.to_be_bytes()); // 28 PHYSICALOFFSET
    g.extend_from_slice(&0i32.to_be_bytes()); // 36 SYSFLAG
    g.extend_from_slice(&1_700_000_000_000i64.to_be_bytes()); // 40 BORNTIMESTAMP
    g.extend_from_slice(&[192, 168, 0, 9]); // 48 BORNHOST
    g.extend_from_slice(&50123i32.to_be_bytes());
    g.extend_from_slice(&1_700_000_000_123i64.to_be_bytes()); // 56 STORETIMESTAMP
    g.extend_from_slice(&[10, 0, 0, 1]); // 64 STOREHOST
    g.extend_from_slice(&10911i32.to_be_bytes());
    g.extend_from_slice(&1i32.to_be_bytes()); // 72 RECONSUMETIMES
    g.extend_from_slice(&0i64.to_be_bytes()); // 76 PREPARED_TX_OFFSET
    g.extend_from_slice(&(body.len() as i32).to_be_bytes()); // 84 BODYLEN
    g.extend_from_slice(body);
    g.push(topic.len() as u8); // TOPICLEN (V1: 1 byte)
    g.extend_from_slice(topic);
    g.extend_from_slice(&(props.len() as i16).to_be_bytes()); // PROPLEN
    g.extend_from_slice(props);
    g
}

#[test]
fn encode_matches_golden_bytes() {
    let enc = sample().encode().unwrap();
    assert_eq!(enc, golden_bytes());
    assert_eq!(enc.len(), sample().encoded_len());
    assert_eq!(&enc[56..64], &1_700_000_000_123i64.to_be_bytes());
}

#[test]
fn decode_golden_bytes() {
    let rec = MessageRecord::decode_verified(&golden_bytes()).unwrap();
    let mut want = sample();
    want.body_crc = body_crc(b"hello");
    assert_eq!(rec, want);
    assert_eq!(rec.tags(), Some("TagA"));
    assert_eq!(rec.offset_msg_id(), "0A00000100002A9F0000000000001000");
}

#[test]
fn ipv6_hosts_and_v2_round_trip() {
    let mut rec = sample();
    rec.born_host = "[2001:db8::1]:1234".parse().unwrap();
    rec.store_host = "[::1]:10911".parse().unwrap();
    rec.version = MessageVersion::V2;
    rec.topic = "t".repeat(200);
    let enc = rec.encode().unwrap();
    assert_eq!(enc.len(), 91 + 12 + 12 + 1 + 5 + 200 + 10);
    let flag = i32::from_be_bytes(enc[36..40].try_into().unwrap());
    assert_eq!(
        flag,
        MessageSysFlag::BORNHOST_V6 | MessageSysFlag::STOREHOST_V6
    );
    let back = MessageRecord::decode_verified(&enc).unwrap();
    assert_eq!(back.born_host, rec.born_host);
    assert_eq!(back.store_host, rec.store_host);
    assert_eq!(back.topic, rec.topic);
    assert_eq!(back.version, MessageVersion::V2);
    assert_eq!(back.encode().unwrap(), enc);
}

#[test]
fn v1_topic_too_long_is_an_error() {
    let mut rec = sample();
    rec.topic = "t".repeat(128);
    assert!(matches!(
        rec.encode(),
        Err(EncodeError::TopicTooLong { len: 128, .. })
    ));
    assert_eq!(MessageVersion::for_topic(&rec.topic), MessageVersion::V2);
}

#[test]
fn decode_all_concatenation() {
    let mut buf = sample().encode().unwrap();
    let mut second = sample();
    second.commit_log_offset += buf.len() as i64;
    second.body = Bytes::from_static(b"");
    second.encode_into(&mut buf).unwrap();
    let recs = decode_all(&buf).unwrap();
    assert_eq!(recs.len(), 2);
    assert_eq!(
        recs[1].commit_log_offset,
        4096 + golden_bytes().len() as i64
    );
    assert!(recs[1].body.is_empty());
}

#[test]
fn every_truncation_is_an_error() {
    let enc = golden_bytes();
    for cut in 0..enc.len() {
        assert!(MessageRecord::decode(&enc[..cut]).is_err(), "cut at {cut}");
        if cut > 0 {
            assert!(decode_all(&enc[..cut]).is_err(), "decode_all cut at {cut}");
        }
    }
}

#[test]
fn malformed_records_are_errors() {
    let enc = golden_bytes();
    let mut bad = enc.clone();
    bad[4] = 0;
    assert!(matches!(
        MessageRecord::decode(&bad),
        Err(DecodeError::BadMagic { .. })
    ));
    let mut bad = enc.clone();
    bad[84..88].copy_from_slice(&(-1i32).to_be_bytes());
    assert!(MessageRecord::decode(&bad).is_err());
    let mut bad = enc.clone();
    bad[84..88].copy_from_slice(&(i32::MAX).to_be_bytes());
    assert!(MessageRecord::decode(&bad).is_err());
    let mut bad = enc.clone();
    bad[88] ^= 0xFF; // body byte
    assert!(matches!(
        MessageRecord::decode_verified(&bad),
        Err(DecodeError::BodyCrc { .. })
    ));
    let mut bad = enc.clone();
    let n = bad.len();
    bad[n - 3] = 0xFF; // invalid UTF-8 in properties
    assert!(matches!(
        MessageRecord::decode(&bad),
        Err(DecodeError::Utf8 { .. })
    ));
    let mut bad = enc.clone();
    bad[0..4].copy_from_slice(&10i32.to_be_bytes());
    assert!(MessageRecord::decode(&bad).is_err());
}

#[test]
fn compressed_body_is_inflated() {
    let plain = vec![b'x'; 10_000];
    let mut rec = sample();
    rec.body = Bytes::from(deflate(&plain, 5));
    rec.sys_flag = MessageSysFlag::COMPRESSED;
    assert_eq!(rec.uncompressed_body().unwrap(), plain);
    rec.sys_flag = MessageSysFlag::COMPRESSED | MessageSysFlag::COMPRESSION_ZLIB;
    rec.decompress_in_place().unwrap();
    assert_eq!(rec.body, plain);
    assert_eq!(rec.sys_flag, 0);
    rec.sys_flag = MessageSysFlag::COMPRESSED | MessageSysFlag::COMPRESSION_LZ4;
    assert!(matches!(
        rec.uncompressed_body(),
        Err(DecodeError::UnsupportedCompression(0x100))
    ));
    rec.sys_flag = MessageSysFlag::COMPRESSED;
    rec.body = Bytes::from_static(b"not zlib");
    assert!(matches!(
        rec.uncompressed_body(),
        Err(DecodeError::Inflate(_))
    ));
}

proptest! {
    #[test]
    fn decode_never_panics(data in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = MessageRecord::decode(&data);
        let _ = decode_all(&data);
        let _ = crate::protocol::message::decode_batch(&data);
    }

    #[test]
    fn mutated_golden_never_panics(idx in 0usize..120, byte in any::<u8>()) {
        let mut g = golden_bytes();
        let i = idx % g.len();
        g[i] = byte;
        let _ = MessageRecord::decode_verified(&g);
    }

    #[test]
    fn round_trip(body in proptest::collection::vec(any::<u8>(), 0..300),
                  topic in "[a-zA-Z0-9_%-]{1,200}",
                  qo in any::<i64>(), qid in any::<i32>(), v6 in any::<bool>()) {
        let mut rec = sample();
        rec.body = Bytes::from(body);
        rec.version = MessageVersion::for_topic(&topic);
        rec.topic = topic;
        rec.queue_offset = qo;
        rec.queue_id = qid;
        if v6 { rec.born_host = "[fe80::1]:9".parse().unwrap(); }
        rec.sys_flag = rec.effective_sys_flag();
        let enc = rec.encode().unwrap();
        let mut back = MessageRecord::decode_verified(&enc).unwrap();
        back.body_crc = rec.body_crc;
        prop_assert_eq!(back, rec);
    }
}
