//! A serde `Serializer` that writes JSON the way Java's fastjson 1.2.x does for RocketMQ bodies:
//! compact, bean properties sorted by name, null properties and null map values omitted, non-string
//! map keys written raw (`{0:"a"}`, `{{"brokerName":..}:{..}}`), doubles in `Double.toString` form.
//!
//! Written by hand because no JSON crate can emit fastjson's non-standard map keys or its property
//! order rules; serde_json would quote numeric keys and reject object keys.

use serde::ser::{self, Serialize};
use std::fmt::Write as _;

/// How map keys and non-ASCII text are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyStyle {
    /// fastjson's default: numeric and object keys raw, map entries in map order.
    Fastjson,
    /// `BrowserCompatible + MapSortField` (standard route format, remoting-protocol.md Q10): every
    /// key quoted, map keys sorted, non-ASCII escaped as `\uXXXX`.
    Standard,
}

/// Error raised while serialising a body (only for values JSON can not express).
#[derive(Debug, thiserror::Error)]
#[error("fastjson serialisation: {0}")]
pub struct WriteError(String);

impl ser::Error for WriteError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        WriteError(msg.to_string())
    }
}

/// Serialise `value` as fastjson text.
pub fn to_string_styled<T: Serialize + ?Sized>(
    value: &T,
    style: KeyStyle,
) -> Result<String, WriteError> {
    let mut out = String::new();
    let written = value.serialize(ValueWriter {
        out: &mut out,
        style,
    })?;
    if !written {
        out.push_str("null");
    }
    Ok(out)
}

/// Java `Double.toString`: plain decimal with at least one fraction digit in [1e-3, 1e7),
/// otherwise `d.dddE±n`; shortest digits that round-trip.
pub fn java_double(v: f64) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if v == 0.0 {
        return if v.is_sign_negative() { "-0.0" } else { "0.0" }.into();
    }
    let abs = v.abs();
    if (1e-3..1e7).contains(&abs) {
        let s = format!("{v}");
        return if s.contains('.') { s } else { format!("{s}.0") };
    }
    let sci = format!("{v:e}"); // e.g. "1.23456789015e10", "1e-4"
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let mantissa = if mantissa.contains('.') {
        mantissa.to_string()
    } else {
        format!("{mantissa}.0")
    };
    format!("{mantissa}E{exp}")
}

fn write_escaped(out: &mut String, s: &str, style: KeyStyle) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c if style == KeyStyle::Standard && !c.is_ascii() => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{:04X}", unit);
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Writes one value. `Ok(false)` means the value was null and nothing was written, so the
/// enclosing struct or map can leave the property out as fastjson does.
struct ValueWriter<'a> {
    out: &'a mut String,
    style: KeyStyle,
}

macro_rules! write_display {
    ($($name:ident: $ty:ty),*) => {$(
        fn $name(self, v: $ty) -> Result<bool, WriteError> {
            let _ = write!(self.out, "{v}");
            Ok(true)
        }
    )*};
}

impl<'a> ser::Serializer for ValueWriter<'a> {
    type Ok = bool;
    type Error = WriteError;
    type SerializeSeq = SeqWriter<'a>;
    type SerializeTuple = SeqWriter<'a>;
    type SerializeTupleStruct = SeqWriter<'a>;
    type SerializeTupleVariant = SeqWriter<'a>;
    type SerializeMap = MapWriter<'a>;
    type SerializeStruct = StructWriter<'a>;
    type SerializeStructVariant = StructWriter<'a>;

    write_display!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64,
        serialize_i128: i128, serialize_u128: u128);

    fn serialize_bool(self, v: bool) -> Result<bool, WriteError> {
        self.out.push_str(if v { "true" } else { "false" });
        Ok(true)
    }
    fn serialize_f32(self, v: f32) -> Result<bool, WriteError> {
        self.serialize_f64(v as f64)
    }
    fn serialize_f64(self, v: f64) -> Result<bool, WriteError> {
        self.out.push_str(&java_double(v));
        Ok(true)
    }
    fn serialize_char(self, v: char) -> Result<bool, WriteError> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<bool, WriteError> {
        write_escaped(self.out, v, self.style);
        Ok(true)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<bool, WriteError> {
        use ser::SerializeSeq;
        let mut seq = self.serialize_seq(Some(v.len()))?;
        for b in v {
            seq.serialize_element(b)?;
        }
        seq.end()
    }
    fn serialize_none(self) -> Result<bool, WriteError> {
        Ok(false)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<bool, WriteError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<bool, WriteError> {
        Ok(false)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<bool, WriteError> {
        Ok(false)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<bool, WriteError> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<bool, WriteError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<bool, WriteError> {
        let _ = value;
        Err(WriteError(format!(
            "enum variant {variant} with data has no fastjson form"
        )))
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<SeqWriter<'a>, WriteError> {
        self.out.push('[');
        Ok(SeqWriter {
            out: self.out,
            style: self.style,
            first: true,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqWriter<'a>, WriteError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<SeqWriter<'a>, WriteError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<SeqWriter<'a>, WriteError> {
        Err(WriteError(format!(
            "tuple variant {variant} has no fastjson form"
        )))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<MapWriter<'a>, WriteError> {
        Ok(MapWriter {
            out: self.out,
            style: self.style,
            entries: Vec::new(),
            pending_key: None,
        })
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<StructWriter<'a>, WriteError> {
        Ok(StructWriter {
            out: self.out,
            style: self.style,
            fields: Vec::new(),
        })
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<StructWriter<'a>, WriteError> {
        Err(WriteError(format!(
            "struct variant {variant} has no fastjson form"
        )))
    }
}

/// Array writer: null elements are written as `null`.
pub struct SeqWriter<'a> {
    out: &'a mut String,
    style: KeyStyle,
    first: bool,
}

impl SeqWriter<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        let written = value.serialize(ValueWriter {
            out: self.out,
            style: self.style,
        })?;
        if !written {
            self.out.push_str("null");
        }
        Ok(())
    }
}

impl ser::SerializeSeq for SeqWriter<'_> {
    type Ok = bool;
    type Error = WriteError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        self.element(value)
    }
    fn end(self) -> Result<bool, WriteError> {
        self.out.push(']');
        Ok(true)
    }
}

