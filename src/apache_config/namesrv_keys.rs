//! The keys `rmqctl namesrv` accepts in `namesrv.properties` (Apache's `NamesrvConfig` and
//! `NettyServerConfig` keys it acts on): its config loader refuses others, the linter flags them,
//! both in the words of [`unknown_key`].

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

/// What is wrong with a key `rmqctl namesrv` does not accept, in the one wording its config
/// loader, UPDATE_NAMESRV_CONFIG and the linters use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKey {
    /// ``unknown name-server key `x` ``, with `; did you mean `y`?` for a near miss.
    pub message: String,
    /// Every accepted key.
    pub hint: String,
}

impl std::fmt::Display for UnknownKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (hint: {})", self.message, self.hint)
    }
}

/// The problem of `key`, which is neither in [`KEYS`] nor a `tls.*` key.
pub fn unknown_key(key: &str) -> UnknownKey {
    let meant = super::suggest::closest_key(key, KEYS.iter().copied());
    UnknownKey {
        message: match meant {
            Some(meant) => format!("unknown name-server key `{key}`; did you mean `{meant}`?"),
            None => format!("unknown name-server key `{key}`"),
        },
        hint: format!("name-server keys are: {}", KEYS.join(", ")),
    }
}
