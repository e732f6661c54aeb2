//! `RemotingCommand`: one request or response of the remoting protocol, with its header fields,
//! string-valued `extFields` and optional body (remoting-protocol.md 1.2-1.5).

use super::codes::{LanguageCode, RequestCode, ResponseCode};
use super::ext_fields::ExtFields;
use super::headers::{CommandHeader, HeaderError};
use bytes::Bytes;

/// Flag bit 0: this command is a response.
pub const FLAG_RESPONSE: i32 = 1;
/// Flag bit 1: a oneway request, never answered.
pub const FLAG_ONEWAY: i32 = 1 << 1;

/// The header encoding, carried in the top byte of the header-length word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SerializeType {
    #[default]
    Json,
    RocketMq,
}

impl SerializeType {
    pub fn code(self) -> u8 {
        match self {
            SerializeType::Json => 0,
            SerializeType::RocketMq => 1,
        }
    }

    pub fn from_code(code: u8) -> Option<Self> {
        match code {
            0 => Some(SerializeType::Json),
            1 => Some(SerializeType::RocketMq),
            _ => None,
        }
    }

    /// Java's name for the type, as written in `serializeTypeCurrentRPC`.
    pub fn name(self) -> &'static str {
        match self {
            SerializeType::Json => "JSON",
            SerializeType::RocketMq => "ROCKETMQ",
        }
    }
}

/// One request or response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemotingCommand {
    /// Request code in a request, response code in a response.
    pub code: i32,
    /// The sender's language; `None` when the sender named one this build does not know.
    pub language: Option<LanguageCode>,
    /// The sender's `MQVersion` ordinal.
    pub version: i32,
    /// Request id, copied into the response.
    pub opaque: i32,
    /// Bit 0 response, bit 1 oneway.
    pub flag: i32,
    pub remark: Option<String>,
    pub ext_fields: ExtFields,
    pub body: Option<Bytes>,
    /// How this command's header is (or will be) encoded.
    pub serialize_type: SerializeType,
    /// An ACL signature check made before the request was processed (a broker checks the
    /// signatures of one read's requests together). Set only by the server that checked it,
    /// never by decoding.
    pub signature_check: Option<SignatureCheck>,
}

/// The outcome of one signature check, for the key that made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignatureCheck {
    /// Which key (an account's secret, as the broker holds it) checked it.
    pub key_id: u64,
    pub valid: bool,
}

impl RemotingCommand {
    /// A new request with rmqctl's language and version.
    pub fn request(code: RequestCode) -> Self {
        Self::request_code(code.code())
    }

    /// A new request with a raw code.
    pub fn request_code(code: i32) -> Self {
        RemotingCommand {
            code,
            language: Some(LanguageCode::JAVA),
            version: super::codes::version::CURRENT,
            opaque: 0,
            flag: 0,
            remark: None,
            ext_fields: ExtFields::new(),
            body: None,
            serialize_type: SerializeType::Json,
            signature_check: None,
        }
    }

    /// A response with the given code and remark, not yet tied to a request.
    pub fn response(code: ResponseCode, remark: impl Into<Option<String>>) -> Self {
        Self::response_code(code.code(), remark)
    }

    /// A response with a raw code.
    pub fn response_code(code: i32, remark: impl Into<Option<String>>) -> Self {
        RemotingCommand {
            flag: FLAG_RESPONSE,
            remark: remark.into(),
            ..Self::request_code(code)
        }
    }

    /// A successful response with no header and no body.
    pub fn success() -> Self {
        Self::response(ResponseCode::SUCCESS, None)
    }

    /// Builder: set the custom header.
    pub fn with_header<H: CommandHeader>(mut self, header: &H) -> Self {
        header.write_ext(&mut self.ext_fields);
        self
    }

    /// Builder: set the body.
    pub fn with_body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = Some(body.into());
        self
    }

    /// Builder: mark as oneway.
    pub fn oneway(mut self) -> Self {
        self.flag |= FLAG_ONEWAY;
        self
    }

    /// Decode the custom header from `extFields`.
    pub fn header<H: CommandHeader>(&self) -> Result<H, HeaderError> {
        H::read_ext(&self.ext_fields)
    }

    pub fn is_response(&self) -> bool {
        self.flag & FLAG_RESPONSE != 0
    }

    pub fn is_oneway(&self) -> bool {
        self.flag & FLAG_ONEWAY != 0
    }

    /// The body, or an empty slice.
    pub fn body_bytes(&self) -> &[u8] {
        self.body.as_deref().unwrap_or(&[])
    }

    /// The named response code, if known.
    pub fn response_code_name(&self) -> Option<ResponseCode> {
        ResponseCode::from_code(self.code)
    }

    /// Whether this response says SUCCESS.
    pub fn is_success(&self) -> bool {
        self.code == ResponseCode::SUCCESS.code()
    }
}
