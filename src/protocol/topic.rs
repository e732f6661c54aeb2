//! Topic metadata bodies: `TopicConfig`, `DataVersion`, `TopicConfigSerializeWrapper`,
//! `RegisterBrokerBody` (plain JSON and the deprecated zlib-compressed form) and `TopicList`
//! (remoting-protocol.md 5.4 and 5.8).

use super::perm;
use bytes::{Buf, BufMut};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};

/// The topic every broker registers so producers can auto-create topics through it.
pub const AUTO_CREATE_TOPIC_KEY: &str = "TBW102";

/// `TopicFilterType` name used by every current client.
pub const SINGLE_TAG: &str = "SINGLE_TAG";

/// A topic's configuration on one broker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TopicConfig {
    pub attributes: BTreeMap<String, String>,
    pub order: bool,
    pub perm: i32,
    pub read_queue_nums: i32,
    pub topic_filter_type: String,
    pub topic_name: String,
    pub topic_sys_flag: i32,
    pub write_queue_nums: i32,
}

impl Default for TopicConfig {
    fn default() -> Self {
        TopicConfig {
            attributes: BTreeMap::new(),
            order: false,
            perm: perm::READ | perm::WRITE,
            read_queue_nums: 16,
            topic_filter_type: SINGLE_TAG.into(),
            topic_name: String::new(),
            topic_sys_flag: 0,
            write_queue_nums: 16,
        }
    }
}

impl TopicConfig {
    /// A read-write topic with the same number of read and write queues.
    pub fn new(name: &str, queues: i32) -> Self {
        TopicConfig {
            topic_name: name.into(),
            read_queue_nums: queues,
            write_queue_nums: queues,
            ..Default::default()
        }
    }

    /// Java's `TopicConfig.encode()` used in compressed registrations: space separated,
    /// topicSysFlag and order are not carried.
    pub fn encode_compact(&self) -> String {
        let attrs = super::fastjson::to_string(&self.attributes).unwrap_or_else(|_| "{}".into());
        format!(
            "{} {} {} {} {} {}",
            self.topic_name,
            self.read_queue_nums,
            self.write_queue_nums,
            self.perm,
            self.topic_filter_type,
            attrs
        )
    }

    /// Parse `TopicConfig.encode()` text.
    pub fn decode_compact(text: &str) -> Option<TopicConfig> {
        let mut parts = text.splitn(6, ' ');
        let topic_name = parts.next()?.to_string();
        let read_queue_nums = parts.next()?.parse().ok()?;
        let write_queue_nums = parts.next()?.parse().ok()?;
        let perm = parts.next()?.parse().ok()?;
        let topic_filter_type = parts.next()?.to_string();
        let attributes = parts
            .next()
            .and_then(|a| super::fastjson::from_slice(a.as_bytes()).ok())
            .unwrap_or_default();
        Some(TopicConfig {
            attributes,
            order: false,
            perm,
            read_queue_nums,
            topic_filter_type,
            topic_name,
            topic_sys_flag: 0,
            write_queue_nums,
        })
    }
}

/// A version stamp for a broker's metadata; the name server refreshes routes when it changes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DataVersion {
    pub counter: i64,
    pub state_version: i64,
    pub timestamp: i64,
}

impl DataVersion {
    /// A fresh version stamped now.
    pub fn now() -> Self {
        DataVersion {
            counter: 0,
            state_version: 0,
            timestamp: crate::calendar::now_millis(),
        }
    }

    /// Java's `nextVersion`: bump the counter and the timestamp.
    pub fn next(&mut self) {
        self.counter += 1;
        self.timestamp = crate::calendar::now_millis();
    }
}

/// All topic configs of a broker with their version (GET_ALL_TOPIC_CONFIG, registration).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TopicConfigSerializeWrapper {
    pub data_version: DataVersion,
    pub mapping_data_version: Option<DataVersion>,
    pub topic_config_table: BTreeMap<String, TopicConfig>,
    pub topic_queue_mapping_detail_map: Option<serde_json::Value>,
    pub topic_queue_mapping_info_map: Option<serde_json::Value>,
}

/// REGISTER_BROKER body.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RegisterBrokerBody {
    pub filter_server_list: Vec<String>,
    pub topic_config_serialize_wrapper: TopicConfigSerializeWrapper,
}

