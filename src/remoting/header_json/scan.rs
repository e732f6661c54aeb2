//! The JSON header fast path: a byte scanner for the plain shape every known client writes
//! (`{"code":..,"extFields":{"k":"v",..},"flag":..,..}`) that fills a `RemotingCommand` without
//! building a `serde_json::Value`. It gives up (`None`) on anything it does not fully understand
//! (BOM, single quotes, bare names, extra commas, surrogate `\u` and `\x` escapes, non-canonical
//! numbers, null, nested values, trailing text) so the lenient reader decides those; when it does
//! answer, the command equals what the lenient reader builds from the same bytes.

use super::super::codes::LanguageCode;
use super::super::command::RemotingCommand;
use super::super::ext_fields::{ExtFields, MAX_EXT_FIELDS};
use compact_str::CompactString;
use std::borrow::Cow;

/// More digits than this may not fit an i64; such numbers go to the lenient reader.
const MAX_DIGITS: usize = 18;

/// One scalar value as found in the text.
enum Scalar<'a> {
    Str(Cow<'a, str>),
    /// A canonical integer's text (which is also how the lenient reader prints it).
    Int(&'a str),
    Bool(bool),
}

impl Scalar<'_> {
    /// The string Java holds for this value in `extFields` (inline when short: no allocation).
    fn into_text(self) -> CompactString {
        match self {
            Scalar::Str(Cow::Borrowed(s)) => CompactString::from(s),
            Scalar::Str(Cow::Owned(s)) => CompactString::from(s),
            Scalar::Int(text) => CompactString::from(text),
            Scalar::Bool(b) => CompactString::const_new(if b { "true" } else { "false" }),
        }
    }
}

/// Cursor over the header bytes.
pub(super) struct Scanner<'a> {
    /// The header, checked to be UTF-8 once: every string and number in it starts and ends
    /// next to an ASCII delimiter, so it is sliced out of `text` without checking again.
    text: &'a str,
    s: &'a [u8],
    pos: usize,
}

impl<'a> Scanner<'a> {
    /// `None` when the header is not UTF-8 (the lenient reader then decides).
    pub(super) fn new(s: &'a [u8]) -> Option<Self> {
        let text = std::str::from_utf8(s).ok()?;
        Some(Scanner { text, s, pos: 0 })
    }

    /// The whole header: one object, then only whitespace.
    pub(super) fn header(&mut self, cmd: &mut RemotingCommand) -> Option<()> {
        self.expect(b'{')?;
        if !self.close_if(b'}') {
            loop {
                let key = self.string()?;
                self.expect(b':')?;
                self.property(&key, cmd)?;
                if self.close_if(b'}') {
                    break;
                }
                self.expect(b',')?;
            }
        }
        self.skip_ws();
        (self.pos == self.s.len()).then_some(())
    }

    fn property(&mut self, key: &str, cmd: &mut RemotingCommand) -> Option<()> {
        match key {
            "code" => cmd.code = self.int32()?,
            "flag" => cmd.flag = self.int32()?,
            "opaque" => cmd.opaque = self.int32()?,
            "version" => cmd.version = self.int32()?,
            "language" => cmd.language = LanguageCode::from_name(&self.string()?),
            "remark" => cmd.remark = Some(self.string()?.into_owned()),
            "extFields" => cmd.ext_fields = self.ext_fields()?,
            _ => {
                self.scalar()?;
            }
        }
        Some(())
    }

    /// A flat object of scalars; a repeated key keeps its last value, as in the lenient reader.
    /// More than [`MAX_EXT_FIELDS`] entries are left to the lenient reader, which refuses them.
    fn ext_fields(&mut self) -> Option<ExtFields> {
        self.expect(b'{')?;
        if self.close_if(b'}') {
            return Some(ExtFields::new());
        }
        // Room for a send request's 13 keys without growing the vector twice on the way.
        let mut pairs = Vec::with_capacity(16);
        loop {
            if pairs.len() == MAX_EXT_FIELDS {
                return None;
            }
            let key = static_key(self.string()?);
            self.expect(b':')?;
            pairs.push((key, self.scalar()?.into_text()));
            if self.close_if(b'}') {
                return Some(ExtFields::from_decoded(pairs));
            }
            self.expect(b',')?;
        }
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.s.get(self.pos) {
            self.pos += 1;
        }
    }

    /// Skip whitespace, then require `b`.
    fn expect(&mut self, b: u8) -> Option<()> {
        self.skip_ws();
        (self.s.get(self.pos) == Some(&b)).then(|| self.pos += 1)
    }

    /// Skip whitespace, then consume `b` if it is next.
    fn close_if(&mut self, b: u8) -> bool {
        self.skip_ws();
        let found = self.s.get(self.pos) == Some(&b);
        if found {
            self.pos += 1;
        }
        found
    }

