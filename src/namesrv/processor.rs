//! `NamesrvProcessor`: answers name-server requests (Apache's `DefaultRequestProcessor` and
//! `ClientRequestProcessor`) from the route table, KV store and config.

use super::config::NamesrvConfig;
use super::kv_config::{KvConfigStore, ORDER_TOPIC_CONFIG};
use super::route_table::{Registration, RouteTable};
use crate::locks::lock;
use crate::protocol::fastjson;
use crate::protocol::kv::KvTable;
use crate::protocol::route::{GetBrokerMemberGroupResponseBody, TopicRouteData};
use crate::protocol::topic::{DataVersion, RegisterBrokerBody, TopicConfigSerializeWrapper};
use crate::remoting::codes::version;
use crate::remoting::headers::*;
use crate::remoting::server::{not_supported, system_error, Connection, RequestProcessor};
use crate::remoting::{RemotingCommand, RequestCode, ResponseCode};
use serde::Serialize;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tracing::{info, warn};

/// Keys UPDATE_NAMESRV_CONFIG may not change (Java's `configBlackList`).
const CONFIG_BLACKLIST: &[&str] = &["configStorePath", "kvConfigPath", "rocketmqHome"];

/// Shared state of a running name server.
pub struct NamesrvProcessor {
    routes: Mutex<RouteTable>,
    kv: Mutex<KvConfigStore>,
    config: Mutex<NamesrvConfig>,
    /// The ACL for the requests that change the name server (`aclEnable=true`).
    acl: Option<Arc<crate::acl::AccessValidator>>,
}

fn json_body<T: Serialize>(value: &T) -> RemotingCommand {
    match fastjson::to_vec(value) {
        Ok(bytes) => RemotingCommand::success().with_body(bytes),
        Err(e) => system_error(e),
    }
}

impl NamesrvProcessor {
    pub fn new(
        config: NamesrvConfig,
        kv: KvConfigStore,
        acl: Option<Arc<crate::acl::AccessValidator>>,
    ) -> Arc<Self> {
        Arc::new(NamesrvProcessor {
            routes: Mutex::new(RouteTable::new(config.broker_expire)),
            kv: Mutex::new(kv),
            config: Mutex::new(config),
            acl,
        })
    }

    /// Drop brokers silent for too long; returns how many were dropped.
    pub fn expire_brokers(&self) -> usize {
        let removed = lock(&self.routes).expire(Instant::now());
        for b in &removed {
            warn!(cluster = %b.cluster, broker = %b.broker_name, addr = %b.addr,
                "broker expired: no registration within its timeout");
        }
        removed.len()
    }

    /// The scan interval now configured.
    pub fn scan_interval(&self) -> Duration {
        lock(&self.config).scan_not_active_broker_interval
    }

    fn handle(
        &self,
        conn: &Connection,
        req: &RemotingCommand,
    ) -> Result<RemotingCommand, HeaderError> {
        let Some(code) = RequestCode::from_code(req.code) else {
            return Ok(not_supported(req));
        };
        use RequestCode as R;
        Ok(match code {
            R::REGISTER_BROKER => self.register_broker(conn, req)?,
            R::UNREGISTER_BROKER => self.unregister_broker(req)?,
            R::BROKER_HEARTBEAT => self.broker_heartbeat(req)?,
            R::QUERY_DATA_VERSION => self.query_data_version(req)?,
            R::GET_ROUTEINFO_BY_TOPIC => self.route(req)?,
            R::GET_BROKER_CLUSTER_INFO => json_body(&lock(&self.routes).cluster_info()),
            R::GET_ALL_TOPIC_LIST_FROM_NAMESERVER => self.all_topics(),
            R::GET_TOPICS_BY_CLUSTER => self.topics_by_cluster(req)?,
            R::GET_SYSTEM_TOPIC_LIST_FROM_NS => json_body(&lock(&self.routes).system_topics()),
            R::DELETE_TOPIC_IN_NAMESRV => self.delete_topic(req)?,
            R::REGISTER_TOPIC_IN_NAMESRV => self.register_topic(req)?,
            R::PUT_KV_CONFIG => self.put_kv(req)?,
            R::GET_KV_CONFIG => self.get_kv(req)?,
            R::DELETE_KV_CONFIG => self.delete_kv(req)?,
            R::GET_KVLIST_BY_NAMESPACE => self.kv_list(req)?,
            R::WIPE_WRITE_PERM_OF_BROKER => self.wipe_write_perm(req)?,
            R::ADD_WRITE_PERM_OF_BROKER => self.add_write_perm(req)?,
            R::GET_NAMESRV_CONFIG => {
                RemotingCommand::success().with_body(lock(&self.config).to_properties_text())
            }
            R::UPDATE_NAMESRV_CONFIG => self.update_config(req),
            R::GET_BROKER_MEMBER_GROUP => self.member_group(req)?,
            _ => not_supported(req),
        })
    }

