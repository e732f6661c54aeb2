//! `RouteTable`: what the name server knows, with the semantics of Apache's `RouteInfoManager`:
//! clusters, broker groups, per-topic queue data taken from masters, broker liveness, and the
//! routes and cluster views built from them (remoting-protocol.md 4.1).

use crate::protocol::perm;
use crate::protocol::route::{
    BrokerData, BrokerMemberGroup, ClusterInfo, QueueData, TopicRouteData, MASTER_ID,
};
use crate::protocol::topic::{DataVersion, TopicConfig, TopicList};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::{Duration, Instant};

/// A broker address within its cluster (the liveness key).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BrokerAddrKey {
    pub cluster: String,
    pub addr: String,
}

impl BrokerAddrKey {
    pub fn new(cluster: &str, addr: &str) -> Self {
        BrokerAddrKey {
            cluster: cluster.to_string(),
            addr: addr.to_string(),
        }
    }
}

#[derive(Debug, Clone)]
struct BrokerLiveInfo {
    last_update: Instant,
    timeout: Duration,
    data_version: DataVersion,
    connection_id: Option<u64>,
    ha_server_addr: String,
}

/// One REGISTER_BROKER call.
#[derive(Debug, Clone)]
pub struct Registration {
    pub cluster: String,
    pub broker_name: String,
    pub broker_addr: String,
    pub broker_id: i64,
    pub ha_server_addr: String,
    /// The broker's own liveness timeout, when it sends one.
    pub timeout: Option<Duration>,
    pub data_version: DataVersion,
    pub topics: BTreeMap<String, TopicConfig>,
    pub filter_servers: Vec<String>,
    /// The connection it came on; closing it drops the broker at once.
    pub connection_id: Option<u64>,
}

/// What a registering slave learns about its master.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistrationReply {
    pub master_addr: Option<String>,
    pub ha_server_addr: Option<String>,
}

/// A broker dropped by expiry, a closed connection or UNREGISTER_BROKER.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemovedBroker {
    pub cluster: String,
    pub broker_name: String,
    pub addr: String,
}

/// The route table; the caller serialises access (one lock around it).
#[derive(Debug)]
pub struct RouteTable {
    default_timeout: Duration,
    topic_queues: BTreeMap<String, BTreeMap<String, QueueData>>,
    brokers: BTreeMap<String, BrokerData>,
    clusters: BTreeMap<String, BTreeSet<String>>,
    live: HashMap<BrokerAddrKey, BrokerLiveInfo>,
    filter_servers: HashMap<String, Vec<String>>,
}

impl RouteTable {
    /// `default_timeout` applies to brokers that do not send their own (Java: 120 s).
    pub fn new(default_timeout: Duration) -> Self {
        RouteTable {
            default_timeout,
            topic_queues: BTreeMap::new(),
            brokers: BTreeMap::new(),
            clusters: BTreeMap::new(),
            live: HashMap::new(),
            filter_servers: HashMap::new(),
        }
    }

    /// REGISTER_BROKER.
    pub fn register(&mut self, reg: Registration, now: Instant) -> RegistrationReply {
        self.clusters
            .entry(reg.cluster.clone())
            .or_default()
            .insert(reg.broker_name.clone());
        let mut first = !self.brokers.contains_key(&reg.broker_name);
        let group = self
            .brokers
            .entry(reg.broker_name.clone())
            .or_insert_with(|| BrokerData {
                broker_name: reg.broker_name.clone(),
                cluster: reg.cluster.clone(),
                ..Default::default()
            });
        // The same address under another id (a slave promoted to master): drop the old entry.
        group
            .broker_addrs
            .retain(|id, addr| *addr != reg.broker_addr || *id == reg.broker_id);
        let previous = group
            .broker_addrs
            .insert(reg.broker_id, reg.broker_addr.clone());
        first |= previous.is_none();

        let key = BrokerAddrKey::new(&reg.cluster, &reg.broker_addr);
        if reg.broker_id == MASTER_ID {
            let changed = self
                .live
                .get(&key)
                .is_none_or(|l| l.data_version != reg.data_version);
            for (topic, config) in &reg.topics {
                let missing = self
                    .topic_queues
                    .get(topic)
                    .is_none_or(|q| !q.contains_key(&reg.broker_name));
                if first || changed || missing {
                    self.put_queue_data(&reg.broker_name, config);
                }
            }
        }
        self.live.insert(
            key,
            BrokerLiveInfo {
                last_update: now,
                timeout: reg.timeout.unwrap_or(self.default_timeout),
                data_version: reg.data_version.clone(),
                connection_id: reg.connection_id,
                ha_server_addr: reg.ha_server_addr.clone(),
            },
        );
        if reg.filter_servers.is_empty() {
            self.filter_servers.remove(&reg.broker_addr);
        } else {
            self.filter_servers
                .insert(reg.broker_addr.clone(), reg.filter_servers.clone());
        }
        self.reply_for(&reg)
    }