    fn scalar(&mut self) -> Option<Scalar<'a>> {
        self.skip_ws();
        match self.s.get(self.pos)? {
            b'"' => self.string().map(Scalar::Str),
            b't' => self.word(b"true").map(|_| Scalar::Bool(true)),
            b'f' => self.word(b"false").map(|_| Scalar::Bool(false)),
            _ => self.int().map(|(_, text)| Scalar::Int(text)),
        }
    }

    fn word(&mut self, w: &[u8]) -> Option<()> {
        self.s[self.pos..]
            .starts_with(w)
            .then(|| self.pos += w.len())
    }

    fn int32(&mut self) -> Option<i32> {
        self.skip_ws();
        self.int().and_then(|(v, _)| i32::try_from(v).ok())
    }

    /// A canonical integer (`0`, `-12`, `345`; no leading zeros, no `-0`, no fraction, exponent
    /// or Java type suffix), which the lenient reader would print back as the same text.
    fn int(&mut self) -> Option<(i64, &'a str)> {
        let start = self.pos;
        let negative = self.s.get(self.pos) == Some(&b'-');
        let digits_start = start + usize::from(negative);
        let digits = self.s[digits_start..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let end = digits_start + digits;
        let first = *self.s.get(digits_start)?;
        let canonical = digits > 0
            && digits <= MAX_DIGITS
            && (first != b'0' || (digits == 1 && !negative))
            && !matches!(
                self.s.get(end),
                Some(b'.' | b'e' | b'E' | b'+' | b'-' | b'L' | b'S' | b'B' | b'F' | b'D')
            );
        if !canonical {
            return None;
        }
        let text = self.text.get(start..end)?;
        self.pos = end;
        text.parse().ok().map(|v| (v, text))
    }

    /// A double-quoted string with simple escapes (`\" \\ \/ \n \r \t \b \f`) and `\uXXXX`.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        self.skip_ws();
        if self.s.get(self.pos) != Some(&b'"') {
            return None;
        }
        let start = self.pos + 1;
        let end = start + memchr::memchr2(b'"', b'\\', &self.s[start..])?;
        if self.s[end] == b'"' {
            self.pos = end + 1;
            return self.text.get(start..end).map(Cow::Borrowed);
        }
        self.pos = start;
        self.escaped_string().map(Cow::Owned)
    }

    /// The rest of a string that has an escape; `pos` is just after the opening quote. Runs
    /// between escapes are copied whole (message properties have an escape every few bytes).
    fn escaped_string(&mut self) -> Option<String> {
        let rest = &self.s[self.pos..];
        // Room for the whole string if the first quote found ends it (it does unless a `\"`
        // comes first); escapes only shrink the text.
        let mut buf = Vec::with_capacity(memchr::memchr(b'"', rest).unwrap_or(rest.len()));
        loop {
            let run = memchr::memchr2(b'"', b'\\', &self.s[self.pos..])?;
            buf.extend_from_slice(&self.s[self.pos..self.pos + run]);
            self.pos += run + 1;
            if self.s[self.pos - 1] == b'"' {
                return String::from_utf8(buf).ok();
            }
            self.escape(&mut buf)?;
        }
    }

    /// One escape after its backslash, appended to `buf`.
    fn escape(&mut self, buf: &mut Vec<u8>) -> Option<()> {
        let e = *self.s.get(self.pos)?;
        self.pos += 1;
        if e == b'u' {
            let c = self.bmp_escape()?;
            if c.is_ascii() {
                buf.push(c as u8);
            } else {
                buf.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
            }
        } else {
            buf.push(simple_escape(e)?);
        }
        Some(())
    }

    /// The four hex digits of a `\uXXXX` naming a character outside the surrogate range (the
    /// separators 0x01/0x02 of message properties are sent this way); surrogates are left to the
    /// lenient reader, which pairs them.
    fn bmp_escape(&mut self) -> Option<char> {
        let digits = self.s.get(self.pos..self.pos + 4)?;
        let mut code = 0u32;
        for &d in digits {
            code = code * 16 + char::from(d).to_digit(16)?;
        }
        self.pos += 4;
        char::from_u32(code)
    }
}

/// The one-letter keys of the SEND_MESSAGE_V2 request, `a` to `n`.
const LETTER_KEYS: [&str; 14] = [
    "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n",
];

/// An extFields key as stored: one of SEND_MESSAGE_V2's one-letter names as a static name, which
/// needs no allocation; any other one owned.
fn static_key(key: Cow<'_, str>) -> Cow<'static, str> {
    match key.as_bytes() {
        [b @ b'a'..=b'n'] => Cow::Borrowed(LETTER_KEYS[usize::from(b - b'a')]),
        _ => Cow::Owned(key.into_owned()),
    }
}

/// The character a one-letter escape stands for (`\" \\ \/ \n \r \t \b \f`).
fn simple_escape(e: u8) -> Option<u8> {
    match e {
        b'"' | b'\\' | b'/' => Some(e),
        b'n' => Some(b'\n'),
        b'r' => Some(b'\r'),
        b't' => Some(b'\t'),
        b'b' => Some(8),
        b'f' => Some(12),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn send_v2_letters_are_static_other_keys_owned() {
        assert!(matches!(static_key(Cow::Borrowed("a")), Cow::Borrowed("a")));
        assert!(matches!(static_key(Cow::Borrowed("n")), Cow::Borrowed("n")));
        assert!(matches!(static_key(Cow::Borrowed("o")), Cow::Owned(k) if k == "o"));
        assert!(matches!(static_key(Cow::Borrowed("topic")), Cow::Owned(k) if k == "topic"));
        assert!(matches!(
            static_key(Cow::Owned("b".into())),
            Cow::Borrowed("b")
        ));
    }
}
