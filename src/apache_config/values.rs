//! The kinds and typed values of Apache config keys: how each value parses (as Apache's Java
//! setters read it, but refusing what Apache would silently ignore), how it is written back, and
//! the enums and defaults the broker keys use.

use std::path::PathBuf;
use std::time::Duration;

use super::suggest::edit_distance;

/// The kind of value a key takes, as Apache parses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// Java `int`.
    Int,
    /// Java `long`.
    Long,
    /// Java `double`/`float`.
    Float,
    /// Java `boolean` (`true`/`false`).
    Bool,
    /// A string (Apache trims it).
    Text,
}

/// `brokerRole`: how a broker replicates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum BrokerRole {
    #[serde(rename = "ASYNC_MASTER")]
    AsyncMaster,
    #[serde(rename = "SYNC_MASTER")]
    SyncMaster,
    #[serde(rename = "SLAVE")]
    Slave,
}

impl BrokerRole {
    pub const NAMES: &'static [&'static str] = &["ASYNC_MASTER", "SYNC_MASTER", "SLAVE"];

    /// The spelling Apache uses.
    pub fn as_str(self) -> &'static str {
        match self {
            BrokerRole::AsyncMaster => "ASYNC_MASTER",
            BrokerRole::SyncMaster => "SYNC_MASTER",
            BrokerRole::Slave => "SLAVE",
        }
    }

    pub fn is_master(self) -> bool {
        self != BrokerRole::Slave
    }
}

/// `flushDiskType`: when the commit log is forced to disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum FlushDiskType {
    #[serde(rename = "ASYNC_FLUSH")]
    AsyncFlush,
    #[serde(rename = "SYNC_FLUSH")]
    SyncFlush,
}

impl FlushDiskType {
    pub const NAMES: &'static [&'static str] = &["ASYNC_FLUSH", "SYNC_FLUSH"];

    /// The spelling Apache uses.
    pub fn as_str(self) -> &'static str {
        match self {
            FlushDiskType::AsyncFlush => "ASYNC_FLUSH",
            FlushDiskType::SyncFlush => "SYNC_FLUSH",
        }
    }
}

/// `messageDelayLevel`: the delay of each level, e.g. `1s 5s 10s 30s 1m ... 2h`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageDelayLevels {
    text: String,
    levels: Vec<Duration>,
}

impl MessageDelayLevels {
    /// Apache's default 18 levels.
    pub const DEFAULT: &'static str = "1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h";

    /// Level 1 is the first entry.
    pub fn levels(&self) -> &[Duration] {
        &self.levels
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl Default for MessageDelayLevels {
    #[allow(
        clippy::expect_used,
        reason = "DEFAULT is a constant; the config tests parse it"
    )]
    fn default() -> Self {
        <MessageDelayLevels as ConfigValue>::parse_value(Self::DEFAULT)
            .expect("default delay levels parse")
    }
}

/// Why a value does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError {
    pub expected: String,
    pub hint: String,
}

impl ValueError {
    pub(super) fn new(expected: impl Into<String>, hint: impl Into<String>) -> Self {
        ValueError {
            expected: expected.into(),
            hint: hint.into(),
        }
    }
}

/// Checks that `value` parses as `kind` (keys Apache knows but the bundled broker does not act on).
pub fn check_kind(kind: KeyKind, value: &str) -> Result<(), ValueError> {
    let v = value.trim();
    let ok = match kind {
        KeyKind::Int => v.parse::<i32>().is_ok(),
        KeyKind::Long => v.parse::<i64>().is_ok(),
        KeyKind::Float => v.parse::<f64>().is_ok(),
        KeyKind::Bool => parse_bool(v).is_some(),
        KeyKind::Text => true,
    };
    if ok {
        return Ok(());
    }
    Err(match kind {
        KeyKind::Int => ValueError::new(
            "expected a whole number (Java int)",
            "write digits only, e.g. 10911",
        ),
        KeyKind::Long => ValueError::new(
            "expected a whole number (Java long)",
            "write digits only, e.g. 3000",
        ),
        KeyKind::Float => ValueError::new("expected a number", "e.g. 0.75"),
        _ => ValueError::new(
            "expected true or false",
            "Apache reads anything but `true` as false",
        ),
    })
}

fn parse_bool(v: &str) -> Option<bool> {
    if v.eq_ignore_ascii_case("true") {
        Some(true)
    } else if v.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// Expands a leading `~` to `$HOME`.
pub fn expand_tilde(path: &str) -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    match (path.strip_prefix('~'), home) {
        (Some(""), Some(home)) => home,
        (Some(rest), Some(home)) if rest.starts_with('/') => home.join(&rest[1..]),
        _ => PathBuf::from(path),
    }
}

/// A typed value of a key: how it parses, how it is written back and which kind it is.
pub trait ConfigValue: Sized {
    const KIND: KeyKind;
    fn parse_value(value: &str) -> Result<Self, ValueError>;
    fn render(&self) -> String;
}

impl ConfigValue for String {
    const KIND: KeyKind = KeyKind::Text;
    fn parse_value(value: &str) -> Result<Self, ValueError> {
        Ok(value.trim().to_string())
    }
    fn render(&self) -> String {
        self.clone()
    }
}

impl ConfigValue for bool {
    const KIND: KeyKind = KeyKind::Bool;
    fn parse_value(value: &str) -> Result<Self, ValueError> {
        parse_bool(value.trim()).ok_or_else(|| {
            ValueError::new(
                "expected true or false",
                "Apache reads anything but `true` as false",
            )
        })
    }
    fn render(&self) -> String {
        self.to_string()
    }
}

