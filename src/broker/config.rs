//! `BrokerConfig`: the typed configuration of the bundled broker, read from an Apache-format
//! `broker-a.properties` file. Unlike Apache, it refuses unknown or misspelled keys, bad enum
//! values, bad numbers and addresses, trailing blanks and inline comments, and says where and
//! what to do.

pub mod address;
pub mod catalog;
mod keys;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::properties::{Entry, Pos, Properties, PropertiesError};

pub use keys::SUPPORTED_KEYS;

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

/// What is wrong with one key or value, without its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyProblem {
    /// The lint rule: `unknown-key`, `bad-value`, `namesrv-addr`, `trailing-blank` or
    /// `inline-comment`.
    pub rule: &'static str,
    pub key: String,
    pub message: String,
    pub hint: String,
}

impl fmt::Display for KeyProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [{}] (hint: {})", self.message, self.rule, self.hint)
    }
}

/// A `KeyProblem` at a place in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    pub pos: Pos,
    pub problem: KeyProblem,
}

/// Why a broker config file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(transparent)]
    Read(#[from] PropertiesError),
    #[error("{}", describe_problems(path, problems))]
    Invalid {
        path: PathBuf,
        problems: Vec<ConfigProblem>,
    },
}

fn describe_problems(path: &Path, problems: &[ConfigProblem]) -> String {
    let lines: Vec<String> = problems
        .iter()
        .map(|p| format!("{}:{}: {}", path.display(), p.pos, p.problem))
        .collect();
    lines.join("\n")
}

/// A loaded config plus the keys Apache knows that the bundled broker accepts but does not act on.
#[derive(Debug, Clone)]
pub struct LoadedBrokerConfig {
    pub config: BrokerConfig,
    pub path: PathBuf,
    /// Keys set in the file that the bundled broker ignores (list them once at startup).
    pub not_acted_on: Vec<String>,
}

/// What `BrokerConfig::set` did with a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetOutcome {
    /// The typed field changed.
    Applied,
    /// An Apache key the bundled broker keeps (and reports back) but does not act on.
    NotActedOn,
}

pub use keys::BrokerConfig;

impl BrokerConfig {
    /// Reads a `.properties` file; every problem in it is reported at once.
    pub fn load(path: &Path) -> Result<LoadedBrokerConfig, ConfigError> {
        let properties = Properties::load(path)?;
        Self::from_properties(&properties)
    }

    /// Builds a config from parsed properties (later duplicates win, as in Java).
    pub fn from_properties(properties: &Properties) -> Result<LoadedBrokerConfig, ConfigError> {
        let mut config = BrokerConfig::default();
        let mut problems = Vec::new();
        let mut not_acted_on = Vec::new();
        for entry in properties.entries() {
            let found = check_entry(entry);
            if !found.is_empty() {
                problems.extend(found);
                continue;
            }
            match config.set(&entry.key, &entry.value) {
                Ok(SetOutcome::Applied) => {}
                Ok(SetOutcome::NotActedOn) => not_acted_on.push(entry.key.clone()),
                Err(problem) => problems.push(ConfigProblem {
                    pos: entry.value_pos,
                    problem,
                }),
            }
        }
        if !problems.is_empty() {
            return Err(ConfigError::Invalid {
                path: properties.origin().to_path_buf(),
                problems,
            });
        }
        not_acted_on.sort();
        not_acted_on.dedup();
        Ok(LoadedBrokerConfig {
            config,
            path: properties.origin().to_path_buf(),
            not_acted_on,
        })
    }

    /// Sets one key (UPDATE_BROKER_CONFIG); the value is checked like a file entry.
    pub fn set(&mut self, key: &str, value: &str) -> Result<SetOutcome, KeyProblem> {
        if let Some(problem) = check_key_value(key, value) {
            return Err(problem);
        }
        match self.set_typed(key, value) {
            Some(result) => result
                .map(|()| SetOutcome::Applied)
                .map_err(|e| bad_value(key, value, &e)),
            None => {
                self.extra.insert(key.to_string(), value.trim().to_string());
                Ok(SetOutcome::NotActedOn)
            }
        }
    }

