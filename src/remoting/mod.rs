//! The RocketMQ remoting protocol: frame codec, `RemotingCommand`, request/response codes, typed
//! headers, fastjson-compatible JSON, and the async client and server.

pub mod codes;
pub mod command;
pub mod fastjson;
pub mod frame;
pub mod header_binary;
pub mod header_json;
pub mod headers;

pub use codes::{LanguageCode, RequestCode, ResponseCode};
pub use command::{ExtFields, RemotingCommand, SerializeType};
