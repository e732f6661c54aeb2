//! ACL 1.0, compatible with Apache RocketMQ 4.x (`aclEnable=true`, `plain_acl.yml`): the file
//! model and loader, remote-address white lists, permissions, request signatures (both the
//! client side that signs and the server side that verifies), the per-request permission check
//! and the ACL admin requests.

pub mod accounts;
pub mod admin_requests;
pub mod permission;
pub mod plain_acl;
pub mod resources;
pub mod secret;
pub mod sha1_lanes;
pub mod signature;
pub mod validator;
pub mod white_list;

pub use permission::Perm;
pub use plain_acl::PlainAclFile;
pub use secret::Secret;
pub use signature::Credentials;
pub use validator::{AccessValidator, Scope};
