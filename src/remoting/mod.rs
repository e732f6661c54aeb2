//! The RocketMQ remoting protocol: frame codec, `RemotingCommand`, request/response codes, typed
//! headers, fastjson-compatible JSON, and the async client and server.
