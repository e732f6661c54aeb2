//! The properties string codec (`key 0x01 value 0x02` repeated, trailing 0x02) and the well-known
//! property keys (`C/message/MessageConst.java`).

/// Separates a key from its value.
pub const NAME_VALUE_SEPARATOR: char = '\u{1}';
/// Ends every key/value pair, including the last one.
pub const PROPERTY_SEPARATOR: char = '\u{2}';

/// An insertion-ordered property map. Java uses a `HashMap`; keeping the order makes our own
/// output deterministic while still parsing anything Java writes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Properties {
    pairs: Vec<(String, String)>,
}

impl Properties {
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses like Java's `string2messageProperties`: split on 0x02, drop pieces shorter than 3
    /// chars or without a 0x01, and pairs with an empty key or empty value. Never fails.
    pub fn parse(s: &str) -> Self {
        let mut props = Self::new();
        // A piece shorter than 3 chars can not hold a key, 0x01 and a value; no length check.
        for (key, value) in pairs(s) {
            if !key.is_empty() && !value.is_empty() {
                props.insert(key, value);
            }
        }
        props
    }

    /// Serializes like Java's `messageProperties2String`, with the trailing 0x02.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        for (k, v) in &self.pairs {
            out.push_str(k);
            out.push(NAME_VALUE_SEPARATOR);
            out.push_str(v);
            out.push(PROPERTY_SEPARATOR);
        }
        out
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Sets `key`; a later insert of the same key replaces the value in place (like a map).
    pub fn insert(&mut self, key: &str, value: &str) {
        match self.pairs.iter_mut().find(|(k, _)| k == key) {
            Some(pair) => pair.1 = value.to_string(),
            None => self.pairs.push((key.to_string(), value.to_string())),
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<String> {
        let idx = self.pairs.iter().position(|(k, _)| k == key)?;
        Some(self.pairs.remove(idx).1)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

/// Finds one property in an encoded properties string without building a map.
pub fn find_property<'a>(encoded: &'a str, key: &str) -> Option<&'a str> {
    pairs(encoded).find_map(|(k, v)| (k == key && !v.is_empty()).then_some(v))
}

/// The pieces between 0x02 separators that hold a 0x01, split there into key and value. Both
/// separators are ASCII, so byte searches cut at char boundaries; std's `split(char)` costs
/// more per piece than these short strings are long (measured in the broker's send path).
fn pairs(encoded: &str) -> impl Iterator<Item = (&str, &str)> + '_ {
    let mut start = 0;
    memchr::memchr_iter(PROPERTY_SEPARATOR as u8, encoded.as_bytes())
        .chain(std::iter::once(encoded.len()))
        .filter_map(move |end| {
            let piece = encoded.get(start..end)?;
            start = end + 1;
            let at = memchr::memchr(NAME_VALUE_SEPARATOR as u8, piece.as_bytes())?;
            Some((&piece[..at], &piece[at + 1..]))
        })
}

/// Well-known property keys.
pub struct MessageConst;

impl MessageConst {
    pub const KEYS: &'static str = "KEYS";
    pub const TAGS: &'static str = "TAGS";
    pub const WAIT_STORE_MSG_OK: &'static str = "WAIT";
    pub const DELAY_TIME_LEVEL: &'static str = "DELAY";
    pub const RETRY_TOPIC: &'static str = "RETRY_TOPIC";
    pub const REAL_TOPIC: &'static str = "REAL_TOPIC";
    pub const REAL_QUEUE_ID: &'static str = "REAL_QID";
    pub const TRANSACTION_PREPARED: &'static str = "TRAN_MSG";
    pub const PRODUCER_GROUP: &'static str = "PGROUP";
    pub const MIN_OFFSET: &'static str = "MIN_OFFSET";
    pub const MAX_OFFSET: &'static str = "MAX_OFFSET";
    pub const UNIQ_CLIENT_MESSAGE_ID_KEYIDX: &'static str = "UNIQ_KEY";
    pub const ORIGIN_MESSAGE_ID: &'static str = "ORIGIN_MESSAGE_ID";
    pub const RECONSUME_TIME: &'static str = "RECONSUME_TIME";
    pub const MAX_RECONSUME_TIMES: &'static str = "MAX_RECONSUME_TIMES";
    pub const TRANSACTION_ID: &'static str = "__transactionId__";
    pub const TRANSACTION_PREPARED_QUEUE_OFFSET: &'static str = "TRAN_PREPARED_QUEUE_OFFSET";
    pub const TRANSACTION_CHECK_TIMES: &'static str = "TRANSACTION_CHECK_TIMES";
    pub const CHECK_IMMUNITY_TIME_IN_SECONDS: &'static str = "CHECK_IMMUNITY_TIME_IN_SECONDS";
    pub const CLUSTER: &'static str = "CLUSTER";
    pub const MSG_REGION: &'static str = "MSG_REGION";
    pub const TRACE_SWITCH: &'static str = "TRACE_ON";
    pub const CONSUME_START_TIMESTAMP: &'static str = "CONSUME_START_TIME";
    /// Topic that holds delayed messages until their delivery time.
    pub const SCHEDULE_TOPIC: &'static str = "SCHEDULE_TOPIC_XXXX";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_has_trailing_separator() {
        let mut p = Properties::new();
        p.insert("TAGS", "TagA");
        p.insert("KEYS", "k1 k2");
        assert_eq!(p.encode(), "TAGS\u{1}TagA\u{2}KEYS\u{1}k1 k2\u{2}");
        assert_eq!(Properties::parse(&p.encode()), p);
    }

    #[test]
    fn parse_drops_pieces_like_java() {
        let s = "a\u{1}\u{2}\u{1}b\u{2}ab\u{2}x\u{1}y\u{2}noval\u{2}k\u{1}v\u{1}w\u{2}";
        let p = Properties::parse(s);
        let pairs: Vec<_> = p.iter().collect();
        assert_eq!(pairs, vec![("x", "y"), ("k", "v\u{1}w")]);
    }

    #[test]
    fn find_property_without_map() {
        let s = "TAGS\u{1}TagA\u{2}UNIQ_KEY\u{1}ABC\u{2}";
        assert_eq!(find_property(s, "UNIQ_KEY"), Some("ABC"));
        assert_eq!(find_property(s, "KEYS"), None);
    }

    #[test]
    fn insert_replaces_and_remove() {
        let mut p = Properties::parse("a\u{1}1\u{2}b\u{1}2\u{2}");
        p.insert("a", "3");
        assert_eq!(p.encode(), "a\u{1}3\u{2}b\u{1}2\u{2}");
        assert_eq!(p.remove("a").as_deref(), Some("3"));
        assert_eq!(p.len(), 1);
    }
}
