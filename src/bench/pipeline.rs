//! One load-generator connection driven by one task: it keeps `slots` requests in flight, reads
//! the answers, and puts the next request of a slot on the wire as soon as its answer is in, until
//! the deadline. A slot behaves like a client with one synchronous call outstanding (a Java
//! producer thread), but the load generator stays cheap: no task, oneshot channel or timer per
//! request, and the answers of one socket read release the next requests in one write. On the
//! 2-core test machine the load generator shares the CPU with the broker it measures, so every
//! microsecond it spends per message is taken from the broker.

use crate::remoting::client::connect_tcp;
use crate::remoting::frame::{frame_buffered, RemotingCodec, CLIENT_WRITE_BATCH};
use crate::remoting::tls::TlsConnect;
use crate::remoting::RemotingCommand;
use futures::{SinkExt, StreamExt};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_util::codec::Framed;

/// What the slots of a connection send and how their answers are counted.
pub trait SlotWork {
    /// The next request of `slot` (its opaque is set by the pipeline).
    fn request(&mut self, slot: usize) -> RemotingCommand;
    /// The next requests of `slots`, freed by the answers of one read and sent together.
    fn requests(&mut self, slots: &[usize]) -> Vec<RemotingCommand> {
        slots.iter().map(|&slot| self.request(slot)).collect()
    }
    /// The answer to the last request of `slot`, `latency` after it was written.
    fn answered(&mut self, slot: usize, answer: &RemotingCommand, latency: Duration);
}

/// Why a connection stopped before its deadline.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error("cannot connect to {addr}: {reason}")]
    Connect { addr: String, reason: String },
    #[error("connection to {addr} failed: {reason}")]
    Io { addr: String, reason: String },
    #[error("connection to {addr} closed with {in_flight} requests unanswered")]
    Closed { addr: String, in_flight: usize },
    #[error("{in_flight} requests to {addr} unanswered after {after:?}")]
    Timeout {
        addr: String,
        in_flight: usize,
        after: Duration,
    },
}

/// Drive one connection to `addr` (TLS when `tls` is set) with `slots` requests in flight until
/// `deadline`; returns once every request written has been answered, or at the first connection
/// failure.
pub async fn drive(
    addr: &str,
    tls: Option<&TlsConnect>,
    slots: usize,
    deadline: Instant,
    timeout: Duration,
    work: &mut impl SlotWork,
) -> Result<(), PipelineError> {
    let stream = connect_tcp(addr, timeout)
        .await
        .map_err(|e| PipelineError::Connect {
            addr: addr.to_string(),
            reason: e.to_string(),
        })?;
    let Some(tls) = tls else {
        return drive_on(framed(stream), addr, slots, deadline, timeout, work).await;
    };
    let handshake = tokio::time::timeout(timeout, tls.handshake(addr, stream));
    let stream = match handshake.await {
        Ok(Ok(stream)) => stream,
        Ok(Err(reason)) => {
            return Err(PipelineError::Connect {
                addr: addr.to_string(),
                reason,
            })
        }
        Err(_) => {
            return Err(PipelineError::Connect {
                addr: addr.to_string(),
                reason: format!("TLS handshake not finished within {timeout:?}"),
            })
        }
    };
    drive_on(framed(stream), addr, slots, deadline, timeout, work).await
}

async fn drive_on<S: AsyncRead + AsyncWrite + Unpin>(
    mut conn: Framed<S, RemotingCodec>,
    addr: &str,
    slots: usize,
    deadline: Instant,
    timeout: Duration,
    work: &mut impl SlotWork,
) -> Result<(), PipelineError> {
    let io = |e: crate::remoting::frame::FrameError| PipelineError::Io {
        addr: addr.to_string(),
        reason: e.to_string(),
    };
    let mut flight = Flight::new(slots.max(1));
    let all: Vec<usize> = (0..flight.slots.len()).collect();
    for request in flight.start(&all, work) {
        conn.feed(request).await.map_err(io)?;
    }
    conn.flush().await.map_err(io)?;
    // The slots the answers of the current read freed: their next requests are built (and
    // signed) together once the read's last answer is in, then written in one go.
    let mut freed = Vec::with_capacity(flight.slots.len());
    while flight.in_flight > 0 {
        let answer = match tokio::time::timeout(timeout, conn.next()).await {
            Err(_) => return Err(flight.timed_out(addr, timeout)),
            Ok(None) => return Err(flight.closed(addr)),
            Ok(Some(frame)) => frame.map_err(io)?,
        };
        // Server requests (NOTIFY_CONSUMER_IDS_CHANGED...) are not for a producer.
        if answer.is_response() {
            if let Some(slot) = flight.finish(&answer, work) {
                if Instant::now() < deadline {
                    freed.push(slot);
                }
            }
        }
        if !frame_buffered(conn.read_buffer()) {
            for request in flight.start(&freed, work) {
                conn.feed(request).await.map_err(io)?;
            }
            freed.clear();
            conn.flush().await.map_err(io)?;
        }
    }
    Ok(())
}

