//! `ExtFields`, a small vector map: headers have about a dozen keys, so a linear scan beats a
//! BTreeMap and typed headers' static key names need no allocation. Values are `CompactString`s:
//! most (numbers, flags, topic and group names) fit its 24 inline bytes, so a decoded header
//! allocates for its long values only. Encoders sort: same bytes.
//!
//! The entries are always in key order: encoders and ACL signatures read them so without sorting
//! or allocating. Decoders build it in one go ([`ExtFields::from_decoded`]: sorted once, never a
//! scan per key) and refuse more than [`MAX_EXT_FIELDS`] keys, so a hostile header costs time
//! linear in its size; lookups in a large map are binary searches.

use compact_str::CompactString;
use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;
use std::ops::Index;

/// Most extFields keys a decoded header may carry. Real clients send a few dozen at most (the
/// widest, SEND_MESSAGE and PULL_MESSAGE, about 15 plus the C++ client's ACL fields; see
/// client-quirks.md); the cap bounds what a hostile header can make a server hold.
pub const MAX_EXT_FIELDS: usize = 4096;

/// Above this many entries a sorted map is searched by bisection instead of a scan.
const BISECT_ABOVE: usize = 16;

/// `extFields`: string keys (Java field names) and string values, each key at most once.
#[derive(Clone)]
pub struct ExtFields {
    /// In ascending key order: a key past the last one is new and needs no search (typed headers
    /// declared in key order append), one before it is put in its place (a few entries move:
    /// headers are small), so reading in key order never sorts.
    entries: Vec<(Cow<'static, str>, CompactString)>,
}

impl ExtFields {
    pub fn new() -> Self {
        Self::with_capacity(0)
    }

    pub fn with_capacity(n: usize) -> Self {
        ExtFields {
            entries: Vec::with_capacity(n),
        }
    }

    /// A map from decoded pairs in wire order, a repeated key keeping its last value, in
    /// O(n log n): pairs already in key order (Java writes them so) are taken as they are,
    /// others are sorted once, so a header with many keys in a hostile order costs no scan per
    /// key. The entries end up in key order.
    pub fn from_decoded(mut entries: Vec<(Cow<'static, str>, CompactString)>) -> Self {
        let ascending = entries
            .windows(2)
            .all(|w| key_cmp(&w[0].0, &w[1].0).is_lt());
        if !ascending {
            // Stable: equal keys stay in wire order, and the merge keeps the last one's value.
            entries.sort_by(|a, b| key_cmp(&a.0, &b.0));
            entries.dedup_by(|later, kept| {
                let same = later.0 == kept.0;
                if same {
                    std::mem::swap(&mut later.1, &mut kept.1);
                }
                same
            });
        }
        ExtFields { entries }
    }

    /// Room for `additional` more entries without growing.
    pub fn reserve(&mut self, additional: usize) {
        self.entries.reserve(additional);
    }

    /// Set `key` to `value`; the previous value of a key already present is replaced and returned.
    pub fn insert(
        &mut self,
        key: impl Into<Cow<'static, str>>,
        value: impl Into<CompactString>,
    ) -> Option<String> {
        let key = key.into();
        let value = value.into();
        let past_last = self
            .entries
            .last()
            .is_none_or(|(last, _)| key_cmp(last, &key).is_lt());
        if past_last {
            self.entries.push((key, value));
            return None;
        }
        match self.entries.binary_search_by(|(k, _)| key_cmp(k, &key)) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value).into_string()),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.position(key).map(|i| self.entries[i].1.as_str())
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_some()
    }

    pub fn remove(&mut self, key: &str) -> Option<String> {
        self.position(key)
            .map(|i| self.entries.remove(i).1.into_string())
    }

    /// Keep only the entries for which `keep` returns true.
    pub fn retain(&mut self, mut keep: impl FnMut(&str, &mut CompactString) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k, v));
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries in key order.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            inner: self.entries.iter(),
        }
    }

    /// The entries sorted by key, the order encoders write them in: [`ExtFields::iter`], said
    /// where the order matters.
    pub fn sorted(&self) -> Sorted<'_> {
        self.iter()
    }

    fn position(&self, key: &str) -> Option<usize> {
        if self.entries.len() > BISECT_ABOVE {
            return self.entries.binary_search_by(|(k, _)| key_cmp(k, key)).ok();
        }
        self.entries.iter().position(|(k, _)| same_key(k, key))
    }
}

/// `a.cmp(b)` (byte order, as `str` and the BTreeMap had it), deciding on the first byte inline
/// when it differs.
#[inline]
fn key_cmp(a: &str, b: &str) -> Ordering {
    match (a.as_bytes().first(), b.as_bytes().first()) {
        (Some(x), Some(y)) if x != y => x.cmp(y),
        _ => a.cmp(b),
    }
}