    fn register_broker(
        &self,
        conn: &Connection,
        req: &RemotingCommand,
    ) -> Result<RemotingCommand, HeaderError> {
        let h: RegisterBrokerRequestHeader = req.header()?;
        let body = req.body_bytes();
        if let Some(expected) = h.body_crc32.filter(|c| *c != 0) {
            let actual = (crc32fast::hash(body) & 0x7FFF_FFFF) as i32;
            if actual != expected {
                warn!(broker = %h.broker_addr, expected, actual, "REGISTER_BROKER body crc32 mismatch");
                return Ok(system_error("crc32 not match"));
            }
        }
        let parsed = match decode_registration_body(&h, req.version, body) {
            Ok(b) => b,
            Err(reason) => {
                warn!(broker = %h.broker_addr, %reason, "REGISTER_BROKER body refused");
                return Ok(system_error(format!("register broker failed: {reason}")));
            }
        };
        let wrapper = parsed.topic_config_serialize_wrapper;
        let reg = Registration {
            cluster: h.cluster_name.clone(),
            broker_name: h.broker_name.clone(),
            broker_addr: h.broker_addr.clone(),
            broker_id: h.broker_id,
            ha_server_addr: h.ha_server_addr.clone(),
            timeout: h
                .heartbeat_timeout_millis
                .filter(|t| *t > 0)
                .map(|t| Duration::from_millis(t as u64)),
            data_version: wrapper.data_version,
            topics: wrapper.topic_config_table,
            filter_servers: parsed.filter_server_list,
            connection_id: Some(conn.id),
        };
        let (first, reply) = {
            let mut routes = lock(&self.routes);
            let first = !routes.knows_address(&h.broker_name, &h.broker_addr);
            (first, routes.register(reg, Instant::now()))
        };
        if first {
            info!(cluster = %h.cluster_name, broker = %h.broker_name, id = h.broker_id,
                addr = %h.broker_addr, "broker registered");
        }
        let header = RegisterBrokerResponseHeader {
            ha_server_addr: reply.ha_server_addr,
            master_addr: reply.master_addr,
        };
        let mut response = RemotingCommand::success().with_header(&header);
        if lock(&self.config).return_order_topic_config_to_broker {
            if let Some(ns) = lock(&self.kv).namespace(ORDER_TOPIC_CONFIG) {
                let table = KvTable { table: ns.clone() };
                if let Ok(bytes) = fastjson::to_vec(&table) {
                    response = response.with_body(bytes);
                }
            }
        }
        Ok(response)
    }

    fn unregister_broker(&self, req: &RemotingCommand) -> Result<RemotingCommand, HeaderError> {
        let h: BrokerIdentityHeader = req.header()?;
        let removed = lock(&self.routes).unregister(
            &h.cluster_name,
            &h.broker_name,
            &h.broker_addr,
            h.broker_id,
        );
        if removed.is_some() {
            info!(broker = %h.broker_name, addr = %h.broker_addr, "broker unregistered");
        }
        Ok(RemotingCommand::success())
    }

    fn broker_heartbeat(&self, req: &RemotingCommand) -> Result<RemotingCommand, HeaderError> {
        let h: BrokerHeartbeatRequestHeader = req.header()?;
        lock(&self.routes).heartbeat(&h.cluster_name, &h.broker_addr, Instant::now());
        Ok(RemotingCommand::success())
    }

    fn query_data_version(&self, req: &RemotingCommand) -> Result<RemotingCommand, HeaderError> {
        let h: BrokerIdentityHeader = req.header()?;
        let version: DataVersion = fastjson::from_slice(req.body_bytes()).unwrap_or_default();
        let (changed, stored) = lock(&self.routes).query_data_version(
            &h.cluster_name,
            &h.broker_addr,
            &version,
            Instant::now(),
        );
        let mut response =
            RemotingCommand::success().with_header(&QueryDataVersionResponseHeader {
                changed: Some(changed),
            });
        if let Some(stored) = stored {
            if let Ok(bytes) = fastjson::to_vec(&stored) {
                response = response.with_body(bytes);
            }
        }
        Ok(response)
    }