    fn reply_for(&self, reg: &Registration) -> RegistrationReply {
        if reg.broker_id == MASTER_ID {
            return RegistrationReply::default();
        }
        let master = self
            .brokers
            .get(&reg.broker_name)
            .and_then(|g| g.master_addr());
        let Some(master) = master else {
            return RegistrationReply::default();
        };
        let live = self.live.get(&BrokerAddrKey::new(&reg.cluster, master));
        match live {
            Some(info) => RegistrationReply {
                master_addr: Some(master.to_string()),
                ha_server_addr: Some(info.ha_server_addr.clone()),
            },
            None => RegistrationReply::default(),
        }
    }

    fn put_queue_data(&mut self, broker_name: &str, config: &TopicConfig) {
        self.topic_queues
            .entry(config.topic_name.clone())
            .or_default()
            .insert(
                broker_name.to_string(),
                QueueData {
                    broker_name: broker_name.to_string(),
                    perm: config.perm,
                    read_queue_nums: config.read_queue_nums,
                    topic_sys_flag: config.topic_sys_flag,
                    write_queue_nums: config.write_queue_nums,
                },
            );
    }

    /// UNREGISTER_BROKER.
    pub fn unregister(
        &mut self,
        cluster: &str,
        broker_name: &str,
        addr: &str,
        broker_id: i64,
    ) -> Option<RemovedBroker> {
        let key = BrokerAddrKey::new(cluster, addr);
        let was_live = self.live.remove(&key).is_some();
        self.filter_servers.remove(addr);
        let mut removed_addr = false;
        if let Some(group) = self.brokers.get_mut(broker_name) {
            if group
                .broker_addrs
                .get(&broker_id)
                .is_some_and(|a| a == addr)
            {
                group.broker_addrs.remove(&broker_id);
                removed_addr = true;
            }
        }
        self.drop_empty_group(cluster, broker_name);
        (was_live || removed_addr).then(|| RemovedBroker {
            cluster: cluster.to_string(),
            broker_name: broker_name.to_string(),
            addr: addr.to_string(),
        })
    }

    /// Remove a broker known only by its liveness key (expiry, closed connection).
    fn remove_by_key(&mut self, key: &BrokerAddrKey) -> Option<RemovedBroker> {
        self.live.remove(key)?;
        self.filter_servers.remove(&key.addr);
        let mut found = None;
        for (name, group) in self.brokers.iter_mut() {
            if group.cluster != key.cluster {
                continue;
            }
            let before = group.broker_addrs.len();
            group.broker_addrs.retain(|_, a| *a != key.addr);
            if group.broker_addrs.len() != before {
                found = Some(name.clone());
                break;
            }
        }
        let broker_name = found.unwrap_or_default();
        if !broker_name.is_empty() {
            self.drop_empty_group(&key.cluster, &broker_name);
        }
        Some(RemovedBroker {
            cluster: key.cluster.clone(),
            broker_name,
            addr: key.addr.clone(),
        })
    }