    /// `key=value` lines of every typed key (effective values) and every accepted extra key.
    pub fn to_properties_text(&self) -> String {
        let mut pairs = self.typed_pairs();
        for (key, value) in pairs.iter_mut() {
            match *key {
                "haListenPort" => *value = self.ha_port().to_string(),
                "storePathCommitLog" => *value = self.commit_log_dir().display().to_string(),
                _ => {}
            }
        }
        pairs.extend(self.extra.iter().map(|(k, v)| (k.as_str(), v.clone())));
        crate::properties::write_properties(pairs.iter().map(|(k, v)| (*k, v.as_str())))
    }

    /// The VIP channel port: `listenPort - 2`.
    pub fn fast_port(&self) -> u16 {
        self.listen_port.saturating_sub(2)
    }

    /// The HA port slaves connect to: `haListenPort`, or `listenPort + 1`.
    pub fn ha_port(&self) -> u16 {
        self.ha_listen_port
            .unwrap_or(self.listen_port.saturating_add(1))
    }

    /// `storePathRootDir` (`~` expanded).
    pub fn store_root(&self) -> &Path {
        &self.store_path_root_dir
    }

    /// The first commit log directory: `storePathCommitLog`, or `<storePathRootDir>/commitlog`.
    pub fn commit_log_dir(&self) -> PathBuf {
        match &self.store_path_commit_log {
            Some(paths) => expand_tilde(paths.split(',').next().unwrap_or("").trim()),
            None => self.store_path_root_dir.join("commitlog"),
        }
    }

    /// Accepted Apache keys that the bundled broker does not act on, with their values.
    pub fn extra(&self) -> &BTreeMap<String, String> {
        &self.extra
    }
}

/// Writes keys changed at runtime (UPDATE_BROKER_CONFIG) back into the broker's config file,
/// as Apache's broker persists them: only those keys' lines change (a key the file lacks is
/// appended), comments and every other line stay, and the file is replaced atomically.
pub fn save_changes(path: &Path, changed: &[(&str, &str)]) -> std::io::Result<()> {
    let text = std::fs::read_to_string(path)?;
    let updated = crate::properties::rewrite_keys(&text, changed);
    crate::file_replace::replace_file(path, updated.as_bytes())
}

/// Checks one file entry: an inline comment, trailing blanks, then the key and its value.
pub fn check_entry(entry: &Entry) -> Vec<ConfigProblem> {
    let mut problems = Vec::new();
    if let Some(problem) = check_inline_comment(entry) {
        problems.push(problem);
    }
    if entry.trailing_blank {
        problems.push(trailing_blank(entry));
        return problems;
    }
    if let Some(mut problem) = check_key_value(&entry.key, &entry.value) {
        let pos = if problem.rule == "unknown-key" {
            entry.key_pos
        } else {
            problem.hint = blame_inline_comment(entry, problem.hint);
            entry.value_pos
        };
        problems.push(ConfigProblem { pos, problem });
    }
    problems
}

/// The `inline-comment` problem of an entry whose value holds one (any properties file).
pub fn check_inline_comment(entry: &Entry) -> Option<ConfigProblem> {
    let comment = entry.inline_comment?;
    let text = entry.inline_comment_text().unwrap_or_default();
    Some(ConfigProblem {
        pos: comment.pos,
        problem: KeyProblem {
            rule: "inline-comment",
            key: entry.key.clone(),
            message: format!(
                "value of `{}` holds an inline comment: Java reads the value as `{}`",
                entry.key, entry.value
            ),
            hint: format!(
                "java.util.Properties starts a comment only at the beginning of a line and keeps everything after `=`; move `{text}` to its own line"
            ),
        },
    })
}

fn trailing_blank(entry: &Entry) -> ConfigProblem {
    let visible = entry
        .value
        .trim_end_matches([' ', '\t', '\x0c'])
        .chars()
        .count();
    ConfigProblem {
        pos: Pos {
            line: entry.value_pos.line,
            col: entry.value_pos.col + visible,
        },
        problem: KeyProblem {
            rule: "trailing-blank",
            key: entry.key.clone(),
            message: format!("value of `{}` ends with a blank", entry.key),
            hint: "remove the trailing blank(s): Java keeps them, then Apache silently ignores the value (a slave starts as ASYNC_MASTER, a port falls back to its default)".into(),
        },
    }
}

