//! What the send endpoints accept, checked into a [`GatewayMessage`] before anything is sent:
//! the JSON of `POST /send` (`backurl`, `data`, optional `topic`, `tags`, `keys`) and the body and
//! `X-Rmq-*` headers of `POST /topics/{topic}/messages`. Every refusal says what is wrong.

use super::allow_list::{AllowList, CallbackRefused};
use super::producer::GatewayMessage;
use crate::protocol::message::{MessageConst, NAME_VALUE_SEPARATOR, PROPERTY_SEPARATOR};
use bytes::Bytes;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;

/// Message property holding the callback URL of a `/send` message (read by the delivery side).
pub const BACKURL_PROPERTY: &str = "BACKURL";
/// The message's tag (RocketMQ has one tag per message).
pub const TAGS_HEADER: &str = "x-rmq-tags";
/// The message's keys, separated by spaces (the header may also repeat).
pub const KEYS_HEADER: &str = "x-rmq-keys";
/// One user property as `NAME=VALUE`; repeat the header for more. (A header per property name,
/// `X-Rmq-Prop-<name>`, would lose the name's case: HTTP header names are case-insensitive.)
pub const PROP_HEADER: &str = "x-rmq-prop";
/// Longest encoded properties a broker accepts (a Java `short` length).
const MAX_PROPERTIES_LENGTH: usize = 32_767;

/// Why a send request is refused before reaching a broker.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestRefused {
    /// HTTP 400.
    #[error("{0}")]
    Bad(String),
    /// HTTP 403: the backurl is not on the allow-list.
    #[error("{0}")]
    Forbidden(String),
}

impl RequestRefused {
    pub fn http_status(&self) -> u16 {
        match self {
            RequestRefused::Bad(_) => 400,
            RequestRefused::Forbidden(_) => 403,
        }
    }
}

fn bad(text: impl Into<String>) -> RequestRefused {
    RequestRefused::Bad(text.into())
}

/// `keys` as one space-separated string or as a list.
#[derive(Deserialize)]
#[serde(untagged)]
enum Keys<'a> {
    #[serde(borrow)]
    One(Cow<'a, str>),
    Many(Vec<Cow<'a, str>>),
}

/// The JSON of `POST /send`; unknown fields are ignored.
#[derive(Deserialize)]
struct SendBody<'a> {
    #[serde(borrow, default)]
    backurl: Option<Cow<'a, str>>,
    /// Kept as the client's JSON text (never re-serialised).
    #[serde(borrow, default)]
    data: Option<&'a RawValue>,
    #[serde(borrow, default)]
    topic: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    tags: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    keys: Option<Keys<'a>>,
}

/// Check the body of `POST /send`: the message stores `data`'s JSON text as its body and the
/// allowed, normalised `backurl` as its `BACKURL` property.
pub fn parse_send(
    body: &[u8],
    default_topic: &str,
    allow_list: &AllowList,
) -> Result<GatewayMessage, RequestRefused> {
    let parsed: SendBody = serde_json::from_slice(body).map_err(|e| {
        if e.is_data() {
            bad(format!(
                "the JSON does not have the expected shape: {e}; expected {{\"backurl\": \"https://...\", \"data\": {{...}}}}"
            ))
        } else {
            bad(format!("the body is not valid JSON: {e}"))
        }
    })?;
    let backurl = parsed
        .backurl
        .ok_or_else(|| bad("\"backurl\" is missing: the URL the message is delivered to"))?;
    let data = parsed
        .data
        .ok_or_else(|| bad("\"data\" is missing (or null): the message body, a JSON value"))?;
    let backurl = allow_list.check(&backurl).map_err(|e| match e {
        CallbackRefused::NotHttp(_) => bad(e.to_string()),
        CallbackRefused::NotAllowed(_) => RequestRefused::Forbidden(e.to_string()),
    })?;
    let topic = match &parsed.topic {
        Some(t) => checked_topic(t)?,
        None => default_topic.to_string(),
    };
    let mut properties = Vec::with_capacity(3);
    if let Some(tag) = &parsed.tags {
        properties.push((MessageConst::TAGS.to_string(), checked_tag(tag)?));
    }
    let keys = match &parsed.keys {
        None => Vec::new(),
        Some(Keys::One(text)) => split_keys(text),
        Some(Keys::Many(list)) => list.iter().map(|k| k.to_string()).collect(),
    };
    if let Some(joined) = checked_keys(&keys)? {
        properties.push((MessageConst::KEYS.to_string(), joined));
    }
    properties.push((
        BACKURL_PROPERTY.to_string(),
        checked_value("backurl", &backurl)?,
    ));
    let message = GatewayMessage {
        topic,
        body: Bytes::copy_from_slice(data.get().as_bytes()),
        properties,
    };
    checked_size(&message)?;
    Ok(message)
}