/// `a == b`, with the length and first byte compared inline: most keys a scan passes differ
/// there (the send header's are one letter each), which saves a `memcmp` call per entry.
#[inline]
fn same_key(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.first() == b.first() && a == b
}

/// Iterator over `(key, value)` in insertion order.
pub struct Iter<'a> {
    inner: std::slice::Iter<'a, (Cow<'static, str>, CompactString)>,
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        self.inner.next().map(|(k, v)| (k.as_ref(), v.as_str()))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

impl ExactSizeIterator for Iter<'_> {}

/// Iterator over `(key, value)` sorted by key, from [`ExtFields::sorted`].
pub type Sorted<'a> = Iter<'a>;

impl Default for ExtFields {
    fn default() -> Self {
        Self::new()
    }
}

impl<'a> IntoIterator for &'a ExtFields {
    type Item = (&'a str, &'a str);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl<K, V> FromIterator<(K, V)> for ExtFields
where
    K: Into<Cow<'static, str>>,
    V: Into<CompactString>,
{
    /// A repeated key keeps its last value; the entries end up in key order.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        ExtFields::from_decoded(
            iter.into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }
}

impl Index<&str> for ExtFields {
    type Output = CompactString;

    fn index(&self, key: &str) -> &CompactString {
        match self.position(key) {
            Some(i) => &self.entries[i].1,
            None => panic!("no entry found for key {key:?}"),
        }
    }
}

/// Equal when both hold the same keys with the same values, in any order.
impl PartialEq for ExtFields {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().all(|(k, v)| other.get(k) == Some(v))
    }
}

impl Eq for ExtFields {}

impl fmt::Debug for ExtFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.sorted()).finish()
    }
}

/// A map in sorted key order, as the BTreeMap it replaces serialized.
impl serde::Serialize for ExtFields {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.sorted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn insert_replaces_and_last_value_wins() {
        let mut ext = ExtFields::new();
        assert_eq!(ext.insert("topic", "A"), None);
        assert_eq!(ext.insert("queueId", "1"), None);
        assert_eq!(
            ext.insert(String::from("topic"), "B"),
            Some("A".to_string())
        );
        assert_eq!(ext.len(), 2);
        assert_eq!(ext["topic"], "B");
        let collected: ExtFields = [("k", "1"), ("k", "2")].into_iter().collect();
        assert_eq!(collected.len(), 1);
        assert_eq!(collected["k"], "2");
    }

    #[test]
    fn get_contains_remove_retain() {
        let mut ext: ExtFields = [("a", "1"), ("b", "2"), ("c", "")].into_iter().collect();
        assert_eq!(ext.get("b"), Some("2"));
        assert!(ext.contains_key("a"));
        assert!(!ext.contains_key("z"));
        assert_eq!(ext.remove("a"), Some("1".to_string()));
        assert_eq!(ext.remove("a"), None);
        ext.retain(|_, v| !v.is_empty());
        assert_eq!(ext.len(), 1);
        assert!(ext.contains_key("b"));
        assert!(!ExtFields::with_capacity(4).contains_key("b"));
        assert!(ExtFields::default().is_empty());
    }

    #[test]
    fn equality_ignores_order() {
        let a: ExtFields = [("x", "1"), ("y", "2")].into_iter().collect();
        let b: ExtFields = [("y", "2"), ("x", "1")].into_iter().collect();
        let c: ExtFields = [("y", "2"), ("x", "3")].into_iter().collect();
        let d: ExtFields = [("y", "2")].into_iter().collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(a, d);
        assert_ne!(d, a);
    }

    #[test]
    fn sorted_debug_and_serialize_follow_key_order() {
        let ext: ExtFields = [("topic", "T"), ("a", "1"), ("Z", "2"), ("queueId", "0")]
            .into_iter()
            .collect();
        let keys: Vec<&str> = ext.sorted().map(|(k, _)| k).collect();
        assert_eq!(keys, ["Z", "a", "queueId", "topic"]);
        let map: BTreeMap<String, String> = ext
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(format!("{ext:?}"), format!("{map:?}"));
        assert_eq!(
            serde_json::to_string(&ext).unwrap(),
            r#"{"Z":"2","a":"1","queueId":"0","topic":"T"}"#
        );
        assert_eq!(
            serde_json::to_string(&ext).unwrap(),
            serde_json::to_string(&map).unwrap()
        );
    }

