//! A `java.util.Properties`-compatible reader and writer for Apache RocketMQ config files.
//! The reader keeps, for every entry, where its key and value start, so callers can say file:line:col.
//!
//! Reading follows `Properties.load`: `#`/`!` comment lines, `=`/`:`/whitespace separators,
//! leading blanks of values dropped but trailing blanks kept, backslash continuation lines and
//! `\t \n \r \f \uXXXX` escapes (any other `\x` stands for `x`).

use std::fmt;
use std::path::{Path, PathBuf};

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// One `key=value` entry, with escapes decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    /// The decoded value exactly as Java sees it (trailing blanks included).
    pub value: String,
    pub key_pos: Pos,
    /// Where the value starts; for an empty value, just after the separator.
    pub value_pos: Pos,
    /// The value ends with a blank (space, tab or form feed), which Java keeps.
    pub trailing_blank: bool,
    /// A blank followed by `#` or `!` inside the value: what its writer meant as a comment
    /// (`brokerName=broker-a #the group`), but Java starts comments only at the beginning of a
    /// line and keeps it as part of the value. An escaped `\#` does not count.
    pub inline_comment: Option<InlineComment>,
}

/// Where an inline comment starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InlineComment {
    /// The `#` or `!` in the file.
    pub pos: Pos,
    /// Its byte offset in the decoded [`Entry::value`].
    pub offset: usize,
}

impl Entry {
    /// The inline comment's text (from its `#` or `!`, trailing blanks dropped).
    pub fn inline_comment_text(&self) -> Option<&str> {
        let comment = self.inline_comment?;
        self.value
            .get(comment.offset..)
            .map(|c| c.trim_end_matches(is_blank))
    }

    /// The value without its inline comment and the blanks before it: what the writer meant.
    pub fn value_before_comment(&self) -> &str {
        match self.inline_comment {
            Some(c) => self.value[..c.offset].trim_end_matches(is_blank),
            None => &self.value,
        }
    }
}

/// Why a properties file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PropertiesError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{pos}: malformed \\uXXXX escape; write four hex digits after \\u, or \\\\ for a backslash")]
    MalformedUnicodeEscape { path: PathBuf, pos: Pos },
}

/// The entries of one properties file, in file order (a repeated key appears twice).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Properties {
    origin: PathBuf,
    entries: Vec<Entry>,
}

impl Properties {
    /// Parses `text`; `origin` is only used in error messages and findings.
    pub fn parse(text: &str, origin: &Path) -> Result<Properties, PropertiesError> {
        let mut entries = Vec::new();
        for logical in logical_lines(text) {
            if let Some(entry) = parse_logical_line(&logical, origin)? {
                entries.push(entry);
            }
        }
        Ok(Properties {
            origin: origin.to_path_buf(),
            entries,
        })
    }

    /// Reads and parses the file at `path`.
    pub fn load(path: &Path) -> Result<Properties, PropertiesError> {
        let bytes = std::fs::read(path).map_err(|source| PropertiesError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let text = decode_text(&bytes);
        Properties::parse(&text, path)
    }

    /// The path given to `parse`/`load`.
    pub fn origin(&self) -> &Path {
        &self.origin
    }

    /// All entries in file order, duplicates included.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry Java would use for `key` (the last one in the file).
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().rev().find(|e| e.key == key)
    }

    /// The value of `key` (last one wins), if present.
    pub fn value(&self, key: &str) -> Option<&str> {
        self.get(key).map(|e| e.value.as_str())
    }
}

/// Files are UTF-8 here; bytes that are not (Java reads ISO-8859-1) are taken as Latin-1.
fn decode_text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes.iter().map(|&b| b as char).collect(),
    }
}

/// A character of a logical line with the place it came from.
#[derive(Clone, Copy)]
struct Located {
    ch: char,
    pos: Pos,
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t' || c == '\x0c'
}

/// Splits text into natural lines (`\n`, `\r` or `\r\n`), each with its 1-based number.
fn natural_lines(text: &str) -> Vec<(usize, Vec<char>)> {
    let mut lines = Vec::new();
    let mut current = Vec::new();
    let mut chars = text.chars().peekable();
    let mut number = 1;
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\r' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                lines.push((number, std::mem::take(&mut current)));
                number += 1;
            }
            _ => current.push(c),
        }
    }
    if !current.is_empty() {
        lines.push((number, current));
    }
    lines
}

/// Ends with an odd number of backslashes, so the line continues on the next one.
fn continues(line: &[char]) -> bool {
    line.iter().rev().take_while(|&&c| c == '\\').count() % 2 == 1
}

