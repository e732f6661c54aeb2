//! The properties string codec (`key 0x01 value 0x02` repeated, trailing 0x02) and the well-known
//! property keys (`C/message/MessageConst.java`).

use std::collections::HashMap;

/// Separates a key from its value.
pub const NAME_VALUE_SEPARATOR: char = '\u{1}';
/// Ends every key/value pair, including the last one.
pub const PROPERTY_SEPARATOR: char = '\u{2}';

/// Up to this many pairs, [`Properties::parse`] finds repeated keys by scanning.
const SCAN_PAIRS: usize = 16;

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
    /// chars or without a 0x01, and pairs with an empty key or empty value. Never fails. Time is
    /// linear in the text: past a few pairs, repeated keys are found through a hash index rather
    /// than a scan per pair (a hostile message can hold thousands).
    pub fn parse(s: &str) -> Self {
        // A piece shorter than 3 chars can not hold a key, 0x01 and a value; no length check.
        let found: Vec<(&str, &str)> = pairs(s)
            .filter(|(key, value)| !key.is_empty() && !value.is_empty())
            .collect();
        let mut props = Self::new();
        if found.len() <= SCAN_PAIRS {
            for (key, value) in found {
                props.insert(key, value);
            }
            return props;
        }
        let mut index: HashMap<&str, usize> = HashMap::with_capacity(found.len());
        for (key, value) in found {
            match index.get(key) {
                Some(&i) => props.pairs[i].1 = value.to_string(),
                None => {
                    index.insert(key, props.pairs.len());
                    props.pairs.push((key.to_string(), value.to_string()));
                }
            }
        }
        props
    }

    /// Serializes like Java's `messageProperties2String`, with the trailing 0x02.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        for (k, v) in &self.pairs {
            push_property(&mut out, k, v);
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

/// Most pairs [`is_canonical`] checks for repeated keys; longer strings are not called canonical.
const CANONICAL_MAX_PAIRS: usize = 16;

/// Whether `encoded` is exactly what `Properties::parse(encoded).encode()` gives back: every
/// piece a pair with a non-empty key and value, no key twice, the trailing 0x02. Such a string
/// can be extended with [`push_property`] instead of being parsed into a map and encoded again
/// (what clients send is; the broker's send path relies on it).
pub fn is_canonical(encoded: &str) -> bool {
    if encoded.is_empty() {
        return true;
    }
    let Some(body) = encoded.strip_suffix(PROPERTY_SEPARATOR) else {
        return false;
    };
    let mut keys = [""; CANONICAL_MAX_PAIRS];
    for (i, piece) in body.split(PROPERTY_SEPARATOR).enumerate() {
        let Some((key, value)) = piece.split_once(NAME_VALUE_SEPARATOR) else {
            return false;
        };
        if i == CANONICAL_MAX_PAIRS
            || key.is_empty()
            || value.is_empty()
            || keys[..i].contains(&key)
        {
            return false;
        }
        keys[i] = key;
    }
    true
}

/// Appends one encoded pair (`key 0x01 value 0x02`) to an encoded properties string.
pub fn push_property(encoded: &mut String, key: &str, value: &str) {
    encoded.reserve(key.len() + value.len() + 2);
    encoded.push_str(key);
    encoded.push(NAME_VALUE_SEPARATOR);
    encoded.push_str(value);
    encoded.push(PROPERTY_SEPARATOR);
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
    /// Topic of half (prepared transaction) messages, queue 0.
    pub const TRANS_HALF_TOPIC: &'static str = "RMQ_SYS_TRANS_HALF_TOPIC";
    /// Topic of the op messages that mark half messages resolved, queue 0.
    pub const TRANS_OP_HALF_TOPIC: &'static str = "RMQ_SYS_TRANS_OP_HALF_TOPIC";
    /// Topic of half messages given up after `transactionCheckMax` checks.
    pub const TRANS_CHECK_MAX_TIME_TOPIC: &'static str = "TRANS_CHECK_MAX_TIME_TOPIC";
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `is_canonical` promises: true exactly when parsing and encoding again gives the
    /// same text (up to its limit on pairs, above which it says false).
    fn canonical_by_round_trip(s: &str) -> bool {
        Properties::parse(s).encode() == s
    }

    #[test]
    fn canonical_means_parse_and_encode_give_the_same_text() {
        let cases = [
            "",
            "A\u{1}1\u{2}",
            "A\u{1}1\u{2}B\u{1}2\u{2}",
            "A\u{1}1",
            "A\u{1}1\u{2}\u{2}",
            "\u{2}",
            "A\u{1}\u{2}",
            "\u{1}1\u{2}",
            "A1\u{2}",
            "A\u{1}1\u{2}A\u{1}2\u{2}",
            "A\u{1}1\u{1}x\u{2}",
            "UNIQ_KEY\u{1}7F0000010001\u{2}WAIT\u{1}true\u{2}",
            "K\u{1}é\u{2}",
        ];
        for s in cases {
            assert_eq!(is_canonical(s), canonical_by_round_trip(s), "{s:?}");
        }
        let many: String = (0..CANONICAL_MAX_PAIRS + 1)
            .map(|i| format!("K{i}\u{1}v\u{2}"))
            .collect();
        assert!(canonical_by_round_trip(&many) && !is_canonical(&many));
    }

    proptest::proptest! {
        #[test]
        fn canonical_agrees_with_the_round_trip(s in "[AB\u{1}\u{2}é]{0,12}") {
            proptest::prop_assert_eq!(is_canonical(&s), canonical_by_round_trip(&s));
        }
    }

    #[test]
    fn pushing_a_new_key_onto_canonical_text_is_inserting_it() {
        let base = "UNIQ_KEY\u{1}AB\u{2}WAIT\u{1}true\u{2}";
        let mut pushed = base.to_string();
        push_property(&mut pushed, "CLUSTER", "DefaultCluster");
        let mut parsed = Properties::parse(base);
        parsed.insert("CLUSTER", "DefaultCluster");
        assert_eq!(pushed, parsed.encode());
    }

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
    fn many_pairs_parse_like_few_repeated_keys_keep_their_place_and_last_value() {
        let mut text = String::new();
        for i in (0..5000).rev() {
            push_property(&mut text, &format!("k{i}"), "first");
        }
        push_property(&mut text, "k4999", "last");
        push_property(&mut text, "k7", "last");
        let props = Properties::parse(&text);
        assert_eq!(props.len(), 5000);
        assert_eq!(props.iter().next(), Some(("k4999", "last")));
        assert_eq!(props.get("k7"), Some("last"));
        assert_eq!(props.get("k8"), Some("first"));
        let few = "a\u{1}1\u{2}b\u{1}2\u{2}a\u{1}3\u{2}";
        let expected: Vec<(&str, &str)> = vec![("a", "3"), ("b", "2")];
        assert_eq!(Properties::parse(few).iter().collect::<Vec<_>>(), expected);
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