    /// When a group has no address left, forget it, its cluster membership and its queues.
    fn drop_empty_group(&mut self, cluster: &str, broker_name: &str) {
        let empty = self
            .brokers
            .get(broker_name)
            .is_some_and(|g| g.broker_addrs.is_empty());
        if !empty {
            return;
        }
        self.brokers.remove(broker_name);
        if let Some(names) = self.clusters.get_mut(cluster) {
            names.remove(broker_name);
            if names.is_empty() {
                self.clusters.remove(cluster);
            }
        }
        self.topic_queues.retain(|_, queues| {
            queues.remove(broker_name);
            !queues.is_empty()
        });
    }

    /// Drop every broker whose registration arrived on this connection.
    pub fn connection_closed(&mut self, connection_id: u64) -> Vec<RemovedBroker> {
        self.remove_live_where(|l| l.connection_id == Some(connection_id))
    }

    /// Drop brokers silent for longer than their timeout.
    pub fn expire(&mut self, now: Instant) -> Vec<RemovedBroker> {
        self.remove_live_where(|l| now.duration_since(l.last_update) > l.timeout)
    }

    fn remove_live_where(&mut self, pred: impl Fn(&BrokerLiveInfo) -> bool) -> Vec<RemovedBroker> {
        let keys: Vec<BrokerAddrKey> = self
            .live
            .iter()
            .filter(|(_, l)| pred(l))
            .map(|(k, _)| k.clone())
            .collect();
        keys.iter().filter_map(|k| self.remove_by_key(k)).collect()
    }

    /// Refresh a broker's liveness; `None` if it is unknown.
    fn touch(&mut self, cluster: &str, addr: &str, now: Instant) -> Option<&BrokerLiveInfo> {
        let live = self.live.get_mut(&BrokerAddrKey::new(cluster, addr))?;
        live.last_update = now;
        Some(live)
    }

    /// BROKER_HEARTBEAT: refresh liveness only. False if the broker is unknown.
    pub fn heartbeat(&mut self, cluster: &str, addr: &str, now: Instant) -> bool {
        self.touch(cluster, addr, now).is_some()
    }

    /// QUERY_DATA_VERSION: whether `version` differs from the stored one, plus the stored one.
    /// Also refreshes liveness.
    pub fn query_data_version(
        &mut self,
        cluster: &str,
        addr: &str,
        version: &DataVersion,
        now: Instant,
    ) -> (bool, Option<DataVersion>) {
        match self.touch(cluster, addr, now) {
            Some(l) => (l.data_version != *version, Some(l.data_version.clone())),
            None => (true, None),
        }
    }

    /// GET_ROUTEINFO_BY_TOPIC: `None` unless both queue and broker data exist.
    pub fn route(&self, topic: &str) -> Option<TopicRouteData> {
        let queues = self.topic_queues.get(topic)?;
        let queue_datas: Vec<QueueData> = queues.values().cloned().collect();
        let broker_datas: Vec<BrokerData> = queues
            .keys()
            .filter_map(|name| self.brokers.get(name).cloned())
            .collect();
        if queue_datas.is_empty() || broker_datas.is_empty() {
            return None;
        }
        let mut filter_server_table = BTreeMap::new();
        for group in &broker_datas {
            for addr in group.broker_addrs.values() {
                if let Some(list) = self.filter_servers.get(addr) {
                    filter_server_table.insert(addr.clone(), list.clone());
                }
            }
        }
        Some(TopicRouteData {
            broker_datas,
            filter_server_table,
            queue_datas,
            ..Default::default()
        })
    }

    /// GET_BROKER_CLUSTER_INFO.
    pub fn cluster_info(&self) -> ClusterInfo {
        ClusterInfo {
            broker_addr_table: self.brokers.clone(),
            cluster_addr_table: self.clusters.clone(),
        }
    }

    /// GET_ALL_TOPIC_LIST_FROM_NAMESERVER.
    pub fn all_topics(&self) -> TopicList {
        TopicList {
            broker_addr: None,
            topic_list: self.topic_queues.keys().cloned().collect(),
        }
    }