/// A compressed registration body that does not inflate or parse.
#[derive(Debug, thiserror::Error)]
pub enum CompressedBodyError {
    #[error("compressed registration body does not inflate: {0}")]
    Inflate(#[from] std::io::Error),
    #[error("compressed registration body is truncated at {0}")]
    Truncated(&'static str),
    #[error("compressed registration body: bad {0}")]
    Bad(&'static str),
}

/// Inflated bodies larger than this are refused (a zip bomb guard; twice the frame limit, far
/// above what a registration of thousands of topics needs).
const MAX_INFLATED: u64 = 32 * 1024 * 1024;

impl RegisterBrokerBody {
    /// Decode the zlib form (`RegisterBrokerBody.encode(true)`); the mapping section that 5.x
    /// brokers append is read and dropped.
    pub fn decode_compressed(data: &[u8]) -> Result<Self, CompressedBodyError> {
        let mut raw = Vec::new();
        flate2::read::ZlibDecoder::new(data)
            .take(MAX_INFLATED)
            .read_to_end(&mut raw)?;
        let mut buf = &raw[..];
        let version: DataVersion = serde_slice(take_chunk(&mut buf, "data version")?)
            .ok_or(CompressedBodyError::Bad("data version JSON"))?;
        let count = take_i32(&mut buf, "topic count")?;
        let mut body = RegisterBrokerBody::default();
        body.topic_config_serialize_wrapper.data_version = version;
        for _ in 0..count.max(0) {
            let text = std::str::from_utf8(take_chunk(&mut buf, "topic config")?)
                .map_err(|_| CompressedBodyError::Bad("topic config text"))?;
            let tc = TopicConfig::decode_compact(text)
                .ok_or(CompressedBodyError::Bad("topic config text"))?;
            body.topic_config_serialize_wrapper
                .topic_config_table
                .insert(tc.topic_name.clone(), tc);
        }
        if !buf.is_empty() {
            body.filter_server_list = serde_slice(take_chunk(&mut buf, "filter servers")?)
                .ok_or(CompressedBodyError::Bad("filter server JSON"))?;
        }
        Ok(body)
    }

    /// Encode the zlib form as a 4.x broker does (no mapping section).
    pub fn encode_compressed(&self) -> Vec<u8> {
        let mut raw = Vec::new();
        let wrapper = &self.topic_config_serialize_wrapper;
        put_chunk(&mut raw, &json(&wrapper.data_version));
        raw.put_i32(wrapper.topic_config_table.len() as i32);
        for tc in wrapper.topic_config_table.values() {
            put_chunk(&mut raw, tc.encode_compact().as_bytes());
        }
        put_chunk(&mut raw, &json(&self.filter_server_list));
        let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        // Writing into a Vec can not fail.
        let _ = enc.write_all(&raw);
        enc.finish().unwrap_or_default()
    }
}

fn json<T: Serialize>(v: &T) -> Vec<u8> {
    crate::protocol::fastjson::to_vec(v).unwrap_or_default()
}

fn serde_slice<T: serde::de::DeserializeOwned>(b: &[u8]) -> Option<T> {
    crate::protocol::fastjson::from_slice(b).ok()
}

fn take_i32(buf: &mut &[u8], what: &'static str) -> Result<i32, CompressedBodyError> {
    if buf.len() < 4 {
        return Err(CompressedBodyError::Truncated(what));
    }
    Ok(buf.get_i32())
}

fn take_chunk<'a>(buf: &mut &'a [u8], what: &'static str) -> Result<&'a [u8], CompressedBodyError> {
    let len = take_i32(buf, what)?.max(0) as usize;
    if buf.len() < len {
        return Err(CompressedBodyError::Truncated(what));
    }
    let (chunk, rest) = buf.split_at(len);
    *buf = rest;
    Ok(chunk)
}

fn put_chunk(out: &mut Vec<u8>, data: &[u8]) {
    out.put_i32(data.len() as i32);
    out.put_slice(data);
}

/// A set of topic names (GET_ALL_TOPIC_LIST_FROM_NAMESERVER, GET_TOPICS_BY_CLUSTER...).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TopicList {
    pub broker_addr: Option<String>,
    pub topic_list: BTreeSet<String>,
}
