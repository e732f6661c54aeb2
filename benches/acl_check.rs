//! The ACL work of one produced message, without I/O, split by side: the producer signs the
//! SEND_MESSAGE_V2 request `rmqctl bench produce` sends (1 KiB body), the broker decodes the
//! signed frame and checks it (account, signature, topic permission). Beside them the floor no
//! implementation of Apache's signature escapes when it hashes one message at a time: one
//! HMAC-SHA1 over the same signed content (the header values and the body). The `_4_together`
//! figures are for the four requests of one read, signed or checked at once (interleaved SHA-1,
//! `acl::sha1_lanes`); `clone_4_requests` is what cloning the four inputs adds to them. `cargo bench --bench acl_check`; the closing note of issue 15
//! compares these with the whole produce path (`benches/acl-compare.sh`).

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap fails the run, saying where

use bytes::BytesMut;
use criterion::{criterion_group, Criterion};
use hmac::{Hmac, Mac};
use rmqctl::acl::{AccessValidator, Credentials, Scope, Secret};
use rmqctl::remoting::frame::{encode_frame, RemotingCodec};
use rmqctl::remoting::RemotingCommand;
use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr};
use tokio_util::codec::Decoder;
#[allow(dead_code)]
#[path = "../tests/it/common/wire.rs"]
mod wire;

/// The allocator the rmqctl binary uses, so allocation costs are the ones it sees.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ACL: &str = "\
accounts:
  - accessKey: benchuser
    secretKey: bench-secret
    defaultTopicPerm: DENY
    defaultGroupPerm: SUB
    topicPerms:
      - AclBench=PUB|SUB
  - accessKey: consumer1
    secretKey: consumer-secret
    topicPerms:
      - Other=SUB
";

/// The request `rmqctl bench produce` sends.
fn request() -> RemotingCommand {
    wire::send_v2(
        "AclBench",
        3,
        vec![b'x'; 1024],
        "UNIQ_KEY\u{1}7F0000010001000000000000000000AB\u{2}WAIT\u{1}true\u{2}",
    )
}

fn frame_of(request: &RemotingCommand) -> BytesMut {
    let mut frame = BytesMut::new();
    encode_frame(request, &mut frame).unwrap();
    frame
}

fn acl(c: &mut Criterion) {
    let credentials = Credentials::new("benchuser", Secret::new("bench-secret"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plain_acl.yml");
    std::fs::write(&path, ACL).unwrap();
    let validator = AccessValidator::load(&path, Scope::Broker).unwrap();
    let peer = IpAddr::V4(Ipv4Addr::LOCALHOST);

    c.bench_function("producer_sign", |b| {
        let unsigned = request();
        b.iter(|| {
            let mut r = unsigned.clone();
            credentials.sign(&mut r);
            black_box(r);
        })
    });

    let mut signed = request();
    credentials.sign(&mut signed);
    let signed_frame = frame_of(&signed);
    let unsigned_frame = frame_of(&request());
    c.bench_function("broker_decode_unsigned", |b| {
        b.iter(|| black_box(RemotingCodec.decode(&mut unsigned_frame.clone()).unwrap()))
    });
    c.bench_function("broker_decode_signed", |b| {
        b.iter(|| black_box(RemotingCodec.decode(&mut signed_frame.clone()).unwrap()))
    });
    let decoded = RemotingCodec
        .decode(&mut signed_frame.clone())
        .unwrap()
        .unwrap();
    assert_eq!(validator.check(peer, &decoded), Ok(()));
    c.bench_function("broker_check", |b| {
        b.iter(|| black_box(validator.check(peer, black_box(&decoded))))
    });

    // The requests of one read (the bench's 16 producers on 4 connections send 4 at a time):
    // the producer signs them together, the broker checks their signatures together, then
    // each request (the check then takes the noted verdict).
    c.bench_function("producer_sign_4_together", |b| {
        let unsigned = vec![request(); 4];
        b.iter(|| {
            let mut batch = unsigned.clone();
            credentials.sign_many(&mut batch);
            black_box(batch);
        })
    });
    let read = vec![decoded.clone(); 4];
    c.bench_function("broker_check_4_together", |b| {
        b.iter(|| {
            let mut batch = read.clone();
            validator.check_signatures(peer, &mut batch);
            for r in &batch {
                black_box(validator.check(peer, black_box(r))).unwrap();
            }
        })
    });
    c.bench_function("clone_4_requests", |b| b.iter(|| black_box(read.clone())));

    // The floor: one HMAC-SHA1 over what the signature covers.
    let mut content: Vec<u8> = decoded
        .ext_fields
        .sorted()
        .filter(|(k, _)| *k != "Signature")
        .flat_map(|(_, v)| v.as_bytes().to_vec())
        .collect();
    content.extend_from_slice(decoded.body_bytes());
    let mac = Hmac::<sha1::Sha1>::new_from_slice(b"bench-secret").unwrap();
    c.bench_function("hmac_sha1_of_signed_content", |b| {
        b.iter(|| {
            let mut m = mac.clone();
            m.update(black_box(&content));
            black_box(m.finalize().into_bytes())
        })
    });
}

criterion_group!(benches, acl);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
