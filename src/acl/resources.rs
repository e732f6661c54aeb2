//! What a request touches, for the permission check: the topics and consumer groups it needs
//! PUB or SUB on, and whether only an admin account may send it. The mapping per request code
//! follows Apache's `PlainAccessResource.parse`, plus QUERY_CONSUMER_OFFSET (reads a group's
//! offsets: SUB like UPDATE_CONSUMER_OFFSET), and the admin-only list adds the requests that
//! reset offsets and manage the ACL itself to Apache's five.

use super::permission::Perm;
use crate::protocol::consumer::{HeartbeatData, RETRY_GROUP_TOPIC_PREFIX};
use crate::protocol::fastjson;
use crate::remoting::command::RemotingCommand;
use crate::remoting::RequestCode;
use smallvec::SmallVec;
use std::borrow::Cow;
use std::fmt;

/// `GET_BROKER_CLUSTER_ACL_CONFIG` (4.9.0 to 5.1.x), absent from the 4.9.8 code table.
pub const GET_BROKER_CLUSTER_ACL_CONFIG: i32 = 54;

/// A topic or a consumer group, borrowed from the request where it can be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource<'a> {
    Topic(Cow<'a, str>),
    Group(Cow<'a, str>),
}

impl<'a> Resource<'a> {
    /// A topic name as a resource: a retry topic `%RETRY%G` stands for group G, as in Apache.
    pub fn from_topic(name: &'a str) -> Resource<'a> {
        match name.strip_prefix(RETRY_GROUP_TOPIC_PREFIX) {
            Some(group) => Resource::Group(Cow::Borrowed(group)),
            None => Resource::Topic(Cow::Borrowed(name)),
        }
    }

    fn owned(self) -> Resource<'static> {
        match self {
            Resource::Topic(t) => Resource::Topic(Cow::Owned(t.into_owned())),
            Resource::Group(g) => Resource::Group(Cow::Owned(g.into_owned())),
        }
    }
}

impl fmt::Display for Resource<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Resource::Topic(t) => write!(f, "topic `{t}`"),
            Resource::Group(g) => write!(f, "group `{g}`"),
        }
    }
}

