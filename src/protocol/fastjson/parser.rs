//! A lenient JSON reader with fastjson's parser defaults: unquoted property names, single quotes,
//! extra commas, and non-string map keys (`{0:"a"}`, `{{"brokerName":..}:{..}}`).
//!
//! It produces a `serde_json::Value` so typed bodies deserialise with serde. A non-string key
//! becomes its compact standard-JSON text (`0`, `{"brokerName":"b",...}`); [`super::key_map`]
//! turns such keys back into typed values. Written by hand because no JSON crate accepts fastjson's
//! non-standard keys.

use serde_json::{Map, Number, Value};

/// Nesting deeper than this is refused (protects the stack against hostile input).
const MAX_DEPTH: usize = 128;

/// Malformed JSON, with the byte offset where reading stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed JSON at byte {offset}: {reason}")]
pub struct ParseError {
    pub offset: usize,
    pub reason: String,
}

/// Parse one JSON value (trailing whitespace allowed, nothing else).
pub fn parse(text: &[u8]) -> Result<Value, ParseError> {
    parse_limited(text, usize::MAX)
}

/// Like [`parse`], refusing any object or array with more than `max_entries` entries (members
/// of an object counted as written, a repeated name each time): for inputs whose shape is known
/// to be small, such as a remoting header.
pub fn parse_limited(text: &[u8], max_entries: usize) -> Result<Value, ParseError> {
    let mut p = Parser {
        s: text,
        pos: 0,
        max_entries,
    };
    // fastjson tolerates a UTF-8 byte-order mark.
    if p.s.starts_with(&[0xEF, 0xBB, 0xBF]) {
        p.pos = 3;
    }
    let v = p.value(0)?;
    p.skip_ws();
    if p.pos != p.s.len() {
        return Err(p.err("unexpected text after the value"));
    }
    Ok(v)
}

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
    max_entries: usize,
}

