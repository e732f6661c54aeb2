//! Apache RocketMQ's configuration vocabulary, shared by the servers that read it (`broker`,
//! `namesrv`) and the provisioning that writes and lints it (`render`, `rmqctl check`): the
//! Java-properties reader and writer, the key catalogs of broker and name server, the kinds,
//! typed values and address shapes keys take, the checks of one key and value, and "did you
//! mean" suggestions. It sits below all of them and imports none of them.

pub mod address;
pub mod broker_catalog;
pub mod broker_keys;
pub mod check;
pub mod namesrv_keys;
pub mod properties;
pub mod suggest;
pub mod tls_keys;
pub mod values;