/// The hint of a bad value that holds an inline comment: when the value before the comment is
/// good, the comment is the whole cause; otherwise it is one more thing to fix.
fn blame_inline_comment(entry: &Entry, hint: String) -> String {
    let Some(text) = entry.inline_comment_text() else {
        return hint;
    };
    let meant = entry.value_before_comment();
    if check_key_value(&entry.key, meant).is_none() {
        format!("the inline comment `{text}` is part of the value (Java keeps everything after `=`); move it to its own line and `{meant}` is read as meant")
    } else {
        format!("{hint}; also move the inline comment `{text}` to its own line (Java keeps it in the value)")
    }
}

/// Checks that `key` is known and that `value` parses as its kind.
pub fn check_key_value(key: &str, value: &str) -> Option<KeyProblem> {
    let Some(kind) = key_kind(key) else {
        return Some(unknown_key(key));
    };
    let checked = address::check_address_key(key, value)
        .or_else(|| keys::check_typed(key, value))
        .unwrap_or_else(|| check_kind(kind, value));
    checked.err().map(|e| bad_value(key, value, &e))
}

/// The kind of value `key` takes, if Apache or the bundled broker knows it.
pub fn key_kind(key: &str) -> Option<KeyKind> {
    keys::typed_kind(key).or_else(|| catalog::find(key).map(|k| k.kind))
}

/// True if the bundled broker acts on `key` (rather than just accepting it).
pub fn is_acted_on(key: &str) -> bool {
    keys::typed_kind(key).is_some()
}

/// The closest known key, for "did you mean".
pub fn suggest_key(key: &str) -> Option<(String, Option<&'static str>)> {
    if let Some((_, meant, why)) = catalog::KNOWN_TRAPS.iter().find(|(bad, _, _)| *bad == key) {
        return Some((meant.to_string(), Some(why)));
    }
    let all = SUPPORTED_KEYS
        .iter()
        .copied()
        .chain(catalog::APACHE_KEYS.iter().map(|k| k.name));
    let lower = key.to_ascii_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for candidate in all {
        let distance = if candidate.to_ascii_lowercase() == lower {
            0
        } else {
            edit_distance(&lower, &candidate.to_ascii_lowercase())
        };
        if best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    let limit = (key.chars().count() / 4).clamp(1, 3);
    best.filter(|(d, _)| *d <= limit)
        .map(|(_, c)| (c.to_string(), None))
}

fn unknown_key(key: &str) -> KeyProblem {
    let (message, hint) = match suggest_key(key) {
        Some((meant, Some(why))) => (
            format!("unknown key `{key}`; did you mean `{meant}`?"),
            format!("write `{meant}` ({why}); Apache ignores `{key}` without a word"),
        ),
        Some((meant, None)) => (
            format!("unknown key `{key}`; did you mean `{meant}`?"),
            format!("rename it to `{meant}`; Apache silently ignores unknown keys"),
        ),
        None => (
            format!("unknown key `{key}`"),
            "it is not a field of BrokerConfig, MessageStoreConfig or NettyServerConfig; remove it or check the spelling".to_string(),
        ),
    };
    KeyProblem {
        rule: "unknown-key",
        key: key.to_string(),
        message,
        hint,
    }
}

fn bad_value(key: &str, value: &str, error: &ValueError) -> KeyProblem {
    KeyProblem {
        // namesrvAddr has a rule of its own (it also warns when the key is missing).
        rule: if key == "namesrvAddr" {
            "namesrv-addr"
        } else {
            "bad-value"
        },
        key: key.to_string(),
        message: format!("bad value `{value}` for `{key}`: {}", error.expected),
        hint: error.hint.clone(),
    }
}

/// Why a value does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError {
    pub expected: String,
    pub hint: String,
}

impl ValueError {
    fn new(expected: impl Into<String>, hint: impl Into<String>) -> Self {
        ValueError {
            expected: expected.into(),
            hint: hint.into(),
        }
    }
}

fn check_kind(kind: KeyKind, value: &str) -> Result<(), ValueError> {
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

pub use crate::properties::edit_distance;

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
trait ConfigValue: Sized {
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

fn local_hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|s| s.trim().to_string())
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "localhost".to_string())
}

fn cpu_count() -> u32 {
    std::thread::available_parallelism().map_or(1, |n| n.get() as u32)
}