/// Joins continuation lines into logical lines, dropping blank and comment lines and
/// leading blanks of every natural line.
fn logical_lines(text: &str) -> Vec<Vec<Located>> {
    let mut logical = Vec::new();
    let mut current: Vec<Located> = Vec::new();
    let mut in_continuation = false;
    for (number, chars) in natural_lines(text) {
        let start = chars.iter().take_while(|&&c| is_blank(c)).count();
        let body = &chars[start..];
        if !in_continuation && (body.is_empty() || body[0] == '#' || body[0] == '!') {
            continue;
        }
        let more = continues(body);
        let kept = if more { &body[..body.len() - 1] } else { body };
        current.extend(kept.iter().enumerate().map(|(i, &ch)| Located {
            ch,
            pos: Pos {
                line: number,
                col: start + i + 1,
            },
        }));
        in_continuation = more;
        if !more {
            logical.push(std::mem::take(&mut current));
        }
    }
    if in_continuation && !current.is_empty() {
        logical.push(current);
    }
    logical
}

/// Where the key ends and the value starts in a logical line.
fn split_key_value(line: &[Located]) -> (usize, usize) {
    let mut key_end = line.len();
    let mut has_separator = false;
    let mut i = 0;
    while i < line.len() {
        let c = line[i].ch;
        if c == '\\' {
            i += 2;
            continue;
        }
        if c == '=' || c == ':' {
            key_end = i;
            has_separator = true;
            break;
        }
        if is_blank(c) {
            key_end = i;
            break;
        }
        i += 1;
    }
    let mut value_start = (key_end + 1).min(line.len());
    while value_start < line.len() {
        let c = line[value_start].ch;
        if !is_blank(c) {
            if !has_separator && (c == '=' || c == ':') {
                has_separator = true;
            } else {
                break;
            }
        }
        value_start += 1;
    }
    (key_end.min(line.len()), value_start)
}

fn parse_logical_line(line: &[Located], origin: &Path) -> Result<Option<Entry>, PropertiesError> {
    let Some(first) = line.first() else {
        return Ok(None);
    };
    let (key_end, value_start) = split_key_value(line);
    let key = unescape(&line[..key_end], origin)?;
    let raw_value = &line[value_start..];
    let comment_at = inline_comment_start(raw_value);
    let (value, comment_offset) = unescape_marking(raw_value, comment_at, origin)?;
    let value_pos = match line.get(value_start) {
        Some(located) => located.pos,
        None => {
            let last = line[line.len() - 1].pos;
            Pos {
                line: last.line,
                col: last.col + 1,
            }
        }
    };
    let trailing_blank = value.chars().last().is_some_and(is_blank);
    Ok(Some(Entry {
        key,
        value,
        key_pos: first.pos,
        value_pos,
        trailing_blank,
        inline_comment: comment_at
            .zip(comment_offset)
            .map(|(at, offset)| InlineComment {
                pos: raw_value[at].pos,
                offset,
            }),
    }))
}

/// The index of the first unescaped `#` or `!` right after an unescaped blank in a raw value.
fn inline_comment_start(raw: &[Located]) -> Option<usize> {
    let mut i = 0;
    let mut after_blank = false;
    while i < raw.len() {
        let c = raw[i].ch;
        if c == '\\' {
            after_blank = false;
            i += 2;
            continue;
        }
        if after_blank && (c == '#' || c == '!') {
            return Some(i);
        }
        after_blank = is_blank(c);
        i += 1;
    }
    None
}

fn unescape(chars: &[Located], origin: &Path) -> Result<String, PropertiesError> {
    unescape_marking(chars, None, origin).map(|(text, _)| text)
}

