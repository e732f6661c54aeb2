//! Checks of one broker key and value as a file or a runtime update gives them: unknown keys
//! (with the closest known key), values that do not parse as the key's kind or address shape,
//! trailing blanks and inline comments. The bundled broker refuses what they find; `render` and
//! `rmqctl check` report it as lint findings.

use std::fmt;

use super::address::check_address_key;
use super::broker_catalog;
use super::broker_keys::{self, SUPPORTED_KEYS};
use super::properties::{Entry, Pos};
use super::suggest::closest_key;
use super::values::{check_kind, KeyKind, ValueError};

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
    if super::tls_keys::is_tls_key(key) {
        return super::tls_keys::check_tls_value(key, value)
            .err()
            .map(|expected| {
                let error = ValueError {
                    expected,
                    hint: String::new(),
                };
                bad_value(key, value, &error)
            });
    }
    let Some(kind) = key_kind(key) else {
        return Some(unknown_key(key));
    };
    let checked = check_address_key(key, value)
        .or_else(|| broker_keys::check_typed(key, value))
        .unwrap_or_else(|| check_kind(kind, value));
    checked.err().map(|e| bad_value(key, value, &e))
}

/// The kind of value `key` takes, if Apache or the bundled broker knows it.
pub fn key_kind(key: &str) -> Option<KeyKind> {
    broker_keys::typed_kind(key).or_else(|| broker_catalog::find(key).map(|k| k.kind))
}

/// True if the bundled broker acts on `key` (rather than just accepting it).
pub fn is_acted_on(key: &str) -> bool {
    broker_keys::typed_kind(key).is_some()
}

/// The closest known key, for "did you mean" (misspellings Apache silently ignores come with
/// the reason).
pub fn suggest_key(key: &str) -> Option<(String, Option<&'static str>)> {
    if let Some((_, meant, why)) = broker_catalog::KNOWN_TRAPS
        .iter()
        .find(|(bad, _, _)| *bad == key)
    {
        return Some((meant.to_string(), Some(why)));
    }
    let all = SUPPORTED_KEYS
        .iter()
        .copied()
        .chain(broker_catalog::APACHE_KEYS.iter().map(|k| k.name));
    closest_key(key, all).map(|c| (c.to_string(), None))
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

/// The problem of a `value` of `key` that does not parse (`bad-value`, or `namesrv-addr`).
pub fn bad_value(key: &str, value: &str, error: &ValueError) -> KeyProblem {
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
