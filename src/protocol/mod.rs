//! Typed bodies shared by clients and servers, and the fastjson dialect they travel in: route data,
//! cluster info, topic configs, stats,
//! heartbeats and the stored message record.

pub mod consumer;
pub mod fastjson;
pub mod kv;
pub mod message;
pub mod route;
pub mod system_topics;
pub mod topic;

/// `PermName`: queue permission bits.
pub mod perm {
    pub const PRIORITY: i32 = 8;
    pub const READ: i32 = 4;
    pub const WRITE: i32 = 2;
    pub const INHERIT: i32 = 1;

    /// `rw-` style text for tables.
    pub fn describe(perm: i32) -> String {
        let flag = |bit: i32, c: char| if perm & bit != 0 { c } else { '-' };
        format!(
            "{}{}{}",
            flag(READ, 'R'),
            flag(WRITE, 'W'),
            flag(INHERIT, 'X')
        )
    }
}
