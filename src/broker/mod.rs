//! The bundled broker (`rmqctl broker -c broker-a.properties`): configuration, the durable
//! message store, request processors, replication and name-server registration.

pub mod config;
pub mod metadata;
pub mod store;