/// What one request needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Needs<'a> {
    pub admin: bool,
    /// Two at most for every request but a heartbeat (one per group and subscribed topic).
    pub resources: SmallVec<[(Resource<'a>, Perm); 2]>,
}

impl<'a> Needs<'a> {
    fn add(&mut self, resource: Option<Resource<'a>>, perm: Perm) {
        if let Some(r) = resource {
            self.resources.push((r, perm));
        }
    }
}

/// Request codes only an admin account may send to a broker.
pub fn broker_admin_only(code: i32) -> bool {
    use RequestCode as R;
    const ADMIN: [i32; 11] = [
        R::UPDATE_AND_CREATE_TOPIC.code(),
        R::UPDATE_BROKER_CONFIG.code(),
        R::DELETE_TOPIC_IN_BROKER.code(),
        R::UPDATE_AND_CREATE_SUBSCRIPTIONGROUP.code(),
        R::DELETE_SUBSCRIPTIONGROUP.code(),
        R::INVOKE_BROKER_TO_RESET_OFFSET.code(),
        R::UPDATE_AND_CREATE_ACL_CONFIG.code(),
        R::DELETE_ACL_CONFIG.code(),
        R::GET_BROKER_CLUSTER_ACL_INFO.code(),
        R::UPDATE_GLOBAL_WHITE_ADDRS_CONFIG.code(),
        GET_BROKER_CLUSTER_ACL_CONFIG,
    ];
    ADMIN.contains(&code)
}

/// Request codes that change a name server: only an admin account may send them when the name
/// server checks ACL; every other request (route look-ups) stays open.
pub fn namesrv_admin_only(code: i32) -> bool {
    use RequestCode as R;
    RequestCode::from_code(code).is_some_and(|c| {
        matches!(
            c,
            R::REGISTER_BROKER
                | R::UNREGISTER_BROKER
                | R::BROKER_HEARTBEAT
                | R::REGISTER_TOPIC_IN_NAMESRV
                | R::DELETE_TOPIC_IN_NAMESRV
                | R::PUT_KV_CONFIG
                | R::DELETE_KV_CONFIG
                | R::WIPE_WRITE_PERM_OF_BROKER
                | R::ADD_WRITE_PERM_OF_BROKER
                | R::UPDATE_NAMESRV_CONFIG
        )
    })
}

/// What a broker request needs, borrowing names from the request (a heartbeat's from its
/// decoded body). A heartbeat whose body cannot be read needs nothing here: the heartbeat
/// handler refuses it anyway and stores nothing.
pub fn broker_needs(request: &RemotingCommand) -> Needs<'_> {
    use RequestCode as R;
    // Codes as constants: a match on them is a jump table, not a scan of every known code.
    const SEND: i32 = R::SEND_MESSAGE.code();
    const SEND_V2: i32 = R::SEND_MESSAGE_V2.code();
    const SEND_BATCH: i32 = R::SEND_BATCH_MESSAGE.code();
    const SEND_BACK: i32 = R::CONSUMER_SEND_MSG_BACK.code();
    const PULL: i32 = R::PULL_MESSAGE.code();
    const UPDATE_OFFSET: i32 = R::UPDATE_CONSUMER_OFFSET.code();
    const QUERY_OFFSET: i32 = R::QUERY_CONSUMER_OFFSET.code();
    const QUERY_MESSAGE: i32 = R::QUERY_MESSAGE.code();
    const UNREGISTER: i32 = R::UNREGISTER_CLIENT.code();
    const CONSUMER_LIST: i32 = R::GET_CONSUMER_LIST_BY_GROUP.code();
    const HEART_BEAT: i32 = R::HEART_BEAT.code();
    // An empty name is no name: a producer unregisters with `consumerGroup` "".
    let ext = |key: &str| request.ext_fields.get(key).filter(|v| !v.is_empty());
    let topic = |key: &str| ext(key).map(Resource::from_topic);
    let group = |key: &str| ext(key).map(|g| Resource::Group(Cow::Borrowed(g)));
    let mut needs = Needs {
        admin: broker_admin_only(request.code),
        resources: SmallVec::new(),
    };
    match request.code {
        SEND => send(&mut needs, ext("topic"), ext("group")),
        SEND_V2 | SEND_BATCH => send(&mut needs, ext("b"), ext("a")),
        SEND_BACK => needs.add(group("group"), Perm::SUB),
        PULL | UPDATE_OFFSET | QUERY_OFFSET => {
            needs.add(topic("topic"), Perm::SUB);
            needs.add(group("consumerGroup"), Perm::SUB);
        }
        QUERY_MESSAGE => needs.add(topic("topic"), Perm::SUB),
        UNREGISTER | CONSUMER_LIST => needs.add(group("consumerGroup"), Perm::SUB),
        HEART_BEAT => {
            if let Ok(data) = fastjson::from_slice::<HeartbeatData>(request.body_bytes()) {
                for consumer in &data.consumer_data_set {
                    let g = Resource::Group(Cow::Owned(consumer.group_name.clone()));
                    needs.add(Some(g), Perm::SUB);
                    for sub in &consumer.subscription_data_set {
                        needs.add(Some(Resource::from_topic(&sub.topic).owned()), Perm::SUB);
                    }
                }
            }
        }
        _ => {}
    }
    needs
}