impl ser::SerializeTuple for SeqWriter<'_> {
    type Ok = bool;
    type Error = WriteError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        self.element(value)
    }
    fn end(self) -> Result<bool, WriteError> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for SeqWriter<'_> {
    type Ok = bool;
    type Error = WriteError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        self.element(value)
    }
    fn end(self) -> Result<bool, WriteError> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleVariant for SeqWriter<'_> {
    type Ok = bool;
    type Error = WriteError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        self.element(value)
    }
    fn end(self) -> Result<bool, WriteError> {
        ser::SerializeSeq::end(self)
    }
}

/// Map writer: keys raw or quoted per [`KeyStyle`]; entries with null values are left out.
pub struct MapWriter<'a> {
    out: &'a mut String,
    style: KeyStyle,
    entries: Vec<(String, String)>,
    pending_key: Option<String>,
}

impl ser::SerializeMap for MapWriter<'_> {
    type Ok = bool;
    type Error = WriteError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), WriteError> {
        let mut text = String::new();
        key.serialize(ValueWriter {
            out: &mut text,
            style: KeyStyle::Fastjson,
        })?;
        if self.style == KeyStyle::Standard && !text.starts_with('"') {
            let mut quoted = String::new();
            write_escaped(&mut quoted, &text, self.style);
            text = quoted;
        }
        self.pending_key = Some(text);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        let key = self
            .pending_key
            .take()
            .ok_or_else(|| WriteError("map value without a key".into()))?;
        let mut text = String::new();
        if value.serialize(ValueWriter {
            out: &mut text,
            style: self.style,
        })? {
            self.entries.push((key, text));
        }
        Ok(())
    }
    fn end(mut self) -> Result<bool, WriteError> {
        if self.style == KeyStyle::Standard {
            self.entries.sort_by(|a, b| a.0.cmp(&b.0));
        }
        self.out.push('{');
        for (i, (k, v)) in self.entries.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            self.out.push_str(k);
            self.out.push(':');
            self.out.push_str(v);
        }
        self.out.push('}');
        Ok(true)
    }
}

/// Bean writer: properties sorted by name (fastjson `SortField`), nulls omitted.
pub struct StructWriter<'a> {
    out: &'a mut String,
    style: KeyStyle,
    fields: Vec<(&'static str, String)>,
}

impl ser::SerializeStruct for StructWriter<'_> {
    type Ok = bool;
    type Error = WriteError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), WriteError> {
        let mut text = String::new();
        if value.serialize(ValueWriter {
            out: &mut text,
            style: self.style,
        })? {
            self.fields.push((key, text));
        }
        Ok(())
    }
    fn end(mut self) -> Result<bool, WriteError> {
        self.fields.sort_by(|a, b| a.0.cmp(b.0));
        self.out.push('{');
        for (i, (k, v)) in self.fields.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            write_escaped(self.out, k, self.style);
            self.out.push(':');
            self.out.push_str(v);
        }
        self.out.push('}');
        Ok(true)
    }
}

impl ser::SerializeStructVariant for StructWriter<'_> {
    type Ok = bool;
    type Error = WriteError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), WriteError> {
        ser::SerializeStruct::serialize_field(self, key, value)
    }
    fn end(self) -> Result<bool, WriteError> {
        ser::SerializeStruct::end(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn doubles_follow_java_double_to_string() {
        assert_eq!(java_double(0.0), "0.0");
        assert_eq!(java_double(1.5), "1.5");
        assert_eq!(java_double(12345678901.5), "1.23456789015E10");
        assert_eq!(java_double(1.0e-4), "1.0E-4");
        assert_eq!(java_double(100.0), "100.0");
        assert_eq!(java_double(1.0e7), "1.0E7");
    }

    #[test]
    fn numeric_map_keys_are_raw_in_fastjson_style_and_quoted_in_standard() {
        let mut m = BTreeMap::new();
        m.insert(1i64, "b");
        m.insert(0i64, "a");
        assert_eq!(
            to_string_styled(&m, KeyStyle::Fastjson).unwrap(),
            r#"{0:"a",1:"b"}"#
        );
        assert_eq!(
            to_string_styled(&m, KeyStyle::Standard).unwrap(),
            r#"{"0":"a","1":"b"}"#
        );
    }

    #[test]
    fn struct_fields_sorted_and_nulls_omitted() {
        #[derive(serde::Serialize)]
        struct Bean {
            zeta: i32,
            alpha: Option<String>,
            beta: Option<String>,
        }
        let b = Bean {
            zeta: 1,
            alpha: None,
            beta: Some("x\n\u{1}é".into()),
        };
        assert_eq!(
            to_string_styled(&b, KeyStyle::Fastjson).unwrap(),
            "{\"beta\":\"x\\n\\u0001é\",\"zeta\":1}"
        );
        assert_eq!(
            to_string_styled(&b, KeyStyle::Standard).unwrap(),
            "{\"beta\":\"x\\n\\u0001\\u00E9\",\"zeta\":1}"
        );
    }
}
