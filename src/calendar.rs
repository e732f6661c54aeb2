//! Time as epoch milliseconds, the one clock of the crate: "now", and calendar arithmetic in UTC
//! without a date library (a crate for four functions is not worth it): formatting for tables,
//! parsing `--to-time`, the start of the month that message unique ids count from. Local time
//! (index file names, retention's `deleteWhen` hour) comes from the C library, the only source of
//! the machine's time zone, through [`local_time`].

/// Milliseconds since the Unix epoch (0 if the clock is before it).
pub fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// A point in local time, as `localtime_r` splits it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalTime {
    pub year: i32,
    /// 1-12.
    pub month: u32,
    /// 1-31.
    pub day: u32,
    /// 0-23.
    pub hour: u32,
    pub minute: u32,
    /// 0-60 (leap second).
    pub second: u32,
    /// 0-999.
    pub millis: u32,
}

/// Epoch milliseconds in the machine's time zone (`TZ`, `/etc/localtime`); `None` if the C
/// library cannot convert them.
pub fn local_time(ms: i64) -> Option<LocalTime> {
    // The type is localtime_r's `time_t`, inferred: naming `libc::time_t` is deprecated on musl.
    let secs = ms.div_euclid(1000) as _;
    // SAFETY: `tm` is a plain C struct for which all-zero bytes are a valid value.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: both pointers come from references to live locals; localtime_r (unlike
    // localtime) writes only into `tm` and keeps no pointer to either argument.
    if unsafe { libc::localtime_r(&secs, &mut tm) }.is_null() {
        return None;
    }
    Some(LocalTime {
        year: tm.tm_year + 1900,
        month: (tm.tm_mon + 1) as u32,
        day: tm.tm_mday as u32,
        hour: tm.tm_hour as u32,
        minute: tm.tm_min as u32,
        second: tm.tm_sec as u32,
        millis: ms.rem_euclid(1000) as u32,
    })
}

/// Days since 1970-01-01 -> (year, month 1-12, day 1-31). Howard Hinnant's `civil_from_days`.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// (year, month 1-12, day 1-31) -> days since 1970-01-01. Howard Hinnant's `days_from_civil`.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

const DAY_MS: i64 = 86_400_000;

/// `2024-05-01 12:00:00.123` (UTC) for a table cell; `-` for 0 or negative.
pub fn format_millis(ms: i64) -> String {
    if ms <= 0 {
        return "-".to_string();
    }
    let (year, month, day) = civil_from_days(ms.div_euclid(DAY_MS));
    let in_day = ms.rem_euclid(DAY_MS);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}.{:03}",
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000
    )
}

/// A duration in ms as `3d 4h`, `5m 2s`, `850ms`.
pub fn format_age(ms: i64) -> String {
    let ms = ms.max(0);
    let s = ms / 1000;
    match s {
        0 => format!("{ms}ms"),
        1..=59 => format!("{s}s"),
        60..=3599 => format!("{}m {}s", s / 60, s % 60),
        3600..=86_399 => format!("{}h {}m", s / 3600, s / 60 % 60),
        _ => format!("{}d {}h", s / 86_400, s / 3600 % 24),
    }
}

/// Epoch ms of 00:00 UTC on the first day of the month containing `ms`.
pub fn month_start_millis(ms: i64) -> i64 {
    let (year, month, _) = civil_from_days(ms.div_euclid(DAY_MS));
    days_from_civil(year, month, 1) * DAY_MS
}

/// Parse a point in time: epoch milliseconds, `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.mmm]]`
/// (a space may replace the `T`), all UTC, or `now`.
pub fn parse_time(text: &str, now_ms: i64) -> Option<i64> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("now") {
        return Some(now_ms);
    }
    if let Ok(ms) = text.parse::<i64>() {
        return Some(ms);
    }
    let text = text.trim_end_matches('Z');
    let (date, clock) = match text.split_once(['T', ' ']) {
        Some((d, c)) => (d, c),
        None => (text, "00:00"),
    };
    let mut d = date.split('-');
    let year: i64 = d.next()?.parse().ok()?;
    let month: u32 = d.next()?.parse().ok()?;
    let day: u32 = d.next()?.parse().ok()?;
    if d.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let (hms, millis) = clock.split_once('.').unwrap_or((clock, "0"));
    let mut c = hms.split(':');
    let hour: i64 = c.next()?.parse().ok()?;
    let minute: i64 = c.next()?.parse().ok()?;
    let second: i64 = c.next().map_or(Some(0), |s| s.parse().ok())?;
    let millis: i64 = format!("{millis:0<3}").get(..3)?.parse().ok()?;
    if c.next().is_some() || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    Some(
        days_from_civil(year, month, day) * DAY_MS
            + hour * 3_600_000
            + minute * 60_000
            + second * 1000
            + millis,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses_utc() {
        assert_eq!(format_millis(1_700_000_000_123), "2023-11-14 22:13:20.123");
        assert_eq!(format_millis(0), "-");
        assert_eq!(
            parse_time("2023-11-14T22:13:20.123", 0),
            Some(1_700_000_000_123)
        );
        assert_eq!(
            parse_time("2023-11-14 22:13:20.123Z", 0),
            Some(1_700_000_000_123)
        );
        assert_eq!(parse_time("1970-01-02", 0), Some(DAY_MS));
        assert_eq!(parse_time("42", 0), Some(42));
        assert_eq!(parse_time("now", 7), Some(7));
        assert_eq!(parse_time("2023-13-01", 0), None);
        assert_eq!(parse_time("yesterday", 0), None);
    }

    #[test]
    fn local_time_keeps_the_minutes_and_millis_of_utc() {
        let t = local_time(1_700_000_000_123).unwrap();
        assert_eq!((t.second, t.millis), (20, 123));
        assert!((1..=12).contains(&t.month) && t.hour < 24, "{t:?}");
        assert!(now_millis() > 1_700_000_000_000);
    }

    #[test]
    fn month_start_and_ages() {
        assert_eq!(month_start_millis(1_700_000_000_123), 1_698_796_800_000);
        assert_eq!(
            format_millis(month_start_millis(1_709_251_200_000 - 1)),
            "2024-02-01 00:00:00.000"
        );
        assert_eq!(format_age(850), "850ms");
        assert_eq!(format_age(125_000), "2m 5s");
        assert_eq!(format_age(90_000_000), "1d 1h");
    }
}
