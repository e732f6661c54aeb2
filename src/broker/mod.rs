//! The bundled broker (`rmqctl broker -c broker-a.properties`): configuration, the durable
//! message store, request processors, replication and name-server registration.

pub mod acl_gate;
pub mod clients;
pub mod config;
pub mod context;
pub mod ha;
pub mod long_poll;
pub mod metadata;
pub mod mq_locks;
pub mod processor;
pub mod registration;
pub mod runtime;
pub mod schedule;
pub mod slave_sync;
pub mod stats;
pub mod store;
pub mod tls_setup;
pub mod transaction;