fn framed<S: AsyncRead + AsyncWrite>(stream: S) -> Framed<S, RemotingCodec> {
    let mut framed = Framed::new(stream, RemotingCodec);
    framed.set_backpressure_boundary(CLIENT_WRITE_BATCH);
    framed
}

/// The requests of one connection in flight: slot `s` uses opaques `n * slots + s` with `n`
/// counting up, so an answer names its slot and a stale or foreign opaque is recognised.
struct Flight {
    slots: Vec<Slot>,
    in_flight: usize,
}

#[derive(Clone, Copy)]
struct Slot {
    opaque: i32,
    sent: Option<Instant>,
}

impl Flight {
    fn new(slots: usize) -> Self {
        Flight {
            slots: (0..slots)
                .map(|s| Slot {
                    opaque: s as i32,
                    sent: None,
                })
                .collect(),
            in_flight: 0,
        }
    }

    /// The next requests of `slots`, now in flight.
    fn start(&mut self, slots: &[usize], work: &mut impl SlotWork) -> Vec<RemotingCommand> {
        let n = self.slots.len() as i32;
        let mut requests = work.requests(slots);
        let now = Instant::now();
        for (request, &slot) in requests.iter_mut().zip(slots) {
            let s = &mut self.slots[slot];
            s.opaque = s.opaque.checked_add(n).unwrap_or(slot as i32);
            s.sent = Some(now);
            request.opaque = s.opaque;
            self.in_flight += 1;
        }
        requests
    }

    /// Records an answer; returns its slot, now free.
    fn finish(&mut self, answer: &RemotingCommand, work: &mut impl SlotWork) -> Option<usize> {
        let slot = usize::try_from(answer.opaque).ok()? % self.slots.len();
        let s = &mut self.slots[slot];
        let sent = s.sent.filter(|_| s.opaque == answer.opaque)?;
        s.sent = None;
        self.in_flight -= 1;
        work.answered(slot, answer, sent.elapsed());
        Some(slot)
    }

    fn closed(&self, addr: &str) -> PipelineError {
        PipelineError::Closed {
            addr: addr.to_string(),
            in_flight: self.in_flight,
        }
    }

    fn timed_out(&self, addr: &str, after: Duration) -> PipelineError {
        PipelineError::Timeout {
            addr: addr.to_string(),
            in_flight: self.in_flight,
            after,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::remoting::{RequestCode, ResponseCode};

    struct Counting {
        answered: Vec<usize>,
    }

    impl SlotWork for Counting {
        fn request(&mut self, _slot: usize) -> RemotingCommand {
            RemotingCommand::request(RequestCode::HEART_BEAT)
        }
        fn answered(&mut self, slot: usize, _: &RemotingCommand, _: Duration) {
            self.answered.push(slot);
        }
    }

    fn answer(opaque: i32) -> RemotingCommand {
        let mut r = RemotingCommand::response(ResponseCode::SUCCESS, None);
        r.opaque = opaque;
        r
    }

    #[test]
    fn answers_free_their_slot_once_and_foreign_opaques_are_ignored() {
        let mut work = Counting { answered: vec![] };
        let mut flight = Flight::new(3);
        let opaques: Vec<i32> = flight
            .start(&[0, 1, 2], &mut work)
            .iter()
            .map(|r| r.opaque)
            .collect();
        assert_eq!(opaques.iter().map(|o| o % 3).collect::<Vec<_>>(), [0, 1, 2]);
        assert_eq!(flight.finish(&answer(opaques[1]), &mut work), Some(1));
        assert_eq!(flight.finish(&answer(opaques[1]), &mut work), None);
        assert_eq!(flight.finish(&answer(opaques[2] + 3), &mut work), None);
        assert_eq!(flight.finish(&answer(-5), &mut work), None);
        assert_eq!(flight.in_flight, 2);
        let again = flight.start(&[1], &mut work)[0].opaque;
        assert_ne!(again, opaques[1]);
        assert_eq!(flight.finish(&answer(again), &mut work), Some(1));
        assert_eq!(work.answered, [1, 1]);
    }
}
