//! `KVTable`: a string map body (GET_KVLIST_BY_NAMESPACE, GET_BROKER_RUNTIME_INFO,
//! REGISTER_BROKER's order-topic reply), remoting-protocol.md 5.7.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct KvTable {
    pub table: BTreeMap<String, String>,
}