/// A send needs PUB on its topic; a send to a retry topic (a consumer sending a message back)
/// needs SUB on the group instead.
fn send<'a>(needs: &mut Needs<'a>, topic: Option<&'a str>, group: Option<&'a str>) {
    match topic {
        Some(t) if t.starts_with(RETRY_GROUP_TOPIC_PREFIX) => {
            needs.add(group.map(|g| Resource::Group(Cow::Borrowed(g))), Perm::SUB)
        }
        Some(t) => needs.add(Some(Resource::Topic(Cow::Borrowed(t))), Perm::PUB),
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(code: RequestCode, ext: &[(&'static str, &str)]) -> RemotingCommand {
        let mut r = RemotingCommand::request(code);
        for (k, v) in ext {
            r.ext_fields.insert(*k, *v);
        }
        r
    }

    #[test]
    fn sends_need_pub_or_group_sub_for_retry_topics() {
        let r = req(
            RequestCode::SEND_MESSAGE,
            &[("topic", "T"), ("producerGroup", "p")],
        );
        let n = broker_needs(&r);
        assert_eq!(
            n.resources.to_vec(),
            vec![(Resource::Topic("T".into()), Perm::PUB)]
        );
        let r = req(
            RequestCode::SEND_MESSAGE_V2,
            &[("b", "%RETRY%g"), ("a", "g")],
        );
        let n = broker_needs(&r);
        assert_eq!(
            n.resources.to_vec(),
            vec![(Resource::Group("g".into()), Perm::SUB)]
        );
        assert!(!n.admin);
        let producer_leaves = req(
            RequestCode::UNREGISTER_CLIENT,
            &[("consumerGroup", ""), ("producerGroup", "p")],
        );
        assert!(broker_needs(&producer_leaves).resources.is_empty());
    }

    #[test]
    fn pulls_and_offsets_need_topic_and_group_sub() {
        for code in [
            RequestCode::PULL_MESSAGE,
            RequestCode::UPDATE_CONSUMER_OFFSET,
            RequestCode::QUERY_CONSUMER_OFFSET,
        ] {
            let r = req(code, &[("topic", "T"), ("consumerGroup", "g")]);
            let n = broker_needs(&r);
            assert_eq!(
                n.resources.to_vec(),
                vec![
                    (Resource::Topic("T".into()), Perm::SUB),
                    (Resource::Group("g".into()), Perm::SUB)
                ],
                "{code}"
            );
        }
    }

    #[test]
    fn heartbeats_need_every_group_and_subscribed_topic() {
        let body = br#"{"clientID":"c","consumerDataSet":[{"groupName":"g","consumeType":1,"messageModel":1,"consumeFromWhere":0,"subscriptionDataSet":[{"topic":"T","subString":"*","subVersion":"1","codeSet":[],"tagsSet":[]},{"topic":"%RETRY%g","subString":"*","subVersion":1,"codeSet":[],"tagsSet":[]}]}],"producerDataSet":[]}"#;
        let r = RemotingCommand::request(RequestCode::HEART_BEAT).with_body(&body[..]);
        assert_eq!(
            broker_needs(&r).resources.to_vec(),
            vec![
                (Resource::Group("g".into()), Perm::SUB),
                (Resource::Topic("T".into()), Perm::SUB),
                (Resource::Group("g".into()), Perm::SUB)
            ]
        );
    }

    #[test]
    fn admin_requests() {
        for code in [
            RequestCode::UPDATE_AND_CREATE_TOPIC,
            RequestCode::DELETE_TOPIC_IN_BROKER,
            RequestCode::UPDATE_BROKER_CONFIG,
            RequestCode::INVOKE_BROKER_TO_RESET_OFFSET,
            RequestCode::UPDATE_AND_CREATE_ACL_CONFIG,
        ] {
            assert!(broker_needs(&req(code, &[])).admin, "{code}");
        }
        assert!(broker_admin_only(GET_BROKER_CLUSTER_ACL_CONFIG));
        assert!(!broker_admin_only(RequestCode::GET_BROKER_CONFIG.code()));
        assert!(namesrv_admin_only(RequestCode::REGISTER_BROKER.code()));
        assert!(namesrv_admin_only(
            RequestCode::DELETE_TOPIC_IN_NAMESRV.code()
        ));
        assert!(!namesrv_admin_only(
            RequestCode::GET_ROUTEINFO_BY_TOPIC.code()
        ));
    }
}