/// The headers of `POST /topics/{topic}/messages` that make a message.
#[derive(Debug, Default)]
pub struct MessageHeaders<'a> {
    pub tags: Option<&'a str>,
    /// Every `X-Rmq-Keys` header value.
    pub keys: Vec<&'a str>,
    /// Every `X-Rmq-Prop` header value (`NAME=VALUE`).
    pub properties: Vec<&'a str>,
}

/// Check a `POST /topics/{topic}/messages` request: the body is the message as it is.
pub fn parse_topic_message(
    topic: &str,
    headers: &MessageHeaders,
    body: Bytes,
) -> Result<GatewayMessage, RequestRefused> {
    let topic = checked_topic(topic)?;
    if body.is_empty() {
        return Err(bad(
            "the body is empty: RocketMQ messages need at least 1 byte",
        ));
    }
    let mut properties = Vec::new();
    if let Some(tag) = headers.tags {
        properties.push((MessageConst::TAGS.to_string(), checked_tag(tag)?));
    }
    let keys: Vec<String> = headers.keys.iter().flat_map(|k| split_keys(k)).collect();
    if let Some(joined) = checked_keys(&keys)? {
        properties.push((MessageConst::KEYS.to_string(), joined));
    }
    for pair in &headers.properties {
        let (name, value) = pair.split_once('=').ok_or_else(|| {
            bad(format!(
                "X-Rmq-Prop {pair:?} is not NAME=VALUE (one property per header)"
            ))
        })?;
        let name = name.trim();
        if name.is_empty() || has_separator(name) || name.chars().any(char::is_whitespace) {
            return Err(bad(format!(
                "X-Rmq-Prop {pair:?}: the property name must be non-empty, without spaces or control characters"
            )));
        }
        if is_reserved_property(name) {
            return Err(bad(format!(
                "X-Rmq-Prop {pair:?}: {name} is a property RocketMQ or the gateway sets itself; use X-Rmq-Tags / X-Rmq-Keys for tags and keys, or another name"
            )));
        }
        if properties.iter().any(|(n, _)| n == name) {
            return Err(bad(format!("X-Rmq-Prop: property {name} is given twice")));
        }
        properties.push((name.to_string(), checked_value(name, value.trim())?));
    }
    let message = GatewayMessage {
        topic,
        body,
        properties,
    };
    checked_size(&message)?;
    Ok(message)
}

