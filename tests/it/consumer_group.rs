//! The clustering push consumer (`rmqctl::consumer`, in this process, one client per member as
//! two processes would have) against a real `rmqctl namesrv` + `rmqctl broker`: members move
//! queues as soon as the broker says the group's members changed (NOTIFY_CONSUMER_IDS_CHANGED).
//! The periodic rebalance is set to an hour, far beyond every wait here, and each member is
//! settled (its topic's and its retry topic's queues placed, so no early retry is due) before
//! the group changes: only the notices can have moved the queues.

use crate::common::cluster::Cluster;
use crate::common::wire::{send_v2, TIMEOUT};
use rmqctl::admin::{namesrv_set::NamesrvSet, Admin};
use rmqctl::consumer::{
    self, ConsumeFrom, ConsumeOutcome, ConsumerConfig, MessageHandler, QueueKey, ReceivedMessage,
};
use rmqctl::remoting::client::RemotingClient;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

const QUEUES: i32 = 4;
/// Cap of every wait (debug builds on a busy 2-core machine).
const WAIT: Duration = Duration::from_secs(90);
/// Longer than any test here runs: no periodic rebalance happens.
const NO_PERIODIC_REBALANCE: Duration = Duration::from_secs(3600);

/// What one member did: the queues it owns (of the test topic, and whether it owns a queue of
/// its retry topic) and the (round, queue) of every message it handled (a body is its round).
#[derive(Default)]
struct Seen {
    topic: String,
    owned: Mutex<(BTreeSet<i32>, bool)>,
    got: Mutex<BTreeSet<(u32, i32)>>,
}

impl Seen {
    fn owned(&self) -> BTreeSet<i32> {
        self.owned.lock().unwrap().0.clone()
    }

    fn owns_retry_queue(&self) -> bool {
        self.owned.lock().unwrap().1
    }

    fn queues_of_round(&self, round: u32) -> BTreeSet<i32> {
        let got = self.got.lock().unwrap();
        got.iter()
            .filter(|(r, _)| *r == round)
            .map(|(_, q)| *q)
            .collect()
    }
}

#[async_trait::async_trait]
impl MessageHandler for Seen {
    async fn handle(&self, msg: &ReceivedMessage) -> ConsumeOutcome {
        let round = std::str::from_utf8(&msg.record.body)
            .ok()
            .and_then(|b| b.parse().ok());
        if let Some(round) = round {
            self.got
                .lock()
                .unwrap()
                .insert((round, msg.record.queue_id));
        }
        ConsumeOutcome::Ack
    }

    fn queues_owned(&self, queues: &[QueueKey]) {
        let topic: BTreeSet<i32> = queues
            .iter()
            .filter(|q| q.topic == self.topic)
            .map(|q| q.queue_id)
            .collect();
        let retry = queues.iter().any(|q| q.topic.starts_with("%RETRY%"));
        *self.owned.lock().unwrap() = (topic, retry);
    }
}

/// One running member of the group.
struct Member {
    seen: Arc<Seen>,
    stop: CancellationToken,
    task: tokio::task::JoinHandle<()>,
}

impl Member {
    fn start(ns: &str, group: &str, topic: &str) -> Member {
        let admin = Admin::new(NamesrvSet::parse(ns).unwrap(), Duration::from_secs(10));
        let mut config = ConsumerConfig::new(group, topic, "*");
        config.consume_from = ConsumeFrom::First;
        config.rebalance_interval = NO_PERIODIC_REBALANCE;
        let seen = Arc::new(Seen {
            topic: topic.into(),
            ..Seen::default()
        });
        let stop = CancellationToken::new();
        let task = consumer::start(admin, config, seen.clone(), stop.clone());
        Member { seen, stop, task }
    }

    /// Stop it: it commits and unregisters (UNREGISTER_CLIENT).
    async fn stop(self) {
        self.stop.cancel();
        tokio::time::timeout(WAIT, self.task)
            .await
            .expect("the member stops")
            .unwrap();
    }
}

/// A cluster with a topic of [`QUEUES`] queues, and a client that sends to given queues.
struct Setup {
    cluster: Cluster,
    topic: String,
    client: RemotingClient,
    round: u32,
}

impl Setup {
    async fn new(topic: &str) -> Setup {
        let cluster = Cluster::single();
        cluster.create_topic(topic, QUEUES).await;
        Setup {
            cluster,
            topic: topic.into(),
            client: RemotingClient::default(),
            round: 0,
        }
    }

    /// Send one message to every queue and wait until some member handled each; returns the
    /// queues each member handled in this round.
    async fn round(&mut self, members: &[&Member]) -> Vec<BTreeSet<i32>> {
        self.round += 1;
        let addr = self.cluster.broker().addr.to_string();
        for queue in 0..QUEUES {
            let body = self.round.to_string().into_bytes();
            let send = send_v2(&self.topic, queue, body, &crate::common::props("", "", ""));
            let r = self.client.invoke(&addr, send, TIMEOUT).await.unwrap();
            assert_eq!(r.code, 0, "send: {r:?}");
        }
        let start = Instant::now();
        loop {
            let owners: Vec<BTreeSet<i32>> = members
                .iter()
                .map(|m| m.seen.queues_of_round(self.round))
                .collect();
            if owners.iter().flatten().collect::<BTreeSet<_>>().len() == QUEUES as usize {
                return owners;
            }
            assert!(
                start.elapsed() < WAIT,
                "round {} not handled within {WAIT:?}: {owners:?}\n{}",
                self.round,
                self.cluster.broker().log_text()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// One round of messages, each handled by the member that owns its queue.
    async fn round_follows_ownership(&mut self, members: &[&Member]) {
        let handled = self.round(members).await;
        for (member, handled) in members.iter().zip(handled) {
            let owned = member.seen.owned();
            assert!(
                handled.is_subset(&owned),
                "round {}: a member handled queues {handled:?}, owns {owned:?}",
                self.round
            );
        }
    }
}

/// Poll `cond` until it holds, at most [`WAIT`].
async fn wait_until(what: &str, cond: impl Fn() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(start.elapsed() < WAIT, "waited {WAIT:?} for: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn all_queues() -> BTreeSet<i32> {
    (0..QUEUES).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_joining_and_leaving_move_queues_on_the_brokers_notice() {
    let mut s = Setup::new("NoticedTopic").await;
    let ns = s.cluster.ns();
    let a = Member::start(&ns, "NoticedGroup", &s.topic);
    wait_until(
        "the first member owns every queue and the retry queue",
        || a.seen.owned() == all_queues() && a.seen.owns_retry_queue(),
    )
    .await;
    s.round_follows_ownership(&[&a]).await;

    // A second member joins: the broker tells the first, which gives up half the queues.
    let joined = Instant::now();
    let b = Member::start(&ns, "NoticedGroup", &s.topic);
    wait_until("the queues split between the two members", || {
        let (oa, ob) = (a.seen.owned(), b.seen.owned());
        oa.len() == 2 && ob.len() == 2 && oa.union(&ob).count() == QUEUES as usize
    })
    .await;
    let join_took = joined.elapsed();
    s.round_follows_ownership(&[&a, &b]).await;

    // It leaves (UNREGISTER_CLIENT): the broker tells the first, which takes them back.
    let left = Instant::now();
    b.stop().await;
    wait_until("the remaining member owns every queue again", || {
        a.seen.owned() == all_queues()
    })
    .await;
    let leave_took = left.elapsed();
    s.round_follows_ownership(&[&a]).await;
    a.stop().await;
    eprintln!("queues split {join_took:?} after the second member started, back {leave_took:?} after it began to stop");
}