impl ConfigValue for u16 {
    const KIND: KeyKind = KeyKind::Int;
    fn parse_value(value: &str) -> Result<Self, ValueError> {
        value
            .trim()
            .parse::<u16>()
            .ok()
            .filter(|p| *p >= 3)
            .ok_or_else(|| {
                ValueError::new(
                    "expected a TCP port 3..65535",
                    "e.g. 10911 (listenPort-2 and listenPort+1 are used too)",
                )
            })
    }
    fn render(&self) -> String {
        self.to_string()
    }
}

impl ConfigValue for u32 {
    const KIND: KeyKind = KeyKind::Int;
    fn parse_value(value: &str) -> Result<Self, ValueError> {
        value
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|v| *v <= i32::MAX as u32)
            .ok_or_else(|| {
                ValueError::new(
                    "expected a whole number 0..2147483647 (Java int)",
                    "write digits only, no unit suffix",
                )
            })
    }
    fn render(&self) -> String {
        self.to_string()
    }
}

impl ConfigValue for u64 {
    const KIND: KeyKind = KeyKind::Long;
    fn parse_value(value: &str) -> Result<Self, ValueError> {
        value
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|v| *v <= i64::MAX as u64)
            .ok_or_else(|| {
                ValueError::new(
                    "expected a non-negative whole number (Java long)",
                    "write digits only, no unit suffix",
                )
            })
    }
    fn render(&self) -> String {
        self.to_string()
    }
}

impl ConfigValue for i64 {
    const KIND: KeyKind = KeyKind::Long;
    fn parse_value(value: &str) -> Result<Self, ValueError> {
        value.trim().parse::<i64>().map_err(|_| {
            ValueError::new("expected a whole number (Java long)", "write digits only")
        })
    }
    fn render(&self) -> String {
        self.to_string()
    }
}

impl ConfigValue for PathBuf {
    const KIND: KeyKind = KeyKind::Text;
    fn parse_value(value: &str) -> Result<Self, ValueError> {
        let v = value.trim();
        if v.is_empty() {
            return Err(ValueError::new(
                "expected a directory path",
                "e.g. /opt/rmq/store/broker-a",
            ));
        }
        Ok(expand_tilde(v))
    }
    fn render(&self) -> String {
        self.display().to_string()
    }
}

impl<T: ConfigValue> ConfigValue for Option<T> {
    const KIND: KeyKind = T::KIND;
    fn parse_value(value: &str) -> Result<Self, ValueError> {
        if value.trim().is_empty() {
            return Ok(None);
        }
        T::parse_value(value).map(Some)
    }
    fn render(&self) -> String {
        self.as_ref().map(T::render).unwrap_or_default()
    }
}

fn parse_enum<T: Copy>(value: &str, names: &[&str], values: &[T]) -> Result<T, ValueError> {
    let v = value.trim();
    if let Some(i) = names.iter().position(|n| *n == v) {
        return Ok(values[i]);
    }
    let closest = names
        .iter()
        .min_by_key(|n| edit_distance(&v.to_ascii_uppercase(), n))
        .copied()
        .unwrap_or_default();
    Err(ValueError::new(
        format!("expected one of {}", names.join(", ")),
        format!("did you mean `{closest}`? (Apache matches the exact upper-case name and silently ignores anything else)"),
    ))
}

impl ConfigValue for BrokerRole {
    const KIND: KeyKind = KeyKind::Text;
    fn parse_value(value: &str) -> Result<Self, ValueError> {
        use BrokerRole::*;
        parse_enum(value, Self::NAMES, &[AsyncMaster, SyncMaster, Slave])
    }
    fn render(&self) -> String {
        self.as_str().to_string()
    }
}

impl ConfigValue for FlushDiskType {
    const KIND: KeyKind = KeyKind::Text;
    fn parse_value(value: &str) -> Result<Self, ValueError> {
        use FlushDiskType::*;
        parse_enum(value, Self::NAMES, &[AsyncFlush, SyncFlush])
    }
    fn render(&self) -> String {
        self.as_str().to_string()
    }
}

impl ConfigValue for MessageDelayLevels {
    const KIND: KeyKind = KeyKind::Text;
    fn parse_value(value: &str) -> Result<Self, ValueError> {
        let text = value.trim().to_string();
        let levels = text
            .split_whitespace()
            .map(parse_delay)
            .collect::<Option<Vec<_>>>()
            .filter(|l| !l.is_empty())
            .ok_or_else(|| {
                ValueError::new(
                    "expected delays like `1s 5s 10s 30s 1m 2h` (units s, m, h, d)",
                    format!("Apache's default is `{}`", MessageDelayLevels::DEFAULT),
                )
            })?;
        Ok(MessageDelayLevels { text, levels })
    }
    fn render(&self) -> String {
        self.text.clone()
    }
}

fn parse_delay(token: &str) -> Option<Duration> {
    let unit = token.chars().last()?;
    let seconds_per_unit = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        'd' => 86400,
        _ => return None,
    };
    let amount: u64 = token[..token.len() - 1].parse().ok()?;
    Some(Duration::from_secs(amount * seconds_per_unit))
}

/// The machine's host name (Apache's default `brokerName`), or `localhost`.
pub fn local_hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|s| s.trim().to_string())
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "localhost".to_string())
}

/// CPUs available to the process (thread-pool defaults count them).
pub fn cpu_count() -> u32 {
    std::thread::available_parallelism().map_or(1, |n| n.get() as u32)
}
