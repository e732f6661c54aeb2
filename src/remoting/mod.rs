//! The RocketMQ remoting protocol: frame codec, `RemotingCommand`, request/response codes, typed
//! headers, and the async client and server. (fastjson lives in `protocol`, which the bodies need.)

pub mod client;
pub mod codes;
pub mod command;
pub mod connection_limit;
pub mod ext_fields;
pub mod frame;
pub mod header_binary;
pub mod header_json;
pub mod headers;
pub mod request_hook;
pub mod server;
pub mod tls;

pub use codes::{LanguageCode, RequestCode, ResponseCode, SendStatus};
pub use command::{RemotingCommand, SerializeType};
pub use ext_fields::ExtFields;
