//! The JSON header (serialize type 0): written exactly as fastjson writes `RemotingCommand`
//! (properties in alphabetical order, nulls left out), read leniently: numbers and booleans inside
//! extFields, a missing `serializeTypeCurrentRPC`, language by name or ordinal (client-quirks.md).

use super::codes::LanguageCode;
use super::command::{RemotingCommand, SerializeType};
use super::ext_fields::{ExtFields, MAX_EXT_FIELDS};
use crate::protocol::fastjson::parser;
use bytes::BufMut;
use serde_json::Value;

mod scan;

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

/// `"serializeTypeCurrentRPC":"JSON"`: this side always writes JSON headers as JSON.
const SERIALIZE_TYPE_JSON: &[u8] = b"\"serializeTypeCurrentRPC\":\"JSON\"";

/// Encode the header of `cmd` as fastjson would.
pub fn encode(cmd: &RemotingCommand) -> Vec<u8> {
    let mut out = Vec::with_capacity(encoded_len_hint(cmd));
    write_header(cmd, &mut out);
    out
}

thread_local! {
    /// Where [`encode_into`] builds a header before copying it out in one piece: `Vec` pushes
    /// are inlined where a `BufMut` takes a call per piece, and a header has ~60 pieces.
    static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Append the header of `cmd` to `out`, byte for byte what fastjson writes for `RemotingCommand`:
/// properties in alphabetical order, null ones left out, strings escaped as `fastjson::writer`.
pub fn encode_into<B: BufMut>(cmd: &RemotingCommand, out: &mut B) {
    SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut buf) => {
            buf.clear();
            write_header(cmd, &mut buf);
            out.put_slice(&buf);
        }
        // Only reachable if a header were encoded while encoding one; never the case.
        Err(_) => out.put_slice(&encode(cmd)),
    })
}

fn write_header(cmd: &RemotingCommand, out: &mut Vec<u8>) {
    out.reserve(encoded_len_hint(cmd));
    out.extend_from_slice(b"{\"code\":");
    put_int(out, i64::from(cmd.code));
    if !cmd.ext_fields.is_empty() {
        out.extend_from_slice(b",\"extFields\":");
        put_ext_fields(out, &cmd.ext_fields);
    }
    out.extend_from_slice(b",\"flag\":");
    put_int(out, i64::from(cmd.flag));
    if let Some(language) = cmd.language {
        out.extend_from_slice(b",\"language\":\"");
        out.extend_from_slice(language.name().as_bytes());
        out.push(b'"');
    }
    out.extend_from_slice(b",\"opaque\":");
    put_int(out, i64::from(cmd.opaque));
    if let Some(remark) = &cmd.remark {
        out.extend_from_slice(b",\"remark\":");
        put_escaped(out, remark);
    }
    out.push(b',');
    out.extend_from_slice(SERIALIZE_TYPE_JSON);
    out.extend_from_slice(b",\"version\":");
    put_int(out, i64::from(cmd.version));
    out.push(b'}');
}

/// A capacity that holds most headers without growing.
pub fn encoded_len_hint(cmd: &RemotingCommand) -> usize {
    let ext: usize = cmd
        .ext_fields
        .iter()
        .map(|(k, v)| k.len() + v.len() + 6)
        .sum();
    128 + ext + cmd.remark.as_ref().map_or(0, String::len)
}

fn put_ext_fields(out: &mut Vec<u8>, ext: &ExtFields) {
    out.push(b'{');
    for (i, (key, value)) in ext.sorted().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        put_escaped(out, key);
        out.push(b':');
        put_escaped(out, value);
    }
    out.push(b'}');
}