/// Decodes escapes; also returns the decoded byte offset of raw index `mark`.
fn unescape_marking(
    chars: &[Located],
    mark: Option<usize>,
    origin: &Path,
) -> Result<(String, Option<usize>), PropertiesError> {
    let mut out = String::with_capacity(chars.len());
    let mut marked = None;
    let mut i = 0;
    while i < chars.len() {
        if Some(i) == mark {
            marked = Some(out.len());
        }
        let c = chars[i].ch;
        if c != '\\' {
            out.push(c);
            i += 1;
            continue;
        }
        let Some(next) = chars.get(i + 1) else {
            break;
        };
        match next.ch {
            't' => out.push('\t'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            'f' => out.push('\x0c'),
            'u' => {
                let (ch, used) = decode_unicode(chars, i, origin)?;
                out.push(ch);
                i += used;
                continue;
            }
            other => out.push(other),
        }
        i += 2;
    }
    Ok((out, marked))
}

/// Decodes `\uXXXX` (and a following low surrogate) starting at `at`; returns chars consumed.
fn decode_unicode(
    chars: &[Located],
    at: usize,
    origin: &Path,
) -> Result<(char, usize), PropertiesError> {
    let unit = |start: usize| -> Option<u32> {
        let digits: String = chars.get(start..start + 4)?.iter().map(|l| l.ch).collect();
        u32::from_str_radix(&digits, 16)
            .ok()
            .filter(|_| digits.len() == 4)
    };
    let malformed = || PropertiesError::MalformedUnicodeEscape {
        path: origin.to_path_buf(),
        pos: chars[at].pos,
    };
    let high = unit(at + 2).ok_or_else(malformed)?;
    if (0xD800..0xDC00).contains(&high) {
        let is_pair = chars.get(at + 6).map(|l| l.ch) == Some('\\')
            && chars.get(at + 7).map(|l| l.ch) == Some('u');
        if let Some(low) = is_pair.then(|| unit(at + 8)).flatten() {
            if (0xDC00..0xE000).contains(&low) {
                let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                return Ok((char::from_u32(code).unwrap_or('\u{FFFD}'), 12));
            }
        }
        return Ok(('\u{FFFD}', 6));
    }
    Ok((char::from_u32(high).unwrap_or('\u{FFFD}'), 6))
}

/// Escapes a key so `Properties.load` reads it back unchanged.
pub fn escape_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for c in key.chars() {
        match c {
            ' ' | '=' | ':' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            _ => push_escaped_char(&mut out, c),
        }
    }
    out
}

/// Escapes a value so `Properties.load` reads it back unchanged (leading blanks protected,
/// non-ASCII as `\uXXXX` because Java reads these files as ISO-8859-1).
pub fn escape_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for (i, c) in value.chars().enumerate() {
        if i == 0 && c == ' ' {
            out.push_str("\\ ");
        } else if c == ' ' {
            out.push(' ');
        } else {
            push_escaped_char(&mut out, c);
        }
    }
    out
}

fn push_escaped_char(out: &mut String, c: char) {
    match c {
        '\\' => out.push_str("\\\\"),
        '\t' => out.push_str("\\t"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\x0c' => out.push_str("\\f"),
        c if (' '..='~').contains(&c) => out.push(c),
        c => {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04X}"));
            }
        }
    }
}

/// Writes `key=value` lines, one per pair, in the order given.
pub fn write_properties<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    for (key, value) in pairs {
        out.push_str(&escape_key(key));
        out.push('=');
        out.push_str(&escape_value(value));
        out.push('\n');
    }
    out
}