    /// GET_TOPICS_BY_CLUSTER: topics with queues on any broker of the cluster.
    pub fn topics_of_cluster(&self, cluster: &str) -> TopicList {
        let names = self.clusters.get(cluster).cloned().unwrap_or_default();
        let topic_list = self
            .topic_queues
            .iter()
            .filter(|(_, q)| q.keys().any(|b| names.contains(b)))
            .map(|(t, _)| t.clone())
            .collect();
        TopicList {
            broker_addr: None,
            topic_list,
        }
    }

    /// GET_SYSTEM_TOPIC_LIST_FROM_NS: cluster and broker names, plus one broker address.
    pub fn system_topics(&self) -> TopicList {
        let mut list = TopicList::default();
        for (cluster, names) in &self.clusters {
            list.topic_list.insert(cluster.clone());
            list.topic_list.extend(names.iter().cloned());
        }
        list.broker_addr = self
            .brokers
            .values()
            .find_map(|g| g.select_addr().map(str::to_string));
        list
    }

    /// DELETE_TOPIC_IN_NAMESRV; with a cluster, only that cluster's brokers lose the topic.
    pub fn delete_topic(&mut self, topic: &str, cluster: Option<&str>) {
        let Some(cluster) = cluster.filter(|c| !c.is_empty()) else {
            self.topic_queues.remove(topic);
            return;
        };
        let names = self.clusters.get(cluster).cloned().unwrap_or_default();
        if let Some(queues) = self.topic_queues.get_mut(topic) {
            queues.retain(|b, _| !names.contains(b));
            if queues.is_empty() {
                self.topic_queues.remove(topic);
            }
        }
    }

    /// REGISTER_TOPIC_IN_NAMESRV: queue data for brokers the name server knows.
    pub fn register_topic(&mut self, topic: &str, queue_datas: &[QueueData]) {
        for q in queue_datas {
            if self.brokers.contains_key(&q.broker_name) {
                self.topic_queues
                    .entry(topic.to_string())
                    .or_default()
                    .insert(q.broker_name.clone(), q.clone());
            }
        }
    }

    /// WIPE_WRITE_PERM_OF_BROKER: returns how many topics changed.
    pub fn wipe_write_perm(&mut self, broker_name: &str) -> i32 {
        self.change_perm(broker_name, |p| p & !perm::WRITE)
    }

    /// ADD_WRITE_PERM_OF_BROKER: perm becomes read-write; returns how many topics changed.
    pub fn add_write_perm(&mut self, broker_name: &str) -> i32 {
        self.change_perm(broker_name, |_| perm::READ | perm::WRITE)
    }

    fn change_perm(&mut self, broker_name: &str, f: impl Fn(i32) -> i32) -> i32 {
        let mut count = 0;
        for queues in self.topic_queues.values_mut() {
            if let Some(q) = queues.get_mut(broker_name) {
                q.perm = f(q.perm);
                count += 1;
            }
        }
        count
    }

    /// GET_BROKER_MEMBER_GROUP.
    pub fn member_group(&self, cluster: &str, broker_name: &str) -> BrokerMemberGroup {
        let broker_addrs = self
            .brokers
            .get(broker_name)
            .filter(|g| g.cluster == cluster)
            .map(|g| g.broker_addrs.clone())
            .unwrap_or_default();
        BrokerMemberGroup {
            broker_addrs,
            broker_name: broker_name.to_string(),
            cluster: cluster.to_string(),
        }
    }

    /// Whether `addr` is registered in the broker group `broker_name`.
    pub fn knows_address(&self, broker_name: &str, addr: &str) -> bool {
        self.brokers
            .get(broker_name)
            .is_some_and(|g| g.broker_addrs.values().any(|a| a == addr))
    }

