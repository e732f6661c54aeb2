//! The header work of one SEND_MESSAGE_V2 round trip, without I/O: the producer builds and encodes
//! the request, the broker decodes it and reads the typed header, then builds and encodes the
//! response, which the producer decodes. Run: `cargo bench --bench header_codec`; for a count
//! of instructions that load on the machine does not blur, run the bench binary with
//! `HEADER_CODEC_ITERS=N` (N round trips, no criterion) under `valgrind --tool=callgrind`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap fails the run, saying where

use bytes::BytesMut;
use criterion::{criterion_group, Criterion};
use rmqctl::remoting::frame::{encode_frame, RemotingCodec};
#[allow(dead_code)]
#[path = "../tests/it/common/wire.rs"]
mod wire;

use rmqctl::remoting::headers::{SendMessageRequestHeaderV2, SendMessageResponseHeader};
use rmqctl::remoting::{RemotingCommand, ResponseCode};
use std::hint::black_box;
use tokio_util::codec::Decoder;

/// The allocator the rmqctl binary uses, so allocation costs are the ones it sees.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The request `rmqctl bench produce` sends (properties as its messages carry them).
fn request() -> RemotingCommand {
    wire::send_v2(
        "Bench1",
        3,
        vec![b'x'; 1024],
        "UNIQ_KEY\u{1}7F0000010001000000000000000000AB\u{2}WAIT\u{1}true\u{2}",
    )
}

fn response() -> RemotingCommand {
    RemotingCommand::response(ResponseCode::SUCCESS, None).with_header(&SendMessageResponseHeader {
        msg_id: "7F00000100002A9F0000000000001234".into(),
        queue_id: 3,
        queue_offset: 123_456,
        transaction_id: None,
        batch_uniq_id: None,
        msg_region: Some("DefaultRegion".into()),
        trace_on: Some("true".into()),
    })
}

fn one_round_trip(buf: &mut BytesMut) {
    encode_frame(&request(), buf).unwrap();
    let req = RemotingCodec.decode(buf).unwrap().unwrap();
    let h: SendMessageRequestHeaderV2 = req.header().unwrap();
    black_box(h);
    let mut resp = response();
    resp.opaque = req.opaque;
    encode_frame(&resp, buf).unwrap();
    let back = RemotingCodec.decode(buf).unwrap().unwrap();
    let h: SendMessageResponseHeader = back.header().unwrap();
    black_box(h);
}

fn round_trip(c: &mut Criterion) {
    let mut buf = BytesMut::with_capacity(4096);
    c.bench_function("send_v2_header_round_trip", |b| {
        b.iter(|| one_round_trip(&mut buf))
    });
    let mut frame = BytesMut::new();
    encode_frame(&request(), &mut frame).unwrap();
    c.bench_function("send_v2_request_decode", |b| {
        b.iter(|| {
            let mut buf = frame.clone();
            let req = RemotingCodec.decode(&mut buf).unwrap().unwrap();
            black_box(req.header::<SendMessageRequestHeaderV2>().unwrap());
        })
    });
}

criterion_group!(benches, round_trip);

fn main() {
    if let Some(n) = std::env::var("HEADER_CODEC_ITERS")
        .ok()
        .and_then(|n| n.parse::<u64>().ok())
    {
        let mut buf = BytesMut::with_capacity(4096);
        for _ in 0..n {
            one_round_trip(&mut buf);
        }
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