    fn route(&self, req: &RemotingCommand) -> Result<RemotingCommand, HeaderError> {
        let h: GetRouteInfoRequestHeader = req.header()?;
        let route = lock(&self.routes).route(&h.topic);
        let Some(mut route) = route else {
            return Ok(RemotingCommand::response(
                ResponseCode::TOPIC_NOT_EXIST,
                Some(format!(
                    "No topic route info in name server for the topic: {}\nSee https://rocketmq.apache.org/docs/bestPractice/06FAQ for further details.",
                    h.topic
                )),
            ));
        };
        if lock(&self.config).order_message_enable {
            route.order_topic_conf = lock(&self.kv)
                .get(ORDER_TOPIC_CONFIG, &h.topic)
                .map(str::to_string);
        }
        let standard = req.version >= version::V4_9_4 || h.accept_standard_json_only == Some(true);
        Ok(encode_route(&route, standard))
    }

    fn all_topics(&self) -> RemotingCommand {
        if !lock(&self.config).enable_all_topic_list {
            return system_error("disable");
        }
        json_body(&lock(&self.routes).all_topics())
    }

    fn topics_by_cluster(&self, req: &RemotingCommand) -> Result<RemotingCommand, HeaderError> {
        if !lock(&self.config).enable_topic_list {
            return Ok(system_error("disable"));
        }
        let h: GetTopicsByClusterRequestHeader = req.header()?;
        Ok(json_body(&lock(&self.routes).topics_of_cluster(&h.cluster)))
    }

    fn delete_topic(&self, req: &RemotingCommand) -> Result<RemotingCommand, HeaderError> {
        let h: DeleteTopicFromNamesrvRequestHeader = req.header()?;
        lock(&self.routes).delete_topic(&h.topic, h.cluster_name.as_deref());
        info!(topic = %h.topic, cluster = ?h.cluster_name, "topic deleted from name server");
        Ok(RemotingCommand::success())
    }

    fn register_topic(&self, req: &RemotingCommand) -> Result<RemotingCommand, HeaderError> {
        let h: TopicRequestHeader = req.header()?;
        if let Ok(route) = fastjson::from_slice::<TopicRouteData>(req.body_bytes()) {
            lock(&self.routes).register_topic(&h.topic, &route.queue_datas);
        }
        Ok(RemotingCommand::success())
    }

    fn put_kv(&self, req: &RemotingCommand) -> Result<RemotingCommand, HeaderError> {
        let h: PutKvConfigRequestHeader = req.header()?;
        Ok(match lock(&self.kv).put(&h.namespace, &h.key, &h.value) {
            Ok(()) => RemotingCommand::success(),
            Err(e) => system_error(e),
        })
    }

    fn get_kv(&self, req: &RemotingCommand) -> Result<RemotingCommand, HeaderError> {
        let h: KvConfigKeyHeader = req.header()?;
        Ok(match lock(&self.kv).get(&h.namespace, &h.key) {
            Some(v) => RemotingCommand::success().with_header(&GetKvConfigResponseHeader {
                value: Some(v.to_string()),
            }),
            None => RemotingCommand::response(
                ResponseCode::QUERY_NOT_FOUND,
                Some(format!(
                    "No config item, Namespace: {} Key: {}",
                    h.namespace, h.key
                )),
            ),
        })
    }

    fn delete_kv(&self, req: &RemotingCommand) -> Result<RemotingCommand, HeaderError> {
        let h: KvConfigKeyHeader = req.header()?;
        Ok(match lock(&self.kv).delete(&h.namespace, &h.key) {
            Ok(()) => RemotingCommand::success(),
            Err(e) => system_error(e),
        })
    }

    fn kv_list(&self, req: &RemotingCommand) -> Result<RemotingCommand, HeaderError> {
        let h: GetKvListByNamespaceRequestHeader = req.header()?;
        Ok(match lock(&self.kv).namespace(&h.namespace) {
            Some(ns) => json_body(&KvTable { table: ns.clone() }),
            None => RemotingCommand::response(
                ResponseCode::QUERY_NOT_FOUND,
                Some(format!("No config item, Namespace: {}", h.namespace)),
            ),
        })
    }

    fn wipe_write_perm(&self, req: &RemotingCommand) -> Result<RemotingCommand, HeaderError> {
        let h: BrokerNameRequestHeader = req.header()?;
        let count = lock(&self.routes).wipe_write_perm(&h.broker_name);
        info!(broker = %h.broker_name, topics = count, "write permission wiped");
        Ok(
            RemotingCommand::success().with_header(&WipeWritePermResponseHeader {
                wipe_topic_count: count,
            }),
        )
    }