/// Decimal text of `v` without allocating.
fn put_int(out: &mut Vec<u8>, v: i64) {
    let mut buf = [0u8; 20];
    let mut pos = buf.len();
    let mut n = v.unsigned_abs();
    loop {
        pos -= 1;
        buf[pos] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if v < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(&buf[pos..]);
}

/// The bytes fastjson escapes inside a string: the control characters, `"` and `\`.
const NEEDS_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

/// A quoted string escaped exactly as `fastjson::writer` does in its default style (non-ASCII
/// passes through, so escaping byte by byte gives the same text as char by char).
fn put_escaped(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !NEEDS_ESCAPE[usize::from(b)] {
            continue;
        }
        out.extend_from_slice(&bytes[run..i]);
        run = i + 1;
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            8 => out.extend_from_slice(b"\\b"),
            12 => out.extend_from_slice(b"\\f"),
            _ => put_unicode_escape(out, b),
        }
    }
    out.extend_from_slice(&bytes[run..]);
    out.push(b'"');
}

/// `\u00XX` with uppercase hex, as the writer spells other control characters.
fn put_unicode_escape(out: &mut Vec<u8>, b: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.extend_from_slice(&[
        b'\\',
        b'u',
        b'0',
        b'0',
        HEX[usize::from(b >> 4)],
        HEX[usize::from(b & 0xF)],
    ]);
}

/// Decode a JSON header; the body is attached by the frame decoder. The common shape is read by
/// a direct scanner ([`decode_fast`]); anything else goes through the lenient fastjson reader.
pub fn decode(bytes: &[u8]) -> Result<RemotingCommand, JsonHeaderError> {
    match decode_fast(bytes) {
        Some(cmd) => Ok(cmd),
        None => decode_lenient(bytes),
    }
}

/// The fast path alone: `None` when the header is not in the plain shape it understands (the
/// lenient reader then decides). Whenever it answers, the answer equals [`decode_lenient`]'s.
pub fn decode_fast(bytes: &[u8]) -> Option<RemotingCommand> {
    let mut scanner = scan::Scanner::new(bytes)?;
    let mut cmd = empty_command();
    scanner.header(&mut cmd)?;
    Some(cmd)
}