/// Property names that RocketMQ, its clients or the gateway set: a client may not set them.
fn is_reserved_property(name: &str) -> bool {
    const RESERVED: &[&str] = &[
        MessageConst::KEYS,
        MessageConst::TAGS,
        MessageConst::WAIT_STORE_MSG_OK,
        MessageConst::DELAY_TIME_LEVEL,
        MessageConst::RETRY_TOPIC,
        MessageConst::REAL_TOPIC,
        MessageConst::REAL_QUEUE_ID,
        MessageConst::TRANSACTION_PREPARED,
        MessageConst::PRODUCER_GROUP,
        MessageConst::MIN_OFFSET,
        MessageConst::MAX_OFFSET,
        MessageConst::UNIQ_CLIENT_MESSAGE_ID_KEYIDX,
        MessageConst::ORIGIN_MESSAGE_ID,
        MessageConst::RECONSUME_TIME,
        MessageConst::MAX_RECONSUME_TIMES,
        MessageConst::TRANSACTION_ID,
        MessageConst::TRANSACTION_PREPARED_QUEUE_OFFSET,
        MessageConst::TRANSACTION_CHECK_TIMES,
        MessageConst::CHECK_IMMUNITY_TIME_IN_SECONDS,
        MessageConst::CLUSTER,
        MessageConst::MSG_REGION,
        MessageConst::TRACE_SWITCH,
        MessageConst::CONSUME_START_TIMESTAMP,
        BACKURL_PROPERTY,
    ];
    RESERVED.contains(&name)
}

/// A topic a client may send to: a valid name that is not a system, retry or dead-letter topic.
fn checked_topic(topic: &str) -> Result<String, RequestRefused> {
    crate::admin::topics::validate_topic_name(topic).map_err(|e| bad(e.to_string()))?;
    let system = topic.starts_with('%') || crate::protocol::system_topics::is_system_topic(topic);
    if system {
        return Err(bad(format!(
            "topic {topic:?} is a system, retry or dead-letter topic; the gateway sends only to application topics"
        )));
    }
    Ok(topic.to_string())
}

fn checked_tag(tag: &str) -> Result<String, RequestRefused> {
    let tag = tag.trim();
    if tag.is_empty() || has_separator(tag) || tag.contains("||") {
        return Err(bad(format!(
            "tags {tag:?}: one non-empty tag without control characters or \"||\" (a message has one tag)"
        )));
    }
    Ok(tag.to_string())
}

fn split_keys(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_string).collect()
}

/// The keys joined with spaces (RocketMQ's KEYS format), `None` when there are none.
fn checked_keys(keys: &[String]) -> Result<Option<String>, RequestRefused> {
    if keys.is_empty() {
        return Ok(None);
    }
    if let Some(k) = keys
        .iter()
        .find(|k| k.is_empty() || has_separator(k) || k.contains(' '))
    {
        return Err(bad(format!(
            "key {k:?}: keys are non-empty and hold no spaces or control characters"
        )));
    }
    Ok(Some(keys.join(" ")))
}

fn checked_value(name: &str, value: &str) -> Result<String, RequestRefused> {
    if value.is_empty() || has_separator(value) {
        return Err(bad(format!(
            "{name}: the value must be non-empty and hold no control characters 0x01/0x02"
        )));
    }
    Ok(value.to_string())
}

fn has_separator(text: &str) -> bool {
    text.contains([NAME_VALUE_SEPARATOR, PROPERTY_SEPARATOR]) || text.contains(char::is_control)
}