    /// Number of live broker addresses.
    pub fn live_count(&self) -> usize {
        self.live.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reg(name: &str, addr: &str, id: i64, topics: &[&str], version: i64) -> Registration {
        Registration {
            cluster: "DefaultCluster".into(),
            broker_name: name.into(),
            broker_addr: addr.into(),
            broker_id: id,
            ha_server_addr: addr.replace(":10911", ":10912"),
            timeout: None,
            data_version: DataVersion {
                counter: version,
                state_version: 0,
                timestamp: 1,
            },
            topics: topics
                .iter()
                .map(|t| (t.to_string(), TopicConfig::new(t, 4)))
                .collect(),
            filter_servers: vec![],
            connection_id: Some(id as u64 + 100),
        }
    }

    #[test]
    fn master_then_slave_gives_the_slave_its_master() {
        let mut t = RouteTable::new(Duration::from_secs(120));
        let now = Instant::now();
        assert_eq!(
            t.register(reg("broker-a", "10.0.0.1:10911", 0, &["T"], 1), now),
            RegistrationReply::default()
        );
        let reply = t.register(reg("broker-a", "10.0.0.2:10911", 1, &["T"], 1), now);
        assert_eq!(reply.master_addr.as_deref(), Some("10.0.0.1:10911"));
        assert_eq!(reply.ha_server_addr.as_deref(), Some("10.0.0.1:10912"));
        let route = t.route("T").unwrap();
        assert_eq!(route.broker_datas[0].broker_addrs.len(), 2);
        assert_eq!(route.queue_datas[0].write_queue_nums, 4);
    }

    #[test]
    fn slave_registrations_do_not_create_queue_data() {
        let mut t = RouteTable::new(Duration::from_secs(120));
        t.register(
            reg("broker-a", "10.0.0.2:10911", 1, &["T"], 1),
            Instant::now(),
        );
        assert!(t.route("T").is_none());
    }

    #[test]
    fn expiry_and_connection_close_drop_brokers_and_their_topics() {
        let mut t = RouteTable::new(Duration::from_millis(100));
        let start = Instant::now();
        t.register(reg("broker-a", "10.0.0.1:10911", 0, &["T"], 1), start);
        t.register(reg("broker-b", "10.0.0.3:10911", 0, &["T", "U"], 1), start);
        assert!(t.expire(start + Duration::from_millis(50)).is_empty());
        t.heartbeat(
            "DefaultCluster",
            "10.0.0.3:10911",
            start + Duration::from_millis(90),
        );
        let gone = t.expire(start + Duration::from_millis(150));
        assert_eq!(gone.len(), 1);
        assert_eq!(gone[0].broker_name, "broker-a");
        assert_eq!(t.route("T").unwrap().queue_datas.len(), 1);
        let closed = t.connection_closed(100);
        assert_eq!(closed.len(), 1);
        assert!(t.route("U").is_none());
        assert!(t.cluster_info().cluster_addr_table.is_empty());
    }

    #[test]
    fn data_version_change_refreshes_queue_data() {
        let mut t = RouteTable::new(Duration::from_secs(120));
        let now = Instant::now();
        t.register(reg("broker-a", "10.0.0.1:10911", 0, &["T"], 1), now);
        let mut again = reg("broker-a", "10.0.0.1:10911", 0, &["T"], 1);
        again.topics.get_mut("T").unwrap().write_queue_nums = 8;
        t.register(again.clone(), now);
        assert_eq!(t.route("T").unwrap().queue_datas[0].write_queue_nums, 4);
        again.data_version.counter = 2;
        t.register(again, now);
        assert_eq!(t.route("T").unwrap().queue_datas[0].write_queue_nums, 8);
    }

    #[test]
    fn perms_and_topic_deletion() {
        let mut t = RouteTable::new(Duration::from_secs(120));
        t.register(
            reg("broker-a", "10.0.0.1:10911", 0, &["T", "U"], 1),
            Instant::now(),
        );
        assert_eq!(t.wipe_write_perm("broker-a"), 2);
        assert_eq!(t.route("T").unwrap().queue_datas[0].perm, perm::READ);
        assert_eq!(t.add_write_perm("broker-a"), 2);
        t.delete_topic("T", Some("OtherCluster"));
        assert!(t.route("T").is_some());
        t.delete_topic("T", Some("DefaultCluster"));
        assert!(t.route("T").is_none());
        assert_eq!(t.topics_of_cluster("DefaultCluster").topic_list.len(), 1);
    }
}
