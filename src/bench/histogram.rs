//! `LatencyHistogram`: a fixed-size log-linear histogram of microsecond latencies (32 linear
//! sub-buckets per power of two, so under 3.2 % relative error) with percentiles and merging.
//! Small and allocation-free per sample, which is all the load generator needs.

/// Sub-buckets per power of two (2^SUB_BITS).
const SUB_BITS: u32 = 5;
const SUB_COUNT: usize = 1 << SUB_BITS;
/// Powers of two covered: up to 2^40 µs (about 12 days), far beyond any timeout.
const MAGNITUDES: usize = 40;

/// Counts of latencies in microseconds.
#[derive(Debug, Clone)]
pub struct LatencyHistogram {
    counts: Vec<u64>,
    total: u64,
    max: u64,
}

impl Default for LatencyHistogram {
    fn default() -> Self {
        LatencyHistogram {
            counts: vec![0; (MAGNITUDES + 1) * SUB_COUNT],
            total: 0,
            max: 0,
        }
    }
}

impl LatencyHistogram {
    pub fn new() -> Self {
        Self::default()
    }

    /// Record one latency of `micros` µs.
    pub fn record(&mut self, micros: u64) {
        let index = bucket_of(micros).min(self.counts.len() - 1);
        self.counts[index] += 1;
        self.total += 1;
        self.max = self.max.max(micros);
    }

    pub fn count(&self) -> u64 {
        self.total
    }

    pub fn max(&self) -> u64 {
        self.max
    }

    /// Add another histogram's samples.
    pub fn merge(&mut self, other: &LatencyHistogram) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        self.total += other.total;
        self.max = self.max.max(other.max);
    }

    /// The latency (µs, the upper edge of its bucket, capped at the max seen) below which
    /// `quantile` (0.0-1.0) of the samples fall; 0 with no samples.
    pub fn percentile(&self, quantile: f64) -> u64 {
        if self.total == 0 {
            return 0;
        }
        let rank = ((quantile.clamp(0.0, 1.0) * self.total as f64).ceil() as u64).max(1);
        let mut seen = 0;
        for (index, count) in self.counts.iter().enumerate() {
            seen += count;
            if seen >= rank {
                return bucket_upper(index).min(self.max);
            }
        }
        self.max
    }
}

/// Values below SUB_COUNT map to themselves; above, to (magnitude, top SUB_BITS bits).
fn bucket_of(value: u64) -> usize {
    if value < SUB_COUNT as u64 {
        return value as usize;
    }
    let magnitude = 63 - value.leading_zeros(); // >= SUB_BITS
    let shift = magnitude - SUB_BITS;
    let sub = (value >> shift) as usize - SUB_COUNT; // 0..SUB_COUNT
    (magnitude - SUB_BITS + 1) as usize * SUB_COUNT + sub
}

/// Largest value that lands in bucket `index`.
fn bucket_upper(index: usize) -> u64 {
    if index < SUB_COUNT {
        return index as u64;
    }
    let group = (index / SUB_COUNT) as u32; // >= 1
    let sub = (index % SUB_COUNT) as u64;
    let shift = group - 1;
    ((SUB_COUNT as u64 + sub + 1) << shift) - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_contiguous_and_tight() {
        for v in [0u64, 1, 31, 32, 33, 63, 64, 100, 1_000, 123_456, 10_000_000] {
            let b = bucket_of(v);
            assert!(bucket_upper(b) >= v, "{v}");
            if b > 0 {
                assert!(bucket_upper(b - 1) < v, "{v}");
            }
            assert!(
                (bucket_upper(b) - v) as f64 <= v as f64 * 0.032 + 1.0,
                "{v}"
            );
        }
    }

    #[test]
    fn percentiles_of_a_uniform_run() {
        let mut h = LatencyHistogram::new();
        for v in 1..=10_000 {
            h.record(v);
        }
        let near = |a: u64, b: u64| (a as f64 - b as f64).abs() <= b as f64 * 0.035;
        assert!(near(h.percentile(0.5), 5_000), "{}", h.percentile(0.5));
        assert!(near(h.percentile(0.99), 9_900), "{}", h.percentile(0.99));
        assert_eq!(h.percentile(1.0), 10_000);
        assert_eq!(h.count(), 10_000);
    }

    #[test]
    fn merge_adds_counts_and_keeps_the_max() {
        let mut a = LatencyHistogram::new();
        let mut b = LatencyHistogram::new();
        a.record(10);
        b.record(5_000);
        a.merge(&b);
        assert_eq!((a.count(), a.max(), a.percentile(1.0)), (2, 5_000, 5_000));
        assert_eq!(LatencyHistogram::new().percentile(0.5), 0);
    }
}
