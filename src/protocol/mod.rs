//! Typed bodies shared by clients and servers: route data, cluster info, topic configs, stats,
//! heartbeats and the stored message record.
pub mod message;