impl Parser<'_> {
    fn err(&self, reason: &str) -> ParseError {
        ParseError {
            offset: self.pos,
            reason: reason.to_string(),
        }
    }

    /// Refuses one more entry after `so_far` when the limit is reached.
    fn count_entry(&self, so_far: usize) -> Result<(), ParseError> {
        if so_far < self.max_entries {
            return Ok(());
        }
        Err(self.err(&format!(
            "more than {} entries in one object or array, far more than this input may hold",
            self.max_entries
        )))
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(b) = self.peek() {
            if b.is_ascii_whitespace() {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, ParseError> {
        if depth > MAX_DEPTH {
            return Err(self.err("nested too deeply"));
        }
        self.skip_ws();
        match self.peek() {
            None => Err(self.err("unexpected end of input")),
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(q @ (b'"' | b'\'')) => self.string(q).map(Value::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => self.word(),
        }
    }

    fn word(&mut self) -> Result<Value, ParseError> {
        for (w, v) in [
            ("true", Value::Bool(true)),
            ("false", Value::Bool(false)),
            ("null", Value::Null),
        ] {
            if self.s[self.pos..].starts_with(w.as_bytes()) {
                self.pos += w.len();
                return Ok(v);
            }
        }
        Err(self.err("expected a value"))
    }

    fn number(&mut self) -> Result<Value, ParseError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let mut is_float = false;
        while let Some(b) = self.peek() {
            match b {
                b'0'..=b'9' => {}
                b'.' | b'e' | b'E' | b'+' => is_float = true,
                b'-' if is_float => {}
                _ => break,
            }
            self.pos += 1;
        }
        let text = std::str::from_utf8(&self.s[start..self.pos]).unwrap_or("");
        // fastjson also accepts a Java type suffix (L, S, B, F, D) after a number.
        if matches!(self.peek(), Some(b'L' | b'S' | b'B' | b'F' | b'D')) {
            self.pos += 1;
        }
        if !is_float {
            if let Ok(i) = text.parse::<i64>() {
                return Ok(Value::Number(i.into()));
            }
            if let Ok(u) = text.parse::<u64>() {
                return Ok(Value::Number(u.into()));
            }
        }
        text.parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| ParseError {
                offset: start,
                reason: format!("bad number {text:?}"),
            })
    }

    fn string(&mut self, quote: u8) -> Result<String, ParseError> {
        self.pos += 1;
        let mut buf: Vec<u8> = Vec::new();
        loop {
            let b = self.peek().ok_or_else(|| self.err("unterminated string"))?;
            self.pos += 1;
            if b == quote {
                break;
            }
            if b != b'\\' {
                buf.push(b);
                continue;
            }
            let e = self.peek().ok_or_else(|| self.err("unterminated escape"))?;
            self.pos += 1;
            match e {
                b'n' => buf.push(b'\n'),
                b'r' => buf.push(b'\r'),
                b't' => buf.push(b'\t'),
                b'b' => buf.push(8),
                b'f' => buf.push(12),
                b'u' => {
                    let c = self.unicode_escape()?;
                    buf.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                }
                b'x' => {
                    let hex = self.hex_digits(2)?;
                    let c = char::from_u32(hex).unwrap_or('\u{FFFD}');
                    buf.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                }
                other => buf.push(other),
            }
        }
        String::from_utf8(buf).map_err(|_| self.err("string is not UTF-8"))
    }

    fn hex_digits(&mut self, n: usize) -> Result<u32, ParseError> {
        let digits = self
            .s
            .get(self.pos..self.pos + n)
            .ok_or_else(|| self.err("truncated escape"))?;
        let text = std::str::from_utf8(digits).map_err(|_| self.err("bad escape"))?;
        let v = u32::from_str_radix(text, 16).map_err(|_| self.err("bad hex escape"))?;
        self.pos += n;
        Ok(v)
    }

    fn unicode_escape(&mut self) -> Result<char, ParseError> {
        let hi = self.hex_digits(4)?;
        if (0xD800..0xDC00).contains(&hi) && self.s[self.pos..].starts_with(b"\\u") {
            let save = self.pos;
            self.pos += 2;
            let lo = self.hex_digits(4)?;
            if (0xDC00..0xE000).contains(&lo) {
                let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                return Ok(char::from_u32(c).unwrap_or('\u{FFFD}'));
            }
            self.pos = save;
        }
        Ok(char::from_u32(hi).unwrap_or('\u{FFFD}'))
    }

    fn array(&mut self, depth: usize) -> Result<Value, ParseError> {
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_ws();
            match self.peek() {
                None => return Err(self.err("unterminated array")),
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                Some(b',') => self.pos += 1,
                Some(_) => {
                    self.count_entry(items.len())?;
                    items.push(self.value(depth + 1)?);
                }
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, ParseError> {
        self.pos += 1;
        let mut map = Map::new();
        let mut members = 0;
        loop {
            self.skip_ws();
            match self.peek() {
                None => return Err(self.err("unterminated object")),
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(map));
                }
                Some(b',') => {
                    self.pos += 1;
                    continue;
                }
                Some(_) => {}
            }
            self.count_entry(members)?;
            members += 1;
            let key = self.key(depth)?;
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.err("expected ':' after a property name"));
            }
            self.pos += 1;
            let value = self.value(depth + 1)?;
            map.insert(key, value);
        }
    }

    fn key(&mut self, depth: usize) -> Result<String, ParseError> {
        match self.peek() {
            Some(q @ (b'"' | b'\'')) => self.string(q),
            Some(b'{' | b'[' | b'-' | b'0'..=b'9') => {
                let v = self.value(depth + 1)?;
                Ok(serde_json::to_string(&v).unwrap_or_default())
            }
            _ => self.bare_name(),
        }
    }

    fn bare_name(&mut self) -> Result<String, ParseError> {
        let start = self.pos;
        while let Some(b) = self.peek() {
            if b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80 {
                self.pos += 1;
            } else {
                break;
            }
        }
        if self.pos == start {
            return Err(self.err("expected a property name"));
        }
        String::from_utf8(self.s[start..self.pos].to_vec())
            .map_err(|_| self.err("property name is not UTF-8"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_fastjson_map_keys() {
        let v = parse(br#"{"brokerAddrs":{0:"a:1",1:"b:2"}}"#).unwrap();
        assert_eq!(v["brokerAddrs"]["0"], "a:1");
        let v = parse(
            br#"{"offsetTable":{{"brokerName":"b","queueId":0,"topic":"t"}:{"maxOffset":3}}}"#,
        )
        .unwrap();
        let (k, val) = v["offsetTable"].as_object().unwrap().iter().next().unwrap();
        assert_eq!(k, r#"{"brokerName":"b","queueId":0,"topic":"t"}"#);
        assert_eq!(val["maxOffset"], 3);
    }

    #[test]
    fn accepts_single_quotes_bare_names_and_extra_commas() {
        let v = parse(b"{code:105,,'remark':'x',}").unwrap();
        assert_eq!(v["code"], 105);
        assert_eq!(v["remark"], "x");
    }

    #[test]
    fn rejects_garbage_with_offset() {
        let e = parse(b"{\"a\":").unwrap_err();
        assert_eq!(e.offset, 5);
        assert!(parse(b"{\"a\":1} x").is_err());
        let deep = "[".repeat(1000);
        assert!(parse(deep.as_bytes()).is_err());
    }

    #[test]
    fn limited_parse_refuses_large_objects_and_arrays_where_it_sees_them() {
        let members = |n: usize| {
            let inner: Vec<String> = (0..n).map(|i| format!("\"k{i}\":1")).collect();
            format!("{{\"extFields\":{{{}}}}}", inner.join(","))
        };
        assert!(parse_limited(members(4).as_bytes(), 4).is_ok());
        let e = parse_limited(members(5).as_bytes(), 4).unwrap_err();
        assert!(e.reason.contains("more than 4 entries"), "{e}");
        assert_eq!(e.offset, members(4).len() - 1, "{e}");
        // A repeated name counts each time it is written.
        assert!(parse_limited(br#"{"a":1,"a":2,"a":3}"#, 2).is_err());
        assert!(parse_limited(b"[1,2,3]", 2).is_err());
        assert!(parse(members(5).as_bytes()).is_ok());
    }

    #[test]
    fn keeps_large_longs_exact() {
        let v = parse(b"{\"t\":9007199254740993}").unwrap();
        assert_eq!(v["t"].as_i64(), Some(9007199254740993));
    }
}