/// `text` with every `(key, value)` of `updates` set: the line holding the key's entry (the
/// last one, which Java reads), continuation lines included, becomes `key=value`; a key the text
/// lacks is appended. Comments, blank lines and the other entries stay as they were (Apache
/// rewrites the whole file with every key instead). Line ends come out as `\n`.
pub fn rewrite_keys(text: &str, updates: &[(&str, &str)]) -> String {
    let entries = Properties::parse(text, Path::new(""))
        .map(|p| p.entries)
        .unwrap_or_default();
    let mut replace_at = std::collections::BTreeMap::new();
    let mut missing = Vec::new();
    for (key, value) in updates {
        match entries.iter().rev().find(|e| e.key == *key) {
            Some(e) => {
                replace_at.insert(e.key_pos.line, (*key, *value));
            }
            None => missing.push((*key, *value)),
        }
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut skipping_continuation = false;
    for (number, chars) in natural_lines(text) {
        if skipping_continuation {
            skipping_continuation = continues(&chars);
            continue;
        }
        match replace_at.get(&number) {
            Some((key, value)) => {
                out.push_str(&write_properties([(*key, *value)]));
                skipping_continuation = continues(&chars);
            }
            None => {
                out.extend(chars.iter());
                out.push('\n');
            }
        }
    }
    out.push_str(&write_properties(missing));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrite_keys_keeps_comments_and_other_entries_and_appends_new_keys() {
        let text = "# broker-a\r\nbrokerName = broker-a\nbrokerPermission=6\n! note\n\
                    deleteWhen: 04\nfileReservedTime=4\\\n  8\nbrokerPermission=6\nlast=1";
        let out = rewrite_keys(
            text,
            &[
                ("brokerPermission", "4"),
                ("fileReservedTime", "72"),
                ("flushDiskType", "SYNC_FLUSH"),
            ],
        );
        assert_eq!(
            out,
            "# broker-a\nbrokerName = broker-a\nbrokerPermission=6\n! note\ndeleteWhen: 04\n\
             fileReservedTime=72\nbrokerPermission=4\nlast=1\nflushDiskType=SYNC_FLUSH\n"
        );
        let back = Properties::parse(&out, Path::new("x")).unwrap();
        assert_eq!(back.value("brokerPermission"), Some("4"));
        assert_eq!(back.value("fileReservedTime"), Some("72"));
        assert_eq!(back.value("deleteWhen"), Some("04"));
        assert_eq!(rewrite_keys("", &[("k", " v")]), "k=\\ v\n");
    }

    fn parse(text: &str) -> Properties {
        Properties::parse(text, Path::new("t.properties")).expect("parses")
    }

    #[test]
    fn separators_and_positions() {
        let p = parse("# c\n! c\n  a=1\nb : 2\nc 3\nd\ne=\n");
        let got: Vec<_> = p
            .entries()
            .iter()
            .map(|e| (e.key.as_str(), e.value.as_str()))
            .collect();
        assert_eq!(
            got,
            [("a", "1"), ("b", "2"), ("c", "3"), ("d", ""), ("e", "")]
        );
        assert_eq!(p.get("a").unwrap().key_pos, Pos { line: 3, col: 3 });
        assert_eq!(p.get("a").unwrap().value_pos, Pos { line: 3, col: 5 });
        assert_eq!(p.get("b").unwrap().value_pos, Pos { line: 4, col: 5 });
    }

    #[test]
    fn trailing_blanks_are_kept_and_flagged() {
        let p = parse("brokerRole=SLAVE \nx=  y\n");
        let role = p.get("brokerRole").unwrap();
        assert_eq!(role.value, "SLAVE ");
        assert!(role.trailing_blank);
        assert_eq!(p.value("x"), Some("y"));
        assert!(!p.get("x").unwrap().trailing_blank);
    }

    #[test]
    fn inline_comments_stay_in_the_value_and_are_located() {
        let p = parse(
            "brokerName=broker-a #归属组\nbrokerIP1 = 10.1.236.1\t!ip\nk=\\u0041 #x\nurl=a#b\nesc=a \\#b\nbare=#x\n",
        );
        let name = p.get("brokerName").unwrap();
        assert_eq!(name.value, "broker-a #归属组");
        assert_eq!(name.inline_comment.unwrap().pos, Pos { line: 1, col: 21 });
        assert_eq!(name.inline_comment_text(), Some("#归属组"));
        assert_eq!(name.value_before_comment(), "broker-a");
        let ip = p.get("brokerIP1").unwrap();
        assert_eq!(ip.inline_comment.unwrap().pos, Pos { line: 2, col: 24 });
        assert_eq!(ip.value_before_comment(), "10.1.236.1");
        let escaped = p.get("k").unwrap();
        assert_eq!(
            escaped.inline_comment.unwrap().pos,
            Pos { line: 3, col: 10 }
        );
        assert_eq!(escaped.inline_comment.unwrap().offset, 2);
        assert_eq!(escaped.value_before_comment(), "A");
        for key in ["url", "esc", "bare"] {
            assert_eq!(p.get(key).unwrap().inline_comment, None, "{key}");
        }
        assert_eq!(p.get("esc").unwrap().value, "a #b");
    }

    #[test]
    fn continuation_and_escapes() {
        let p = parse("k=a\\\n    b\\tc\\u0041\\\\\nkey\\ with\\=sep = v\n# comment \\\nz=1\n");
        assert_eq!(p.value("k"), Some("ab\tcA\\"));
        assert_eq!(p.value("key with=sep"), Some("v"));
        assert_eq!(p.value("z"), Some("1"));
    }

    #[test]
    fn last_duplicate_wins() {
        let p = parse("a=1\na=2\n");
        assert_eq!(p.entries().len(), 2);
        assert_eq!(p.value("a"), Some("2"));
    }

    #[test]
    fn malformed_unicode_escape_says_where() {
        let err = Properties::parse("ok=1\nbad=\\u12G4\n", Path::new("f")).unwrap_err();
        assert_eq!(err.to_string().split(": ").next(), Some("f:2:5"));
    }

    #[test]
    fn crlf_and_cr_line_ends() {
        let p = parse("a=1\r\nb=2\rc=3");
        assert_eq!(p.value("c"), Some("3"));
        assert_eq!(p.get("c").unwrap().key_pos.line, 3);
    }

    #[test]
    fn writer_round_trips() {
        let pairs = [
            ("a key", " lead"),
            ("k", "tail "),
            ("u", "é ☃ 😀"),
            ("p", "a=b:c#d"),
        ];
        let text = write_properties(pairs.iter().map(|(k, v)| (*k, *v)));
        let p = parse(&text);
        for (k, v) in pairs {
            assert_eq!(p.value(k), Some(v), "{text}");
        }
        assert!(text.is_ascii());
    }
}