    fn add_write_perm(&self, req: &RemotingCommand) -> Result<RemotingCommand, HeaderError> {
        let h: BrokerNameRequestHeader = req.header()?;
        let count = lock(&self.routes).add_write_perm(&h.broker_name);
        info!(broker = %h.broker_name, topics = count, "write permission added");
        Ok(
            RemotingCommand::success().with_header(&AddWritePermResponseHeader {
                add_topic_count: count,
            }),
        )
    }

    fn update_config(&self, req: &RemotingCommand) -> RemotingCommand {
        let text = String::from_utf8_lossy(req.body_bytes()).into_owned();
        let props = match crate::apache_config::properties::Properties::parse(
            &text,
            std::path::Path::new("<request body>"),
        ) {
            Ok(p) => p,
            Err(e) => return system_error(e),
        };
        let mut config = lock(&self.config);
        let mut updated = config.clone();
        for entry in props.entries() {
            if CONFIG_BLACKLIST.contains(&entry.key.as_str())
                || crate::remoting::tls::settings::is_tls_key(&entry.key)
            {
                return RemotingCommand::response(
                    ResponseCode::NO_PERMISSION,
                    Some(format!(
                        "Can not update config in black list: {}",
                        entry.key
                    )),
                );
            }
            if let Err(e) = updated.set(&entry.key, &entry.value) {
                return RemotingCommand::response(
                    ResponseCode::INVALID_PARAMETER,
                    Some(format!("{}: {e}", entry.key)),
                );
            }
        }
        if let Err(e) = persist_config(&updated) {
            return system_error(e);
        }
        *config = updated;
        RemotingCommand::success()
    }

    fn member_group(&self, req: &RemotingCommand) -> Result<RemotingCommand, HeaderError> {
        let h: GetBrokerMemberGroupRequestHeader = req.header()?;
        let group = lock(&self.routes).member_group(&h.cluster_name, &h.broker_name);
        Ok(json_body(&GetBrokerMemberGroupResponseBody {
            broker_member_group: Some(group),
        }))
    }
}

fn persist_config(config: &NamesrvConfig) -> std::io::Result<()> {
    let text = config.to_properties_text();
    crate::file_replace::replace_file(&config.config_store_path, text.as_bytes())
}

/// The route body in the format the requester understands (remoting-protocol.md Q10).
pub fn encode_route(route: &TopicRouteData, standard: bool) -> RemotingCommand {
    let text = if standard {
        fastjson::to_string_standard(route)
    } else {
        fastjson::to_string(route)
    };
    match text {
        Ok(t) => RemotingCommand::success().with_body(t.into_bytes()),
        Err(e) => system_error(e),
    }
}

/// Read a REGISTER_BROKER body in whichever form the broker's version and flags say.
fn decode_registration_body(
    h: &RegisterBrokerRequestHeader,
    request_version: i32,
    body: &[u8],
) -> Result<RegisterBrokerBody, String> {
    if body.is_empty() {
        let mut empty = RegisterBrokerBody::default();
        empty.topic_config_serialize_wrapper.data_version = DataVersion::now();
        return Ok(empty);
    }
    if h.compressed {
        return RegisterBrokerBody::decode_compressed(body).map_err(|e| e.to_string());
    }
    if request_version >= version::V3_0_11 {
        return fastjson::from_slice(body).map_err(|e| e.to_string());
    }
    let wrapper: TopicConfigSerializeWrapper =
        fastjson::from_slice(body).map_err(|e| e.to_string())?;
    Ok(RegisterBrokerBody {
        filter_server_list: vec![],
        topic_config_serialize_wrapper: wrapper,
    })
}

#[async_trait::async_trait]
impl RequestProcessor for NamesrvProcessor {
    async fn process(
        &self,
        conn: &Connection,
        request: RemotingCommand,
    ) -> Option<RemotingCommand> {
        if let Some(refused) = super::acl_gate::refusal(self.acl.as_deref(), conn, &request) {
            return Some(refused);
        }
        match self.handle(conn, &request) {
            Ok(response) => Some(response),
            Err(e) => {
                warn!(peer = %conn.peer, code = request.code, error = %e, "bad request header");
                Some(system_error(e))
            }
        }
    }

    fn connection_closed(&self, conn: &Connection) {
        for b in lock(&self.routes).connection_closed(conn.id) {
            info!(cluster = %b.cluster, broker = %b.broker_name, addr = %b.addr,
                "broker dropped: its connection closed");
        }
    }
}
