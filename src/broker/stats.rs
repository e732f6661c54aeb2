//! `BrokerStats`: message counters and their rates over 10 s, 60 s and 600 s windows, plus the
//! day-boundary snapshots `mqadmin clusterList` subtracts (GET_BROKER_RUNTIME_INFO).

use crate::locks::lock;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Counters sampled once a second.
#[derive(Debug, Clone, Copy, Default)]
struct Sample {
    put: u64,
    get_found: u64,
    get_miss: u64,
    transferred: u64,
}

#[derive(Debug)]
struct History {
    samples: VecDeque<(Instant, Sample)>,
    day: i64,
    today_morning: Sample,
    yesterday_morning: Sample,
}

/// Rates of one counter over the three windows Java reports.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Rates {
    pub s10: f64,
    pub s60: f64,
    pub s600: f64,
}

impl Rates {
    /// Java's `"10s 60s 600s"` text, doubles in `Double.toString` form.
    pub fn to_java_text(self) -> String {
        use crate::protocol::fastjson::java_double;
        format!(
            "{} {} {}",
            java_double(self.s10),
            java_double(self.s60),
            java_double(self.s600)
        )
    }
}

/// Counters of one broker.
#[derive(Debug)]
pub struct BrokerStats {
    pub put_messages: AtomicU64,
    pub get_found: AtomicU64,
    pub get_miss: AtomicU64,
    pub transferred: AtomicU64,
    history: Mutex<History>,
}

impl Default for BrokerStats {
    fn default() -> Self {
        BrokerStats {
            put_messages: AtomicU64::new(0),
            get_found: AtomicU64::new(0),
            get_miss: AtomicU64::new(0),
            transferred: AtomicU64::new(0),
            history: Mutex::new(History {
                samples: VecDeque::new(),
                day: day_number(),
                today_morning: Sample::default(),
                yesterday_morning: Sample::default(),
            }),
        }
    }
}

fn day_number() -> i64 {
    crate::calendar::now_millis() / 86_400_000
}

impl BrokerStats {
    fn now(&self) -> Sample {
        Sample {
            put: self.put_messages.load(Ordering::Relaxed),
            get_found: self.get_found.load(Ordering::Relaxed),
            get_miss: self.get_miss.load(Ordering::Relaxed),
            transferred: self.transferred.load(Ordering::Relaxed),
        }
    }

    /// Take a sample (called every second by the broker).
    pub fn sample(&self) {
        let now = Instant::now();
        let current = self.now();
        let mut h = lock(&self.history);
        h.samples.push_back((now, current));
        while h
            .samples
            .front()
            .is_some_and(|(t, _)| now.duration_since(*t) > Duration::from_secs(601))
        {
            h.samples.pop_front();
        }
        let day = day_number();
        if day != h.day {
            h.yesterday_morning = h.today_morning;
            h.today_morning = current;
            h.day = day;
        }
    }

    fn rates(&self, pick: fn(&Sample) -> u64) -> Rates {
        let h = lock(&self.history);
        let Some((last_t, last)) = h.samples.back().copied() else {
            return Rates::default();
        };
        let rate = |window: u64| {
            let start = h
                .samples
                .iter()
                .find(|(t, _)| last_t.duration_since(*t) <= Duration::from_secs(window));
            match start {
                Some((t, s)) if last_t > *t => {
                    (pick(&last) - pick(s)) as f64 / last_t.duration_since(*t).as_secs_f64()
                }
                _ => 0.0,
            }
        };
        Rates {
            s10: rate(10),
            s60: rate(60),
            s600: rate(600),
        }
    }

    pub fn put_tps(&self) -> Rates {
        self.rates(|s| s.put)
    }
    pub fn get_found_tps(&self) -> Rates {
        self.rates(|s| s.get_found)
    }
    pub fn get_miss_tps(&self) -> Rates {
        self.rates(|s| s.get_miss)
    }
    pub fn get_total_tps(&self) -> Rates {
        self.rates(|s| s.get_found + s.get_miss)
    }
    pub fn transferred_tps(&self) -> Rates {
        self.rates(|s| s.transferred)
    }

    /// (yesterday morning, today morning, now) for puts and for gets.
    pub fn day_totals(&self) -> ((u64, u64, u64), (u64, u64, u64)) {
        let h = lock(&self.history);
        let now = self.now();
        (
            (h.yesterday_morning.put, h.today_morning.put, now.put),
            (
                h.yesterday_morning.transferred,
                h.today_morning.transferred,
                now.transferred,
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_follow_counters() {
        let s = BrokerStats::default();
        s.sample();
        std::thread::sleep(Duration::from_millis(200));
        s.put_messages.fetch_add(100, Ordering::Relaxed);
        s.sample();
        let r = s.put_tps();
        assert!(r.s10 > 100.0 && r.s10 < 1000.0, "{r:?}");
        assert_eq!(Rates::default().to_java_text(), "0.0 0.0 0.0");
    }
}
