//! The keys `rmqctl namesrv` accepts in `namesrv.properties` (Apache's `NamesrvConfig` and
//! `NettyServerConfig` keys it acts on): its config loader refuses others, the linter flags them.

/// Every key `rmqctl namesrv` accepts, for messages and `did you mean`.
pub const KEYS: &[&str] = &[
    "bindAddress",
    "listenPort",
    "rocketmqHome",
    "kvConfigPath",
    "configStorePath",
    "scanNotActiveBrokerInterval",
    "brokerExpireMillis",
    "orderMessageEnable",
    "clusterTest",
    "enableAllTopicList",
    "enableTopicList",
    "returnOrderTopicConfigToBroker",
    "serverChannelMaxIdleTimeSeconds",
    // rmqctl's own: the name server checks ACL for the requests that change it.
    "aclEnable",
    // rmqctl's own: caps on the connections the name server holds (0: no cap).
    "serverMaxConnections",
    "serverMaxConnectionsPerAddress",
];