/// Decode a JSON header with the lenient fastjson reader (every client-quirks.md shape). An
/// object or array with more than [`MAX_EXT_FIELDS`] entries (extFields above all) is refused
/// as soon as it is seen, before anything else is built.
pub fn decode_lenient(bytes: &[u8]) -> Result<RemotingCommand, JsonHeaderError> {
    let value = parser::parse_limited(bytes, MAX_EXT_FIELDS)?;
    let obj = value.as_object().ok_or(JsonHeaderError::NotAnObject)?;
    let mut cmd = empty_command();
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

/// What a header with no properties decodes to (Java's defaults).
fn empty_command() -> RemotingCommand {
    let mut cmd = RemotingCommand::request_code(0);
    cmd.language = Some(LanguageCode::JAVA);
    cmd.version = 0;
    cmd.serialize_type = SerializeType::Json;
    cmd
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
        Value::Object(map) => Ok(ExtFields::from_decoded(
            map.iter()
                .filter_map(|(k, v)| scalar_text(v).map(|t| (k.clone().into(), t.into())))
                .collect(),
        )),
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
        cmd.ext_fields.insert("topic", "TopicTest");
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
    fn fast_path_reads_java_and_cpp_headers() {
        let java = br#"{"code":105,"extFields":{"topic":"TopicTest"},"flag":0,"language":"JAVA","opaque":7,"serializeTypeCurrentRPC":"JSON","version":475}"#;
        let cpp = br#"{"code":10,"language":"CPP","version":63,"opaque":3,"flag":0,"remark":"","extFields":{"queueId":1,"sysFlag":0,"batch":"0","unitMode":false,"AccessKey":"","OnsChannel":"ALIYUN"}}"#;
        for text in [&java[..], &cpp[..]] {
            let fast = decode_fast(text).expect("plain shape");
            assert_eq!(fast, decode_lenient(text).unwrap());
        }
    }

    #[test]
    fn fast_path_leaves_quirks_to_the_lenient_reader() {
        for text in [
            &b"{code:105}"[..],
            b"{'code':105}",
            b"{\"code\":105,}",
            b"{\"code\":1.0}",
            b"{\"code\":-0}",
            b"{\"code\":007}",
            b"{\"code\":1L}",
            b"{\"code\":null}",
            b"{\"remark\":\"\\uD83D\\uDE00\"}",
            b"{\"remark\":\"\\u+041\"}",
            b"{\"remark\":\"\\x41\"}",
            b"{\"extFields\":{\"a\":{\"b\":1}}}",
            b"{\"extFields\":{\"a\":null}}",
            b"\xEF\xBB\xBF{\"code\":1}",
            b"{\"code\":1} x",
        ] {
            assert!(
                decode_fast(text).is_none(),
                "{}",
                String::from_utf8_lossy(text)
            );
        }
    }

    /// A header with `n` extFields keys in descending order (the worst order for a scan).
    fn header_with_keys(n: usize) -> String {
        let keys: Vec<String> = (0..n).rev().map(|i| format!("\"k{i}\":\"v\"")).collect();
        format!(
            "{{\"code\":105,\"extFields\":{{{}}},\"flag\":0,\"opaque\":1}}",
            keys.join(",")
        )
    }

    #[test]
    fn extfields_up_to_the_cap_decode_on_both_paths_and_more_are_refused() {
        let at_cap = header_with_keys(MAX_EXT_FIELDS);
        let fast = decode_fast(at_cap.as_bytes()).expect("plain shape");
        assert_eq!(fast.ext_fields.len(), MAX_EXT_FIELDS);
        assert_eq!(fast.ext_fields.get("k0"), Some("v"));
        assert_eq!(decode_lenient(at_cap.as_bytes()).unwrap(), fast);
        let over = header_with_keys(100_000);
        assert!(decode_fast(over.as_bytes()).is_none());
        let err = decode(over.as_bytes()).unwrap_err().to_string();
        assert!(err.contains("more than 4096 entries"), "{err}");
        // A lenient-only shape (bare names) over the cap is refused by the lenient reader too.
        let bare = over.replace("\"code\"", "code");
        assert!(decode(bare.as_bytes()).is_err());
    }

    #[test]
    fn rejects_non_object_and_bad_code() {
        assert!(matches!(decode(b"[1]"), Err(JsonHeaderError::NotAnObject)));
        assert!(decode(br#"{"code":"x"}"#).is_err());
        assert!(decode(br#"{"code":99999999999}"#).is_err());
    }

    mod props {
        use super::super::*;
        use proptest::prelude::*;
        use serde::Serialize;

        /// The serde-based encoder this module used before the direct writer: the reference.
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

        fn reference_encode(cmd: &RemotingCommand) -> Vec<u8> {
            crate::protocol::fastjson::to_vec(&JsonHeader {
                code: cmd.code,
                ext_fields: (!cmd.ext_fields.is_empty()).then_some(&cmd.ext_fields),
                flag: cmd.flag,
                language: cmd.language.map(LanguageCode::name),
                opaque: cmd.opaque,
                remark: cmd.remark.as_deref(),
                serialize_type_current_rpc: "JSON",
                version: cmd.version,
            })
            .unwrap()
        }

        fn text() -> impl Strategy<Value = String> {
            prop_oneof![
                "[a-zA-Z0-9_%@.:;-]{0,12}",
                any::<String>(),
                "[\"\\\\/\n\r\t\u{8}\u{c}\u{1}a\u{e9}\u{1F600}]{0,8}",
            ]
        }

        fn command() -> impl Strategy<Value = RemotingCommand> {
            (
                any::<(i32, i32, i32, i32)>(),
                prop::option::of(prop::sample::select(vec![
                    LanguageCode::JAVA,
                    LanguageCode::CPP,
                    LanguageCode::GO,
                    LanguageCode::RUST,
                ])),
                prop::option::of(text()),
                // Pairs in any order (the encoders sort), a repeated key keeping its last value.
                prop::collection::vec((text(), text()), 0..6),
            )
                .prop_map(|((code, flag, opaque, version), language, remark, ext)| {
                    let mut cmd = empty_command();
                    cmd.code = code;
                    cmd.flag = flag;
                    cmd.opaque = opaque;
                    cmd.version = version;
                    cmd.language = language;
                    cmd.remark = remark;
                    cmd.ext_fields = ext.into_iter().collect();
                    cmd
                })
        }

        /// Strings whose Rust `{:?}` form is also JSON.
        fn debug_text() -> impl Strategy<Value = String> {
            "[a-zA-Z0-9_ \"\\\\/\t\n\u{e9}\u{4e2d}]{0,8}"
        }

        /// Pieces of JSON, plain and quirky, glued at random: mostly garbage, sometimes headers.
        fn token() -> impl Strategy<Value = &'static str> {
            prop::sample::select(vec![
                "{",
                "}",
                ":",
                ",",
                " ",
                "\n",
                "\"code\"",
                "\"flag\"",
                "\"opaque\"",
                "\"version\"",
                "\"language\"",
                "\"remark\"",
                "\"extFields\"",
                "\"x\"",
                "\"JAVA\"",
                "\"GO\"",
                "1",
                "0",
                "-1",
                "-0",
                "007",
                "1.5",
                "1e3",
                "2147483648",
                "99999999999999999999",
                "true",
                "false",
                "null",
                "[",
                "]",
                "'a'",
                "code",
                "\"\\u0041\"",
                "\"\\n\\\"\"",
                "\"\\q\"",
                "\"\\u0001\\u0002\"",
                "\"\\uD83D\\uDE00\"",
                "\"\\uDE00\"",
                "\"\\u+041\"",
                "\"\\u00e9\"",
                "1L",
                "\"\u{e9}\"",
                "\"\\xff\"",
            ])
        }

        proptest! {
            #[test]
            fn direct_encoder_matches_the_serde_writer(cmd in command()) {
                prop_assert_eq!(encode(&cmd), reference_encode(&cmd));
            }

            #[test]
            fn encode_then_decode_round_trips(cmd in command()) {
                let bytes = encode(&cmd);
                let decoded = decode(&bytes).unwrap();
                let mut expected = cmd.clone();
                expected.language = cmd.language.or(Some(LanguageCode::JAVA));
                prop_assert_eq!(&decoded, &expected);
                prop_assert_eq!(&decode_lenient(&bytes).unwrap(), &expected);
                if let Some(fast) = decode_fast(&bytes) {
                    prop_assert_eq!(&fast, &expected);
                }
            }

            #[test]
            fn fast_path_takes_everything_the_encoder_writes(cmd in command()) {
                prop_assert!(decode_fast(&encode(&cmd)).is_some());
            }

            #[test]
            fn fast_and_lenient_paths_agree(tokens in prop::collection::vec(token(), 0..24)) {
                let text = tokens.concat();
                if let Some(fast) = decode_fast(text.as_bytes()) {
                    prop_assert_eq!(Some(fast), decode_lenient(text.as_bytes()).ok(), "{}", text);
                }
            }

            #[test]
            fn fast_and_lenient_paths_agree_on_headers_with_scalars(
                ext in prop::collection::vec((debug_text(), prop_oneof![
                    debug_text().prop_map(|t| format!("{t:?}")),
                    any::<i64>().prop_map(|i| i.to_string()),
                    any::<bool>().prop_map(|b| b.to_string()),
                ]), 0..6),
                code in any::<i32>(),
                ws in "[ \t\r\n]{0,2}",
            ) {
                let fields: Vec<String> = ext
                    .iter()
                    .map(|(k, v)| format!("{:?}{ws}:{ws}{v}", k))
                    .collect();
                let text = format!(
                    "{ws}{{{ws}\"code\":{code},\"extFields\":{{{}}}{ws},\"serializeTypeCurrentRPC\":\"JSON\"}}{ws}",
                    fields.join(",")
                );
                let lenient = decode_lenient(text.as_bytes()).ok();
                prop_assert!(lenient.is_some(), "{}", text);
                if let Some(fast) = decode_fast(text.as_bytes()) {
                    prop_assert_eq!(Some(fast), lenient, "{}", text);
                }
            }
        }
    }
}
