//! fastjson-compatible JSON for RocketMQ headers and bodies: a lenient reader (parser.rs) and a
//! writer that reproduces Java's output byte for byte (writer.rs).

pub mod parser;
pub mod writer;

pub use parser::ParseError;
pub use writer::{java_double, KeyStyle, WriteError};

use serde::de::DeserializeOwned;
use serde::Serialize;

/// A body that could not be read or written as fastjson.
#[derive(Debug, thiserror::Error)]
pub enum JsonError {
    #[error(transparent)]
    Parse(#[from] ParseError),
    #[error("JSON does not match the expected shape: {0}")]
    Shape(#[from] serde_json::Error),
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// Serialise as Java's fastjson does by default (raw numeric/object map keys).
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, JsonError> {
    Ok(writer::to_string_styled(value, KeyStyle::Fastjson)?)
}

/// Serialise with every map key quoted and sorted (RocketMQ's "standard JSON" route format).
pub fn to_string_standard<T: Serialize + ?Sized>(value: &T) -> Result<String, JsonError> {
    Ok(writer::to_string_styled(value, KeyStyle::Standard)?)
}

/// Serialise to bytes in the default fastjson style.
pub fn to_vec<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, JsonError> {
    to_string(value).map(String::into_bytes)
}

/// Read any of the JSON dialects fastjson accepts into a typed value.
pub fn from_slice<T: DeserializeOwned>(text: &[u8]) -> Result<T, JsonError> {
    let value = parser::parse(text)?;
    Ok(serde_json::from_value(value)?)
}

/// serde `with` helper for maps whose keys are objects (`Map<MessageQueue, V>`): written raw by
/// the fastjson writer, read back from either a raw object key or a string holding one.
pub mod key_map {
    use serde::de::{DeserializeOwned, Error as _};
    use serde::ser::SerializeMap;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::collections::BTreeMap;

    pub fn serialize<K, V, S>(map: &BTreeMap<K, V>, s: S) -> Result<S::Ok, S::Error>
    where
        K: Serialize,
        V: Serialize,
        S: Serializer,
    {
        let mut m = s.serialize_map(Some(map.len()))?;
        for (k, v) in map {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }

    pub fn deserialize<'de, K, V, D>(d: D) -> Result<BTreeMap<K, V>, D::Error>
    where
        K: DeserializeOwned + Ord,
        V: Deserialize<'de>,
        D: Deserializer<'de>,
    {
        let raw: BTreeMap<String, V> = BTreeMap::deserialize(d)?;
        let mut out = BTreeMap::new();
        for (k, v) in raw {
            let key = super::from_slice::<K>(k.as_bytes())
                .map_err(|e| D::Error::custom(format!("map key {k:?}: {e}")))?;
            out.insert(key, v);
        }
        Ok(out)
    }
}
