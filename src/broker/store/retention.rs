//! Retention: deletes commit-log segments older than `fileReservedTime` at the `deleteWhen`
//! hours, and right away (oldest first, expired or not, as Apache's forced clean) while the disk
//! is above `diskMaxUsedSpaceRatio`, during which puts are refused with SERVICE_NOT_AVAILABLE.
//! The segment being written is never deleted. Consume queues and the key index follow the new
//! commit-log min offset.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use super::commit_log::CommitLog;
use super::config::StoreConfig;
use super::consume_queue::ConsumeQueueTable;
use super::error::StoreError;
use super::index::KeyIndex;
use crate::calendar::{local_time, now_millis};

/// Segments deleted per retention pass at most (Apache's `deleteFileBatchMax`).
const DELETE_BATCH_MAX: usize = 10;

/// Disk usage as last measured.
#[derive(Debug, Default)]
pub struct DiskState {
    full: AtomicBool,
    ratio_bits: AtomicU64,
}

impl DiskState {
    /// Above `diskMaxUsedSpaceRatio`: puts are refused.
    pub fn is_full(&self) -> bool {
        self.full.load(Ordering::Acquire)
    }

    pub fn ratio(&self) -> f64 {
        f64::from_bits(self.ratio_bits.load(Ordering::Relaxed))
    }

    /// Measures the file system holding `dir`; returns whether it is above `max_percent`.
    pub fn measure(&self, dir: &Path, max_percent: u8) -> bool {
        let ratio = disk_used_ratio(dir).unwrap_or(0.0);
        self.ratio_bits.store(ratio.to_bits(), Ordering::Relaxed);
        let full = ratio * 100.0 > max_percent as f64;
        let was = self.full.swap(full, Ordering::AcqRel);
        if full && !was {
            tracing::error!(dir = %dir.display(), used = ratio, max_percent, "disk above diskMaxUsedSpaceRatio: refusing puts and reclaiming space");
        } else if was && !full {
            tracing::info!(dir = %dir.display(), used = ratio, "disk back below diskMaxUsedSpaceRatio: accepting puts");
        }
        full
    }
}

/// Used fraction (0.0-1.0) of the file system holding `dir`: (total − free) / total.
pub fn disk_used_ratio(dir: &Path) -> Option<f64> {
    let c = CString::new(dir.as_os_str().as_bytes()).ok()?;
    // SAFETY: `statvfs` is a plain C struct for which all-zero bytes are a valid value.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `c` is a valid NUL-terminated path and `st` a live, writable statvfs; the call
    // keeps no pointer to either.
    let rc = unsafe { libc::statvfs(c.as_ptr(), &mut st) };
    if rc != 0 || st.f_blocks == 0 {
        return None;
    }
    let total = st.f_blocks as f64;
    Some((total - st.f_bfree as f64) / total)
}

/// Local hour of day (0-23).
pub fn local_hour() -> u8 {
    local_time(now_millis()).map_or(0, |t| t.hour as u8)
}

/// One retention pass; returns how many commit-log segments were deleted.
pub fn run_retention(
    cfg: &StoreConfig,
    disk: &DiskState,
    commit_log: &CommitLog,
    queues: &ConsumeQueueTable,
    index: &KeyIndex,
    now_ms: i64,
) -> Result<usize, StoreError> {
    let mut full = disk.measure(&cfg.commit_log_dir, cfg.disk_max_used_space_ratio);
    let time_up = cfg.delete_when.contains(&local_hour());
    if !time_up && !full {
        return Ok(0);
    }
    let reserved_ms = cfg.file_reserved_hours as i64 * 3_600_000;
    let mut deleted = 0;
    while deleted < DELETE_BATCH_MAX {
        let segs = commit_log.segments();
        let Some(oldest) = segs.first().filter(|_| segs.len() > 1) else {
            break;
        };
        let expired = oldest.modified_ms() + reserved_ms <= now_ms;
        if !expired && !full {
            break;
        }
        if commit_log.remove_oldest()?.is_none() {
            break;
        }
        tracing::info!(path = %oldest.path().display(), expired, forced = !expired, "deleted commit-log file");
        deleted += 1;
        if full {
            full = disk.measure(&cfg.commit_log_dir, cfg.disk_max_used_space_ratio);
        }
    }
    if deleted > 0 {
        let min = commit_log.min_offset();
        for cq in queues.all() {
            cq.correct_min_offset(min)?;
        }
        index.remove_below(min)?;
        disk.measure(&cfg.commit_log_dir, cfg.disk_max_used_space_ratio);
    }
    Ok(deleted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disk_ratio_is_a_fraction() {
        let r = disk_used_ratio(Path::new("/")).unwrap();
        assert!((0.0..=1.0).contains(&r));
        assert!(local_hour() < 24);
        let d = DiskState::default();
        assert!(d.measure(Path::new("/"), 100) == (r > 1.0));
    }
}
