//! The JSON header (serialize type 0): written exactly as fastjson writes `RemotingCommand`
//! (properties in alphabetical order, nulls left out), read leniently: numbers and booleans inside
//! extFields, a missing `serializeTypeCurrentRPC`, language by name or ordinal (client-quirks.md).

use super::codes::LanguageCode;
use super::command::{ExtFields, RemotingCommand, SerializeType};
use crate::protocol::fastjson::{self, parser};
use serde::Serialize;
use serde_json::Value;

/// A JSON header that is not an object or whose fields have impossible types.
#[derive(Debug, thiserror::Error)]
pub enum JsonHeaderError {
    #[error(transparent)]
    Syntax(#[from] parser::ParseError),
    #[error("JSON header is not an object")]
    NotAnObject,
    #[error("JSON header field {field} has a bad value: {value}")]
    BadField { field: &'static str, value: String },
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonHeader<'a> {
    code: i32,
    ext_fields: Option<&'a ExtFields>,
    flag: i32,
    language: Option<&'static str>,
    opaque: i32,
    remark: Option<&'a str>,
    #[serde(rename = "serializeTypeCurrentRPC")]
    serialize_type_current_rpc: &'static str,
    version: i32,
}

/// Encode the header of `cmd` as fastjson would.
pub fn encode(cmd: &RemotingCommand) -> Vec<u8> {
    let header = JsonHeader {
        code: cmd.code,
        ext_fields: (!cmd.ext_fields.is_empty()).then_some(&cmd.ext_fields),
        flag: cmd.flag,
        language: cmd.language.map(LanguageCode::name),
        opaque: cmd.opaque,
        remark: cmd.remark.as_deref(),
        serialize_type_current_rpc: SerializeType::Json.name(),
        version: cmd.version,
    };
    // The header holds only strings and integers, which always serialise.
    fastjson::to_vec(&header).unwrap_or_default()
}

/// Decode a JSON header; the body is attached by the frame decoder.
pub fn decode(bytes: &[u8]) -> Result<RemotingCommand, JsonHeaderError> {
    let value = parser::parse(bytes)?;
    let obj = value.as_object().ok_or(JsonHeaderError::NotAnObject)?;
    let mut cmd = RemotingCommand::request_code(0);
    cmd.language = Some(LanguageCode::JAVA);
    cmd.version = 0;
    cmd.serialize_type = SerializeType::Json;
    for (key, v) in obj {
        match key.as_str() {
            "code" => cmd.code = int_field("code", v)?,
            "flag" => cmd.flag = int_field("flag", v)?,
            "opaque" => cmd.opaque = int_field("opaque", v)?,
            "version" => cmd.version = int_field("version", v)?,
            "language" => cmd.language = language(v),
            "remark" => cmd.remark = scalar_text(v),
            "extFields" => cmd.ext_fields = ext_fields(v)?,
            _ => {} // serializeTypeCurrentRPC and unknown properties are ignored, as in Java.
        }
    }
    Ok(cmd)
}

fn int_field(field: &'static str, v: &Value) -> Result<i32, JsonHeaderError> {
    let parsed = match v {
        Value::Null => Some(0),
        Value::Number(n) => n.as_i64().and_then(|i| i32::try_from(i).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    parsed.ok_or_else(|| JsonHeaderError::BadField {
        field,
        value: v.to_string(),
    })
}

/// Java reads the enum by name; a number is taken as the ordinal; unknown names become null.
fn language(v: &Value) -> Option<LanguageCode> {
    match v {
        Value::String(s) => LanguageCode::from_name(s),
        Value::Number(n) => n
            .as_u64()
            .and_then(|i| u8::try_from(i).ok())
            .and_then(LanguageCode::from_code),
        _ => None,
    }
}

/// A scalar as the string Java would hold; null stays absent.
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn ext_fields(v: &Value) -> Result<ExtFields, JsonHeaderError> {
    match v {
        Value::Null => Ok(ExtFields::new()),
        Value::Object(map) => Ok(map
            .iter()
            .filter_map(|(k, v)| scalar_text(v).map(|t| (k.clone(), t)))
            .collect()),
        other => Err(JsonHeaderError::BadField {
            field: "extFields",
            value: other.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::remoting::codes::RequestCode;

    #[test]
    fn encodes_like_fastjson() {
        let mut cmd = RemotingCommand::request(RequestCode::GET_ROUTEINFO_BY_TOPIC);
        cmd.opaque = 7;
        cmd.version = 475;
        cmd.ext_fields.insert("topic".into(), "TopicTest".into());
        assert_eq!(
            String::from_utf8(encode(&cmd)).unwrap(),
            r#"{"code":105,"extFields":{"topic":"TopicTest"},"flag":0,"language":"JAVA","opaque":7,"serializeTypeCurrentRPC":"JSON","version":475}"#
        );
    }

    #[test]
    fn accepts_cpp_client_shapes() {
        let text = br#"{"code":10,"language":"CPP","version":63,"opaque":3,"flag":0,"remark":"","extFields":{"queueId":1,"sysFlag":0,"batch":"0","unitMode":false,"AccessKey":"","OnsChannel":"ALIYUN"}}"#;
        let cmd = decode(text).unwrap();
        assert_eq!(cmd.code, 10);
        assert_eq!(cmd.language, Some(LanguageCode::CPP));
        assert_eq!(cmd.ext_fields["queueId"], "1");
        assert_eq!(cmd.ext_fields["unitMode"], "false");
        assert_eq!(cmd.ext_fields["batch"], "0");
    }

    #[test]
    fn unknown_language_becomes_none_and_ordinal_is_accepted() {
        assert_eq!(
            decode(br#"{"code":1,"language":"COBOL"}"#)
                .unwrap()
                .language,
            None
        );
        assert_eq!(
            decode(br#"{"code":1,"language":9}"#).unwrap().language,
            Some(LanguageCode::GO)
        );
    }

    #[test]
    fn rejects_non_object_and_bad_code() {
        assert!(matches!(decode(b"[1]"), Err(JsonHeaderError::NotAnObject)));
        assert!(decode(br#"{"code":"x"}"#).is_err());
        assert!(decode(br#"{"code":99999999999}"#).is_err());
    }
}