    #[test]
    fn keys_in_order_then_out_of_order() {
        let mut ext: ExtFields = [("a", "1"), ("b", "2"), ("c", "3")].into_iter().collect();
        assert_eq!(ext.insert("b", "4"), Some("2".to_string()));
        assert_eq!(ext.insert("c", "5"), Some("3".to_string()));
        assert_eq!(ext.insert("B", "6"), None);
        assert_eq!(ext.insert("a", "7"), Some("1".to_string()));
        let pairs: Vec<(&str, &str)> = ext.sorted().collect();
        assert_eq!(pairs, [("B", "6"), ("a", "7"), ("b", "4"), ("c", "5")]);
    }

    #[test]
    fn from_decoded_sorts_once_and_keeps_the_last_value_of_a_repeated_key() {
        let pairs = |list: &[(&str, &str)]| -> Vec<(Cow<'static, str>, CompactString)> {
            list.iter()
                .map(|(k, v)| (Cow::Owned(k.to_string()), CompactString::from(*v)))
                .collect()
        };
        let ext = ExtFields::from_decoded(pairs(&[("b", "1"), ("a", "2"), ("b", "3"), ("b", "4")]));
        let all: Vec<(&str, &str)> = ext.iter().collect();
        assert_eq!(all, [("a", "2"), ("b", "4")]);
        // Many keys in a hostile order: sorted, found by bisection, still a working map.
        let n = 20_000;
        let reversed: Vec<String> = (0..n).rev().map(|i| format!("k{i:05}")).collect();
        let list: Vec<(&str, &str)> = reversed.iter().map(|k| (k.as_str(), "v")).collect();
        let mut ext = ExtFields::from_decoded(pairs(&list));
        assert_eq!(ext.len(), n);
        assert_eq!(ext.get("k00000"), Some("v"));
        assert_eq!(ext.get("k19999"), Some("v"));
        assert_eq!(ext.get("k2"), None);
        assert_eq!(ext.insert("k00007", "w"), Some("v".to_string()));
        assert_eq!(ext.get("k00007"), Some("w"));
        assert_eq!(ext.insert("a", "new"), None);
        assert_eq!(ext.get("a"), Some("new"));
        assert_eq!(ext.sorted().next(), Some(("a", "new")));
        assert_eq!(ext.len(), n + 1);
    }

    #[test]
    fn iteration_is_key_order_whatever_the_insertion_order() {
        let mut ext = ExtFields::new();
        ext.insert("b", "1");
        ext.insert("a", "2");
        ext.insert("b", "3");
        ext.insert("AccessKey", "k");
        ext.insert("ab", "4");
        let pairs: Vec<(&str, &str)> = (&ext).into_iter().collect();
        assert_eq!(
            pairs,
            [("AccessKey", "k"), ("a", "2"), ("ab", "4"), ("b", "3")]
        );
        assert_eq!(ext.iter().len(), 4);
    }

    #[test]
    fn static_keys_are_borrowed() {
        let mut ext = ExtFields::new();
        ext.insert("topic", "T");
        assert!(matches!(ext.entries[0].0, Cow::Borrowed("topic")));
    }

    proptest::proptest! {
        #[test]
        fn behaves_like_a_btree_map(
            pairs in proptest::collection::vec(("[a-d]{0,2}", "[x-z]{0,2}"), 0..40),
            removed in "[a-d]{0,2}",
            more in proptest::collection::vec(("[a-d]{0,2}", "[x-z]{0,2}"), 0..4),
        ) {
            let mut ext = ExtFields::new();
            let mut map = BTreeMap::new();
            for (k, v) in &pairs {
                let (old, expected) = (ext.insert(k.clone(), v.clone()), map.insert(k.clone(), v.clone()));
                proptest::prop_assert_eq!(old, expected);
            }
            proptest::prop_assert_eq!(&ext, &pairs.iter().cloned().collect::<ExtFields>());
            proptest::prop_assert_eq!(ext.remove(&removed), map.remove(&removed));
            for (k, v) in &more {
                let (old, expected) = (ext.insert(k.clone(), v.clone()), map.insert(k.clone(), v.clone()));
                proptest::prop_assert_eq!(old, expected);
            }
            let sorted: Vec<(&str, &str)> = map.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            proptest::prop_assert_eq!(ext.sorted().collect::<Vec<_>>(), sorted);
            proptest::prop_assert_eq!(ext.len(), map.len());
            for (k, v) in pairs.iter().chain(&more) {
                proptest::prop_assert_eq!(ext.get(k), map.get(k).map(String::as_str));
                proptest::prop_assert_eq!(ext.contains_key(v), map.contains_key(v));
            }
        }
    }

    #[test]
    #[should_panic(expected = "no entry found for key \"missing\"")]
    fn index_panics_naming_the_key() {
        let ext = ExtFields::new();
        let _ = &ext["missing"];
    }
}