fn checked_size(message: &GatewayMessage) -> Result<(), RequestRefused> {
    let length: usize = message
        .properties
        .iter()
        .map(|(n, v)| n.len() + v.len() + 2)
        .sum();
    // Room for the unique id and WAIT the producer adds.
    if length + 64 > MAX_PROPERTIES_LENGTH {
        return Err(bad(format!(
            "the message's properties (tags, keys, backurl, X-Rmq-Prop) take {length} bytes; brokers accept at most {MAX_PROPERTIES_LENGTH}"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allow() -> AllowList {
        AllowList::parse(&["http://127.0.0.1:9/hooks/".into()]).unwrap()
    }

    fn send(body: &str) -> Result<GatewayMessage, RequestRefused> {
        parse_send(body.as_bytes(), "HTTP_GATEWAY", &allow())
    }

    fn property<'a>(m: &'a GatewayMessage, name: &str) -> Option<&'a str> {
        m.properties
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn a_send_keeps_data_as_sent_and_the_backurl_as_a_property() {
        let m = send(
            r#"{"backurl":"http://127.0.0.1:9/hooks/a","data": {"order": 7, "x": [1, 2]},"tags":"paid","keys":["k1","k2"]}"#,
        )
        .unwrap();
        assert_eq!(m.topic, "HTTP_GATEWAY");
        assert_eq!(&m.body[..], br#"{"order": 7, "x": [1, 2]}"#);
        assert_eq!(
            property(&m, BACKURL_PROPERTY),
            Some("http://127.0.0.1:9/hooks/a")
        );
        assert_eq!(property(&m, "TAGS"), Some("paid"));
        assert_eq!(property(&m, "KEYS"), Some("k1 k2"));
        let m = send(
            r#"{"backurl":"http://127.0.0.1:9/hooks/","data":1,"topic":"Orders","keys":"a b"}"#,
        )
        .unwrap();
        assert_eq!(m.topic, "Orders");
        assert_eq!(property(&m, "KEYS"), Some("a b"));
    }

    #[test]
    fn bad_sends_say_why() {
        let cases = [
            ("", "not valid JSON"),
            ("{", "not valid JSON"),
            ("[1]", "expected shape"),
            (r#"{"data":{}}"#, "\"backurl\" is missing"),
            (
                r#"{"backurl":"http://127.0.0.1:9/hooks/"}"#,
                "\"data\" is missing",
            ),
            (
                r#"{"backurl":"http://127.0.0.1:9/hooks/","data":null}"#,
                "\"data\" is missing",
            ),
            (
                r#"{"backurl":"ftp://127.0.0.1:9/hooks/","data":{}}"#,
                "not an http or https URL",
            ),
            (
                r#"{"backurl":"http://127.0.0.1:9/hooks/","data":{},"topic":"a b"}"#,
                "contains ' '",
            ),
            (
                r#"{"backurl":"http://127.0.0.1:9/hooks/","data":{},"topic":"%DLQ%g"}"#,
                "dead-letter",
            ),
            (
                r#"{"backurl":"http://127.0.0.1:9/hooks/","data":{},"tags":"a||b"}"#,
                "one tag",
            ),
            (
                r#"{"backurl":"http://127.0.0.1:9/hooks/","data":{},"keys":["a b"]}"#,
                "no spaces",
            ),
            (r#"{"backurl":5,"data":{}}"#, "expected shape"),
        ];
        for (body, why) in cases {
            match send(body) {
                Err(RequestRefused::Bad(text)) => assert!(text.contains(why), "{body}: {text}"),
                other => panic!("{body}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_backurl_off_the_list_is_forbidden() {
        let e = send(r#"{"backurl":"http://evil.example/","data":{}}"#).unwrap_err();
        assert_eq!(e.http_status(), 403);
    }

    #[test]
    fn topic_messages_take_tags_keys_and_properties_from_headers() {
        let headers = MessageHeaders {
            tags: Some("t"),
            keys: vec!["a b", "c"],
            properties: vec!["orderId=42", "region = eu"],
        };
        let m = parse_topic_message("Orders", &headers, Bytes::from_static(b"raw")).unwrap();
        assert_eq!(&m.body[..], b"raw");
        assert_eq!(property(&m, "KEYS"), Some("a b c"));
        assert_eq!(property(&m, "orderId"), Some("42"));
        assert_eq!(property(&m, "region"), Some("eu"));
        for props in [
            vec!["novalue"],
            vec!["BACKURL=http://x/"],
            vec!["a=1", "a=2"],
            vec!["=1"],
        ] {
            let headers = MessageHeaders {
                properties: props.clone(),
                ..Default::default()
            };
            assert!(
                parse_topic_message("Orders", &headers, Bytes::from_static(b"x")).is_err(),
                "{props:?}"
            );
        }
        assert!(parse_topic_message("Orders", &MessageHeaders::default(), Bytes::new()).is_err());
    }
}
