//! Broker metadata kept beside the store: topic configs, consumer offsets and subscription
//! groups, each persisted as JSON under `<storePathRootDir>/config/`.

pub mod groups;
pub mod json_file;
pub mod offsets;
pub mod topics;
